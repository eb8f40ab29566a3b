"""The seeded driver: the same cases for the same seed and schema on every machine.

Case ``n`` of ``(seed, model)`` draws from its own ``SeededSource``, seeded
from a SHA-256 of those three, so it does not depend on ``count``, on the
other cases, or on ``PYTHONHASHSEED``: the same seed and schema give the same
payloads everywhere, and ``gen-<model>-<seed>-<n>`` always names the same one.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from fractions import Fraction

from conformance.exceptions import ConfigError
from conformance.schema import Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate.case import case_id, draw_case
from conformance.sources.generate.source import Draw, SeededSource

__all__ = ["STREAM", "generate_cases", "generated_cases"]

#: The generation algorithm's version; it is part of every case's stream seed.
STREAM = "conformance-generate:1"


def _stream_seed(seed: int, model: str, index: int) -> int:
    digest = hashlib.sha256(f"{STREAM}\0{seed}\0{model}\0{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _is_invalid(index: int, ratio: Fraction) -> bool:
    """Spread invalid cases evenly: exactly ``floor(n * ratio)`` among the first ``n``."""
    return int((index + 1) * ratio) > int(index * ratio)


def generate_cases(
    schema: Schema,
    model: str,
    count: int,
    seed: int,
    direction: Direction = "response",
    invalid_ratio: float = 0.25,
    *,
    max_depth: int = 4,
) -> list[Case]:
    """``count`` cases of ``model``, the same for the same seed and schema on every machine.

    ``floor(n * invalid_ratio)`` of the first ``n`` cases are invalid (spread
    evenly); case ``n`` depends only on ``(seed, model, n)`` and the schema.
    """
    if model not in schema:
        raise ValueError(f"unknown model {model!r}")
    if not 0 <= invalid_ratio <= 1:
        raise ValueError(f"invalid_ratio must be between 0 and 1, not {invalid_ratio!r}")
    ratio = Fraction(invalid_ratio).limit_denominator(10**6)
    out = []
    for index in range(count):
        draw = Draw(SeededSource(_stream_seed(seed, model, index)))
        payload, valid, description = draw_case(
            schema, model, draw, invalid=_is_invalid(index, ratio), max_depth=max_depth
        )
        out.append(
            Case(
                id=case_id(model, seed, index),
                model=model,
                direction=direction,
                wire=payload,
                valid=valid,
                description=f"seed {seed}: {description}",
                source=f"generated (seed {seed})",
            )
        )
    return out


def generated_cases(
    schema: Schema,
    models: Sequence[str],
    count: int,
    seed: int,
    direction: Direction = "response",
    invalid_ratio: float = 0.25,
) -> list[Case]:
    """``count`` generated cases of each model, in the order given.

    Raises ``ConfigError`` (naming ``--model``, with close matches) for a model
    the schema does not have.
    """
    for model in models:
        if model not in schema:
            close = difflib.get_close_matches(model, list(schema.definitions), n=3)
            raise ConfigError(
                f"unknown model {model!r}",
                f"did you mean {', '.join(map(repr, close))}?"
                if close
                else "use a model name from the schema (see `conformance naming`)",
                key="--model",
            )
    return [
        case
        for model in models
        for case in generate_cases(schema, model, count, seed, direction, invalid_ratio)
    ]
