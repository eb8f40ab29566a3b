"""The values of model-name pairing (``conformance.sources.pairing``): pairs, ties, refusals."""

from __future__ import annotations

from collections.abc import Set
from typing import TypeAlias

from attrs import frozen

__all__ = ["Pairing", "Refused", "Signature", "Tie"]

Signature: TypeAlias = Set[str]
"""What a model's structure looks like, as comparable features (e.g. ``"id:string"``)."""


@frozen
class Tie:
    """Names that share a key and that nothing told apart, so none of them is paired."""

    left: tuple[str, ...]
    right: tuple[str, ...]


@frozen
class Refused:
    """A name match that structure contradicts: too few wire keys in common to be one model."""

    left: str
    right: str
    closeness: float


@frozen
class Pairing:
    """Pairs of names (left, right), the names left over on each side, and ties; all sorted."""

    pairs: tuple[tuple[str, str], ...]
    left_only: tuple[str, ...]
    right_only: tuple[str, ...]
    ambiguous: tuple[Tie, ...] = ()
    refused: tuple[Refused, ...] = ()
    #: The pairs found by their wire keys alone (``pair_names``' last stage), also in ``pairs``.
    by_structure: tuple[tuple[str, str], ...] = ()

    def left_to_right(self) -> dict[str, str]:
        """The pairs as a ``left -> right`` mapping."""
        return dict(self.pairs)

    def right_to_left(self) -> dict[str, str]:
        """The pairs as a ``right -> left`` mapping."""
        return {right: left for left, right in self.pairs}
