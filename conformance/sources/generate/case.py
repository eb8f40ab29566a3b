"""One case drawn from a stream of choices: its payload, validity and description; case ids."""

from __future__ import annotations

import re
from collections.abc import Sequence

from conformance.core.divergence import path_text
from conformance.schema import JsonValue, Ref, Schema
from conformance.sources.generate.finite import Infinite, NoPayload, Witnesses
from conformance.sources.generate.generator import Generator
from conformance.sources.generate.mutations import Breaker, shown
from conformance.sources.generate.source import Draw

__all__ = ["case_id", "draw_case", "id_part"]

_ID_CHARS = re.compile(r"[^A-Za-z0-9._:-]")


def id_part(model: str) -> str:
    """``model`` with every character a case id does not allow replaced by ``_``."""
    return _ID_CHARS.sub("_", model)


def case_id(model: str, seed: int, index: int) -> str:
    """The stable id of generated case ``index`` of ``model`` under ``seed``."""
    return f"gen-{id_part(model)}-{seed}-{index}"


def _summary(notes: Sequence[str], limit: int = 6) -> str:
    unique = list(dict.fromkeys(notes))
    text = "; ".join(unique[:limit])
    return text + (f"; and {len(unique) - limit} more" if len(unique) > limit else "")


def draw_case(
    schema: Schema,
    model: str,
    draw: Draw,
    *,
    invalid: bool,
    max_depth: int,
    witnesses: Witnesses | None = None,
) -> tuple[JsonValue, bool, str]:
    """(payload, valid, description) of one case, drawn from ``draw``.

    ``witnesses`` (of ``schema``; shared by the cases of one run) hold the
    payloads of last resort. Raises ``NoPayload`` when ``model`` has no finite
    valid payload at all.
    """
    root = Ref(model)
    generator = Generator(schema, draw, witnesses)
    checker = generator.checker
    for _ in range(3):
        del generator.notes[:]
        try:
            payload = generator.value(root, max_depth, (), frozenset())
        except Infinite:
            # Drawn again, rescuing: this never changes a payload that was drawn without.
            generator.rescuing = True
            del generator.notes[:]
            try:
                payload = generator.value(root, max_depth, (), frozenset())
            except Infinite:
                raise NoPayload(model, generator.witnesses.explain(model)) from None
        if not invalid:
            edges = _summary(generator.notes)
            return payload, True, "valid" + (f"; edges: {edges}" if edges else "")
        sites = list(Breaker(schema).sites(root, payload, ()))
        for _ in range(min(len(sites), 12)):
            mutation = sites[draw.below(len(sites))]
            broken = mutation.apply(payload)
            if not checker.accepts(root, broken):
                return broken, False, f"invalid: {mutation.what} at {path_text(mutation.path)}"
    wholes: tuple[JsonValue, ...] = ([], "x", 0, None)
    for wrong in wholes:
        if not checker.accepts(root, wrong):
            return wrong, False, f"invalid: {shown(wrong)} as the whole payload at $"
    return payload, True, "valid (the model admits every payload, so none is invalid)"
