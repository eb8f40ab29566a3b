"""The raw-text layer: exact input text in cases, to SDKs and the reference, compared as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.comparison.compare import diff, text_divergences
from conformance.comparison.judge import INPUT, judge
from conformance.comparison.policy import Policy
from conformance.comparison.text import text_form
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Outcome
from conformance.oracle.models import build_models
from conformance.results.families import FamilyCollector, sentence
from conformance.results.reader import from_json
from conformance.results.records import CaseRecord, ResultRecord, to_json
from conformance.schema import Field, Model, Primitive, Ref, Schema
from conformance.sources.cases import Case, load_cases
from conformance.targets.cross import CrossTarget, Remembered
from conformance.targets.harness import HarnessTarget
from conformance.targets.reference import ReferenceTarget
from conformance.testing import fake_harness_command
from tests.fakes import FakeTarget

SCHEMA = Schema(
    {
        "Reply": Model(
            "Reply",
            (
                Field("name", Primitive("string")),
                Field("usage", Ref("Usage")),
            ),
        ),
        "Usage": Model(
            "Usage",
            (
                Field("details", Ref("Details")),
                Field("billing", Ref("Billing")),
            ),
        ),
        "Details": Model(
            "Details",
            (Field("audio", Primitive("integer")), Field("cached", Primitive("integer"))),
        ),
        "Billing": Model("Billing", (Field("cents", Primitive("integer")),)),
    }
)


def _case_file(folder: Path, *tests: dict[str, object]) -> Path:
    path = folder / "cases.json"
    body = {"model": "Reply", "direction": "response", "tests": list(tests)}
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")
    return path


def _reply(text: str, valid: bool = True) -> Case:
    return Case("c", "Reply", "response", json.loads(text), valid, wire_text=text)


# -- case files ---------------------------------------------------------------------


def test_a_case_file_may_give_the_payload_as_exact_text(tmp_path: Path) -> None:
    """``wire_text`` alone loads: the case's value is what the text reads as, the text kept."""
    text = '{"name": "caf\\u00e9",  "name": "last"}'
    _case_file(tmp_path, {"id": "t", "wire_text": text})
    loaded = load_cases([tmp_path], {"Reply"})
    assert loaded.errors == ()
    (case,) = loaded.cases
    assert (case.wire, case.wire_text) == ({"name": "last"}, text)


def test_when_both_are_given_the_text_wins(tmp_path: Path) -> None:
    """A case with ``wire`` and ``wire_text`` takes its value from the text."""
    _case_file(tmp_path, {"id": "t", "wire": {"name": "a"}, "wire_text": '{"name":"b"}'})
    (case,) = load_cases([tmp_path], {"Reply"}).cases
    assert case.wire == {"name": "b"}


def test_nan_text_on_a_valid_case_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    """A valid case whose text is not JSON is refused, naming file, line, path and the fix."""
    path = _case_file(tmp_path, {"id": "t", "wire_text": '{"name": NaN}'})
    loaded = load_cases([tmp_path], {"Reply"})
    assert loaded.cases == ()
    (error,) = loaded.errors
    line = path.read_text().splitlines().index('      "id": "t",') + 1
    assert (error.file, error.line, error.path, error.case_id) == (
        str(path),
        line,
        "$.tests[0].wire_text",
        "t",
    )
    assert "wire_text is not JSON: NaN is not valid JSON" in error.message
    assert '"valid": false' in error.hint


@pytest.mark.parametrize("text", ['{"name": NaN}', '{"name": Infinity}', '{"name": "cut'])
def test_text_that_is_not_json_loads_on_an_invalid_case_without_a_value(
    tmp_path: Path, text: str
) -> None:
    """An invalid case may send text that is not JSON; its ``wire`` is then None."""
    _case_file(tmp_path, {"id": "t", "wire_text": text, "valid": False})
    loaded = load_cases([tmp_path], {"Reply"})
    assert loaded.errors == ()
    (case,) = loaded.cases
    assert (case.wire, case.wire_text, case.valid) == (None, text, False)


def test_a_case_with_neither_wire_nor_text_is_reported(tmp_path: Path) -> None:
    """A case without a payload is an error that names both ways to give one."""
    _case_file(tmp_path, {"id": "t"})
    (error,) = load_cases([tmp_path], {"Reply"}).errors
    assert "'wire' is a required property" in error.message
    assert "wire_text" in error.message
    assert error.hint == "give the payload as wire (JSON) or wire_text (its exact text)"


# -- targets ------------------------------------------------------------------------


@pytest.fixture
def harness() -> Iterator[HarnessTarget]:
    """The fake harness (it echoes the text it is given as the SDK's output)."""
    target = HarnessTarget("fake", fake_harness_command(), timeout=5.0, start_timeout=10.0)
    target.start()
    yield target
    target.close()


def test_the_harness_client_sends_the_exact_text(harness: HarnessTarget) -> None:
    """The case's text reaches the harness unchanged, and what it wrote is the outcome's text."""
    text = '{ "name" : "caf\\u00e9 \\/ é\\ud800" }'
    case = Case("c", "Echo", "response", {"name": "caf\u00e9 / \u00e9\ud800"}, wire_text=text)
    outcome = harness.run(case)
    assert (outcome.state, outcome.text, outcome.wire) == ("accepted", text, case.wire)


def test_the_harness_client_sends_the_text_alone() -> None:
    """The request carries the payload once: ``wire_text``, the case's text as given."""
    target = HarnessTarget("fake", fake_harness_command("echo-request"), timeout=5.0)
    try:
        target.start()
        text = '{"n": 1, "n": 2}'
        outcome = target.run(Case("c", "Echo", "response", {"n": 2}, wire_text=text))
    finally:
        target.close()
    assert isinstance(outcome.native, dict)
    assert outcome.native["case"] == {
        "id": "c",
        "model": "Echo",
        "direction": "response",
        "wire_text": text,
    }


def test_the_reference_rejects_text_that_is_not_json() -> None:
    """The reference reads the case's text, and refuses NaN as no JSON reader reads it."""
    reference = ReferenceTarget("ref", build_models(SCHEMA))
    case = Case("c", "Reply", "response", None, valid=False, wire_text='{"name": NaN}')
    outcome = reference.run(case)
    assert outcome.state == "rejected"
    assert outcome.error.startswith("the payload text is not JSON: NaN is not valid JSON")


def test_the_reference_reads_the_text_and_writes_no_text() -> None:
    """The reference reads the last of duplicate keys in the text and has no text of its own."""
    reference = ReferenceTarget("ref", build_models(SCHEMA))
    case = Case("c", "Reply", "response", {"name": "a"}, wire_text='{"name":"a","name":"b"}')
    outcome = reference.run(case)
    assert (outcome.state, outcome.wire, outcome.text) == ("accepted", {"name": "b"}, None)


def test_a_cross_target_feeds_the_writers_exact_text_to_the_reader() -> None:
    """B reads the text A wrote, not a re-serialization of its value."""
    seen: list[str | None] = []

    def reads(case: Case) -> Outcome:
        seen.append(case.wire_text)
        return Outcome("accepted", wire=case.wire)

    written = '{"name": "é"}'
    writer = Remembered(
        FakeTarget("a", lambda case: Outcome("accepted", wire={"name": "é"}, text=written))
    )
    pair = CrossTarget(writer, Remembered(FakeTarget("b", reads)))
    outcome = pair.run(_reply('{"name":"\\u00e9"}'))
    assert (outcome.state, seen) == ("accepted", [written])


# -- text divergences -----------------------------------------------------------------


def _text(path: tuple[str | int, ...], left: str, right: str, detail: str) -> Divergence:
    return Divergence(path, "text", Side(("left",), left), Side(("right",), right), detail=detail)


def test_an_escaped_character_written_raw_is_a_text_divergence() -> None:
    """``\\u00e9`` written back as a raw ``é`` is one divergence at the string's path."""
    found = text_divergences('{"name":"caf\\u00e9"}', '{"name":"café"}')
    assert found == [
        _text(("name",), '"caf\\u00e9"', '"café"', 'string "caf\\u00e9" written as "café"')
    ]


def test_keys_are_compared_as_text_too() -> None:
    """A key written with other escapes is a divergence at the member's path."""
    found = text_divergences('{"\\u00e9":1}', '{"é":1}')
    assert found == [_text(("é",), '"\\u00e9"', '"é"', 'key "\\u00e9" written as "é"')]


def test_an_escaped_slash_written_plain_is_a_text_divergence() -> None:
    """``\\/`` written back as ``/`` is found in an array item."""
    found = text_divergences('{"a":[1,"x\\/y"]}', '{"a":[1,"x/y"]}')
    assert found == [_text(("a", 1), '"x\\/y"', '"x/y"', 'string "x\\/y" written as "x/y"')]


def test_other_spacing_is_one_text_divergence_at_the_root() -> None:
    """Spaces after colons and commas are one divergence at ``$``, saying how each side spaces."""
    found = text_divergences('{"a":1,"b":[1,2]}', '{"a": 1, "b": [1, 2]}')
    assert found == [_text((), ":", ": ", "spacing: ':' vs ': '")]


def test_other_indentation_is_a_text_divergence() -> None:
    """Two texts that break lines alike but indent by other units differ in spacing."""
    value = {"a": {"b": 1}}
    found = text_divergences(json.dumps(value, indent=2), json.dumps(value, indent=4))
    assert [(d.path, d.left.value, d.right.value) for d in found] == [
        ((), "indented by '  '", "indented by '    '")
    ]


def test_equal_texts_have_no_text_divergence() -> None:
    """The same text, or the same spacing around less structure, is no divergence."""
    assert text_divergences('{"a":"é"}', '{"a":"é"}') == []
    assert text_divergences('{"a": [1, 2], "b": 1}', '{"a": 1, "b": 1}') == []


def test_a_string_whose_value_changed_is_not_a_text_divergence() -> None:
    """A string that reads as another value is a ``value`` divergence, not reported twice."""
    given, made = '{"a":"\\u00e9"}', '{"a":"e"}'
    assert text_divergences(given, made) == []
    assert [d.kind for d in diff(json.loads(given), json.loads(made))] == ["value"]


def test_text_divergences_stop_at_the_limit() -> None:
    """One habit in many strings is reported a limited number of times."""
    given = json.dumps([f"\u00e9{n}" for n in range(30)])
    made = json.dumps([f"\u00e9{n}" for n in range(30)], ensure_ascii=False)
    assert len(text_divergences(given, made)) == 20


def test_text_is_a_note_by_default() -> None:
    """The default policy reports ``text`` divergences without failing the run."""
    judged = Policy().judge(_text((), ":", ": ", "spacing"))
    assert judged.severity == "note"
    assert "JSON text" in judged.reason


# -- the judge ------------------------------------------------------------------------


def test_the_judge_gives_each_target_its_own_text_divergences() -> None:
    """An SDK that writes raw UTF-8 gets a text note; the reference beside it gets none."""
    case = _reply('{"name":"\\u00e9"}')
    sdk = Outcome("accepted", wire={"name": "é"}, text='{"name":"é"}')
    reference = Outcome("accepted", wire={"name": "é"})
    ref_verdict, sdk_verdict = judge(case, [("ref", reference), ("sdk", sdk)], Policy(), SCHEMA)
    assert (ref_verdict.status, ref_verdict.divergences) == ("pass", ())
    assert sdk_verdict.status == "pass"
    assert sdk_verdict.group == ("ref", "sdk")  # the same values: one class
    assert [
        (d.kind, d.severity, d.left.targets, d.right.targets) for d in sdk_verdict.divergences
    ] == [("text", "note", (INPUT,), ("sdk",))]


def test_an_sdk_that_accepts_an_invalid_payload_and_drops_a_sibling_reports_the_loss() -> None:
    """Accepting a wrong-typed nested value and dropping a sibling object: ``accept`` and
    ``missing`` at the sibling; an unknown key it dropped as well is not reported."""
    given = jsonwire.loads(
        '{"usage": {"details": {"audio": 1.5}, "billing": {"cents": 3}, "unknown": 1}}'
    )
    case = Case("c", "Reply", "response", given, valid=False)
    sdk = Outcome("accepted", wire=jsonwire.loads('{"usage": {"details": {"audio": 1.5}}}'))
    (verdict,) = judge(case, [("sdk", sdk)], Policy(), SCHEMA)
    assert verdict.status == "diverge"
    assert [(d.kind, d.path, d.left.value, d.right.present) for d in verdict.divergences] == [
        ("accept", (), "rejected", True),
        ("missing", ("usage", "billing"), {"cents": 3}, False),
    ]


def test_dropping_only_the_bad_value_is_no_loss_but_dropping_its_valid_sibling_is() -> None:
    """An object that held nothing but the invalid value carries no data when dropped; the
    same object with a valid key beside the bad one does."""
    alone = jsonwire.loads('{"usage": {"details": {"audio": 1.5}}}')
    with_sibling = jsonwire.loads('{"usage": {"details": {"audio": 1.5, "cached": 1}}}')
    dropped = Outcome("accepted", wire=jsonwire.loads('{"usage": {}}'))
    found = []
    for given in (alone, with_sibling):
        case = Case("c", "Reply", "response", given, valid=False)
        (verdict,) = judge(case, [("sdk", dropped)], Policy(), SCHEMA)
        found.append([(d.kind, d.path) for d in verdict.divergences])
    assert found == [
        [("accept", ())],
        [("accept", ()), ("missing", ("usage", "details"))],
    ]


def test_without_a_schema_every_loss_of_an_accepted_invalid_payload_counts() -> None:
    """With no schema to say which keys are declared, every key the output lost is missing."""
    case = Case("c", "Reply", "response", {"a": 1, "b": "x"}, valid=False)
    (verdict,) = judge(case, [("sdk", Outcome("accepted", wire={"a": 1}))], Policy())
    assert [(d.kind, d.path) for d in verdict.divergences] == [("accept", ()), ("missing", ("b",))]


def test_the_outcomes_text_is_not_written_to_results() -> None:
    """A result record leaves the outcome's text out, so results files do not grow."""
    outcome = Outcome("accepted", wire={"a": 1}, text='{"a": 1}')
    record = ResultRecord("c", "sdk", "pass", outcome)
    line = to_json(record)
    assert '"text"' not in line
    assert from_json(line) == ResultRecord("c", "sdk", "pass", Outcome("accepted", wire={"a": 1}))


def test_a_null_an_sdk_accepted_and_wrote_absent_is_not_a_loss() -> None:
    """An invalid ``null`` the SDK took and left out carries no data: only ``accept``."""
    case = Case("c", "Reply", "response", {"name": None, "usage": {}}, valid=False)
    (verdict,) = judge(case, [("sdk", Outcome("accepted", wire={"usage": {}}))], Policy(), SCHEMA)
    assert [(d.kind, d.path) for d in verdict.divergences] == [("accept", ())]


def test_a_text_family_says_how_each_side_writes_its_strings() -> None:
    """A failing ``text`` family reads "writes \\u-escaped non-ASCII as raw non-ASCII"."""
    given, made = text_form('"caf\\u00e9"'), text_form('"café"')
    key = ("text", "fail", ("sdk",), ("input",), given, made, "")
    assert sentence(key) == "sdk writes \\u-escaped non-ASCII as raw non-ASCII"
    assert (text_form('"a\\/b"'), text_form('"a/b"')) == ("escaped /", "raw /")


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ('{"a/b":true,"c":false}', '{"a/b":true,"c":false,"a/b":true}'),
        ('{"x": {"a": 1}}', '{"x": {"a": 1, "a": 1}}'),
    ],
    ids=["plain", "spaced"],
)
def test_a_key_written_twice_is_a_duplicate_key_divergence(given: str, written: str) -> None:
    """An SDK that writes one key twice in an object (parsed values cannot show it) is reported
    at that key, with how many times each side wrote it."""
    [found] = text_divergences(given, written, (INPUT,), ("sdk",))
    assert (found.kind, found.left.value, found.right.value) == ("duplicate-key", 1, 2)
    assert found.path[-1] in ("a/b", "a")


def test_a_duplicate_the_input_already_had_is_not_the_sdk_s() -> None:
    """A probe that sends a key twice, written back once or twice, reports no duplicate."""
    assert text_divergences('{"a":1,"a":2}', '{"a":2}', (INPUT,), ("sdk",)) == []
    assert text_divergences('{"a":1,"a":2}', '{"a":1,"a":2}', (INPUT,), ("sdk",)) == []


def test_a_duplicate_key_family_reads_as_one_sentence() -> None:
    """The family of a key written twice says so."""
    key = ("duplicate-key", "fail", ("sdk",), (INPUT,), "1", "2", "boolean")
    assert sentence(key).startswith("sdk writes a key more than once in one object")


def test_duplicate_keys_of_any_value_are_one_family() -> None:
    """A key written twice is one class whatever the key holds: the families of two such
    keys, one holding an object and one a boolean, are one."""
    records = []
    for index, (key, value) in enumerate((("schema", {"a": 1}), ("flag", True))):
        case = CaseRecord(f"c{index}", "M", "response", {key: value}, True, "")
        divergence = Divergence((key,), "duplicate-key", Side((INPUT,), 1), Side(("sdk",), 2))
        records.append((case, divergence))
    collector = FamilyCollector(None, {"sdk": "python-sdk"})
    for case, divergence in records:
        result = ResultRecord(case.id, "sdk", "diverge", Outcome("accepted"), (divergence,))
        collector.add(case, [result])
    [family] = collector.records()
    assert (family.input_class, family.output_class) == (
        "a key written once",
        "a key written more than once",
    )
