"""Tiny Stainless-shaped and Fern-shaped Python SDKs, written into a test's folder.

Each has the few functions its flavour's harness calls, written here in a few
lines (not the vendors' code), with one visible quirk each so a test can tell
the SDK's function ran rather than a stand-in:

* ``stainy`` (Stainless): ``_models.BaseModel`` (``extra="allow"``, ``to_json``
  leaving out unset fields) and a ``construct_type`` that builds without
  validating; ``_utils.maybe_transform`` renaming keys by ``PropertyInfo(alias=)``
  (a union by each member in turn); ``_base_client.openapi_dumps`` writing
  ``", "`` between items (httpx would not). ``stainy.types``: ``Pet`` (a response
  model, ``tag`` sent as ``petTag``), ``PetParams`` (request params holding
  ``shared_params.Tag``), ``PetRenamedParams`` (a key sent under another name)
  and ``OwnerParams`` (reaches ``PetRenamedParams``); ``pet_create_params``
  (``PetCreateParams``, a union of two params types over one base, with
  ``tag`` sent as ``petTag`` and ``betas`` sent as a header); ``PetListParams``
  (query only), ``PetUploadParams`` (multipart only); ``shared.Tag`` (a
  response model) and ``shared_params.Tag`` (params), two classes of one name.
  ``stainy.resources.pets`` calls ``maybe_transform`` the ways a Stainless
  client does (its methods are never called: the harness reads their source).
  ``resources=False`` leaves that module out. ``generation="prepare"`` is the
  newer Stainless shape: no ``maybe_transform``; ``_base_client`` imports
  ``_utils._prepare.prepare_request_data`` (dropping ``omit`` entries), whose
  ``serialize_data`` writes ``",  "`` and ``": "`` (neither ``openapi_dumps``
  nor httpx would), and ``resources.pets`` hands ``body={...}`` literals of its
  keyword arguments (``PropertyInfo`` is inert there: nothing renames).
  ``generation="none"``: neither request writer is there.
* ``ferny`` (Fern): ``core.unchecked_base_model.construct_type`` (lenient) or,
  with ``validating=True``, generated clients that call ``parse_obj_as``
  instead; ``core.jsonable_encoder`` dumping by alias without unset fields;
  ``core.serialization.convert_and_respect_annotation_metadata`` adding nothing.
  ``ferny.types``: ``Pet`` (``pet_name`` sent as ``petName``), ``Cat``
  (``cat_name`` sent as ``catName``) and ``Animal``, a union of the two that
  ``construct_type`` reads as the first member whose required keys are there.

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
    if typing.get_origin(expected_type) is typing.Union:
        for member in typing.get_args(expected_type):
            data = maybe_transform(data, member)
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
from .shared_params.tag import Tag

__all__ = ["Pet", "PetParams", "PetRenamedParams", "OwnerParams"]


class Pet(BaseModel):
    name: str
    tag: Optional[str] = pydantic.Field(default=None, alias="petTag")


class PetParams(TypedDict, total=False):
    name: str
    age: int
    tags: list[Tag]


class PetRenamedParams(TypedDict, total=False):
    name: Annotated[str, PropertyInfo(alias="petName")]


class OwnerParams(TypedDict, total=False):
    pets: list[PetRenamedParams]
"""

STAINLESS_CREATE_PARAMS = """\
from typing import List, Union

from typing_extensions import Annotated, Literal, Required, TypedDict

from .._utils import PropertyInfo

__all__ = [
    "PetCreateParamsBase",
    "PetCreateParamsNonStreaming",
    "PetCreateParamsStreaming",
    "PetCreateParams",
]


class PetCreateParamsBase(TypedDict, total=False):
    name: Required[str]
    tag: Annotated[str, PropertyInfo(alias="petTag")]
    betas: Annotated[List[str], PropertyInfo(alias="stainy-beta")]


class PetCreateParamsNonStreaming(PetCreateParamsBase, total=False):
    stream: Literal[False]


class PetCreateParamsStreaming(PetCreateParamsBase):
    stream: Required[Literal[True]]


PetCreateParams = Union[PetCreateParamsNonStreaming, PetCreateParamsStreaming]
"""

STAINLESS_OTHER_PARAMS = """\
from typing_extensions import Required, TypedDict

__all__ = ["PetListParams", "PetUploadParams"]


class PetListParams(TypedDict, total=False):
    after: str


class PetUploadParams(TypedDict, total=False):
    file: Required[bytes]
    purpose: str
"""

STAINLESS_SHARED_TAG = """\
from ..._models import BaseModel

__all__ = ["Tag"]


class Tag(BaseModel):
    label: str
"""

STAINLESS_SHARED_PARAMS_TAG = """\
from typing_extensions import TypedDict

__all__ = ["Tag"]


class Tag(TypedDict, total=False):
    label: str
"""

#: What a Stainless resource does with params; only read, never imported or called.
STAINLESS_RESOURCE = """\
from .._utils import maybe_transform, deepcopy_minimal, extract_files
from ..types import pet_create_params
from ..types.pet import OwnerParams, PetParams
from ..types.other_params import PetListParams, PetUploadParams


class Pets:
    def create(self, *, name, tag=omit, betas=omit, stream=omit):
        extra_headers = {"stainy-beta": ",".join(betas)}
        return self._post(
            "/pets",
            body=maybe_transform(
                {"name": name, "tag": tag, "stream": stream},
                pet_create_params.PetCreateParamsStreaming
                if stream
                else pet_create_params.PetCreateParamsNonStreaming,
            ),
            options=make_request_options(extra_headers=extra_headers),
        )

    def update(self, **params):
        return self._post("/pets/1", body=maybe_transform(params, PetParams))

    async def adopt(self, **params):
        sent = await async_maybe_transform(params, OwnerParams)
        return await self._post("/owners", body=sent)

    def list(self, *, after=omit):
        query = maybe_transform({"after": after}, PetListParams)
        return self._get("/pets", options=make_request_options(query=query))

    def upload(self, *, file, purpose=omit):
        body = deepcopy_minimal({"file": file, "purpose": purpose})
        files = extract_files(body, paths=[["file"]])
        return self._post("/pets/upload", body=maybe_transform(body, PetUploadParams), files=files)
"""

#: Stainless's barrels re-export each name as itself, with no ``__all__``.
STAINLESS_BARREL = "".join(
    f"from .{module} import {name} as {name}\n"
    for module, name in (
        ("pet", "Pet"),
        ("pet", "PetParams"),
        ("pet", "PetRenamedParams"),
        ("pet", "OwnerParams"),
        ("pet_create_params", "PetCreateParams"),
        ("other_params", "PetListParams"),
        ("other_params", "PetUploadParams"),
        ("shared", "Tag"),
    )
)

FERN_UTILITIES = """\
import pydantic


class UniversalBaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")


def parse_obj_as(type_, object_):
    return pydantic.TypeAdapter(type_).validate_python(object_)
"""

FERN_UNCHECKED = """\
import typing

import pydantic

from .pydantic_utilities import UniversalBaseModel


class UncheckedBaseModel(UniversalBaseModel):
    pass


def construct_type(*, type_, object_):
    if typing.get_origin(type_) is typing.Union:  # the first member whose keys are all there
        for member in typing.get_args(type_):
            fields = getattr(member, "model_fields", {}).items()
            wanted = [info.alias or name for name, info in fields if info.is_required()]
            if isinstance(object_, dict) and all(key in object_ for key in wanted):
                return construct_type(type_=member, object_=object_)
        return object_
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
from typing import Optional, Union

import pydantic

from ..core.unchecked_base_model import UncheckedBaseModel


class Pet(UncheckedBaseModel):
    pet_name: str = pydantic.Field(alias="petName")
    age: Optional[int] = None


class Cat(UncheckedBaseModel):
    cat_name: str = pydantic.Field(alias="catName")


Animal = Union[Pet, Cat]
"""

FERN_BARREL = 'from .pet import Animal, Cat, Pet\n\n__all__ = ["Animal", "Cat", "Pet"]\n'

FERN_RAW_CLIENT = """\
from .core.pydantic_utilities import parse_obj_as
from .core.unchecked_base_model import construct_type
from .types.pet import Pet


def get_pet(response):
    return {reader}
"""


#: An inert ``PropertyInfo`` for the newer generations: kept in the types, used by nothing.
STAINLESS_PROPERTY_INFO = """\
class PropertyInfo:
    def __init__(self, *, alias=None):
        self.alias = alias
"""

STAINLESS_PREPARE = (
    STAINLESS_PROPERTY_INFO
    + """\

omit = object()


def prepare_request_data(data, *, location):
    if isinstance(data, dict):
        items = data.items()
        return {k: prepare_request_data(v, location=location) for k, v in items if v is not omit}
    return data


def serialize_data(data, *, location):
    import json

    return json.dumps(prepare_request_data(data, location=location), separators=(",  ", ": "))
"""
)

#: The newer generation's resource: body literals, no params type named.
STAINLESS_LITERAL_RESOURCE = """\
class Pets:
    def create(self, *, name, tag=omit, betas=omit, stream=omit):
        extra_headers = {"stainy-beta": ",".join(betas)}
        return self._post(
            "/pets",
            body={"name": name, "tag": tag, "stream": stream},
            options=make_request_options(extra_headers=extra_headers),
        )

    def list(self, *, after=omit):
        return self._get("/pets", options=make_request_options(query={"after": after}))

    def upload(self, *, file, purpose=omit):
        body = deepcopy_minimal({"file": file, "purpose": purpose})
        return self._post("/pets/upload", body=body, files=extract_files(body))
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def write_stainless_sdk(
    folder: Path, dumps: bool = True, resources: bool = True, generation: str = "transform"
) -> Path:
    """``folder/stainy``; ``dumps=False``: an older generator without ``openapi_dumps``;
    ``resources=False``: no module calls ``maybe_transform``; ``generation``: ``transform``,
    ``prepare`` (the newer shape) or ``none`` (no request writer; see the module doc)."""
    files = {
        "__init__.py": "",
        "_models.py": STAINLESS_MODELS,
        "_utils/__init__.py": STAINLESS_UTILS,
        "_utils/_transform.py": STAINLESS_TRANSFORM,
        "_base_client.py": STAINLESS_BASE_CLIENT if dumps else "",
        "types/pet.py": STAINLESS_TYPES,
        "types/pet_create_params.py": STAINLESS_CREATE_PARAMS,
        "types/other_params.py": STAINLESS_OTHER_PARAMS,
        "types/shared/__init__.py": "from .tag import Tag as Tag\n",
        "types/shared/tag.py": STAINLESS_SHARED_TAG,
        "types/shared_params/__init__.py": "from .tag import Tag as Tag\n",
        "types/shared_params/tag.py": STAINLESS_SHARED_PARAMS_TAG,
        "types/__init__.py": STAINLESS_BARREL,
    }
    if resources:
        files["resources/__init__.py"] = ""
        files["resources/pets.py"] = STAINLESS_RESOURCE
    if generation != "transform":
        del files["_utils/_transform.py"]
        files["_utils/__init__.py"] = "from ._prepare import PropertyInfo\n"
        files["_utils/_prepare.py"] = STAINLESS_PREPARE
        if generation == "prepare":
            files["_base_client.py"] += "from ._utils._prepare import prepare_request_data\n"
            files["resources/pets.py"] = STAINLESS_LITERAL_RESOURCE
        else:  # keep only the inert PropertyInfo the types import
            files["_utils/_prepare.py"] = STAINLESS_PROPERTY_INFO
    _write(folder / "stainy", files)
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
            "types/__init__.py": FERN_BARREL,
            "raw_client.py": FERN_RAW_CLIENT.format(reader=reader),
        },
    )
    return folder
