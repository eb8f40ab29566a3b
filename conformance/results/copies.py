"""A result's ``wire`` and ``native`` left out of its line where a reader rebuilds them exactly.

An agreeing SDK's result would repeat its case's payload once or twice. The writer leaves a
copy out only after rebuilding it itself and finding it exactly equal (types, number tokens
and key order, ``jsonwire.same``), and flags the outcome with how to rebuild it:

- ``wire``: ``wire_as_input`` (exactly the payload of the case record before it) or
  ``wire_from_input`` (that payload with the result's own divergences applied: a key order as
  the right side lists it, a value as the right side has it);
- ``native``: ``native_as_wire`` (exactly ``wire``) or ``native_renamed`` (``"wire"`` or
  ``"input"``: that value with every object key renamed by the target's convention, as the
  header lists it).

Both need the header and the case record before the result (``reader.LineReader``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from conformance.core import jsonwire
from conformance.core.conventions import CONVENTIONS, Convention
from conformance.core.divergence import Divergence

if TYPE_CHECKING:
    from conformance.results.records import CaseRecord, ResultRecord

__all__ = [
    "FLAGS",
    "WIRE_FROM_INPUT",
    "convention_of",
    "leave_out_copies",
    "patched",
    "renamed",
    "restore",
    "same_renamed",
    "take_flags",
]

#: Flags of a result's outcome whose ``wire`` / ``native`` is left out (see the module doc).
WIRE_AS_INPUT = "wire_as_input"
WIRE_FROM_INPUT = "wire_from_input"
NATIVE_AS_WIRE = "native_as_wire"
NATIVE_RENAMED = "native_renamed"
FLAGS = (WIRE_AS_INPUT, WIRE_FROM_INPUT, NATIVE_AS_WIRE, NATIVE_RENAMED)

#: Kinds a wire is patched with: the right side's value (or key order) at the path.
_PATCHED = frozenset({"number-format", "datetime-format", "value", "type", "order"})


def _copy(value: Any) -> Any:
    """A copy of a JSON value's containers (scalars are immutable and shared)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _patch(box: list[Any], divergence: Divergence) -> bool:
    """Apply one divergence to the value in ``box``; False where its path leads nowhere."""
    parent: Any = box
    key: str | int = 0
    for segment in divergence.path:
        node = parent[key]
        into_object = isinstance(node, dict) and isinstance(segment, str) and segment in node
        into_array = (
            isinstance(node, list)
            and isinstance(segment, int)
            and not isinstance(segment, bool)
            and 0 <= segment < len(node)
        )
        if not (into_object or into_array):
            return False
        parent, key = node, segment
    wanted = divergence.right.value
    if divergence.kind != "order":
        parent[key] = _copy(wanted)
        return True
    node = parent[key]
    if not (isinstance(node, dict) and isinstance(wanted, list) and len(wanted) == len(node)):
        return False
    if not all(isinstance(name, str) and name in node for name in wanted):
        return False
    parent[key] = {name: node[name] for name in wanted}
    return True


def patched(payload: Any, divergences: Sequence[Divergence]) -> tuple[bool, Any]:
    """The payload with the divergences that say what the right side holds applied (values,
    key orders), and whether every one of them applied."""
    box = [_copy(payload)]
    for divergence in divergences:
        if divergence.kind not in _PATCHED:
            continue
        if not (divergence.left.present and divergence.right.present):
            continue
        if not _patch(box, divergence):
            return False, None
    return True, box[0]


def renamed(value: Any, convention: Convention) -> Any:
    """The JSON value with every object key renamed by the convention, at any depth."""
    names: dict[str, str] = {}  # a payload repeats its keys: each is renamed once

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                name = names.get(key)
                if name is None:
                    name = names[key] = convention.native(key)
                out[name] = walk(item) if isinstance(item, dict | list) else item
            return out
        if isinstance(value, list):
            return [walk(item) if isinstance(item, dict | list) else item for item in value]
        return value

    return walk(value)


def convention_of(name: str | None) -> Convention | None:
    """The convention a header names for a target (None: none, or one this tool lacks)."""
    return CONVENTIONS.get(name) if name else None


def leave_out_copies(
    plain: dict[str, Any],
    result: ResultRecord,
    case: CaseRecord | None,
    convention: Convention | None,
) -> None:
    """Leave out of a result's plain form what a reader rebuilds exactly of its outcome
    (module doc; its divergences are ``compact_divergences``'s)."""
    outcome, written = plain.get("outcome"), result.outcome
    if not isinstance(outcome, dict) or written.state != "accepted":
        return
    payload_known = case is not None and case.id == result.case
    if written.written and payload_known:
        assert case is not None
        if jsonwire.same(written.wire, case.wire):
            outcome.pop("wire", None)
            outcome[WIRE_AS_INPUT] = True
        elif result.divergences:
            applied, wire = patched(case.wire, result.divergences)
            if applied and jsonwire.same(wire, written.wire):
                outcome.pop("wire", None)
                outcome[WIRE_FROM_INPUT] = True
    native = written.native
    if native is None:
        return
    if written.written and jsonwire.same(native, written.wire):
        outcome.pop("native", None)
        outcome[NATIVE_AS_WIRE] = True
    elif convention is not None:
        names: dict[str, str] = {}
        if written.written and same_renamed(native, written.wire, convention, names):
            outcome.pop("native", None)
            outcome[NATIVE_RENAMED] = "wire"
        elif (
            case is not None
            and payload_known
            and same_renamed(native, case.wire, convention, names)
        ):
            outcome.pop("native", None)
            outcome[NATIVE_RENAMED] = "input"


def same_renamed(
    native: Any, value: Any, convention: Convention, names: dict[str, str] | None = None
) -> bool:
    """Whether ``native`` is exactly ``renamed(value, convention)`` (``jsonwire.same``),
    found in one walk without building the renamed copy; ``names`` caches the renaming of
    each key. An object that ``renamed`` makes shorter (two keys renamed alike: the later
    value, in the first one's place) is compared with its renamed copy."""
    if names is None:
        names = {}
    kind = type(native)
    if kind is not type(value):
        return False
    pairs: Any
    if kind is dict:
        if len(native) != len(value):
            return jsonwire.same(native, renamed(value, convention))
        for key, wire_key in zip(native, value):  # noqa: B905 - the lengths are equal
            name = names.get(wire_key)
            if name is None:
                name = names[wire_key] = convention.native(wire_key)
            if key != name:
                return False
        pairs = zip(native.values(), value.values())  # noqa: B905
    elif kind is list:
        if len(native) != len(value):
            return False
        pairs = zip(native, value)  # noqa: B905
    else:
        return jsonwire.same(native, value)
    for item, wire_item in pairs:
        inner = type(item)
        if inner is not type(wire_item):
            return False
        if inner is dict or inner is list:
            # Never by identity: a shared object still has its keys to rename.
            if not same_renamed(item, wire_item, convention, names):
                return False
        elif item is not wire_item:
            # Scalars as ``jsonwire.same`` compares them, without a call each.
            if inner is Decimal:
                if str(item) != str(wire_item):
                    return False
            elif item != wire_item:
                return False
    return True


def take_flags(raw: dict[str, Any]) -> dict[str, Any]:
    """Remove and return the leave-out flags of a result line's outcome."""
    outcome = raw.get("outcome")
    if not isinstance(outcome, dict):
        return {}
    return {flag: outcome.pop(flag) for flag in FLAGS if flag in outcome}


def restore(
    raw: dict[str, Any],
    flags: Mapping[str, Any],
    case: CaseRecord | None,
    conventions: Mapping[str, str | None],
    natives: bool = True,
) -> tuple[str, str] | None:
    """Put back into a result line's outcome the ``wire`` and ``native`` its flags say were
    left out; its ``divergences`` are records already where ``wire_from_input`` needs them.

    Without ``natives``, a native view left out as the renaming of a value (``native_renamed``)
    stays out, and the result is ``(source, convention)``: ``native`` is ``source``
    (``"wire"``: the outcome's ``wire``; ``"input"``: the case's payload) with every object
    key renamed by that convention (``renamed``). A renderer that shows it can rename the
    text it already has instead of this reader building one more copy of the payload.
    """
    outcome = raw["outcome"]
    payload_known = case is not None and case.id == raw.get("case")
    if case is not None and payload_known:
        if flags.get(WIRE_AS_INPUT):
            outcome["wire"] = case.wire
        elif flags.get(WIRE_FROM_INPUT):
            applied, rebuilt = patched(case.wire, raw.get("divergences", ()))
            outcome["wire"] = rebuilt if applied else None
    if flags.get(NATIVE_AS_WIRE):
        outcome["native"] = outcome.get("wire")
    source = flags.get(NATIVE_RENAMED)
    name = conventions.get(str(raw.get("target")))
    convention = convention_of(name)
    if not source or convention is None or name is None:
        return None
    if source == "wire":
        value = outcome.get("wire")
    elif case is not None and payload_known:
        value = case.wire
    else:
        return None
    if natives:
        outcome["native"] = renamed(value, convention)
        return None
    return None if value is None else (str(source), name)  # renaming None gives None
