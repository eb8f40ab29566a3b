"""Root-cause families: one behaviour over many paths and models is one family; two causes at
one path are two. The SDKs are fakes with planted behaviours (``tests.fakes.FakeTarget``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.results.families import sentence
from conformance.results.reader import read_results
from conformance.results.records import FindingRecord, Footer
from conformance.results.summary import Summary
from conformance.results.value_classes import (
    change_class,
    coarse_class,
    field_info,
    mutation_class,
    value_class,
)
from conformance.results.writer import ResultsWriter
from conformance.schema import ArrayOf, Field, MapOf, Model, Primitive, Ref, Schema
from conformance.sources.cases import Case, LoadedCases
from tests.fakes import FakeTarget

W = jsonwire.loads
SCHEMA = Schema(
    {
        "Usage": Model(
            "Usage",
            (
                Field("tokens", Primitive("integer")),
                Field("cost", Primitive("number")),
                Field("parts", ArrayOf(Ref("Part"))),
            ),
        ),
        "Part": Model(
            "Part", (Field("size", Primitive("integer")), Field("tags", MapOf(Primitive("string"))))
        ),
        "Bill": Model(
            "Bill", (Field("total", Primitive("integer")), Field("note", Primitive("string")))
        ),
    }
)
KINDS = {
    "ref-py": "reference",
    "ref-ts": "reference",
    "sdk-py": "python-sdk",
    "sdk-node": "node-sdk",
}
BIG = 2**53 + 1


def _round_integers(value: Any) -> Any:
    """What a JavaScript number does to an integer beyond 2^53."""
    if isinstance(value, dict):
        return {k: _round_integers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_integers(v) for v in value]
    if type(value) is int and abs(value) > 2**53:
        return int(float(value))
    return value


def _node(case: Case) -> Outcome:
    """Rounds big integers everywhere, and rejects a string where ``note`` holds a number."""
    wire = _round_integers(case.wire)
    return Outcome("accepted", wire=wire, native=wire)


def _drops_unknown(case: Case) -> Outcome:
    """Drops the keys the schema does not declare, at the top level."""
    assert isinstance(case.wire, dict)
    model = SCHEMA.definitions[case.model]
    assert isinstance(model, Model)
    known = {f.wire_name for f in model.fields}
    wire = {k: v for k, v in case.wire.items() if k in known}
    return Outcome("accepted", wire=wire, native=wire)


def _run(
    tmp_path: Path, cases: list[Case], **behaviours: Callable[[Case], Outcome] | None
) -> Summary:
    named = {name.replace("_", "-"): behave for name, behave in behaviours.items()}
    targets = [FakeTarget(name, named.get(name)) for name in ("ref-py", "ref-ts", *named)]
    with ResultsWriter(tmp_path / "r.ndjson") as writer:
        return execute(
            LoadedCases(tuple(cases), (), ("cases.json",)),
            targets,
            Policy(),
            writer,
            schema=SCHEMA,
            kinds=KINDS,
        )


def test_one_cause_over_many_paths_and_models_is_one_family(tmp_path: Path) -> None:
    """Rounding integers beyond 2^53 in two models at three paths is one family."""
    cases = [
        Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}')),
        Case("b", "Usage", "response", W(f'{{"parts":[{{"size":{BIG + 2}}}]}}')),
        Case("c", "Bill", "response", W(f'{{"total":-{BIG}}}')),
    ]
    summary = _run(tmp_path, cases, sdk_py=None, sdk_node=_node)
    (family,) = summary.findings
    assert (family.cases, family.models) == (3, 2)
    assert set(family.paths) == {"$.tokens", "$.parts[*].size", "$.total"}
    assert family.diverging == ("sdk-node",)
    assert (family.input_class, family.output_class) == (
        "integer beyond 2^53",
        "the nearest float64",
    )
    assert "sdk-node turns integer beyond 2^53 into the nearest float64 in integer fields" in (
        family.sentence
    )
    assert family.example.case == "a"  # the smallest payload


def test_two_causes_at_one_path_are_two_families(tmp_path: Path) -> None:
    """At ``$.total`` one SDK rounds a big integer and rejects a negative one: two families."""

    def node(case: Case) -> Outcome:
        total = case.wire.get("total") if isinstance(case.wire, dict) else None
        if isinstance(total, int) and total < 0:
            return Outcome("rejected", error="total: too small", error_path=("total",))
        return _node(case)

    cases = [
        Case("big", "Bill", "response", W(f'{{"total":{BIG}}}')),
        Case("negative", "Bill", "response", W('{"total":-3}')),
        Case("fine", "Bill", "response", W('{"total":3}')),
    ]
    summary = _run(tmp_path, cases, sdk_node=node)
    assert sorted((f.kind, f.paths) for f in summary.findings) == [
        ("accept", ("$.total",)),
        ("value", ("$.total",)),
    ]
    (rejected,) = [f for f in summary.findings if f.kind == "accept"]
    assert (rejected.input_class, rejected.output_class) == ("integer", "rejected")


def test_undeclared_keys_of_any_name_and_value_are_one_family(tmp_path: Path) -> None:
    """Keys the schema does not declare are one class, whatever their names and values."""
    cases = [
        Case("k1", "Bill", "response", W('{"total":1,"x":1}')),
        Case("k2", "Bill", "response", W('{"total":1,"__proto__":"s"}')),
        Case("k3", "Usage", "response", W('{"other":{"a":[1]}}')),
    ]
    summary = _run(tmp_path, cases, sdk_py=_drops_unknown, sdk_node=_drops_unknown)
    (family,) = summary.findings
    assert family.input_class == "a key the schema does not declare"
    assert family.diverging == ("sdk-py", "sdk-node")
    assert family.cases == 3
    assert "the SDKs agree" in family.sentence


def test_a_probe_is_classed_by_what_it_sent_at_the_place_it_changed(tmp_path: Path) -> None:
    """Invalid probes an SDK accepts are one family per probe class, named by what it sent."""

    def accepts_all(case: Case) -> Outcome:
        return Outcome("accepted", wire=case.wire, native=case.wire)

    def probe(case_id: str, model: str, wire: str, path: str) -> Case:
        return Case(
            case_id,
            model,
            "response",
            W(wire),
            False,
            probe="coercion.numeric-string",
            probe_path=path,
        )

    cases = [
        probe("p1", "Bill", '{"total":"5"}', "$.total"),
        probe("p2", "Usage", '{"cost":"5"}', "$.cost"),
    ]

    def rejects(case: Case) -> Outcome:
        return Outcome("rejected", error="not a number")

    summary = _run(tmp_path, cases, ref_py=rejects, ref_ts=rejects, sdk_py=accepts_all)
    (family,) = summary.findings
    assert family.input_class == 'a numeric string ("5") where a number goes'
    assert (family.cases, family.models) == (2, 2)
    assert 'sdk-py accepts a numeric string ("5") where a number goes' in family.sentence


def test_a_valid_probe_refused_for_a_key_it_lacks_is_classed_by_that_key(tmp_path: Path) -> None:
    """An SDK that requires an optional key refuses every valid probe that lost it (a renamed
    key, another letter case): one family of the missing key, not one per probe class."""

    def requires_note(case: Case) -> Outcome:
        if isinstance(case.wire, dict) and "note" not in case.wire:
            return Outcome("rejected", error="note: Required", error_path=("note",))
        return Outcome("accepted", wire=case.wire, native=case.wire)

    def probe(case_id: str, wire: str, probe: str) -> Case:
        return Case(case_id, "Bill", "response", W(wire), probe=probe, probe_path="$.note")

    cases = [
        probe("p1", '{"total":1,"NOTE":"x"}', "keys.case-variant"),
        probe("p2", '{"total":1,"Note":"x"}', "keys.camel-name"),
        probe("p3", '{"total":1}', "presence.optional-absent"),
    ]
    summary = _run(tmp_path, cases, sdk_node=requires_note)
    (family,) = summary.findings
    assert (family.input_class, family.output_class) == ("absent", "rejected")
    assert family.cases == 3


def test_findings_are_records_before_the_footer(tmp_path: Path) -> None:
    """A run writes its families as ``finding`` records just before the footer, and they read
    back as the summary had them."""
    cases = [Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}'))]
    summary = _run(tmp_path, cases, sdk_py=None, sdk_node=_node)
    records = list(read_results(tmp_path / "r.ndjson"))
    assert isinstance(records[-1], Footer)
    assert isinstance(records[-2], FindingRecord)
    assert (records[-2],) == summary.findings
    targets = ("ref-py", "ref-ts", "sdk-py", "sdk-node")
    assert records[-2].example.names == dict.fromkeys(targets, "Usage")


def test_agreeing_targets_make_no_family(tmp_path: Path) -> None:
    """A run where every target writes the input back has no findings."""
    cases = [Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}'))]
    assert _run(tmp_path, cases, sdk_py=None, sdk_node=None).findings == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2**53, "integer"),
        (2**53 + 1, "integer beyond 2^53"),
        (2**63, "integer beyond 2^63"),
        (-(2**64) - 1, "integer beyond 2^64"),
        (Decimal("-0.0"), "negative zero"),
        (Decimal("1E+400"), "number beyond float64"),
        (Decimal("0.30000000000000004"), "number with 16+ significant digits"),
        (Decimal("1.5"), "number"),
        ("2024-01-02T03:04:05.5Z", "date-time (Z, other-digit fraction)"),
        ("2024-01-02t03:04:05z", "date-time (Z, no fraction, lower-case t/z or a space)"),
        ("2024-01-02T03:04:05+09:00", "date-time (offset, no fraction)"),
        ("2024-02-30T03:04:05Z", "date-time outside RFC 3339 (Z, no fraction)"),
        ("2024-01-02", "date"),
        ("5", "numeric string"),
        ("yes", "boolean word"),
        (None, "null"),
        ([], "empty array"),
    ],
)
def test_value_classes(value: object, expected: str) -> None:
    """Each wire value falls in the class a family is keyed by."""
    assert value_class(value) == expected


def test_coarse_classes_leave_out_what_a_behaviour_does_not_depend_on() -> None:
    """Integers beyond 2^53 are one coarse class; a date-time keeps its zone, not its fraction."""
    assert coarse_class(2**64 + 5) == coarse_class(2**53 + 1) == "integer beyond 2^53"
    assert coarse_class("2024-01-02T03:04:05.123456+01:00") == "date-time (offset)"


@pytest.mark.parametrize(
    ("given", "got", "expected"),
    [
        (2**53 + 1, 2**53, "the nearest float64"),
        (2**63 - 1, 9223372036854776000, "the nearest float64"),
        (5, Decimal("5.0"), "the same number, written otherwise"),
        (5, 6, "another number"),
        (5, "5", "numeric string"),
    ],
)
def test_change_classes(given: object, got: object, expected: str) -> None:
    """What a target made of a number is said relative to it."""
    assert change_class(given, True, got, True) == expected


def test_mutation_classes_leave_out_the_values_drawn() -> None:
    """The change that made a case invalid is its class, without the literal values."""
    said = "seed 1: invalid: numeric string '2' where a number goes at $.n"
    assert mutation_class(said, "numeric string") == "numeric string where a number goes"
    assert mutation_class("invalid: 1 where a boolean goes at $.b", "integer") == (
        "integer where a boolean goes"
    )
    assert mutation_class("a hand-written case", "null") == "null"


def test_field_info_follows_arrays_maps_and_refs() -> None:
    """The field at a path is found through arrays, refs and maps; an unknown key is undeclared."""
    assert field_info(SCHEMA, "Usage", ("parts", 0, "size")).type == "integer"
    tags = field_info(SCHEMA, "Usage", ("parts", 0, "tags", "any"))
    assert (tags.type, tags.additional) == ("string", True)
    assert not field_info(SCHEMA, "Usage", ("nope",)).declared


def test_sentence_names_the_odd_sdk_and_where_the_others_stand() -> None:
    """A family's sentence says who does what, and the verdict beside it."""
    key = (
        "value",
        "fail",
        ("sdk-node",),
        ("input",),
        "integer beyond 2^53",
        "the nearest float64",
        "integer",
    )
    text = sentence(key, "odd-sdk", "sdk-node")
    assert text == (
        "sdk-node turns integer beyond 2^53 into the nearest float64 in integer fields; "
        "sdk-node alone against the other SDKs"
    )


def test_a_value_turned_into_another_of_its_class_says_another() -> None:
    """A const's string written as another string reads as such, not as string into string;
    its cause says the same."""
    key = ("value", "fail", ("sdk-py",), ("input",), "string", "string", "const")
    assert sentence(key) == "sdk-py turns string into another string in const fields"


def test_a_naming_sentence_takes_the_article_of_each_style() -> None:
    """An upper name reads "an upper name", a snake name "a snake name"."""
    key = ("naming", "fail", ("sdk-py",), ("python convention",), "snake name", "upper name", "")
    assert (
        sentence(key)
        == "sdk-py gives fields an upper name where the python convention has a snake name"
    )


def test_the_sdks_that_agree_stand_beside_the_expectation(tmp_path: Path) -> None:
    """The example of an odd-SDK family names the SDKs that keep the input, for reproducers."""
    cases = [Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}'))]
    summary = _run(tmp_path, cases, sdk_py=None, sdk_node=_node)
    (family,) = summary.findings
    assert family.example.expected.targets == ("input", "sdk-py")


def test_every_probe_class_says_in_words_what_it_sends() -> None:
    """Each probe class has a phrase for the families' sentences, so none reads as an id."""
    from conformance.results.value_classes import PROBE_LABELS
    from conformance.sources.generate.probe_classes import CLASSES

    assert set(CLASSES) - set(PROBE_LABELS) == set()
