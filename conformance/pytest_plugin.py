"""``pytest --conformance``: the suite as pytest items, for teams that already run pytest.

The ``pytest11`` entry point ``conformance`` registers this module. Without
``--conformance`` it does nothing: it adds its options, and imports nothing of the
package beyond this module. With it, the configuration is ``[tool.conformance]`` of
the ``pyproject.toml`` in pytest's rootdir, or ``--conformance-config PATH``.

Design: collect what one run found. The configuration file is collected like a test
file (the plugin adds it to the session's arguments, so ``pyproject.toml::<item>``
node ids work); collecting it runs the whole suite once, through the engine
(``conformance.engine.suite.run_suite``, exactly as ``conformance run`` does), with
the results written to a temporary NDJSON file (``--conformance-out PATH`` keeps
them, for ``conformance report``), then reads the results file back and yields one
item per result record, named ``<case id>[<target>]``. The items are the results
themselves (cross targets included), so no verdict is decided twice, and what only
the whole run knows can become items too. The price: collecting takes as long as the
run (``--collect-only`` too), and ``-k`` or a node id chooses which results are
reported, not which cases run. Under pytest-xdist every worker would run the suite.

An item passes on ``pass``; fails on ``diverge``, listing each failing divergence in
wire terms (kind, path, each side's targets and value, as ``conformance run`` prints
them, escaped for the terminal); is an xfail on ``expected``, with the entries'
reasons; errors at setup on ``error``, with the target's message (the harness's
stderr as a report section); is skipped on ``skipped``, with the reason. The run
fails on more than its results, and so does the session:

- A stale expected-failures entry marks every item it could have matched (its case
  glob and targets, the results of targets that ran the case) as a strict xfail: the
  item passed, so it XPASSes and fails. An item that still xfails or diverges for
  another reason fails, naming the stale entry.
- A target that ran no case (unless ``optional = true``): one more failing item,
  ``(ran no case)[<target>]``, with the reason and how to install it.
- A case file or case that did not load: ``(did not load)[<file>]``, failing.

Case ids hold no spaces or parentheses, so these names never collide with a case's.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conformance.core.divergence import Divergence
    from conformance.results.records import CaseRecord, ProblemRecord, ResultRecord, StaleRecord
    from conformance.results.summary import IdleTarget, Summary

__all__ = [
    "ConformanceFile",
    "ProblemItem",
    "ResultItem",
    "RunFailureItem",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "pytest_terminal_summary",
]

#: Characters of a harness's stderr shown with an errored item (the tail, where the error is).
STDERR_SHOWN = 16_000
_CONFIG_PATH = pytest.StashKey[Path]()
_RUN = pytest.StashKey["_Run"]()


class _Run:
    """What the session's one run left for the terminal summary."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.summary: Summary | None = None
        self.kept: Path | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--conformance``, ``--conformance-config`` and ``--conformance-out``."""
    group = parser.getgroup("conformance", "cross-language schema conformance")
    group.addoption(
        "--conformance",
        action="store_true",
        default=False,
        help="Run the [tool.conformance] suite: one item per case and target.",
    )
    group.addoption(
        "--conformance-config",
        metavar="PATH",
        default=None,
        help="pyproject.toml to read [tool.conformance] from (default: the rootdir's).",
    )
    group.addoption(
        "--conformance-out",
        metavar="PATH",
        default=None,
        help="Keep the run's results (NDJSON) here (default: a temporary file).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """With ``--conformance``, collect the configuration file along with the other arguments."""
    if not config.getoption("conformance"):
        return
    given = config.getoption("conformance_config")
    base = config.invocation_params.dir
    path = (base / given) if given else config.rootpath / "pyproject.toml"
    path = Path(path).absolute()
    if not path.is_file():
        raise pytest.UsageError(
            f"--conformance: no configuration file {str(path)!r}"
            + ("" if given else " (pass --conformance-config PATH)")
        )
    config.stash[_CONFIG_PATH] = path
    config.stash[_RUN] = _Run()
    # An argument that already holds the file (itself, or a folder above it) collects it.
    covered = any(
        path == arg or arg in path.parents
        for arg in (Path(base / a.split("::")[0]).absolute() for a in config.args)
    )
    if not covered:
        config.args.append(str(path))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ConformanceFile | None:
    """The configuration file of ``--conformance`` is one collector; no other file is ours."""
    wanted = parent.config.stash.get(_CONFIG_PATH, None)
    if wanted is None or file_path.absolute() != wanted:
        return None
    return ConformanceFile.from_parent(parent, path=file_path)


class ConformanceFile(pytest.File):
    """The configuration file: collecting it runs the suite and yields what the run found."""

    def collect(self) -> Iterable[pytest.Item]:
        """Run the suite once and yield one item per result, and per failure of the whole run."""
        from conformance.exceptions import ConformanceError

        run = self.config.stash[_RUN]
        kept = self.config.getoption("conformance_out")
        try:
            if kept is not None:
                run.kept = Path(self.config.invocation_params.dir / kept)
                yield from self._collect(run, run.kept)
                return
            folder = Path(tempfile.mkdtemp(prefix="conformance-pytest-"))
            self.config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
            yield from self._collect(run, folder / "results.ndjson")
        except ConformanceError as error:
            raise self.CollectError(f"conformance: error: {error}") from None

    def _collect(self, run: _Run, out: Path) -> Iterator[pytest.Item]:
        from conformance.engine.suite import SuiteRun, run_suite
        from conformance.results.reader import read_results
        from conformance.results.records import CaseRecord, ProblemRecord, ResultRecord, StaleRecord

        done = run_suite(SuiteRun(config_path=self.path, out=out), run.said.append)
        run.summary = done.summary
        if done.summary.interrupted:
            raise KeyboardInterrupt
        results: list[tuple[ResultRecord, CaseRecord | None]] = []
        problems: list[ProblemRecord] = []
        stale: list[StaleRecord] = []
        case: CaseRecord | None = None
        for record in read_results(out):
            if isinstance(record, CaseRecord):
                case = record
            elif isinstance(record, ResultRecord):
                results.append((record, case if case and case.id == record.case else None))
            elif isinstance(record, ProblemRecord):
                problems.append(record)
            elif isinstance(record, StaleRecord):
                stale.append(record)
        unclaimed = list(stale)
        for result, source in results:
            names = [s for s in stale if result.status in _RAN and _names(s, result)]
            unclaimed = [s for s in unclaimed if s not in names]
            yield ResultItem.of(self, result, source, tuple(names))
        yield from self._run_failures(done.summary, unclaimed, problems)

    def _run_failures(
        self, summary: Summary, stale: list[StaleRecord], problems: list[ProblemRecord]
    ) -> Iterator[pytest.Item]:
        """Items for what fails the run beside the results: idle targets, stale entries
        no result stands for, cases that did not load."""
        for idle in summary.idle:
            if not idle.optional:
                yield RunFailureItem.from_parent(
                    self, name=f"(ran no case)[{idle.name}]", text=_idle_text(idle)
                )
        for entry in stale:
            yield RunFailureItem.from_parent(
                self,
                name=f"(stale expected failure)[{entry.case} {entry.kind} {entry.path}]",
                text=_stale_text(entry),
            )
        seen: dict[str, int] = {}
        for problem in problems:
            where = _relative(problem.file, self.path.parent) or problem.case_id or "cases"
            seen[where] = seen.get(where, 0) + 1
            suffix = f" #{seen[where]}" if seen[where] > 1 else ""
            yield ProblemItem.from_parent(
                self, name=f"(did not load)[{where}{suffix}]", problem=problem
            )


#: Statuses of a result whose target ran the case: an expected-failures entry could match it.
_RAN = ("pass", "diverge", "expected")


def _names(entry: StaleRecord, result: ResultRecord) -> bool:
    """Whether a stale entry names this result's case and target (as the baseline's
    ``observe`` decides an entry could have matched)."""
    if not fnmatchcase(result.case, entry.case):
        return False
    return not entry.targets or any(fnmatchcase(result.target, g) for g in entry.targets)


def _relative(file: str, root: Path) -> str:
    """``file`` relative to ``root`` when it is inside it (item names stay short)."""
    try:
        return Path(file).relative_to(root).as_posix()
    except ValueError:
        return file


def _safe(text: object) -> str:
    from conformance.report.terminal import terminal_text

    return terminal_text(text)


def _stale_text(entry: StaleRecord) -> str:
    targets = ", ".join(entry.targets) or "any target"
    link = f" ({entry.link})" if entry.link else ""
    return _safe(
        f"stale expected failure: {entry.case} {entry.kind} {entry.path} ({targets}): "
        f"{entry.reason}{link}; listed, but it did not happen: remove the entry "
        "(or `conformance baseline update`)"
    )


def _idle_text(idle: IdleTarget) -> str:
    hint = f"\n  hint: {idle.hint}" if idle.hint else ""
    return _safe(f"target {idle.name!r} ran no case (fails the run): {idle.reason}{hint}")


class ResultItem(pytest.Item):
    """One case through one target, as the run's result record says it went."""

    def __init__(
        self,
        *,
        result: ResultRecord,
        case: CaseRecord | None = None,
        stale: tuple[StaleRecord, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.result = result
        self.case = case
        self.stale = stale

    @classmethod
    def of(
        cls,
        parent: ConformanceFile,
        result: ResultRecord,
        case: CaseRecord | None,
        stale: tuple[StaleRecord, ...],
    ) -> ResultItem:
        """The item of ``result`` (``case``: its case record, for its model and file)."""
        item: ResultItem = cls.from_parent(
            parent, name=f"{result.case}[{result.target}]", result=result, case=case, stale=stale
        )
        if result.status == "skipped":
            # As a mark, so that pytest reports the skip at the item, not at this module.
            reason = f"{result.target} skipped {result.case}: {result.outcome.error}"
            item.add_marker(pytest.mark.skip(reason=_safe(reason)))
        if stale and result.status == "pass":
            # Listed as failing, and it passed: XPASS(strict), which pytest reports as a failure.
            reason = "; ".join(_stale_text(s) for s in stale)
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
        return item

    def setup(self) -> None:
        """A target error is an error of the item, not a failure of the case."""
        if self.result.status != "error":
            return
        outcome = self.result.outcome
        if outcome.stderr:
            self.add_report_section(
                "setup", "harness stderr", _safe(outcome.stderr[-STDERR_SHOWN:])
            )
        pytest.fail(
            _safe(f"{self.result.target} could not run {self.result.case}: {outcome.error}"),
            pytrace=False,
        )

    def runtest(self) -> None:
        """Pass, fail, xfail or skip as the result's status says."""
        result = self.result
        if result.status == "skipped":  # the mark skips it first; without pytest's skipping
            pytest.skip(_safe(f"{result.target} skipped {result.case}: {result.outcome.error}"))
        stale = (
            "".join(f"\n{_stale_text(s)}" for s in self.stale) if result.status != "pass" else ""
        )
        if result.status == "diverge":
            pytest.fail(self._divergences(result.failing) + stale, pytrace=False)
        if result.status == "expected":
            if stale:
                pytest.fail(stale.lstrip("\n"), pytrace=False)
            reasons = dict.fromkeys(
                d.reason for d in result.divergences if d.severity == "expected"
            )
            pytest.xfail(_safe("expected failure: " + "; ".join(r for r in reasons if r)))

    def _divergences(self, failing: Iterable[Divergence]) -> str:
        from conformance.report.junit import divergence_line

        result = self.result
        model = f" ({self.case.model})" if self.case else ""
        lines = [f"{result.case}{model} [{result.target}] diverges:"]
        lines += [f"  {divergence_line(d)}" for d in failing]
        return _safe("\n".join(lines))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The case's file (pytest wants a line: its first), else the configuration file."""
        source = self.case.source.partition(" ")[0] if self.case else ""
        return (Path(source) if source else self.path), 0, self.name


class RunFailureItem(pytest.Item):
    """Something that fails the whole run beside its results (a target that ran no case,
    a stale expected-failures entry no result stands for): it always fails, saying what."""

    def __init__(self, *, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = text

    def runtest(self) -> None:
        """Fail with the reason."""
        pytest.fail(self.text, pytrace=False)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, self.name


class ProblemItem(RunFailureItem):
    """A case file or case that did not load: the run fails, the other cases still ran."""

    def __init__(self, *, problem: ProblemRecord, **kwargs: Any) -> None:
        super().__init__(text=_safe(f"did not load: {problem}"), **kwargs)
        self.problem = problem


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """What the run said (harness start-up, schema problems), its verdict, where its results are."""
    run = terminalreporter.config.stash.get(_RUN, None)
    if run is None or run.summary is None:
        return
    terminalreporter.section("conformance")
    for line in run.said:
        terminalreporter.write_line(_safe(line))
    summary = run.summary
    verdict = "conformant" if summary.exit_code == 0 else "not conformant"
    kept = f"; results: {_safe(run.kept)}" if run.kept else ""
    terminalreporter.write_line(
        f"{summary.cases} case(s) x {len(summary.per_target)} target(s): {verdict} "
        f"(`conformance run` would exit {summary.exit_code}){kept}"
    )
