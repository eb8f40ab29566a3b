"""Reading result lines: each is built as the record converter would build it, and, read for
a report (``natives=False``), a native view the file holds as a renaming is left as a recipe
(``ResultRecord.native_from``) that rebuilds exactly what a full read rebuilds."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core import jsonwire, resources
from conformance.core.conventions import CONVENTIONS
from conformance.core.outcome import Outcome
from conformance.exceptions import ResultsError
from conformance.results.complete import read_complete
from conformance.results.copies import renamed
from conformance.results.reader import (
    LineReader,
    _case,
    _result,
    from_json,
    payload_text,
    read_results,
)
from conformance.results.records import (
    CaseRecord,
    Footer,
    Header,
    ResultRecord,
    TargetInfo,
    record_converter,
    to_json,
)
from conformance.results.writer import ResultsWriter

HEADER = Header(
    "conformance",
    "0.1.0",
    "2026-01-01T00:00:00+00:00",
    (TargetInfo("py", "target", "python"), TargetInfo("ts", "target", "typescript")),
)
PAYLOAD: Any = jsonwire.loads(
    '{"user_name":"a","items":[{"item_id":1,"sub":{"deep_key":null}}],"total":0.0}'
)
CAMEL = renamed(PAYLOAD, CONVENTIONS["typescript"])


def written(path: Path) -> Path:
    """A file with a native view left out as the wire renamed, and one as the input renamed."""
    case = CaseRecord("c", "M", "response", PAYLOAD)
    records = [
        HEADER,
        case,
        ResultRecord("c", "py", "pass", Outcome("accepted", PAYLOAD, PAYLOAD)),
        ResultRecord("c", "ts", "pass", Outcome("accepted", PAYLOAD, CAMEL)),
        CaseRecord("d", "M", "response", PAYLOAD),
        ResultRecord("d", "py", "pass", Outcome("accepted", PAYLOAD, PAYLOAD)),
        ResultRecord("d", "ts", "pass", Outcome("accepted", None, CAMEL, written=False)),
        Footer(
            {"pass": 4, "diverge": 0, "error": 0, "skipped": 0}, "2026-01-01T00:00:01+00:00", 1.0, 0
        ),
    ]
    with ResultsWriter(path) as writer:
        writer.write_all(records)
    text = path.read_text()
    assert '"native_renamed":"wire"' in text
    assert '"native_renamed":"input"' in text
    return path


def test_a_report_read_leaves_renamed_natives_as_recipes(tmp_path: Path) -> None:
    """Without natives, a renamed native is None and ``native_from`` names its source and
    convention; the other records are those a full read gives."""
    path = written(tmp_path / "r.ndjson")
    full = list(read_results(path))
    lazy = list(read_complete(path, natives=False))
    recipes = [r.native_from for r in lazy if isinstance(r, ResultRecord)]
    assert recipes == [None, ("wire", "typescript"), None, ("input", "typescript")]
    for whole, light in zip(full, lazy, strict=True):
        if isinstance(light, ResultRecord) and light.native_from is not None:
            assert light.outcome.native is None
            assert isinstance(whole, ResultRecord)
            assert jsonwire.same(whole.outcome.native, CAMEL)
        else:
            assert whole == light


def test_a_recipe_rebuilds_what_a_full_read_rebuilds(tmp_path: Path) -> None:
    """The recipe's source renamed by its convention is exactly the native of a full read."""
    path = written(tmp_path / "r.ndjson")
    cases = {r.id: r for r in read_results(path) if isinstance(r, CaseRecord)}
    full = [r for r in read_results(path) if isinstance(r, ResultRecord)]
    lazy = [r for r in read_complete(path, natives=False) if isinstance(r, ResultRecord)]
    for whole, light in zip(full, lazy, strict=True):
        if light.native_from is None:
            continue
        source, convention = light.native_from
        value = light.outcome.wire if source == "wire" else cases[light.case].wire
        assert jsonwire.same(renamed(value, CONVENTIONS[convention]), whole.outcome.native)


def test_a_recipe_is_never_written_nor_compared(tmp_path: Path) -> None:
    """``native_from`` is the reader's note: equality ignores it and records never carry it."""
    path = written(tmp_path / "r.ndjson")
    lazy = [r for r in read_complete(path, natives=False) if isinstance(r, ResultRecord)]
    noted = next(r for r in lazy if r.native_from is not None)
    assert noted == ResultRecord(
        noted.case, noted.target, noted.status, noted.outcome, noted.divergences, noted.group
    )
    again = tmp_path / "again.ndjson"
    with ResultsWriter(again) as writer:
        writer.write(HEADER)
        writer.write(noted)
    assert "native_from" not in again.read_text()


def test_an_input_renaming_needs_its_case(tmp_path: Path) -> None:
    """A result read without the case record before it has no input to rename: no recipe."""
    lines = written(tmp_path / "r.ndjson").read_text().splitlines()
    reader = LineReader("r.ndjson", natives=False)
    reader.read(lines[0], 1)  # the header only: the case record is not read
    result = reader.read(lines[6], 7)
    assert isinstance(result, ResultRecord)
    assert result.native_from is None
    assert result.outcome.native is None


TEXT = st.text(max_size=4)
PATH = st.lists(TEXT | st.integers(0, 9), max_size=3)
VALUE = st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | TEXT
SIDE = st.fixed_dictionaries(
    {"targets": st.lists(TEXT, max_size=2)},
    optional={"value": VALUE, "present": st.booleans()},
)
DIVERGENCE = st.fixed_dictionaries(
    {
        "path": PATH,
        "kind": st.sampled_from(["missing", "value", "number-format", "order"]),
        "left": SIDE,
        "right": SIDE,
        "severity": st.sampled_from(["fail", "note", "expected"]),
    },
    optional={"detail": TEXT, "reason": TEXT},
)
OUTCOME = st.fixed_dictionaries(
    {"state": st.sampled_from(["accepted", "rejected", "error", "skipped"])},
    optional={
        "wire": VALUE | st.dictionaries(TEXT, VALUE, max_size=2),
        "native": VALUE | st.lists(VALUE, max_size=2),
        "error": TEXT,
        "warnings": st.lists(TEXT, max_size=2),
        "stderr": TEXT,
        "seconds": st.integers(0, 9) | st.decimals(0, 9, places=6),
        "written": st.booleans(),
        "error_path": PATH,
        "undeclared": st.lists(PATH, max_size=2),
        "text": st.none() | TEXT,
    },
)
RESULT = st.fixed_dictionaries(
    {
        "record": st.just("result"),
        "case": TEXT,
        "target": TEXT,
        "status": st.sampled_from(["pass", "diverge", "expected", "error", "skipped"]),
        "outcome": OUTCOME,
    },
    optional={"divergences": st.lists(DIVERGENCE, max_size=2), "group": st.lists(TEXT)},
)


@settings(max_examples=300, deadline=None)
@given(raw=RESULT)
def test_a_result_is_built_as_the_record_converter_builds_it(raw: dict[str, Any]) -> None:
    """Every field of a valid result line, present or left out, ends up in the record as the
    record converter puts it there."""
    resources.fast_check("results")(raw)
    converter = record_converter()
    built = _result(copy.deepcopy(raw), None, converter)
    expected = converter.structure(copy.deepcopy(raw), ResultRecord)
    assert built == expected
    assert jsonwire.same(
        [built.outcome.wire, built.outcome.native, built.outcome.seconds],
        [expected.outcome.wire, expected.outcome.native, expected.outcome.seconds],
    )
    assert type(built.outcome.seconds) is float


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ('{"record":"case","id":"c","model":"M","direction":7,"wire":{}}', "$.direction"),
        (
            '{"record":"result","case":"c","target":"t","status":"bogus",'
            '"outcome":{"state":"accepted","seconds":0.1,"wire_as_input":true}}',
            "$.status",
        ),
        (
            '{"record":"result","case":"c","target":"t","status":"pass",'
            '"outcome":{"state":"accepted","seconds":"0.1","wire_as_input":true}}',
            "$.outcome.seconds",
        ),
        (
            '{"record":"result","case":"c","target":"t","status":"pass",'
            '"outcome":{"state":"accepted","native_renamed":"output"}}',
            "$.outcome.native_renamed",
        ),
    ],
    ids=["case-direction", "result-status", "outcome-seconds", "outcome-flag"],
)
def test_a_malformed_record_is_refused_with_the_path_of_its_bad_value(
    line: str, where: str
) -> None:
    """A line of a known kind that the schema refuses names the file, the line and the path of
    the value at fault, not only the root."""
    with pytest.raises(ResultsError) as refused:
        from_json(line, "r.ndjson", 7)
    message = str(refused.value).splitlines()[0]
    assert message.startswith("r.ndjson:7: not a results record: ")
    assert message.endswith(f" at {where}")


CASE = st.fixed_dictionaries(
    {
        "record": st.just("case"),
        "id": TEXT,
        "model": TEXT,
        "direction": st.sampled_from(["request", "response"]),
        "wire": VALUE | st.dictionaries(TEXT, VALUE, max_size=2),
    },
    optional={
        "valid": st.booleans(),
        "description": TEXT,
        "source": TEXT,
        "wire_text": TEXT,
        "probe": TEXT,
        "probe_path": TEXT,
    },
)


@settings(max_examples=300, deadline=None)
@given(raw=CASE)
def test_a_case_is_built_as_the_record_converter_builds_it(raw: dict[str, Any]) -> None:
    """Every field of a valid case line, present or left out, ends up in the record as the
    record converter puts it there."""
    resources.fast_check("results")(raw)
    built = _case(copy.deepcopy(raw))
    expected = record_converter().structure(copy.deepcopy(raw), CaseRecord)
    assert built == expected
    assert jsonwire.same(built.wire, expected.wire)
    assert built.wire_json is None


def case_line(**changes: Any) -> tuple[str, dict[str, Any]]:
    """A case line as the writer writes it (``changes`` added), and its parsed value."""
    case = CaseRecord("c", "M", "response", PAYLOAD, description="d\u00e9", probe="p")
    line = (
        to_json(case)
        if not changes
        else to_json(case)[:-1]
        + ","
        + ",".join(f"{jsonwire.dumps(k)}:{jsonwire.dumps(v)}" for k, v in changes.items())
        + "}"
    )
    return line + "\n", jsonwire.loads(line)


def test_a_case_line_as_written_gives_its_payload_text() -> None:
    """The payload's text in a line the writer wrote is what ``jsonwire.dumps`` writes."""
    line, raw = case_line()
    assert payload_text(line, raw) == jsonwire.dumps(PAYLOAD)
    assert payload_text(line.rstrip("\n"), raw) == jsonwire.dumps(PAYLOAD)


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line.replace('{"id":"c",', '{ "id":"c",'),  # not compact
        lambda line: line.replace('"model":"M"', '"model":"\\u004d"'),  # another escape
        lambda line: line.replace('"a"', '"\u00e9"'),  # not ASCII
    ],
    ids=["space-before", "escaped-member", "raw-unicode"],
)
def test_a_case_line_written_otherwise_gives_no_payload_text(edit: Any) -> None:
    """A line whose text is not the writer's around its payload, or not ASCII, gives no text
    (the report writes the payload again)."""
    line, _ = case_line()
    changed = edit(line)
    assert changed != line
    assert payload_text(changed, jsonwire.loads(changed)) is None


def test_a_payload_written_otherwise_is_taken_as_written() -> None:
    """Spaces or another token of the same number inside a payload are kept as the line has
    them: the text is of the same value, token for token."""
    line, _ = case_line()
    changed = line.replace('"wire":{', '"wire": {').replace(":1,", ": 1,")
    raw = jsonwire.loads(changed)
    found = payload_text(changed, raw)
    assert found is not None
    assert found.startswith(' {"user_name"')
    assert jsonwire.same(jsonwire.loads(found), raw["wire"])


@pytest.mark.parametrize(
    "doubled",
    [
        pytest.param(
            lambda line: line.replace('"wire":', '"wire":[1],"wire":', 1), id="wire-before"
        ),
        pytest.param(lambda line: line[:-2] + ',"probe":"q"}\n', id="key-after-wire"),
    ],
)
def test_a_line_that_repeats_a_key_gives_no_payload_text(doubled: Any) -> None:
    """A line with a key twice (the later counts) holds more than its payload where the
    payload's text would be: none is taken, and the payload is written as parsed."""
    line = doubled(case_line()[0])
    raw = jsonwire.loads(line)
    assert raw["wire"] == PAYLOAD
    assert payload_text(line, raw) is None


def test_a_payload_text_is_never_written_nor_compared(tmp_path: Path) -> None:
    """A case read for a report carries its payload's text, which no line holds and equality
    ignores; read otherwise, it has none."""
    path = written(tmp_path / "r.ndjson")
    for_report = [r for r in read_complete(path, natives=False) if isinstance(r, CaseRecord)]
    full = [r for r in read_complete(path) if isinstance(r, CaseRecord)]
    assert [c.wire_json for c in for_report] == [jsonwire.dumps(PAYLOAD)] * 2
    assert [c.wire_json for c in full] == [None, None]
    assert for_report == full
    assert "wire_json" not in to_json(for_report[0])
