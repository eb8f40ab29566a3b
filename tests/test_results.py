"""The NDJSON results format: records written and read back are equal; result vectors."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import ResultsError
from conformance.results.complete import read_complete
from conformance.results.reader import from_json, read_results
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    TargetInfo,
    to_json,
)
from conformance.results.summary import NO_RESULT, VECTORS, ResultVector, summarize
from conformance.results.writer import ResultsWriter
from tests.family_runs import TARGETS, family_run

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=12,
)
sides = st.builds(Side, st.tuples(st.text(min_size=1)), json_values, st.booleans())
divergences = st.builds(
    Divergence,
    st.tuples(st.one_of(st.text(), st.integers(min_value=0))),
    st.sampled_from(["missing", "extra", "value", "type", "number-format", "accept", "naming"]),
    sides,
    sides,
    st.sampled_from(["fail", "note"]),
    st.text(),
    st.text(),
)
outcomes = st.builds(
    Outcome,
    st.sampled_from(["accepted", "rejected", "error", "skipped"]),
    json_values,
    json_values,
    st.text(),
    st.tuples(st.text()),
    st.text(),
    st.floats(min_value=0, max_value=10),
)
results = st.builds(
    ResultRecord,
    st.text(min_size=1),
    st.text(min_size=1),
    st.sampled_from(["pass", "diverge", "error", "skipped"]),
    outcomes,
    st.lists(divergences, max_size=3).map(tuple),
    st.lists(st.text(min_size=1), max_size=3).map(tuple),
)
cases = st.builds(
    CaseRecord,
    st.text(min_size=1),
    st.text(min_size=1),
    st.sampled_from(["request", "response"]),
    json_values,
    st.booleans(),
    st.text(),
    st.text(),
)


def _same(a: object, b: object) -> bool:
    """Equality that also checks Decimal tokens (1.0 vs 1.00) in records."""
    return to_json(a) == to_json(b)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.one_of(results, cases))
def test_records_survive_a_write_and_read(record: ResultRecord | CaseRecord) -> None:
    """Any result or case record reads back equal, number tokens included."""
    again = from_json(to_json(record))
    assert again == record
    assert _same(again, record)


def test_header_footer_and_problem_survive_a_write_and_read() -> None:
    """The other record kinds read back equal too."""
    records = [
        Header(
            "conformance",
            "0.1.0",
            "2026-01-01T00:00:00+00:00",
            (TargetInfo("a", "reference", "python", Implementation("a", "python", "x", "1")),),
            {"schema": "s.yaml", "n": Decimal("1.50")},
        ),
        ProblemRecord("bad", "fix it", "a.json", 3, 4, "$.tests[0]", "c"),
        Footer({"pass": 1, "diverge": 0, "error": 0, "skipped": 0}, "t", 1.5, 0),
    ]
    for record in records:
        assert from_json(to_json(record)) == record


def test_a_line_that_is_not_a_record_is_reported_with_file_and_line(tmp_path: Path) -> None:
    """Garbage in a results file names the file and line."""
    path = tmp_path / "r.ndjson"
    path.write_text(to_json(ProblemRecord("x")) + "\n" + '{"record": "nope"}\n')
    with pytest.raises(ResultsError) as caught:
        list(read_results(path))
    assert (caught.value.file, caught.value.line) == (str(path), 2)


def test_a_cut_line_is_reported(tmp_path: Path) -> None:
    """A truncated line is reported, not a traceback."""
    path = tmp_path / "r.ndjson"
    path.write_text('{"record": "case", "id": ')
    with pytest.raises(ResultsError, match="not a JSON line"):
        list(read_results(path))


HEADER = Header("conformance", "0.1.0", "t", (TargetInfo("a", "reference"),))
CASE = CaseRecord("c1", "M", "response", {"n": 1})
RESULT = ResultRecord("c1", "a", "pass", Outcome("accepted", wire={"n": 1}))
FOOTER = Footer({"pass": 1, "diverge": 0, "error": 0, "skipped": 0}, "t", 1.0, 0)


def _file(tmp_path: Path, *records: Record) -> Path:
    path = tmp_path / "results.ndjson"
    path.write_text("".join(to_json(r) + "\n" for r in records))
    return path


@pytest.mark.parametrize(
    ("records", "line", "words"),
    [
        pytest.param((), None, "empty: no header", id="empty"),
        pytest.param((HEADER, CASE, RESULT), 3, "no footer after the last record", id="no-footer"),
        pytest.param((CASE, RESULT, FOOTER), 1, "a case record before the header", id="no-header"),
        pytest.param((HEADER, RESULT, CASE, FOOTER), 2, "after no case", id="result-first"),
        pytest.param(
            (HEADER, CASE, RESULT, evolve(CASE, id="c2"), RESULT, FOOTER),
            5,
            "a result of case 'c1' (target 'a') after case 'c2'",
            id="result-of-another-case",
        ),
        pytest.param((HEADER, CASE, FOOTER, RESULT), 4, "after the footer (line 3)", id="footer"),
        pytest.param((HEADER, HEADER, CASE, RESULT, FOOTER), 2, "a second header", id="headers"),
        pytest.param(
            (HEADER, CASE, RESULT, RESULT, FOOTER), 4, "a second result of case", id="twice"
        ),
        pytest.param(
            (HEADER, CASE, evolve(RESULT, target="b"), FOOTER),
            3,
            "target 'b', which the header does not list",
            id="unknown-target",
        ),
    ],
)
def test_a_file_that_is_not_one_whole_run_is_an_error_at_its_line(
    tmp_path: Path, records: tuple[Record, ...], line: int | None, words: str
) -> None:
    """An empty, unfinished or out-of-order results file is named with the line and the fault."""
    path = _file(tmp_path, *records)
    with pytest.raises(ResultsError) as caught:
        list(read_complete(path))
    assert (caught.value.file, caught.value.line) == (str(path), line)
    assert words in caught.value.message


def test_a_whole_run_reads_back_in_full(tmp_path: Path) -> None:
    """A complete file, an interrupted one too, streams every record; problems go anywhere."""
    problem = ProblemRecord("bad", file="x.json")
    interrupted = evolve(FOOTER, interrupted=True)
    records = (HEADER, problem, CASE, RESULT, problem, interrupted)
    assert tuple(read_complete(_file(tmp_path, *records))) == records


def test_a_header_without_the_optional_flag_reads_as_required() -> None:
    """Results written before targets had ``optional`` read back with it false."""
    line = '{"record":"header","tool":"conformance","version":"0","started":"t","config":{},'
    line += '"targets":[{"name":"a","kind":"reference","convention":null}]}'
    header = from_json(line)
    assert isinstance(header, Header)
    assert header.targets == (TargetInfo("a", "reference", None, None, False, ""),)


def test_cases_are_counted_by_their_result_vector_in_header_order() -> None:
    """Each vector holds every target's status in the header's order, its count and first case."""
    summary = summarize(family_run())
    assert summary.vector_targets == tuple(TARGETS)
    assert summary.vectors == (
        ResultVector(("diverge", "pass", "pass"), 4, "big-0"),
        ResultVector(("pass", "skipped", "pass"), 1, "ok"),
    )
    assert summary.other_vectors == 0


def test_merged_shards_add_up_their_vectors() -> None:
    """Two shards' vectors add up, and the example is the smallest case id of either."""
    summary = summarize([*family_run(prefix="b-"), *family_run(big=1, prefix="a-")])
    assert summary.vectors == (
        ResultVector(("diverge", "pass", "pass"), 6, "a-big-0"),
        ResultVector(("pass", "skipped", "pass"), 2, "a-ok"),
    )


def test_a_target_without_a_result_for_a_case_shows_none() -> None:
    """A case with no result from one target has ``NO_RESULT`` in that target's place."""
    ok = Outcome("accepted", {}, {})
    records: list[Record] = [
        Header("conformance", "test", "t0", (TargetInfo("a", "sdk"), TargetInfo("b", "sdk"))),
        CaseRecord("one", "M", "response", {}),
        ResultRecord("one", "b", "pass", ok),
    ]
    assert summarize(records).vectors == (ResultVector((NO_RESULT, "pass"), 1, "one"),)


def test_vectors_past_the_bound_are_counted_as_other() -> None:
    """Past ``VECTORS`` distinct vectors, further cases are counted, not kept."""
    targets = ("a", "b", "c", "d")
    combos = list(itertools.product(STATUSES, repeat=len(targets)))[: VECTORS + 5]
    records: list[Record] = []
    for n, statuses in enumerate(combos):
        records.append(CaseRecord(f"case-{n:03d}", "M", "response", {}))
        records += [
            ResultRecord(f"case-{n:03d}", t, s, Outcome("accepted", {}, {}))
            for t, s in zip(targets, statuses, strict=True)
        ]
    summary = summarize(records)
    assert len(summary.vectors) == VECTORS
    assert summary.other_vectors == 5
    assert sum(v.count for v in summary.vectors) + summary.other_vectors == len(combos)


@pytest.mark.parametrize(
    "line",
    [
        '{"record":"case","id":5,"model":"M","direction":"response","wire":{}}',
        '{"record":"case","id":"c","model":"M","direction":"sideways","wire":{}}',
        '{"record":"nope"}',
    ],
    ids=["id-not-a-string", "unknown-direction", "unknown-record"],
)
def test_a_malformed_record_is_refused_with_its_file_and_line(line: str) -> None:
    """The fast compiled check refuses what the shipped schema refuses, and the error still
    names the file and the line, with the full validator's message."""
    from conformance.exceptions import ResultsError
    from conformance.results.reader import from_json

    with pytest.raises(ResultsError) as refused:
        from_json(line, "r.ndjson", 7)
    assert str(refused.value).startswith("r.ndjson:7: not a results record: ")


def test_an_agreeing_result_is_written_without_copies_of_its_payload_and_read_back_whole(
    tmp_path: Path,
) -> None:
    """A result whose output is exactly its case's payload (and whose native view is exactly
    its output) is written without them, and a reader of the file gets them back; a result
    whose output differs keeps it."""
    payload = {"id": 1, "price": Decimal("1.50"), "tags": ["a"]}
    case = CaseRecord("c1", "Item", "response", payload, True, "")
    agreeing = ResultRecord("c1", "a", "pass", Outcome("accepted", wire=payload, native=payload))
    rounded = {"id": 1, "price": Decimal("1.5"), "tags": ["a"]}
    differing = ResultRecord(
        "c1", "b", "diverge", Outcome("accepted", wire=rounded, native={"Id": 1})
    )
    path = tmp_path / "results.ndjson"
    with ResultsWriter(path) as writer:
        for record in (case, agreeing, differing):
            writer.write(record)
    lines = path.read_text("utf-8").splitlines()
    assert '"wire_as_input":true' in lines[1]
    assert '"native_as_wire":true' in lines[1]
    assert '"price":1.50' not in lines[1]
    assert '"wire_as_input"' not in lines[2]
    assert list(read_results(path)) == [case, agreeing, differing]
