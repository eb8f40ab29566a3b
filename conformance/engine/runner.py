"""Runs cases through targets, judges the outcomes, and streams the records out.

For each case every target gives an outcome (``workers``: here or in worker
processes); ``conformance.comparison.judge`` turns them into verdicts (N-way
grouping, the expectation, naming, the policy and the expected-failures
baseline), written as result records. The baseline's entries that matched
nothing are written as ``stale``. Records go to the writer as they are made,
so memory stays flat.

SIGINT or SIGTERM stops a run between cases, and stops its harnesses at once
(they run in sessions of their own, so a terminal's Ctrl-C reaches only this
process): a case they were running is cut off with no result records at all,
never a made-up error, so ``--resume`` runs it again.
"""

from __future__ import annotations

import datetime as dt
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from conformance import __version__
from conformance.comparison.baseline import Baseline
from conformance.comparison.policy import Policy
from conformance.core.outcome import Implementation, Outcome
from conformance.engine.judging import Encoded, case_record, lenient_targets, result_records
from conformance.engine.workers import Engine, InProcess, Pool, split
from conformance.exceptions import ConfigError, ConformanceError
from conformance.results.families import FamilyCollector, names_from
from conformance.results.reader import LineReader
from conformance.results.records import (
    CaseRecord,
    EntryKey,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
    TargetInfo,
)
from conformance.results.summary import Summary, SummaryBuilder
from conformance.results.writer import ResultsWriter
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, LoadedCases
from conformance.targets import Target
from conformance.targets.harness import HarnessStopped

__all__ = [
    "Advance",
    "Progress",
    "check_results_path",
    "execute",
    "finish",
    "now",
    "result_records",
    "results_file",
    "resumable",
]

#: Called after each case with the number of cases done and that case's seconds per target.
Advance = Callable[[int, Mapping[str, float]], None]
#: Given the number of cases, a context that yields the per-case progress callback (or
#: ``None``): the command draws the bar, the run only reports how far it got.
Progress = Callable[[int], AbstractContextManager[Advance | None]]


def now() -> str:
    """The current UTC time, as results records write it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def execute(
    loaded: LoadedCases,
    targets: Sequence[Target],
    policy: Policy,
    writer: ResultsWriter,
    *,
    engine: Engine | None = None,
    schema: Schema | None = None,
    config: Mapping[str, JsonValue] | None = None,
    kinds: Mapping[str, str] | None = None,
    baseline: Baseline | None = None,
    progress: Advance | None = None,
    shard: tuple[int, int] | None = None,
    done: Mapping[str, Sequence[tuple[str, Outcome]]] | None = None,
    say: Callable[[str], None] | None = None,
) -> Summary:
    """Run the loaded cases (of one shard) through the targets and write the results.

    ``engine`` runs the targets (default: here, one case after another);
    ``targets`` name them and their conventions either way. ``done`` holds the
    outcomes of cases a previous, interrupted run finished (``--resume``): they
    are judged again, not run again. SIGINT or SIGTERM stops the run with every
    finished result and a footer marked interrupted; the case in flight is
    finished, or, if the signal cut a harness off, left out (no records).
    ``say`` takes what the targets said at start: start-up times and warnings.
    """
    began = time.perf_counter()
    summary = SummaryBuilder()
    engine = engine or InProcess(targets)
    cases = split(loaded.cases, shard)
    finished = done or {}
    conventions = {t.name: t.convention for t in targets}
    # Each target's own model names (an SDK's classes), for the families' reproducers.
    tables = {t.name: dict(getattr(t, "model_names", None) or {}) for t in targets}
    families = FamilyCollector(schema, kinds or {}, names_from(tables))

    def emit(record: Record) -> None:
        summary.add(writer.write(record))

    with _Interruptible(engine.interrupt) as interrupt:
        try:
            implementations = engine.start()
            lenient = lenient_targets(implementations)
            if say is not None:
                _say_started(implementations, say)
            emit(_header(targets, kinds or {}, implementations, config or {}))
            for problem in loaded.errors:
                emit(ProblemRecord.of(problem))
            fresh = _stream(engine, [c for c in cases if c.id not in finished], policy, baseline)
            for count, case in enumerate(cases, 1):
                if interrupt.requested:
                    break
                encoded: Encoded | None = None
                outcomes: Sequence[tuple[str, Outcome]]
                if case.id in finished:
                    outcomes = list(finished[case.id])
                else:
                    try:
                        ran, outcomes, encoded = next(fresh)
                    except HarnessStopped:
                        # Cut off by the interruption: no outcome, so no records.
                        interrupt.requested = True
                        break
                    assert ran.id == case.id, "engines keep case order"
                if encoded is None:
                    verdicts = result_records(
                        case, outcomes, policy, schema, conventions, baseline, lenient
                    )
                    records: list[Record] = [case_record(case), *verdicts]
                    for record in records:
                        emit(record)
                else:  # judged and encoded by a worker: written as it wrote them
                    records = [writer.write_encoded(record, line) for record, line in encoded]
                    for record in records:
                        summary.add(record)
                head, *rest = records
                assert isinstance(head, CaseRecord)
                families.add(head, [r for r in rest if isinstance(r, ResultRecord)])
                writer.flush()
                if progress is not None:
                    progress(count, {name: outcome.seconds for name, outcome in outcomes})
        finally:
            engine.close()
    if baseline is not None and not interrupt.requested:
        for entry in baseline.stale:
            emit(
                StaleRecord(
                    entry.case, entry.kind, entry.path, entry.reason, entry.targets, entry.link
                )
            )
    for family in families.records():
        emit(family)
    matched = tuple(
        EntryKey(e.case, e.kind, e.path, e.targets) for e in (baseline.matched if baseline else ())
    )
    return finish(summary, writer, began, interrupted=interrupt.requested, matched=matched)


#: A case as an engine gives it back: its outcomes, and its records with their lines when
#: the engine judged and encoded it (``--jobs N`` workers do).
_Ran = tuple[Case, Sequence[tuple[str, Outcome]], Encoded | None]


def _stream(
    engine: Engine, cases: Sequence[Case], policy: Policy, baseline: Baseline | None
) -> Iterator[_Ran]:
    """The cases' outcomes from ``engine``, judged already where its workers judge them."""
    judging = engine.recipe.judging if isinstance(engine, Pool) else None
    if judging is None:
        return ((case, outcomes, None) for case, outcomes in engine.outcomes(cases))
    # The workers judge each case as this process would: the same policy, and copies of
    # this baseline whose matches come back to it.
    assert judging.policy == policy
    assert judging.baseline is baseline
    assert isinstance(engine, Pool)
    return engine.judged(cases)


def _header(
    targets: Sequence[Target],
    kinds: Mapping[str, str],
    implementations: Mapping[str, Implementation | None],
    config: Mapping[str, JsonValue],
) -> Header:
    """The first record: this tool, the targets as they started, the run's settings."""
    return Header(
        tool="conformance",
        version=__version__,
        started=now(),
        targets=tuple(
            _target_info(t, kinds.get(t.name, "target"), implementations) for t in targets
        ),
        config=dict(config),
    )


def _say_started(
    implementations: Mapping[str, Implementation | None], say: Callable[[str], None]
) -> None:
    """Each harness's start-up time (slow SDK imports are the usual cause of a slow run)."""
    for name, implementation in implementations.items():
        if implementation is None:
            continue
        seconds = implementation.details.get("startup_seconds")
        if isinstance(seconds, int | float | Decimal):
            say(f"{name}: started in {float(seconds):.1f} s")
        for warning in implementation.warnings:
            say(f"{name}: warning: {warning}")
    for name, directions in lenient_targets(implementations).items():
        which = " and ".join(sorted(directions))
        say(
            f"{name}: does not validate {which} payloads (its SDK builds objects without"
            " checking them): accepting an invalid one is not reported, what it writes back"
            " still is"
        )


def _target_info(
    target: Target, kind: str, implementations: Mapping[str, Implementation | None]
) -> TargetInfo:
    # ``optional`` and ``install_hint`` come from the target's configuration; a target
    # built without them (a test's fake) is required, with no hint.
    return TargetInfo(
        target.name,
        kind,
        target.convention,
        implementations.get(target.name),
        optional=bool(getattr(target, "optional", False)),
        install_hint=str(getattr(target, "install_hint", "")),
    )


class _Interruptible:
    """SIGINT and SIGTERM ask the run to stop (main thread only) and call ``stop`` at once."""

    def __init__(self, stop: Callable[[], None]) -> None:
        self.requested = False
        self._stop = stop
        self._previous: dict[int, Any] = {}

    def _ask(self, signum: int, _: object) -> None:
        self.requested = True
        self._stop()

    def __enter__(self) -> _Interruptible:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._ask)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


def resumable(path: Path, target_names: Sequence[str]) -> dict[str, list[tuple[str, Outcome]]]:
    """Outcomes of the cases a previous run of ``path`` finished for every one of the targets.

    Reads the results file, or its ``.partial`` twin when that is newer (a run
    that was killed before it could close); a cut last line ends the reading.
    """
    partial = path.with_name(path.name + ".partial")
    source = path
    if partial.exists() and (not path.exists() or partial.stat().st_mtime > path.stat().st_mtime):
        source = partial
    if not source.exists():
        return {}
    found: dict[str, dict[str, Outcome]] = {}
    reader = LineReader(str(source))
    with open(source, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            try:
                record = reader.read(line, number)
            except ConformanceError:
                break
            if isinstance(record, ResultRecord):
                found.setdefault(record.case, {})[record.target] = record.outcome
    wanted = set(target_names)
    return {
        case: [(name, outcomes[name]) for name in target_names]
        for case, outcomes in found.items()
        if wanted <= outcomes.keys()
    }


def finish(
    summary: SummaryBuilder,
    writer: ResultsWriter,
    began: float,
    *,
    interrupted: bool = False,
    matched: tuple[EntryKey, ...] = (),
) -> Summary:
    """Write the footer (totals so far, exit code, probe coverage) and return the final summary."""
    partial = summary.build()
    footer = Footer(
        totals=dict(partial.totals),
        finished=now(),
        seconds=round(time.perf_counter() - began, 3),
        exit_code=partial.exit_code,
        failing=partial.failing,
        notes=partial.notes,
        problems=partial.problem_count,
        stale=partial.stale_count,
        interrupted=interrupted,
        matched=matched,
        coverage=partial.coverage,
    )
    summary.add(writer.write(footer))
    return summary.build()


@contextmanager
def results_file(
    path: Path | None,
    total: int,
    progress: Progress | None = None,
    key: str = "",
    file: str = "",
) -> Iterator[tuple[ResultsWriter, Advance | None]]:
    """The writer of ``path`` (moved into place on exit) and the progress callback of ``total``
    cases, for ``execute``.

    ``path`` is checked first (``check_results_path``; ``key`` and ``file`` name
    the setting in its error), so an unusable path stops the run before its first case.
    """
    if path is not None:
        check_results_path(path, key, file)
    with ResultsWriter(path) as writer, (progress or _silent)(total) as advance:
        yield writer, advance


def check_results_path(path: Path, key: str = "", file: str = "") -> None:
    """Raise ``ConfigError`` unless a results file can be written at ``path``.

    The file is written as ``path.partial`` beside it and moved into place at
    the end, so both names must be usable: not folders, in a folder that exists
    (or can be made) and can be written.
    """
    for each in (path, path.with_name(path.name + ".partial") if path.name else path):
        if each.is_dir():
            raise ConfigError(
                f"the results path {str(each)!r} is a folder",
                "pass --out FILE (a file name, e.g. reports/results.ndjson), "
                "or set results in [tool.conformance] to one",
                file=file,
                key=key,
            )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A scratch file, not the .partial one: that may hold a run to --resume.
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        raise ConfigError(
            f"cannot write the results file {str(path)!r}: {error.strerror or error}",
            "pass --out PATH in a folder you can write to, "
            "or set results in [tool.conformance] to one",
            file=file,
            key=key,
        ) from None


@contextmanager
def _silent(_: int) -> Iterator[None]:
    yield None
