"""Where a path of a payload points in the schema: its type, and its general pattern."""

from __future__ import annotations

from typing import Any

from conformance.core.divergence import PathSegment
from conformance.schema import (
    ArrayOf,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.generate.checker import Checker, Path

__all__ = ["generalize", "type_at"]


def type_at(schema: Schema, model: str, value: JsonValue, path: Path) -> TypeRef | None:
    """The schema type of the value at ``path`` in a payload of ``model`` (unions resolved).

    ``None`` when the path leaves what the schema declares (an unknown key, a
    union value no member reads, a value of the wrong shape).
    """
    checker = Checker(schema)
    type_: TypeRef = Ref(model)
    node: Any = value
    for segment in path:
        resolved = _resolved(schema, type_, node, checker)
        if isinstance(resolved, Model) and isinstance(node, dict) and isinstance(segment, str):
            declared = resolved.field_named(segment)
            if declared is not None:
                type_ = declared.type
            elif resolved.additional is not None and resolved.additional is not False:
                type_ = resolved.additional
            else:
                return None
        elif isinstance(resolved, ArrayOf) and isinstance(node, list) and isinstance(segment, int):
            type_ = resolved.items
        elif isinstance(resolved, MapOf) and isinstance(node, dict) and isinstance(segment, str):
            type_ = resolved.values
        else:
            return None
        try:
            node = node[segment]
        except (KeyError, IndexError):
            return None
    return type_


def generalize(schema: Schema, model: str, value: JsonValue, path: Path) -> Path:
    """``path`` with array indexes, map keys and keys the schema does not declare as ``"*"``.

    Two paths that generalize alike point at the same place of the schema, so
    divergences there are one kind of problem however the data was keyed.
    """
    checker = Checker(schema)
    type_: TypeRef | None = Ref(model)
    node: Any = value
    out: list[PathSegment] = []
    for segment in path:
        resolved = None if type_ is None else _resolved(schema, type_, node, checker)
        if isinstance(segment, int):
            out.append("*")
            type_ = resolved.items if isinstance(resolved, ArrayOf) else None
        elif isinstance(resolved, Model):
            declared = resolved.field_named(segment)
            out.append(segment if declared is not None else "*")
            extra = resolved.additional if resolved.additional is not False else None
            type_ = declared.type if declared is not None else extra
        elif isinstance(resolved, MapOf):
            out.append("*")
            type_ = resolved.values
        else:
            out.append(segment)
            type_ = None
        try:
            node = node[segment]
        except (KeyError, IndexError, TypeError):
            node, type_ = None, None
    return tuple(out)


def _resolved(
    schema: Schema, type_: TypeRef, value: object, checker: Checker
) -> TypeRef | Model | None:
    """``type_`` with references, nullability and unions peeled off for a non-null value."""
    for _ in range(64):
        if isinstance(type_, Ref):
            definition = schema[type_.name]
            if isinstance(definition, Model):
                return definition
            type_ = definition.type
        elif isinstance(type_, Nullable):
            type_ = type_.inner
        elif isinstance(type_, UnionOf):
            member = checker.member(type_, value)
            if member is None:
                return None
            type_ = member
        else:
            return type_
    return None
