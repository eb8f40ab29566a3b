"""The generated classes' hooks, written as code per class, read and write as the schema says:
through models that hold themselves, chains of aliases, and values taken without a call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conformance.core import jsonwire
from conformance.oracle.converters import StructureError, make_converter
from conformance.oracle.models import build_models
from conformance.schema import (
    Alias,
    ArrayOf,
    EnumOf,
    Field,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)

SCHEMA = Schema(
    {
        "Node": Model(
            "Node",
            (
                Field("node_name", Ref("Label"), required=True),
                Field("children", ArrayOf(Ref("Node"))),
                Field("parent", Nullable(Ref("Node"))),
                Field("size", UnionOf((Primitive("string"), Primitive("number")))),
            ),
        ),
        "Label": Alias("Label", Ref("Kind")),
        "Kind": Alias("Kind", EnumOf(("leaf", "branch"))),
    }
)
MODELS = build_models(SCHEMA)


def chain(depth: int) -> dict[str, Any]:
    """A node holding a node ``depth`` levels down, numbers kept as their tokens."""
    node: dict[str, Any] = {"node_name": "leaf", "size": Decimal("1.50")}
    for level in range(depth):
        node = {"node_name": "branch", "children": [node], "parent": None, "size": level}
    return node


@pytest.mark.parametrize("convention", ["wire", "python", "typescript"])
def test_models_that_hold_themselves_round_trip_token_for_token(convention: str) -> None:
    """A node 40 levels deep reads and writes back the same, in every convention's view."""
    wire, native = make_converter(MODELS, "wire"), make_converter(MODELS, convention)
    node = MODELS.type_of("Node")
    value = chain(40)
    view = native.unstructure(wire.structure(value, node), node)
    assert jsonwire.same(wire.unstructure(native.structure(view, node), node), value)


def test_a_value_deep_inside_is_rejected_at_its_path() -> None:
    """An unknown enum value (read through two aliases) is rejected at its own path."""
    value = chain(3)
    value["children"][0]["children"][0]["node_name"] = "root"
    with pytest.raises(StructureError) as raised:
        make_converter(MODELS, "wire").structure(value, MODELS.type_of("Node"))
    assert str(raised.value) == (
        'expected one of "leaf", "branch", got string \'root\''
        " @ $.children[0].children[0].node_name"
    )


def test_a_union_member_of_another_type_still_gives_its_error() -> None:
    """A value no member of a union fits names every member's error, the ones of other
    types too (whose hooks are not tried while another member may fit)."""
    with pytest.raises(StructureError) as raised:
        make_converter(MODELS, "wire").structure(
            {"node_name": "leaf", "size": True}, MODELS.type_of("Node")
        )
    assert str(raised.value) == (
        "true matches no member of oneOf: str: expected string, got true @ $; "
        "NumberType: expected number, got true @ $ @ $.size"
    )


def test_a_hook_registered_before_first_use_is_called_for_its_type() -> None:
    """The code written for a class calls the converter's hooks as they are at first use."""
    converter = make_converter(MODELS, "wire")
    converter.register_structure_hook(str, lambda value, _: value.upper())
    read = converter.structure({"node_name": "leaf", "size": "big"}, MODELS.type_of("Node"))
    assert read.size == "BIG"


def test_an_object_read_is_the_instance_its_class_builds() -> None:
    """The reader sets an instance's slots as the class's own ``__init__`` does."""
    cls = MODELS.classes["Node"]
    read = make_converter(MODELS, "wire").structure(
        {"node_name": "leaf", "size": 1, "other": [2]}, cls
    )
    built = cls(node_name="leaf", size=1, _extras={"other": [2]})
    assert (read, repr(read), read.children) == (built, repr(built), built.children)


def test_only_plain_identifiers_are_written_into_code() -> None:
    """An attribute name that is not a plain identifier is refused before any code is made."""
    from conformance.oracle.converters._codegen import identifier

    assert identifier("total_tokens") == "total_tokens"
    for hostile in ("a=1); import os; (b", "class", "1st", "a b"):
        with pytest.raises(ValueError, match="not an attribute name"):
            identifier(hostile)
