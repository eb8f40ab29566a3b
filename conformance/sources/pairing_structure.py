"""Structure's say in pairing model names (``pairing.pair_names`` calls these last).

Structure has the last word where both sides have signatures: a name match whose
signatures share less than ``MIN_CLOSENESS`` of their features (two SDKs that gave one name
to different types, say an object and a union of values) is undone and reported as
``refused``; an alias is never undone.

Then, last, names no stage paired (refused ones too) pair by structure alone, where the
two sides name one model differently (a spec's ``CreateChatCompletionResponse`` is a
Stainless SDK's ``ChatCompletion``): a left and a right name pair when they have the same
set of at least ``MIN_KEYS`` wire keys and no other unpaired name on either side has that
set. A set several names share is no evidence of which is which: those stay unpaired (they
are reported as a tie), and so do names in a tie already. Such pairs are also listed in
``by_structure``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from conformance.sources.pairing_values import Pairing, Refused, Signature, Tie

__all__ = ["MIN_CLOSENESS", "MIN_KEYS", "closeness", "pair_by_structure", "refuse_unlike"]

#: The least closeness (shared features over all) at which a name match is kept, where both
#: sides have a signature: one model seen by two SDKs of one spec has the same wire keys, so
#: a match below half is two models that happen to share a name.
MIN_CLOSENESS = 0.5
#: The fewest wire keys a model pairs by structure alone with: one shared key (``data``)
#: says little, two or more in exactly one model of each side do.
MIN_KEYS = 2


def closeness(one: Signature, other: Signature) -> float:
    """How alike two signatures are: shared features over all features (1.0 if both empty)."""
    union = len(one | other)
    return len(one & other) / union if union else 1.0


def pair_by_structure(
    pairing: Pairing, lefts: Mapping[str, Signature], rights: Mapping[str, Signature]
) -> Pairing:
    """Pair the unpaired names whose wire-key sets match one-to-one (the module doc)."""
    tied = {n for tie in pairing.ambiguous for n in (*tie.left, *tie.right)}
    by_left = _by_keys(pairing.left_only, lefts, tied)
    by_right = _by_keys(pairing.right_only, rights, tied)
    found: list[tuple[str, str]] = []
    ties: list[Tie] = []
    for keys, names in by_left.items():
        others = by_right.get(keys)
        if not others:
            continue
        if len(names) == 1 and len(others) == 1:
            found.append((names[0], others[0]))
        else:
            ties.append(Tie(tuple(sorted(names)), tuple(sorted(others))))
    if not found and not ties:
        return pairing
    paired_left = {a for a, _ in found}
    paired_right = {b for _, b in found}
    return Pairing(
        tuple(sorted((*pairing.pairs, *found))),
        tuple(n for n in pairing.left_only if n not in paired_left),
        tuple(n for n in pairing.right_only if n not in paired_right),
        tuple(sorted((*pairing.ambiguous, *ties), key=lambda tie: (tie.left, tie.right))),
        pairing.refused,
        tuple(sorted(found)),
    )


def _by_keys(
    names: Iterable[str], signatures: Mapping[str, Signature], tied: Collection[str]
) -> dict[Signature, list[str]]:
    """The names with a key set of at least ``MIN_KEYS`` keys, grouped by that set."""
    groups: defaultdict[Signature, list[str]] = defaultdict(list)
    for name in names:
        keys = signatures.get(name)
        if keys is not None and len(keys) >= MIN_KEYS and name not in tied:
            groups[frozenset(keys)].append(name)
    return groups


def refuse_unlike(
    pairing: Pairing,
    aliases: Mapping[str, str],
    left_signatures: Mapping[str, Signature] | None,
    right_signatures: Mapping[str, Signature] | None,
) -> Pairing:
    """Undo the name matches whose structures disagree (``MIN_CLOSENESS``); aliases stay.

    Only where both names have a signature: without one, a name match is all there is.
    """
    if not left_signatures or not right_signatures:
        return pairing
    kept: list[tuple[str, str]] = []
    refused: list[Refused] = []
    for left, right in pairing.pairs:
        one, other = left_signatures.get(left), right_signatures.get(right)
        score = 1.0 if one is None or other is None else closeness(one, other)
        if score < MIN_CLOSENESS and aliases.get(left) != right:
            refused.append(Refused(left, right, round(score, 3)))
        else:
            kept.append((left, right))
    if not refused:
        return pairing
    return Pairing(
        tuple(kept),
        tuple(sorted({*pairing.left_only, *(r.left for r in refused)})),
        tuple(sorted({*pairing.right_only, *(r.right for r in refused)})),
        pairing.ambiguous,
        tuple(refused),
    )
