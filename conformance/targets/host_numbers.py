"""Numbers a harness's own language cannot hold: a request case the SDK never sees as sent.

A request case's user object is built in the harness from the payload's text with the
language's JSON parser (Python's ``json.loads``, JavaScript's ``JSON.parse``), before the
SDK is called. A number that parser rounds (2^53 + 1 in JavaScript, ``0.1000000000000000055``
or ``1E+400`` as a Python float) is rounded in every user's object: the SDK is given
another number than the payload's, so what it writes says nothing of the SDK. Such a case
is skipped for that target with the number and the reason. A response is read by the
SDK's own reader: its rounding is the SDK's, and is judged.

Python parses an integer token exactly and any other number as a float; JavaScript
parses every number as a float64. A float holds a token when its shortest text is the
same number (``1.10`` is ``1.1``).
"""

from __future__ import annotations

from decimal import Decimal

from conformance.core import jsonwire
from conformance.core.divergence import PathSegment, path_text

__all__ = ["LANGUAGES", "unheld_number"]

#: The languages whose harnesses build request objects with their JSON parser, and whether
#: that parser reads an integer token exactly.
LANGUAGES: dict[str, bool] = {"python": True, "javascript": False}


def unheld_number(wire: jsonwire.JsonValue, language: str) -> str | None:
    """Why ``language``'s JSON parser cannot give a user's object ``wire`` exactly (the first
    such number and where it is), or None when it can (or the language is not known)."""
    exact_integers = LANGUAGES.get(language)
    if exact_integers is None:
        return None
    found = _first(wire, exact_integers, [])
    if found is None:
        return None
    path, token, held = found
    if not exact_integers and held.endswith(".0"):
        held = held[:-2]  # as JavaScript writes an integral number
    return (
        f"the payload's number {token} at {path_text(tuple(path))} is read by {language}'s JSON"
        f" parser as {held}: no user's object holds it, so the SDK is never given it"
    )


def _first(
    value: object, exact_integers: bool, at: list[PathSegment]
) -> tuple[list[PathSegment], str, str] | None:
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first(item, exact_integers, [*at, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first(item, exact_integers, [*at, index])
            if found is not None:
                return found
    elif jsonwire.is_number(value):
        token = jsonwire.token(value)  # type: ignore[arg-type]
        if exact_integers and isinstance(value, int):
            return None
        held = _as_float(token)
        if held is None:
            return at, token, "infinity"
        if Decimal(held) != Decimal(token):
            return at, token, held
    return None


def _as_float(token: str) -> str | None:
    """The shortest text of the float64 a token parses to; None when it is not finite."""
    number = float(token)
    if number in (float("inf"), float("-inf")):
        return None
    return repr(number)
