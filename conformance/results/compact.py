"""Result lines written compactly and read back whole.

An agreeing SDK's result would repeat its case's payload once or twice (``wire``, ``native``)
and carry one long record per note (``0`` written as ``0.0`` at every integer). The writer
leaves out what a reader can rebuild, and only after rebuilding it itself and finding it
exactly equal (types, number tokens and key order, ``jsonwire.same``):

- a divergence whose ``detail`` is what ``comparison.compare.diff`` writes for its two values
  and whose severity and ``reason`` are what the built-in policy gives it (``0 vs 0.0``, a key
  order) is written as an array ``[path, kind, left value, right value]`` (sides ``input`` and
  the result's own target) or ``[path, kind, left value, right value, left targets, right
  targets]``, among the full ones, in place; right after another such array of the same kind
  and sides, as ``[path, left value, right value]``, or ``[n, rest of path, left value,
  right value]`` when its path begins with the first ``n`` segments of that one's; the right
  value of a key order is written as the positions of its keys in the left one (``[0, 2, 1]``);
- ``wire`` and ``native``: flagged as copies of the payload or of each other
  (``results.copies``);
- empty ``error``, ``warnings``, ``stderr`` (``records.record_converter``);
- the timer's digits beyond a microsecond, which an outcome never keeps
  (``core.outcome.SECONDS_PLACES``).

A compact divergence is read back from its own line (``expand`` also puts back the copies);
the reader rebuilds details and reasons with its own version of the comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import cattrs

from conformance.comparison.compare import diff
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Kind, Side
from conformance.results.copies import WIRE_FROM_INPUT, restore, take_flags

if TYPE_CHECKING:
    from conformance.results.records import CaseRecord, ResultRecord

__all__ = ["compact_divergences", "expand", "expand_divergences"]

#: The sides a compact divergence has when it names none: the input and the result's target.
_INPUT = ("input",)
_BUILT_IN = Policy()


def _rebuilt(
    path: tuple[str | int, ...],
    kind: str,
    left: Any,
    right: Any,
    left_targets: tuple[str, ...],
    right_targets: tuple[str, ...],
) -> Divergence | None:
    """The divergence the comparison and the built-in policy make of two values at a path."""
    detail = _detail(kind, left, right)
    if detail is None:
        return None
    sides = Side(left_targets, left), Side(right_targets, right)
    # ``kind`` is one ``diff`` made (``_detail``): a ``Kind``.
    made = Divergence(path, cast("Kind", kind), *sides, detail=detail)
    return _BUILT_IN.judge(made)


def _rebuilds(divergence: Divergence) -> bool:
    """Whether ``_rebuilt`` makes exactly ``divergence`` of its own path, kind and sides:
    the same as ``_rebuilt(...) == divergence``, without making it when the kind alone
    decides its verdict (every note of a Python SDK's ``0.0`` is checked here)."""
    left, right = divergence.left, divergence.right
    if not (left.present and right.present):
        return False
    verdict = _BUILT_IN.kind_verdict(divergence.kind)
    if verdict is None:
        made = _rebuilt(
            divergence.path,
            divergence.kind,
            left.value,
            right.value,
            left.targets,
            right.targets,
        )
        return made == divergence
    if (divergence.severity, divergence.reason) != verdict:
        return False
    return divergence.detail == _detail(divergence.kind, left.value, right.value)


#: Details by kind and exact values: the same notes (``0 vs 0.0``) recur in every case.
_DETAILS: dict[tuple[object, ...], str | None] = {}
_DETAILS_KEPT = 1 << 14


def _detail(kind: str, left: Any, right: Any) -> str | None:
    """What ``diff`` writes as the detail of two values that differ by ``kind`` alone;
    None when it finds anything else."""
    if kind == "order":
        if not (isinstance(left, list) and isinstance(right, list)):
            return None
        if not all(isinstance(key, str) for key in (*left, *right)):
            return None
    elif isinstance(left, dict | list) or isinstance(right, dict | list):
        return None  # a container pair is aligned by deepdiff: kept in full
    # With the types: ``canonical`` keeps a float as it is, and ``1.0 == True``.
    key = (kind, type(left), jsonwire.canonical(left), type(right), jsonwire.canonical(right))
    if key in _DETAILS:
        return _DETAILS[key]
    if kind == "order":  # a key order is what ``diff`` finds between two objects
        lvalue: Any = dict.fromkeys(left)
        rvalue: Any = dict.fromkeys(right)
        unique = len(lvalue) == len(left) and len(rvalue) == len(right)
        found = diff(lvalue, rvalue) if unique else []
    else:
        found = diff(left, right)
    detail = found[0].detail if len(found) == 1 and found[0].kind == kind else None
    if len(_DETAILS) >= _DETAILS_KEPT:
        _DETAILS.clear()
    _DETAILS[key] = detail
    return detail


#: What a short divergence carries on to the next: its kind, sides and path.
_Before: TypeAlias = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str | int, ...]]


def compact_divergences(
    result: ResultRecord, unstructure: Callable[[Divergence], Any]
) -> list[Any]:
    """A result's divergences as its line holds them: as arrays those a reader rebuilds
    exactly, the others as ``unstructure`` writes them (only they are unstructured: a
    Python SDK's result has a note at every integer)."""
    plain: list[Any] = []
    usual = (_INPUT, (result.target,))
    before: _Before | None = None
    for divergence in result.divergences:
        if not _rebuilds(divergence):
            plain.append(unstructure(divergence))
            before = None
            continue
        left, right = divergence.left, divergence.right
        path = divergence.path
        short: list[Any]
        if before is not None and before[:3] == (divergence.kind, left.targets, right.targets):
            shared = _shared(before[3], path)
            where = [shared, list(path[shared:])] if shared else [list(path)]
            short = [*where, left.value, _written(divergence)]
        else:
            short = [list(path), divergence.kind, left.value, _written(divergence)]
            if (left.targets, right.targets) != usual:
                short += [list(left.targets), list(right.targets)]
        plain.append(short)
        before = (divergence.kind, left.targets, right.targets, path)
    return plain


def _written(divergence: Divergence) -> Any:
    """A short divergence's right value: a key order as the positions of its keys in the left
    one (``[0, 2, 1]``), which has the same keys (``_rebuilt`` made sure)."""
    right = divergence.right.value
    if divergence.kind != "order" or not isinstance(right, list):
        return right
    left = divergence.left.value
    assert isinstance(left, list)
    position = {key: at for at, key in enumerate(left)}
    return [position[key] for key in right]


def _read(kind: str, left: Any, right: Any) -> Any:
    """The right value ``_written`` wrote (``ValueError`` for positions that are none)."""
    if kind != "order" or not isinstance(left, list) or not isinstance(right, list):
        return right
    if not all(isinstance(at, int) and not isinstance(at, bool) for at in right):
        raise ValueError("a key order is written as positions in the left one")
    if sorted(right) != list(range(len(left))):
        raise ValueError("a key order's positions are not those of the left one")
    return [left[at] for at in right]


def _shared(one: tuple[str | int, ...], other: tuple[str | int, ...]) -> int:
    """How many leading segments two paths share."""
    count = 0
    for a, b in zip(one, other, strict=False):
        if a != b or type(a) is not type(b):
            break
        count += 1
    return count


def expand_divergences(raw: dict[str, Any]) -> None:
    """Put back, as ``Divergence`` records (which the record converter takes as they are),
    the divergences a result line holds as arrays; ``ValueError`` for one that is no compact
    divergence this tool rebuilds (the fast schema check cannot check array items one by
    one)."""
    items = raw.get("divergences")
    if not isinstance(items, list) or not any(isinstance(each, list) for each in items):
        return
    usual = (_INPUT, (str(raw.get("target")),))
    before: _Before | None = None
    for at, each in enumerate(items):
        if not isinstance(each, list):
            before = None
            continue
        try:
            kind, sides, path, left, right = _short(each, before, usual)
        except (ValueError, IndexError):
            raise ValueError(f"divergences[{at}] is no compact divergence: {each!r}") from None
        rebuilt = _rebuilt(path, kind, left, _read(kind, left, right), *sides)
        if rebuilt is None:
            raise ValueError(f"divergences[{at}] cannot be rebuilt: {each!r}")
        items[at], before = rebuilt, (kind, *sides, path)


def _short(
    each: list[Any], before: _Before | None, usual: tuple[tuple[str, ...], tuple[str, ...]]
) -> tuple[str, tuple[tuple[str, ...], tuple[str, ...]], tuple[str | int, ...], Any, Any]:
    """Kind, sides, path, left and right value of a short divergence (the module doc)."""
    first = each[0]
    if isinstance(first, int) and not isinstance(first, bool):  # [shared, rest, left, right]
        if before is None or len(each) != 4 or not 0 < first <= len(before[3]):
            raise ValueError
        rest = each[1]
        if not _segments(rest):
            raise ValueError
        return before[0], before[1:3], (*before[3][:first], *rest), each[2], each[3]
    if not _segments(first):
        raise ValueError
    if len(each) == 3:  # [path, left, right]
        if before is None:
            raise ValueError
        return before[0], before[1:3], tuple(first), each[1], each[2]
    if len(each) not in (4, 6) or not isinstance(each[1], str):
        raise ValueError
    sides = usual
    if len(each) == 6:
        if not (_names(each[4]) and _names(each[5])):
            raise ValueError
        sides = (tuple(each[4]), tuple(each[5]))
    return each[1], sides, tuple(first), each[2], each[3]


def _segments(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(each, str) or (isinstance(each, int) and not isinstance(each, bool))
        for each in value
    )


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(each, str) for each in value)


def expand(
    raw: dict[str, Any],
    case: CaseRecord | None,
    conventions: Mapping[str, str | None],
    converter: cattrs.Converter,
    natives: bool = True,
) -> tuple[str, str] | None:
    """Put back into a validated result line what its writer left out, as far as the case
    record before it and the header's conventions (by target name) allow; ``ValueError``
    for a short divergence this tool cannot rebuild. Without ``natives``, a native view
    left out as a renaming is not rebuilt: ``restore`` says how to."""
    flags = take_flags(raw)
    expand_divergences(raw)
    if not flags:
        return None
    if WIRE_FROM_INPUT in flags:  # the wire is patched with the divergences, as records
        divergences = raw.get("divergences", [])
        raw["divergences"] = converter.structure(divergences, tuple[Divergence, ...])
    return restore(raw, flags, case, conventions, natives)
