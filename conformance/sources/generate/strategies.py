"""The Hypothesis driver: payloads and cases as strategies, for property tests.

The generator's choices come from ``draw(integers(0, n - 1))``, so
Hypothesis's search and shrinking apply; choice ``0`` is always the plainest
option, so failing examples shrink toward plain payloads. Hypothesis is
imported only when a strategy is built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate.case import draw_case, id_part
from conformance.sources.generate.finite import Witnesses
from conformance.sources.generate.source import Draw

if TYPE_CHECKING:
    from hypothesis import strategies as st

__all__ = ["HypothesisSource", "cases", "payloads"]


class HypothesisSource:
    """A ``Source`` that asks Hypothesis, so its search and shrinking apply."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self._draw = draw
        from hypothesis import strategies

        self._integers = strategies.integers

    def below(self, n: int) -> int:
        if n <= 1:
            return 0
        value: int = self._draw(self._integers(0, n - 1))
        return value


def payloads(
    schema: Schema, model: str, *, valid: bool = True, max_depth: int = 4
) -> st.SearchStrategy[JsonValue]:
    """Hypothesis: valid (or, with ``valid=False``, broken) payloads of ``model``."""
    from hypothesis import strategies

    witnesses = Witnesses(schema)

    @strategies.composite
    def draw_payload(draw: st.DrawFn) -> JsonValue:
        source = Draw(HypothesisSource(draw))
        payload, _, _ = draw_case(
            schema, model, source, invalid=not valid, max_depth=max_depth, witnesses=witnesses
        )
        return payload

    strategy: st.SearchStrategy[JsonValue] = draw_payload()
    return strategy


def cases(
    schema: Schema,
    model: str,
    direction: Direction = "response",
    *,
    invalid_ratio: float = 0.25,
    max_depth: int = 4,
) -> st.SearchStrategy[Case]:
    """Hypothesis: ``Case`` records of ``model``, invalid with probability ``invalid_ratio``."""
    from hypothesis import strategies

    per_mille = round(invalid_ratio * 1000)
    witnesses = Witnesses(schema)

    @strategies.composite
    def draw_one(draw: st.DrawFn) -> Case:
        source = Draw(HypothesisSource(draw))
        invalid = source.chance(per_mille)
        payload, valid, description = draw_case(
            schema, model, source, invalid=invalid, max_depth=max_depth, witnesses=witnesses
        )
        name = id_part(model)
        return Case(f"hypothesis-{name}", model, direction, payload, valid, description)

    strategy: st.SearchStrategy[Case] = draw_one()
    return strategy
