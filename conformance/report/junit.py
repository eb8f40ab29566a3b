"""JUnit XML: one testcase per case and target, for CI test-report viewers.

Each model is a ``<testsuite>``; each result a ``<testcase>`` with
``classname`` = the model and ``name`` = ``case_id [target]``. A diverging
result carries a ``<failure>`` that lists its divergences in wire terms (path,
kind, each side's targets and exact value), an errored one an ``<error>``, a
skipped one ``<skipped>``; harness stderr goes to ``<system-err>`` and
warnings to ``<system-out>``. A result whose divergences were all expected
(listed in the expected-failures file) is skipped with their reasons. Cases
that did not load are errors, and stale expected failures are failures, of two
more suites, so a viewer shows why the run failed even when every result passed.

Root-cause families (``finding`` records, shards merged) make one more suite,
``findings``: one testcase per family and diverging target, ``classname`` = the
target and ``name`` = the family's sentence, so a viewer lists each behaviour
once per SDK beside the per-case testcases (which stay). A failing family is a
``<failure>`` whose message is the sentence and its example (case, path,
detail); its text adds the counts, the paths and both sides' values. A family of
expected failures is ``<skipped>``, as an expected result is: listed, counted,
and not a failure.

Text that XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE,
U+FFFF) is written as a visible escape (``\\x1b``, ``\\ud800``), never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal

from attrs import define, field

from conformance.core import jsonwire
from conformance.core.divergence import Divergence, path_text
from conformance.report.spool import Spans, Texts
from conformance.results.findings_merge import merge_findings
from conformance.results.records import (
    CaseRecord,
    FindingRecord,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
)
from conformance.schema import JsonValue

__all__ = ["JunitCollector", "divergence_line", "render_junit", "xml_attr", "xml_text"]

#: Divergences listed in one failure; the rest are counted.
DIVERGENCES_SHOWN = 50
#: Characters of stderr kept per testcase (the tail, where the error usually is).
STDERR_KEPT = 16_000
PROBLEMS_SUITE = "(cases that did not load)"
STALE_SUITE = "(stale expected failures)"
FINDINGS_SUITE = "findings"

Verdict = Literal["pass", "failure", "error", "skipped"]
#: How each result status shows in JUnit; a status not listed fails if it has failing divergences.
VERDICTS: dict[str, Verdict] = {
    "pass": "pass",
    "diverge": "failure",
    "error": "error",
    "skipped": "skipped",
    "stale": "failure",
    "expected": "skipped",
}

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Any character ``xml_attr`` changes: most names and messages have none, and are taken as
#: they are after one search instead of a substitution and seven replacements.
_SPECIAL = re.compile('[\x00-\x1f&<>"\ud800-\udfff\ufffe\uffff]')


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """Text content for XML 1.0: markup escaped, forbidden characters as visible escapes."""
    text = _FORBIDDEN.sub(_visible, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """A double-quoted attribute value (quotes included); line breaks and tabs survive."""
    if _SPECIAL.search(text) is None:
        return f'"{text}"'
    escaped = xml_text(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


#: ``xml_attr`` of classnames, kept (up to ``_CLASSNAMES_KEPT``) as they recur.
_CLASSNAMES: dict[str, str] = {}
_CLASSNAMES_KEPT = 4096


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _side(targets: tuple[str, ...], value: str) -> str:
    return f"{', '.join(targets)}: {value}"


def divergence_line(each: Divergence) -> str:
    """One divergence on one line: severity, kind, path, both sides, detail and reason."""

    def value(present: bool, raw: JsonValue) -> str:
        return _clip(jsonwire.dumps(raw), 300) if present else "(absent)"

    left = _side(each.left.targets, value(each.left.present, each.left.value))
    right = _side(each.right.targets, value(each.right.present, each.right.value))
    line = f"{each.severity.upper()} {each.kind} {path_text(each.path)}: {left} | {right}"
    if each.detail:
        line += f" ({each.detail})"
    if each.reason:
        line += f" [{each.reason}]"
    return line


@define
class _Suite:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    #: The testcases' XML, kept on disk (a run's results are many; memory stays flat), a
    #: block of ``BLOCK`` testcases (each ending in a line break) at a time; the last few in
    #: ``pending``.
    cases: Spans = field(factory=Spans)
    pending: list[str] = field(factory=list)

    BLOCK = 256

    def add(self, testcase: str) -> None:
        """Keep one testcase's XML (without its line break)."""
        self.pending.append(testcase)
        if len(self.pending) >= self.BLOCK:
            self.cases.append("\n".join(self.pending) + "\n")
            self.pending = []

    def blocks(self) -> Iterator[str]:
        """The testcases, in order, each followed by a line break, a block at a time."""
        yield from self.cases
        if self.pending:
            yield "\n".join(self.pending) + "\n"


@define
class JunitCollector:
    """Folds records into testcases grouped by model, one record at a time."""

    suites: dict[str, _Suite] = field(factory=dict)
    findings: list[FindingRecord] = field(factory=list)
    _model: dict[str, str] = field(factory=dict)
    _last: CaseRecord | None = None
    _texts: Texts = field(factory=Texts)  # every suite's testcases, in one file

    def add(self, record: Record) -> None:
        """Take one record (in results-file order)."""
        if isinstance(record, CaseRecord):
            self._last = record
        elif isinstance(record, ResultRecord):
            last = self._last
            model = last.model if last is not None and last.id == record.case else "(unknown model)"
            self._result(model, record)
        elif isinstance(record, ProblemRecord):
            self._problem(record)
        elif isinstance(record, StaleRecord):
            self._stale(record)
        elif isinstance(record, FindingRecord):
            self.findings.append(record)

    def _suite(self, name: str) -> _Suite:
        suite = self.suites.get(name)
        if suite is None:
            suite = self.suites[name] = _Suite(cases=Spans(self._texts))
        return suite

    def _result(self, model: str, result: ResultRecord) -> None:
        suite = self._suite(model)
        outcome = result.outcome
        verdict = VERDICTS.get(result.status)
        if verdict is None:  # (``failing`` only then: it is a tuple made per call)
            verdict = "failure" if result.failing else "pass"
        name = f"{result.case} [{result.target}]"
        if verdict == "pass" and not (result.divergences or outcome.warnings or outcome.stderr):
            # Most results: a testcase with nothing in it.
            suite.tests += 1
            suite.seconds += outcome.seconds
            self._emit(suite, model, name, outcome.seconds, [])
            return
        body: list[str] = []
        if verdict == "failure":
            suite.failures += 1
            shown = list(result.failing) or list(result.divergences)
            notes = [d for d in result.divergences if d not in shown]
            lines = [divergence_line(d) for d in (shown + notes)[:DIVERGENCES_SHOWN]]
            hidden = len(shown) + len(notes) - len(lines)
            if hidden > 0:
                lines.append(f"... and {hidden} more divergence(s); see the HTML report")
            first = lines[0] if lines else result.status
            message = f"{len(shown)} failing divergence(s): {_clip(first, 200)}"
            body.append(
                f"<failure message={xml_attr(message)} type={xml_attr(result.status)}>"
                f"{xml_text(chr(10).join(lines))}</failure>"
            )
        elif verdict == "error":
            suite.errors += 1
            text = outcome.error or result.status
            body.append(
                f"<error message={xml_attr(_clip(text.splitlines()[0] if text else '', 200))}"
                f" type={xml_attr(outcome.state)}>{xml_text(text)}</error>"
            )
        elif verdict == "skipped":
            suite.skipped += 1
            message = outcome.error or result.status
            expected = [d for d in result.divergences if d.severity == "expected"]
            if expected:
                reasons = sorted({d.reason for d in expected if d.reason})
                message = f"expected failure: {'; '.join(reasons) or result.status}"
                listed = "\n".join(divergence_line(d) for d in expected[:DIVERGENCES_SHOWN])
                body.append(f"<skipped message={xml_attr(message)}>{xml_text(listed)}</skipped>")
            else:
                body.append(f"<skipped message={xml_attr(message)}/>")
        out = list(outcome.warnings)
        if verdict == "pass" and result.divergences:
            out += ["notes:"] + [divergence_line(d) for d in result.divergences[:DIVERGENCES_SHOWN]]
        if out:
            body.append(f"<system-out>{xml_text(chr(10).join(out))}</system-out>")
        if outcome.stderr:
            stderr = outcome.stderr
            if len(stderr) > STDERR_KEPT:
                stderr = (
                    f"... ({len(stderr) - STDERR_KEPT} characters cut)\n" + stderr[-STDERR_KEPT:]
                )
            body.append(f"<system-err>{xml_text(stderr)}</system-err>")
        suite.tests += 1
        suite.seconds += outcome.seconds
        self._emit(suite, model, name, outcome.seconds, body)

    def _problem(self, problem: ProblemRecord) -> None:
        suite = self._suite(PROBLEMS_SUITE)
        suite.tests += 1
        suite.errors += 1
        where = problem.file + (f":{problem.line}" if problem.line is not None else "")
        name = problem.case_id or where or problem.message
        body = [
            f'<error message={xml_attr(_clip(problem.message, 200))} type="problem">'
            f"{xml_text(str(problem))}</error>"
        ]
        self._emit(suite, PROBLEMS_SUITE, name, 0.0, body)

    def _stale(self, entry: StaleRecord) -> None:
        suite = self._suite(STALE_SUITE)
        suite.tests += 1
        suite.failures += 1
        targets = ", ".join(entry.targets) or "any target"
        text = f"{entry.kind} {entry.path} ({targets}): {entry.reason}"
        if entry.link:
            text += f" {entry.link}"
        message = "listed as expected, but it did not happen; remove it from the expected file"
        body = [f'<failure message={xml_attr(message)} type="stale">{xml_text(text)}</failure>']
        self._emit(suite, STALE_SUITE, f"{entry.case} {entry.kind} {entry.path}", 0.0, body)

    @staticmethod
    def _emit(suite: _Suite, classname: str, name: str, seconds: float, body: list[str]) -> None:
        quoted = _CLASSNAMES.get(classname)
        if quoted is None:  # a model (or target) names testcase after testcase
            if len(_CLASSNAMES) >= _CLASSNAMES_KEPT:
                _CLASSNAMES.clear()
            quoted = _CLASSNAMES[classname] = xml_attr(classname)
        head = f'    <testcase classname={quoted} name={xml_attr(name)} time="{seconds:.6f}"'
        if not body:
            suite.add(head + "/>")
        else:
            inner = "".join(f"\n      {part}" for part in body)
            suite.add(f"{head}>{inner}\n    </testcase>")

    def _findings_suite(self) -> _Suite:
        """The families, merged over shards: failing ones first, most cases first."""
        suite = _Suite()
        merged = sorted(
            merge_findings(self.findings), key=lambda f: (f.severity != "fail", -f.cases, f.id)
        )
        for family in merged:
            example = family.example
            message = f"{family.sentence}; e.g. {example.case} at {example.path}"
            if example.detail:
                message += f": {example.detail}"
            text = _finding_text(family)
            for target in family.diverging:
                suite.tests += 1
                if family.severity == "fail":
                    suite.failures += 1
                    body = [
                        f"<failure message={xml_attr(_clip(message, 500))}"
                        f" type={xml_attr(family.kind)}>{xml_text(text)}</failure>"
                    ]
                else:
                    suite.skipped += 1
                    body = [
                        f"<skipped message={xml_attr(_clip('expected failure: ' + message, 500))}>"
                        f"{xml_text(text)}</skipped>"
                    ]
                self._emit(suite, target, family.sentence, 0.0, body)
        return suite

    def chunks(self) -> Iterator[str]:
        """The document, piece by piece."""
        listed = list(self.suites.items())
        findings = self._findings_suite()
        if findings.tests:
            listed.append((FINDINGS_SUITE, findings))
        suites = [suite for _, suite in listed]
        total = _Suite(
            tests=sum(s.tests for s in suites),
            failures=sum(s.failures for s in suites),
            errors=sum(s.errors for s in suites),
            skipped=sum(s.skipped for s in suites),
            seconds=sum(s.seconds for s in suites),
        )
        yield '<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<testsuites name="conformance"{_counts(total)}>\n'
        for name, suite in listed:
            yield f"  <testsuite name={xml_attr(name)}{_counts(suite)}>\n"
            yield from suite.blocks()
            yield "  </testsuite>\n"
        yield "</testsuites>\n"

    def render(self) -> str:
        """The whole document."""
        return "".join(self.chunks())


def _finding_text(family: FindingRecord) -> str:
    """A family in full: its sentence, counts, paths and example with both sides' values."""
    example = family.example

    def value(present: bool, raw: JsonValue) -> str:
        return _clip(jsonwire.dumps(raw), 300) if present else "(absent)"

    paths = ", ".join(family.paths)
    if family.more_paths:
        paths += f" and {family.more_paths} more"
    lines = [
        family.sentence,
        f"family {family.id}: {family.kind}, {family.cases} case(s), {family.models} model(s)",
        f"paths: {paths}",
        f"example: case {example.case} ({example.model}, {example.direction}) at {example.path}",
        "  "
        + _side(example.expected.targets, value(example.expected.present, example.expected.value)),
        "  " + _side(example.got.targets, value(example.got.present, example.got.value)),
    ]
    if example.detail:
        lines.append(f"  ({example.detail})")
    return "\n".join(lines)


def _counts(suite: _Suite) -> str:
    return (
        f' tests="{suite.tests}" failures="{suite.failures}" errors="{suite.errors}"'
        f' skipped="{suite.skipped}" time="{suite.seconds:.3f}"'
    )


def render_junit(records: Iterable[Record]) -> str:
    """JUnit XML for a stream of records (one or more results files, concatenated)."""
    collector = JunitCollector()
    for record in records:
        collector.add(record)
    return collector.render()
