"""Property-based round trips of the reference targets, driven by ``tests/strategies.py``.

Two schemas: the bundled default (``cases/orq/openapi.yaml``) and ``RICH``, which
has what the default lacks: discriminated and plain unions, maps, recursion
(direct and mutual), nullable types, enums, consts, formats and typed extras.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from attrs import frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core import jsonwire
from conformance.core.divergence import PathSegment, path_text
from conformance.core.outcome import Outcome
from conformance.oracle.converters import make_converter
from conformance.oracle.models import build_models
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Discriminator,
    EnumOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.cases import Case
from conformance.sources.openapi import load_openapi
from conformance.targets.reference import ReferenceTarget
from tests.strategies import fits, invalid_payloads, json_values, payloads

STRING = Primitive("string")
INTEGER = Primitive("integer")
NUMBER = Primitive("number")
BOOLEAN = Primitive("boolean")

BUNDLED = load_openapi(Path(__file__).parent.parent / "cases" / "orq" / "openapi.yaml")
BUNDLED_ROOT = "PostV2ProxyCompletionsData"


def _model(name: str, *fields: Field, additional: Any = None) -> tuple[str, Model]:
    return name, Model(name, fields, additional)


def _alias(name: str, type_: Any) -> tuple[str, Alias]:
    return name, Alias(name, type_)


RICH = Schema(
    dict(
        [
            _model(
                "Root",
                Field("id", STRING, required=True),
                Field("kind", EnumOf(("a", "b", 1, True)), required=True),
                Field("version", Const(2)),
                Field("when", Primitive("string", "date-time")),
                Field("day", Primitive("string", "date")),
                Field("count", Ref("Count")),
                Field("big", INTEGER),
                Field("long", Primitive("integer", "int64")),
                Field("ratio", NUMBER),
                Field("flag", BOOLEAN),
                Field("note", Nullable(STRING)),
                Field("tags", ArrayOf(STRING)),
                Field("labels", MapOf(Nullable(STRING))),
                Field("tree", Ref("Node")),
                Field("forest", MapOf(Ref("Node"))),
                Field("pet", Ref("Pet")),
                Field("shapes", ArrayOf(Ref("Shape"))),
                Field("value", Ref("Scalar"), required=True),
                Field("maybe", Nullable(UnionOf((INTEGER, Ref("Point"), ArrayOf(STRING))))),
                Field("either", UnionOf((Ref("Point"), STRING), mode="anyOf")),
                Field("place", UnionOf((Ref("Point"), Ref("Point3")))),
                Field("extra", AnyValue()),
                Field("system_fingerprint", STRING),
                Field("from", STRING),
                Field("meta", Ref("Meta")),
                Field("ping", Ref("Ping")),
                Field("codes", Ref("Codes")),
            ),
            _alias("Count", Ref("Int32")),
            _alias("Int32", Primitive("integer", "int32")),
            _alias("Scalar", UnionOf((STRING, NUMBER))),
            _model(
                "Node",
                Field("value", INTEGER, required=True),
                Field("children", ArrayOf(Ref("Node"))),
                Field("parent_node", Nullable(Ref("Node"))),
            ),
            _alias(
                "Pet",
                UnionOf(
                    (Ref("Cat"), Ref("Dog")),
                    discriminator=Discriminator("pet_type", (("cat", "Cat"), ("dog", "Dog"))),
                ),
            ),
            _model(
                "Cat",
                Field("pet_type", STRING, required=True),
                Field("lives_left", Primitive("integer", "int32")),
            ),
            _model("Dog", Field("pet_type", STRING, required=True), Field("goodBoy", BOOLEAN)),
            _alias(
                "Shape",
                UnionOf((Ref("Circle"), Ref("Square")), discriminator=Discriminator("kind")),
            ),
            _model("Circle", Field("kind", STRING, required=True), Field("radius", NUMBER)),
            _model("Square", Field("kind", STRING, required=True), Field("side", NUMBER)),
            _model(
                "Point",
                Field("x", NUMBER, required=True),
                Field("y", NUMBER, required=True),
                additional=False,
            ),
            _model(
                "Point3",
                Field("x", NUMBER, required=True),
                Field("y", NUMBER, required=True),
                Field("z", NUMBER, required=True),
            ),
            _model("Meta", Field("total_count", INTEGER), additional=Nullable(INTEGER)),
            _model(
                "Ping", Field("pong", Ref("Pong")), Field("at", Primitive("string", "date-time"))
            ),
            _model("Pong", Field("ping", Nullable(Ref("Ping")), required=True)),
            _model("Codes", Field("error_code", INTEGER), Field("errorCode", STRING)),
        ]
    )
)

CONVENTIONS = ("python", "typescript")


@frozen
class Suite:
    """A schema's root definition, its strategies, converters and reference targets."""

    schema: Schema
    root: str
    valid: st.SearchStrategy[JsonValue]
    invalid: st.SearchStrategy[tuple[JsonValue, tuple[PathSegment, ...]]]
    type_: Any
    converters: dict[str, Any]
    targets: tuple[ReferenceTarget, ...]

    @classmethod
    def of(cls, schema: Schema, root: str, max_depth: int) -> Suite:
        """Build the strategies, models, converters and targets of ``schema``."""
        models = build_models(schema)
        return cls(
            schema,
            root,
            payloads(schema, root, max_depth=max_depth),
            invalid_payloads(schema, root, max_depth=max_depth),
            models.type_of(root),
            {c: make_converter(models, c) for c in ("wire", *CONVENTIONS)},
            tuple(ReferenceTarget(c, models, c) for c in CONVENTIONS),
        )

    def run(self, target: ReferenceTarget, wire: JsonValue) -> Outcome:
        """One payload of the root definition through ``target``."""
        return target.run(Case("property", self.root, "response", wire))


SUITES = {
    "bundled": Suite.of(BUNDLED, BUNDLED_ROOT, max_depth=4),
    "rich": Suite.of(RICH, "Root", max_depth=3),
}
EACH_SUITE = pytest.mark.parametrize("suite", list(SUITES))


@EACH_SUITE
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_valid_payload_comes_back_exactly(suite: str, data: st.DataObject) -> None:
    """Every valid payload is accepted by both reference targets and written back exactly."""
    this = SUITES[suite]
    payload = data.draw(this.valid, label="payload")
    for target in this.targets:
        outcome = this.run(target, payload)
        assert (target.name, outcome.state, outcome.error) == (target.name, "accepted", "")
        assert jsonwire.same(outcome.wire, payload), (
            jsonwire.dumps(outcome.wire),
            jsonwire.dumps(payload),
        )


@EACH_SUITE
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_instance_survives_each_converter(suite: str, data: st.DataObject) -> None:
    """``structure(unstructure(x)) == x`` for instances, through the wire and every convention."""
    this = SUITES[suite]
    payload = data.draw(this.valid, label="payload")
    instance = this.converters["wire"].structure(payload, this.type_)
    for convention, converter in this.converters.items():
        again = converter.structure(converter.unstructure(instance, this.type_), this.type_)
        assert (convention, again) == (convention, instance)


@EACH_SUITE
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_invalid_payload_is_rejected_at_the_mutated_path(suite: str, data: st.DataObject) -> None:
    """A payload broken at one path is rejected by both targets, with that path in the error."""
    this = SUITES[suite]
    payload, path = data.draw(this.invalid, label="invalid")
    for target in this.targets:
        outcome = this.run(target, payload)
        where = outcome.error.rpartition(" @ ")[2]
        assert (target.name, outcome.state, where) == (target.name, "rejected", path_text(path))


@EACH_SUITE
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_strategies_agree_with_an_independent_validator(suite: str, data: st.DataObject) -> None:
    """Valid payloads fit the schema and broken ones do not, by the strategies' own validator."""
    this = SUITES[suite]
    payload = data.draw(this.valid, label="payload")
    broken, _ = data.draw(this.invalid, label="invalid")
    root = Ref(this.root)
    assert (fits(this.schema, root, payload), fits(this.schema, root, broken)) == (True, False)


@settings(max_examples=300, deadline=None)
@given(value=json_values())
def test_jsonwire_load_of_dump_is_the_same_value(value: JsonValue) -> None:
    """``loads(dumps(v))`` is ``same`` as ``v``: lone surrogates, big numbers and tokens survive."""
    again = jsonwire.loads(jsonwire.dumps(value))
    assert jsonwire.same(again, value), (jsonwire.dumps(again), jsonwire.dumps(value))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("\ud800", id="lone-high-surrogate"),
        pytest.param(["\udfff", "\U0001f600"], id="lone-low-surrogate-and-astral"),
        pytest.param(2**64 + 1, id="beyond-uint64"),
        pytest.param(9007199254740993, id="beyond-2^53"),
        pytest.param(Decimal("1E+21"), id="exponent"),
        pytest.param(Decimal("-0.0"), id="negative-zero"),
        pytest.param({"1.50": Decimal("1.50")}, id="trailing-zero"),
    ],
)
def test_jsonwire_round_trip_examples(value: JsonValue) -> None:
    """The values the load/dump property must not miss survive a load/dump cycle."""
    assert jsonwire.same(jsonwire.loads(jsonwire.dumps(value)), value)


def test_rich_schema_generates_every_field() -> None:
    """The rich schema's strategy reaches every field of its root (the properties see them all)."""
    seen: set[str] = set()

    @settings(max_examples=100, deadline=None, database=None)
    @given(payloads(RICH, "Root"))
    def collect(payload: JsonValue) -> None:
        assert isinstance(payload, dict)
        seen.update(payload)

    collect()
    root = RICH["Root"]
    assert isinstance(root, Model)
    assert seen == {f.wire_name for f in root.fields}
