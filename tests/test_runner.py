"""Judging outcomes: expectations, N-way grouping, naming, statuses and exit codes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from conformance.comparison.judge import Verdict, judge
from conformance.comparison.policy import Policy
from conformance.core.outcome import Implementation, Outcome
from conformance.engine.runner import execute, result_records
from conformance.exceptions import CaseFileError, HarnessCrashed
from conformance.results.reader import read_results
from conformance.results.records import (
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
)
from conformance.results.summary import IdleTarget, Summary, summarize
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema
from conformance.sources.cases import Case, LoadedCases
from conformance.targets.harness import HarnessStopped, HarnessTarget
from conformance.testing import fake_harness_command
from tests.fakes import FakeTarget, rejects, writes

CASE = Case("c1", "M", "response", {"a": 1})
INVALID = Case("c2", "M", "response", {"a": "x"}, valid=False)


def _statuses(verdicts: list[Verdict]) -> dict[str, str]:
    return {v.target: v.status for v in verdicts}


def _conforming(case: Case) -> Outcome:
    return Outcome("accepted", wire=case.wire) if case.valid else Outcome("rejected")


def test_targets_that_write_the_input_back_pass() -> None:
    """Echoing the payload is conformant."""
    outcome = Outcome("accepted", wire={"a": 1})
    verdicts = judge(CASE, [("x", outcome), ("y", outcome)], Policy())
    assert _statuses(verdicts) == {"x": "pass", "y": "pass"}
    assert verdicts[0].group == ("x", "y")


def test_the_odd_one_out_is_alone_in_its_group() -> None:
    """Three agree, one differs: the one diverges and stands alone."""
    good, bad = Outcome("accepted", wire={"a": 1}), Outcome("accepted", wire={"a": 2})
    verdicts = judge(CASE, [("p", good), ("q", bad), ("r", good), ("s", good)], Policy())
    assert _statuses(verdicts) == {"p": "pass", "q": "diverge", "r": "pass", "s": "pass"}
    odd = verdicts[1]
    assert odd.group == ("q",)
    (divergence,) = odd.divergences
    assert (divergence.kind, divergence.left.targets, divergence.right.targets) == (
        "value",
        ("input",),
        ("q",),
    )


def test_rejecting_a_valid_payload_is_an_accept_divergence() -> None:
    """A valid payload must be accepted."""
    (verdict,) = judge(CASE, [("x", Outcome("rejected", error="nope"))], Policy())
    assert (verdict.status, verdict.divergences[0].kind) == ("diverge", "accept")


def test_accepting_an_invalid_payload_is_an_accept_divergence() -> None:
    """An invalid payload must be rejected; rejecting it passes."""
    verdicts = judge(
        INVALID,
        [("lax", Outcome("accepted", wire={"a": "x"})), ("strict", Outcome("rejected"))],
        Policy(),
    )
    assert _statuses(verdicts) == {"lax": "diverge", "strict": "pass"}
    assert verdicts[0].divergences[0].detail == "expected rejected, got accepted"


def test_notes_do_not_fail_a_result() -> None:
    """A number-format difference alone leaves the result passing, with a note."""
    (verdict,) = judge(CASE, [("x", Outcome("accepted", wire={"a": Decimal("1.0")}))], Policy())
    assert verdict.status == "pass"
    assert [(d.kind, d.severity) for d in verdict.divergences] == [("number-format", "note")]


def test_errors_and_skips_are_their_own_statuses() -> None:
    """A target that could not run a case is error or skipped, never pass."""
    verdicts = judge(
        CASE,
        [("e", Outcome("error", error="crashed")), ("s", Outcome("skipped", error="no model"))],
        Policy(),
    )
    assert _statuses(verdicts) == {"e": "error", "s": "skipped"}


def test_native_names_off_convention_are_naming_divergences() -> None:
    """A typescript target naming a field in snake_case breaks its convention."""
    schema = Schema({"M": Model("M", (Field("finish_reason", Primitive("string")),))})
    case = Case("c", "M", "response", {"finish_reason": "stop"})
    outcome = Outcome("accepted", wire={"finish_reason": "stop"}, native={"finish_reason": "stop"})
    (verdict,) = judge(case, [("ts", outcome)], Policy(), schema, {"ts": "typescript"})
    (divergence,) = verdict.divergences
    assert (divergence.kind, divergence.where, divergence.left.value, divergence.right.value) == (
        "naming",
        "$.finish_reason",
        "finishReason",
        "finish_reason",
    )


def test_result_records_carry_each_verdict() -> None:
    """The runner writes each target's verdict as a result record of the case, in target order."""
    good, bad = Outcome("accepted", wire={"a": 1}), Outcome("accepted", wire={"a": 2})
    outcomes = [("p", good), ("q", bad)]
    records = result_records(CASE, outcomes, Policy())
    assert records == [
        ResultRecord("c1", v.target, v.status, v.outcome, v.divergences, v.group)
        for v in judge(CASE, outcomes, Policy())
    ]
    assert [(r.target, r.status, r.group) for r in records] == [
        ("p", "pass", ("p",)),
        ("q", "diverge", ("q",)),
    ]


def _run(tmp_path: Path, targets: list[FakeTarget], errors: tuple[CaseFileError, ...] = ()) -> int:
    loaded = LoadedCases((CASE, INVALID), errors, ("cases.json",))
    with ResultsWriter(tmp_path / "results.ndjson") as writer:
        summary = execute(loaded, targets, Policy(), writer)
    return summary.exit_code


def test_exit_code_is_zero_when_conformant(tmp_path: Path) -> None:
    """Every target right about every case: exit 0."""
    assert _run(tmp_path, [FakeTarget("a", _conforming)]) == 0


def test_exit_code_is_one_on_a_failing_divergence(tmp_path: Path) -> None:
    """A target that writes something else back: exit 1."""
    assert _run(tmp_path, [FakeTarget("a", writes({"a": 2}))]) == 1


def test_exit_code_is_one_when_a_case_file_did_not_load(tmp_path: Path) -> None:
    """A suite with a broken file is not conformant, even if the rest passes."""
    broken = (CaseFileError("bad", file="x.json"),)
    assert _run(tmp_path, [FakeTarget("a", _conforming)], broken) == 1


def test_results_file_has_header_cases_results_and_footer(tmp_path: Path) -> None:
    """The NDJSON stream is header, problems, (case, results)*, findings, footer, and reads
    back."""
    _run(tmp_path, [FakeTarget("a"), FakeTarget("b", rejects())], (CaseFileError("bad"),))
    kinds = [type(r) for r in read_results(tmp_path / "results.ndjson")]
    assert kinds == [
        Header,
        ProblemRecord,
        CaseRecord,
        ResultRecord,
        ResultRecord,
        CaseRecord,
        ResultRecord,
        ResultRecord,
        FindingRecord,
        FindingRecord,
        Footer,
    ]


def test_a_target_that_fails_to_start_errors_every_case(tmp_path: Path) -> None:
    """A broken target gives error results; the other targets still run and all are closed."""

    class Broken(FakeTarget):
        def start(self) -> Implementation:
            raise HarnessCrashed("exited with 1", target=self.name)

    broken, good = Broken("broken"), FakeTarget("good", _conforming)
    _run(tmp_path, [broken, good])
    results = [r for r in read_results(tmp_path / "results.ndjson") if isinstance(r, ResultRecord)]
    assert {(r.target, r.status) for r in results} == {("broken", "error"), ("good", "pass")}
    assert broken.closed
    assert good.closed


@attrs.define
class OptionalTarget(FakeTarget):
    """A fake target whose configuration says ``optional = true``, with an install hint."""

    optional: bool = True
    install_hint: str = "install the fake SDK into .sdk/fake"


class BrokenStart(FakeTarget):
    """A fake target whose harness crashes on start, printing to stderr."""

    def start(self) -> Implementation:
        raise HarnessCrashed("exited with 3", target=self.name, stderr="Traceback: no module x")


class BrokenOptional(OptionalTarget):
    """An optional fake target whose harness crashes on start."""

    def start(self) -> Implementation:
        raise HarnessCrashed("exited with 3", target=self.name, stderr="Traceback: no module x")


def _skips(case: Case) -> Outcome:
    return Outcome("skipped", error="the SDK is not installed")


def _execute(tmp_path: Path, targets: list[Any]) -> tuple[Summary, list[Record]]:
    loaded = LoadedCases((CASE, INVALID), (), ("cases.json",))
    with ResultsWriter(tmp_path / "results.ndjson") as writer:
        summary = execute(loaded, targets, Policy(), writer)
    return summary, list(read_results(tmp_path / "results.ndjson"))


def test_a_target_that_skipped_every_case_fails_the_run(tmp_path: Path) -> None:
    """A required target that ran no case (an SDK not installed) makes the run exit 1."""
    summary, _ = _execute(tmp_path, [FakeTarget("a", _conforming), FakeTarget("sdk", _skips)])
    assert summary.exit_code == 1
    assert summary.idle == (
        IdleTarget("sdk", False, "skipped every case: the SDK is not installed"),
    )


def test_an_optional_target_that_skipped_every_case_passes(tmp_path: Path) -> None:
    """An ``optional`` target may run nothing: exit 0, still named, with its install hint."""
    summary, records = _execute(
        tmp_path, [FakeTarget("a", _conforming), OptionalTarget("sdk", _skips)]
    )
    assert summary.exit_code == 0
    (idle,) = summary.idle
    assert (idle.name, idle.optional, idle.hint) == (
        "sdk",
        True,
        "install the fake SDK into .sdk/fake",
    )
    header = records[0]
    assert isinstance(header, Header)
    assert [(t.name, t.optional, t.install_hint) for t in header.targets] == [
        ("a", False, ""),
        ("sdk", True, "install the fake SDK into .sdk/fake"),
    ]


def test_the_results_file_alone_gives_the_verdict_on_idle_targets(tmp_path: Path) -> None:
    """Summarizing the written records gives the run's idle targets and exit code."""
    for targets in (
        [FakeTarget("a", _conforming), FakeTarget("sdk", _skips)],
        [FakeTarget("a", _conforming), OptionalTarget("sdk", _skips)],
    ):
        summary, records = _execute(tmp_path, targets)
        again = summarize(records)
        assert (again.exit_code, again.idle) == (summary.exit_code, summary.idle)


def test_a_target_that_never_started_is_named_as_running_nothing(tmp_path: Path) -> None:
    """A required target that failed to start errors every case and is named idle."""
    summary, _ = _execute(tmp_path, [FakeTarget("a", _conforming), BrokenStart("sdk")])
    assert summary.exit_code == 1
    (idle,) = summary.idle
    assert idle.name == "sdk"
    assert idle.reason.startswith("every case errored: target did not start")


def test_an_optional_target_that_never_started_skips_and_passes(tmp_path: Path) -> None:
    """An optional target that failed to start skips its cases, saying why; the run passes."""
    summary, records = _execute(tmp_path, [FakeTarget("a", _conforming), BrokenOptional("sdk")])
    assert summary.exit_code == 0
    states = {r.outcome.state for r in records if isinstance(r, ResultRecord) and r.target == "sdk"}
    assert states == {"skipped"}
    assert summary.skipped["sdk"].startswith("target did not start")


def test_a_failed_start_puts_the_harness_stderr_on_the_first_error_only(tmp_path: Path) -> None:
    """What a harness printed while failing to start is in the results, once."""
    _, records = _execute(tmp_path, [BrokenStart("sdk")])
    stderr = [r.outcome.stderr for r in records if isinstance(r, ResultRecord)]
    assert stderr == ["Traceback: no module x", ""]


def test_a_harness_that_crashes_on_start_has_its_stderr_in_the_results(tmp_path: Path) -> None:
    """The real client's start-up stderr reaches the first error result of that target."""
    target = HarnessTarget("sdk", fake_harness_command("crash-on-start"))
    _, records = _execute(tmp_path, [target])
    stderr = [r.outcome.stderr for r in records if isinstance(r, ResultRecord)]
    assert ["fake harness: crashing on start" in text for text in stderr] == [True, False]


def test_a_case_cut_off_by_an_interruption_has_no_records(tmp_path: Path) -> None:
    """``HarnessStopped`` leaves its case unrecorded and the footer marked interrupted."""

    def stopped(case: Case) -> Outcome:
        if case.id == INVALID.id:
            raise HarnessStopped(f"target 'sdk' case {case.id!r}: harness stopped")
        return _conforming(case)

    summary, records = _execute(
        tmp_path, [FakeTarget("a", _conforming), FakeTarget("sdk", stopped)]
    )
    assert [r.id for r in records if isinstance(r, CaseRecord)] == [CASE.id]
    assert {r.case for r in records if isinstance(r, ResultRecord)} == {CASE.id}
    footer = records[-1]
    assert isinstance(footer, Footer)
    assert footer.interrupted
    assert summary.exit_code == 130
