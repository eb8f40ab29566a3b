"""Hypothesis strategies for wire payloads, built from the neutral schema.

``payloads(schema, name)`` draws *valid* wire payloads of one definition, in
the shapes ``jsonwire.loads`` produces: integers are ``int`` and every other
number is a ``Decimal`` whose exponent is not zero (``Decimal("5")`` would be
written ``5`` and read back as an ``int``). Objects carry their required fields
and a random subset of the optional ones, always in schema order, so a target
that writes declared fields in schema order gives back the payload exactly.

``invalid_payloads(schema, name)`` draws one valid payload and breaks it at one
place: a value of the wrong JSON type (or outside its enum or format), ``null``
where the type is not nullable, or a required key removed. Each draw is
``(payload, path)``; ``path`` is where the first (and only) problem is, so a
strict reader must reject the payload with exactly that path.

Undiscriminated union members are never broken from the inside: the reader
tries every member and reports the union itself, and a broken member may still
fit another one. Mutations stop at such a union (the union value itself is still
replaced by values that fit no member).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from hypothesis import note
from hypothesis import strategies as st

from conformance.core import jsonwire
from conformance.core.conventions import get_convention
from conformance.core.divergence import PathSegment, path_text
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

__all__ = [
    "decimal_tokens",
    "fits",
    "integers",
    "integral_decimals",
    "invalid_payloads",
    "json_values",
    "number_tokens",
    "payloads",
    "rfc3339_date_times",
    "rfc3339_dates",
    "text",
]

Path = tuple[PathSegment, ...]
_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_NATIVE = (get_convention("python"), get_convention("typescript"))

#: Tokens a careless reader rewrites: trailing zeros, exponents, negative zero.
TRICKY_DECIMALS = tuple(
    Decimal(token)
    for token in ("1.50", "1E+21", "-0.0", "0.0", "1e-7", "4113.95", "1.0", "-1.5E-300")
)
#: Strings that look like other JSON types, are empty, or leave the BMP.
TRICKY_STRINGS = ("", "0", "7", "false", "null", "\U0001f600", "a\U0001d11eb", "caf\u00e9", " ")
#: Map keys that a naming convention would change if it (wrongly) touched them.
TRICKY_KEYS = ("system_fingerprint", "systemFingerprint", "from", "odd key", "", "self-harm/intent")


# Scalars.


def text(*, surrogates: bool = False) -> st.SearchStrategy[str]:
    """Strings, astral-plane and empty included; lone surrogates only when asked."""
    alphabet = st.characters(exclude_categories=() if surrogates else ("Cs",))
    return st.text(alphabet, max_size=8) | st.sampled_from(TRICKY_STRINGS)


def decimal_tokens() -> st.SearchStrategy[Decimal]:
    """Non-integer number tokens as ``jsonwire.loads`` reads them (exponent never zero)."""
    built = st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=20),
        st.integers(-30, 30).filter(bool),
    )
    return built | st.sampled_from(TRICKY_DECIMALS)


def integers(bounds: tuple[int, int] | None = None) -> st.SearchStrategy[int]:
    """Integers, beyond 2**53 (and 2**64) unless ``bounds`` say otherwise."""
    if bounds is not None:
        low, high = bounds
        return st.integers(low, high) | st.sampled_from((low, high, 0, -1))
    edges = (2**53, 2**53 + 1, -(2**53) - 1, 2**63, 2**64 + 1, 10**30)
    return st.integers() | st.sampled_from(edges)


def number_tokens() -> st.SearchStrategy[int | Decimal]:
    """JSON numbers: integers of any size and decimal tokens of many shapes."""
    return integers() | decimal_tokens()


def integral_decimals(bounds: tuple[int, int] | None) -> st.SearchStrategy[Decimal]:
    """Integer values written as non-integer tokens (``3.0``, ``-7.00``, ``1E+2``)."""
    low, high = bounds or (-(10**20), 10**20)
    zeros = st.builds(
        lambda value, places: Decimal(value).quantize(Decimal(1).scaleb(-places)),
        st.integers(max(low, -(10**6)), min(high, 10**6)),
        st.integers(1, 3),
    )
    return zeros | st.sampled_from((Decimal("1E+2"), Decimal("-0.0"), Decimal("0.0")))


def rfc3339_date_times() -> st.SearchStrategy[str]:
    """Valid RFC 3339 date-times: ``Z``/``z``, offsets, ``T``/``t``, fractions of any length."""
    offsets = st.sampled_from(("Z", "z", "+00:00", "-00:00")) | st.builds(
        lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
        st.sampled_from("+-"),
        st.integers(0, 23),
        st.integers(0, 59),
    )
    fraction = st.just("") | st.text("0123456789", min_size=1, max_size=9).map(".".__add__)
    return st.builds(
        lambda day, sep, clock, frac, offset: (
            f"{day.year:04d}-{day.month:02d}-{day.day:02d}{sep}"
            f"{clock.hour:02d}:{clock.minute:02d}:{clock.second:02d}{frac}{offset}"
        ),
        st.dates(),
        st.sampled_from("Tt"),
        st.times(),
        fraction,
        offsets,
    )


def rfc3339_dates() -> st.SearchStrategy[str]:
    """Valid RFC 3339 full-dates."""
    return st.dates().map(lambda day: f"{day.year:04d}-{day.month:02d}-{day.day:02d}")


def json_values(*, surrogates: bool = True, max_leaves: int = 12) -> st.SearchStrategy[JsonValue]:
    """Any JSON value as ``jsonwire.loads`` reads it (big numbers, lone surrogates included)."""
    scalars: st.SearchStrategy[JsonValue] = (
        st.none() | st.booleans() | number_tokens() | text(surrogates=surrogates)
    )
    keys = text(surrogates=surrogates) | st.sampled_from(TRICKY_KEYS)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=max_leaves,
    )


# Validity, independent of the package: used to keep oneOf members apart and
# to make sure a mutation really breaks the payload.

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-]([0-9]{2}):([0-9]{2}))"
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _fits_string(format_: str | None, value: str) -> bool:
    if format_ == "date":
        match = _DATE.fullmatch(value)
        return match is not None and _is_date(*match.groups())
    if format_ != "date-time":
        return True
    match = _DATE_TIME.fullmatch(value)
    if match is None or not _is_date(*match.group(1, 2, 3)):
        return False
    hour, minute, second = (int(g) for g in match.group(4, 5, 6))
    offset_ok = match.group(7) is None or (int(match.group(7)) < 24 and int(match.group(8)) < 60)
    return hour < 24 and minute < 60 and second <= 60 and offset_ok


def _fits_primitive(type_: Primitive, value: object) -> bool:
    if type_.kind == "string":
        return type(value) is str and _fits_string(type_.format, value)
    if type_.kind == "boolean":
        return type(value) is bool
    if type_.kind == "number":
        return type(value) in (int, Decimal)
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        return False
    if isinstance(value, Decimal) and not (value.is_finite() and value == int(value)):
        return False
    low, high = _INT_BOUNDS.get(type_.format or "", (value, value))
    return low <= value <= high


def fits(schema: Schema, type_: TypeRef | Model, value: object) -> bool:
    """Whether ``value`` is a wire value of ``type_`` (JSON Schema rules, types strict)."""
    if isinstance(type_, Ref):
        type_ = schema.resolve(type_)
    if isinstance(type_, Model):
        return _fits_model(schema, type_, value)
    if isinstance(type_, Primitive):
        return _fits_primitive(type_, value)
    if isinstance(type_, AnyValue):
        return True
    if isinstance(type_, EnumOf):
        return jsonwire.canonical(value) in {jsonwire.canonical(v) for v in type_.values}
    if isinstance(type_, Const):
        return jsonwire.canonical(value) == jsonwire.canonical(type_.value)
    if isinstance(type_, ArrayOf):
        return type(value) is list and all(fits(schema, type_.items, item) for item in value)
    if isinstance(type_, MapOf):
        return type(value) is dict and all(fits(schema, type_.values, v) for v in value.values())
    if isinstance(type_, Nullable):
        return value is None or fits(schema, type_.inner, value)
    member = _tagged_member(schema, type_, value)
    if member is not None:
        return fits(schema, member, value)
    if type_.discriminator is not None and type(value) is dict:
        return False
    matches = sum(fits(schema, m, value) for m in type_.members)
    return matches == 1 if type_.mode == "oneOf" else matches >= 1


def _fits_model(schema: Schema, model: Model, value: object) -> bool:
    if type(value) is not dict:
        return False
    for each in model.fields:
        if each.wire_name in value:
            if not fits(schema, each.type, value[each.wire_name]):
                return False
        elif each.required:
            return False
    extras = [v for k, v in value.items() if model.field_named(k) is None]
    if model.additional is False:
        return not extras
    if model.additional is None:
        return True
    additional = model.additional
    return all(fits(schema, additional, v) for v in extras)


def _tagged_member(schema: Schema, union: UnionOf, value: object) -> Ref | None:
    """The member a discriminated union's tag selects in ``value``, if any."""
    discriminator = union.discriminator
    if discriminator is None or type(value) is not dict:
        return None
    tag = value.get(discriminator.property)
    if type(tag) is not str:
        return None
    name = discriminator.member_for(tag) or tag
    for member in union.members:
        if isinstance(member, Ref) and member.name == name:
            return member
    return None


def _tags(union: UnionOf, member: str) -> tuple[str, ...]:
    """The discriminator values that select ``member``."""
    assert union.discriminator is not None
    mapped = tuple(key for key, name in union.discriminator.mapping if name == member)
    return mapped or (member,)


# Valid payloads.


class _Infinite(Exception):
    """A type has no finite payload (required, non-nullable recursion)."""


class _Payloads:
    """Strategies for the types of one schema, memoised by (type, depth).

    Past the depth budget only the smallest payloads are drawn (required fields,
    empty arrays and maps, ``null`` where allowed); ``trail`` holds the models met
    since, to tell a required, non-nullable recursion (no finite payload) apart.
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        # Keyed by repr: a const or enum may hold (unhashable) objects and arrays.
        self.cache: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def of(self, type_: TypeRef, depth: int, trail: frozenset[str] = frozenset()) -> Any:
        """Payloads of ``type_`` within ``depth`` levels of objects, arrays and maps."""
        if trail:
            return self._build(type_, depth, trail)
        key = (repr(type_), max(depth, 0))
        cached = self.cache.get(key)
        if cached is None:
            cached = self.cache[key] = self._build(type_, depth, trail)
        return cached

    def _build(self, type_: TypeRef, depth: int, trail: frozenset[str]) -> Any:
        if isinstance(type_, Ref):
            definition = self.schema[type_.name]
            if isinstance(definition, Model):
                return self.model(definition, depth, trail)
            return self.of(definition.type, depth, trail)
        if isinstance(type_, Primitive):
            return _primitive(type_)
        if isinstance(type_, AnyValue):
            return json_values(surrogates=False, max_leaves=4 if depth > 0 else 1)
        if isinstance(type_, EnumOf):
            return st.sampled_from(type_.values)
        if isinstance(type_, Const):
            return st.just(type_.value)
        if isinstance(type_, ArrayOf):
            if depth <= 0:
                return st.just([])
            return st.lists(self.of(type_.items, depth - 1, trail), max_size=3)
        if isinstance(type_, MapOf):
            if depth <= 0:
                return st.just({})
            keys = text() | st.sampled_from(TRICKY_KEYS)
            return st.dictionaries(keys, self.of(type_.values, depth - 1, trail), max_size=3)
        if isinstance(type_, Nullable):
            if depth <= 0:
                return st.none()
            return st.none() | self.of(type_.inner, depth, trail)
        return self.union(type_, depth, trail)

    def model(
        self, model: Model, depth: int, trail: frozenset[str], fixed: dict[str, str] | None = None
    ) -> Any:
        """Objects of ``model`` in schema order; ``fixed`` sets keys (a discriminator tag)."""
        if depth <= 0:
            if model.name in trail:
                raise _Infinite(model.name)
            trail = trail | {model.name}
        fixed = fixed or {}
        fields = [
            (
                each.wire_name,
                each.required or each.wire_name in fixed,
                st.just(fixed[each.wire_name])
                if each.wire_name in fixed
                else self.of(each.type, depth - 1, trail),
            )
            for each in model.fields
            if depth > 0 or each.required or each.wire_name in fixed
        ]
        undeclared = {k: v for k, v in fixed.items() if model.field_named(k) is None}
        extras = self.extras(model, depth)

        @st.composite
        def objects(draw: st.DrawFn) -> dict[str, JsonValue]:
            out: dict[str, JsonValue] = {}
            for wire, required, values in fields:
                if required or draw(st.booleans()):
                    out[wire] = draw(values)
            out.update(undeclared)
            for key, value in draw(extras).items():
                out.setdefault(key, value)
            return out

        return objects()

    def extras(self, model: Model, depth: int) -> Any:
        """Undeclared keys of a model's typed ``additional`` values (none for other models)."""
        additional = model.additional
        if additional is None or additional is False or depth <= 0:
            return st.just({})
        taken = {f.wire_name for f in model.fields}
        taken |= {c.native(f.wire_name) for f in model.fields for c in _NATIVE}
        keys = st.text("abcxyz_-", min_size=1, max_size=5).map("x-".__add__)
        values = self.of(additional, depth - 1)
        return st.dictionaries(keys.filter(lambda k: k not in taken), values, max_size=2)

    def union(self, union: UnionOf, depth: int, trail: frozenset[str]) -> Any:
        """Payloads of one member at a time, that the union reads as that member."""
        options = []
        for index, member in enumerate(union.members):
            try:
                options.append(self.member(union, index, member, depth, trail))
            except _Infinite:
                continue
        if not options:
            raise _Infinite(repr(union))
        return st.one_of(options)

    def member(
        self, union: UnionOf, index: int, member: TypeRef, depth: int, trail: frozenset[str]
    ) -> Any:
        """Payloads of one member: tagged for a discriminator, else fitting no rival member."""
        discriminator = union.discriminator
        if discriminator is not None and isinstance(member, Ref):
            model = self.schema[member.name]
            assert isinstance(model, Model), "discriminated members are models"
            return st.one_of(
                [
                    self.model(model, depth, trail, {discriminator.property: tag})
                    for tag in _tags(union, member.name)
                ]
            )
        values = self.of(member, depth, trail)
        others = [m for i, m in enumerate(union.members) if i != index]
        if union.mode == "anyOf":
            others = others[:index]
        return values.filter(lambda v: not any(fits(self.schema, m, v) for m in others))


def _primitive(type_: Primitive) -> Any:
    if type_.kind == "string":
        if type_.format == "date-time":
            return rfc3339_date_times()
        if type_.format == "date":
            return rfc3339_dates()
        return text()
    if type_.kind == "boolean":
        return st.booleans()
    if type_.kind == "number":
        return number_tokens()
    bounds = _INT_BOUNDS.get(type_.format or "")
    return integers(bounds) | integral_decimals(bounds)


def payloads(schema: Schema, name: str, *, max_depth: int = 4) -> st.SearchStrategy[JsonValue]:
    """Valid wire payloads of the definition ``name``, nested at most ``max_depth`` deep."""
    strategy: st.SearchStrategy[JsonValue] = _Payloads(schema).of(Ref(name), max_depth)
    return strategy


# Invalid payloads: one mutation of a valid one.

#: Replacement values; each is used where the type does not admit it.
_WRONG: tuple[JsonValue, ...] = (None, True, 0, Decimal("1.5"), "x", 2**63, [], {})


def _admits(schema: Schema, type_: TypeRef | Model, kind: type) -> bool:
    """Whether some value of ``type_`` is a JSON ``kind`` (list or dict) at the top."""
    if isinstance(type_, Ref):
        type_ = schema.resolve(type_)
    if isinstance(type_, Model):
        return kind is dict
    if isinstance(type_, AnyValue):
        return True
    if isinstance(type_, ArrayOf):
        return kind is list
    if isinstance(type_, MapOf):
        return kind is dict
    if isinstance(type_, Nullable):
        return _admits(schema, type_.inner, kind)
    if isinstance(type_, UnionOf):
        return any(_admits(schema, m, kind) for m in type_.members)
    return False


def _replacements(schema: Schema, type_: TypeRef) -> list[JsonValue]:
    """Values that ``type_`` rejects right where they stand (not deeper inside)."""
    return [
        value
        for value in _WRONG
        if not fits(schema, type_, value)
        and not (type(value) in (list, dict) and _admits(schema, type_, type(value)))
    ]


Site = tuple[Path, str, Callable[[JsonValue], JsonValue]]


def _sites(schema: Schema, type_: TypeRef, value: JsonValue, path: Path) -> Iterator[Site]:
    """Every (path, what, mutate) that breaks ``value`` at ``path`` and nowhere else."""
    for wrong in _replacements(schema, type_):
        how = "null on a non-nullable value" if wrong is None else f"wrong value {wrong!r}"
        yield path, how, _setter(path, wrong)
    resolved = schema.resolve(type_)
    if isinstance(resolved, Nullable):
        if value is None:
            return
        resolved = schema.resolve(resolved.inner)
    if isinstance(resolved, UnionOf):
        member = _tagged_member(schema, resolved, value)
        if member is None:
            return
        resolved = schema.resolve(member)
    if isinstance(resolved, Model) and isinstance(value, dict):
        for key, item in value.items():
            declared = resolved.field_named(key)
            if declared is not None:
                yield from _sites(schema, declared.type, item, (*path, key))
                if declared.required:
                    yield (*path, key), "required key removed", _remover(path, key)
            elif resolved.additional is not None and resolved.additional is not False:
                yield from _sites(schema, resolved.additional, item, (*path, key))
    elif isinstance(resolved, ArrayOf) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _sites(schema, resolved.items, item, (*path, index))
    elif isinstance(resolved, MapOf) and isinstance(value, dict):
        for key, item in value.items():
            yield from _sites(schema, resolved.values, item, (*path, key))


def _copy(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _parent(root: JsonValue, path: Path) -> Any:
    node: Any = root
    for segment in path:
        node = node[segment]
    return node


def _setter(path: Path, wrong: JsonValue) -> Callable[[JsonValue], JsonValue]:
    def mutate(payload: JsonValue) -> JsonValue:
        if not path:
            return _copy(wrong)
        copy = _copy(payload)
        _parent(copy, path[:-1])[path[-1]] = _copy(wrong)
        return copy

    return mutate


def _remover(path: Path, key: str) -> Callable[[JsonValue], JsonValue]:
    def mutate(payload: JsonValue) -> JsonValue:
        copy = _copy(payload)
        del _parent(copy, path)[key]
        return copy

    return mutate


def invalid_payloads(
    schema: Schema, name: str, *, max_depth: int = 4
) -> st.SearchStrategy[tuple[JsonValue, Path]]:
    """``(payload, path)``: a valid payload of ``name`` broken at ``path`` (and only there)."""
    valid = payloads(schema, name, max_depth=max_depth)

    @st.composite
    def broken(draw: st.DrawFn) -> tuple[JsonValue, Path]:
        payload = draw(valid)
        sites = list(_sites(schema, Ref(name), payload, ()))
        path = draw(st.sampled_from(list(dict.fromkeys(at for at, _, _ in sites))))
        how, mutate = draw(st.sampled_from([(h, m) for at, h, m in sites if at == path]))
        note(f"{how} at {path_text(path)}")
        return mutate(payload), path

    return broken()
