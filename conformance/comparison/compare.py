"""Comparison of wire outputs: the one module that imports deepdiff.

``diff(left, right, ...)`` returns our own ``Divergence`` records, never
deepdiff's shapes. It works in three layers:

1. *Equality first*: ``jsonwire.same`` (exact: types, number tokens, key order).
   Equal outputs cost one walk and nothing else.
2. *Descent*: while both sides have the same shape (objects with the same keys,
   arrays of the same length) we walk down to the smallest subtrees that
   differ. Scalar pairs are classified here (``value``, ``type``,
   ``number-format``, ``datetime-format``) and key order (``order``) is noted.
3. *Alignment* of each remaining subtree whose shape differs (keys added or
   removed, arrays that grew or shrank), as deepdiff aligns it, to find what is
   ``missing``/``extra``: ``_changes`` does what deepdiff does for objects and for
   arrays holding objects or arrays (item by item at the same index), and skips
   the items and values that are the same; only an array of scalars on both sides
   goes to deepdiff, which aligns those with ``difflib``. Numbers are compared by
   value there (ints are lifted to ``Decimal`` so ``True`` never equals ``1``),
   and a separate pass over the paths both sides share finds number tokens and
   key orders deepdiff cannot see. (Items are paired by index, as deepdiff pairs
   them: an item removed at the front shows as each later item changed.)

Also here: ``group`` (N-way classes of agreeing outputs) and the ``accept``
divergence of a payload one side accepted and the other rejected. The same value
written as other text is ``comparison.text``'s (``text_divergences``, re-exported
here): it reads text, not values, and needs no deepdiff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from conformance.comparison.text import text_divergences
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Kind, PathSegment, Side
from conformance.schema import JsonValue

__all__ = ["accept_divergence", "diff", "group", "text_divergences"]

Path = tuple[PathSegment, ...]
T = TypeVar("T")


def diff(
    left: JsonValue,
    right: JsonValue,
    left_targets: Sequence[str] = ("left",),
    right_targets: Sequence[str] = ("right",),
) -> list[Divergence]:
    """Every divergence between two wire values, in wire paths; empty when they are the same."""
    start = _unequal_at(left, right)
    if start is None:
        return []
    found: list[tuple[Path, Kind, Any, Any, bool, bool]] = []
    _differ(left, right, (), found, start)
    lt, rt = tuple(left_targets), tuple(right_targets)
    return [
        Divergence(
            path,
            kind,
            Side(lt, lval if lpresent else None, lpresent),
            Side(rt, rval if rpresent else None, rpresent),
            detail=_detail(kind, lval, rval, lpresent, rpresent),
        )
        for path, kind, lval, rval, lpresent, rpresent in found
    ]


def _unequal_at(left: Any, right: Any) -> int | None:
    """None when two values are the same (``jsonwire.same``); else the position of the first
    child that is not, in two objects of the same keys in the same order or two arrays of
    one length (0 for any other two values): the children before it need no second look."""
    if left is right:
        return None
    kind = type(left)
    if kind is not type(right):
        return 0
    children: Iterable[tuple[Any, Any]]
    if kind is dict:
        if len(left) != len(right) or list(left) != list(right):
            return 0
        children = zip(left.values(), right.values())  # noqa: B905 - the lengths are equal
    elif kind is list:
        if len(left) != len(right):
            return 0
        children = zip(left, right)  # noqa: B905 - the lengths are equal
    else:
        return None if jsonwire.same(left, right) else 0
    for index, (a, b) in enumerate(children):
        if a is not b:
            inner = type(a)
            if inner is not type(b):
                return index
            if inner is dict or inner is list or inner is Decimal:
                if not jsonwire.same(a, b):
                    return index
            elif a != b:
                return index
    return None


def _descend(left: Any, right: Any, path: Path, found: list[Any]) -> None:
    start = _unequal_at(left, right)
    if start is not None:
        _differ(left, right, path, found, start)


def _differ(left: Any, right: Any, path: Path, found: list[Any], start: int = 0) -> None:
    """``_descend`` into two values that are not the same; in two objects of the same keys
    in the same order, or two arrays of one length, the children before ``start`` are."""
    lkind, rkind = type(left), type(right)
    if lkind is dict and rkind is dict:
        if left.keys() == right.keys():
            if list(left) != list(right):
                found.append((path, "order", list(left), list(right), True, True))
            for key in islice(left, start, None):
                _descend(left[key], right[key], (*path, key), found)
            return
    elif lkind is list and rkind is list:
        if len(left) == len(right):
            for index in range(start, len(left)):
                _descend(left[index], right[index], (*path, index), found)
            return
    elif lkind not in (dict, list) and rkind not in (dict, list):
        found.append((path, _scalar_kind(left, right), left, right, True, True))
        return
    _structural(left, right, path, found)


def _scalar_kind(left: Any, right: Any) -> Kind:
    if jsonwire.is_number(left) and jsonwire.is_number(right):
        return "number-format" if left == right else "value"
    if type(left) is not type(right):
        return "type"
    if isinstance(left, str) and _same_instant(left, right):
        return "datetime-format"
    return "value"


def _structural(left: Any, right: Any, path: Path, found: list[Any]) -> None:
    """Align a subtree whose shape differs as deepdiff does, then add what it cannot see."""
    changes: list[Change] = []
    _changes(left, right, (), changes)
    # deepdiff finds added and removed keys through sets: its order follows the hash seed.
    # Report in path order instead, so the same outputs always give the same records.
    changes.sort(key=lambda change: (_path_key(change[0]), change[1]))
    for relative, report_type, a, b in changes:
        where = (*path, *relative)
        if report_type in ("dictionary_item_removed", "iterable_item_removed"):
            found.append((where, "missing", a, None, True, False))
        elif report_type in ("dictionary_item_added", "iterable_item_added"):
            found.append((where, "extra", None, b, False, True))
        elif report_type in ("values_changed", "type_changes"):
            if type(a) is type(b) and isinstance(a, dict | list) and (a, b) != (left, right):
                _descend(a, b, where, found)
            else:
                found.append((where, _scalar_kind(a, b), a, b, True, True))
        else:  # pragma: no cover - deepdiff reports nothing else for JSON values
            found.append((where, "value", a, b, True, True))
    _formats(left, right, path, found)


#: One change as deepdiff reports it: the path below the subtree, the report type, and each
#: side's value (``_lower``ed), or None on the side where it is absent.
Change = tuple[Path, str, Any, Any]

#: The JSON values ``_changes`` compares itself; anything else goes to deepdiff whole.
_JSON_TYPES = frozenset({dict, list, str, int, bool, float, Decimal, type(None)})
_SCALAR_TYPES = _JSON_TYPES - {dict, list}


def _changes(left: Any, right: Any, at: Path, out: list[Change]) -> None:
    """What deepdiff reports between ``left`` and ``right`` (``_deepdiff_changes``), found
    without it wherever its rules are plain, which is everywhere but in arrays of scalars.

    deepdiff (with this module's settings, numbers ``_lift``ed) compares objects key by
    key (added, removed, then each shared key's values); an array of objects or arrays
    item by item at the same index (``zip_longest``: a shorter array's missing tail is
    removed, a longer one's added; no item is matched elsewhere); two scalars by type
    (``int`` and ``Decimal`` are one type, numbers by value) then by value. Items and
    values that are the same (``jsonwire.same``) have no change. An array whose items
    on both sides are all scalars is aligned by ``difflib`` in deepdiff, and is left to it.
    """
    if left is right:
        return
    lkind, rkind = type(left), type(right)
    if lkind not in _JSON_TYPES or rkind not in _JSON_TYPES:
        _deepdiff_changes(left, right, at, out)
    elif lkind is dict and rkind is dict:
        for key, value in right.items():
            if key not in left:
                out.append(((*at, key), "dictionary_item_added", None, _lower(_lift(value))))
        for key, value in left.items():
            if key not in right:
                out.append(((*at, key), "dictionary_item_removed", _lower(_lift(value)), None))
        for key, value in left.items():
            if key in right and not jsonwire.same(value, right[key]):
                _changes(value, right[key], (*at, key), out)
    elif lkind is list and rkind is list:
        if _scalars(left) and _scalars(right):
            _deepdiff_changes(left, right, at, out)
            return
        if not all(type(item) in _JSON_TYPES for item in (*left, *right)):
            _deepdiff_changes(left, right, at, out)
            return
        shared = min(len(left), len(right))
        for index in range(shared):
            if not jsonwire.same(left[index], right[index]):
                _changes(left[index], right[index], (*at, index), out)
        for index in range(shared, len(left)):
            out.append(((*at, index), "iterable_item_removed", _lower(_lift(left[index])), None))
        for index in range(shared, len(right)):
            out.append(((*at, index), "iterable_item_added", None, _lower(_lift(right[index]))))
    elif (Decimal if lkind is int else lkind) is not (Decimal if rkind is int else rkind):
        out.append((at, "type_changes", _lower(_lift(left)), _lower(_lift(right))))
    elif left != right:
        out.append((at, "values_changed", _lower(_lift(left)), _lower(_lift(right))))


def _scalars(items: list[Any]) -> bool:
    return all(type(item) in _SCALAR_TYPES for item in items)


def _deepdiff_changes(left: Any, right: Any, at: Path, out: list[Change]) -> None:
    """deepdiff's changes between ``left`` and ``right`` (numbers compared by value), at ``at``."""
    # threshold_to_diff_deeper=0: report removed and added keys one by one, never a whole
    # object as one "values_changed" (deepdiff >= 8.1 does that when most keys differ).
    # ignore_private_variables=False: deepdiff skips keys starting with "__" by default, and
    # a wire key "__proto__" is as much the API's as any other.
    # Imported here: most runs and every report never get this far, and it costs a command's
    # start-up a tenth of its imports.
    from deepdiff import DeepDiff

    report = DeepDiff(
        _lift(left),
        _lift(right),
        view="tree",
        verbose_level=2,
        threshold_to_diff_deeper=0,
        ignore_private_variables=False,
    )
    for report_type, each in report.items():
        for change in each:
            a = None if report_type.endswith("_added") else _lower(change.t1)
            b = None if report_type.endswith("_removed") else _lower(change.t2)
            out.append(((*at, *change.path(output_format="list")), report_type, a, b))


def _path_key(path: Sequence[PathSegment]) -> tuple[tuple[int, int, str], ...]:
    """A sort key for wire paths: array indexes by number, keys by text."""
    return tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in path)


def _formats(left: Any, right: Any, path: Path, found: list[Any]) -> None:
    """Number tokens and key order on the paths both sides share (deepdiff compares values)."""
    if type(left) is dict and type(right) is dict:
        common = [k for k in left if k in right]
        if common != [k for k in right if k in left]:
            found.append((path, "order", list(left), list(right), True, True))
        for key in common:
            _formats(left[key], right[key], (*path, key), found)
    elif type(left) is list and type(right) is list and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            _formats(a, b, (*path, index), found)
    elif (
        jsonwire.is_number(left)
        and jsonwire.is_number(right)
        and left == right
        and not jsonwire.same(left, right)
    ):
        found.append((path, "number-format", left, right, True, True))


def _lift(value: Any) -> Any:
    """Numbers as ``Decimal`` (by value), so deepdiff compares values, never ``True`` with ``1``."""
    if type(value) is int:
        return Decimal(value)
    if type(value) is dict:
        return {k: _lift(v) for k, v in value.items()}
    if type(value) is list:
        return [_lift(v) for v in value]
    return value


def _lower(value: Any) -> Any:
    """Undo ``_lift`` for reporting: integral ``Decimal``s that came from ints are ints again."""
    if type(value) is Decimal and value.as_tuple().exponent == 0:
        return int(value)
    if type(value) is dict:
        return {k: _lower(v) for k, v in value.items()}
    if type(value) is list:
        return [_lower(v) for v in value]
    return value


def _instant(text: str) -> tuple[dt.datetime, str] | None:
    """The instant ``text`` names: a datetime (to the microsecond) and the fraction's digits
    beyond the sixth (trailing zeros dropped), which Python's datetime cannot hold."""
    if len(text) < 16 or text[4:5] != "-" or text[10:11] not in ("T", "t", " "):
        return None
    normal = text.replace("z", "Z").replace("t", "T")
    # fromisoformat reads at most 6 fractional digits: the rest is kept beside it, so
    # .123456789 and .123456 are two instants (an SDK cutting nanoseconds changes the value).
    head, dot, rest = normal.partition(".")
    beyond = ""
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        beyond = rest[6:digits].rstrip("0")
        rest = rest[:digits][:6].ljust(6, "0") + rest[digits:]
        normal = f"{head}.{rest}"
    try:
        parsed = dt.datetime.fromisoformat(normal)
    except ValueError:
        return None
    return (parsed, beyond) if parsed.tzinfo is not None else None


def _same_instant(left: str, right: str) -> bool:
    a, b = _instant(left), _instant(right)
    return a is not None and b is not None and a == b


def _detail(kind: Kind, left: Any, right: Any, lpresent: bool, rpresent: bool) -> str:
    def show(value: Any, present: bool) -> str:
        if not present:
            return "(absent)"
        text = jsonwire.dumps(value)
        return text if len(text) <= 80 else text[:77] + "..."

    if kind == "order":
        return f"key order {show(left, True)} vs {show(right, True)}"
    return f"{show(left, lpresent)} vs {show(right, rpresent)}"


def accept_divergence(
    expected_accept: bool,
    left_targets: Sequence[str],
    right_targets: Sequence[str],
    right_error: str = "",
    path: Sequence[PathSegment] = (),
) -> Divergence:
    """The payload was accepted on one side and rejected on the other, at ``path`` (where
    the rejecting side says the problem is; the root when it does not say)."""
    verdict = {True: "accepted", False: "rejected"}
    return Divergence(
        tuple(path),
        "accept",
        Side(tuple(left_targets), verdict[expected_accept]),
        Side(tuple(right_targets), verdict[not expected_accept]),
        detail=(
            f"expected {verdict[expected_accept]}, got {verdict[not expected_accept]}"
            + (f": {right_error}" if right_error else "")
        ),
    )


def group_agreeing(
    items: Iterable[tuple[str, T]], agree: Callable[[T, T], bool]
) -> list[tuple[tuple[str, ...], T]]:
    """``group``, with classes of items that ``agree`` (an equivalence) instead of a key:
    for a handful of targets, comparing with each class's first item costs less than
    making a hashable key of each."""
    classes: list[tuple[list[str], T]] = []
    for name, item in items:
        for names, first in classes:
            if agree(first, item):
                names.append(name)
                break
        else:
            classes.append(([name], item))
    ordered = sorted(classes, key=lambda c: -len(c[0]))
    return [(tuple(names), item) for names, item in ordered]


def group(items: Iterable[tuple[str, T]], key: Any) -> list[tuple[tuple[str, ...], T]]:
    """Classes of named items that agree under ``key``, largest first, then by first name.

    Returns ``[(names, representative), ...]``; the first class is the majority
    (or the first-named class on a tie), so a class of one beside it is the odd one out.
    """
    classes: dict[Any, tuple[list[str], T]] = {}
    for name, item in items:
        slot = classes.setdefault(key(item), ([], item))
        slot[0].append(name)
    ordered = sorted(classes.values(), key=lambda c: -len(c[0]))
    return [(tuple(names), item) for names, item in ordered]
