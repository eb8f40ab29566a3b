"""The schema keywords the loader knows, what a schema node says, and its values as JSON."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, get_args

from conformance.schema.model import JsonValue, Nullable, PrimitiveKind, TypeRef

__all__ = [
    "ACCEPTS_ANY",
    "ANNOTATIONS",
    "HANDLED",
    "OBJECT_KEYS",
    "PRIMITIVES",
    "UNSUPPORTED",
    "VALIDATION",
    "annotation_only",
    "description",
    "inner",
    "is_json",
    "kinds",
    "marks_null",
    "objectish",
    "only_required",
    "single_member",
    "to_json",
]

PRIMITIVES: dict[str, PrimitiveKind] = {kind: kind for kind in get_args(PrimitiveKind)}
#: Keywords whose schema is replaced by ``AnyValue`` (with a problem).
UNSUPPORTED = frozenset(
    {"not", "if", "then", "else", "prefixItems", "dependentSchemas", "unevaluatedItems"}
    | {"$dynamicRef", "$recursiveRef"}
)
#: Keywords that only constrain values: reported as ignored.
VALIDATION = frozenset(
    {"minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum"}
    | {"exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"}
    | {"minProperties", "maxProperties", "propertyNames", "contains", "minContains"}
    | {"maxContains", "dependentRequired", "contentSchema"}
)
#: Keywords that change nothing on the wire: silently accepted.
ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "externalDocs"}
    | {"xml", "$comment", "$schema", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor"}
    | {"$defs"}
    | {"definitions", "contentMediaType", "contentEncoding", "nullable"}
)
#: Keywords that make a schema an object schema.
OBJECT_KEYS = frozenset(
    {"properties", "additionalProperties", "unevaluatedProperties", "patternProperties"}
    | {"allOf", "required"}
)
HANDLED = (
    ANNOTATIONS
    | UNSUPPORTED
    | OBJECT_KEYS
    | {"$ref", "type", "format", "enum", "const", "items", "oneOf", "anyOf"}
)
#: The end of a problem's message where the loader put ``AnyValue``.
ACCEPTS_ANY = "; any value is accepted here"


def inner(type_: TypeRef) -> TypeRef:
    """The type a ``Nullable`` wraps, or the type itself."""
    return type_.inner if isinstance(type_, Nullable) else type_


def kinds(node: Mapping[str, Any]) -> list[str]:
    """The non-null types a schema names."""
    raw = node.get("type")
    types = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return [str(each) for each in types if each != "null"]


def marks_null(node: Mapping[str, Any]) -> bool:
    """Whether a schema admits ``null`` (``nullable: true``, or ``null`` in a type list)."""
    raw = node.get("type")
    return node.get("nullable") is True or (isinstance(raw, list) and "null" in raw)


def objectish(node: Mapping[str, Any]) -> bool:
    """Whether a schema (not a ``$ref``) describes an object."""
    return "$ref" not in node and ("object" in kinds(node) or not OBJECT_KEYS.isdisjoint(node))


def annotation_only(node: Any) -> bool:
    """Whether a schema only describes (an ``allOf`` member adding a description)."""
    return isinstance(node, Mapping) and all(
        key in ANNOTATIONS or key in ("readOnly", "writeOnly") or key.startswith("x-")
        for key in map(str, node)
    )


def only_required(members: Any) -> bool:
    """Whether union members are bare ``required`` lists (constraints, not types)."""
    if not isinstance(members, list):
        return False
    return bool(members) and all(isinstance(m, Mapping) and set(m) == {"required"} for m in members)


def single_member(node: Mapping[str, Any]) -> int | None:
    """The index of an allOf's only member beside annotations, unless it is an object."""
    members = node.get("allOf")
    if not isinstance(members, list) or not OBJECT_KEYS.isdisjoint(set(node) - {"allOf"}):
        return None
    meaningful = [index for index, each in enumerate(members) if not annotation_only(each)]
    if len(meaningful) != 1:
        return None
    only = members[meaningful[0]]
    return None if isinstance(only, Mapping) and objectish(only) else meaningful[0]


def description(node: Any) -> str:
    """A schema's ``description``, or ``""``."""
    text = node.get("description") if isinstance(node, Mapping) else None
    return text if isinstance(text, str) else ""


def is_json(value: Any) -> bool:
    """Whether a document value has a JSON form (YAML's ``.nan`` and ``.inf`` have none)."""
    if isinstance(value, float | Decimal):
        return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if isinstance(value, Mapping):
        return all(is_json(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(is_json(item) for item in value)
    return True


def to_json(value: Any) -> JsonValue:
    """A document value as exact JSON: floats become ``Decimal``, dates ISO strings."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if value is None or isinstance(value, bool | int | str | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
