"""Invalid payloads: a valid payload broken at one path.

A wrong JSON type, ``"5"`` where a number goes, ``"yes"`` where a boolean
goes, a date where a date-time goes, an unknown value of a closed enum (an
open enum keeps unknown values), an unknown discriminator, ``null`` where the
type is not nullable, a required key removed, an unknown key where the model
forbids them. ``Breaker`` lists every such mutation of a
payload; the caller picks one and confirms with the checker that the whole
payload is then rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from attrs import frozen

from conformance.core import jsonwire
from conformance.schema import (
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
    UnionOf,
)
from conformance.sources.generate.checker import Checker, Path
from conformance.sources.generate.edges import INT_BOUNDS
from conformance.sources.generate.plain import copy_json

__all__ = ["Breaker", "Mutation", "shown"]


@frozen
class Mutation:
    """Replace the value at ``path`` (or remove its key, when ``remove``)."""

    path: Path
    what: str
    value: JsonValue = None
    remove: bool = False

    def apply(self, payload: JsonValue) -> JsonValue:
        if not self.path:
            return copy_json(self.value)
        root = copy_json(payload)
        node: Any = root
        for segment in self.path[:-1]:
            node = node[segment]
        if self.remove:
            del node[self.path[-1]]
        else:
            node[self.path[-1]] = copy_json(self.value)
        return root


def shown(value: JsonValue) -> str:
    """``value`` as JSON, cut to 40 characters for a case description."""
    text = jsonwire.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


_WRONG_DATE_TIMES = (
    ("2024-01-02", "date-only"),
    ("2024-01-02T03:04:05", "naive (no offset)"),
    ("2024-01-02T03:04:05.123456", "naive (no offset) with fraction"),
    ("2024-01-02 03:04:05Z", "space-separated"),
    ("2024-01-02T03:04Z", "seconds-less"),
    ("2024-02-30T00:00:00Z", "impossible-day"),
    ("2024-01-02T24:00:00Z", "hour-24"),
    ("2024-01-02T03:04:05+0530", "colon-less offset"),
    ("2024-01-02T03:04:05+05", "hour-only offset"),
)
_WRONG_DATES = (
    ("2024-01-02T00:00:00Z", "date-time"),
    ("2023-02-29", "impossible (not a leap year)"),
    ("2024-1-2", "unpadded"),
    ("20240102", "basic-format"),
)


class Breaker:
    """Every one-place mutation of a valid payload, for the generator to choose from."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.checker = Checker(schema)

    def sites(self, type_: TypeRef, value: JsonValue, path: Path) -> Iterator[Mutation]:
        yield from self.replacements(type_, value, path)
        resolved = self._resolve(type_)
        if isinstance(resolved, Nullable):
            if value is None:
                return
            resolved = self._resolve(resolved.inner)
        if isinstance(resolved, UnionOf):
            yield from self.union_sites(resolved, value, path)
            member = self.checker.member(resolved, value)
            if member is None:
                return
            resolved = self._resolve(member)
            if isinstance(resolved, Nullable):
                if value is None:
                    return
                resolved = self._resolve(resolved.inner)
        if isinstance(resolved, Model) and isinstance(value, dict):
            yield from self.model_sites(resolved, value, path)
        elif isinstance(resolved, ArrayOf) and isinstance(value, list):
            for index, item in enumerate(value):
                yield from self.sites(resolved.items, item, (*path, index))
        elif isinstance(resolved, MapOf) and isinstance(value, dict):
            for key, item in value.items():
                yield from self.sites(resolved.values, item, (*path, key))

    def _resolve(self, type_: TypeRef) -> TypeRef | Model:
        while isinstance(type_, Ref):
            definition = self.schema[type_.name]
            if isinstance(definition, Model):
                return definition
            type_ = definition.type
        return type_

    def replacements(self, type_: TypeRef, value: JsonValue, path: Path) -> Iterator[Mutation]:
        """Values that do not fit ``type_`` where they stand."""
        resolved = self._resolve(type_)
        yield Mutation(path, "null where the type is not nullable", None)
        inner = resolved.inner if isinstance(resolved, Nullable) else resolved
        inner = self._resolve(inner) if isinstance(inner, Ref) else inner
        if isinstance(inner, Primitive):
            yield from self.primitive_sites(inner, value, path)
        elif isinstance(inner, EnumOf):
            yield from self.enum_sites(inner, value, path)
        elif isinstance(inner, Const):
            yield Mutation(path, "a value other than the constant", "not-the-constant")
        elif isinstance(inner, Model):
            yield Mutation(path, "an array where an object goes", [])
            yield Mutation(path, "a string where an object goes", "x")
        elif isinstance(inner, ArrayOf):
            yield Mutation(path, "an object where an array goes", {})
            yield Mutation(path, "a string where an array goes", "x")
        elif isinstance(inner, MapOf):
            yield Mutation(path, "an array where a map goes", [])
        elif isinstance(inner, UnionOf):
            wrongs: tuple[JsonValue, ...] = (True, "x", 0, Decimal("1.5"), [], {})
            for wrong in wrongs:
                yield Mutation(path, f"{shown(wrong)}, which fits no union member", wrong)

    def enum_sites(self, type_: EnumOf, value: JsonValue, path: Path) -> Iterator[Mutation]:
        """Unknown values (an open enum keeps those, so it gets none) and a wrong JSON type."""
        strings = [v for v in type_.values if isinstance(v, str)]
        if not type_.open:
            if isinstance(value, str) and value.upper() != value:
                yield Mutation(path, f"enum value in another case {value.upper()!r}", value.upper())
            if strings:
                yield Mutation(path, "unknown enum value 'unknown_value'", "unknown_value")
            else:
                yield Mutation(path, "unknown enum value 999", 999)
        yield Mutation(path, "enum value as the wrong JSON type", [] if strings else "x")

    def primitive_sites(self, type_: Primitive, value: JsonValue, path: Path) -> Iterator[Mutation]:
        kind = type_.kind
        if kind in ("integer", "number"):
            number = isinstance(value, int | Decimal) and not isinstance(value, bool)
            text = jsonwire.token(value) if isinstance(value, int | Decimal) and number else "5"
            yield Mutation(path, f"numeric string {text!r} where a number goes", text)
            article = "an" if kind == "integer" else "a"
            yield Mutation(path, f"boolean true where {article} {kind} goes", True)
            if kind == "integer":
                yield Mutation(path, "fraction 1.5 where an integer goes", Decimal("1.5"))
                yield Mutation(path, "exponent 1E-7 where an integer goes", Decimal("1E-7"))
                bounds = INT_BOUNDS.get(type_.format or "")
                if bounds is not None:
                    yield Mutation(path, f"{bounds[1] + 1} beyond {type_.format}", bounds[1] + 1)
                    yield Mutation(path, f"{bounds[0] - 1} beyond {type_.format}", bounds[0] - 1)
        elif kind == "boolean":
            for wrong in ("yes", "true", "false", 1, 0):
                yield Mutation(path, f"{shown(wrong)} where a boolean goes", wrong)
        elif type_.format == "date-time":
            for wrong, how in _WRONG_DATE_TIMES:
                yield Mutation(path, f"{how} date-time {wrong!r}", wrong)
            yield Mutation(path, "epoch seconds where a date-time string goes", 1704164645)
        elif type_.format == "date":
            for wrong, how in _WRONG_DATES:
                yield Mutation(path, f"{how} date {wrong!r}", wrong)
        else:
            yield Mutation(path, "number 5 where a string goes", 5)
            yield Mutation(path, "boolean true where a string goes", True)

    def union_sites(self, union: UnionOf, value: JsonValue, path: Path) -> Iterator[Mutation]:
        discriminator = union.discriminator
        if discriminator is None or not isinstance(value, dict):
            return
        where = (*path, discriminator.property)
        yield Mutation(where, "unknown discriminator value 'unknown_tag'", "unknown_tag")
        yield Mutation(where, "discriminator as a number", 1)
        if discriminator.property in value:
            yield Mutation(where, "discriminator removed", remove=True)

    def model_sites(
        self, model: Model, value: dict[str, JsonValue], path: Path
    ) -> Iterator[Mutation]:
        for key, item in value.items():
            declared = model.field_named(key)
            where = (*path, key)
            if declared is not None:
                if declared.required:
                    yield Mutation(where, f"required key {key!r} removed", remove=True)
                yield from self.sites(declared.type, item, where)
            elif model.additional is not None and model.additional is not False:
                yield from self.sites(model.additional, item, where)
        if model.additional is False:
            where = (*path, "x-unknown")
            yield Mutation(where, "unknown key where the model forbids them", "x")
        elif model.additional is not None:
            where = (*path, "x-unknown")
            yield Mutation(where, "additional key of the wrong type", _wrong_for(model.additional))


def _wrong_for(type_: TypeRef) -> JsonValue:
    if isinstance(type_, Primitive) and type_.kind == "string":
        return 5
    return "x"
