"""Finding records of several results files (CI shards) merged into one per family.

Shards of one run find the same family under the same id (the id is a hash of
the family's key), each over its own cases. Merged, a family counts the cases
and models of every shard, lists the union of their paths (up to ``FINDING_PATHS``)
and keeps the example with the smallest payload, so its reproducer stays small.
Models are counted exactly where each shard lists them all (``model_names``, up to
``FINDING_MODELS``); past that the counts add up, an upper bound (a model seen by two
shards is counted twice).
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import evolve

from conformance.core import jsonwire
from conformance.results.records import FINDING_MODELS, FindingExample, FindingRecord
from conformance.results.records import FINDING_PATHS as PATHS

__all__ = ["merge_findings"]


def merge_findings(records: Iterable[FindingRecord]) -> list[FindingRecord]:
    """One record per family id, in the order the ids first appear."""
    merged: dict[str, FindingRecord] = {}
    for record in records:
        known = merged.get(record.id)
        merged[record.id] = record if known is None else _merge(known, record)
    return list(merged.values())


def _merge(first: FindingRecord, second: FindingRecord) -> FindingRecord:
    """Two shards' records of one family as one."""
    union = sorted({*first.paths, *second.paths})
    kept = tuple(union[:PATHS])
    # Paths a shard only counted may repeat another shard's: an upper bound, like ``models``.
    more = first.more_paths + second.more_paths + len(union) - len(kept)
    models, names = _models(first, second)
    return evolve(
        first,
        cases=first.cases + second.cases,
        models=models,
        model_names=names,
        paths=kept,
        more_paths=more,
        example=_smaller(first.example, second.example),
    )


def _models(first: FindingRecord, second: FindingRecord) -> tuple[int, tuple[str, ...]]:
    """The merged model count and names: exact where both shards list all their models
    (up to ``FINDING_MODELS``), else the sum, an upper bound."""
    listed = all(len(r.model_names) == r.models for r in (first, second))
    union = tuple(sorted({*first.model_names, *second.model_names}))
    if listed and len(union) <= FINDING_MODELS:
        return len(union), union
    return (len(union) if listed else first.models + second.models), ()


def _smaller(first: FindingExample, second: FindingExample) -> FindingExample:
    """The example whose payload is shorter as JSON text; on a tie, the smaller case id
    (so the order of the shards does not matter)."""
    return second if _size(second) < _size(first) else first


def _size(example: FindingExample) -> tuple[int, str]:
    return len(jsonwire.dumps(example.wire)), example.case
