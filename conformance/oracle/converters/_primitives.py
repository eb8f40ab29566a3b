"""Hooks for single JSON values: exact JSON types, formats, integer bounds, enums and consts.

What cattrs would do by default is wrong for a conformance oracle, so these hooks
are strict: ``"7"`` is not an integer, ``42`` is not a string, ``"false"`` and
``0`` are not booleans. An accepted value is returned as it came, so its JSON
token survives the round trip.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conformance.core import jsonwire
from conformance.core.formats import is_date, is_date_time, value_key
from conformance.core.jsonkinds import has_kind, kinds_of, kinds_text
from conformance.oracle.converters._core import (
    ACCEPTS,
    KNOWN_STRINGS,
    StructureError,
    StructureHook,
    describe,
    expected,
)
from conformance.oracle.models import (
    ConstType,
    DateTimeType,
    DateType,
    EnumType,
    IntegerType,
    NumberType,
)

__all__ = ["AS_IS", "PRIMITIVE_HOOKS", "choice_structure_factory", "integer_structure_factory"]


def structure_str(value: Any, _: Any) -> str:
    """A JSON string."""
    if type(value) is str:
        return value
    raise expected("string", value)


def structure_int(value: Any, _: Any) -> Any:
    """A JSON integer, as an ``int`` or an integral ``Decimal`` token."""
    if type(value) is int:
        return value
    # JSON Schema: 1.0 is an integer. The token is kept so the wire round trip is exact.
    if type(value) is Decimal and value.is_finite() and value == value.to_integral_value():
        return value
    raise expected("integer", value)


def structure_bool(value: Any, _: Any) -> bool:
    """``true`` or ``false``, nothing that merely looks like them."""
    if type(value) is bool:
        return value
    raise expected("boolean", value)


def structure_number(value: Any, _: Any) -> Any:
    """A JSON number (never ``bool``), token kept."""
    if type(value) in (int, Decimal, float):
        return value
    raise expected("number", value)


def structure_date_time(value: Any, _: Any) -> str:
    """A string holding an RFC 3339 date-time, kept as sent."""
    if type(value) is not str:
        raise expected("date-time string", value)
    if not is_date_time(value):
        raise StructureError(f"expected an RFC 3339 date-time, got {describe(value)}")
    return value


def structure_date(value: Any, _: Any) -> str:
    """A string holding an RFC 3339 full-date, kept as sent."""
    if type(value) is not str:
        raise expected("date string", value)
    if not is_date(value):
        raise StructureError(f"expected an RFC 3339 full-date, got {describe(value)}")
    return value


def structure_any(value: Any, _: Any) -> Any:
    """Any JSON value, as it came."""
    return value


#: The structure hook of each type that stands for one kind of JSON value.
PRIMITIVE_HOOKS: tuple[tuple[type, StructureHook], ...] = (
    (str, structure_str),
    (int, structure_int),
    (bool, structure_bool),
    (NumberType, structure_number),
    (DateTimeType, structure_date_time),
    (DateType, structure_date),
)


#: The value types each of those hooks returns unchanged, whatever the value, by hook (a
#: class hook takes such a value as it is, without the call, where a field's hook is one of
#: these): ``structure_int`` also takes an integral ``Decimal``, after a check.
AS_IS: dict[StructureHook, frozenset[type]] = {
    structure_str: frozenset({str}),
    structure_int: frozenset({int}),
    structure_bool: frozenset({bool}),
    structure_number: frozenset({int, Decimal, float}),
}

_NUMBERS: frozenset[type] = frozenset({int, Decimal, float})
ACCEPTS.update(
    {
        structure_str: frozenset({str}),
        structure_int: frozenset({int, Decimal}),
        structure_bool: frozenset({bool}),
        structure_number: _NUMBERS,
        structure_date_time: frozenset({str}),
        structure_date: frozenset({str}),
    }
)


def _types_of(values: tuple[Any, ...]) -> frozenset[type] | None:
    """The value types that can equal one of ``values`` as ``value_key`` compares them (a
    number equals numbers of every type), or None for a value of another kind."""
    types: set[type] = set()
    for value in values:
        kind = value_key(value)[0]
        if kind == "number":
            types |= _NUMBERS
        elif kind in ("bool", "NoneType", "str"):
            types.add(type(value))
        elif kind in ("array", "object"):
            types.add(list if kind == "array" else dict)
        else:
            return None
    return frozenset(types)


def integer_structure_factory(type_: type[IntegerType]) -> StructureHook:
    """An integer within the bounds of its OpenAPI format (``int32``, ``int64``)."""
    low, high = type_.bounds or (0, 0)

    def hook(value: Any, _: Any) -> Any:
        number = structure_int(value, None)
        if not low <= number <= high:
            raise StructureError(f"{jsonwire.token(number)} is out of {type_.label} range")
        return number

    ACCEPTS[hook] = frozenset({int, Decimal})
    return hook


def choice_structure_factory(type_: type[EnumType] | type[ConstType]) -> StructureHook:
    """One of an enum's values, or a const's value, compared by JSON type and value.

    An open enum also accepts any other value of its values' JSON kinds, as it came.
    """
    spec = type_.spec
    values = spec.values if issubclass(type_, EnumType) else (spec.value,)
    allowed = {value_key(v) for v in values}
    shown = ", ".join(jsonwire.dumps(v) for v in values)
    if issubclass(type_, EnumType) and spec.open:
        hook = _open_enum_hook(allowed, kinds_of(values), shown)
    else:
        # A string is its own key's value: no key is made to look it up.
        strings = frozenset(v for v in values if type(v) is str)

        def hook(value: Any, _: Any) -> Any:
            known = value in strings if type(value) is str else value_key(value) in allowed
            if known:
                return value
            raise StructureError(f"expected one of {shown}, got {describe(value)}")

        if strings:
            KNOWN_STRINGS[hook] = strings

    types = _types_of(values)
    if types is not None:
        ACCEPTS[hook] = types
    return hook


def _open_enum_hook(allowed: set[Any], kinds: frozenset[str], shown: str) -> StructureHook:
    """A known value, or an unknown one of a known value's JSON kind (kept, not rejected)."""

    def hook(value: Any, _: Any) -> Any:
        if value_key(value) in allowed or has_kind(value, kinds):
            return value
        raise expected(f"{kinds_text(kinds)} (an open enum of {shown})", value)

    return hook
