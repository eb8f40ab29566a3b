"""Runs with root-cause families: records as `conformance run` writes them, findings included.

``with_findings`` folds the cases of a run's records through the real family
collector (``results.families``) and puts its finding records before the footer,
where the runner writes them.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import result_records
from conformance.results.families import FamilyCollector
from conformance.results.records import (
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    Record,
    ResultRecord,
    TargetInfo,
)
from conformance.sources.cases import Case

W = jsonwire.loads
#: The targets of ``family_run``: two SDKs and the reference.
TARGETS = {"orq-python": "python-sdk", "orq-node": "node-sdk", "reference-python": "reference"}


def with_findings(records: Sequence[Record]) -> list[Record]:
    """``records`` with the finding records of their cases before the footer (or at the end)."""
    kinds = {t.name: t.kind for r in records if isinstance(r, Header) for t in r.targets}
    collector = FamilyCollector(None, kinds)
    case: CaseRecord | None = None
    results: list[ResultRecord] = []
    for record in records:
        if isinstance(record, ResultRecord):
            results.append(record)
            continue
        if case is not None and results:
            collector.add(case, results)
        results = []
        case = record if isinstance(record, CaseRecord) else None
    if case is not None and results:
        collector.add(case, results)
    findings: list[Record] = list(collector.records())
    out = [r for r in records if not isinstance(r, Footer)]
    return out + findings + [r for r in records if isinstance(r, Footer)]


def echo(wire: str) -> Outcome:
    """An outcome that accepted the payload and wrote ``wire`` back."""
    return Outcome("accepted", W(wire), W(wire))


def family_run(big: int = 3, prefix: str = "") -> list[Record]:
    """A run in which orq-python rounds big integers in ``big`` cases (two models) and drops
    an unknown key in one, orq-node skips one case, and one case passes everywhere."""
    cases: list[tuple[Case, dict[str, Outcome]]] = []
    for n in range(big):
        wire = '{"big":9007199254740993}'
        cases.append(
            (
                Case(f"{prefix}big-{n}", ("Usage", "Meter")[n % 2], "response", W(wire)),
                {
                    "orq-python": echo('{"big":9007199254740992}'),
                    "orq-node": echo(wire),
                    "reference-python": echo(wire),
                },
            )
        )
    extra = '{"id":"x","surprise":1}'
    cases.append(
        (
            Case(f"{prefix}unknown", "Completion", "response", W(extra)),
            {
                "orq-python": echo('{"id":"x"}'),
                "orq-node": echo(extra),
                "reference-python": echo(extra),
            },
        )
    )
    cases.append(
        (
            Case(f"{prefix}ok", "Usage", "response", W('{"n":1}')),
            {
                "orq-python": echo('{"n":1}'),
                "orq-node": Outcome("skipped", error="not installed"),
                "reference-python": echo('{"n":1}'),
            },
        )
    )
    records: list[Record] = [
        Header(
            "conformance",
            "test",
            "2026-01-01T00:00:00+00:00",
            tuple(TargetInfo(name, kind) for name, kind in TARGETS.items()),
        )
    ]
    for case, outcomes in cases:
        records.append(CaseRecord(case.id, case.model, case.direction, case.wire))
        records += result_records(case, list(outcomes.items()), Policy())
    records.append(Footer({"pass": 0}, "2026-01-01T00:00:09+00:00", 9.0, 1))
    return with_findings(records)


def as_expected(record: FindingRecord) -> FindingRecord:
    """The same family listed in the expected-failures file."""
    return evolve(record, severity="expected")
