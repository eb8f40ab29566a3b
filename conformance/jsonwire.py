"""JSON text <-> values with number tokens kept exact.

Integers parse to ``int`` (arbitrary precision, so ``9007199254740993`` stays
itself); every other number parses to ``Decimal``, which keeps the digits and
the exponent (``0.0``, ``1.50``, ``1E+21``). ``dumps`` writes them back as the
same tokens, so a value survives a load/dump cycle, and ``0`` vs ``0.0`` can be
told apart by ``same``. ``NaN`` and ``Infinity`` are not JSON and are refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from conformance.schema import JsonValue

__all__ = ["canonical", "dumps", "is_number", "loads", "same", "token"]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_int(text: str) -> int | Decimal:
    # "-0" is a valid token that int() would turn into 0; keep its sign as Decimal("-0").
    return Decimal(text) if text == "-0" else int(text)


_DECODER = json.JSONDecoder(
    parse_float=Decimal, parse_int=_parse_int, parse_constant=_refuse_constant
)


def loads(text: str | bytes) -> JsonValue:
    """Parse JSON text; raise ``json.JSONDecodeError`` (with line and column) if invalid."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    value: JsonValue = _DECODER.decode(text)
    return value


def loads_pairs(text: str, on_duplicate: Callable[[str], None] | None = None) -> JsonValue:
    """Parse JSON text, calling ``on_duplicate(key)`` for a key repeated in one object."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out and on_duplicate is not None:
                on_duplicate(key)
            out[key] = value
        return out

    decoder = json.JSONDecoder(
        parse_float=Decimal,
        parse_int=_parse_int,
        parse_constant=_refuse_constant,
        object_pairs_hook=pairs,
    )
    value: JsonValue = decoder.decode(text)
    return value


# ASCII escapes keep lone surrogates (valid in JSON text, not in UTF-8) writable.
_encode_str: Callable[[str], str] = json.encoder.encode_basestring_ascii


def token(number: int | Decimal | float) -> str:
    """The JSON token of a number as it was read."""
    if isinstance(number, Decimal):
        return str(number)
    if isinstance(number, float):
        return float.__repr__(number)
    return int.__repr__(number)


def dumps(value: JsonValue, indent: int | None = None) -> str:
    """Serialize a value as JSON (compact, or indented), writing each number as its exact token."""
    parts: list[str] = []
    if indent is None:
        _dump(value, parts)
    else:
        _dump_indented(value, parts, " " * indent, "\n")
    return "".join(parts)


def _dump_indented(value: object, parts: list[str], step: str, newline: str) -> None:
    inner = newline + step
    if isinstance(value, dict) and value:
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            parts.append(("," if index else "") + inner + _encode_str(key) + ": ")
            _dump_indented(item, parts, step, inner)
        parts.append(newline + "}")
    elif isinstance(value, list | tuple) and value:
        parts.append("[")
        for index, item in enumerate(value):
            parts.append(("," if index else "") + inner)
            _dump_indented(item, parts, step, inner)
        parts.append(newline + "]")
    else:
        _dump(value, parts)


def _dump(value: object, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_encode_str(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{value} is not valid JSON")
        parts.append(token(value))
    elif isinstance(value, dict):
        parts.append("{")
        first = True
        for key, item in value.items():
            if not first:
                parts.append(",")
            first = False
            parts.append(_encode_str(key))
            parts.append(":")
            _dump(item, parts)
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _dump(item, parts)
        parts.append("]")
    elif isinstance(value, float):
        # Floats only reach here from code that built values by hand; JSON has no NaN.
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not valid JSON")
        parts.append(float.__repr__(value))
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON: {value!r}")


def is_number(value: object) -> bool:
    """Whether a parsed value is a JSON number (``bool`` is not)."""
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def same(left: object, right: object) -> bool:
    """Exact equality of parsed JSON: types, number tokens and object key order all count."""
    if left is right:
        return True
    kind = type(left)
    if kind is not type(right):
        return False
    if kind is dict:
        left, right = cast(dict[str, object], left), cast(dict[str, object], right)
        if len(left) != len(right):
            return False
        for (lkey, lval), (rkey, rval) in zip(left.items(), right.items(), strict=True):
            if lkey != rkey or not same(lval, rval):
                return False
        return True
    if kind is list:
        left, right = cast(list[object], left), cast(list[object], right)
        if len(left) != len(right):
            return False
        return all(same(a, b) for a, b in zip(left, right, strict=True))
    if kind is Decimal:
        return cast(Decimal, left).as_tuple() == cast(Decimal, right).as_tuple()
    return left == right


def canonical(value: object) -> object:
    """A hashable form of a parsed JSON value that is equal exactly when ``same`` is true."""
    if isinstance(value, dict):
        return ("{", tuple((key, canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("[", tuple(canonical(item) for item in value))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return ("d", value.as_tuple())
    if isinstance(value, int):
        return ("i", value)
    return value
