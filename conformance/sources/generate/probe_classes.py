"""The probe classes (their ids and values), the base payload they change, and edits of it.

A probe class names one known way SDKs diverge (``numbers.2^53+1``,
``datetime.offset``, ``keys.camel-name``...). This module holds the vocabulary
and the values, the base payload of a model (every optional field present,
plain values) and the one-path edits of it; ``probes`` walks a payload and
decides where each class applies. A value class applies where its type fits:
the checker, not this table, decides whether the probed payload is valid.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from decimal import Decimal
from typing import Any, cast

from conformance.core import jsonwire
from conformance.core.conventions import get_convention, unique_names, words
from conformance.core.formats import value_key
from conformance.core.jsonkinds import kinds_of
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
    UnionOf,
)
from conformance.sources.generate.checker import Checker, Path
from conformance.sources.generate.edges import UNKNOWN_KEYS
from conformance.sources.generate.finite import Infinite, NoPayload, Witnesses, copy_json, tagged
from conformance.sources.generate.plain import minimal, plainest

__all__ = [
    "CLASSES",
    "ESCAPED",
    "SENTINEL",
    "BaseBuilder",
    "ValueProbe",
    "at_parent",
    "base_payload",
    "case_variant",
    "changed",
    "enum_probes",
    "other_values",
    "primitive_probes",
    "raw_token",
    "replace_once",
    "unknown_key",
]

#: (class id, the value put where the type goes).
ValueProbe = tuple[str, JsonValue]

PRESENCE = (
    "presence.required-removed",
    "presence.required-nullable-removed",
    "presence.optional-absent",
    "presence.default-absent",
    "presence.const-default-absent",
    "presence.null-required",
    "presence.null-optional",
)
COERCION = (
    "coercion.numeric-string",
    "coercion.decimal-string",
    "coercion.number-for-string",
    "coercion.boolean-string",
    "coercion.boolean-number",
    "coercion.integral-float",
    "coercion.fraction-for-integer",
)
NUMBERS = (
    "numbers.2^53+1",
    "numbers.2^63",
    "numbers.2^64+1",
    "numbers.negative-zero",
    "numbers.1e400",
    "numbers.17-digits",
    "numbers.1E+21",
)
DATES = (
    "datetime.offset",
    "datetime.microseconds",
    "datetime.nanoseconds",
    "datetime.lowercase",
    "datetime.naive",
    "datetime.date-only",
    "datetime.epoch",
    "datetime.hour-24",
    "datetime.feb-30",
    "datetime.leap-second",
    "date.as-date-time",
)
UNIONS = (
    "enum.unknown-value",
    "union.unknown-discriminator",
    "union.missing-discriminator",
    "union.fits-several",
    "union.member",
)
KEYS = (
    "keys.attribute-name",
    "keys.camel-name",
    "keys.unknown",
    "keys.proto",
    "keys.case-variant",
    "keys.additional",
)
STRINGS = (
    "strings.non-ascii",
    "strings.astral",
    "strings.nul",
    "strings.u2028",
    "strings.lone-surrogate",
    "strings.long",
)
TEXT = (
    "text.nan",
    "text.infinity",
    "text.duplicate-key",
    "text.escaped-non-ascii",
    "text.raw-utf8",
)
#: Every probe class, in the order a site gets them.
CLASSES = (*PRESENCE, *COERCION, *NUMBERS, *DATES, *UNIONS, *KEYS, *STRINGS, *TEXT)

_DATE_TIME = "2024-01-02T03:04:05Z"
#: A string no payload holds: put where a raw token goes, then replaced in the text.
SENTINEL = "\x00conformance-probe\x00"
#: The value ``text.escaped-non-ascii`` and ``text.raw-utf8`` write two ways.
ESCAPED = "\u00e9"

_NUMBER_VALUES: tuple[ValueProbe, ...] = (
    ("numbers.2^53+1", 2**53 + 1),
    ("numbers.2^63", 2**63),
    ("numbers.2^64+1", 2**64 + 1),
    ("numbers.negative-zero", Decimal("-0")),
    ("numbers.1e400", Decimal("1E+400")),
    ("numbers.17-digits", Decimal("0.12345678901234567")),
    ("numbers.1E+21", Decimal("1E+21")),
)
_DATE_TIMES: tuple[ValueProbe, ...] = (
    ("datetime.offset", "2024-01-02T03:04:05+05:30"),
    ("datetime.microseconds", "2024-01-02T03:04:05.123456Z"),
    ("datetime.nanoseconds", "2024-01-02T03:04:05.123456789Z"),
    ("datetime.lowercase", "2024-01-02t03:04:05z"),
    ("datetime.naive", "2024-01-02T03:04:05"),
    ("datetime.date-only", "2024-01-02"),
    ("datetime.epoch", 1704164645),
    ("datetime.hour-24", "2024-01-02T24:00:00Z"),
    ("datetime.feb-30", "2024-02-30T00:00:00Z"),
    ("datetime.leap-second", "2016-12-31T23:59:60Z"),
)
_STRINGS: tuple[ValueProbe, ...] = (
    ("strings.non-ascii", "caf\u00e9"),
    ("strings.astral", "\U0001f600"),
    ("strings.nul", "a\u0000b"),
    ("strings.u2028", "a\u2028b"),
    ("strings.lone-surrogate", "\ud800"),
    ("strings.long", "a" * 10_000),
)


def primitive_probes(type_: Primitive) -> tuple[ValueProbe, ...]:
    """The value probes of a primitive type, in class order."""
    if type_.kind == "boolean":
        return (
            ("coercion.boolean-string", "true"),
            ("coercion.boolean-string", "yes"),
            ("coercion.boolean-number", 1),
            ("coercion.boolean-number", 0),
        )
    if type_.kind == "integer":
        return (
            ("coercion.numeric-string", "5"),
            ("coercion.decimal-string", "5.0"),
            ("coercion.integral-float", Decimal("1.0")),
            ("coercion.fraction-for-integer", Decimal("1.5")),
            *_NUMBER_VALUES,
        )
    if type_.kind == "number":
        return (
            ("coercion.numeric-string", "5"),
            ("coercion.decimal-string", "5.0"),
            *_NUMBER_VALUES,
        )
    wrong: tuple[ValueProbe, ...] = (("coercion.number-for-string", 5),)
    if type_.format == "date-time":
        return wrong + _DATE_TIMES
    if type_.format == "date":
        return (*wrong, ("date.as-date-time", "2024-01-02T00:00:00Z"))
    return wrong + _STRINGS


def enum_probes(type_: EnumOf) -> tuple[ValueProbe, ...]:
    """``enum.unknown-value``: a new value of the enum's JSON kind (none without one)."""
    kinds = kinds_of(type_.values)
    known = {value_key(v) for v in type_.values}
    candidates: list[JsonValue] = []
    if "string" in kinds:
        candidates += ["brand_new_value", "brand_new_value_2"]
    if kinds & {"integer", "number"}:
        candidates += [999, 998]
    fresh = [v for v in candidates if value_key(v) not in known]
    return (("enum.unknown-value", fresh[0]),) if fresh else ()


def other_values(type_: Primitive | EnumOf | None) -> tuple[JsonValue, ...]:
    """Plain values of a type to try before the one a payload holds (``text.duplicate-key``)."""
    if isinstance(type_, EnumOf):
        return type_.values
    if type_ is None:
        return ()
    if type_.kind == "boolean":
        return (False, True)
    if type_.kind in ("integer", "number"):
        return (2, 1)
    if type_.format == "date-time":
        return ("2024-01-03T03:04:05Z",)
    return ("2024-01-03",) if type_.format == "date" else ("b", "c")


def case_variant(key: str) -> str | None:
    """``key`` with its letter case changed (lower case, or upper where it is lower already)."""
    variant = key.lower() if key.lower() != key else key.upper()
    return variant if variant != key else None


def raw_token(class_id: str) -> str:
    """The exact text a raw-text class writes in place of a value."""
    if class_id == "text.nan":
        return "NaN"
    if class_id == "text.infinity":
        return "Infinity"
    if class_id == "text.raw-utf8":
        return json.dumps(ESCAPED, ensure_ascii=False)
    return jsonwire.dumps(ESCAPED)


def base_payload(
    schema: Schema,
    model: str,
    max_depth: int = 3,
    checker: Checker | None = None,
    witnesses: Witnesses | None = None,
) -> JsonValue:
    """A valid payload of ``model`` with every optional field present down to ``max_depth``.

    Plain values throughout; where a branch has no finite payload its required
    fields come from ``witnesses``. Raises ``NoPayload`` when the model has none.
    """
    checker = checker or Checker(schema)
    witnesses = witnesses or Witnesses(schema, checker)
    root = Ref(model)
    if model not in schema:
        raise KeyError(model)
    builder = BaseBuilder(schema, checker, witnesses)
    try:
        value = builder.value(root, max_depth)
        if checker.accepts(root, value):
            return value
        return minimal(schema, root, witnesses=witnesses)
    except Infinite:
        raise NoPayload(model, witnesses.explain(model)) from None


class BaseBuilder:
    """Base payloads: every optional field present, plain values, one item per array or map."""

    def __init__(self, schema: Schema, checker: Checker, witnesses: Witnesses) -> None:
        self.schema = schema
        self.checker = checker
        self.witnesses = witnesses

    def value(self, type_: TypeRef, depth: int) -> JsonValue:
        """A plain valid value of ``type_``; ``Infinite`` where it has none."""
        if isinstance(type_, Ref):
            definition = self.schema[type_.name]
            if not isinstance(definition, Model):
                return self.value(definition.type, depth)
            if depth <= 0:
                return minimal(self.schema, type_, witnesses=self.witnesses)
            out: dict[str, JsonValue] = {}
            for each in definition.fields:
                try:
                    out[each.wire_name] = self.value(each.type, depth - 1)
                except Infinite:
                    if each.required:
                        out[each.wire_name] = self.witnesses.value(each.type)
            return out
        if isinstance(type_, Primitive):
            return _plain(type_)
        if isinstance(type_, AnyValue):
            return "a"
        if isinstance(type_, EnumOf):
            return type_.values[0]
        if isinstance(type_, Const):
            return type_.value
        if isinstance(type_, Nullable):
            try:
                return self.value(type_.inner, depth)
            except Infinite:
                return None
        if isinstance(type_, ArrayOf | MapOf):
            return self.container(type_, depth)
        return self.union(type_, depth)

    def container(self, type_: ArrayOf | MapOf, depth: int) -> JsonValue:
        inner = type_.items if isinstance(type_, ArrayOf) else type_.values
        try:
            item = self.value(inner, depth - 1) if depth > 0 else None
            found = depth > 0
        except Infinite:
            found = False
        if isinstance(type_, ArrayOf):
            return [item] if found else []
        return {"key": item} if found else {}

    def union(self, union: UnionOf, depth: int) -> JsonValue:
        """The first member's base (else plainest) value the union reads; a witness otherwise."""
        for member in union.members:
            for value in self.candidates(member, depth):
                value = tagged(self.schema, union, member, value)
                if self.checker.member(union, value) is not None:
                    return value
        return self.witnesses.value(union)

    def candidates(self, member: TypeRef, depth: int) -> list[JsonValue]:
        """A union member's base value, then its plainest one (each where it has one)."""
        out: list[JsonValue] = []
        with suppress(Infinite):
            out.append(self.value(member, depth))
        with suppress(Infinite):
            out.append(plainest(self.schema, member))
        return out


def _plain(type_: Primitive) -> JsonValue:
    if type_.kind == "boolean":
        return True
    if type_.kind in ("integer", "number"):
        return 1
    if type_.format == "date-time":
        return _DATE_TIME
    return "2024-01-02" if type_.format == "date" else "a"


def at_parent(base: JsonValue, path: Path, change: Callable[[Any], None]) -> JsonValue:
    """``base`` with ``change`` applied to a copy of the object or array holding ``path``.

    Only the containers along the path are copied: the rest is shared with
    ``base`` (payloads are values, never changed in place), so a probe costs its
    path and not its payload.
    """
    root: Any = _shallow(base)
    node = root
    for segment in path[:-1]:
        node[segment] = _shallow(node[segment])
        node = node[segment]
    change(node)
    return cast(JsonValue, root)


def _shallow(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return dict(value)
    return list(value) if isinstance(value, list) else value


def changed(base: JsonValue, path: Path, new: JsonValue, remove: bool) -> JsonValue:
    if not path:
        return copy_json(new)

    def change(node: Any) -> None:
        if remove:
            del node[path[-1]]
        else:
            node[path[-1]] = copy_json(new)

    return at_parent(base, path, change)


def replace_once(text: str, marker: str, token: str) -> str:
    if text.count(marker) != 1:  # pragma: no cover - no schema key or value holds the sentinel
        raise ValueError("the probe marker is not unique in the payload text")
    return text.replace(marker, token)


def unknown_key(model: Model, value: Mapping[str, JsonValue]) -> str | None:
    """A key no field of ``model`` could mean in any convention, as the generator picks them."""
    wire = [f.wire_name for f in model.fields]
    names = set(wire)
    for convention in ("python", "typescript"):
        names |= set(unique_names(wire, get_convention(convention)).values())
    taken = {words(n) for n in names} | {(n,) for n in names}
    for key in UNKNOWN_KEYS:
        if (
            key
            and key not in value
            and key != "__proto__"
            and words(key) not in taken
            and (key,) not in taken
        ):
            return key
    return None
