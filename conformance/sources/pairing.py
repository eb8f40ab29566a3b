"""Pair the model names of two SDKs (or two docs trees) that describe one API.

Generators mostly agree on PascalCase names, but not always. ``pair_names``
pairs two collections of names in stages, each stage only looking at names
that no earlier stage claimed. A stage maps every name to a key; the names
that share a key form a group, and a group pairs its names only where that is
unambiguous (so no name is paired twice, and a tie is left unpaired rather
than guessed):

1. ``aliases``: explicit ``left -> right`` pairs, for what no rule can know;
2. exact names;
3. the same name after a namespace prefix: ``operations.Foo``, the Node
   harness's ``<module specifier>#Foo`` or ``errors/Foo`` pair with ``Foo``;
4. the same name in any letter case: acronyms (``APIKey``/``ApiKey``,
   ``TTL``/``Ttl``); then also without punctuation: a spec's ``Overrides-Output`` (two
   schemas FastAPI makes of one model) is a generator's ``OverridesOutput``;
5. a ``T`` suffix that a TypeScript generator adds to names clashing with
   JavaScript globals or utility types (``ErrorT``, ``FileT``,
   ``ReturnTypeT``), only where the plain name is absent on that side;
6. an error body: a Python generator names the body of error ``X`` ``XData``
   (``X`` itself is an exception class, not a model), where a TypeScript
   generator has the body's schema under ``X`` in its errors namespace. ``XData``
   pairs with ``X`` where ``X`` is absent on the ``XData`` side, ``XData`` is
   absent on the other, and ``X`` is in an errors namespace or in none;
7. trailing digits that a generator adds to disambiguate
   (``SearchKnowledgeRequest1`` and ``SearchKnowledgeRequest``), where one of
   the two has no digits (``Foo1`` and ``Foo2`` are never paired: they look
   like two different members);
8. the same words in any order once the words that only say a model's role are
   left out (``request``, ``response``, ``param``, ``params``, ``body``): a spec's
   ``ChatCompletionRequestUserMessage`` is a Stainless SDK's
   ``ChatCompletionUserMessageParam``. A name of role words alone keeps them.

A group of one name a side pairs. In a larger group each name ranks its candidates by
shared namespace words (``components`` matches ``.../models/components/index.js#Foo``),
then, where it and all its candidates have a structure signature (a set of features such
as wire keys), by closeness; it pairs with its one best candidate when that one's best is
it too, repeated until nothing changes. What no stage tells apart is an ``ambiguous`` tie.

Namespace twins (``components.Foo`` and ``operations.Foo``, or the Node harness's ``Foo``
and ``<module specifier>#Foo``) are never paired by spelling alone: which twin a name of
the other side means is not in its spelling (a flat Python SDK numbers the same two models
``Foo`` and ``Foo1`` in an order no rule knows), and a wrong pair makes the comparison
report divergences that are not real. A twin's family (the twins and every name a stage
would set beside them, transitively) skips stages 2-7 and pairs only by an alias, or by
the ranking where it is mutual and has evidence: a shared namespace word, or signatures
that make one candidate closer than the others and not disjoint. What it leaves is one
``ambiguous`` tie. Twins are found before aliases claim names.

Then structure checks and completes the name matches (``pairing_structure``).

Each stage is one dictionary from key to names, so pairing 3,000 x 3,000 names
takes milliseconds. The result is sorted, so it does not depend on the order
(or the hash seed, for a set) of the input.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

from attrs import frozen

from conformance.core.conventions import words
from conformance.sources.pairing_structure import (
    MIN_CLOSENESS,
    closeness,
    pair_by_structure,
    refuse_unlike,
)
from conformance.sources.pairing_values import Pairing, Refused, Signature, Tie

__all__ = ["MIN_CLOSENESS", "Pairing", "Refused", "Signature", "Tie", "closeness", "pair_names"]

_SEPARATORS = re.compile(r"[./]")
_QUALIFIED = re.compile(r"[./#]")
_NO_WORDS: frozenset[str] = frozenset()


@frozen
class _Name:
    """A name split into its bare model name and the words of its namespace (lower case)."""

    bare: str
    namespace: frozenset[str]

    @property
    def errors(self) -> bool:
        """Whether the namespace is an error namespace (``errors``, ``sdkerrors``...)."""
        return any(word == "error" or word.endswith("errors") for word in self.namespace)


@functools.lru_cache(maxsize=1 << 16)
def _split(name: str) -> _Name:
    """``operations.Foo``, ``errors/Foo`` and ``<module specifier>#Foo`` -> ``Foo`` and words."""
    if not _QUALIFIED.search(name):
        return _Name(name, _NO_WORDS)
    if "#" in name:
        spec, _, bare = name.rpartition("#")
        folders = spec.split("/")
        if "." in folders[-1]:
            folders.pop()  # a module file (``index.js``, ``member.js``) is not a namespace
    else:
        cut = max(name.rfind("."), name.rfind("/"))
        bare = name[cut + 1 :]
        folders = _SEPARATORS.split(name[:cut]) if cut >= 0 else []
    words = frozenset(w.lower() for w in folders if w.strip("."))
    return _Name(bare or name, words)


_Key = Callable[[str], str]
_Allowed = Callable[[str, str], bool]


@frozen
class _Stage:
    left_key: _Key
    right_key: _Key
    allowed: _Allowed | None = None  # which (left, right) pairs of a group may pair at all


class _Pairer:
    """One ``pair_names`` call: the names, what they look like, and the pairs found so far."""

    def __init__(
        self,
        lefts: set[str],
        rights: set[str],
        left_signatures: Mapping[str, Signature],
        right_signatures: Mapping[str, Signature],
    ) -> None:
        self.left_signatures = left_signatures
        self.right_signatures = right_signatures
        self.free_left = set(lefts)
        self.free_right = set(rights)
        self.pairs: dict[str, str] = {}
        self.ties: list[tuple[str, str]] = []  # (left, right) candidates nothing told apart
        self.family_ties: list[Tie] = []
        self.held_left: set[str] = set()  # unpaired twins' families: out of every stage
        self.held_right: set[str] = set()

    def claim(self, found: Mapping[str, str]) -> None:
        self.pairs.update(found)
        self.free_left.difference_update(found.keys())
        self.free_right.difference_update(found.values())

    def run(self, stage: _Stage) -> None:
        """Pair the free names whose keys match, where the group can be resolved."""
        by_left: defaultdict[str, set[str]] = defaultdict(set)
        for name in self.free_left:
            by_left[stage.left_key(name)].add(name)
        by_right: defaultdict[str, set[str]] = defaultdict(set)
        for name in self.free_right:
            by_right[stage.right_key(name)].add(name)
        found: dict[str, str] = {}
        for key, lefts in by_left.items():
            rights = by_right.get(key)
            if rights:
                found.update(self._resolve(lefts, rights, stage.allowed))
        self.claim(found)

    def _resolve(
        self, lefts: set[str], rights: set[str], allowed: _Allowed | None
    ) -> dict[str, str]:
        """Mutual best candidates of one group, repeatedly; what stays tied is recorded."""
        if len(lefts) == 1 and len(rights) == 1:  # the common case, kept fast
            ((a,), (b,)) = (lefts, rights)
            return {a: b} if allowed is None or allowed(a, b) else {}
        edges = {(a, b) for a in lefts for b in rights if allowed is None or allowed(a, b)}
        found, tied = self._settle(edges, evidence=False)
        self.ties.extend(tied)
        return found

    def _settle(
        self, edges: set[tuple[str, str]], *, evidence: bool
    ) -> tuple[dict[str, str], set[tuple[str, str]]]:
        """Pair mutual best candidates until none is left; the pairs, and the edges left."""
        found: dict[str, str] = {}
        while edges:
            left_best = self._best(edges, 0, evidence)
            right_best = self._best(edges, 1, evidence)
            mutual = {a: b for a, b in left_best.items() if right_best.get(b) == a}
            if not mutual:
                break
            found.update(mutual)
            taken = set(mutual.values())  # a side's own set: ``Foo`` may be on both sides
            edges = {(a, b) for a, b in edges if a not in mutual and b not in taken}
        return found, edges

    def _best(self, edges: set[tuple[str, str]], side: int, evidence: bool) -> dict[str, str]:
        """Each name's one best candidate (none where the best is shared, or, with
        ``evidence``, where neither a namespace word nor structure speaks for it)."""
        candidates: defaultdict[str, list[str]] = defaultdict(list)
        for edge in edges:
            candidates[edge[side]].append(edge[1 - side])
        best: dict[str, str] = {}
        for name, others in candidates.items():
            if len(others) == 1 and not evidence:
                best[name] = others[0]
                continue
            ranked = self._ranks(name, others, side)
            top = max(ranked.values())
            winners = [other for other, rank in ranked.items() if rank == top]
            if len(winners) == 1 and (not evidence or top > _NO_EVIDENCE):
                best[name] = winners[0]
        return best

    def _ranks(self, name: str, others: list[str], side: int) -> dict[str, tuple[int, float]]:
        """Shared namespace words; how alike the signatures are (if all have one)."""
        own, theirs = (
            (self.left_signatures, self.right_signatures)
            if side == 0
            else (self.right_signatures, self.left_signatures)
        )
        words = _split(name).namespace
        signature = own.get(name)
        if signature is None or any(other not in theirs for other in others):
            signature = None
        return {
            other: (
                len(words & _split(other).namespace),
                0.0 if signature is None else closeness(signature, theirs[other]),
            )
            for other in others
        }

    def hold_families(self, twins: Iterable[tuple[int, str]], stages: list[_Stage]) -> None:
        """Pair the families of namespace twins on evidence only; hold the rest as ties."""
        free = (self.free_left, self.free_right)
        seeds = [(side, name) for side, name in twins if name in free[side]]
        for lefts, rights, edges in _families(seeds, self.free_left, self.free_right, stages):
            found, tied = self._settle(edges, evidence=True)
            self.claim(found)
            lefts.difference_update(found.keys())
            rights.difference_update(found.values())
            self.free_left.difference_update(lefts)
            self.free_right.difference_update(rights)
            self.held_left.update(lefts)
            self.held_right.update(rights)
            if tied:  # the names still candidates of one another (``Foo1``/``Foo2`` are not)
                tie = ({a for a, _ in tied}, {b for _, b in tied})
                self.family_ties.append(Tie(tuple(sorted(tie[0])), tuple(sorted(tie[1]))))

    def result(self) -> Pairing:
        ties = _ties([(a, b) for a, b in self.ties if a in self.free_left and b in self.free_right])
        return Pairing(
            tuple(sorted(self.pairs.items())),
            tuple(sorted(self.free_left | self.held_left)),
            tuple(sorted(self.free_right | self.held_right)),
            tuple(sorted((*ties, *self.family_ties), key=lambda tie: (tie.left, tie.right))),
        )


_NO_EVIDENCE = (0, 0.0)  # no shared namespace word, and no signatures or disjoint ones


_Family = tuple[set[str], set[str], set[tuple[str, str]]]  # lefts, rights, candidate pairs


def _families(
    twins: list[tuple[int, str]], lefts: set[str], rights: set[str], stages: list[_Stage]
) -> list[_Family]:
    """Each family of the (side, name) ``twins`` among ``lefts`` and ``rights``: its names on
    each side, and the candidate pairs a stage would group, found from the twins outwards.

    Every key of ``stages`` is a prefix of the name's folded bare name (the bare-name
    stage's is not, but the letter-case stage groups all it would), so the names a key
    can find are a run of the names sorted that way: no stage indexes every name.
    """
    if not twins:
        return []
    by_folded = (_sorted_folded(lefts), _sorted_folded(rights))
    seen: set[tuple[int, str]] = set()
    families: list[_Family] = []
    for twin in twins:
        if twin in seen:
            continue
        seen.add(twin)
        members: tuple[set[str], set[str]] = (set(), set())
        edges: set[tuple[str, str]] = set()
        queue = [twin]
        while queue:
            side, name = queue.pop()
            members[side].add(name)
            for other in _neighbours(side, name, by_folded[1 - side], stages):
                edges.add((name, other) if side == 0 else (other, name))
                if (1 - side, other) not in seen:
                    seen.add((1 - side, other))
                    queue.append((1 - side, other))
        families.append((members[0], members[1], edges))
    return families


def _sorted_folded(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The folded bare names, sorted, and the names in the same order."""
    pairs = sorted((_folded(name), name) for name in names)
    return [folded for folded, _ in pairs], [name for _, name in pairs]


def _neighbours(
    side: int, name: str, others: tuple[list[str], list[str]], stages: list[_Stage]
) -> Iterable[str]:
    """The names of the other side that a stage would group with ``name`` and allow."""
    folded, names = others
    for stage in stages:
        own, theirs = (stage.left_key, stage.right_key)[:: 1 - 2 * side]
        key = own(name)
        at = bisect.bisect_left(folded, key)
        while at < len(folded) and folded[at].startswith(key):
            other = names[at]
            at += 1
            edge = (name, other) if side == 0 else (other, name)
            if theirs(other) == key and (stage.allowed is None or stage.allowed(*edge)):
                yield other


def _ties(edges: Collection[tuple[str, str]]) -> tuple[Tie, ...]:
    """The tied candidates, merged into groups of names connected by a candidate pair."""
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def root(node: tuple[int, str]) -> tuple[int, str]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in edges:
        parent[root((0, a))] = root((1, b))
    groups: defaultdict[tuple[int, str], tuple[set[str], set[str]]] = defaultdict(
        lambda: (set(), set())
    )
    for node in parent:
        groups[root(node)][node[0]].add(node[1])
    ties = (Tie(tuple(sorted(lefts)), tuple(sorted(rights))) for lefts, rights in groups.values())
    return tuple(sorted(ties, key=lambda tie: (tie.left, tie.right)))


def _bare(name: str) -> str:
    """The name without a namespace prefix: ``operations.Foo`` -> ``Foo``."""
    return _split(name).bare


@functools.lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    return _split(name).bare.lower()


_PUNCTUATION = re.compile(r"[^0-9a-z]")


def _unpunctuated(name: str) -> str:
    """The bare name in lower case without anything but letters and digits."""
    return _PUNCTUATION.sub("", _folded(name))


def _without_t(names: set[str]) -> _Key:
    """A key that drops a ``T`` suffix where the plain name is absent on the same side."""
    plain = {_folded(name) for name in names}

    def key(name: str) -> str:
        bare = _bare(name)
        if len(bare) > 1 and bare.endswith("T") and bare[:-1].lower() not in plain:
            return bare[:-1].lower()
        return bare.lower()

    return key


def _error_bodies(lefts: set[str], rights: set[str]) -> _Stage:
    """Stage 6: ``XData`` (``X`` absent on its side) with ``X`` (``XData`` absent on its side)."""
    folded_left = {_folded(name) for name in lefts}
    folded_right = {_folded(name) for name in rights}

    def is_body(name: str, same_side: set[str]) -> bool:
        bare = _bare(name)
        return len(bare) > 4 and bare.endswith("Data") and bare[:-4].lower() not in same_side

    def is_error(name: str, same_side: set[str]) -> bool:
        split = _split(name)
        return (split.errors or not split.namespace) and _folded(name) + "data" not in same_side

    def key(same_side: set[str]) -> _Key:
        def of(name: str) -> str:
            folded = _folded(name)
            return folded[:-4] if is_body(name, same_side) else folded

        return of

    def allowed(a: str, b: str) -> bool:
        return (is_body(a, folded_left) and is_error(b, folded_right)) or (
            is_body(b, folded_right) and is_error(a, folded_left)
        )

    return _Stage(key(folded_left), key(folded_right), allowed)


def _shared_bare(names: Iterable[str]) -> set[str]:
    """The names whose bare name is shared by another name of the same collection."""
    by_bare: defaultdict[str, list[str]] = defaultdict(list)
    for name in names:
        by_bare[_bare(name)].append(name)
    return {name for group in by_bare.values() if len(group) > 1 for name in group}


#: Words that say what a model is for in a call, not what it is (stage 8).
_ROLE_WORDS = frozenset({"request", "response", "param", "params", "body"})


def _without_roles(name: str) -> str:
    """The bare name's words without role words, in sorted order (all of them if that
    leaves none)."""
    found = words(_bare(name))
    kept = [word for word in found if word not in _ROLE_WORDS] or list(found)
    return " ".join(sorted(kept))


def _without_digits(name: str) -> str:
    return _folded(name).rstrip("0123456789")


def _one_without_digits(a: str, b: str) -> bool:
    return _folded(a) == _without_digits(a) or _folded(b) == _without_digits(b)


def pair_names(
    left: Iterable[str],
    right: Iterable[str],
    aliases: Mapping[str, str] | None = None,
    *,
    left_signatures: Mapping[str, Signature] | None = None,
    right_signatures: Mapping[str, Signature] | None = None,
) -> Pairing:
    """Pair names of two sides (see the module doc for the stages and the tie-breaking)."""
    lefts = set(left)
    rights = set(right)
    # Twins are found before the aliases claim any name: an alias pairs its own names only.
    twins = sorted([(0, name) for name in _shared_bare(lefts)])
    twins += sorted((1, name) for name in _shared_bare(rights))
    pairer = _Pairer(lefts, rights, left_signatures or {}, right_signatures or {})
    chosen: dict[str, str] = {}
    for name, other in sorted((aliases or {}).items()):
        if name in lefts and other in rights and other not in chosen.values():
            chosen[name] = other
    pairer.claim(chosen)
    stages = [
        _Stage(_bare, _bare),
        _Stage(_folded, _folded),
        _Stage(_unpunctuated, _unpunctuated),
        _Stage(_without_t(lefts), _without_t(rights)),
        _error_bodies(lefts, rights),
        _Stage(_without_digits, _without_digits, _one_without_digits),
        _Stage(_without_roles, _without_roles),
    ]
    # Twins (``Foo`` beside ``<module>#Foo``) and their relatives leave the stages first;
    # what the bare-name stage would group, the letter-case stage groups too.
    pairer.hold_families(twins, stages[1:])
    pairer.claim({name: name for name in pairer.free_left & pairer.free_right})
    for stage in stages:
        if not pairer.free_left or not pairer.free_right:
            break
        pairer.run(stage)
    named = refuse_unlike(pairer.result(), aliases or {}, left_signatures, right_signatures)
    return pair_by_structure(named, left_signatures or {}, right_signatures or {})
