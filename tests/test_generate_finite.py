"""Generation never gives up on a model with a finite payload, and says why when there is none.

``tests/data/generate/optional-tags.yaml`` is planted: every payload of ``Feed``
passes, five required levels down, through a ``oneOf`` whose members differ only
in optional tag fields (their plainest values fit both members), with legitimate
recursion through optional fields. ``BAD`` adds models with no finite payload:
required recursion with no way out, and a union that reads no value at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.core import jsonwire
from conformance.exceptions import CaseFileError
from conformance.oracle.models import build_models
from conformance.schema import (
    Alias,
    ArrayOf,
    Field,
    JsonValue,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.generate import (
    NoPayload,
    Witnesses,
    accepts,
    generate_cases,
    generated_cases,
    minimal,
    payloads,
)
from conformance.sources.openapi import load_openapi, schema_from_document
from conformance.targets.reference import ReferenceTarget

PLANTED_FILE = Path(__file__).parent / "data" / "generate" / "optional-tags.yaml"
PLANTED = load_openapi(PLANTED_FILE)
STRING = Primitive("string")

BAD = Schema(
    {
        **PLANTED.definitions,
        # Required recursion with no way out: directly, and through a union and an alias.
        "Loop": Model("Loop", (Field("note", STRING), Field("next", Ref("Loop"), required=True))),
        "Knot": Model("Knot", (Field("tie", Ref("Tie"), required=True),)),
        "Tie": Alias("Tie", UnionOf((Ref("Bow"), Ref("Knot")))),
        "Bow": Model(
            "Bow", (Field("loops", ArrayOf(Ref("Knot"))), Field("knot", Ref("Knot"), required=True))
        ),
        "Holder": Model("Holder", (Field("held", Ref("Knot"), required=True),)),
        # A oneOf whose members always both fit: no value is read at all.
        "Twin": Alias("Twin", UnionOf((STRING, STRING))),
        "HasTwin": Model("HasTwin", (Field("twin", Ref("Twin"), required=True),)),
        # Fine: a required recursion through a nullable ends in null.
        "Chain": Model("Chain", (Field("next", Nullable(Ref("Chain")), required=True),)),
    },
    source="bad.yaml",
)

TARGETS = tuple(ReferenceTarget(c, build_models(PLANTED), c) for c in ("python", "typescript"))


def _detail(payload: JsonValue) -> JsonValue:
    assert isinstance(payload, dict)
    envelope = payload["envelope"]
    assert isinstance(envelope, dict)
    event = envelope["event"]
    assert isinstance(event, dict)
    target = event["target"]
    assert isinstance(target, dict)
    return target["detail"]


@pytest.mark.parametrize("model", list(PLANTED.definitions))
def test_every_planted_model_generates_cases_the_references_agree_with(model: str) -> None:
    """Each model of the planted schema gets its cases; the references accept exactly the valid."""
    for case in generate_cases(PLANTED, model, 40, 3):
        for target in TARGETS:
            outcome = target.run(case)
            assert (case.id, outcome.state == "accepted") == (case.id, case.valid), outcome.error
            if case.valid:
                assert jsonwire.same(outcome.wire, case.wire)


def test_optional_tag_oneof_at_the_depth_limit_is_tagged_and_read() -> None:
    """Where the depth runs out on the optional-tag oneOf, its value carries a tag and is read."""
    valid = [c.wire for c in generate_cases(PLANTED, "Feed", 60, 0) if c.valid]
    details = [_detail(wire) for wire in valid]
    assert details
    assert all(accepts(PLANTED, "Detail", d) for d in details)
    assert all(isinstance(d, dict) and d.get("kind") in ("small", "large") for d in details)
    assert all(accepts(PLANTED, "Feed", wire) for wire in valid)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads(PLANTED, "Feed", max_depth=2))
def test_hypothesis_payloads_of_the_planted_model_are_valid(payload: JsonValue) -> None:
    """Payloads drawn by Hypothesis at a shallow depth are valid too."""
    assert accepts(PLANTED, "Feed", payload)


def test_minimal_finds_a_member_the_union_reads() -> None:
    """The plainest payload of the optional-tag oneOf is a member with its tag, and is read."""
    assert minimal(PLANTED, Ref("Detail")) == {"kind": "small"}
    assert accepts(PLANTED, "Feed", minimal(PLANTED, Ref("Feed")))


def test_witnesses_say_which_definitions_have_a_finite_payload() -> None:
    """Finite: the planted models and a nullable recursion; not: required cycles, the twin."""
    witnesses = Witnesses(BAD)
    finite = {name for name in BAD.definitions if witnesses.has(name)}
    assert finite == {*PLANTED.definitions, "Chain"}
    for name in finite:
        assert accepts(BAD, name, witnesses.value(Ref(name))), name


def test_required_self_recursion_names_its_cycle() -> None:
    """A model that always holds itself is refused, naming the field that recurses."""
    with pytest.raises(NoPayload) as raised:
        generate_cases(BAD, "Loop", 1, 0)
    assert str(raised.value) == (
        "'Loop' has no finite payload: every payload of it holds another one through "
        "the required references Loop.next → Loop"
    )


def test_a_model_that_needs_a_cycle_names_the_way_in_and_the_cycle() -> None:
    """A model outside the cycle it needs names both: the way to the cycle, and the cycle."""
    with pytest.raises(NoPayload) as raised:
        generate_cases(BAD, "Holder", 1, 0)
    assert str(raised.value) == (
        "'Holder' has no finite payload: it needs 'Knot' (Holder.held → Knot), and every "
        "payload of 'Knot' holds another one through the required references "
        "Knot.tie → Tie → Bow.knot → Knot"
    )


def test_a_union_that_reads_no_value_is_named() -> None:
    """A model whose union reads none of its members' values says where that union is."""
    with pytest.raises(
        NoPayload, match="no valid payload the generator can build: the union at Twin"
    ):
        generate_cases(BAD, "HasTwin", 1, 0)


def test_generated_cases_skip_and_report_a_model_without_payloads() -> None:
    """A model with no finite payload is one problem (model, stage, reason); the others generate."""
    problems: list[CaseFileError] = []
    cases = generated_cases(BAD, ["Feed", "Loop", "Chain"], 4, 0, problems=problems)
    assert [c.model for c in cases] == ["Feed"] * 4 + ["Chain"] * 4
    assert [(p.message, p.file) for p in problems] == [
        (
            "model 'Loop' skipped at generate: 'Loop' has no finite payload: every payload of "
            "it holds another one through the required references Loop.next → Loop",
            "bad.yaml",
        )
    ]
    assert "\n" not in str(problems[0])


def test_generated_cases_report_any_error_of_one_model() -> None:
    """Any error generating one model (here a reference the schema lacks) skips that model only."""
    schema = Schema(
        {
            "Dangling": Model("Dangling", (Field("to", Ref("Nowhere"), required=True),)),
            "Fine": Model("Fine", (Field("name", STRING, required=True),)),
        }
    )
    problems: list[CaseFileError] = []
    cases = generated_cases(schema, ["Dangling", "Fine"], 2, 0, problems=problems)
    assert [c.model for c in cases] == ["Fine", "Fine"]
    assert [p.message for p in problems] == [
        "model 'Dangling' skipped at generate: KeyError: 'Nowhere'"
    ]


def test_generated_cases_without_a_list_raise_the_error() -> None:
    """Without ``problems`` to report to, the first model that cannot be generated raises."""
    with pytest.raises(NoPayload, match=r"Loop\.next → Loop"):
        generated_cases(BAD, ["Feed", "Loop"], 2, 0)


def test_members_tagged_by_their_own_enum_without_a_mapping_are_generated() -> None:
    """A discriminated oneOf with no mapping, whose members allow one tag each (the way many
    specs write it), gets valid payloads of every member, each with the member's own tag."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Part": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Text"},
                        {
                            "type": "object",
                            "properties": {"type": {"const": "image"}, "url": {"type": "string"}},
                            "required": ["type", "url"],
                        },
                    ],
                    "discriminator": {"propertyName": "type"},
                },
                "Text": {
                    "type": "object",
                    "properties": {"type": {"enum": ["text"]}, "text": {"type": "string"}},
                    "required": ["type", "text"],
                },
            }
        },
    }
    schema = schema_from_document(document, "spec.yaml")
    valid = [c.wire for c in generate_cases(schema, "Part", 40, 1) if c.valid]
    tags = {w.get("type") for w in valid if isinstance(w, dict)}
    assert tags == {"text", "image"}
    assert all(accepts(schema, "Part", wire) for wire in valid)


def test_a_member_drawn_alone_carries_a_tag_its_union_maps_to_it() -> None:
    """A model whose shared tag enum allows every event, drawn alone, gets the tag its
    union maps to it: under any other tag every reader takes it for another member."""
    events = {"type": "string", "enum": ["start", "end"]}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Event": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Start"},
                        {"$ref": "#/components/schemas/End"},
                    ],
                    "discriminator": {
                        "propertyName": "event_type",
                        "mapping": {
                            "start": "#/components/schemas/Start",
                            "end": "#/components/schemas/End",
                        },
                    },
                },
                "Start": {
                    "type": "object",
                    "properties": {"event_type": events, "id": {"type": "string"}},
                    "required": ["event_type"],
                },
                "End": {
                    "type": "object",
                    "properties": {"event_type": events},
                    "required": ["event_type"],
                },
            }
        },
    }
    schema = schema_from_document(document, "spec.yaml")
    tags = {c.wire["event_type"] for c in generate_cases(schema, "Start", 30, 2) if c.valid}
    assert tags == {"start"}


def test_union_tagging_is_computed_once_per_schema_object() -> None:
    """The same schema object gets the same tagging back; an equal copy is computed anew."""
    from conformance.sources.generate.finite import tag_properties, union_tags

    assert union_tags(PLANTED) is union_tags(PLANTED)
    assert tag_properties(PLANTED) is tag_properties(PLANTED)
    copy = load_openapi(PLANTED_FILE)
    assert union_tags(copy) is not union_tags(PLANTED)
    assert union_tags(copy) == union_tags(PLANTED)
