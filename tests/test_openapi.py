"""Tests for the OpenAPI loader (``conformance.sources.openapi``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from attrs import frozen

from conformance.core import jsonwire
from conformance.exceptions import SchemaError
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Discriminator,
    EnumOf,
    Field,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Problem,
    Ref,
    Schema,
    UnionOf,
)
from conformance.schema.model import PrimitiveKind
from conformance.sources.openapi import load_openapi, schema_from_document

STRING = Primitive("string")
INTEGER = Primitive("integer")


@frozen
class Document:
    """An OpenAPI document written to a temporary file, in one format and version."""

    path: Path
    version: str

    def load(self, schemas: dict[str, Any]) -> Schema:
        """Write ``schemas`` as the document's components and load it."""
        document = {
            "openapi": self.version,
            "info": {"title": "test", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        }
        if self.path.suffix == ".json":
            self.path.write_text(json.dumps(document))
        else:
            self.path.write_text(yaml.safe_dump(document, sort_keys=False))
        return load_openapi(self.path)

    def at(self, pointer: str) -> str:
        """The location of a JSON pointer in this document."""
        return f"{self.path}#{pointer}"

    def model(self, name: str, *fields: Field, pointer: str = "", **kwargs: Any) -> Model:
        """A model as the loader builds it for ``components.schemas[name]`` (or ``pointer``)."""
        source = self.at(pointer or f"/components/schemas/{name}")
        return Model(name, fields, source=source, **kwargs)

    def alias(self, name: str, type_: Any, description: str = "") -> Alias:
        """An alias as the loader builds it for ``components.schemas[name]``."""
        return Alias(name, type_, description, self.at(f"/components/schemas/{name}"))


@pytest.fixture(params=["3.0.3-yaml", "3.0.3-json", "3.1.0-yaml", "3.1.0-json"])
def doc(request: pytest.FixtureRequest, tmp_path: Path) -> Document:
    """An OpenAPI document in each version (3.0, 3.1) and format (YAML, JSON)."""
    version, suffix = request.param.split("-")
    return Document(tmp_path / f"api.{suffix}", version)


@pytest.fixture(params=["yaml", "json"])
def doc31(request: pytest.FixtureRequest, tmp_path: Path) -> Document:
    """An OpenAPI 3.1 document, once as YAML and once as JSON."""
    return Document(tmp_path / f"api.{request.param}", "3.1.0")


@pytest.fixture(params=["yaml", "json"])
def doc30(request: pytest.FixtureRequest, tmp_path: Path) -> Document:
    """An OpenAPI 3.0 document, once as YAML and once as JSON."""
    return Document(tmp_path / f"api.{request.param}", "3.0.3")


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# Models and aliases


def test_object_becomes_model_with_fields_in_property_order(doc: Document) -> None:
    """An object schema becomes a model with its properties, required flags, defaults and docs."""
    schema = doc.load(
        {
            "Pet": {
                "type": "object",
                "description": "A pet.",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Its name."},
                    "age": {"type": "integer", "default": 1},
                    "tag": {"type": "string", "default": None},
                },
            }
        }
    )
    assert schema == Schema(
        {
            "Pet": doc.model(
                "Pet",
                Field("name", STRING, required=True, description="Its name."),
                Field("age", INTEGER, default=1),
                Field("tag", STRING, default=None),
                description="A pet.",
            )
        },
        source=str(doc.path),
    )


def test_non_object_definition_becomes_alias(doc: Document) -> None:
    """A named schema that is not an object becomes an alias of its type."""
    schema = doc.load({"Status": {"type": "string", "enum": ["on", "off"], "description": "S."}})
    assert schema.definitions == {"Status": doc.alias("Status", EnumOf(("on", "off")), "S.")}


def test_primitive_formats_are_kept(doc: Document) -> None:
    """Known and unknown formats are kept on the primitive type."""
    formats: list[tuple[PrimitiveKind, str | None]] = [
        ("string", "date-time"),
        ("string", "date"),
        ("integer", "int64"),
        ("integer", "int32"),
        ("number", "float"),
        ("number", "double"),
        ("string", "uuid"),
        ("boolean", None),
    ]
    properties = {
        f"p{index}": {"type": kind, **({"format": format_} if format_ else {})}
        for index, (kind, format_) in enumerate(formats)
    }
    schema = doc.load({"M": {"type": "object", "properties": properties}})
    expected = [
        Field(f"p{i}", Primitive(kind, format_)) for i, (kind, format_) in enumerate(formats)
    ]
    assert schema["M"] == doc.model("M", *expected)


def test_property_without_schema_is_any_value(doc: Document) -> None:
    """A property with an empty schema or no schema at all accepts any value."""
    schema = doc.load({"M": {"properties": {"a": {}, "b": None}}})
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("a", AnyValue()), Field("b", AnyValue())),
        (),
    )


def test_boolean_schemas_accept_any_value(doc31: Document) -> None:
    """A ``true`` schema accepts any value; a ``false`` one is reported and does too."""
    schema = doc31.load({"M": {"properties": {"yes": True, "no": False}}})
    assert (schema["M"], schema.problems) == (
        doc31.model("M", Field("yes", AnyValue()), Field("no", AnyValue())),
        (
            Problem(
                doc31.at("/components/schemas/M/properties/no"),
                "the false schema accepts nothing; any value is accepted here",
                "use a schema mapping, or {} for any value",
            ),
        ),
    )


def test_properties_without_type_make_an_object(doc: Document) -> None:
    """A schema with properties but no ``type`` is an object."""
    schema = doc.load({"M": {"properties": {"a": {"type": "string"}}}})
    assert schema["M"] == doc.model("M", Field("a", STRING))


def test_const_becomes_const(doc31: Document) -> None:
    """``const`` becomes a ``Const`` of its value."""
    schema = doc31.load({"Kind": {"const": "cat"}})
    assert schema["Kind"] == doc31.alias("Kind", Const("cat"))


def test_enum_with_null_is_nullable(doc: Document) -> None:
    """A ``null`` in an enum makes the enum nullable."""
    schema = doc.load({"Level": {"enum": ["low", "high", None]}})
    assert schema["Level"] == doc.alias("Level", Nullable(EnumOf(("low", "high"))))


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_enum_and_default_keep_exact_number_tokens(tmp_path: Path, suffix: str) -> None:
    """Enum values and defaults keep their number tokens (``1.0``, ``2.50``) in JSON and YAML."""
    path = tmp_path / f"api.{suffix}"
    path.write_text(
        '{"openapi": "3.1.0", "components": {"schemas": {"M": {"properties": {"x":'
        ' {"enum": [1.0, 2.50, 3], "default": 0.10}}}}}}'
    )
    model = load_openapi(path)["M"]
    assert isinstance(model, Model)
    [field] = model.fields
    assert isinstance(field.type, EnumOf)
    assert isinstance(field.default, Decimal)
    assert jsonwire.dumps([*field.type.values, field.default]) == "[1.0,2.50,3,0.10]"


def test_yaml_scalars_keep_words_and_dates_as_strings(tmp_path: Path) -> None:
    """YAML ``on``/``no`` and unquoted dates stay strings, as YAML 1.2 and JSON read them."""
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\n"
        "components:\n"
        "  schemas:\n"
        "    Switch: {enum: [on, off, yes, no, true]}\n"
        "    Day: {properties: {d: {type: string, format: date, default: 2024-01-31}}}\n"
    )
    schema = load_openapi(path)
    at = f"{path}#/components/schemas"
    assert list(schema) == [
        Alias("Switch", EnumOf(("on", "off", "yes", "no", True)), source=f"{at}/Switch"),
        Model(
            "Day",
            (Field("d", Primitive("string", "date"), default="2024-01-31"),),
            source=f"{at}/Day",
        ),
    ]


def test_schema_from_document_converts_python_floats_and_dates() -> None:
    """A document parsed elsewhere (floats, dates) gives exact JSON values."""
    document = yaml.safe_load(
        "openapi: 3.0.0\n"
        "components:\n"
        "  schemas:\n"
        "    M: {properties: {x: {default: 0.1}, d: {default: 2024-01-31}}}\n"
    )
    schema = schema_from_document(document, "api.yaml")
    assert schema["M"] == Model(
        "M",
        (
            Field("x", AnyValue(), default=Decimal("0.1")),
            Field("d", AnyValue(), default="2024-01-31"),
        ),
        source="api.yaml#/components/schemas/M",
    )


# Arrays and maps


def test_array_becomes_array_of_items(doc: Document) -> None:
    """An array schema becomes ``ArrayOf`` its items' type."""
    schema = doc.load({"Tags": {"type": "array", "items": {"type": "string"}}})
    assert schema["Tags"] == doc.alias("Tags", ArrayOf(STRING))


def test_array_without_items_holds_any_value(doc: Document) -> None:
    """An array without ``items`` holds any values, with no problem reported."""
    schema = doc.load({"Bag": {"type": "array"}})
    assert (schema["Bag"], schema.problems) == (doc.alias("Bag", ArrayOf(AnyValue())), ())


def test_additional_properties_set_the_model_extras(doc: Document) -> None:
    """``additionalProperties`` absent, false, true, {} and a schema give the model's extras."""
    props = {"a": {"type": "string"}}
    schema = doc.load(
        {
            "Absent": {"properties": props},
            "Closed": {"properties": props, "additionalProperties": False},
            "OpenTrue": {"properties": props, "additionalProperties": True},
            "OpenEmpty": {"properties": props, "additionalProperties": {}},
            "Typed": {"properties": props, "additionalProperties": {"type": "integer"}},
        }
    )
    field = Field("a", STRING)
    assert list(schema) == [
        doc.model("Absent", field, additional=None),
        doc.model("Closed", field, additional=False),
        doc.model("OpenTrue", field, additional=AnyValue()),
        doc.model("OpenEmpty", field, additional=AnyValue()),
        doc.model("Typed", field, additional=INTEGER),
    ]


def test_object_with_only_additional_properties_is_a_map(doc: Document) -> None:
    """An object without properties but with an additionalProperties schema is a map alias."""
    schema = doc.load({"Labels": {"type": "object", "additionalProperties": {"type": "string"}}})
    assert schema["Labels"] == doc.alias("Labels", MapOf(STRING))


def test_free_form_object_is_a_map_of_any_value(doc: Document) -> None:
    """An object with neither properties nor additionalProperties is a map of any value."""
    schema = doc.load({"Meta": {"type": "object"}, "M": {"properties": {"m": {"type": "object"}}}})
    assert list(schema) == [
        doc.alias("Meta", MapOf(AnyValue())),
        doc.model("M", Field("m", MapOf(AnyValue()))),
    ]


def test_closed_object_without_properties_is_an_empty_model(doc: Document) -> None:
    """An object without properties that forbids extra keys is a model with no fields."""
    schema = doc.load({"Empty": {"type": "object", "additionalProperties": False}})
    assert schema["Empty"] == doc.model("Empty", additional=False)


def test_unevaluated_properties_false_closes_the_model(doc31: Document) -> None:
    """``unevaluatedProperties: false`` (3.1) forbids extra keys like additionalProperties."""
    schema = doc31.load({"M": {"properties": {"a": {}}, "unevaluatedProperties": False}})
    assert schema["M"] == doc31.model("M", Field("a", AnyValue()), additional=False)


# Nullability


def test_nullable_true_makes_types_nullable_in_3_0(doc30: Document) -> None:
    """OpenAPI 3.0 ``nullable: true`` wraps the type, including a ``$ref``."""
    schema = doc30.load(
        {
            "Owner": {"properties": {"id": {"type": "string"}}},
            "Pet": {
                "properties": {
                    "name": {"type": "string", "nullable": True},
                    "owner": {**ref("Owner"), "nullable": True},
                    "wrapped": {"allOf": [ref("Owner")], "nullable": True},
                }
            },
        }
    )
    assert schema["Pet"] == doc30.model(
        "Pet",
        Field("name", Nullable(STRING)),
        Field("owner", Nullable(Ref("Owner"))),
        Field("wrapped", Nullable(Ref("Owner"))),
    )


def test_type_list_with_null_is_nullable_in_3_1(doc31: Document) -> None:
    """OpenAPI 3.1 ``type: [X, "null"]`` is a nullable X."""
    schema = doc31.load({"M": {"properties": {"a": {"type": ["integer", "null"]}}}})
    assert schema["M"] == doc31.model("M", Field("a", Nullable(INTEGER)))


def test_null_member_of_any_of_makes_the_other_member_nullable(doc31: Document) -> None:
    """``anyOf: [X, {type: null}]`` is a nullable X, not a union."""
    schema = doc31.load(
        {"Owner": {"anyOf": [ref("Pet"), {"type": "null"}]}, "Pet": {"type": "string"}}
    )
    assert schema["Owner"] == doc31.alias("Owner", Nullable(Ref("Pet")))


def test_null_member_of_one_of_with_several_members_makes_a_nullable_union(doc31: Document) -> None:
    """``oneOf: [X, Y, {type: null}]`` is a nullable union of X and Y."""
    schema = doc31.load(
        {"V": {"oneOf": [{"type": "string"}, {"type": "null"}, {"type": "integer"}]}}
    )
    assert schema["V"] == doc31.alias("V", Nullable(UnionOf((STRING, INTEGER), "oneOf")))


def test_nullable_model_definition_makes_its_refs_nullable(doc30: Document) -> None:
    """A named object marked nullable stays a model and every ``$ref`` to it is nullable."""
    schema = doc30.load(
        {
            "Owner": {"type": "object", "nullable": True, "properties": {"id": {}}},
            "Pet": {"properties": {"owner": ref("Owner")}},
        }
    )
    assert list(schema) == [
        doc30.model("Owner", Field("id", AnyValue())),
        doc30.model("Pet", Field("owner", Nullable(Ref("Owner")))),
    ]


# Unions and discriminators


def test_one_of_and_any_of_become_unions_with_their_mode(doc: Document) -> None:
    """``oneOf`` and ``anyOf`` become unions that keep which keyword they came from."""
    schema = doc.load(
        {
            "One": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "Any": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        }
    )
    assert list(schema) == [
        doc.alias("One", UnionOf((STRING, INTEGER), "oneOf")),
        doc.alias("Any", UnionOf((STRING, INTEGER), "anyOf")),
    ]


def test_discriminator_mapping_names_definitions(doc: Document) -> None:
    """A discriminator mapping's ``$ref`` values become definition names."""
    schema = doc.load(
        {
            "Pet": {
                "oneOf": [ref("Cat"), ref("Dog")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
                },
            },
            "Cat": {"properties": {"kind": {"const": "cat"}}},
            "Dog": {"properties": {"kind": {"const": "dog"}}},
        }
    )
    discriminator = Discriminator("kind", (("cat", "Cat"), ("dog", "Dog")))
    assert schema["Pet"] == doc.alias(
        "Pet", UnionOf((Ref("Cat"), Ref("Dog")), "oneOf", discriminator)
    )


def test_discriminator_without_mapping_maps_each_member_name(doc: Document) -> None:
    """Without a mapping, each ``$ref`` member's name maps to itself."""
    schema = doc.load(
        {
            "Pet": {"anyOf": [ref("Cat"), ref("Dog")], "discriminator": {"propertyName": "kind"}},
            "Cat": {"properties": {"kind": {"type": "string"}}},
            "Dog": {"properties": {"kind": {"type": "string"}}},
        }
    )
    discriminator = Discriminator("kind", (("Cat", "Cat"), ("Dog", "Dog")))
    assert schema["Pet"] == doc.alias(
        "Pet", UnionOf((Ref("Cat"), Ref("Dog")), "anyOf", discriminator)
    )


def test_discriminator_without_mapping_also_maps_each_member_s_only_tag(doc: Document) -> None:
    """Without a mapping, a member whose tag property allows one value is also picked by it."""
    schema = doc.load(
        {
            "Part": {
                "oneOf": [ref("Text"), ref("Refusal")],
                "discriminator": {"propertyName": "type"},
            },
            "Text": {"properties": {"type": {"enum": ["text"]}}, "required": ["type"]},
            "Refusal": {"properties": {"type": {"$ref": "#/components/schemas/RefusalTag"}}},
            "RefusalTag": {"type": "string", "const": "refusal"},
        }
    )
    mapping = (("Text", "Text"), ("Refusal", "Refusal"), ("text", "Text"), ("refusal", "Refusal"))
    assert schema["Part"] == doc.alias(
        "Part", UnionOf((Ref("Text"), Ref("Refusal")), "oneOf", Discriminator("type", mapping))
    )


def test_a_tag_two_members_allow_maps_to_neither(doc: Document) -> None:
    """A tag value two members both allow picks no member by itself."""
    schema = doc.load(
        {
            "Part": {
                "oneOf": [ref("A"), ref("B")],
                "discriminator": {"propertyName": "type"},
            },
            "A": {"properties": {"type": {"const": "x"}, "a": {"type": "string"}}},
            "B": {"properties": {"type": {"const": "x"}, "b": {"type": "string"}}},
        }
    )
    mapping = (("A", "A"), ("B", "B"))
    assert schema["Part"] == doc.alias(
        "Part", UnionOf((Ref("A"), Ref("B")), "oneOf", Discriminator("type", mapping))
    )


def test_one_of_listing_only_required_properties_is_ignored(doc: Document) -> None:
    """A ``oneOf`` whose members only list required properties leaves the object as is."""
    schema = doc.load(
        {
            "M": {
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            }
        }
    )
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("a", STRING), Field("b", STRING)),
        (
            Problem(
                doc.at("/components/schemas/M"),
                "ignored 'oneOf': its members only list required properties",
            ),
        ),
    )


# Inline schemas


def test_inline_property_object_becomes_a_named_model(doc: Document) -> None:
    """An inline object property becomes a model named parent + PascalCase property name."""
    schema = doc.load(
        {
            "PostV2ProxyCompletionsData": {
                "properties": {"usage": {"properties": {"total_tokens": {"type": "integer"}}}}
            }
        }
    )
    assert list(schema) == [
        doc.model(
            "PostV2ProxyCompletionsData", Field("usage", Ref("PostV2ProxyCompletionsDataUsage"))
        ),
        doc.model(
            "PostV2ProxyCompletionsDataUsage",
            Field("total_tokens", INTEGER),
            pointer="/components/schemas/PostV2ProxyCompletionsData/properties/usage",
        ),
    ]


def test_inline_items_and_union_members_get_item_and_position_names(doc: Document) -> None:
    """Inline objects in items are named ``...Item`` and in unions ``...1``, ``...2``."""

    def obj() -> dict[str, Any]:
        return {"properties": {"x": {"type": "string"}}}

    schema = doc.load(
        {
            "Chat": {
                "properties": {
                    "choices": {"type": "array", "items": obj()},
                    "content": {"oneOf": [obj(), {"type": "string"}, obj()]},
                }
            }
        }
    )
    base = "/components/schemas/Chat/properties"
    assert list(schema) == [
        doc.model(
            "Chat",
            Field("choices", ArrayOf(Ref("ChatChoicesItem"))),
            Field("content", UnionOf((Ref("ChatContent1"), STRING, Ref("ChatContent3")))),
        ),
        doc.model("ChatChoicesItem", Field("x", STRING), pointer=f"{base}/choices/items"),
        doc.model("ChatContent1", Field("x", STRING), pointer=f"{base}/content/oneOf/0"),
        doc.model("ChatContent3", Field("x", STRING), pointer=f"{base}/content/oneOf/2"),
    ]


def test_synthetic_names_do_not_collide_with_definitions(doc: Document) -> None:
    """A synthetic model whose name is taken by a definition gets a numeric suffix."""
    schema = doc.load(
        {
            "Pet": {"properties": {"owner": {"properties": {"id": {"type": "string"}}}}},
            "PetOwner": {"type": "string"},
        }
    )
    assert schema["Pet"] == doc.model("Pet", Field("owner", Ref("PetOwner2")))
    assert schema["PetOwner2"] == doc.model(
        "PetOwner2", Field("id", STRING), pointer="/components/schemas/Pet/properties/owner"
    )


# References, recursion and allOf


def test_recursive_model_refers_to_itself(doc: Document) -> None:
    """A model that contains itself is a ``Ref`` to its own name."""
    schema = doc.load(
        {"Tree": {"properties": {"children": {"type": "array", "items": ref("Tree")}}}}
    )
    assert schema["Tree"] == doc.model("Tree", Field("children", ArrayOf(Ref("Tree"))))


def test_yaml_anchor_shares_one_model(tmp_path: Path) -> None:
    """An inline object reused through a YAML anchor becomes one model, not two."""
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\n"
        "components:\n"
        "  schemas:\n"
        "    M:\n"
        "      properties:\n"
        "        a: &point {properties: {x: {type: integer}}}\n"
        "        b: *point\n"
    )
    schema = load_openapi(path)
    assert schema["M"] == Model(
        "M",
        (Field("a", Ref("MA")), Field("b", Ref("MA"))),
        source=f"{path}#/components/schemas/M",
    )
    assert list(schema.definitions) == ["M", "MA"]


def test_recursive_ref_outside_components_is_followed_once(doc31: Document) -> None:
    """A recursive object under ``$defs`` becomes one model; a recursive non-object is reported."""
    schema = doc31.load(
        {
            "M": {
                "$defs": {
                    "node": {"properties": {"next": {"$ref": "#/components/schemas/M/$defs/node"}}},
                    "loop": {
                        "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/M/$defs/loop"}]
                    },
                },
                "properties": {
                    "node": {"$ref": "#/components/schemas/M/$defs/node"},
                    "loop": {"$ref": "#/components/schemas/M/$defs/loop"},
                },
            }
        }
    )
    loop = "/components/schemas/M/$defs/loop"
    assert list(schema) == [
        doc31.model(
            "M",
            Field("node", Ref("MNode")),
            Field("loop", UnionOf((STRING, AnyValue()), "anyOf")),
        ),
        doc31.model(
            "MNode", Field("next", Ref("MNode")), pointer="/components/schemas/M/$defs/node"
        ),
    ]
    assert schema.problems == (
        Problem(
            doc31.at(f"{loop}/anyOf/1"),
            f"$ref '#{loop}' recurses outside components.schemas; any value is accepted here",
            "move the schema under components/schemas and $ref it by name",
        ),
    )


def test_local_pointer_ref_is_followed(doc: Document) -> None:
    """A ``$ref`` to a node inside another schema is converted where it points."""
    schema = doc.load(
        {
            "A": {
                "properties": {
                    "level": {"enum": ["low", "high"]},
                    "owner": {"properties": {"id": {"type": "string"}}},
                }
            },
            "B": {
                "properties": {
                    "level": {"$ref": "#/components/schemas/A/properties/level"},
                    "owner": {"$ref": "#/components/schemas/A/properties/owner"},
                }
            },
        }
    )
    assert schema["B"] == doc.model(
        "B", Field("level", EnumOf(("low", "high"))), Field("owner", Ref("AOwner"))
    )
    assert list(schema.definitions) == ["A", "B", "AOwner"]


def test_all_of_merges_properties_required_and_description(doc: Document) -> None:
    """``allOf`` merges the members' and referenced schemas' properties in order."""
    schema = doc.load(
        {
            "Base": {
                "description": "Base.",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "meta": {"properties": {"a": {}}}},
            },
            "Cat": {
                "allOf": [
                    ref("Base"),
                    {
                        "description": "A cat.",
                        "required": ["meow"],
                        "properties": {"meow": {"type": "boolean"}},
                    },
                ]
            },
        }
    )
    assert schema["Cat"] == doc.model(
        "Cat",
        Field("id", STRING, required=True),
        Field("meta", Ref("BaseMeta")),
        Field("meow", Primitive("boolean"), required=True),
        description="A cat.",
    )
    assert list(schema.definitions) == ["Base", "Cat", "BaseMeta"]


def test_all_of_wrapping_one_ref_is_that_ref(doc: Document) -> None:
    """A one-member ``allOf`` that wraps a ``$ref`` (to add a description) is the ref itself."""
    schema = doc.load(
        {
            "Pet": {"properties": {"id": {}}},
            "M": {"properties": {"pet": {"allOf": [ref("Pet")], "description": "The pet."}}},
        }
    )
    assert schema["M"] == doc.model("M", Field("pet", Ref("Pet"), description="The pet."))


def test_recursive_all_of_chain_is_merged_once(doc: Document) -> None:
    """A model that extends a base and refers to itself merges without looping."""
    schema = doc.load(
        {
            "Node": {"properties": {"value": {"type": "string"}}},
            "Linked": {"allOf": [ref("Node"), {"properties": {"next": ref("Linked")}}]},
        }
    )
    assert schema["Linked"] == doc.model(
        "Linked", Field("value", STRING), Field("next", Ref("Linked"))
    )


def test_all_of_cycle_is_a_problem(doc: Document) -> None:
    """Two schemas that extend each other through ``allOf`` report the cycle and stop."""
    schema = doc.load(
        {
            "A": {"allOf": [ref("B"), {"properties": {"a": {}}}]},
            "B": {"allOf": [ref("A"), {"properties": {"b": {}}}]},
        }
    )
    assert list(schema) == [
        doc.model("A", Field("b", AnyValue()), Field("a", AnyValue())),
        doc.model("B", Field("a", AnyValue()), Field("b", AnyValue())),
    ]
    assert schema.problems == (
        Problem(
            doc.at("/components/schemas/B/allOf/0"),
            "allOf cycles back to '#/components/schemas/A'",
            "break the cycle",
        ),
        Problem(
            doc.at("/components/schemas/A/allOf/0"),
            "allOf cycles back to '#/components/schemas/B'",
            "break the cycle",
        ),
    )


def test_all_of_of_non_objects_is_a_problem(doc: Document) -> None:
    """An ``allOf`` that mixes an object with a non-object is reported and accepts any value."""
    schema = doc.load({"M": {"allOf": [{"type": "string"}, {"properties": {"a": {}}}]}})
    assert (schema["M"], schema.problems) == (
        doc.alias("M", AnyValue()),
        (
            Problem(
                doc.at("/components/schemas/M"),
                "allOf of schemas that are not all objects cannot be merged;"
                " any value is accepted here",
                "use oneOf/anyOf, or a single $ref",
            ),
        ),
    )


def test_alias_cycle_is_a_problem(doc: Document) -> None:
    """Definitions that only ``$ref`` each other in a circle report it instead of looping."""
    schema = doc.load({"A": ref("B"), "B": ref("A")})
    assert list(schema) == [doc.alias("A", Ref("B")), doc.alias("B", AnyValue())]
    assert schema.problems == (
        Problem(
            doc.at("/components/schemas/B"),
            "aliases $ref each other in a cycle; any value is accepted here",
            "break the cycle",
        ),
    )


# Problems


def test_remote_ref_is_a_problem(doc: Document) -> None:
    """A ``$ref`` to another file is reported and accepts any value."""
    schema = doc.load({"M": {"properties": {"x": {"$ref": "other.yaml#/Pet"}}}})
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("x", AnyValue())),
        (
            Problem(
                doc.at("/components/schemas/M/properties/x"),
                "remote $ref 'other.yaml#/Pet' is not supported; any value is accepted here",
                "bundle the document into one file first (for example `redocly bundle`)",
            ),
        ),
    )


def test_unresolvable_ref_is_a_problem(doc: Document) -> None:
    """A local ``$ref`` to nothing is reported and accepts any value."""
    schema = doc.load({"M": {"items": ref("Missing")}})
    assert (schema["M"], schema.problems) == (
        doc.alias("M", ArrayOf(AnyValue())),
        (
            Problem(
                doc.at("/components/schemas/M/items"),
                "$ref '#/components/schemas/Missing' does not resolve; any value is accepted here",
                "fix the pointer",
            ),
        ),
    )


@pytest.mark.parametrize(
    ("keywords", "named"),
    [
        pytest.param({"not": {"type": "string"}}, "'not'", id="not"),
        pytest.param({"if": {}, "then": {}, "else": {}}, "'if', 'then', 'else'", id="if"),
        pytest.param({"type": "array", "prefixItems": [{}]}, "'prefixItems'", id="prefixItems"),
    ],
)
def test_unsupported_keyword_is_a_problem_with_any_value(
    doc31: Document, keywords: dict[str, Any], named: str
) -> None:
    """A schema using an unsupported keyword is reported at its pointer and accepts any value."""
    schema = doc31.load({"M": {"properties": {"y": keywords}}})
    assert (schema["M"], schema.problems) == (
        doc31.model("M", Field("y", AnyValue())),
        (
            Problem(
                doc31.at("/components/schemas/M/properties/y"),
                f"{named} is not supported; any value is accepted here",
                "describe the shape with type, properties, items or oneOf/anyOf",
            ),
        ),
    )


def test_pattern_properties_is_a_problem_and_opens_the_model(doc: Document) -> None:
    """``patternProperties`` is reported and extra keys accept any value."""
    schema = doc.load(
        {"M": {"properties": {"a": {}}, "patternProperties": {"^x-": {"type": "string"}}}}
    )
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("a", AnyValue()), additional=AnyValue()),
        (
            Problem(
                doc.at("/components/schemas/M"),
                "patternProperties is not supported; extra keys accept any value",
                "use additionalProperties",
            ),
        ),
    )


def test_type_list_with_several_types_is_a_problem(doc31: Document) -> None:
    """A 3.1 ``type`` list with several non-null types is reported and accepts any value."""
    schema = doc31.load({"V": {"type": ["string", "integer", "null"]}})
    assert (schema["V"], schema.problems) == (
        doc31.alias("V", AnyValue()),
        (
            Problem(
                doc31.at("/components/schemas/V"),
                "a type list with several non-null types ['string', 'integer'] is not supported;"
                " any value is accepted here",
                "use oneOf with one schema per type",
            ),
        ),
    )


def test_unknown_type_and_non_schema_values_are_problems(doc: Document) -> None:
    """An unknown ``type`` and a value that is not a schema are reported and accept any value."""
    schema = doc.load({"M": {"properties": {"f": {"type": "file"}, "n": 3}}})
    at = "/components/schemas/M/properties"
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("f", AnyValue()), Field("n", AnyValue())),
        (
            Problem(
                doc.at(f"{at}/f"),
                "unknown type 'file'; any value is accepted here",
                "use a JSON Schema type",
            ),
            Problem(
                doc.at(f"{at}/n"),
                "3 is no schema; any value is accepted here",
                "use a schema mapping, or {} for any value",
            ),
        ),
    )


def test_validation_keywords_are_reported_once_per_definition(doc: Document) -> None:
    """Value-only keywords are reported as ignored once per keyword and definition."""
    schema = doc.load(
        {
            "A": {
                "properties": {
                    "x": {"type": "string", "minLength": 1, "pattern": "^a"},
                    "y": {"type": "string", "minLength": 2},
                }
            },
            "B": {"type": "integer", "minimum": 0},
        }
    )
    why = "it only constrains values, not the wire shape"
    assert schema["A"] == doc.model("A", Field("x", STRING), Field("y", STRING))
    assert schema.problems == (
        Problem(doc.at("/components/schemas/A/properties/x"), f"ignored 'minLength': {why}"),
        Problem(doc.at("/components/schemas/A/properties/x"), f"ignored 'pattern': {why}"),
        Problem(doc.at("/components/schemas/B"), f"ignored 'minimum': {why}"),
    )


def test_unknown_and_direction_keywords_are_reported_but_extensions_are_not(
    doc: Document,
) -> None:
    """Unknown keywords and readOnly are reported as ignored; ``x-`` extensions are silent."""
    schema = doc.load(
        {"M": {"x-internal": True, "properties": {"id": {"readOnly": True, "typo": 1}}}}
    )
    at = doc.at("/components/schemas/M/properties/id")
    assert schema.problems == (
        Problem(at, "ignored 'readOnly': models have no request-only or response-only fields"),
        Problem(at, "ignored 'typo': not an OpenAPI schema keyword"),
    )


def test_undeclared_required_property_is_a_problem(doc: Document) -> None:
    """A required name missing from properties is reported and becomes an any-value field."""
    schema = doc.load({"M": {"required": ["a", "b"], "properties": {"a": {}}}})
    assert (schema["M"], schema.problems) == (
        doc.model("M", Field("a", AnyValue(), True), Field("b", AnyValue(), True)),
        (
            Problem(
                doc.at("/components/schemas/M"),
                "required property 'b' is not declared; any value is accepted here",
                "declare it under properties",
            ),
        ),
    )


def test_properties_beside_one_of_is_a_problem(doc: Document) -> None:
    """Properties next to a ``oneOf`` are reported as not merged into its members."""
    schema = doc.load(
        {"M": {"properties": {"a": {}}, "oneOf": [ref("X"), ref("Y")]}, "X": {}, "Y": {}}
    )
    assert (schema["M"], schema.problems) == (
        doc.alias("M", UnionOf((Ref("X"), Ref("Y")))),
        (
            Problem(
                doc.at("/components/schemas/M"),
                "properties beside oneOf is not merged into its members",
                "move what the members share into each member",
            ),
        ),
    )


def test_discriminator_without_union_is_reported(doc: Document) -> None:
    """A discriminator on a plain object (allOf polymorphism) is reported as ignored."""
    schema = doc.load(
        {"Pet": {"properties": {"kind": {}}, "discriminator": {"propertyName": "kind"}}}
    )
    assert schema.problems == (
        Problem(
            doc.at("/components/schemas/Pet"),
            "ignored 'discriminator': only a discriminator on oneOf/anyOf is used",
        ),
    )


# Unusable documents


def test_missing_file_is_a_schema_error(tmp_path: Path) -> None:
    """A file that cannot be read raises ``SchemaError`` naming it."""
    path = tmp_path / "missing.yaml"
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    assert str(caught.value) == (
        f"{path}: cannot read the OpenAPI document: No such file or directory\n"
        "  hint: check the path, and that the file is UTF-8 text"
    )


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    """Invalid YAML raises ``SchemaError`` with the parser's line and column."""
    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.1.0\ncomponents:\n  schemas: [a\n")
    with pytest.raises(SchemaError, match=r": invalid YAML at line 4, column 1: ") as caught:
        load_openapi(path)
    assert (caught.value.file, caught.value.hint) == (str(path), "fix the YAML syntax")


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    """Invalid JSON raises ``SchemaError`` with the parser's line and column."""
    path = tmp_path / "api.json"
    path.write_text('{\n  "openapi": "3.1.0",\n  "components": }\n')
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    assert str(caught.value) == (
        f"{path}: invalid JSON at line 3, column 17: Expecting value\n  hint: fix the JSON syntax"
    )


def test_swagger_2_document_is_a_schema_error(tmp_path: Path) -> None:
    """A Swagger 2.0 document raises ``SchemaError`` saying to convert it."""
    path = tmp_path / "api.yaml"
    path.write_text("swagger: '2.0'\ndefinitions: {}\n")
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    assert str(caught.value) == (
        f"{path}: not an OpenAPI 3 document: 'openapi' is None\n"
        "  hint: convert Swagger 2.0 to OpenAPI 3 first (for example with swagger2openapi)"
    )


def test_non_mapping_document_is_a_schema_error(tmp_path: Path) -> None:
    """A document that is not a mapping raises ``SchemaError``."""
    path = tmp_path / "api.json"
    path.write_text("[1, 2]")
    with pytest.raises(SchemaError, match="not an OpenAPI 3 document"):
        load_openapi(path)


def test_document_without_component_schemas_is_a_schema_error(tmp_path: Path) -> None:
    """A document without ``components.schemas`` raises ``SchemaError`` at that pointer."""
    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.0.3\npaths: {}\n")
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    assert str(caught.value) == (
        f"{path}#/components/schemas: the document defines no components.schemas"
        " and no JSON body under paths\n"
        "  hint: define the API's models under components.schemas or as JSON bodies under paths"
    )
