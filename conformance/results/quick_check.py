"""A quick pass for the commonest results lines, checked before the schema is.

Nine lines in ten of a results file are results whose outcome holds a state, a time, the
flags of what the writer left out (``results.copies``) and perhaps an error, warnings or
paths, with no divergences or only ones written short (``results.compact``: a Python SDK's
``0.0`` notes); most of the others are case records. The compiled schema check
(``resources.fast_check``) costs as much as parsing such a line (it tries every record
kind the schema's ``oneOf`` lists); ``plain_result`` and ``plain_case`` tell, in a
fraction of that, that a line is one the schema accepts.
It only ever accepts: a line it does not accept (a divergence in full, a value of a type
it does not expect, a key it does not know) goes to the schema check, which accepts it or
says what is wrong, as it would have anyway. ``RESULT_KEYS``, ``OUTCOME_KEYS`` and
``CASE_KEYS`` list the properties it knows; a test holds them to the schema's, so that a
property added there is added here (or the schema's check alone sees it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conformance.core.divergence import KINDS as _KINDS

__all__ = [
    "CASE_KEYS",
    "KINDS",
    "OUTCOME_KEYS",
    "RESULT_KEYS",
    "plain_case",
    "plain_record",
    "plain_result",
]

_STATUSES = frozenset({"pass", "diverge", "expected", "error", "skipped"})
_STATES = frozenset({"accepted", "rejected", "error", "skipped"})
_STRINGS = frozenset({"error", "stderr"})
_TRUE = frozenset({"wire_as_input", "native_as_wire", "wire_from_input"})
_ANY = frozenset({"wire", "native"})
_RENAMED = frozenset({"wire", "input"})
#: Every property of a result (``$defs/result``) and of its outcome (``$defs/outcome``).
RESULT_KEYS = frozenset({"record", "case", "target", "status", "outcome", "divergences", "group"})
OUTCOME_KEYS = frozenset(
    {
        "state",
        *_ANY,
        *_STRINGS,
        "warnings",
        "seconds",
        "written",
        "error_path",
        "undeclared",
        *_TRUE,
        "native_renamed",
    }
)
_NUMBERS = (int, float, Decimal)
#: Every kind of divergence (``$defs/divergence/properties/kind``).
KINDS = frozenset(_KINDS)
_DIRECTIONS = frozenset({"request", "response"})
_CASE_STRINGS = frozenset(
    {"id", "model", "description", "source", "wire_text", "probe", "probe_path"}
)
#: Every property of a case (``$defs/case``).
CASE_KEYS = frozenset({"record", "wire", "direction", "valid", *_CASE_STRINGS})


def plain_record(raw: Any) -> bool:
    """Whether ``raw`` is certainly a result (``plain_result``) or a case (``plain_case``)
    the results schema accepts; False says nothing."""
    if type(raw) is not dict:
        return False
    tag = raw.get("record")
    if tag == "result":
        return plain_result(raw)
    return tag == "case" and plain_case(raw)


def plain_case(raw: dict[str, Any]) -> bool:
    """Whether ``raw`` is certainly a case record the results schema accepts: the properties
    it requires, each property it has of the type the schema asks for (a payload may be any
    JSON), none it does not know. False says nothing: the schema check decides."""
    if raw.get("record") != "case" or "wire" not in raw:
        return False
    for key, value in raw.items():
        if key in _CASE_STRINGS:
            if type(value) is not str:
                return False
        elif key == "direction":
            if type(value) is not str or value not in _DIRECTIONS:
                return False
        elif key == "valid":
            if type(value) is not bool:
                return False
        elif key != "wire" and key != "record":
            return False  # unknown: the schema's
    return "id" in raw and "model" in raw and "direction" in raw


def plain_result(raw: dict[str, Any]) -> bool:
    """Whether ``raw`` is certainly a result the results schema accepts: divergences only
    written short, and every property it has of the type the schema asks for. False says
    nothing: the schema check decides."""
    if raw.get("record") != "result" or type(raw.get("case")) is not str:
        return False
    status, outcome = raw.get("status"), raw.get("outcome")
    if type(raw.get("target")) is not str or type(status) is not str or status not in _STATUSES:
        return False
    if "divergences" in raw:
        divergences = raw["divergences"]
        if type(divergences) is not list:
            return False
        for divergence in divergences:
            if type(divergence) is not list or not _short(divergence):
                return False  # one in full (an object): the schema's
    if "group" in raw:
        group = raw["group"]
        if type(group) is not list:
            return False
        for name in group:
            if type(name) is not str:
                return False
    if type(outcome) is not dict:
        return False
    state = outcome.get("state")
    if type(state) is not str or state not in _STATES:
        return False
    for key, value in outcome.items():
        if key == "seconds":
            if type(value) not in _NUMBERS:  # ``type``: a bool is no number here
                return False
        elif key in _TRUE:
            if value is not True:
                return False
        elif key in _STRINGS or key == "native_renamed":
            if type(value) is not str or (key == "native_renamed" and value not in _RENAMED):
                return False
        elif key == "error_path":
            if not _path(value):
                return False
        elif key == "warnings":
            if not _strings(value):
                return False
        elif key == "written":
            if type(value) is not bool:
                return False
        elif key == "undeclared":
            if type(value) is not list or not all(_path(each) for each in value):
                return False
        elif key not in _ANY and key != "state":
            return False  # unknown: the schema's
    return True


def _short(item: list[Any]) -> bool:
    """Whether ``item`` is certainly a divergence written short (``$defs/compact_divergence``:
    its values may be any JSON)."""
    size = len(item)
    if size == 3:
        return _path(item[0])
    if size == 4:
        head = item[0]
        if type(head) is int:
            return head >= 1 and _path(item[1])
        return _path(head) and type(item[1]) is str and item[1] in KINDS
    if size == 6:
        return (
            _path(item[0])
            and type(item[1]) is str
            and item[1] in KINDS
            and _strings(item[4])
            and _strings(item[5])
        )
    return False


def _path(value: Any) -> bool:
    return type(value) is list and all(type(each) is str or type(each) is int for each in value)


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(name) is str for name in value)
