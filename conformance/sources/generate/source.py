"""Where the generator's choices come from: a ``Source`` of numbers, and the choices made of them.

The generator asks a ``Source`` for numbers (``below(n)``: an integer in
``[0, n)``) and nothing else. ``SeededSource`` is a SplitMix64 stream (pure
integer arithmetic, specified here, so it gives the same numbers on every
Python version and machine; ``random.Random`` only promises that of
``random()``). The Hypothesis driver has a source of its own
(``strategies``). Choice ``0`` is always the plainest option (absent, empty,
the first member), so Hypothesis shrinks toward plain payloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["Draw", "SeededSource", "Source"]

_MASK = (1 << 64) - 1


class Source(Protocol):
    """Where the generator's choices come from."""

    def below(self, n: int) -> int:
        """An integer in ``[0, n)`` (``0`` when ``n <= 1``)."""
        ...


class SeededSource:
    """SplitMix64: a fixed, fully specified stream of 64-bit words from one seed."""

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def _word(self) -> int:
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``: 64 more random bits than ``n`` needs, reduced mod ``n``."""
        if n <= 1:
            return 0
        if n.bit_length() <= 64:
            # The common case, two words, written out: a generated case asks for hundreds
            # of numbers, and two method calls each were most of the generator's time.
            state = self._state
            high = state = (state + 0x9E3779B97F4A7C15) & _MASK
            high = ((high ^ (high >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            high = ((high ^ (high >> 27)) * 0x94D049BB133111EB) & _MASK
            low = self._state = (state + 0x9E3779B97F4A7C15) & _MASK
            low = ((low ^ (low >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            low = ((low ^ (low >> 27)) * 0x94D049BB133111EB) & _MASK
            return (((high ^ (high >> 31)) << 64) | low ^ (low >> 31)) % n
        value = 0
        for _ in range((n.bit_length() + 63) // 64 + 1):
            value = (value << 64) | self._word()
        return value % n


class Draw:
    """Choices on top of a ``Source``: picks, chances (per mille), ranges."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def below(self, n: int) -> int:
        return self.source.below(n)

    def chance(self, per_mille: int) -> bool:
        """True with probability ``per_mille / 1000``; choice ``0`` is False."""
        return self.source.below(1000) >= 1000 - per_mille

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.source.below(len(options))]

    def between(self, low: int, high: int) -> int:
        return low + self.source.below(high - low + 1)
