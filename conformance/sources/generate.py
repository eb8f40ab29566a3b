"""Cases generated from the schema: valid and deliberately invalid payloads, biased to edges.

Hand-written cases find what their authors thought of; SDKs diverge at the
edges: integers beyond 2**53, ``-0.0`` and ``1E+21``, ``1.0`` where an integer
goes, astral-plane and empty strings, date-times with offsets, ``z`` or nine
fractional digits, ``null`` on optional fields, absent optionals and defaults,
unknown keys and enum values, payloads that fit several union members. This
module draws payloads of one definition of a neutral ``Schema`` with those
values over-represented, and breaks some of them at one place on purpose.

One generator, two drivers. The generator asks a ``Source`` for numbers
(``below(n)``: an integer in ``[0, n)``) and nothing else:

* ``generate_cases`` drives it with ``SeededSource``, a SplitMix64 stream (pure
  integer arithmetic, specified here, so it gives the same numbers on every
  Python version and machine; ``random.Random`` only promises that of
  ``random()``). Case ``n`` of ``(seed, model)`` has its own stream, seeded
  from a SHA-256 of those three, so it does not depend on ``count``, on the
  other cases, or on ``PYTHONHASHSEED``: the same seed and schema give the same
  payloads everywhere, and ``gen-<model>-<seed>-<n>`` always names the same one.
* ``payloads`` and ``cases`` drive it with Hypothesis (``draw(integers(0, n - 1))``),
  for property tests that want Hypothesis's search and shrinking. Choice ``0``
  is always the plainest option (absent, empty, the first member), so
  Hypothesis shrinks toward plain payloads.

Validity is decided by ``accepts``, a checker of its own that mirrors the rules
of the reference targets (``conformance.oracle.converters``: strict JSON types, an
integer may be written ``1.0``, RFC 3339 date-times, enums compared by value,
unknown keys allowed unless the model forbids them, and the union rules:
a discriminator picks the member; otherwise ``anyOf`` takes the first member that
fits without unknown keys, and ``oneOf`` needs exactly one such member, or else
exactly one that fits at all). It does not run the reference: the tests run the
reference on generated cases and check that the two agree.

The neutral schema has no request-only or response-only fields, so a payload
does not depend on the direction, which is only recorded on each case.

Invalid payloads are a valid payload broken at one path (a wrong JSON type,
``"5"`` where a number goes, ``"yes"`` where a boolean goes, a date where a
date-time goes, an unknown enum value or discriminator, ``null`` where the type
is not nullable, a required key removed, an unknown key where the model
forbids them); the checker confirms the whole payload is then rejected, and the
case's description says what was broken and where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol, cast

from attrs import frozen

from conformance.core import jsonwire
from conformance.core.conventions import get_convention, unique_names, words
from conformance.core.divergence import PathSegment, path_text
from conformance.core.formats import is_date, is_date_time, value_key
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
from conformance.sources.cases import Case, Direction

if TYPE_CHECKING:
    from hypothesis import strategies as st

__all__ = [
    "SeededSource",
    "Source",
    "accepts",
    "case_id",
    "cases",
    "generalize",
    "generate_cases",
    "minimal",
    "payloads",
    "type_at",
]

Path = tuple[PathSegment, ...]
#: The generation algorithm's version; it is part of every case's stream seed.
STREAM = "conformance-generate:1"
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_MASK = (1 << 64) - 1
_ID_CHARS = re.compile(r"[^A-Za-z0-9._:-]")


# Sources of numbers.


class Source(Protocol):
    """Where the generator's choices come from."""

    def below(self, n: int) -> int:
        """An integer in ``[0, n)`` (``0`` when ``n <= 1``)."""
        ...


class SeededSource:
    """SplitMix64: a fixed, fully specified stream of 64-bit words from one seed."""

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def _word(self) -> int:
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``: 64 more random bits than ``n`` needs, reduced mod ``n``."""
        if n <= 1:
            return 0
        value = 0
        for _ in range((n.bit_length() + 63) // 64 + 1):
            value = (value << 64) | self._word()
        return value % n


def _within(value: JsonValue, low: int, high: int) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and low <= value <= high


def _stream_seed(seed: int, model: str, index: int) -> int:
    digest = hashlib.sha256(f"{STREAM}\0{seed}\0{model}\0{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class _Draw:
    """Choices on top of a ``Source``: picks, chances (per mille), ranges."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def below(self, n: int) -> int:
        return self.source.below(n)

    def chance(self, per_mille: int) -> bool:
        """True with probability ``per_mille / 1000``; choice ``0`` is False."""
        return self.source.below(1000) >= 1000 - per_mille

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.source.below(len(options))]

    def between(self, low: int, high: int) -> int:
        return low + self.source.below(high - low + 1)


# Edge values: (value, label); the label goes into the case description.

Edge = tuple[JsonValue, str]


def _int_edges() -> tuple[Edge, ...]:
    plain = (0, 1, -1)
    powers: tuple[Edge, ...] = (
        (2**31 - 1, "integer 2^31-1"),
        (2**31, "integer 2^31"),
        (-(2**31) - 1, "integer -2^31-1"),
        (2**32, "integer 2^32"),
        (2**53 - 1, "integer 2^53-1"),
        (2**53, "integer 2^53"),
        (2**53 + 1, "integer 2^53+1"),
        (-(2**53) - 1, "integer -(2^53+1)"),
        (2**63 - 1, "integer 2^63-1"),
        (2**63, "integer 2^63"),
        (-(2**63), "integer -2^63"),
        (2**64 + 1, "integer 2^64+1"),
        (10**21, "integer 10^21"),
        (10**30, "integer 10^30"),
    )
    integral: tuple[Edge, ...] = (
        (Decimal("1.0"), "integer written 1.0"),
        (Decimal("-0.0"), "integer written -0.0"),
        (Decimal("-0"), "integer written -0"),
        (Decimal("5.00"), "integer written 5.00"),
        (Decimal("1E+2"), "integer written 1E+2"),
    )
    return tuple((v, f"integer {v}") for v in plain) + powers + integral


def _decimal_edges() -> tuple[Edge, ...]:
    tokens = (
        "-0.0",
        "0.0",
        "1.0",
        "1.5",
        "1.50",
        "0.1",
        "0.30000000000000004",
        "1E+21",
        "1E-7",
        "4113.95",
        "-1.5E-300",
        "1.7976931348623157E+308",
        "5E-324",
        "9007199254740993.0",
        "123456789012345678901234567890.5",
    )
    return tuple((Decimal(t), f"number {t}") for t in tokens)


INT_EDGES = _int_edges()
DECIMAL_EDGES = _decimal_edges()
STRING_EDGES: tuple[Edge, ...] = (
    ("", "empty string"),
    ("5", 'numeric string "5"'),
    ("true", 'string "true"'),
    ("null", 'string "null"'),
    ("yes", 'string "yes"'),
    (" ", "blank string"),
    ("\U0001f600", "astral-plane character"),
    ("a\U0001d11eb", "astral-plane character inside text"),
    ("caf\u00e9", "NFC accent"),
    ("cafe\u0301", "NFD combining accent"),
    ("line\u2028separator", "U+2028 line separator"),
    ("nul\u0000byte", "NUL character"),
    ('quote " and \\ backslash', "quote and backslash"),
    ("x" * 300, "300-character string"),
)
DATE_TIME_EDGES: tuple[Edge, ...] = (
    ("2024-01-02T03:04:05Z", "date-time with Z"),
    ("2024-01-02t03:04:05z", "date-time with lower-case t and z"),
    ("2024-01-02T03:04:05+00:00", "date-time with +00:00"),
    ("2024-01-02T03:04:05-00:00", "date-time with -00:00"),
    ("2024-01-02T03:04:05+05:30", "date-time with +05:30 offset"),
    ("2024-01-02T03:04:05-08:00", "date-time with -08:00 offset"),
    ("2024-01-02T03:04:05+14:00", "date-time with +14:00 offset"),
    ("2024-01-02T03:04:05.5Z", "date-time with one fractional digit"),
    ("2024-01-02T03:04:05.123456Z", "date-time with microseconds"),
    ("2024-01-02T03:04:05.123456789Z", "date-time with nanoseconds"),
    ("2016-12-31T23:59:60Z", "date-time with a leap second"),
    ("1969-12-31T23:59:59.999Z", "date-time before the epoch"),
    ("0001-01-01T00:00:00Z", "date-time in year 1"),
    ("9999-12-31T23:59:59.999999999+00:00", "date-time at the end of year 9999"),
)
DATE_EDGES: tuple[Edge, ...] = (
    ("2024-02-29", "leap day"),
    ("0001-01-01", "date in year 1"),
    ("9999-12-31", "date in year 9999"),
    ("1970-01-01", "the epoch date"),
)
#: Keys that look like field names, collide after renaming, or are odd in JavaScript.
TRICKY_KEYS = (
    "",
    "a",
    "system_fingerprint",
    "systemFingerprint",
    "from",
    "odd key",
    "self-harm/intent",
    "\U0001f600",
    "__proto__",
    "constructor",
    "1",
    "null",
)
UNKNOWN_KEYS = ("x-unknown", "unknown_key", "unknownKey", "__proto__", "\U0001f600", "")
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-"
_WIDE = "\u00e9\u00df\u4e2d\u0416\U0001f600\U0001d11e\u200b\u2028"


# The checker: which payloads the reference targets accept.

_NO, _EXACT, _EXTRA = 0, 1, 2


class _Checker:
    """The reference targets' acceptance rules, on parsed wire values."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def accepts(self, type_: TypeRef | Model, value: object) -> bool:
        return self.check(type_, value) != _NO

    def check(self, type_: TypeRef | Model, value: object) -> int:
        """``_NO``; ``_EXACT``; or ``_EXTRA``: fits, but its object has unknown keys."""
        if isinstance(type_, Ref):
            definition = self.schema[type_.name]
            return self.check(
                definition if isinstance(definition, Model) else definition.type, value
            )
        if isinstance(type_, Model):
            return self._model(type_, value)
        if isinstance(type_, Primitive):
            return _EXACT if _fits_primitive(type_, value) else _NO
        if isinstance(type_, AnyValue):
            return _EXACT
        if isinstance(type_, EnumOf):
            return _EXACT if value_key(value) in {value_key(v) for v in type_.values} else _NO
        if isinstance(type_, Const):
            return _EXACT if value_key(value) == value_key(type_.value) else _NO
        if isinstance(type_, ArrayOf):
            ok = type(value) is list and all(self.accepts(type_.items, v) for v in value)
            return _EXACT if ok else _NO
        if isinstance(type_, MapOf):
            ok = type(value) is dict and all(self.accepts(type_.values, v) for v in value.values())
            return _EXACT if ok else _NO
        if isinstance(type_, Nullable):
            return _EXACT if value is None else self.check(type_.inner, value)
        return self._union(type_, value)[0]

    def _model(self, model: Model, value: object) -> int:
        if type(value) is not dict:
            return _NO
        declared = {f.wire_name for f in model.fields}
        for each in model.fields:
            if each.wire_name in value:
                if not self.accepts(each.type, value[each.wire_name]):
                    return _NO
            elif each.required:
                return _NO
        extras = [key for key in value if key not in declared]
        if not extras:
            return _EXACT
        if model.additional is False:
            return _NO
        additional = model.additional
        if additional is not None and not all(self.accepts(additional, value[k]) for k in extras):
            return _NO
        return _EXTRA

    def tagged(self, union: UnionOf, value: object) -> Ref | None:
        """The member a discriminated union's tag selects in an object, if any."""
        discriminator = union.discriminator
        if discriminator is None or type(value) is not dict:
            return None
        tag = value.get(discriminator.property)
        if type(tag) is not str:
            return None
        name = discriminator.member_for(tag) or tag
        for member in union.members:
            definition = self.schema.definitions.get(name)
            if isinstance(member, Ref) and member.name == name and isinstance(definition, Model):
                return member
        return None

    def _union(self, union: UnionOf, value: object) -> tuple[int, TypeRef | None, int]:
        """(status, the member that reads the value, how many members fit)."""
        if union.discriminator is not None and type(value) is dict:
            member = self.tagged(union, value)
            if member is None:
                return _NO, None, 0
            status = self.check(member, value)
            return status, member if status else None, 1 if status else 0
        statuses = [self.check(m, value) for m in union.members]
        fits = [i for i, s in enumerate(statuses) if s]
        exact = [i for i, s in enumerate(statuses) if s == _EXACT]
        if union.mode == "anyOf":
            if exact:
                return _EXACT, union.members[exact[0]], len(fits)
            if fits:
                return statuses[fits[0]], union.members[fits[0]], len(fits)
            return _NO, None, 0
        if len(exact) == 1:
            return _EXACT, union.members[exact[0]], len(fits)
        if len(fits) == 1 and not exact:
            return statuses[fits[0]], union.members[fits[0]], 1
        return _NO, None, len(fits)

    def member(self, union: UnionOf, value: object) -> TypeRef | None:
        """The member of ``union`` that reads ``value``, or ``None`` when it is rejected."""
        return self._union(union, value)[1]

    def fitting(self, union: UnionOf, value: object) -> int:
        """How many members of ``union`` would read ``value`` on their own."""
        return self._union(union, value)[2]


def _fits_primitive(type_: Primitive, value: object) -> bool:
    if type_.kind == "string":
        if type(value) is not str:
            return False
        if type_.format == "date-time":
            return is_date_time(value)
        if type_.format == "date":
            return is_date(value)
        return True
    if type_.kind == "boolean":
        return type(value) is bool
    if type_.kind == "number":
        return type(value) in (int, Decimal)
    if type(value) is int:
        number: int | Decimal = value
    elif type(value) is Decimal and value.is_finite() and value == value.to_integral_value():
        number = value
    else:
        return False
    low, high = _INT_BOUNDS.get(type_.format or "", (number, number))
    return low <= number <= high


def accepts(schema: Schema, name_or_type: str | TypeRef, value: JsonValue) -> bool:
    """Whether the reference targets accept ``value`` as the definition (or type) given."""
    type_ = Ref(name_or_type) if isinstance(name_or_type, str) else name_or_type
    return _Checker(schema).accepts(type_, value)


def type_at(schema: Schema, model: str, value: JsonValue, path: Path) -> TypeRef | None:
    """The schema type of the value at ``path`` in a payload of ``model`` (unions resolved).

    ``None`` when the path leaves what the schema declares (an unknown key, a
    union value no member reads, a value of the wrong shape).
    """
    checker = _Checker(schema)
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
    checker = _Checker(schema)
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
    schema: Schema, type_: TypeRef, value: object, checker: _Checker
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


# Valid payloads.


class _Infinite(ValueError):
    """A type has no finite payload (a required, non-nullable recursion)."""


class _Generator:
    """Draws valid payloads of a schema's types, noting each edge value it used."""

    def __init__(self, schema: Schema, draw: _Draw) -> None:
        self.schema = schema
        self.draw = draw
        self.checker = _Checker(schema)
        self.notes: list[str] = []
        self._taken: dict[str, frozenset[tuple[str, ...]]] = {}

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
        alphabet = _LETTERS + _WIDE if wide else _LETTERS
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
        bounds = _INT_BOUNDS.get(format_ or "")
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
                raise _Infinite(model.name)
            trail = trail | {model.name}
        fixed = fixed or {}
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
                        out[each.wire_name] = _copy(default)
                        continue
                elif not self.draw.chance(600):
                    continue
                try:
                    out[each.wire_name] = self.value(each.type, depth - 1, where, trail)
                except _Infinite:
                    continue
            else:
                out[each.wire_name] = self.value(each.type, depth - 1, where, trail)
        for key, value in fixed.items():
            if model.field_named(key) is None:
                out[key] = value
        self.extras(model, depth, path, out)
        return out

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
            except _Infinite:
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
            except _Infinite:
                del self.notes[mark:]
                continue
            if self.checker.member(union, value) is not None:
                fitting = self.checker.fitting(union, value)
                if fitting > 1:
                    self.note(f"value that fits {fitting} members of {union.mode}", path)
                return value
            del self.notes[mark:]
        return minimal(self.schema, union, trail)

    def member(
        self, union: UnionOf, member: TypeRef, depth: int, path: Path, trail: frozenset[str]
    ) -> JsonValue:
        discriminator = union.discriminator
        if discriminator is not None and isinstance(member, Ref):
            definition = self.schema[member.name]
            if isinstance(definition, Model):
                tags = [k for k, name in discriminator.mapping if name == member.name]
                if not tags or self.draw.chance(100):
                    if tags:
                        self.note("discriminator given as the member's name", path)
                    tags = [member.name]
                tag = self.draw.pick(tags)
                return self.model(definition, depth, path, trail, {discriminator.property: tag})
        return self.value(member, depth, path, trail)


def minimal(schema: Schema, type_: TypeRef, trail: frozenset[str] = frozenset()) -> JsonValue:
    """The plainest valid payload of ``type_``: required fields only, empty, zero, first.

    Raises ``ValueError`` when ``type_`` has no finite payload (a required recursion).
    """
    if isinstance(type_, Ref):
        definition = schema[type_.name]
        if isinstance(definition, Model):
            if definition.name in trail:
                raise _Infinite(definition.name)
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
    checker = _Checker(schema)
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
        except _Infinite:
            continue
        if checker.member(type_, value) is not None:
            return value
    raise _Infinite(repr(type_))


def _schema_order(schema: Schema, member: Ref, value: dict[str, JsonValue]) -> JsonValue:
    definition = schema[member.name]
    assert isinstance(definition, Model)
    declared = [f.wire_name for f in definition.fields if f.wire_name in value]
    return {
        **{k: value[k] for k in declared},
        **{k: v for k, v in value.items() if k not in declared},
    }


# Invalid payloads: one mutation of a valid one.


@frozen
class _Mutation:
    """Replace the value at ``path`` (or remove its key, when ``remove``)."""

    path: Path
    what: str
    value: JsonValue = None
    remove: bool = False

    def apply(self, payload: JsonValue) -> JsonValue:
        if not self.path:
            return _copy(self.value)
        root = _copy(payload)
        node: Any = root
        for segment in self.path[:-1]:
            node = node[segment]
        if self.remove:
            del node[self.path[-1]]
        else:
            node[self.path[-1]] = _copy(self.value)
        return root


def _copy(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _shown(value: JsonValue) -> str:
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


class _Breaker:
    """Every one-place mutation of a valid payload, for the generator to choose from."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.checker = _Checker(schema)

    def sites(self, type_: TypeRef, value: JsonValue, path: Path) -> Iterator[_Mutation]:
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

    def replacements(self, type_: TypeRef, value: JsonValue, path: Path) -> Iterator[_Mutation]:
        """Values that do not fit ``type_`` where they stand."""
        resolved = self._resolve(type_)
        yield _Mutation(path, "null where the type is not nullable", None)
        inner = resolved.inner if isinstance(resolved, Nullable) else resolved
        inner = self._resolve(inner) if isinstance(inner, Ref) else inner
        if isinstance(inner, Primitive):
            yield from self.primitive_sites(inner, value, path)
        elif isinstance(inner, EnumOf):
            strings = [v for v in inner.values if isinstance(v, str)]
            if isinstance(value, str) and value.upper() != value:
                yield _Mutation(
                    path, f"enum value in another case {value.upper()!r}", value.upper()
                )
            if strings:
                yield _Mutation(path, "unknown enum value 'unknown_value'", "unknown_value")
            else:
                yield _Mutation(path, "unknown enum value 999", 999)
            yield _Mutation(path, "enum value as the wrong JSON type", [] if strings else "x")
        elif isinstance(inner, Const):
            yield _Mutation(path, "a value other than the constant", "not-the-constant")
        elif isinstance(inner, Model):
            yield _Mutation(path, "an array where an object goes", [])
            yield _Mutation(path, "a string where an object goes", "x")
        elif isinstance(inner, ArrayOf):
            yield _Mutation(path, "an object where an array goes", {})
            yield _Mutation(path, "a string where an array goes", "x")
        elif isinstance(inner, MapOf):
            yield _Mutation(path, "an array where a map goes", [])
        elif isinstance(inner, UnionOf):
            wrongs: tuple[JsonValue, ...] = (True, "x", 0, Decimal("1.5"), [], {})
            for wrong in wrongs:
                yield _Mutation(path, f"{_shown(wrong)}, which fits no union member", wrong)

    def primitive_sites(
        self, type_: Primitive, value: JsonValue, path: Path
    ) -> Iterator[_Mutation]:
        kind = type_.kind
        if kind in ("integer", "number"):
            number = isinstance(value, int | Decimal) and not isinstance(value, bool)
            text = jsonwire.token(value) if isinstance(value, int | Decimal) and number else "5"
            yield _Mutation(path, f"numeric string {text!r} where a number goes", text)
            article = "an" if kind == "integer" else "a"
            yield _Mutation(path, f"boolean true where {article} {kind} goes", True)
            if kind == "integer":
                yield _Mutation(path, "fraction 1.5 where an integer goes", Decimal("1.5"))
                yield _Mutation(path, "exponent 1E-7 where an integer goes", Decimal("1E-7"))
                bounds = _INT_BOUNDS.get(type_.format or "")
                if bounds is not None:
                    yield _Mutation(path, f"{bounds[1] + 1} beyond {type_.format}", bounds[1] + 1)
                    yield _Mutation(path, f"{bounds[0] - 1} beyond {type_.format}", bounds[0] - 1)
        elif kind == "boolean":
            for wrong in ("yes", "true", "false", 1, 0):
                yield _Mutation(path, f"{_shown(wrong)} where a boolean goes", wrong)
        elif type_.format == "date-time":
            for wrong, how in _WRONG_DATE_TIMES:
                yield _Mutation(path, f"{how} date-time {wrong!r}", wrong)
            yield _Mutation(path, "epoch seconds where a date-time string goes", 1704164645)
        elif type_.format == "date":
            for wrong, how in _WRONG_DATES:
                yield _Mutation(path, f"{how} date {wrong!r}", wrong)
        else:
            yield _Mutation(path, "number 5 where a string goes", 5)
            yield _Mutation(path, "boolean true where a string goes", True)

    def union_sites(self, union: UnionOf, value: JsonValue, path: Path) -> Iterator[_Mutation]:
        discriminator = union.discriminator
        if discriminator is None or not isinstance(value, dict):
            return
        where = (*path, discriminator.property)
        yield _Mutation(where, "unknown discriminator value 'unknown_tag'", "unknown_tag")
        yield _Mutation(where, "discriminator as a number", 1)
        if discriminator.property in value:
            yield _Mutation(where, "discriminator removed", remove=True)

    def model_sites(
        self, model: Model, value: dict[str, JsonValue], path: Path
    ) -> Iterator[_Mutation]:
        for key, item in value.items():
            declared = model.field_named(key)
            where = (*path, key)
            if declared is not None:
                if declared.required:
                    yield _Mutation(where, f"required key {key!r} removed", remove=True)
                yield from self.sites(declared.type, item, where)
            elif model.additional is not None and model.additional is not False:
                yield from self.sites(model.additional, item, where)
        if model.additional is False:
            where = (*path, "x-unknown")
            yield _Mutation(where, "unknown key where the model forbids them", "x")
        elif model.additional is not None:
            where = (*path, "x-unknown")
            yield _Mutation(where, "additional key of the wrong type", _wrong_for(model.additional))


def _wrong_for(type_: TypeRef) -> JsonValue:
    if isinstance(type_, Primitive) and type_.kind == "string":
        return 5
    return "x"


# Cases.


def case_id(model: str, seed: int, index: int) -> str:
    """The stable id of generated case ``index`` of ``model`` under ``seed``."""
    return f"gen-{_ID_CHARS.sub('_', model)}-{seed}-{index}"


def _is_invalid(index: int, ratio: Fraction) -> bool:
    """Spread invalid cases evenly: exactly ``floor(n * ratio)`` among the first ``n``."""
    return int((index + 1) * ratio) > int(index * ratio)


def _summary(notes: Sequence[str], limit: int = 6) -> str:
    unique = list(dict.fromkeys(notes))
    shown = "; ".join(unique[:limit])
    return shown + (f"; and {len(unique) - limit} more" if len(unique) > limit else "")


def _draw_case(
    schema: Schema,
    model: str,
    draw: _Draw,
    *,
    invalid: bool,
    max_depth: int,
) -> tuple[JsonValue, bool, str]:
    """(payload, valid, description) of one case, drawn from ``draw``."""
    root = Ref(model)
    generator = _Generator(schema, draw)
    checker = generator.checker
    for _ in range(3):
        del generator.notes[:]
        try:
            payload = generator.value(root, max_depth, (), frozenset())
        except _Infinite:
            raise ValueError(f"{model!r} has no finite payload (required recursion)") from None
        if not invalid:
            edges = _summary(generator.notes)
            return payload, True, "valid" + (f"; edges: {edges}" if edges else "")
        sites = list(_Breaker(schema).sites(root, payload, ()))
        for _ in range(min(len(sites), 12)):
            mutation = sites[draw.below(len(sites))]
            broken = mutation.apply(payload)
            if not checker.accepts(root, broken):
                return broken, False, f"invalid: {mutation.what} at {path_text(mutation.path)}"
    wholes: tuple[JsonValue, ...] = ([], "x", 0, None)
    for wrong in wholes:
        if not checker.accepts(root, wrong):
            return wrong, False, f"invalid: {_shown(wrong)} as the whole payload at $"
    return payload, True, "valid (the model admits every payload, so none is invalid)"


def generate_cases(
    schema: Schema,
    model: str,
    count: int,
    seed: int,
    direction: Direction = "response",
    invalid_ratio: float = 0.25,
    *,
    max_depth: int = 4,
) -> list[Case]:
    """``count`` cases of ``model``, the same for the same seed and schema on every machine.

    ``floor(n * invalid_ratio)`` of the first ``n`` cases are invalid (spread
    evenly); case ``n`` depends only on ``(seed, model, n)`` and the schema.
    """
    if model not in schema:
        raise ValueError(f"unknown model {model!r}")
    if not 0 <= invalid_ratio <= 1:
        raise ValueError(f"invalid_ratio must be between 0 and 1, not {invalid_ratio!r}")
    ratio = Fraction(invalid_ratio).limit_denominator(10**6)
    out = []
    for index in range(count):
        draw = _Draw(SeededSource(_stream_seed(seed, model, index)))
        payload, valid, description = _draw_case(
            schema, model, draw, invalid=_is_invalid(index, ratio), max_depth=max_depth
        )
        out.append(
            Case(
                id=case_id(model, seed, index),
                model=model,
                direction=direction,
                wire=payload,
                valid=valid,
                description=f"seed {seed}: {description}",
                source=f"generated (seed {seed})",
            )
        )
    return out


# Hypothesis strategies.


class _HypothesisSource:
    """A ``Source`` that asks Hypothesis, so its search and shrinking apply."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self._draw = draw
        from hypothesis import strategies

        self._integers = strategies.integers

    def below(self, n: int) -> int:
        if n <= 1:
            return 0
        value: int = self._draw(self._integers(0, n - 1))
        return value


def payloads(
    schema: Schema, model: str, *, valid: bool = True, max_depth: int = 4
) -> st.SearchStrategy[JsonValue]:
    """Hypothesis: valid (or, with ``valid=False``, broken) payloads of ``model``."""
    from hypothesis import strategies

    @strategies.composite
    def draw_payload(draw: st.DrawFn) -> JsonValue:
        source = _Draw(_HypothesisSource(draw))
        payload, _, _ = _draw_case(schema, model, source, invalid=not valid, max_depth=max_depth)
        return payload

    strategy: st.SearchStrategy[JsonValue] = draw_payload()
    return strategy


def cases(
    schema: Schema,
    model: str,
    direction: Direction = "response",
    *,
    invalid_ratio: float = 0.25,
    max_depth: int = 4,
) -> st.SearchStrategy[Case]:
    """Hypothesis: ``Case`` records of ``model``, invalid with probability ``invalid_ratio``."""
    from hypothesis import strategies

    per_mille = round(invalid_ratio * 1000)

    @strategies.composite
    def draw_case(draw: st.DrawFn) -> Case:
        source = _Draw(_HypothesisSource(draw))
        invalid = source.chance(per_mille)
        payload, valid, description = _draw_case(
            schema, model, source, invalid=invalid, max_depth=max_depth
        )
        name = _ID_CHARS.sub("_", model)
        return Case(f"hypothesis-{name}", model, direction, payload, valid, description)

    strategy: st.SearchStrategy[Case] = draw_case()
    return strategy
