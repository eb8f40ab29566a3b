"""Value rules shared by the reference converters and the generator's checker.

RFC 3339 ``date-time`` and ``full-date`` (ASCII digits only, a leap second
allowed), and JSON value equality as JSON Schema's ``enum``/``const`` define
it: numbers by value (``1`` equals ``1.0``), ``true`` never equal to ``1``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from conformance.core import jsonwire

__all__ = ["is_date", "is_date_time", "value_key"]

_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)


def _valid_date(year: str, month: str, day: str) -> bool:
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    """Whether ``value`` is an RFC 3339 date-time."""
    match = _DATE_TIME.match(value)
    if match is None or not _valid_date(*match.group(1, 2, 3)):
        return False
    hour, minute, second = (int(g) for g in match.group(4, 5, 6))
    ok = hour < 24 and minute < 60 and second <= 60  # RFC 3339 allows a leap second
    if match.group(9):
        ok = ok and int(match.group(10)) < 24 and int(match.group(11)) < 60
    return ok


def is_date(value: str) -> bool:
    """Whether ``value`` is an RFC 3339 full-date."""
    match = _DATE.match(value)
    return match is not None and _valid_date(*match.group(1, 2, 3))


def value_key(value: Any) -> Any:
    """A hashable key, equal for equal JSON values: numbers by value, never ``true`` = ``1``."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if jsonwire.is_number(value):
        return ("number", Decimal(value))
    if isinstance(value, list):
        return ("array", tuple(value_key(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, value_key(v)) for k, v in value.items()))
    return ("other", repr(value))
