"""Tiny SDK-shaped packages, written into a test's folder for the shipped harnesses.

``write_pydantic_sdk`` writes ``vendor/client``, shaped like a Speakeasy Python
SDK without a barrel: one module per model under ``vendor.client.models`` (whose
``__init__`` exports nothing) and the SDK's own ``vendor.client.utils`` reader
and writer. Its ``marshal_json`` leaves out fields that are ``None``, as
Speakeasy's does, so whether the harness wrote through it or through plain
pydantic shows in the output. ``write_zod_sdk`` writes ``@tiny/sdk`` into a
``node_modules``: per-model files under ``dist/models/components`` (no
``index.js``), exported as ``./*`` -> ``./dist/*``, with zod schemas. Its
``faithful`` option adds ``dist/models/faithful/index.js``, Speakeasy-shaped
models (``zod/v3``, ``remap``, ``collectExtraKeys``, the SDK's own
``lib/encodings.js`` writer) that each plant one behaviour a harness must leave
to the SDK: an inbound-only model, unions with defaults, date-times, an
``additionalProperties`` bucket, bytes written as base64, a writer stricter than its reader.

The pydantic SDK needs an interpreter that has pydantic (``SDK_PYTHON``, the
orq SDK's venv that ``nox -s tests`` installs); the zod SDK needs zod
(``ZOD``, from the same install) and Node. ``require`` skips a test without
them, and fails it on CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDK_PYTHON = ROOT / ".sdk" / "python" / "bin" / "python"
ZOD = ROOT / "sdk" / "node" / "node_modules" / "zod"

PET = """\
from __future__ import annotations

from typing import Optional

import pydantic


class Pet(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    pet_name: str
    nickname: Optional[str] = None
"""

OWNER = """\
import pydantic


class Owner(pydantic.BaseModel):
    id: int
"""

UTILS = """\
import json


def unmarshal_json(text, cls):
    return cls.model_validate_json(text)


def unmarshal(value, cls):
    return cls.model_validate(value)


def marshal_json(obj, cls):
    return json.dumps(obj.model_dump(by_alias=True, mode="json", exclude_none=True))
"""

ZOD_PET = """\
import * as z from "zod";

export const Pet$inboundSchema = z
  .object({ pet_name: z.string() })
  .transform((v) => ({ petName: v.pet_name }));
export const Pet$outboundSchema = z
  .object({ petName: z.string() })
  .transform((v) => ({ pet_name: v.petName }));
"""

ZOD_OWNER = """\
import * as z from "zod";

export const Owner$inboundSchema = z.object({ id: z.number().int() });
export const Owner$outboundSchema = z.object({ id: z.number().int() });
"""


# Speakeasy's lib/primitives.js remap, lib/schemas.js collectExtraKeys and lib/encodings.js
# encodeJSON, trimmed to what the models use.
ZOD_LIB = {
    "primitives.js": """\
export function remap(inp, mappings) {
  const out = {};
  for (const [k, v] of Object.entries(inp)) {
    const j = mappings[k];
    if (j === null) continue;
    out[j ?? k] = v;
  }
  return out;
}
""",
    "schemas.js": """\
export function collectExtraKeys(obj, extrasKey, optional) {
  return obj.transform((val) => {
    const extras = {};
    const { shape } = obj;
    for (const [key] of Object.entries(val)) {
      if (key in shape) continue;
      const v = val[key];
      if (typeof v === "undefined") continue;
      extras[key] = v;
      delete val[key];
    }
    if (optional && Object.keys(extras).length === 0) return val;
    return { ...val, [extrasKey]: extras };
  });
}
""",
    "encodings.js": """\
function jsonReplacer(_, value) {
  return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
}
export function encodeJSON(key, value, options) {
  if (typeof value === "undefined") return;
  const text = JSON.stringify(value, jsonReplacer);
  return options?.explode ? text : `${key}=${text}`;
}
""",
}

ZOD_FAITHFUL = """\
import * as z from "zod/v3";
import * as z4 from "zod";
import { remap } from "../../lib/primitives.js";
import { collectExtraKeys } from "../../lib/schemas.js";

// A response model the SDK only reads: a union of nested renamed models inside.
export const Ref$inboundSchema = z
  .object({ ref_name: z.string(), created_at: z.string() })
  .transform((v) => remap(v, { ref_name: "refName", created_at: "createdAt" }));
export const Embedding$inboundSchema = z
  .object({ model_db_id: z.string() })
  .transform((v) => remap(v, { model_db_id: "modelDbId" }));
export const Listing$inboundSchema = z
  .object({
    item_count: z.number().int(),
    item: z.union([Ref$inboundSchema, Embedding$inboundSchema]),
  })
  .transform((v) => remap(v, { item_count: "itemCount" }));

// A request union the SDK only writes, members renamed and with defaults.
export const Chunking$outboundSchema = z.union([
  z
    .object({ strategy: z.literal("token"), chunkSize: z.number().int().default(512) })
    .transform((v) => remap(v, { chunkSize: "chunk_size" })),
  z
    .object({
      strategy: z.literal("recursive"),
      minCharactersPerChunk: z.number().int().default(24),
      returnType: z.enum(["chunks", "texts"]).default("chunks"),
    })
    .transform((v) =>
      remap(v, { minCharactersPerChunk: "min_characters_per_chunk", returnType: "return_type" }),
    ),
]);

// A request union the SDK only writes, renaming nothing: its input is the wire itself.
export const Choice$outboundSchema = z.union([
  z.object({ kind: z.literal("a"), level: z.number().int().default(24) }),
  z.object({ label: z.string().optional() }),
  z.object({ size: z.number() }),
]);
export const V4Choice$outboundSchema = z4.union([
  z4.object({ kind: z4.literal("a"), level: z4.number().int().default(24) }),
  z4.object({ label: z4.string().optional() }),
]);

// A union both read and written, whose first member takes any object.
export const Size$inboundSchema = z.union([
  z.object({ label: z.string().optional() }),
  z.object({ size_b: z.number() }).transform((v) => remap(v, { size_b: "sizeB" })),
]);
export const Size$outboundSchema = z.union([
  z.object({ label: z.string().optional() }),
  z.object({ sizeB: z.number() }).transform((v) => remap(v, { sizeB: "size_b" })),
]);

// Date-times: read by the SDK's strict zod check, written as toISOString().
export const Event$inboundSchema = z.object({
  at: z.string().datetime({ offset: true }).transform((v) => new Date(v)),
});
export const Event$outboundSchema = z.object({ at: z.date().transform((v) => v.toISOString()) });
export const Stamp$outboundSchema = z.object({ at: z.date().transform((v) => v.toISOString()) });
export const V4Stamp$outboundSchema = z4.object({
  at: z4.date().transform((v) => v.toISOString()),
});

// additionalProperties: the SDK keeps extras in its own bucket.
export const Bag$inboundSchema = collectExtraKeys(
  z.object({ bag_name: z.string() }).catchall(z.any()),
  "additionalProperties",
  true,
).transform((v) => remap(v, { bag_name: "bagName" }));
export const Bag$outboundSchema = z
  .object({ bagName: z.string(), additionalProperties: z.record(z.any()).optional() })
  .transform((v) => ({
    ...v.additionalProperties,
    ...remap(v, { bagName: "bag_name", additionalProperties: null }),
  }));
export const Note$inboundSchema = collectExtraKeys(
  z.object({ title: z.string() }).catchall(z.any()),
  "additionalProperties",
  true,
);

// Read as any number, written only as an integer: the writer rejects under the user's key.
export const Count$inboundSchema = z
  .object({ item_total: z.number() })
  .transform((v) => remap(v, { item_total: "itemTotal" }));
export const Count$outboundSchema = z
  .object({ itemTotal: z.number().int() })
  .transform((v) => remap(v, { itemTotal: "item_total" }));

// Bytes: read from base64, written by the SDK's own encodeJSON as base64 again.
export const Upload$inboundSchema = z.object({
  content: z.string().transform((v) => new Uint8Array(Buffer.from(v, "base64"))),
});
export const Upload$outboundSchema = z.object({ content: z.instanceof(Uint8Array) });
"""


def require(condition: bool, what: str) -> None:
    """Skip the test when ``what`` is missing (fail on CI, where it is installed)."""
    if condition:
        return
    message = f"{what} is not installed: run `nox -s tests` (it installs the pinned SDKs)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def write_pydantic_sdk(folder: Path, broken: bool = False) -> Path:
    """Write ``vendor.client`` under ``folder`` (a ``PYTHONPATH`` entry) and return ``folder``.

    ``broken`` adds ``vendor.client.models.broken``, which cannot be imported.
    """
    client = folder / "vendor" / "client"
    files = {
        folder / "vendor" / "__init__.py": "",
        client / "__init__.py": "",
        client / "_version.py": '__title__ = "vendor-client"\n__version__ = "1.2.3"\n',
        client / "utils" / "__init__.py": UTILS,
        client / "models" / "__init__.py": "",
        client / "models" / "pet.py": PET,
        client / "models" / "owner.py": OWNER,
    }
    if broken:
        files[client / "models" / "broken.py"] = 'raise ImportError("needs an extra")\n'
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def write_zod_sdk(root: Path, broken: bool = False, faithful: bool = False) -> Path:
    """Write ``@tiny/sdk`` (and a link to zod) into ``root/node_modules``; return ``root``.

    ``broken`` adds ``models/components/broken.js``, which throws when imported;
    ``faithful`` adds ``models/faithful/index.js`` and the SDK's ``lib`` (see the module doc).
    """
    modules = root / "node_modules"
    package = modules / "@tiny" / "sdk"
    components = package / "dist" / "models" / "components"
    components.mkdir(parents=True)
    (package / "package.json").write_text(
        '{"name": "@tiny/sdk", "version": "0.1.0", "type": "module",'
        ' "exports": {"./*": "./dist/*"}}\n',
        encoding="utf-8",
    )
    (components / "pet.js").write_text(ZOD_PET, encoding="utf-8")
    (components / "owner.js").write_text(ZOD_OWNER, encoding="utf-8")
    (components / "owner.d.ts").write_text("export {};\n", encoding="utf-8")
    if broken:
        (components / "broken.js").write_text('throw new Error("broken module");\n')
    if faithful:
        lib = package / "dist" / "lib"
        lib.mkdir(parents=True)
        for name, text in ZOD_LIB.items():
            (lib / name).write_text(text, encoding="utf-8")
        models = package / "dist" / "models" / "faithful"
        models.mkdir(parents=True)
        (models / "index.js").write_text(ZOD_FAITHFUL, encoding="utf-8")
    (modules / "zod").symlink_to(ZOD, target_is_directory=True)
    return root


def require_pydantic() -> None:
    """Skip (or on CI fail) unless the interpreter with pydantic is installed."""
    require(SDK_PYTHON.exists(), "the SDK venv with pydantic")


def require_zod() -> None:
    """Skip (or on CI fail) unless Node and zod are installed."""
    require(shutil.which("node") is not None and ZOD.is_dir(), "Node.js and zod")


# -- union models ---------------------------------------------------------------------

SHAPE_MEMBERS = """\
from typing import Literal, Optional

import pydantic


class Circle(pydantic.BaseModel):
    kind: Literal["circle"]
    radius: float
    label: Optional[str] = None


class Square(pydantic.BaseModel):
    kind: Literal["square"]
    side: int
"""

# Union models in the ways Speakeasy writes them, beside module-level unions that are not
# models: imported, generic, Optional of one model, of scalars only, of TypedDicts.
SHAPE = """\
from typing import List, Optional, TypeVar, Union

from pydantic import Discriminator, Tag
from typing_extensions import Annotated, TypeAliasType, TypedDict

from .members import Circle, Square

T = TypeVar("T")


def _kind(value):
    return value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)


Shape = Annotated[
    Union[Annotated[Circle, Tag("circle")], Annotated[Square, Tag("square")]],
    Discriminator(_kind),
]
ShapeOrSquares = TypeAliasType("ShapeOrSquares", Union[Circle, List[Square]])


class CircleTypedDict(TypedDict):
    kind: str


ShapeTypedDict = TypeAliasType("ShapeTypedDict", Union[CircleTypedDict, str])
Label = Union[str, int]
MaybeCircle = Optional[Circle]
Nullable = Union[T, None]
Maybe = TypeAliasType("Maybe", Union[T, Circle], type_params=(T,))
"""

# A module that imports a union under another name: not a model of its own.
DRAWING = """\
from .shape import Shape as Figure
from .shape import Shape
"""

# Speakeasy's utils: each function wraps any type in a model of its own.
GENERIC_UTILS = """\
import json

from pydantic import ConfigDict, create_model

_CONFIG = ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)


def unmarshal(value, typ):
    return create_model("Unmarshaller", body=(typ, ...), __config__=_CONFIG)(body=value).body


def unmarshal_json(text, typ):
    return unmarshal(json.loads(text), typ)


def marshal_json(value, typ):
    model = create_model("Marshaller", body=(typ, ...), __config__=_CONFIG)(body=value)
    data = model.model_dump(by_alias=True, mode="json", exclude_none=True)
    return json.dumps(data["body"], separators=(",", ":"))
"""


def write_pydantic_union_sdk(folder: Path, generic_utils: bool = True) -> Path:
    """Write ``vendor.shapes`` (a barrel over union models) under ``folder``; return ``folder``.

    Its ``utils`` take any type (Speakeasy's), or with ``generic_utils=False``
    only model classes (``UTILS``), so the harness reads unions with pydantic.
    """
    shapes = folder / "vendor" / "shapes"
    files = {
        folder / "vendor" / "__init__.py": "",
        shapes / "__init__.py": "",
        shapes / "utils" / "__init__.py": GENERIC_UTILS if generic_utils else UTILS,
        shapes / "models" / "__init__.py": (
            "from .drawing import Figure\n"
            "from .members import Circle, Square\n"
            "from .shape import Label, MaybeCircle, Shape, ShapeOrSquares, ShapeTypedDict\n"
        ),
        shapes / "models" / "members.py": SHAPE_MEMBERS,
        shapes / "models" / "shape.py": SHAPE,
        shapes / "models" / "drawing.py": DRAWING,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# The zod twin: a discriminated union and a plain one, each with both schemas.
ZOD_SHAPE = """\
import * as z from "zod";

const Circle = z.object({ kind: z.literal("circle"), radius: z.number() });
const Square = z.object({ kind: z.literal("square"), side: z.number().int() });

export const Shape$inboundSchema = z.discriminatedUnion("kind", [Circle, Square]);
export const Shape$outboundSchema = z.discriminatedUnion("kind", [Circle, Square]);
export const ShapeOrSquares$inboundSchema = z.union([Circle, z.array(Square)]);
export const ShapeOrSquares$outboundSchema = z.union([Circle, z.array(Square)]);
"""


def write_zod_union_sdk(root: Path) -> Path:
    """Write ``@tiny/sdk`` (``write_zod_sdk``) with ``models/components/shape.js``; return
    ``root``."""
    write_zod_sdk(root)
    shape = root / "node_modules" / "@tiny" / "sdk" / "dist" / "models" / "components" / "shape.js"
    shape.write_text(ZOD_SHAPE, encoding="utf-8")
    return root
