"""Load a JSON Schema document with ``$defs`` (a pydantic SDK's export) into the neutral schema.

The OpenAPI loader does the work: the ``$defs`` become ``components.schemas`` of an
OpenAPI 3.1 document and every ``#/$defs/X`` reference (``$ref`` and discriminator
``mapping`` values) is rewritten to ``#/components/schemas/X``, so both sources give
the same ``Schema`` for the same shapes and report the same ``Problem`` kinds.

Two things pydantic leaves out of its JSON Schema are carried by the harness's
export (``python_harness_export.py``) and read here: a union's ``discriminator``
(``propertyName`` and ``mapping``, read by the OpenAPI loader) and an open enum,
``{"enum": [...known values], "x-open-enum": true}``, which becomes
``EnumOf(values, open=True)``. The loader has no open enums of its own, so an
inline open enum is moved to a definition of its own (named after its
``title``, else ``OpenEnum``; equal ones share it) that is marked open once
loaded.

Two things in a pydantic export are not wire shapes and are undone first:

* "not given" sentinels: a member of ``anyOf``/``oneOf`` that refers to an empty
  object definition named like a sentinel type (Speakeasy's ``Unset``) is dropped,
  as is the sentinel default Speakeasy writes (``"~?~unset~?~sentinel~?~"``): they
  mean "the field is absent", which an optional field already says.
* with ``optional_null_is_absent``, a property that is not required, defaults to
  ``null`` and is ``anyOf [X, {"type": "null"}]`` is read as an optional ``X``, not
  a nullable one. Speakeasy renders an optional field as ``Optional[X] = None`` and
  a nullable one as ``OptionalNullable[X]``/``Nullable[X]``, so this recovers the
  spec's intent; for other pydantic SDKs leave it off.

A schema built this way is one SDK's rendering of the API spec, not the spec: an
oracle that agrees with that SDK by construction wherever the SDK's types differ
from the spec.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from conformance.exceptions import SchemaError
from conformance.schema.model import Alias, EnumOf, Nullable, Schema
from conformance.sources.openapi import schema_from_document

__all__ = ["schema_from_json_schema"]

_DEFS: Final = "#/$defs/"
_COMPONENTS: Final = "#/components/schemas/"
#: Names of the "not given" marker types of generated pydantic SDKs.
_SENTINEL_TYPES: Final = frozenset({"Unset", "UnsetType", "NotGiven", "Omit", "_Unset"})
#: Defaults that only say "not given".
_SENTINEL_DEFAULTS: Final = frozenset({"~?~unset~?~sentinel~?~"})
#: The mark of an open enum in the export; what stays with the enum when it is moved.
_OPEN: Final = "x-open-enum"
_ENUM_KEYS: Final = frozenset({"type", "enum", "title", _OPEN})
#: Titles usable as a definition name as they are (nothing a JSON pointer escapes).
_PLAIN_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def schema_from_json_schema(
    document: Mapping[str, Any], source: str, *, optional_null_is_absent: bool = False
) -> Schema:
    """Build a ``Schema`` from a JSON Schema document whose ``$defs`` name the models."""
    defs = document.get("$defs") if isinstance(document, Mapping) else None
    if not isinstance(defs, Mapping) or not defs:
        raise SchemaError(
            "the JSON Schema document has no $defs",
            "export the models into one document whose $defs name each of them",
            file=source,
            pointer="/$defs",
        )
    sentinels = {
        f"{_DEFS}{name}"
        for name, node in defs.items()
        if name in _SENTINEL_TYPES and isinstance(node, Mapping) and not node.get("properties")
    }
    rewriter = _Rewriter(sentinels, optional_null_is_absent, {str(name) for name in defs})
    schemas = {
        str(name): rewriter.definition(str(name), node)
        for name, node in defs.items()
        if name not in _SENTINEL_TYPES
    }
    schemas.update(rewriter.moved)
    wrapped = {"openapi": "3.1.0", "components": {"schemas": schemas}}
    return _opened(schema_from_document(wrapped, source), rewriter.open_names)


def _opened(schema: Schema, names: set[str]) -> Schema:
    """``schema`` with the enums of the definitions ``names`` marked open."""
    definitions = dict(schema.definitions)
    for name in names:
        each = definitions.get(name)
        if not isinstance(each, Alias):
            continue
        type_ = each.type
        if isinstance(type_, EnumOf):
            definitions[name] = attrs.evolve(each, type=attrs.evolve(type_, open=True))
        elif isinstance(type_, Nullable) and isinstance(type_.inner, EnumOf):
            opened = Nullable(attrs.evolve(type_.inner, open=True))
            definitions[name] = attrs.evolve(each, type=opened)
    return attrs.evolve(schema, definitions=definitions)


def _is_open_enum(node: Any) -> bool:
    return (
        isinstance(node, Mapping) and node.get(_OPEN) is True and isinstance(node.get("enum"), list)
    )


class _Rewriter:
    """Copies schema nodes with references moved and sentinels dropped."""

    def __init__(self, sentinels: set[str], optional_null_is_absent: bool, taken: set[str]) -> None:
        self.sentinels = sentinels
        self.optional_null_is_absent = optional_null_is_absent
        self.taken = taken
        #: Inline open enums moved to definitions of their own, by name, and by content.
        self.moved: dict[str, dict[str, Any]] = {}
        self.known: dict[str, str] = {}
        #: The definitions that are open enums.
        self.open_names: set[str] = set()

    def definition(self, name: str, node: Any) -> Any:
        """One ``$defs`` entry, rewritten; an open enum stays where it is, noted as open."""
        if _is_open_enum(node):
            self.open_names.add(name)
            return {key: self.node(value) for key, value in node.items()}
        return self.node(node)

    def open_enum(self, node: Mapping[str, Any]) -> dict[str, Any]:
        """A reference to an inline open enum, moved to a definition; the rest stays here."""
        enum_part = {key: node[key] for key in node if key in _ENUM_KEYS}
        content = json.dumps(enum_part, sort_keys=True)
        name = self.known.get(content) or self.move(enum_part, content)
        rest = {key: self.node(value) for key, value in node.items() if key not in _ENUM_KEYS}
        return {"$ref": f"{_COMPONENTS}{name}", **rest}

    def move(self, enum_part: dict[str, Any], content: str) -> str:
        """The name of a new definition holding ``enum_part``: its title, else ``OpenEnum``."""
        title = enum_part.get("title")
        base = title if isinstance(title, str) and _PLAIN_NAME.fullmatch(title) else "OpenEnum"
        name, number = base, 2
        while name in self.taken:
            name, number = f"{base}{number}", number + 1
        self.taken.add(name)
        self.known[content] = name
        self.moved[name] = enum_part
        self.open_names.add(name)
        return name

    def node(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.node(item) for item in node]
        if not isinstance(node, Mapping):
            return node
        if _is_open_enum(node):
            return self.open_enum(node)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _moved(value)
            elif key == "default" and isinstance(value, str) and value in _SENTINEL_DEFAULTS:
                continue
            elif key == "discriminator" and isinstance(value, Mapping):
                out[key] = self.discriminator(value)
            elif key in ("anyOf", "oneOf") and isinstance(value, list):
                members = [
                    self.node(m)
                    for m in value
                    if not (isinstance(m, Mapping) and m.get("$ref") in self.sentinels)
                ]
                out[key] = members
            elif key == "properties" and isinstance(value, Mapping):
                required = node.get("required")
                needed = set(required) if isinstance(required, list) else set()
                out[key] = {
                    name: self.property(each, name in needed) for name, each in value.items()
                }
            else:
                out[key] = self.node(value)
        for key in ("anyOf", "oneOf"):
            kept = out.get(key)
            if isinstance(kept, list) and len(kept) == 1 and "discriminator" not in out:
                del out[key]
                only = kept[0]
                if isinstance(only, Mapping) and not set(only) & set(out):
                    out.update(only)
                else:
                    out["allOf"] = [only]
        return out

    def property(self, node: Any, required: bool) -> Any:
        copied = self.node(node)
        if required or not self.optional_null_is_absent or not isinstance(copied, dict):
            return copied
        members = copied.get("anyOf")
        if (
            "default" not in copied
            or copied["default"] is not None
            or not isinstance(members, list)
        ):
            return copied
        kept = [m for m in members if m != {"type": "null"}]
        if len(kept) == len(members) or not kept:
            return copied
        rest = {key: value for key, value in copied.items() if key not in ("anyOf", "default")}
        if len(kept) > 1:
            return {**rest, "anyOf": kept}
        only = kept[0]
        if isinstance(only, Mapping) and not set(only) & set(rest):
            return {**rest, **only}
        return {**rest, "allOf": [only]}

    def discriminator(self, value: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(value)
        mapping = value.get("mapping")
        if isinstance(mapping, Mapping):
            out["mapping"] = {
                key: _moved(target) if isinstance(target, str) else target
                for key, target in mapping.items()
            }
        return out


def _moved(ref: str) -> str:
    """``#/$defs/X...`` as ``#/components/schemas/X...``; other references unchanged."""
    return _COMPONENTS + ref[len(_DEFS) :] if ref.startswith(_DEFS) else ref
