"""Package data: the JSON Schemas that describe the tool's file formats and messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
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
    # Imported here: only a value the compiled check refuses needs its messages and paths.
    import jsonschema

    cls = jsonschema.validators.validator_for(root)
    built: Validator = cls(target)
    return built


@cache
def fast_check(name: str) -> Callable[[Any], Any]:
    """The shipped schema ``name`` compiled to Python (``fastjsonschema``): it raises
    ``fastjsonschema.JsonSchemaValueException`` on an invalid value. About ten times
    faster than ``validator``; use it to pass valid values, and ``validator`` for the
    message and path of an invalid one.

    A schema that is a ``oneOf`` of definitions told apart by one required property's
    ``const`` (results records by ``record``) is checked against the one definition its
    value names: the others could not match anyway, and trying each of them first costs
    an exception apiece. A value naming none of them gets the whole schema, compiled when
    one first does (it costs three times all the branches: a command's start-up)."""
    tagged = _tagged_branches(schema(name))
    if tagged is None:
        return _whole(name)
    key, branches = tagged

    def check(value: Any) -> Any:
        tag = value.get(key) if isinstance(value, dict) else None
        branch = branches.get(tag) if isinstance(tag, str) else None
        return (branch or _whole(name))(value)

    return check


@cache
def _whole(name: str) -> Callable[[Any], Any]:
    """The shipped schema ``name`` compiled whole."""
    compiled: Callable[[Any], Any] = fastjsonschema.compile(schema(name))
    return compiled


def _tagged_branches(root: dict[str, Any]) -> tuple[str, dict[Any, Callable[[Any], Any]]] | None:
    """``(property, {const: compiled branch})`` when every ``oneOf`` member of ``root`` is a
    ``$ref`` to a definition that requires ``property`` with a distinct ``const``."""
    members = root.get("oneOf")
    if not isinstance(members, list) or not members:
        return None
    keys: set[str] = set()
    consts: dict[Any, str] = {}
    for member in members:
        ref = member.get("$ref", "") if isinstance(member, dict) else ""
        definition = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
        if not ref.startswith("#/$defs/") or not isinstance(definition, dict):
            return None
        properties = definition.get("properties", {})
        found = [
            (key, spec["const"])
            for key, spec in properties.items()
            if key in definition.get("required", ()) and isinstance(spec, dict) and "const" in spec
        ]
        if len(found) != 1:
            return None
        key, const = found[0]
        if not isinstance(const, str) or const in consts:
            return None
        keys.add(key)
        consts[const] = ref
    if len(keys) != 1:
        return None
    rest = {k: v for k, v in root.items() if k not in ("oneOf", "$defs", "$id", "title")}
    branches = {
        const: fastjsonschema.compile({**rest, "$ref": ref, **_defs(root)})
        for const, ref in consts.items()
    }
    return keys.pop(), branches


def _defs(root: dict[str, Any]) -> dict[str, Any]:
    return {"$defs": root.get("$defs", {}), "$schema": root.get("$schema")}
