"""Results written compactly (``results.compact``) read back as the very records written."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.comparison.compare import diff
from conformance.comparison.policy import Policy
from conformance.core import jsonwire, resources
from conformance.core.conventions import CONVENTIONS
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Outcome
from conformance.exceptions import ResultsError
from conformance.results.copies import renamed, same_renamed
from conformance.results.reader import from_json, read_results, records_tagged
from conformance.results.records import (
    CaseRecord,
    Header,
    Record,
    ResultRecord,
    TargetInfo,
    to_json,
)
from conformance.results.writer import ResultsWriter
from tests.strategies import json_values

HEADER = Header(
    "conformance",
    "0.1.0",
    "2026-01-01T00:00:00+00:00",
    (
        TargetInfo("py", "target", "python"),
        TargetInfo("ts", "target", "typescript"),
        TargetInfo("other", "target", "typescript"),
    ),
)
PAYLOAD: Any = {
    "id": "x",
    "created_at": 1718000000,
    "choices": [{"finish_reason": "stop", "index": 0}, {"finish_reason": "length", "index": 1}],
    "usage": {"total_tokens": 207, "prompt_tokens": 87},
}
#: What an SDK that writes integers as floats and its own key order makes of ``PAYLOAD``.
FLOATS: Any = {
    "created_at": Decimal("1718000000.0"),
    "id": "x",
    "choices": [
        {"finish_reason": "stop", "index": Decimal("0.0")},
        {"finish_reason": "length", "index": Decimal("1.0")},
    ],
    "usage": {"prompt_tokens": Decimal("87.0"), "total_tokens": Decimal("207.0")},
}


def judged(payload: Any, wire: Any, target: str) -> tuple[Divergence, ...]:
    """The divergences the comparison and the built-in policy find from input to ``wire``."""
    return tuple(Policy().judge_all(diff(payload, wire, ("input",), (target,))))


def round_trip(path: Path, records: list[Record]) -> tuple[list[Record], list[str]]:
    """The records the writer says it wrote, and the lines of the file."""
    with ResultsWriter(path) as writer:
        written = [writer.write(record) for record in records]
    return written, path.read_text("utf-8").splitlines()


def same_tokens(left: list[Record], right: list[Record]) -> bool:
    """Equal, number tokens (0 vs 0.0) and key order included."""
    return [to_json(r) for r in left] == [to_json(r) for r in right]


def test_an_sdk_with_number_format_and_order_notes_is_written_short_and_read_back_whole(
    tmp_path: Path,
) -> None:
    """An SDK's notes are written as arrays and its wire as the payload with them applied."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    notes = judged(PAYLOAD, FLOATS, "py")
    assert {d.kind for d in notes} == {"number-format", "order"}
    result = ResultRecord("c", "py", "pass", Outcome("accepted", FLOATS, FLOATS), notes, ("py",))
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, result])
    line = json.loads(lines[2])
    assert line["outcome"] == {
        "state": "accepted",
        "seconds": 0.0,
        "wire_from_input": True,
        "native_as_wire": True,
    }
    assert all(isinstance(each, list) for each in line["divergences"])
    assert "reason" not in lines[2]
    assert written == [HEADER, case, result]
    again = list(read_results(tmp_path / "r.ndjson"))
    assert again == written
    assert same_tokens(again, written)


def test_a_typescript_native_is_rebuilt_from_the_wire_or_the_payload(tmp_path: Path) -> None:
    """A native view that is the wire (or, with no wire, the payload) in camelCase is left out."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    camel = {
        "id": "x",
        "createdAt": 1718000000,
        "choices": [{"finishReason": "stop", "index": 0}, {"finishReason": "length", "index": 1}],
        "usage": {"totalTokens": 207, "promptTokens": 87},
    }
    from_wire = ResultRecord("c", "ts", "pass", Outcome("accepted", PAYLOAD, camel))
    from_input = ResultRecord("c", "other", "pass", Outcome("accepted", None, camel, written=False))
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, from_wire, from_input])
    assert json.loads(lines[2])["outcome"]["native_renamed"] == "wire"
    assert json.loads(lines[3])["outcome"]["native_renamed"] == "input"
    assert "createdAt" not in lines[2] + lines[3]
    assert (
        list(read_results(tmp_path / "r.ndjson"))
        == written
        == [HEADER, case, from_wire, from_input]
    )


def test_an_sdk_that_keeps_one_key_unrenamed_keeps_its_native_in_full(tmp_path: Path) -> None:
    """A native view the convention does not rebuild exactly (one key left as on the wire) is
    written out."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    mixed = {
        "id": "x",
        "created_at": 1718000000,
        "choices": [{"finishReason": "stop", "index": 0}, {"finishReason": "length", "index": 1}],
        "usage": {"totalTokens": 207, "promptTokens": 87},
    }
    result = ResultRecord("c", "ts", "pass", Outcome("accepted", PAYLOAD, mixed))
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, result])
    assert "native_renamed" not in lines[2]
    assert '"created_at":1718000000' in lines[2]
    assert list(read_results(tmp_path / "r.ndjson")) == written == [HEADER, case, result]


def test_a_note_whose_detail_was_made_elsewhere_stays_in_full(tmp_path: Path) -> None:
    """A note with another detail or reason than the comparison and built-in policy give is
    written as an object, and the wire is still rebuilt from the notes."""
    case = CaseRecord("c", "M", "response", {"a": 0, "b": 1})
    wire = {"a": Decimal("0.0"), "b": Decimal("1.0")}
    first, second = judged(case.wire, wire, "py")
    own_detail = evolve(first, detail="zero as a float")
    own_reason = second.with_severity("note", "our project's rule")
    result = ResultRecord(
        "c", "py", "pass", Outcome("accepted", wire, wire), (own_detail, own_reason)
    )
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, result])
    line = json.loads(lines[2])
    assert [type(each) for each in line["divergences"]] == [dict, dict]
    assert line["outcome"]["wire_from_input"] is True
    assert list(read_results(tmp_path / "r.ndjson")) == written == [HEADER, case, result]


def test_notes_in_nested_arrays_and_between_failing_divergences_keep_their_order(
    tmp_path: Path,
) -> None:
    """Notes inside arrays of arrays, with a failing divergence between them and sides that
    are not the usual ones, read back in their order."""
    payload = {"grid": [[0, 1], [2, [3, {"b": 1, "a": 2}]]], "name": "n"}
    wire = {
        "grid": [[Decimal("0.0"), 1], [2, [Decimal("3.0"), {"a": 2, "b": 1}]]],
        "name": "m",
    }
    found = judged(payload, wire, "ts")
    assert [d.kind for d in found] == ["number-format", "number-format", "order", "value"]
    shared = tuple(
        evolve(d, right=Side(("ts", "other"), d.right.value)) if d.kind == "order" else d
        for d in found
    )
    case = CaseRecord("c", "M", "response", payload)
    result = ResultRecord("c", "ts", "diverge", Outcome("accepted", wire, None), shared)
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, result])
    line = json.loads(lines[2])
    assert [type(each) for each in line["divergences"]] == [list, list, list, list]
    assert line["outcome"]["wire_from_input"] is True
    assert list(read_results(tmp_path / "r.ndjson")) == written == [HEADER, case, result]


def test_short_lines_are_valid_under_the_full_results_schema(tmp_path: Path) -> None:
    """Every form of short divergence and every leave-out flag the writer uses is one the
    results schema describes (the fast check cannot check array items one by one)."""
    payload = {"grid": [[0, 1], [2, [3, {"b": 1, "a": 2}]]], "name": "n"}
    wire = {"grid": [[Decimal("0.0"), 1], [2, [Decimal("3.0"), {"a": 2, "b": 1}]]], "name": "n"}
    found = judged(payload, wire, "py")
    other = tuple(evolve(d, left=Side(("ts",), d.left.value)) for d in found)
    case = CaseRecord("c", "M", "response", payload)
    records: list[Record] = [
        HEADER,
        case,
        ResultRecord("c", "py", "pass", Outcome("accepted", wire, wire), found),
        ResultRecord("c", "other", "pass", Outcome("accepted", wire, None), other),
        ResultRecord("c", "ts", "pass", Outcome("accepted", None, payload, written=False)),
    ]
    _, lines = round_trip(tmp_path / "r.ndjson", records)
    assert "[1,[1],1,1.0]" not in lines[2]  # the same number written the same way is no note
    assert '"divergences":[[["grid",0,0],"number-format",0,0.0],[1,[1,1,0],3,3.0]' in lines[2]
    assert '["ts"],["py"]' in lines[3]
    assert '"native_renamed":"input"' in lines[4]
    validator = resources.validator("results")
    for line in lines:
        assert list(validator.iter_errors(jsonwire.loads(line))) == []


def test_a_result_without_its_case_before_it_keeps_its_wire(tmp_path: Path) -> None:
    """A result whose case record is not the one before it is written with its wire and
    native, and read back equal."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    other = CaseRecord("d", "M", "response", PAYLOAD)
    notes = judged(PAYLOAD, FLOATS, "py")
    result = ResultRecord("c", "py", "pass", Outcome("accepted", FLOATS, FLOATS), notes)
    written, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, other, result])
    assert "wire_from_input" not in lines[3]
    assert '"created_at":1718000000.0' in lines[3]
    assert list(read_results(tmp_path / "r.ndjson")) == written == [HEADER, case, other, result]


def test_a_result_read_alone_has_its_notes_but_not_what_needs_its_case(tmp_path: Path) -> None:
    """``from_json`` reads a result line's short notes whole; its wire and native, left out,
    are None; ``records_tagged`` reads results with their case and header."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    notes = judged(PAYLOAD, FLOATS, "py")
    result = ResultRecord("c", "py", "pass", Outcome("accepted", FLOATS, FLOATS), notes)
    _, lines = round_trip(tmp_path / "r.ndjson", [HEADER, case, result])
    alone = from_json(lines[2])
    assert alone == evolve(result, outcome=Outcome("accepted"))
    assert list(records_tagged(tmp_path / "r.ndjson", "result")) == [result]


def test_a_file_of_the_older_format_still_reads(tmp_path: Path) -> None:
    """Lines with full divergences, empty defaults written out and the first leave-out flags
    read as they always did."""
    path = tmp_path / "old.ndjson"
    note = {
        "path": ["a"],
        "kind": "number-format",
        "left": {"targets": ["input"], "value": 0, "present": True},
        "right": {"targets": ["x"], "value": 0.0, "present": True},
        "severity": "note",
        "detail": "0 vs 0.0",
        "reason": "r",
    }
    case = {"id": "c", "model": "M", "direction": "response", "wire": {"a": 0}, "valid": True}
    outcome = {"state": "accepted", "error": "", "warnings": [], "stderr": "", "seconds": 0.5}
    lines = [
        {**case, "description": "", "source": "", "record": "case"},
        {
            "case": "c",
            "target": "x",
            "status": "pass",
            "outcome": {**outcome, "wire": {"a": 0.0}, "native_as_wire": True},
            "divergences": [note],
            "group": ["x"],
            "record": "result",
        },
        {
            "case": "c",
            "target": "y",
            "status": "pass",
            "outcome": {**outcome, "wire_as_input": True, "native": {"A": 0}},
            "divergences": [],
            "group": ["y"],
            "record": "result",
        },
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    _, first, second = read_results(path)
    assert isinstance(first, ResultRecord)
    assert isinstance(second, ResultRecord)
    assert first.outcome.native == first.outcome.wire == {"a": Decimal("0.0")}
    assert first.divergences[0].reason == "r"
    assert second.outcome.wire == {"a": 0}
    assert second.outcome.native == {"A": 0}


@pytest.mark.parametrize(
    "short",
    [
        pytest.param([["a"], 0, 1], id="continuation-first"),
        pytest.param([["a"], "number-format", 0, 1], id="not-rebuilt-as-that-kind"),
        pytest.param([["a"], "bogus", 0, 1], id="unknown-kind"),
        pytest.param([[{}], "value", 0, 1], id="bad-path"),
        pytest.param([[], "order", ["a", "b"], [1, 1]], id="bad-positions"),
        pytest.param([["a"], "value", 0, 1, ["x"]], id="five-items"),
    ],
)
def test_a_short_divergence_that_cannot_be_rebuilt_is_a_results_error(short: list[Any]) -> None:
    """A short divergence the reader cannot rebuild exactly is refused with file and line."""
    line = {
        "case": "c",
        "target": "x",
        "status": "diverge",
        "outcome": {"state": "accepted"},
        "divergences": [short],
        "record": "result",
    }
    with pytest.raises(ResultsError) as caught:
        from_json(json.dumps(line), "r.ndjson", 9)
    assert (caught.value.file, caught.value.line) == ("r.ndjson", 9)


def test_seconds_are_written_to_the_microsecond(tmp_path: Path) -> None:
    """A result's seconds are written, and returned by the writer, to the microsecond."""
    result = ResultRecord("c", "x", "pass", Outcome("accepted", seconds=0.0631993090009928))
    written, _ = round_trip(tmp_path / "r.ndjson", [result])
    assert written == [evolve(result, outcome=Outcome("accepted", seconds=0.063199))]
    assert list(read_results(tmp_path / "r.ndjson")) == written


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.text(max_size=4),
)
keys = st.sampled_from(["a", "b_c", "d_e_f", "gh", "ij_k"])
payloads = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=10,
)


def _sdk_output(value: Any, draw: st.DrawFn) -> Any:
    """What an SDK might write for ``value``: some integers as floats, some objects reordered,
    some strings changed."""
    if isinstance(value, dict):
        items = [(key, _sdk_output(item, draw)) for key, item in value.items()]
        return dict(draw(st.permutations(items)))
    if isinstance(value, list):
        return [_sdk_output(item, draw) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and draw(st.booleans()):
        return Decimal(f"{value}.0")
    if isinstance(value, str) and draw(st.booleans()):
        return value + "!"
    return value


@st.composite
def runs(draw: st.DrawFn) -> tuple[CaseRecord, ResultRecord, ResultRecord]:
    """A case, one SDK's result judged against it, and a camelCase SDK's result."""
    payload = draw(payloads)
    wire = _sdk_output(payload, draw)
    found = judged(payload, wire, "py")
    py = ResultRecord("c", "py", "diverge", Outcome("accepted", wire, wire), found)
    native = jsonwire.loads(jsonwire.dumps(payload).replace('"b_c"', '"bC"'))
    ts = ResultRecord("c", "ts", "pass", Outcome("accepted", payload, native))
    return CaseRecord("c", "M", "response", payload), py, ts


@settings(max_examples=120, deadline=None)
@given(runs())
def test_any_written_run_reads_back_exactly(
    run: tuple[CaseRecord, ResultRecord, ResultRecord],
) -> None:
    """Whatever the writer leaves out, a reader gets back the records it wrote, number tokens
    and key orders included."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.ndjson"
        written, _ = round_trip(path, [HEADER, *run])
        again = list(read_results(path))
    assert again == written == [HEADER, *run]
    assert same_tokens(again, written)


@st.composite
def native_views(draw: st.DrawFn) -> tuple[Any, Any]:
    """A payload and a view of it: its camelCase renaming, or that with one change in it."""
    payload = draw(json_values(max_leaves=10))
    view = renamed(payload, CONVENTIONS["typescript"])
    if draw(st.booleans()):
        view = jsonwire.loads(draw(st.sampled_from(["0", "0.0", '"x"', "{}", "[]"])))
    elif draw(st.booleans()):
        view = _sdk_output(view, draw)
    return payload, view


@settings(max_examples=300, deadline=None)
@given(native_views())
def test_a_native_view_is_found_renamed_exactly_when_the_renamed_copy_is_the_same(
    views: tuple[Any, Any],
) -> None:
    """The one-walk check that a native view is its payload renamed answers as building the
    renamed copy and comparing it exactly does, keys that rename alike included."""
    payload, view = views
    typescript = CONVENTIONS["typescript"]
    found = same_renamed(view, payload, typescript)
    assert found == jsonwire.same(view, renamed(payload, typescript))
