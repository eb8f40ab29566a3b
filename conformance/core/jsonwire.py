"""JSON text <-> values with number tokens kept exact.

Integers parse to ``int`` (arbitrary precision, so ``9007199254740993`` stays
itself); every other number parses to ``Decimal``, which keeps the digits and
the exponent (``0.0``, ``1.50``, ``1E+21``). ``dumps`` writes them back as the
same tokens, so a value survives a load/dump cycle, and ``0`` vs ``0.0`` can be
told apart by ``same``. ``NaN`` and ``Infinity`` are not JSON and are refused.

Limits. An integer token longer than Python converts to ``int`` (4,300 digits by
default, ``sys.get_int_max_str_digits``) is valid JSON, so it is read as an
integral ``Decimal``, which keeps every digit and writes the same token back.
A document nested deeper than ``MAX_DEPTH`` levels (arrays and objects) is
refused with ``NestingError``: every walker of payloads (comparison, reports,
converters) recurses, and Python's stack is about 1,000 frames deep, so the
limit is set where the deepest walker (several frames per level) still fits.
Like ``NaN``, it is a ``json.JSONDecodeError`` that gives the position.
``dumps`` refuses a value too deep for its own recursion with ``ValueError``.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Literal, TypeAlias

__all__ = [
    "MAX_DEPTH",
    "JsonValue",
    "NestingError",
    "canonical",
    "dumps",
    "dumps_chunks",
    "is_number",
    "loads",
    "loads_pairs",
    "locate",
    "same",
    "token",
]

#: A parsed JSON value. Numbers that are not integers are ``Decimal`` so that the
#: token (``0.0``, ``1E+21``) survives.
JsonValue: TypeAlias = (
    bool | int | Decimal | str | list["JsonValue"] | dict[str, "JsonValue"] | None
)

#: The deepest nesting of arrays and objects a document may have (serde_json's default).
MAX_DEPTH = 128


class NestingError(json.JSONDecodeError):
    """Valid JSON nested deeper than ``MAX_DEPTH``; ``pos`` is the first bracket too deep."""


class _Constant(ValueError):
    """``NaN`` or ``Infinity``: accepted by Python's reader, not JSON."""


def _refuse_constant(name: str) -> Any:
    raise _Constant(f"{name} is not valid JSON")


#: JSON strings (an object key when a colon follows), brackets, and Python's constants.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"(\s*:)?|[\[\]{}]|NaN|-?Infinity')


def locate(text: str, what: Literal["depth", "constant", "duplicate"], max_depth: int = 0) -> int:
    """The offset in ``text`` of the first bracket nested deeper than ``max_depth``, the
    first ``NaN``/``Infinity``, or the first key repeated in one object; 0 if none is found.

    A slow scan (strings skipped by one regular expression) for error messages only.
    """
    objects: list[set[str] | None] = []  # the keys of each open object; None for an array
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            objects.append(set() if token == "{" else None)
            if what == "depth" and len(objects) > max_depth:
                return match.start()
        elif token in ("]", "}"):
            if objects:
                objects.pop()
        elif token[0] != '"':
            if what == "constant":
                return match.start()
        elif what == "duplicate" and match.group(1) is not None and objects:
            keys = objects[-1]
            if keys is not None:
                try:
                    key = json.loads(token[: token.rindex('"') + 1])
                except ValueError:
                    continue
                if key in keys:
                    return match.start()
                keys.add(key)
    return 0


def _decode(decoder: json.JSONDecoder, text: str, max_depth: int) -> JsonValue:
    """Decode, turning Python's own limits into ``json.JSONDecodeError``s with a position."""
    try:
        value: JsonValue = decoder.decode(text)
    except RecursionError:
        raise _nesting(text, max_depth) from None
    except _Constant as error:
        raise json.JSONDecodeError(str(error), text, locate(text, "constant")) from None
    if text.count("[") + text.count("{") > max_depth and _too_deep(value, max_depth):
        raise _nesting(text, max_depth)
    return value


def _nesting(text: str, max_depth: int) -> NestingError:
    message = f"nested more than {max_depth} levels deep (arrays and objects)"
    return NestingError(message, text, locate(text, "depth", max_depth))


def _too_deep(value: object, max_depth: int) -> bool:
    """Whether ``value`` nests more than ``max_depth`` arrays and objects (no recursion)."""
    level: list[Any] = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        inner: list[Any] = []
        keep = inner.append
        for node in level:
            for item in node.values() if type(node) is dict else node:
                if type(item) is dict or type(item) is list:
                    keep(item)
        level = inner
    return False


def _parse_int(text: str) -> int | Decimal:
    # "-0" is a valid token that int() would turn into 0; keep its sign as Decimal("-0").
    if text == "-0":
        return Decimal(text)
    try:
        return int(text)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        return Decimal(text)


_DECODER = json.JSONDecoder(
    parse_float=Decimal, parse_int=_parse_int, parse_constant=_refuse_constant
)


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> JsonValue:
    """Parse JSON text; raise ``json.JSONDecodeError`` (with line and column) if invalid.

    ``NaN``, ``Infinity`` and nesting deeper than ``max_depth`` (``NestingError``)
    are invalid too; bytes that are not UTF-8 raise ``UnicodeDecodeError``.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _decode(_DECODER, text, max_depth)


def loads_pairs(
    text: str,
    on_duplicate: Callable[[str], None] | None = None,
    max_depth: int = MAX_DEPTH,
) -> JsonValue:
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
    return _decode(decoder, text, max_depth)


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
    """Serialize a value as JSON (compact, or indented), writing each number as its exact token.

    A value nested too deeply to write raises ``ValueError``.
    """
    kind = type(value)
    if kind is str:  # scalars (a divergence's two sides, mostly) need no encoder
        return _encode_str(value)  # type: ignore[arg-type]
    if kind is int:
        return int.__repr__(value)
    if kind is Decimal and value.is_finite():  # type: ignore[union-attr]
        return str(value)
    if value is None:
        return "null"
    return "".join(dumps_chunks(value, indent))


#: Pieces ``_dump`` collects before joining them into one chunk: a large value costs
#: its text (the chunks) and not a list of millions of small strings.
_CHUNK = 1 << 14


def dumps_chunks(value: JsonValue, indent: int | None = None) -> list[str]:
    """The text of ``dumps(value, indent)`` in pieces, for writing a large value piece by piece."""
    if indent is None and _MAKE_ENCODER is not None:
        fast = _c_dumps(value)
        if fast is not None:
            return fast
    parts: list[str] = []
    chunks: list[str] = []
    try:
        if indent is None:
            _dump(value, parts, chunks)
        else:
            _dump_indented(value, parts, chunks, " " * indent, "\n")
    except RecursionError:
        raise ValueError("the value is nested too deeply to write as JSON") from None
    chunks.append("".join(parts))
    return chunks


class _NotPlain(Exception):
    """A value the C encoder cannot write as ``_dump`` does (a ``Decimal``, or no JSON)."""


# The C encoder writes what ``_dump`` writes for str (ASCII escapes), int, float (``repr``),
# bool, None, list, tuple and dict with string keys (a JsonValue's keys are strings; it would
# write a number key as a string where ``_dump`` refuses it). A Decimal it cannot write as
# its token, so it writes a marker string in its place, and the tokens replace the markers
# afterwards; NaN, Infinity or anything else it stops at is left to ``_dump``.
_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # None where there is no C module
#: Opens a Decimal's token in the C encoder's text: the encoder writes the token as a string
#: behind it, and the string's quotes and this mark are taken away afterwards. Random per
#: process, so no payload can hold it on purpose; a text that holds it more often than
#: there were Decimals (a payload string that starts with it) is written by ``_dump``.
_MARKER = f"\x00{secrets.token_hex(8)}\x00"
_MARKED = re.compile(re.escape(_encode_str(_MARKER)[:-1]) + r'([^"]*)"')


def _c_dumps(value: object) -> list[str] | None:
    """The text ``_dump`` writes, by the json module's C encoder; None where it cannot."""
    decimals = 0

    def decimal(each: object) -> Any:
        nonlocal decimals
        if type(each) is Decimal and each.is_finite():
            decimals += 1
            return _MARKER + str(each)
        raise _NotPlain

    assert _MAKE_ENCODER is not None
    encode = _MAKE_ENCODER(None, decimal, _encode_str, None, ":", ",", False, False, False)
    try:
        chunks: list[str] = list(encode(value, 0))
    except (_NotPlain, ValueError, TypeError, RecursionError):
        return None
    if not decimals:
        return chunks
    # Chunk by chunk (the encoder appends each piece whole, so no mark is split between two):
    # a large value is never held as one more copy of itself.
    found = 0
    for index, chunk in enumerate(chunks):
        chunks[index], count = _MARKED.subn(r"\1", chunk)
        found += count
    return chunks if found == decimals else None


def _flush(parts: list[str], chunks: list[str]) -> None:
    chunks.append("".join(parts))
    parts.clear()


def _dump_indented(
    value: object, parts: list[str], chunks: list[str], step: str, newline: str
) -> None:
    inner = newline + step
    if isinstance(value, dict) and value:
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            parts.append(("," if index else "") + inner + _encode_str(key) + ": ")
            _dump_indented(item, parts, chunks, step, inner)
            if len(parts) > _CHUNK:
                _flush(parts, chunks)
        parts.append(newline + "}")
    elif isinstance(value, list | tuple) and value:
        parts.append("[")
        for index, item in enumerate(value):
            parts.append(("," if index else "") + inner)
            _dump_indented(item, parts, chunks, step, inner)
            if len(parts) > _CHUNK:
                _flush(parts, chunks)
        parts.append(newline + "]")
    else:
        _dump(value, parts, chunks)


def _dump(value: object, parts: list[str], chunks: list[str]) -> None:
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
            _dump(item, parts, chunks)
            if len(parts) > _CHUNK:
                _flush(parts, chunks)
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _dump(item, parts, chunks)
            if len(parts) > _CHUNK:
                _flush(parts, chunks)
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


def same(left: Any, right: Any) -> bool:
    """Exact equality of parsed JSON: types, number tokens and object key order all count."""
    if left is right:
        return True
    kind = type(left)
    if kind is not type(right):
        return False
    pairs: Iterable[tuple[Any, Any]]  # (no typing.cast here: it is a call per node)
    if kind is dict:
        if len(left) != len(right) or list(left) != list(right):
            return False
        # The lengths are equal: ``strict=`` would only cost a keyword call per node.
        pairs = zip(left.values(), right.values())  # noqa: B905
    elif kind is list:
        if len(left) != len(right):
            return False
        pairs = zip(left, right)  # noqa: B905
    elif kind is Decimal:
        # A Decimal's text is its token exactly (sign, digits, exponent: ``Decimal(str(d))``
        # is ``d``), and is several times cheaper to make than ``as_tuple``.
        return str(left) == str(right)
    else:
        return bool(left == right)
    for lval, rval in pairs:
        # Scalars are compared here rather than in a call: most of a payload is scalars.
        if lval is not rval:
            inner = type(lval)
            if inner is not type(rval):
                return False
            if inner is dict or inner is list:
                if not same(lval, rval):
                    return False
            elif inner is Decimal:
                if str(lval) != str(rval):
                    return False
            elif lval != rval:
                return False
    return True


def canonical(value: object) -> object:
    """A hashable form of a parsed JSON value that is equal exactly when ``same`` is true."""
    if isinstance(value, dict):
        return ("{", tuple((key, canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("[", tuple(canonical(item) for item in value))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return ("d", str(value))  # its exact token (``same``)
    if isinstance(value, int):
        return ("i", value)
    return value
