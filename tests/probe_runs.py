"""A run with systematic probe cases: records as `conformance run --probes` writes them.

``probe_run`` has two probe classes (one finds a rounding SDK, one finds nothing) and one
generated case; ``PROBE_TABLE`` is its coverage table.
"""

from __future__ import annotations

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.engine.runner import result_records
from conformance.results.records import CaseRecord, CoverageRow, Footer, Header, Record, TargetInfo
from conformance.sources.cases import Case
from tests.family_runs import echo, with_findings

BIG = 9007199254740993
BIG_CLASS = "numbers.2^53+1"
ABSENT_CLASS = "presence.optional-absent"
#: The coverage of ``probe_run``: orq-python rounds in both probes of its class.
PROBE_TABLE = (
    CoverageRow(BIG_CLASS, 2, 2, 2, 2, 2, {"orq-python": 2}),
    CoverageRow(ABSENT_CLASS, 1, 1, 1, 0, 0, {}),
)


def probe_run(probe: str = BIG_CLASS) -> list[Record]:
    """Two probes of class ``probe`` (orq-python rounds 2^53 + 1 in both), one probe that
    finds nothing, and a generated case (no probe class) where orq-python rounds too."""
    big, rounded = f'{{"big":{BIG}}}', f'{{"big":{BIG - 1}}}'
    cases = [
        (
            Case(
                "probe-1", "Usage", "response", jsonwire.loads(big), probe=probe, probe_path="$.big"
            ),
            rounded,
        ),
        (
            Case(
                "probe-2", "Meter", "response", jsonwire.loads(big), probe=probe, probe_path="$.big"
            ),
            rounded,
        ),
        (
            Case("probe-3", "Usage", "response", {"n": 1}, probe=ABSENT_CLASS, probe_path="$.note"),
            '{"n":1}',
        ),
        (Case("generated-1", "Usage", "response", jsonwire.loads(big)), rounded),
    ]
    records: list[Record] = [
        Header(
            "conformance",
            "test",
            "2026-01-01T00:00:00+00:00",
            (TargetInfo("orq-python", "python-sdk"), TargetInfo("orq-node", "node-sdk")),
        )
    ]
    for case, written in cases:
        records.append(
            CaseRecord(
                case.id,
                case.model,
                case.direction,
                case.wire,
                probe=case.probe,
                probe_path=case.probe_path,
            )
        )
        wire = jsonwire.dumps(case.wire)
        outcomes = [("orq-python", echo(written)), ("orq-node", echo(wire))]
        records += result_records(case, outcomes, Policy())
    records.append(Footer({"pass": 0}, "2026-01-01T00:00:09+00:00", 9.0, 1))
    return with_findings(records)
