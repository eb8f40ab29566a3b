"""Edge values: where SDKs diverge, so the generator over-represents them.

Integers beyond 2**53, ``-0.0`` and ``1E+21``, ``1.0`` where an integer goes,
astral-plane and empty strings, date-times with offsets, ``z`` or nine
fractional digits, keys that collide after renaming or are odd in JavaScript,
unknown values of an open enum (valid: an SDK keeps them).
Each edge is ``(value, label)``; the label goes into the case description.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from conformance.core.formats import value_key
from conformance.core.jsonkinds import kinds_of
from conformance.schema import JsonValue

__all__ = [
    "DATE_EDGES",
    "DATE_TIME_EDGES",
    "DECIMAL_EDGES",
    "INT_BOUNDS",
    "INT_EDGES",
    "LETTERS",
    "STRING_EDGES",
    "TRICKY_KEYS",
    "UNKNOWN_KEYS",
    "WIDE",
    "Edge",
    "unknown_enum_edges",
]

#: The bounds of the integer formats the reference targets enforce.
INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

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
#: Unknown keys to add where a model allows them (the generator skips any a field could mean).
UNKNOWN_KEYS = ("x-unknown", "unknown_key", "unknownKey", "__proto__", "\U0001f600", "")
#: Alphabets of generated text: plain, and wide (accented, CJK, Cyrillic, astral, U+200B, U+2028).
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-"
WIDE = "\u00e9\u00df\u4e2d\u0416\U0001f600\U0001d11e\u200b\u2028"


def unknown_enum_edges(values: Sequence[JsonValue]) -> list[Edge]:
    """Values of an open enum's JSON kinds that are none of its known ``values``, plainest first.

    A known value in another case, a new word, then the edges of each kind.
    """
    kinds = kinds_of(values)
    found: list[Edge] = []
    if "string" in kinds:
        found += [(v.upper(), f"{v!r} in another case") for v in values if isinstance(v, str)]
        found += [("brand_new_value", "'brand_new_value'"), *STRING_EDGES]
    if kinds & {"integer", "number"}:
        found += [(999, "integer 999"), *INT_EDGES]
    if "number" in kinds:
        found += DECIMAL_EDGES
    if "boolean" in kinds:
        found += [(False, "false"), (True, "true")]
    if "null" in kinds:
        found.append((None, "null"))
    if "array" in kinds:
        found.append(([], "empty array"))
    if "object" in kinds:
        found.append(({}, "empty object"))
    known = {value_key(v) for v in values}
    out: list[Edge] = []
    for value, label in found:
        if value_key(value) not in known:
            known.add(value_key(value))
            out.append((value, f"unknown value of an open enum ({label})"))
    return out
