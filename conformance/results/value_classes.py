"""Classes of wire values and of schema fields, the words a root-cause family is keyed by.

A family groups divergences that have one cause wherever it shows: the same kind of
value (an integer beyond 2^53, a date-time with an offset, ``null``, a key the schema
does not declare) in the same kind of field, treated the same way by the same SDKs.
The classes are coarse on purpose: a class per distinct value would make a family per
case, a class per JSON type would put unrelated causes in one family.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from attrs import frozen

from conformance.core import jsonwire
from conformance.core.divergence import PathSegment, parse_path_text
from conformance.core.formats import is_date, is_date_time
from conformance.schema import (
    NO_DEFAULT,
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Definition,
    EnumOf,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)

__all__ = [
    "FieldInfo",
    "change_class",
    "coarse_class",
    "field_info",
    "mutation_class",
    "mutation_path",
    "value_at",
    "value_class",
]

_FLOAT_MAX = Decimal("1.7976931348623157e308")
_FLOAT_TINY = Decimal("2.2250738585072014e-308")
_DATE_TIME_SHAPE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?P<t>[Tt ])\d{2}:\d{2}(?::\d{2})?(?P<fraction>\.\d+)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?\Z"
)
_NUMERIC = re.compile(r"^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*\Z")
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "True", "False"})
# Literal values inside a mutation's description ('2', "x", 1.5, [], {}): a family is about
# the kind of change, not the value drawn.
_LITERALS = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"|(?<![\w^])-?\d[\d.eE+]*|\[\]|\{\}")
_CONNECTIVES = frozenset({"where", "which", "beyond", "as", "in", "with", "for", "on"})
_MUTATION = re.compile(r"invalid: (?P<what>.*) at (?P<path>\$\S*)\Z")
_ABSENT = object()


def value_class(value: Any, present: bool = True) -> str:
    """The class of one wire value (see the module doc)."""
    if not present or value is _ABSENT:
        return "absent"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return _integer_class(abs(value), "integer")
    if jsonwire.is_number(value):
        return _number_class(value)
    if isinstance(value, str):
        return _string_class(value)
    if isinstance(value, list):
        return "empty array" if not value else "array"
    if isinstance(value, dict):
        return "empty object" if not value else "object"
    return type(value).__name__


def coarse_class(value: Any, present: bool = True) -> str:
    """``value_class`` with the detail a behaviour does not depend on left out: one class
    for every integer beyond 2^53, a date-time's zone without its fraction (what an SDK
    made of it is what ``change_class`` tells)."""
    found = value_class(value, present)
    if found.startswith("integer beyond") or found.startswith("integral number beyond"):
        return found.split(" beyond")[0] + " beyond 2^53"
    if found.startswith("date-time (") and isinstance(value, str):
        details = found[len("date-time (") : -1].split(", ")
        kept = [d for d in details if "fraction" not in d]
        return f"date-time ({', '.join(kept)})"
    return found


def change_class(given: Any, given_present: bool, got: Any, got_present: bool) -> str:
    """What a target made of a value, said relative to the value: rounded to the nearest
    float64, the same number written otherwise, its type changed; else the new value's
    class."""
    if not got_present:
        return "absent"
    if _is_number(given) and _is_number(got) and given_present:
        exact, written = Decimal(str(given)), Decimal(str(got))
        if exact == written:
            return "the same number, written otherwise"
        if exact.is_finite() and written.is_finite() and float(exact) == float(written):
            return "the nearest float64"
        return "another number"
    return value_class(got, got_present)


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and (isinstance(value, int) or jsonwire.is_number(value))


def _integer_class(size: int | Decimal, what: str) -> str:
    for bits in (64, 63, 53):
        if size > 2**bits - (1 if bits == 63 else 0):
            return f"{what} beyond 2^{bits}"
    return what


def _number_class(value: Any) -> str:
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return "number"
    if not number.is_finite():
        return "non-finite number"
    if number == 0:
        return "negative zero" if number.is_signed() else "number"
    size = abs(number)
    if size > _FLOAT_MAX:
        return "number beyond float64"
    if size < _FLOAT_TINY:
        return "number below float64's normal range"
    if len(number.normalize().as_tuple().digits) > 15:
        return "number with 16+ significant digits"
    if number == number.to_integral_value():
        return _integer_class(size, "integral number")
    return "number"


def _string_class(value: str) -> str:
    if not value:
        return "empty string"
    shape = _DATE_TIME_SHAPE.match(value)
    if shape is not None:
        return _date_time_class(value, shape)
    if is_date(value):
        return "date"
    if _NUMERIC.match(value):
        return "numeric string"
    if value in _BOOLEAN_WORDS:
        return "boolean word"
    return "string"


def _date_time_class(value: str, shape: re.Match[str]) -> str:
    zone = shape["zone"]
    parts = ["date-time" if is_date_time(value) else "date-time outside RFC 3339"]
    if zone is None:
        parts.append("no zone")
    elif zone in ("Z", "z"):
        parts.append("Z")
    else:
        parts.append("offset")
    digits = len(shape["fraction"] or ".") - 1
    parts.append(
        "no fraction" if not digits else f"{digits if digits in (3, 6) else 'other'}-digit fraction"
    )
    if shape["t"] != "T" or zone == "z":
        parts.append("lower-case t/z or a space")
    return f"{parts[0]} ({', '.join(parts[1:])})"


def mutation_class(description: str, input_class: str) -> str:
    """The kind of change an invalid generated case made (its description, ``invalid: X at
    $.p``), without the values drawn; ``input_class`` when the description says none."""
    found = _MUTATION.search(description)
    if found is None:
        return input_class
    what = found["what"]
    bare = " ".join(_LITERALS.sub(" ", what).split()).strip(" ,")
    if not bare:
        return input_class
    if bare != what and bare.split(" ")[0] in _CONNECTIVES:
        return f"{input_class} {bare}"  # the value was the subject: "1 where a boolean goes"
    return bare


def mutation_path(description: str) -> tuple[PathSegment, ...] | None:
    """Where an invalid generated case was changed (its description), if it says."""
    found = _MUTATION.search(description)
    return parse_path_text(found["path"]) if found is not None else None


def value_at(value: Any, path: Sequence[PathSegment]) -> tuple[Any, bool]:
    """The value at ``path`` in ``value``, and whether it is there."""
    for segment in path:
        if isinstance(segment, int) and isinstance(value, list):
            if not 0 <= segment < len(value):
                return None, False
        elif not (isinstance(segment, str) and isinstance(value, dict) and segment in value):
            return None, False
        value = value[segment]
    return value, True


@frozen
class FieldInfo:
    """What the schema says of the field at a path: its type in words, whether the schema
    declares it, and whether it has a default."""

    type: str
    declared: bool = True
    has_default: bool = False
    default: Any = None
    additional: bool = False


_UNKNOWN = FieldInfo("unknown")


def field_info(schema: Schema | None, model: str, path: Sequence[PathSegment]) -> FieldInfo:
    """The field of ``model`` at ``path`` (``unknown`` without a schema or past an ``any``)."""
    if schema is None or model not in schema.definitions:
        return _UNKNOWN
    current: TypeRef | Definition = schema.definitions[model]
    has_default, default, additional = False, None, False
    for segment in path:
        resolved = _resolve(schema, current)
        if isinstance(resolved, UnionOf):
            resolved = _member_with(schema, resolved, segment)
        if isinstance(resolved, Model) and isinstance(segment, str):
            field = next((f for f in resolved.fields if f.wire_name == segment), None)
            if field is not None:
                has_default = field.default is not NO_DEFAULT
                current, default = field.type, field.default if has_default else None
                additional = False
                continue
            if resolved.additional is None or isinstance(resolved.additional, bool):
                return FieldInfo("undeclared key", declared=False)
            current, has_default, additional = resolved.additional, False, True
        elif isinstance(resolved, ArrayOf) and isinstance(segment, int):
            current, has_default, additional = resolved.items, False, False
        elif isinstance(resolved, MapOf) and isinstance(segment, str):
            current, has_default, additional = resolved.values, False, True
        else:
            return _UNKNOWN
    return FieldInfo(_describe(schema, current), True, has_default, default, additional)


def _resolve(schema: Schema, type_: TypeRef | Definition) -> TypeRef | Model:
    seen: set[str] = set()
    while True:
        if isinstance(type_, Ref):
            if type_.name in seen or type_.name not in schema.definitions:
                return AnyValue()
            seen.add(type_.name)
            type_ = schema.definitions[type_.name]
        elif isinstance(type_, Alias):
            type_ = type_.type
        elif isinstance(type_, Nullable):
            type_ = type_.inner
        else:
            return type_


def _member_with(schema: Schema, union: UnionOf, segment: PathSegment) -> TypeRef | Model:
    """The union member a path segment goes into: the first object with that key, else the
    first array (for an index), else the union itself."""
    members = [_resolve(schema, m) for m in union.members]
    for member in members:
        if isinstance(member, Model) and any(f.wire_name == segment for f in member.fields):
            return member
    wanted = ArrayOf if isinstance(segment, int) else (Model, MapOf)
    return next((m for m in members if isinstance(m, wanted)), union)


def _describe(schema: Schema, type_: TypeRef | Definition) -> str:
    nullable = isinstance(type_, Nullable) or (
        isinstance(type_, Ref)
        and isinstance(schema.definitions.get(type_.name), Alias)
        and isinstance(_alias_type(schema, type_.name), Nullable)
    )
    resolved = _resolve(schema, type_)
    words = _type_words(resolved)
    return f"nullable {words}" if nullable else words


def _alias_type(schema: Schema, name: str) -> TypeRef | None:
    definition = schema.definitions.get(name)
    return definition.type if isinstance(definition, Alias) else None


def _type_words(type_: TypeRef | Model) -> str:
    if isinstance(type_, Primitive):
        return f"{type_.kind} ({type_.format})" if type_.format else type_.kind
    if isinstance(type_, EnumOf):
        return "open enum" if type_.open else "enum"
    if isinstance(type_, Const):
        return "const"
    if isinstance(type_, Model):
        return "object"
    if isinstance(type_, ArrayOf):
        return "array"
    if isinstance(type_, MapOf):
        return "map"
    if isinstance(type_, UnionOf):
        return "union"
    return "any"


#: What each probe class sends, as a family's input class reads it ("accepts <this>").
PROBE_LABELS = {
    "presence.required-removed": "a payload without a required key",
    "presence.required-nullable-removed": "a payload without a required nullable key",
    "presence.optional-absent": "a payload without an optional key",
    "presence.default-absent": "a payload without a key that has a default",
    "presence.const-default-absent": "a payload without a constant that has a default",
    "presence.null-required": "null on a required field that is not nullable",
    "presence.null-optional": "null on an optional field that is not nullable",
    "coercion.numeric-string": 'a numeric string ("5") where a number goes',
    "coercion.decimal-string": 'a decimal string ("5.0") where a number goes',
    "coercion.number-for-string": "a number where a string goes",
    "coercion.boolean-string": 'a boolean word ("true") where a boolean goes',
    "coercion.boolean-number": "1 or 0 where a boolean goes",
    "coercion.integral-float": "1.0 where an integer goes",
    "coercion.fraction-for-integer": "1.5 where an integer goes",
    "numbers.2^53+1": "integer 2^53+1",
    "numbers.2^63": "integer 2^63",
    "numbers.2^64+1": "integer 2^64+1",
    "numbers.negative-zero": "-0",
    "numbers.1e400": "1e400 (beyond float64)",
    "numbers.17-digits": "a number with 17 significant digits",
    "numbers.1E+21": "1E+21",
    "datetime.offset": "a date-time with an offset other than Z",
    "datetime.microseconds": "a date-time with microseconds",
    "datetime.nanoseconds": "a date-time with nanoseconds",
    "datetime.lowercase": "a date-time with lower-case t and z",
    "datetime.naive": "a date-time without an offset",
    "datetime.date-only": "a date where a date-time goes",
    "datetime.epoch": "epoch seconds where a date-time goes",
    "datetime.hour-24": "a date-time at hour 24",
    "datetime.feb-30": "February 30",
    "datetime.leap-second": "a leap second",
    "date.as-date-time": "a date-time where a date goes",
    "enum.unknown-value": "an unknown enum value",
    "union.unknown-discriminator": "an unknown discriminator value",
    "union.missing-discriminator": "a payload without its discriminator",
    "union.fits-several": "a payload several union members fit",
    "union.member": "each member of a plain union",
    "keys.attribute-name": "a field's Python attribute name as the key",
    "keys.camel-name": "a field's camelCase name as the key",
    "keys.unknown": "an unknown key",
    "keys.proto": "__proto__, constructor or toString as a key",
    "keys.case-variant": "a field's key in another letter case",
    "keys.additional": "an extra key in a map or extras bucket",
    "strings.non-ascii": "non-ASCII text",
    "strings.astral": "an astral-plane character",
    "strings.nul": "a NUL character",
    "strings.u2028": "U+2028",
    "strings.long": "a 10,000-character string",
    "strings.lone-surrogate": "a lone surrogate",
    "text.nan": "a NaN token",
    "text.infinity": "an Infinity token",
    "text.duplicate-key": "a key written twice",
    "text.escaped-non-ascii": "non-ASCII written as \\u escapes",
    "text.raw-utf8": "non-ASCII written as raw UTF-8",
}


def probe_label(probe: str) -> str:
    """What a probe class sends, in words (the class id where no phrase is written)."""
    return PROBE_LABELS.get(probe, f"probe {probe}")
