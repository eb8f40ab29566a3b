"""The NDJSON results format: records written and read back are equal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import ResultsError
from conformance.results.records import (
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    ResultRecord,
    TargetInfo,
    from_json,
    read_results,
    to_json,
)

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
