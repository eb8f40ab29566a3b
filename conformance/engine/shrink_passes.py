"""The shrinking passes: smaller candidates of one payload, kept while they show the divergence.

The passes, repeated in this order until a whole round changes nothing:

1. drop object keys, parents before children (a whole subtree at a time);
2. drop array items: halves, then quarters, ... then single items;
3. replace objects and arrays with the plainest value of their schema type
   (``generate.minimal``: required fields only), or with an empty one;
4. shorten strings: empty, else the shortest prefix that keeps it (bisection);
5. simplify numbers, keeping their token type: an integer toward ``0`` (``0``,
   its absolute value, the smallest ``2**k + 1`` that keeps it, found by
   bisection on ``k``, then bisection of the magnitude: a value lost through
   a double ends as ``9007199254740993``); a decimal token toward
   ``0.0``/``1.0``, then fewer digits; ``true`` to ``false``. A scalar shrunk
   as far as it goes is not tried again in later rounds.

Each kept candidate is strictly smaller by one measure (nodes, then string
length, then number token length, then magnitudes), so shrinking ends; every
choice is in a fixed order, so it is deterministic; ``max_steps`` bounds the
number of candidates run through the targets (identical candidates are run
once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from decimal import Decimal
from typing import Any

from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.divergence import PathSegment
from conformance.core.outcome import Outcome
from conformance.engine.signatures import Signature, run_targets, signatures
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case
from conformance.sources.generate import accepts, minimal, type_at
from conformance.targets import Target

__all__ = ["Holds", "Shrinker"]

Path = tuple[PathSegment, ...]


# The measure every kept candidate decreases.


def _cost(value: JsonValue) -> tuple[int, int, int, Decimal]:
    nodes = chars = digits = 0
    magnitude = Decimal(0)
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        nodes += 1
        if isinstance(item, dict):
            chars += sum(len(k) for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            chars += len(item)
        elif item is True:
            magnitude += 1
        elif isinstance(item, int | Decimal) and not isinstance(item, bool):
            digits += len(jsonwire.token(item))
            magnitude += abs(Decimal(item)) if Decimal(item).is_finite() else 0
    return nodes, chars, digits, magnitude


# Editing a payload at a path (copying only the spine).

_MISSING: Any = object()


def _get(value: Any, path: Path) -> Any:
    for segment in path:
        try:
            value = value[segment]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


def _replace(value: Any, path: Path, new: JsonValue) -> JsonValue:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: _replace(v, rest, new) if k == head else v for k, v in value.items()}
    assert isinstance(head, int)
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _without_key(value: Any, path: Path, key: str) -> JsonValue:
    parent = _get(value, path)
    return _replace(value, path, {k: v for k, v in parent.items() if k != key})


def _pattern(path: Path) -> Path:
    return tuple("*" if isinstance(s, int) else s for s in path)


def _nodes(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) of a payload, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


#: A further test of a candidate case and its targets' outcomes (``Shrinker.holds``).
Holds = Callable[[Case, Sequence[tuple[str, Outcome]]], bool]


class Shrinker:
    """The state of one shrink: the current payload, the step count, the cache."""

    def __init__(
        self,
        case: Case,
        targets: Sequence[Target],
        policy: Policy,
        schema: Schema | None,
        keep: Signature,
        states: tuple[str, ...],
        max_steps: int,
        holds: Holds | None = None,
    ) -> None:
        self.case = case
        #: What a candidate must show besides the kept divergence (a family's value classes).
        self.holds = holds
        self.targets = targets
        self.policy = policy
        # ``schema`` checks and builds candidates (when it has the model); ``full_schema``
        # goes to ``judge`` and ``generalize`` as the caller gave it.
        self.schema = schema if schema is not None and case.model in schema else None
        self.full_schema = schema
        self.keep = keep
        self.kept = keep
        self.states = states
        self.max_steps = max_steps
        self.conventions = {t.name: t.convention for t in targets}
        self.current: JsonValue = case.wire
        self.cost = _cost(case.wire)
        self.steps = 0
        self.seen: set[object] = set()
        # (path pattern, scalar) pairs already shrunk as far as their pass goes.
        self.settled: set[tuple[Path, object]] = set()

    @property
    def exhausted(self) -> bool:
        return self.steps >= self.max_steps

    def attempt(self, wire: JsonValue) -> bool:
        """Keep ``wire`` if it is smaller and still shows the divergence."""
        if self.exhausted:
            return False
        cost = _cost(wire)
        if not cost < self.cost:
            return False
        key = jsonwire.canonical(wire)
        if key in self.seen:
            return False
        self.seen.add(key)
        if (
            self.schema is not None
            and accepts(self.schema, self.case.model, wire) != self.case.valid
        ):
            return False
        self.steps += 1
        candidate = evolve(self.case, wire=wire)
        outcomes = run_targets(candidate, self.targets)
        if tuple(o.state for _, o in outcomes) != self.states:
            return False
        found = signatures(
            candidate,
            outcomes,
            self.policy,
            self.full_schema,
            self.conventions,
            naming=self.keep.kind == "naming",
        )
        covering = next((s for s in found if s.covers(self.keep)), None)
        if covering is None or (self.holds is not None and not self.holds(candidate, outcomes)):
            return False
        self.current, self.cost, self.kept = wire, cost, covering
        return True

    def run(self) -> None:
        passes: tuple[Callable[[], bool], ...] = (
            self.drop_keys,
            self.drop_items,
            self.plain_subtrees,
            self.shorten_strings,
            self.simplify_numbers,
        )
        progress = True
        while progress and not self.exhausted:
            progress = False
            for each in passes:
                progress = each() or progress

    def paths(self, kind: type | tuple[type, ...]) -> Iterator[Path]:
        """Paths of values of ``kind``, parents first, read afresh after every change.

        A change at one path moves only what comes after it in this order, so
        the ``n``-th path of the current payload is the next one to visit.
        """
        done = 0
        while not self.exhausted:
            found = [
                p
                for p, v in _nodes(self.current)
                if isinstance(v, kind) and not isinstance(v, bool)
            ]
            if done >= len(found):
                return
            yield found[done]
            done += 1

    def drop_keys(self) -> bool:
        changed = False
        for path in self.paths(dict):
            node = _get(self.current, path)
            if not isinstance(node, dict):
                continue
            for key in list(node):
                changed = self.attempt(_without_key(self.current, path, key)) or changed
        return changed

    def drop_items(self) -> bool:
        changed = False
        for path in self.paths(list):
            node = _get(self.current, path)
            if not isinstance(node, list):
                continue
            chunk = max(len(node) // 2, 1)
            while chunk >= 1 and not self.exhausted:
                start = 0
                while start < len(node):
                    shorter = node[:start] + node[start + chunk :]
                    if self.attempt(_replace(self.current, path, shorter)):
                        node, changed = shorter, True
                    else:
                        start += chunk
                chunk //= 2
        return changed

    def plain_subtrees(self) -> bool:
        changed = False
        for path in self.paths((dict, list)):
            node = _get(self.current, path)
            if node is _MISSING:
                continue
            for plain in self.plainer(path, node):
                if not jsonwire.same(plain, node) and self.attempt(
                    _replace(self.current, path, plain)
                ):
                    changed = True
                    break
        return changed

    def plainer(self, path: Path, node: JsonValue) -> list[JsonValue]:
        options: list[JsonValue] = []
        if self.schema is not None:
            type_ = type_at(self.schema, self.case.model, self.current, path)
            if type_ is not None:
                with suppress(ValueError):  # no finite payload: nothing plainer from the schema
                    options.append(minimal(self.schema, type_))
        options.append({} if isinstance(node, dict) else [])
        return options

    def shorten_strings(self) -> bool:
        changed = False
        for path in self.paths(str):
            text = _get(self.current, path)
            if not isinstance(text, str) or not text or (_pattern(path), text) in self.settled:
                continue
            if self.attempt(_replace(self.current, path, "")):
                changed = True
                continue
            low, high = 0, len(text)
            while high - low > 1 and not self.exhausted:
                middle = (low + high) // 2
                if self.attempt(_replace(self.current, path, text[:middle])):
                    high, changed = middle, True
                else:
                    low = middle
            self.settled.add((_pattern(path), text[:high]))
        return changed

    def simplify_numbers(self) -> bool:
        changed = False
        for path, value in list(_nodes(self.current)):
            if (_pattern(path), jsonwire.canonical(value)) in self.settled:
                continue
            if value is True:
                changed = self.attempt(_replace(self.current, path, False)) or changed
            elif type(value) is int:
                changed = self.integer(path, value) or changed
            elif type(value) is Decimal and value.is_finite():
                changed = self.decimal(path, value) or changed
            else:
                continue
            self.settled.add((_pattern(path), jsonwire.canonical(_get(self.current, path))))
        return changed

    def integer(self, path: Path, value: int) -> bool:
        """Toward 0: zero, the absolute value, the smallest ``2**k + 1`` that keeps, bisection."""
        if self.attempt(_replace(self.current, path, 0)):
            return True
        changed = False
        if value < 0 and self.attempt(_replace(self.current, path, -value)):
            value, changed = -value, True
        sign, magnitude = (-1 if value < 0 else 1), abs(value)
        ladder = [2**k + 1 for k in range(magnitude.bit_length()) if 2**k + 1 < magnitude]
        if ladder and self.attempt(_replace(self.current, path, sign * ladder[-1])):
            low, high, magnitude, changed = -1, len(ladder) - 1, ladder[-1], True
            while high - low > 1 and not self.exhausted:
                middle = (low + high) // 2
                if self.attempt(_replace(self.current, path, sign * ladder[middle])):
                    high, magnitude = middle, ladder[middle]
                else:
                    low = middle
        low, high = 0, magnitude
        while high - low > 1 and not self.exhausted:
            middle = (low + high) // 2
            if self.attempt(_replace(self.current, path, sign * middle)):
                high, changed = middle, True
            else:
                low = middle
        return changed

    def decimal(self, path: Path, value: Decimal) -> bool:
        for plain in (Decimal("0.0"), Decimal("1.0"), -value if value < 0 else None):
            if plain is not None and self.attempt(_replace(self.current, path, plain)):
                return True
        changed = False
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        while len(digits) > 1 and exponent < -1 and not self.exhausted:
            shorter = Decimal((sign, digits[:-1], exponent + 1))
            if not self.attempt(_replace(self.current, path, shorter)):
                break
            digits, exponent, changed = digits[:-1], exponent + 1, True
        return changed
