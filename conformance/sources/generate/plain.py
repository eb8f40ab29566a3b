"""Plain payloads: the plainest valid payload of a type, and fresh copies of payloads."""

from __future__ import annotations

from conformance.schema import JsonValue, Model, Ref, Schema, TypeRef, UnionOf
from conformance.sources.generate.checker import Checker
from conformance.sources.generate.finite import (
    Infinite,
    NoPayload,
    Witnesses,
    copy_json,
    leaf,
    tagged,
)

__all__ = ["Infinite", "NoPayload", "copy_json", "minimal", "plainest"]


def minimal(
    schema: Schema,
    type_: TypeRef,
    trail: frozenset[str] = frozenset(),
    witnesses: Witnesses | None = None,
) -> JsonValue:
    """The plainest valid payload of ``type_``: required fields only, empty, zero, first.

    Models in ``trail`` are not entered again. Where that search finds nothing
    (a recursion, or a union that reads none of its members' plainest values), the
    payload comes from ``witnesses`` (built here when not given), which find a
    payload whenever one exists. Raises ``Infinite`` when ``type_`` has none.
    """
    try:
        return plainest(schema, type_, trail)
    except Infinite:
        return (witnesses or Witnesses(schema)).value(type_)


def plainest(schema: Schema, type_: TypeRef, trail: frozenset[str] = frozenset()) -> JsonValue:
    """Required fields only, the first member a union reads: ``minimal`` without its last resort.

    Raises ``Infinite`` where a model of ``trail`` comes back, or a union reads
    none of its members' plainest values.
    """
    if isinstance(type_, Ref):
        definition = schema[type_.name]
        if isinstance(definition, Model):
            if definition.name in trail:
                raise Infinite(definition.name)
            inner = trail | {definition.name}
            return {
                f.wire_name: plainest(schema, f.type, inner)
                for f in definition.fields
                if f.required
            }
        return plainest(schema, definition.type, trail)
    if not isinstance(type_, UnionOf):
        return leaf(type_)
    checker = Checker(schema)
    for member in type_.members:
        try:
            value = tagged(schema, type_, member, plainest(schema, member, trail))
        except Infinite:
            continue
        if checker.member(type_, value) is not None:
            return value
    raise Infinite(repr(type_))
