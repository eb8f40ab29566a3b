"""The Python harness's listing, export and rejections on a tiny Speakeasy-shaped pydantic SDK.

``shop`` (written into the test's folder) has what a Speakeasy SDK keeps outside
pydantic's JSON Schema: an operation request model whose fields carry
``FieldMetadata(path=..., query=..., request=...)``, a pagination wrapper with a
``next`` callable, a union discriminated by a callable over ``Tag``ged members,
open enums (an ``OpenEnumMeta`` enum class and a ``Literal | UnrecognizedStr``
union), and a reader that wraps the payload in a model of its own as
Speakeasy's ``unmarshal`` does. The harness runs under the SDK venv's
interpreter (pydantic); the loader and protocol tests need neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.harnesses.python_harness_cases import error_location
from conformance.schema import (
    Discriminator,
    EnumOf,
    JsonValue,
    Model,
    Nullable,
    Ref,
    UnionOf,
)
from conformance.sources.cases import Case
from conformance.sources.jsonschema_doc import schema_from_json_schema
from conformance.targets.builtin import python_sdk_target
from conformance.targets.discovery import DroppedModel, dropped_models
from conformance.targets.harness import HarnessTarget
from conformance.targets.protocol import answer_problem, run_outcome
from tests.tiny_sdks import SDK_PYTHON, require_pydantic

UTILS = """\
import enum
from typing import Any

from pydantic import ConfigDict, create_model
from pydantic_core import core_schema


class FieldMetadata:
    def __init__(self, path=None, query=None, header=None, request=None):
        self.path, self.query, self.header, self.request = path, query, header, request


class OpenEnumMeta(enum.EnumMeta):
    def __new__(mcs, name, bases, namespace, **kwargs):
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)

        def __get_pydantic_core_schema__(cls_inner, _source, _handler):
            def validate_lax(v):
                try:
                    return enum.EnumMeta.__call__(cls_inner, v)
                except ValueError:
                    return v

            def validate_strict(v):
                return enum.EnumMeta.__call__(cls_inner, v)

            base = core_schema.str_schema()
            return core_schema.lax_or_strict_schema(
                lax_schema=core_schema.chain_schema(
                    [base, core_schema.no_info_plain_validator_function(validate_lax)]
                ),
                strict_schema=core_schema.chain_schema(
                    [base, core_schema.no_info_plain_validator_function(validate_strict)]
                ),
            )

        setattr(cls, "__get_pydantic_core_schema__", classmethod(__get_pydantic_core_schema__))
        return cls


class UnrecognizedStr(str):
    @classmethod
    def __get_pydantic_core_schema__(cls, _source, _handler):
        def validate_lax(v):
            return v if isinstance(v, cls) else cls(str(v))

        lax = core_schema.no_info_plain_validator_function(validate_lax)
        return core_schema.lax_or_strict_schema(
            lax_schema=core_schema.chain_schema([core_schema.str_schema(), lax]),
            strict_schema=core_schema.none_schema(),
        )


def get_discriminator(model: Any, fieldname: str, key: str):
    if isinstance(model, dict):
        if key in model:
            return f"{model[key]}"
    elif hasattr(model, fieldname):
        value = getattr(model, fieldname)
        return f"{value.value if isinstance(value, enum.Enum) else value}"
    raise ValueError(f"Could not find discriminator field {fieldname} in {model}")


def unmarshal(value, typ):
    config = ConfigDict(populate_by_name=True)
    wrapper = create_model("Unmarshaller", body=(typ, ...), __config__=config)
    return wrapper(body=value).body


def unmarshal_json(text, typ):
    import json

    return unmarshal(json.loads(text), typ)


def marshal_json(obj, typ):
    return obj.model_dump_json(by_alias=True, exclude_none=True)
"""

MODELS = """\
from __future__ import annotations

import enum
from typing import Any, Callable, List, Literal, Optional, Union

import httpx
import pydantic
from pydantic import Discriminator, Tag
from typing_extensions import Annotated

from shop.utils import FieldMetadata, OpenEnumMeta, UnrecognizedStr, get_discriminator

__all__ = [
    "Cat", "Color", "Dog", "GetPetRequest", "GetPetResponse", "Owner", "Pet", "PetPage", "Size",
    "Sizes",
]


class Base(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)


class Color(str, enum.Enum, metaclass=OpenEnumMeta):
    RED = "red"
    BLUE = "blue"


Size = Union[Literal["s", "m"], UnrecognizedStr]


class Cat(Base):
    kind: Literal["cat"] = "cat"
    lives: int


class Dog(Base):
    kind: Literal["dog"] = "dog"
    good: bool


Animal = Annotated[
    Union[Annotated[Cat, Tag("cat")], Annotated[Dog, Tag("dog")]],
    Discriminator(lambda m: get_discriminator(m, "kind", "kind")),
]


class Pet(Base):
    pet_name: str = pydantic.Field(alias="petName")
    animal: Optional[Animal] = None
    color: Optional[Color] = None
    size: Optional[Size] = None
    tag: Union[int, List[int], None] = None


class Sizes(Base):
    size: Size
    # Fern's open enum: its known values beside Any.
    shade: Union[Literal["light", "dark"], Any]
    mood: Optional[Union[Literal["calm"], Any]] = None
    # Any beside other types is no enum.
    loose: Union[int, Any] = 0


class Owner(Base):
    pets: List[Pet]


class GetPetRequest(Base):
    pet_id: Annotated[str, FieldMetadata(path=True)]
    verbose: Annotated[Optional[bool], FieldMetadata(query=True)] = None
    body: Annotated[Optional[Pet], FieldMetadata(request=True)] = None


class PetPage(Base):
    result: Owner
    next: Callable[[], Optional[PetPage]]


class GetPetResponse(Base):
    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)
    status_code: int
    raw_response: httpx.Response
    pet: Optional[Pet] = None
"""

#: A stand-in for the HTTP client an older Speakeasy SDK's response wrapper holds.
HTTPX = """class Response:
    pass
"""


def write_shop(folder: Path) -> Path:
    """Write the ``shop`` package under ``folder`` (a ``PYTHONPATH`` entry) and return it."""
    package = folder / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "utils.py").write_text(UTILS, "utf-8")
    (package / "models.py").write_text(MODELS, "utf-8")
    (folder / "httpx.py").write_text(HTTPX, "utf-8")
    return folder


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HarnessTarget]:
    """The harness over ``shop.models``, started."""
    require_pydantic()
    folder = write_shop(tmp_path_factory.mktemp("shop"))
    target = python_sdk_target(
        "shop",
        str(SDK_PYTHON),
        ["shop.models"],
        "shop",
        env={"PYTHONPATH": str(folder)},
        start_timeout=60.0,
    )
    target.start()
    yield target
    target.close()


@pytest.fixture(scope="module")
def exported(shop: HarnessTarget) -> dict[str, Any]:
    """The export of every model of ``shop``."""
    return shop.export_schemas()


def _reasons(dropped: list[DroppedModel]) -> dict[str, str]:
    return {each.name: each.reason for each in dropped}


def test_listing_leaves_out_operation_wrappers_and_callable_holders(shop: HarnessTarget) -> None:
    """The listing has the wire models only; the wrapper and the page are not among them."""
    names = {entry.name for entry in shop.list_model_entries()}
    assert names == {"Cat", "Dog", "Owner", "Pet", "Sizes"}


def test_export_lists_each_dropped_model_with_its_reason(exported: dict[str, Any]) -> None:
    """The export says which models it left out and why, read by the client."""
    reasons = _reasons(dropped_models(exported))
    assert set(reasons) == {"GetPetRequest", "GetPetResponse", "PetPage"}
    assert "raw HTTP response ('raw_response')" in reasons["GetPetResponse"]
    assert (
        "FieldMetadata(path='pet_id', query='verbose', request='body')" in reasons["GetPetRequest"]
    )
    assert "callable ('next')" in reasons["PetPage"]
    assert not {"GetPetRequest", "GetPetResponse", "PetPage"} & set(exported["schemas"]["$defs"])
    assert answer_problem("schemas", exported) is None


def test_export_keeps_a_callable_discriminator(exported: dict[str, Any]) -> None:
    """A union discriminated by a callable over tags is exported and loaded as a tagged union."""
    schema = schema_from_json_schema(exported["schemas"], "shop", optional_null_is_absent=True)
    pet = schema.definitions["Pet"]
    assert isinstance(pet, Model)
    animal = next(f.type for f in pet.fields if f.wire_name == "animal")
    assert isinstance(animal, UnionOf)
    assert animal.discriminator == Discriminator("kind", (("cat", "Cat"), ("dog", "Dog")))


def test_export_keeps_open_enums_with_their_known_values(exported: dict[str, Any]) -> None:
    """An OpenEnumMeta class, a Literal | UnrecognizedStr union and known strings beside Any
    (Fern's) load as open enums; Any beside another type does not."""
    schema = schema_from_json_schema(exported["schemas"], "shop", optional_null_is_absent=True)
    pet = schema.definitions["Pet"]
    sizes = schema.definitions["Sizes"]
    assert isinstance(pet, Model)
    assert isinstance(sizes, Model)
    types = {f.wire_name: f.type for f in (*pet.fields, *sizes.fields)}
    assert schema.resolve(types["color"]) == EnumOf(("red", "blue"), open=True)
    assert schema.resolve(types["size"]) == EnumOf(("s", "m"), open=True)
    assert schema.resolve(types["shade"]) == EnumOf(("light", "dark"), open=True)
    assert schema.resolve(types["mood"]) == EnumOf(("calm",), open=True)
    assert not isinstance(schema.resolve(types["loose"]), EnumOf)


def test_closed_unions_stay_unions(exported: dict[str, Any]) -> None:
    """A union without an open member is exported as before, not as an enum."""
    node = exported["schemas"]["$defs"]["Pet"]["properties"]["tag"]
    assert "x-open-enum" not in str(node)
    assert {"type": "integer"} in node["anyOf"]


def test_rejection_names_the_nested_wire_path(shop: HarnessTarget) -> None:
    """A bad value deep in the payload is located by wire keys and indices."""
    wire: JsonValue = {"pets": [{"petName": "a"}, {"petName": 5}]}
    outcome = shop.run(Case("c1", "Owner", "response", wire))
    assert outcome.state == "rejected"
    assert outcome.error_path == ("pets", 1, "petName")


def test_rejection_of_a_missing_key_ends_with_that_key(shop: HarnessTarget) -> None:
    """A missing required key is named as the last step, inside a tagged union member."""
    wire: JsonValue = {"pets": [{"petName": "a", "animal": {"kind": "cat"}}]}
    outcome = shop.run(Case("c2", "Owner", "request", wire))
    assert outcome.state == "rejected"
    assert outcome.error_path == ("pets", 0, "animal", "lives")


def test_rejection_skips_union_member_labels(shop: HarnessTarget) -> None:
    """pydantic's member names (``int``, ``list[int]``) between the keys are not wire steps."""
    outcome = shop.run(Case("c3", "Pet", "response", {"petName": "a", "tag": "x"}))
    assert outcome.state == "rejected"
    assert outcome.error_path == ("tag",)


def test_error_location_follows_the_payload() -> None:
    """Keys and indices present in the payload are kept; labels between them are not."""
    payload = {"a": [{"b": "x"}, {"c": {"d": 1}}]}
    assert error_location(["a", 1, "C1", "c", "d"], payload, False) == ["a", 1, "c", "d"]
    assert error_location(["a", 0, "missing_key"], payload, True) == ["a", 0, "missing_key"]
    assert error_location(["a", 0, "str"], payload, False) == ["a", 0]
    assert error_location([], payload, False) == []


def test_rejected_answer_carries_its_error_path() -> None:
    """A rejected answer's ``error_path`` is valid protocol and becomes the outcome's."""
    answer: dict[str, Any] = {"seq": 1, "accepted": False, "error": "bad", "error_path": ["a", 0]}
    assert answer_problem("run", answer) is None
    assert run_outcome("t", "c", answer, "", 0.0).error_path == ("a", 0)
    without: dict[str, JsonValue] = {"seq": 1, "accepted": False, "error": "bad"}
    assert run_outcome("t", "c", without, "", 0.0).error_path is None
    assert answer_problem("run", {**answer, "error_path": [True]}) is not None


def test_models_answer_may_list_dropped_models() -> None:
    """A ``models`` answer with ``dropped`` entries is valid and read by the client."""
    answer: dict[str, Any] = {
        "models": [{"name": "Pet", "directions": ["request"]}],
        "dropped": [{"name": "GetPetRequest", "reason": "operation parameters"}],
    }
    assert answer_problem("models", answer) is None
    assert dropped_models(answer) == [DroppedModel("GetPetRequest", "operation parameters")]
    assert answer_problem("models", {**answer, "dropped": [{"name": "X"}]}) is not None


OPEN_DOC: dict[str, Any] = {
    "$defs": {
        "Shade": {"enum": ["dark", "light"], "type": "string", "x-open-enum": True},
        "Paint": {
            "type": "object",
            "properties": {
                "color": {
                    "enum": ["red", "blue"],
                    "type": "string",
                    "title": "Color",
                    "x-open-enum": True,
                    "description": "The color.",
                },
                "trim": {
                    "anyOf": [
                        {
                            "enum": ["red", "blue"],
                            "type": "string",
                            "title": "Color",
                            "x-open-enum": True,
                        },
                        {"type": "null"},
                    ]
                },
                "shade": {"$ref": "#/$defs/Shade"},
                "finish": {"enum": ["matte", "gloss"], "type": "string"},
            },
            "required": ["color", "trim"],
        },
        "Color": {"type": "object", "properties": {"hex": {"type": "string"}}},
    }
}


def test_loader_reads_open_enums_and_shares_equal_ones() -> None:
    """Inline and named open enums are open; equal inline ones share one definition."""
    schema = schema_from_json_schema(OPEN_DOC, "paint.json")
    paint = schema.definitions["Paint"]
    assert isinstance(paint, Model)
    types = {f.wire_name: f.type for f in paint.fields}
    assert types["color"] == Ref("Color2")
    assert types["trim"] == Nullable(Ref("Color2"))
    assert schema.resolve(types["color"]) == EnumOf(("red", "blue"), open=True)
    assert schema.resolve(types["shade"]) == EnumOf(("dark", "light"), open=True)
    assert types["finish"] == EnumOf(("matte", "gloss"))
    assert paint.fields[0].description == "The color."
    assert schema.problems == ()


def test_export_names_exactly_the_models_that_cannot_be_exported(tmp_path: Path) -> None:
    """Two models of twelve refer to a type nobody defines: the export lists those two under
    ``failed`` and holds the ten others (the failing ones are found by halving the set)."""
    require_pydantic()
    package = tmp_path / "ledger"
    (package / "models").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    lines = ["import pydantic", "", ""]
    broken = {"Entry3", "Entry10"}
    for index in range(12):
        name = f"Entry{index}"
        kind = '"Undefined"' if name in broken else "int"
        lines += [f"class {name}(pydantic.BaseModel):", f"    amount: {kind}", "", ""]
    (package / "models" / "__init__.py").write_text("\n".join(lines), encoding="utf-8")
    target = python_sdk_target(
        "ledger", str(SDK_PYTHON), ["ledger.models"], "ledger", env={"PYTHONPATH": str(tmp_path)}
    )
    try:
        target.start()
        answer = target.export_schemas()
    finally:
        target.close()
    failed = answer.get("failed")
    assert isinstance(failed, dict)
    assert set(failed) == broken
    assert all("Undefined" in str(reason) for reason in failed.values())
    schemas = answer["schemas"]
    assert isinstance(schemas, dict)
    assert set(schemas["$defs"]) == {f"Entry{i}" for i in range(12)} - broken
