"""The naming walk: where nothing is misnamed it only goes on into what can hold names, and
what it learns per model and per key serves every case without mixing schemas or targets."""

from __future__ import annotations

from conformance.comparison.naming_check import naming_divergences
from conformance.core.conventions import get_convention
from conformance.core.divergence import Divergence, Side
from conformance.schema import ArrayOf, Field, MapOf, Model, Nullable, Primitive, Ref, Schema

STRING = Primitive("string")
TYPESCRIPT = get_convention("typescript")

SCHEMA = Schema(
    {
        "Root": Model(
            "Root",
            (
                Field("request_id", STRING),
                Field("items", ArrayOf(Ref("Item"))),
                Field("by_name", MapOf(Nullable(Ref("Item")))),
                Field("tags", ArrayOf(STRING)),
            ),
        ),
        "Item": Model("Item", (Field("item_name", STRING), Field("sub_item", Ref("Item")))),
    }
)


def misnamed(path: tuple[str | int, ...], wanted: str, key: str, target: str) -> Divergence:
    """The divergence of ``key`` where the typescript convention wants ``wanted``."""
    return Divergence(
        path,
        "naming",
        Side(("typescript convention",), wanted),
        Side((target,), key),
        detail=f"typescript name of {path[-1]!r} is {wanted!r}, {target} calls it {key!r}",
    )


def test_a_misnamed_key_below_objects_named_right_is_found() -> None:
    """Objects named right all the way down still lead to a misnamed key deeper in them,
    through arrays, maps, nullables and a model inside itself."""
    native = {
        "requestId": "r",
        "items": [{"itemName": "a"}, {"itemName": "b", "subItem": {"item_name": "c"}}],
        "byName": {"x": None, "y": {"itemName": "d", "subItem": {"sub_item": None}}},
        "tags": ["p", "q"],
    }
    assert naming_divergences(SCHEMA, "Root", native, TYPESCRIPT, "sdk") == [
        misnamed(("items", 1, "sub_item", "item_name"), "itemName", "item_name", "sdk"),
        misnamed(("by_name", "y", "sub_item", "sub_item"), "subItem", "sub_item", "sdk"),
    ]


def test_objects_named_right_have_no_divergence() -> None:
    """A view whose every key is its field's own name has nothing to report."""
    native = {"requestId": "r", "items": [{"itemName": "a", "subItem": {"itemName": "b"}}]}
    assert naming_divergences(SCHEMA, "Root", native, TYPESCRIPT, "sdk") == []


def test_each_target_and_case_is_named_in_its_own_divergences() -> None:
    """The same misnaming seen again, for another target, names that target."""
    native = {"items": [{"item_name": "a"}]}
    first = naming_divergences(SCHEMA, "Root", native, TYPESCRIPT, "one")
    again = naming_divergences(SCHEMA, "Root", native, TYPESCRIPT, "one")
    other = naming_divergences(SCHEMA, "Root", native, TYPESCRIPT, "two")
    assert (first, again, other) == (
        [misnamed(("items", 0, "item_name"), "itemName", "item_name", "one")],
        [misnamed(("items", 0, "item_name"), "itemName", "item_name", "one")],
        [misnamed(("items", 0, "item_name"), "itemName", "item_name", "two")],
    )


def test_models_of_one_name_in_two_schemas_are_each_walked_by_their_own_fields() -> None:
    """Two schemas with a model ``M`` of other fields, walked in turn: each by its own."""
    first = Schema({"M": Model("M", (Field("user_name", STRING),))})
    second = Schema({"M": Model("M", (Field("user_id", STRING),))})
    view = {"user_name": "a", "user_id": "b"}
    found = [
        [d.path for d in naming_divergences(schema, "M", view, TYPESCRIPT, "sdk")]
        for schema in (first, second, first)
    ]
    assert found == [[("user_name",)], [("user_id",)], [("user_name",)]]
