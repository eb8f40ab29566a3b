"""Valid payloads: drawn from a schema's types with edge values over-represented.

The generator notes each edge value it uses (``notes``), for the case
description. The neutral schema has no request-only or response-only fields,
so a payload does not depend on the direction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import cast

from conformance.core.conventions import get_convention, unique_names, words
from conformance.core.divergence import path_text
from conformance.schema import (
    NO_DEFAULT,
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
    UnionOf,
)
from conformance.sources.generate.checker import Checker, Path
from conformance.sources.generate.edges import (
    DATE_EDGES,
    DATE_TIME_EDGES,
    DECIMAL_EDGES,
    INT_BOUNDS,
    INT_EDGES,
    LETTERS,
    STRING_EDGES,
    TRICKY_KEYS,
    UNKNOWN_KEYS,
    WIDE,
    Edge,
    unknown_enum_edges,
)
from conformance.sources.generate.finite import Witnesses, member_tags, union_tags
from conformance.sources.generate.plain import Infinite, copy_json, plainest
from conformance.sources.generate.source import Draw

__all__ = ["Generator"]


class Generator:
    """Draws valid payloads of a schema's types, noting each edge value it used."""

    def __init__(self, schema: Schema, draw: Draw, witnesses: Witnesses | None = None) -> None:
        self.schema = schema
        self.draw = draw
        self.checker = Checker(schema)
        #: The plainest finite payloads, for where a value has none at the depth limit.
        self.witnesses = witnesses or Witnesses(schema, self.checker)
        #: Off: a value with no payload at the depth limit (a recursion, a union that reads
        #: none of its plainest values) goes back to the nearest choice (an optional field
        #: left out, another union member), and past the last one, out. On: a required
        #: value or union with none takes its plainest finite payload instead.
        self.rescuing = False
        self.notes: list[str] = []
        self._taken: dict[str, frozenset[tuple[str, ...]]] = {}
        #: Models that discriminated unions tag: a payload of one carries a tag its union
        #: maps to it, wherever it is drawn (``finite.union_tags``).
        self.union_tags = union_tags(schema)

    def note(self, label: str, path: Path) -> None:
        self.notes.append(f"{label} at {path_text(path)}")

    def value(self, type_: TypeRef, depth: int, path: Path, trail: frozenset[str]) -> JsonValue:
        """A valid payload of ``type_`` nested at most ``depth`` objects/arrays/maps deep."""
        if isinstance(type_, Ref):
            definition = self.schema[type_.name]
            if isinstance(definition, Model):
                return self.model(definition, depth, path, trail)
            return self.value(definition.type, depth, path, trail)
        if isinstance(type_, Primitive):
            return self.primitive(type_, path)
        if isinstance(type_, AnyValue):
            return self.any_value(depth, path)
        if isinstance(type_, EnumOf):
            return self.enum(type_, path)
        if isinstance(type_, Const):
            return type_.value
        if isinstance(type_, ArrayOf):
            if depth <= 0:
                return []
            return [
                self.value(type_.items, depth - 1, (*path, index), trail)
                for index in range(self.length())
            ]
        if isinstance(type_, MapOf):
            if depth <= 0:
                return {}
            out: dict[str, JsonValue] = {}
            for _ in range(self.length()):
                key = self.key()
                if key not in out:
                    out[key] = self.value(type_.values, depth - 1, (*path, key), trail)
            return out
        if isinstance(type_, Nullable):
            if depth <= 0 or self.draw.chance(150):
                self.note("null on a nullable value", path)
                return None
            return self.value(type_.inner, depth, path, trail)
        return self.union(type_, depth, path, trail)

    def length(self) -> int:
        roll = self.draw.below(20)
        if roll < 5:
            return 0
        if roll < 12:
            return 1
        if roll < 18:
            return self.draw.between(2, 3)
        return self.draw.between(4, 8)

    def key(self) -> str:
        if self.draw.chance(400):
            return str(self.draw.pick(TRICKY_KEYS))
        return self.text(6)

    def text(self, longest: int) -> str:
        size = self.draw.between(0, longest)
        wide = self.draw.chance(150)
        alphabet = LETTERS + WIDE if wide else LETTERS
        return "".join(self.draw.pick(alphabet) for _ in range(size))

    def edge(self, edges: Sequence[Edge], path: Path) -> JsonValue:
        value: JsonValue
        label: str
        value, label = self.draw.pick(edges)
        self.note(label, path)
        return value

    def primitive(self, type_: Primitive, path: Path) -> JsonValue:
        edgy = self.draw.chance(350)
        if type_.kind == "boolean":
            return bool(self.draw.below(2))
        if type_.kind == "integer":
            return self.integer(type_.format, edgy, path)
        if type_.kind == "number":
            if self.draw.chance(500):
                return self.integer(None, edgy, path)
            return self.edge(DECIMAL_EDGES, path) if edgy else self.decimal()
        if type_.format == "date-time":
            return self.edge(DATE_TIME_EDGES, path) if edgy else self.date_time()
        if type_.format == "date":
            return self.edge(DATE_EDGES, path) if edgy else self.date().isoformat()
        return self.edge(STRING_EDGES, path) if edgy else self.text(12)

    def integer(self, format_: str | None, edgy: bool, path: Path) -> JsonValue:
        bounds = INT_BOUNDS.get(format_ or "")
        if edgy:
            if bounds is None:
                return self.edge(INT_EDGES, path)
            low, high = bounds
            fitting: list[Edge] = [(low, f"{format_} minimum"), (high, f"{format_} maximum")]
            fitting += [(v, label) for v, label in INT_EDGES if _within(v, low, high)]
            return self.edge(fitting, path)
        bits = self.draw.pick((4, 8, 16, 31, 53, 64))
        magnitude = self.draw.below(2**bits)
        value = -magnitude if self.draw.chance(250) else magnitude
        if bounds is not None:
            value = max(bounds[0], min(bounds[1], value))
        return value

    def decimal(self) -> Decimal:
        digits = tuple(self.draw.below(10) for _ in range(self.draw.between(1, 17)))
        exponent = -self.draw.between(1, min(len(digits), 9)) if self.draw.chance(850) else 0
        if exponent == 0:
            exponent = self.draw.pick((-20, 3, 21))
        return Decimal((self.draw.below(2) if self.draw.chance(250) else 0, digits, exponent))

    def date(self) -> dt.date:
        return dt.date(1970, 1, 1) + dt.timedelta(days=self.draw.between(-3650, 47482))

    def date_time(self) -> str:
        day = self.date().isoformat()
        clock = f"{self.draw.below(24):02d}:{self.draw.below(60):02d}:{self.draw.below(60):02d}"
        fraction = ""
        if self.draw.chance(500):
            fraction = "." + "".join(
                str(self.draw.below(10)) for _ in range(self.draw.between(1, 9))
            )
        zone = "Z"
        if self.draw.chance(500):
            sign = self.draw.pick("+-")
            zone = f"{sign}{self.draw.below(24):02d}:{self.draw.pick((0, 15, 30, 45)):02d}"
        return f"{day}T{clock}{fraction}{zone}"

    def enum(self, type_: EnumOf, path: Path) -> JsonValue:
        # Only an open enum draws this chance, so closed enums keep their streams.
        if type_.open and self.draw.chance(200):
            unknown = unknown_enum_edges(type_.values)
            if unknown:
                return self.edge(unknown, path)
        value: JsonValue = self.draw.pick(type_.values)
        if type(value) is int and self.draw.chance(100):
            self.note(f"enum value {value} written {value}.0", path)
            return Decimal(f"{value}.0")
        return value

    def any_value(self, depth: int, path: Path) -> JsonValue:
        roll = self.draw.below(10)
        if depth <= 0 or roll < 6:
            kind = self.draw.below(6)
            if kind == 0:
                return None
            if kind == 1:
                return bool(self.draw.below(2))
            if kind == 2:
                return self.edge(INT_EDGES, path)
            if kind == 3:
                return self.edge(DECIMAL_EDGES, path)
            return self.edge(STRING_EDGES, path) if kind == 4 else self.text(8)
        if roll < 8:
            return [self.any_value(depth - 1, (*path, i)) for i in range(self.draw.between(0, 3))]
        out: dict[str, JsonValue] = {}
        for _ in range(self.draw.between(0, 3)):
            key = self.key()
            out.setdefault(key, self.any_value(depth - 1, (*path, key)))
        return out

    def model(
        self,
        model: Model,
        depth: int,
        path: Path,
        trail: frozenset[str],
        fixed: dict[str, str] | None = None,
    ) -> dict[str, JsonValue]:
        """An object of ``model``: keys in schema order, unknown keys last."""
        if depth <= 0:
            if model.name in trail:
                raise Infinite(model.name)
            trail = trail | {model.name}
        fixed = fixed or self._own_tag(model)
        out: dict[str, JsonValue] = {}
        for each in model.fields:
            where = (*path, each.wire_name)
            if each.wire_name in fixed:
                out[each.wire_name] = fixed[each.wire_name]
                continue
            if not each.required:
                if depth <= 0:
                    continue
                if each.default is not NO_DEFAULT:
                    if self.draw.chance(500):
                        self.note("optional field with a default left out", where)
                        continue
                    default = cast(JsonValue, each.default)
                    if self.draw.chance(300) and self.checker.accepts(each.type, default):
                        self.note("default value sent explicitly", where)
                        out[each.wire_name] = copy_json(default)
                        continue
                elif not self.draw.chance(600):
                    continue
                try:
                    out[each.wire_name] = self.value(each.type, depth - 1, where, trail)
                except Infinite:
                    continue
            else:
                out[each.wire_name] = self.required(each.type, depth - 1, where, trail)
        for key, value in fixed.items():
            if model.field_named(key) is None:
                out[key] = value
        self.extras(model, depth, path, out)
        return out

    def _own_tag(self, model: Model) -> dict[str, str]:
        """The tag property of a model its unions tag, set to one of its tags (else none)."""
        tagged = self.union_tags.get(model.name)
        field = None if tagged is None else model.field_named(tagged[0])
        if tagged is None or field is None:
            return {}
        # A spec may map a tag its member's own field refuses: that tag makes no valid payload.
        fitting = [tag for tag in tagged[1] if self.checker.accepts(field.type, tag)]
        return {tagged[0]: self.draw.pick(fitting)} if fitting else {}

    def extras(self, model: Model, depth: int, path: Path, out: dict[str, JsonValue]) -> None:
        """Unknown keys (after the declared ones) where the model allows them."""
        if model.additional is False or depth <= 0 or not self.draw.chance(150):
            return
        key = self.unknown_key(model, out)
        if key is None:
            return
        where = (*path, key)
        if model.additional is None:
            self.note("unknown key", where)
            out[key] = self.any_value(1, where)
        else:
            self.note("additional key", where)
            try:
                out[key] = self.value(model.additional, depth - 1, where, frozenset())
            except Infinite:
                return

    def unknown_key(self, model: Model, out: dict[str, JsonValue]) -> str | None:
        """A key no field of ``model`` has, in any convention or spelling."""
        taken = self._taken.get(model.name)
        if taken is None:
            wire = [f.wire_name for f in model.fields]
            names = set(wire)
            for convention in ("python", "typescript"):
                names |= set(unique_names(wire, get_convention(convention)).values())
            taken = frozenset(words(n) for n in names) | frozenset((n,) for n in names)
            self._taken[model.name] = taken
        options = [
            k for k in UNKNOWN_KEYS if k not in out and words(k) not in taken and (k,) not in taken
        ]
        return str(self.draw.pick(options)) if options else None

    def union(self, union: UnionOf, depth: int, path: Path, trail: frozenset[str]) -> JsonValue:
        """A value one member reads, as the union reads it (noted when several members fit)."""
        order = list(range(len(union.members)))
        start = self.draw.below(len(order))
        order = order[start:] + order[:start]
        for attempt in range(2 * len(order)):
            member = union.members[order[attempt % len(order)]]
            mark = len(self.notes)
            try:
                value = self.member(union, member, depth, path, trail)
            except Infinite:
                del self.notes[mark:]
                continue
            if self.checker.member(union, value) is not None:
                fitting = self.checker.fitting(union, value)
                if fitting > 1:
                    self.note(f"value that fits {fitting} members of {union.mode}", path)
                return value
            del self.notes[mark:]
        try:
            return plainest(self.schema, union, trail)
        except Infinite:
            if not self.rescuing:
                raise
            return self.witnesses.value(union)

    def required(self, type_: TypeRef, depth: int, path: Path, trail: frozenset[str]) -> JsonValue:
        """A value that must be there; ``rescuing``, the plainest finite one where it has none."""
        mark = len(self.notes)
        try:
            return self.value(type_, depth, path, trail)
        except Infinite:
            if not self.rescuing:
                raise
            del self.notes[mark:]
            return self.witnesses.value(type_)

    def member(
        self, union: UnionOf, member: TypeRef, depth: int, path: Path, trail: frozenset[str]
    ) -> JsonValue:
        discriminator = union.discriminator
        if discriminator is not None and isinstance(member, Ref):
            definition = self.schema[member.name]
            if isinstance(definition, Model):
                tags = member_tags(self.schema, discriminator, member.name)
                if not tags or self.draw.chance(100):
                    if tags:
                        self.note("discriminator given as the member's name", path)
                    tags = [member.name]
                tag = self.draw.pick(tags)
                return self.model(definition, depth, path, trail, {discriminator.property: tag})
        return self.value(member, depth, path, trail)


def _within(value: JsonValue, low: int, high: int) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and low <= value <= high
