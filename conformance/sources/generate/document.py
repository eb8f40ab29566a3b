"""A case file (``conformance/schemas/cases.schema.json``) holding generated cases."""

from __future__ import annotations

from collections.abc import Sequence

from conformance.schema import JsonValue
from conformance.sources.cases import Case

__all__ = ["case_document"]


def case_document(cases: Sequence[Case], description: str) -> dict[str, JsonValue]:
    """A case file holding ``cases``; a model or direction they share is said once, at the top."""
    models = {c.model for c in cases}
    directions = {c.direction for c in cases}
    document: dict[str, JsonValue] = {"description": description}
    if len(models) == 1:
        document["model"] = next(iter(models))
    if len(directions) == 1:
        document["direction"] = next(iter(directions))
    tests: list[JsonValue] = []
    for case in cases:
        test: dict[str, JsonValue] = {"id": case.id}
        if len(models) != 1:
            test["model"] = case.model
        if len(directions) != 1:
            test["direction"] = case.direction
        test["wire"] = case.wire
        if not case.valid:
            test["valid"] = False
        if case.description:
            test["description"] = case.description
        tests.append(test)
    document["tests"] = tests
    return document
