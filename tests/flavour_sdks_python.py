"""Tiny Stainless-shaped and Fern-shaped Python SDKs, written into a test's folder.

Each has the few functions its flavour's harness calls, written here in a few
lines (not the vendors' code), with one visible quirk each so a test can tell
the SDK's function ran rather than a stand-in:

* ``stainy`` (Stainless): ``_models.BaseModel`` (``extra="allow"``, ``to_json``
  leaving out unset fields) and a ``construct_type`` that builds without
  validating; ``_utils.maybe_transform`` renaming keys by ``PropertyInfo(alias=)``;
  ``_base_client.openapi_dumps`` writing ``", "`` between items (httpx would not).
  ``stainy.types``: ``Pet`` (a response model, ``tag`` sent as ``petTag``),
  ``PetParams`` (request params), ``PetRenamedParams`` (a key sent under another
  name) and ``OwnerParams`` (reaches ``PetRenamedParams``).
* ``ferny`` (Fern): ``core.unchecked_base_model.construct_type`` (lenient) or,
  with ``validating=True``, generated clients that call ``parse_obj_as``
  instead; ``core.jsonable_encoder`` dumping by alias without unset fields;
  ``core.serialization.convert_and_respect_annotation_metadata`` adding nothing.
  ``ferny.types``: ``Pet`` (``pet_name`` sent as ``petName``).

Both need pydantic (and import httpx when there): the orq SDK's venv (``SDK_PYTHON``).
"""

from __future__ import annotations

from pathlib import Path

STAINLESS_MODELS = """\
import pydantic


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True)

    def to_json(self, *, indent=2):
        return self.model_dump_json(indent=indent, by_alias=True, exclude_unset=True)


def construct_type(*, value, type_):
    if not (isinstance(type_, type) and issubclass(type_, BaseModel) and isinstance(value, dict)):
        return value
    keys = {info.alias or name: name for name, info in type_.model_fields.items()}
    fields = {keys[key]: item for key, item in value.items() if key in keys}
    extra = {key: item for key, item in value.items() if key not in keys}
    return type_.model_construct(_fields_set=set(fields), **fields, **extra)
"""

STAINLESS_TRANSFORM = """\
import typing


class PropertyInfo:
    def __init__(self, *, alias=None):
        self.alias = alias


def get_type_hints(obj, include_extras=False):
    return typing.get_type_hints(obj, include_extras=include_extras)


def _maybe_transform_key(key, type_):
    for meta in getattr(type_, "__metadata__", ()):
        if isinstance(meta, PropertyInfo) and meta.alias:
            return meta.alias
    return key


def maybe_transform(data, expected_type):
    if data is None or not isinstance(data, dict):
        return data
    hints = get_type_hints(expected_type, include_extras=True)
    return {_maybe_transform_key(k, hints.get(k)): v for k, v in data.items()}
"""

STAINLESS_UTILS = "from ._transform import PropertyInfo, maybe_transform\n"

STAINLESS_BASE_CLIENT = """\
import json


def openapi_dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ":")).encode()
"""

STAINLESS_TYPES = """\
from typing import Optional

import pydantic
from typing_extensions import Annotated, TypedDict

from .._models import BaseModel
from .._utils import PropertyInfo


class Pet(BaseModel):
    name: str
    tag: Optional[str] = pydantic.Field(default=None, alias="petTag")


class PetParams(TypedDict, total=False):
    name: str
    age: int


class PetRenamedParams(TypedDict, total=False):
    name: Annotated[str, PropertyInfo(alias="petName")]


class OwnerParams(TypedDict, total=False):
    pets: list[PetRenamedParams]
"""

#: Stainless's barrels re-export each name as itself, with no ``__all__``.
STAINLESS_BARREL = "".join(
    f"from .pet import {name} as {name}\n"
    for name in ("Pet", "PetParams", "PetRenamedParams", "OwnerParams")
)

FERN_UTILITIES = """\
import pydantic


class UniversalBaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


def parse_obj_as(type_, object_):
    return pydantic.TypeAdapter(type_).validate_python(object_)
"""

FERN_UNCHECKED = """\
import pydantic

from .pydantic_utilities import UniversalBaseModel


class UncheckedBaseModel(UniversalBaseModel):
    pass


def construct_type(*, type_, object_):
    if not (isinstance(type_, type) and issubclass(type_, pydantic.BaseModel)):
        return object_
    if not isinstance(object_, dict):
        return object_
    keys = {info.alias or name: name for name, info in type_.model_fields.items()}
    fields = {keys[key]: item for key, item in object_.items() if key in keys}
    extra = {key: item for key, item in object_.items() if key not in keys}
    return type_.model_construct(_fields_set=set(fields), **fields, **extra)
"""

FERN_ENCODER = """\
import pydantic


def jsonable_encoder(obj):
    if isinstance(obj, pydantic.BaseModel):
        return obj.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return obj
"""

FERN_SERIALIZATION = """\
def convert_and_respect_annotation_metadata(*, object_, annotation, direction):
    return object_
"""

FERN_TYPES = """\
from typing import Optional

import pydantic

from ..core.unchecked_base_model import UncheckedBaseModel


class Pet(UncheckedBaseModel):
    pet_name: str = pydantic.Field(alias="petName")
    age: Optional[int] = None
"""

FERN_RAW_CLIENT = """\
from .core.pydantic_utilities import parse_obj_as
from .core.unchecked_base_model import construct_type
from .types.pet import Pet


def get_pet(response):
    return {reader}
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def write_stainless_sdk(folder: Path, dumps: bool = True) -> Path:
    """``folder/stainy``; ``dumps=False``: an older generator without ``openapi_dumps``."""
    _write(
        folder / "stainy",
        {
            "__init__.py": "",
            "_models.py": STAINLESS_MODELS,
            "_utils/__init__.py": STAINLESS_UTILS,
            "_utils/_transform.py": STAINLESS_TRANSFORM,
            "_base_client.py": STAINLESS_BASE_CLIENT if dumps else "",
            "types/pet.py": STAINLESS_TYPES,
            "types/__init__.py": STAINLESS_BARREL,
        },
    )
    return folder


def write_fern_sdk(folder: Path, validating: bool = False) -> Path:
    """``folder/ferny``; ``validating``: its clients read responses with ``parse_obj_as``."""
    reader = (
        "parse_obj_as(Pet, response.json())"
        if validating
        else ("construct_type(type_=Pet, object_=response.json())")
    )
    _write(
        folder / "ferny",
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/pydantic_utilities.py": FERN_UTILITIES,
            "core/unchecked_base_model.py": FERN_UNCHECKED,
            "core/jsonable_encoder.py": FERN_ENCODER,
            "core/serialization.py": FERN_SERIALIZATION,
            "types/pet.py": FERN_TYPES,
            "types/__init__.py": 'from .pet import Pet\n\n__all__ = ["Pet"]\n',
            "raw_client.py": FERN_RAW_CLIENT.format(reader=reader),
        },
    )
    return folder
