"""Package data: the JSON Schemas that describe the tool's file formats and messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema.protocols import Validator


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``conformance/schemas`` (``cases``, ``results``, ...)."""
    text = files("conformance").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def validator(name: str, definition: str | None = None) -> Validator:
    """A compiled validator for a shipped schema, or for one of its ``$defs``."""
    root = schema(name)
    target = root if definition is None else {"$ref": f"#/$defs/{definition}", **_defs(root)}
    cls = jsonschema.validators.validator_for(root)
    built: Validator = cls(target)
    return built


@cache
def fast_check(name: str) -> Callable[[Any], Any]:
    """The shipped schema ``name`` compiled to Python (``fastjsonschema``): it raises
    ``fastjsonschema.JsonSchemaValueException`` on an invalid value. About ten times
    faster than ``validator``; use it to pass valid values, and ``validator`` for the
    message and path of an invalid one."""
    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema(name))
    return compiled


def _defs(root: dict[str, Any]) -> dict[str, Any]:
    return {"$defs": root.get("$defs", {}), "$schema": root.get("$schema")}
