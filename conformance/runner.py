"""Runs cases through targets, judges the outcomes, and streams the records out.

For each case every target gives an outcome; outcomes are grouped into classes
that agree exactly (N-way, no target is assumed right), and each class is
compared once with the case's expectation: a valid payload must be accepted
and written back unchanged (the ``input`` side of each divergence), an invalid
one (``valid: false``) must be rejected. Each target's native view is checked
against its naming convention. The policy then marks each divergence ``fail``
or ``note``; the expected-failures baseline turns listed failures into
``expected``, and its entries that matched nothing are written as ``stale``.
Records go to the writer as they are made, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from conformance import __version__, jsonwire
from conformance.cases import Case, LoadedCases
from conformance.compare import accept_divergence, diff, group
from conformance.divergence import Divergence
from conformance.exceptions import ConformanceError
from conformance.expected import Baseline
from conformance.namecheck import naming_divergences
from conformance.naming import get_convention
from conformance.outcome import Implementation, Outcome
from conformance.policy import Policy
from conformance.results import (
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    ResultsWriter,
    StaleRecord,
    Status,
    TargetInfo,
)
from conformance.schema import JsonValue, Schema
from conformance.summary import Summary, SummaryBuilder
from conformance.targets import Target

__all__ = ["INPUT", "execute", "finish", "judge", "now"]

#: The name of the expectation side of a divergence: the case's own payload and verdict.
INPUT = "input"


def judge(
    case: Case,
    outcomes: Sequence[tuple[str, Outcome]],
    policy: Policy,
    schema: Schema | None = None,
    conventions: Mapping[str, str | None] | None = None,
    baseline: Baseline | None = None,
) -> list[ResultRecord]:
    """The result records of one case from every target's outcome."""
    ran = [(name, o) for name, o in outcomes if o.ran]
    classes = group(
        ran, key=lambda o: (o.state, jsonwire.canonical(o.wire) if o.accepted else None)
    )
    verdicts: dict[str, tuple[tuple[str, ...], list[Divergence]]] = {}
    for names, outcome in classes:
        found = _expectation(case, names, outcome)
        for name in names:
            verdicts[name] = (names, found)
    records = []
    for name, outcome in outcomes:
        if not outcome.ran:
            records.append(
                ResultRecord(
                    case.id, name, "error" if outcome.state == "error" else "skipped", outcome
                )
            )
            continue
        if baseline is not None:
            baseline.observe(case.id, name)
        names, found = verdicts[name]
        convention = (conventions or {}).get(name)
        if schema is not None and convention and outcome.accepted:
            found = found + naming_divergences(
                schema, case.model, outcome.native, get_convention(convention), name
            )
        judged = policy.judge_all(found)
        if baseline is not None:
            judged = baseline.judge(case.id, judged)
        severities = {d.severity for d in judged}
        status: Status = "pass"
        if "fail" in severities:
            status = "diverge"
        elif "expected" in severities:
            status = "expected"
        records.append(ResultRecord(case.id, name, status, outcome, tuple(judged), names))
    return records


def _expectation(case: Case, names: tuple[str, ...], outcome: Outcome) -> list[Divergence]:
    """How one class of agreeing outcomes differs from what the case expects."""
    if case.valid and outcome.accepted:
        return diff(case.wire, outcome.wire, (INPUT,), names)
    if case.valid != outcome.accepted:
        return [accept_divergence(case.valid, (INPUT,), names, outcome.error)]
    return []


def now() -> str:
    """The current UTC time, as results records write it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def execute(
    loaded: LoadedCases,
    targets: Sequence[Target],
    policy: Policy,
    writer: ResultsWriter,
    *,
    schema: Schema | None = None,
    config: Mapping[str, JsonValue] | None = None,
    kinds: Mapping[str, str] | None = None,
    baseline: Baseline | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Run every loaded case through every target and write the results."""
    began = time.perf_counter()
    summary = SummaryBuilder()
    implementations: dict[str, Implementation | None] = {}
    broken: dict[str, str] = {}
    for target in targets:
        try:
            implementations[target.name] = target.start()
        except ConformanceError as error:
            implementations[target.name] = None
            broken[target.name] = f"target did not start: {error}"
    conventions = {t.name: t.convention for t in targets}
    header = Header(
        tool="conformance",
        version=__version__,
        started=now(),
        targets=tuple(
            TargetInfo(
                t.name, (kinds or {}).get(t.name, "target"), t.convention, implementations[t.name]
            )
            for t in targets
        ),
        config=dict(config or {}),
    )

    def emit(record: Record) -> None:
        writer.write(record)
        summary.add(record)

    emit(header)
    for problem in loaded.errors:
        emit(ProblemRecord.of(problem))
    try:
        for done, case in enumerate(loaded.cases, 1):
            outcomes = [(t.name, _run_one(t, case, broken)) for t in targets]
            emit(
                CaseRecord(
                    case.id,
                    case.model,
                    case.direction,
                    case.wire,
                    case.valid,
                    case.description,
                    case.source,
                )
            )
            for record in judge(case, outcomes, policy, schema, conventions, baseline):
                emit(record)
            if progress is not None:
                progress(done)
    finally:
        for target in targets:
            target.close()
    for entry in baseline.stale if baseline is not None else ():
        emit(
            StaleRecord(entry.case, entry.kind, entry.path, entry.reason, entry.targets, entry.link)
        )
    return finish(summary, writer, began)


def finish(summary: SummaryBuilder, writer: ResultsWriter, began: float) -> Summary:
    """Write the footer (totals so far, exit code) and return the final summary."""
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
    )
    writer.write(footer)
    summary.add(footer)
    return summary.build()


def _run_one(target: Target, case: Case, broken: Mapping[str, str]) -> Outcome:
    reason = broken.get(target.name)
    if reason is not None:
        return Outcome("error", error=reason)
    try:
        return target.run(case)
    except ConformanceError as error:
        return Outcome("error", error=str(error))
    except Exception as error:  # one case's failure must not stop the run
        return Outcome("error", error=f"internal error in target {target.name!r}: {error!r}")


def stream(records: Iterable[Record]) -> Summary:
    """The summary of records read back from results files."""
    builder = SummaryBuilder()
    for record in records:
        builder.add(record)
    return builder.build()
