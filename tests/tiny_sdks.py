"""Tiny SDK-shaped packages, written into a test's folder for the shipped harnesses.

``write_pydantic_sdk`` writes ``vendor/client``, shaped like a Speakeasy Python
SDK without a barrel: one module per model under ``vendor.client.models`` (whose
``__init__`` exports nothing) and the SDK's own ``vendor.client.utils`` reader
and writer. Its ``marshal_json`` leaves out fields that are ``None``, as
Speakeasy's does, so whether the harness wrote through it or through plain
pydantic shows in the output. ``write_zod_sdk`` writes ``@tiny/sdk`` into a
``node_modules``: per-model files under ``dist/models/components`` (no
``index.js``), exported as ``./*`` -> ``./dist/*``, with zod schemas.

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


def write_zod_sdk(root: Path, broken: bool = False) -> Path:
    """Write ``@tiny/sdk`` (and a link to zod) into ``root/node_modules``; return ``root``.

    ``broken`` adds ``models/components/broken.js``, which throws when imported.
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
    (modules / "zod").symlink_to(ZOD, target_is_directory=True)
    return root


def require_pydantic() -> None:
    """Skip (or on CI fail) unless the interpreter with pydantic is installed."""
    require(SDK_PYTHON.exists(), "the SDK venv with pydantic")


def require_zod() -> None:
    """Skip (or on CI fail) unless Node and zod are installed."""
    require(shutil.which("node") is not None and ZOD.is_dir(), "Node.js and zod")
