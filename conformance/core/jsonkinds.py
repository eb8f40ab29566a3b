"""JSON kinds of values, for open enums (shared by the reference converters and the checker).

An open enum (Speakeasy's ``x-open-enum``) accepts its known values and any
other value of their JSON kinds: an SDK keeps an unknown value rather than
rejecting it. Kinds are JSON Schema's: ``1.0`` is an ``integer``, and an
integer is also a ``number``; ``true`` is never a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

__all__ = ["has_kind", "kind_of", "kinds_of", "kinds_text"]


def kind_of(value: object) -> str:
    """The JSON kind of a parsed value: ``null``, ``boolean``, ``integer``, ``number``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal | float):
        number = Decimal(value)
        return (
            "integer" if number.is_finite() and number == number.to_integral_value() else "number"
        )
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def kinds_of(values: Iterable[object]) -> frozenset[str]:
    """The JSON kinds of ``values`` (an enum's known values)."""
    return frozenset(kind_of(v) for v in values)


def has_kind(value: object, kinds: frozenset[str]) -> bool:
    """Whether ``value`` is of one of ``kinds`` (an integer is a number too)."""
    kind = kind_of(value)
    return kind in kinds or (kind == "integer" and "number" in kinds)


def kinds_text(kinds: frozenset[str]) -> str:
    """``kinds`` for an error message: ``integer or string``."""
    return " or ".join(sorted(kinds))
