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

from conformance.exceptions import CaseFileError, ConfigError, ConformanceError
from conformance.schema import Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate.case import case_id, draw_case
from conformance.sources.generate.finite import NoPayload, Witnesses
from conformance.sources.generate.source import Draw, SeededSource

__all__ = ["STREAM", "generate_cases", "generated_cases", "skipped_model"]

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
    witnesses: Witnesses | None = None,
) -> list[Case]:
    """``count`` cases of ``model``, the same for the same seed and schema on every machine.

    ``floor(n * invalid_ratio)`` of the first ``n`` cases are invalid (spread
    evenly); case ``n`` depends only on ``(seed, model, n)`` and the schema.
    ``witnesses`` (of ``schema``) may be shared by the calls of one run. Raises
    ``NoPayload`` (a ``ValueError`` naming the cycle of definitions) when
    ``model`` has no finite valid payload.
    """
    if model not in schema:
        raise ValueError(f"unknown model {model!r}")
    if not 0 <= invalid_ratio <= 1:
        raise ValueError(f"invalid_ratio must be between 0 and 1, not {invalid_ratio!r}")
    ratio = Fraction(invalid_ratio).limit_denominator(10**6)
    witnesses = witnesses or Witnesses(schema)
    out = []
    for index in range(count):
        draw = Draw(SeededSource(_stream_seed(seed, model, index)))
        payload, valid, description = draw_case(
            schema,
            model,
            draw,
            invalid=_is_invalid(index, ratio),
            max_depth=max_depth,
            witnesses=witnesses,
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
    *,
    problems: list[CaseFileError] | None = None,
    witnesses: Witnesses | None = None,
) -> list[Case]:
    """``count`` generated cases of each model, in the order given.

    Raises ``ConfigError`` (naming ``--model``, with close matches) for a model
    the schema does not have. With ``problems``, a model that cannot be
    generated (``NoPayload``, or any other error) is skipped and one error per
    such model is added to it (``skipped_model``); without, the error is raised.
    ``witnesses`` (of ``schema``) may be shared by the calls of one run.
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
    witnesses = witnesses or Witnesses(schema)
    out: list[Case] = []
    for model in models:
        try:
            out += generate_cases(
                schema, model, count, seed, direction, invalid_ratio, witnesses=witnesses
            )
        except Exception as error:  # one model's failure must not stop the others
            if problems is None:
                raise
            problems.append(skipped_model(schema.source, model, "generate", error))
    return out


def skipped_model(source: str, model: str, stage: str, error: Exception | str) -> CaseFileError:
    """The problem of a model skipped at ``stage`` (``export``, ``generate``...) for ``error``.

    One line, for the results' ``problem`` record and the summary: the model,
    the stage and the reason (with the exception's type unless it is one of ours).
    """
    if isinstance(error, ConformanceError):
        reason = error.message
    elif isinstance(error, str | NoPayload):
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}"
    reason = "; ".join(line.strip() for line in reason.splitlines() if line.strip())
    return CaseFileError(f"model {model!r} skipped at {stage}: {reason}", file=source)
