"""Judging one case into result records, wherever its outcomes were made.

``--jobs N`` judges in the worker processes that ran the case (the judge is most of
this process's work per case, so judging here would leave the workers waiting on
it); one process judges as another would, from the same ``Judging``. The
expected-failures baseline is the one piece of judging that keeps state across cases
(which entries could have matched, which did): a worker judges with its own copy and
sends what its copy saw back, and the run's baseline absorbs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import frozen

from conformance.comparison.baseline import Baseline
from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core.outcome import Implementation, Outcome
from conformance.results.records import CaseRecord, Record, ResultRecord
from conformance.results.writer import LineEncoder
from conformance.schema import Schema
from conformance.sources.cases import Case

__all__ = [
    "Encoded",
    "Judging",
    "case_record",
    "encoded_records",
    "lenient_targets",
    "result_records",
]

#: Records and their lines as a ``LineEncoder`` wrote them (a case record, then its results).
Encoded = list[tuple[Record, str]]

#: The directions a harness may say its SDK's reader does not check (``<direction>_validates``).
_DIRECTIONS = ("request", "response")


@frozen
class Judging:
    """What judging needs beyond the case and its outcomes (picklable, for workers)."""

    policy: Policy
    baseline: Baseline | None = None


def result_records(
    case: Case,
    outcomes: Sequence[tuple[str, Outcome]],
    policy: Policy,
    schema: Schema | None = None,
    conventions: Mapping[str, str | None] | None = None,
    baseline: Baseline | None = None,
    lenient: Mapping[str, frozenset[str]] | None = None,
) -> list[ResultRecord]:
    """The result records of one case from every target's outcome (``judge``'s verdicts)."""
    verdicts = judge(case, outcomes, policy, schema, conventions, baseline, lenient)
    return [ResultRecord.of(case.id, verdict) for verdict in verdicts]


def case_record(case: Case) -> CaseRecord:
    """The record of a case, as a results file holds it before its results."""
    return CaseRecord(
        case.id,
        case.model,
        case.direction,
        case.wire,
        case.valid,
        case.description,
        case.source,
        case.wire_text,
        case.probe,
        case.probe_path,
    )


def encoded_records(encoder: LineEncoder, case: Case, results: list[ResultRecord]) -> Encoded:
    """A case's record and result records, each with its line, as ``encoder`` writes them."""
    out: Encoded = []
    records: list[Record] = [case_record(case), *results]
    for record in records:
        written, chunks = encoder.encode(record)
        out.append((written, "".join(chunks)))
    return out


def lenient_targets(
    implementations: Mapping[str, Implementation | None],
) -> dict[str, frozenset[str]]:
    """Each target whose SDK reads without validating, and in which directions (its harness's
    ``response_validates`` / ``request_validates`` details say so at start)."""
    found = {}
    for name, implementation in implementations.items():
        if implementation is None:
            continue
        directions = frozenset(
            d for d in _DIRECTIONS if implementation.details.get(f"{d}_validates") is False
        )
        if directions:
            found[name] = directions
    return found
