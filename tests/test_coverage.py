"""Probe coverage: per probe class, the cases, models and fields it ran on and what it found."""

from __future__ import annotations

from pathlib import Path

import attrs

from conformance.cli.report import merged
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Severity, Side
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.results.coverage import CoverageCollector, CoverageRow
from conformance.results.reader import from_json, read_results
from conformance.results.records import CaseRecord, Footer, ResultRecord, Status, to_json
from conformance.results.summary import Summary, summarize
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case, LoadedCases
from tests.fakes import FakeTarget
from tests.family_runs import family_run

W = jsonwire.loads
BIG = 9007199254740993
ROUNDED = 9007199254740992
BIG_CLASS = "numbers.2^53+1"
ABSENT_CLASS = "presence.optional-absent"


def _rounds(case: Case) -> Outcome:
    """Accept the payload and write its integers beyond 2^53 back rounded to a double."""
    assert isinstance(case.wire, dict)
    wire = {k: ROUNDED if v == BIG else v for k, v in case.wire.items()}
    return Outcome("accepted", wire=wire, native=wire)


def _rounds_meters(case: Case) -> Outcome:
    """Round like ``_rounds`` in model Meter only; echo the payload elsewhere."""
    if case.model == "Meter":
        return _rounds(case)
    return Outcome("accepted", wire=case.wire, native=case.wire)


def _probe(id_: str, model: str, wire: str, probe: str, path: str) -> Case:
    return Case(id_, model, "response", W(wire), probe=probe, probe_path=path)


#: Three probes of one class on two fields of two models, one that finds nothing, and a
#: generated case (no probe class) that diverges.
CASES = (
    _probe("probe-1", "Usage", f'{{"big":{BIG}}}', BIG_CLASS, "$.big"),
    _probe("probe-2", "Meter", f'{{"big":{BIG}}}', BIG_CLASS, "$.big"),
    _probe("probe-3", "Usage", f'{{"big":{BIG},"note":"x"}}', BIG_CLASS, "$.big"),
    _probe("probe-4", "Usage", '{"n":1}', ABSENT_CLASS, "$.note"),
    Case("generated-1", "Usage", "response", W(f'{{"big":{BIG}}}')),
)
#: The coverage of ``CASES``: sdk-py rounds in every probe-1..3, sdk-node in Meter only (the
#: same divergence as sdk-py's there, so counted once).
TABLE = (
    CoverageRow(BIG_CLASS, 3, 2, 2, 3, 3, {"sdk-node": 1, "sdk-py": 3}),
    CoverageRow(ABSENT_CLASS, 1, 1, 1, 0, 0, {}),
)


def _run(
    path: Path, cases: tuple[Case, ...] = CASES, shard: tuple[int, int] | None = None
) -> Summary:
    targets = [FakeTarget("sdk-py", _rounds), FakeTarget("sdk-node", _rounds_meters)]
    kinds = {"sdk-py": "python-sdk", "sdk-node": "node-sdk"}
    with ResultsWriter(path) as writer:
        return execute(
            LoadedCases(cases, (), ("cases.json",)),
            targets,
            Policy(),
            writer,
            kinds=kinds,
            shard=shard,
        )


def _divergence(severity: Severity, targets: tuple[str, ...] = ("a",)) -> Divergence:
    return Divergence(
        ("big",),
        "value",
        Side(("input",), BIG),
        Side(targets, ROUNDED),
        severity,
    )


def _result(target: str, *divergences: Divergence) -> ResultRecord:
    status: Status = "diverge" if divergences else "pass"
    return ResultRecord("c", target, status, Outcome("accepted", wire={}), divergences)


def _case(probe: str = BIG_CLASS) -> CaseRecord:
    return CaseRecord("c", "Usage", "response", {}, probe=probe, probe_path="$.big")


def test_probe_classes_count_cases_models_fields_and_what_they_found(tmp_path: Path) -> None:
    """Each probe class counts its cases, models, fields, diverging cases and divergences."""
    assert _run(tmp_path / "r.ndjson").coverage == TABLE


def test_cases_without_a_probe_class_make_no_table() -> None:
    """A run without probe cases has no coverage table, however much diverges."""
    assert summarize(family_run()).coverage == ()


def test_a_divergence_every_target_lists_counts_once() -> None:
    """Two targets listing one shared divergence make one divergence and a diverging case each."""
    shared = _divergence("fail", ("a", "b"))
    collector = CoverageCollector()
    collector.add(_case(), [_result("a", shared), _result("b", shared)])
    assert collector.rows() == (CoverageRow(BIG_CLASS, 1, 1, 1, 1, 1, {"a": 1, "b": 1}),)


def test_expected_failures_are_found_and_notes_are_not() -> None:
    """An expected failure counts as found; a note does not."""
    collector = CoverageCollector()
    collector.add(_case("a.expected"), [_result("a", _divergence("expected"))])
    collector.add(_case("b.note"), [_result("a", _divergence("note"))])
    assert collector.rows() == (
        CoverageRow("a.expected", 1, 1, 1, 1, 1, {"a": 1}),
        CoverageRow("b.note", 1, 1, 1, 0, 0, {}),
    )


def test_the_footer_carries_the_table(tmp_path: Path) -> None:
    """The run's footer holds the coverage table, and reads back equal."""
    path = tmp_path / "r.ndjson"
    _run(path)
    (footer,) = [r for r in read_results(path) if isinstance(r, Footer)]
    assert footer.coverage == TABLE


def test_a_run_without_probes_writes_no_coverage_key(tmp_path: Path) -> None:
    """Without probe cases the footer is written as before: no ``coverage`` key at all."""
    path = tmp_path / "r.ndjson"
    _run(path, CASES[-1:])
    footer = path.read_text("utf-8").splitlines()[-1]
    assert '"record":"footer"' in footer
    assert "coverage" not in footer


def test_a_footer_with_coverage_survives_a_write_and_read() -> None:
    """A footer's coverage rows are written and read back equal."""
    totals = {"pass": 1, "diverge": 0, "error": 0, "skipped": 0}
    footer = Footer(totals, "2026-01-01T00:00:09+00:00", 1.0, 0, coverage=TABLE)
    assert from_json(to_json(footer)) == footer


def test_merged_shards_give_the_table_of_one_run(tmp_path: Path) -> None:
    """The shards of a run, merged as ``conformance report`` merges them, give the whole table."""
    shards = [tmp_path / "1.ndjson", tmp_path / "2.ndjson"]
    parts = [_run(path, shard=(n, 2)).coverage for n, path in enumerate(shards, 1)]
    assert TABLE not in parts  # each shard holds only part of the probes
    assert summarize(merged(shards)).coverage == TABLE


def test_what_the_base_payload_diverges_in_elsewhere_is_not_the_probes() -> None:
    """A divergence beside the probed object counts for no class; one at the probe, in its
    object or above it (an ``accept`` at ``$``) counts."""
    collector = CoverageCollector()
    case = CaseRecord("c", "Usage", "response", {}, probe=BIG_CLASS, probe_path="$.usage.big")

    def at(*path: str | int) -> Divergence:
        return attrs.evolve(_divergence("fail"), path=path)

    collector.add(case, [_result("a", at("other", "x"), at("usage", "small"), at())])
    (row,) = collector.rows()
    assert (row.diverging, row.divergences) == (1, 2)
