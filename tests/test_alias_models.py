"""Unions and type aliases run as models: in both harnesses, in the spec's wire models.

Tiny SDK-shaped packages (``tests/tiny_sdks.py``: ``vendor.shapes`` in pydantic,
``@tiny/sdk``'s ``shape.js`` in zod) export a discriminated union ``Shape`` and
a plain union ``ShapeOrSquares`` beside module-level unions that are not models;
the real orq pair exports hundreds of unions such as ``GetPromptVersionThinking``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.core.jsonwire import JsonValue
from conformance.engine.structure import listing_signatures, schema_signatures
from conformance.oracle.models import build_models
from conformance.schema.model import Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate.seeded import generate_cases
from conformance.sources.openapi import load_openapi
from conformance.sources.pairing import pair_names
from conformance.sources.wire_models import wire_models
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.discovery import ModelEntry
from conformance.targets.harness import HarnessTarget
from conformance.targets.reference import ReferenceTarget
from tests.tiny_sdks import (
    ROOT,
    SDK_PYTHON,
    require,
    require_pydantic,
    require_zod,
    write_pydantic_union_sdk,
    write_zod_union_sdk,
)

CIRCLE: dict[str, JsonValue] = {"kind": "circle", "radius": Decimal("1.5")}
SQUARE: dict[str, JsonValue] = {"kind": "square", "side": 2}
NEITHER: dict[str, JsonValue] = {"kind": "triangle", "side": 2}
UNION = ModelEntry("Shape", ("request", "response"), kind="union")


def _case(model: str, wire: JsonValue, direction: Direction = "response") -> Case:
    return Case(f"{model}-{direction}", model, direction, wire)


@pytest.fixture
def python_shapes(tmp_path: Path) -> Iterator[Any]:
    """Build targets over ``vendor.shapes`` (``generic_utils=False``: utils for classes only)."""
    require_pydantic()
    made: list[HarnessTarget] = []

    def make(generic_utils: bool = True) -> HarnessTarget:
        folder = write_pydantic_union_sdk(tmp_path / str(generic_utils), generic_utils)
        target = python_sdk_target(
            "shapes-python",
            str(SDK_PYTHON),
            ["vendor.shapes.models"],
            "vendor.shapes",
            env={"PYTHONPATH": str(folder)},
            start_timeout=60.0,
        )
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


@pytest.fixture
def node_shapes(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A target over ``@tiny/sdk`` with ``shape.js``."""
    require_zod()
    root = write_zod_union_sdk(tmp_path)
    modules = ["@tiny/sdk/models/components/"]
    target = node_sdk_target("shapes-node", str(root), modules, "@tiny/sdk", start_timeout=60.0)
    yield target
    target.close()


# -- Python ---------------------------------------------------------------------------


def test_python_harness_lists_the_unions_the_sdk_defines_and_no_other(python_shapes: Any) -> None:
    """Unions of models are listed as kind union; imported, generic, Optional, scalar and
    TypedDict unions are not."""
    entries = python_shapes().list_model_entries()
    unions = sorted(entry.name for entry in entries if entry.kind == "union")
    assert unions == ["Shape", "ShapeOrSquares"]
    assert [e for e in entries if e.name == "Shape"] == [UNION]
    assert sorted(e.name for e in entries if e.kind == "object") == ["Circle", "Square"]


def test_python_union_reads_each_member_and_writes_through_the_sdks_utils(
    python_shapes: Any,
) -> None:
    """Each member of the union is accepted and written back by the SDK's own marshal_json
    (which leaves out the unset label)."""
    target = python_shapes()
    circle = target.run(_case("Shape", CIRCLE))
    square = target.run(_case("Shape", SQUARE, "request"))
    assert (circle.state, circle.wire, circle.native) == (
        "accepted",
        CIRCLE,
        {"kind": "circle", "radius": Decimal("1.5")},
    )
    assert (square.state, square.wire) == ("accepted", SQUARE)


def test_python_union_rejects_a_payload_of_no_member_with_its_path(python_shapes: Any) -> None:
    """A tag no member has is rejected, and a bad field of a member is placed in the payload."""
    target = python_shapes()
    unknown = target.run(_case("Shape", NEITHER))
    wrong = target.run(_case("Shape", {"kind": "square", "side": "two"}))
    assert (unknown.state, unknown.error_path) == ("rejected", ())
    assert (wrong.state, wrong.error_path) == ("rejected", ("side",))


def test_python_plain_union_takes_a_list_member(python_shapes: Any) -> None:
    """The undiscriminated union reads its list-of-models member and a model member."""
    target = python_shapes()
    squares = target.run(_case("ShapeOrSquares", [SQUARE, SQUARE], "request"))
    circle = target.run(_case("ShapeOrSquares", CIRCLE))
    assert (squares.state, squares.wire) == ("accepted", [SQUARE, SQUARE])
    assert (circle.state, circle.wire) == ("accepted", CIRCLE)
    assert target.run(_case("ShapeOrSquares", [CIRCLE])).state == "rejected"


def test_python_union_goes_through_type_adapter_when_utils_take_classes_only(
    python_shapes: Any,
) -> None:
    """Where the SDK's utils call cls.model_validate_json, pydantic's TypeAdapter reads and
    writes the union (its dump keeps the unset label as null)."""
    outcome = python_shapes(generic_utils=False).run(_case("Shape", CIRCLE))
    assert (outcome.state, outcome.wire) == ("accepted", {**CIRCLE, "label": None})


def test_python_export_describes_a_union_under_its_name(python_shapes: Any) -> None:
    """The schemas export gives the discriminated union its members and mapping, and the
    TypeAliasType a definition of its own."""
    answer = python_shapes().export_schemas(["Shape", "ShapeOrSquares"])
    defs = answer["schemas"]["$defs"]
    assert defs["Shape"] == {
        "oneOf": [{"$ref": "#/$defs/Circle"}, {"$ref": "#/$defs/Square"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"circle": "#/$defs/Circle", "square": "#/$defs/Square"},
        },
    }
    assert defs["ShapeOrSquares"] == {
        "anyOf": [
            {"$ref": "#/$defs/Circle"},
            {"items": {"$ref": "#/$defs/Square"}, "type": "array"},
        ]
    }
    assert "failed" not in answer


# -- Node -----------------------------------------------------------------------------


def test_node_harness_lists_zod_unions(node_shapes: HarnessTarget) -> None:
    """Discriminated and plain zod unions are listed as unions, both ways."""
    entries = {e.name: e for e in node_shapes.list_model_entries() if e.kind == "union"}
    assert sorted(entries) == ["Shape", "ShapeOrSquares"]
    assert entries["Shape"] == UNION


def test_node_union_reads_each_member_and_rejects_none(node_shapes: HarnessTarget) -> None:
    """Each member is accepted and written back; a payload of no member is rejected."""
    outcomes = [node_shapes.run(_case("Shape", wire)) for wire in (CIRCLE, SQUARE, NEITHER)]
    plain = node_shapes.run(_case("ShapeOrSquares", [SQUARE], "request"))
    assert [(o.state, o.wire) for o in outcomes] == [
        ("accepted", CIRCLE),
        ("accepted", SQUARE),
        ("rejected", None),
    ]
    assert (plain.state, plain.wire) == ("accepted", [SQUARE])


# -- the real orq pair ----------------------------------------------------------------

ORQ_NODE = ROOT / "sdk" / "node"
THINKING = "GetPromptVersionThinking"


def test_orq_python_sdk_lists_and_runs_a_union_alias() -> None:
    """orq-ai-sdk's discriminated Thinking union is listed and reads each member through the
    SDK's unmarshal_json."""
    require(SDK_PYTHON.exists(), "orq-ai-sdk")
    with python_sdk_target(
        "orq-python", str(SDK_PYTHON), ["orq_ai_sdk.models"], "orq_ai_sdk", start_timeout=120.0
    ) as target:
        kinds = {e.name: e.kind for e in target.list_model_entries()}
        disabled = target.run(_case(THINKING, {"type": "disabled"}))
        unknown = target.run(_case(THINKING, {"type": "sometimes"}))
    assert (kinds[THINKING], kinds.get(THINKING + "TypedDict")) == ("union", None)
    assert (disabled.state, disabled.wire) == ("accepted", {"type": "disabled"})
    assert unknown.state == "rejected"


def test_orq_node_sdk_lists_and_runs_a_union_schema() -> None:
    """@orq-ai/node's Thinking union is listed as a union and reads a member."""
    require_zod()
    require((ORQ_NODE / "node_modules" / "@orq-ai" / "node").is_dir(), "@orq-ai/node")
    modules = ["@orq-ai/node/models/operations/index.js"]
    with node_sdk_target(
        "orq-node", str(ORQ_NODE), modules, "@orq-ai/node", start_timeout=120.0
    ) as target:
        kinds = {e.name: e.kind for e in target.list_model_entries()}
        disabled = target.run(_case(THINKING, {"type": "disabled"}))
    assert kinds[THINKING] == "union"
    assert (disabled.state, disabled.native) == ("accepted", {"type": "disabled"})


# -- the spec's wire models -----------------------------------------------------------


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "shapes", "version": "1"},
    "paths": {
        "/shapes": {
            "post": {
                "operationId": "draw",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"oneOf": [_ref("Circle"), _ref("Square")]}}
                    }
                },
                "responses": {
                    "200": {"content": {"application/json": {"schema": _ref("Drawing")}}}
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Circle": {
                "type": "object",
                "required": ["kind", "radius"],
                "properties": {"kind": {"const": "circle"}, "radius": {"type": "number"}},
            },
            "Square": {
                "type": "object",
                "required": ["kind", "side"],
                "properties": {"kind": {"const": "square"}, "side": {"type": "integer"}},
            },
            "Shape": {
                "oneOf": [_ref("Circle"), _ref("Square")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"circle": _ref("Circle")["$ref"], "square": _ref("Square")["$ref"]},
                },
            },
            "Colour": {"type": "string", "enum": ["red", "blue"]},
            "Drawing": {
                "type": "object",
                "properties": {"shape": _ref("Shape"), "colour": _ref("Colour")},
            },
        }
    },
}


def _spec(tmp_path: Path) -> Schema:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(SPEC), "utf-8")
    return load_openapi(path)


def test_union_bodies_and_named_unions_they_reach_are_wire_models(tmp_path: Path) -> None:
    """A oneOf request body and a named union reached from a response run; a named enum does
    not (its models run it)."""
    wire = wire_models(_spec(tmp_path))
    assert dict(wire.runs) == {
        "Circle": ("request", "response"),
        "DrawRequestBody": ("request",),
        "Drawing": ("response",),
        "Shape": ("response",),
        "Square": ("request", "response"),
    }


def test_cases_generated_for_a_union_model_run_through_the_reference(tmp_path: Path) -> None:
    """Generated cases of a union alias name are accepted when valid and rejected when not."""
    schema = _spec(tmp_path)
    reference = ReferenceTarget("reference", build_models(schema))
    cases = generate_cases(schema, "Shape", 8, 7)
    states = {(case.valid, reference.run(case).state) for case in cases}
    assert states == {(True, "accepted"), (False, "rejected")}


def test_a_spec_union_pairs_with_the_sdks_union_of_that_name(
    tmp_path: Path, python_shapes: Any
) -> None:
    """The spec's union Shape pairs with the SDK's Shape, by name and not refused for its
    lack of keys."""
    schema = _spec(tmp_path)
    entries = python_shapes().list_model_entries()
    pairing = pair_names(
        list(wire_models(schema).runs),
        [entry.name for entry in entries],
        left_signatures=schema_signatures(schema),
        right_signatures=listing_signatures(entries),
    )
    assert ("Shape", "Shape") in pairing.pairs
    assert not pairing.refused
