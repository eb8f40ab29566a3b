"""Plain payloads: the plainest valid payload of a type, and fresh copies of payloads."""

from __future__ import annotations

from conformance.schema import (
    AnyValue,
    ArrayOf,
    Const,
    EnumOf,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
)
from conformance.sources.generate.checker import Checker

__all__ = ["Infinite", "copy_json", "minimal"]


class Infinite(ValueError):
    """A type has no finite payload (a required, non-nullable recursion)."""


def minimal(schema: Schema, type_: TypeRef, trail: frozenset[str] = frozenset()) -> JsonValue:
    """The plainest valid payload of ``type_``: required fields only, empty, zero, first.

    Raises ``ValueError`` when ``type_`` has no finite payload (a required recursion).
    """
    if isinstance(type_, Ref):
        definition = schema[type_.name]
        if isinstance(definition, Model):
            if definition.name in trail:
                raise Infinite(definition.name)
            inner = trail | {definition.name}
            return {
                f.wire_name: minimal(schema, f.type, inner) for f in definition.fields if f.required
            }
        return minimal(schema, definition.type, trail)
    if isinstance(type_, Primitive):
        if type_.kind == "boolean":
            return False
        if type_.kind in ("integer", "number"):
            return 0
        if type_.format == "date-time":
            return "1970-01-01T00:00:00Z"
        return "1970-01-01" if type_.format == "date" else ""
    if isinstance(type_, AnyValue | Nullable):
        return None
    if isinstance(type_, EnumOf):
        return type_.values[0]
    if isinstance(type_, Const):
        return type_.value
    if isinstance(type_, ArrayOf):
        return []
    if isinstance(type_, MapOf):
        return {}
    checker = Checker(schema)
    for member in type_.members:
        try:
            if type_.discriminator is not None and isinstance(member, Ref):
                value = minimal(schema, member, trail)
                if isinstance(value, dict):
                    tags = [k for k, n in type_.discriminator.mapping if n == member.name]
                    value[type_.discriminator.property] = (tags or [member.name])[0]
                    value = _schema_order(schema, member, value)
            else:
                value = minimal(schema, member, trail)
        except Infinite:
            continue
        if checker.member(type_, value) is not None:
            return value
    raise Infinite(repr(type_))


def _schema_order(schema: Schema, member: Ref, value: dict[str, JsonValue]) -> JsonValue:
    definition = schema[member.name]
    assert isinstance(definition, Model)
    declared = [f.wire_name for f in definition.fields if f.wire_name in value]
    return {
        **{k: value[k] for k in declared},
        **{k: v for k, v in value.items() if k not in declared},
    }


def copy_json(value: JsonValue) -> JsonValue:
    """A fresh copy of a payload, so edits to it never reach the original."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
