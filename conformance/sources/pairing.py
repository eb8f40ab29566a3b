"""Pair the model names of two SDKs (or two docs trees) that describe one API.

Generators mostly agree on PascalCase names, but not always. ``pair_names``
pairs two collections of names in stages, each stage only looking at names
that no earlier stage claimed, and pairing a name only when its key is unique
among the unclaimed names on both sides (so no name is paired twice, and a
tie is left unpaired rather than guessed):

1. ``aliases``: explicit ``left -> right`` pairs, for what no rule can know;
2. exact names;
3. the same name after a namespace prefix (``operations.Foo`` and ``Foo``);
4. the same name in any letter case: acronyms (``APIKey``/``ApiKey``,
   ``TTL``/``Ttl``);
5. a ``T`` suffix that a TypeScript generator adds to names clashing with
   JavaScript globals or utility types (``ErrorT``, ``FileT``,
   ``ReturnTypeT``), only where the plain name is absent on that side;
6. trailing digits that a generator adds to disambiguate
   (``SearchKnowledgeRequest1`` and ``SearchKnowledgeRequest``), where that
   leaves one candidate a side and one of the two has no digits (``Foo1`` and
   ``Foo2`` are never paired: they look like two different members).

Each stage is one dictionary from key to names, so pairing 3,000 x 3,000 names
takes milliseconds. The result is sorted, so it does not depend on the order
(or the hash seed, for a set) of the input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from attrs import frozen

__all__ = ["Pairing", "pair_names"]


@frozen
class Pairing:
    """Pairs of names (left, right), and the names left over on each side; all sorted."""

    pairs: tuple[tuple[str, str], ...]
    left_only: tuple[str, ...]
    right_only: tuple[str, ...]

    def left_to_right(self) -> dict[str, str]:
        """The pairs as a ``left -> right`` mapping."""
        return dict(self.pairs)

    def right_to_left(self) -> dict[str, str]:
        """The pairs as a ``right -> left`` mapping."""
        return {right: left for left, right in self.pairs}


def _bare(name: str) -> str:
    """The name without a namespace prefix: ``operations.Foo`` -> ``Foo``."""
    return name.rpartition(".")[2]


def _folded(name: str) -> str:
    return _bare(name).lower()


def _without_t(names: set[str]) -> Callable[[str], str]:
    """A key that drops a ``T`` suffix where the plain name is absent on the same side."""
    plain = {_folded(name) for name in names}

    def key(name: str) -> str:
        bare = _bare(name)
        if len(bare) > 1 and bare.endswith("T") and bare[:-1].lower() not in plain:
            return bare[:-1].lower()
        return bare.lower()

    return key


def _without_digits(name: str) -> str:
    return _folded(name).rstrip("0123456789")


def pair_names(
    left: Iterable[str], right: Iterable[str], aliases: Mapping[str, str] | None = None
) -> Pairing:
    """Pair names of two sides (see the module doc for the stages)."""
    lefts = set(left)
    rights = set(right)
    pairs: dict[str, str] = {}
    for name, other in sorted((aliases or {}).items()):
        if name in lefts and other in rights and other not in pairs.values():
            pairs[name] = other
    claimed_right = set(pairs.values())
    free_left = lefts - pairs.keys()
    free_right = rights - claimed_right
    for name in sorted(free_left & free_right):
        pairs[name] = name
    free_left -= pairs.keys()
    free_right -= set(pairs.values())
    left_t, right_t = _without_t(lefts), _without_t(rights)
    stages: list[tuple[Callable[[str], str], Callable[[str], str]]] = [
        (_bare, _bare),
        (_folded, _folded),
        (left_t, right_t),
        (_without_digits, _without_digits),
    ]
    for left_key, right_key in stages:
        if not free_left or not free_right:
            break
        found = _unique_matches(free_left, free_right, left_key, right_key)
        if left_key is _without_digits:
            found = {
                a: b
                for a, b in found.items()
                if _folded(a) == _without_digits(a) or _folded(b) == _without_digits(b)
            }
        pairs.update(found)
        free_left -= found.keys()
        free_right -= set(found.values())
    return Pairing(
        tuple(sorted(pairs.items())), tuple(sorted(free_left)), tuple(sorted(free_right))
    )


def _unique_matches(
    lefts: set[str],
    rights: set[str],
    left_key: Callable[[str], str],
    right_key: Callable[[str], str],
) -> dict[str, str]:
    """Pairs whose key is held by exactly one name on each side."""
    by_left: defaultdict[str, list[str]] = defaultdict(list)
    for name in lefts:
        by_left[left_key(name)].append(name)
    by_right: defaultdict[str, list[str]] = defaultdict(list)
    for name in rights:
        by_right[right_key(name)].append(name)
    return {
        names[0]: by_right[key][0]
        for key, names in by_left.items()
        if len(names) == 1 and len(by_right.get(key, ())) == 1
    }
