"""Models' structure signatures for ``pair_names``: their wire keys, and how alike two are.

A signature is the set of a model's wire keys (``pair_names`` compares them as
sets of features; the keys alone are the features here). A side's models are
either a schema's object models (a ``Model``'s fields) or a harness's listing
(``ModelEntry.keys``). A listed model with no keys gets no signature (an empty
object and a listing without keys look alike, and neither is evidence), unless its
kind says it is no object at all (a union of values, an enum): then an empty one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conformance.schema.model import Alias, Model, Ref, Schema
from conformance.sources.pairing import Signature
from conformance.targets.discovery import ModelEntry

__all__ = ["listing_signatures", "or_none", "schema_signatures", "structure_score"]


def schema_signatures(schema: Schema) -> dict[str, Signature]:
    """The wire keys of each object model of ``schema`` that has fields (an alias of a model,
    such as a class exported under another name, has its model's)."""
    out: dict[str, Signature] = {}
    for name in schema.definitions:
        model = _model(schema, name)
        if model is not None and model.fields:
            out[name] = frozenset(field.wire_name for field in model.fields)
    return out


def _model(schema: Schema, name: str) -> Model | None:
    seen: set[str] = set()
    definition = schema.definitions.get(name)
    while isinstance(definition, Alias) and isinstance(definition.type, Ref):
        if definition.name in seen:
            return None
        seen.add(definition.name)
        definition = schema.definitions.get(definition.type.name)
    return definition if isinstance(definition, Model) else None


#: Listed kinds that are no object on the wire: their signature is empty, so a name they share
#: with an object model of the other side is refused rather than paired (one name, two types).
NOT_OBJECTS = frozenset({"union", "scalar", "enum", "literal", "array"})


def listing_signatures(entries: Iterable[ModelEntry]) -> dict[str, Signature]:
    """The wire keys of each listed model that has keys; no keys for a model that is no
    object (``NOT_OBJECTS``)."""
    out: dict[str, Signature] = {}
    for entry in entries:
        if entry.keys:
            out[entry.name] = frozenset(entry.keys)
        elif entry.kind in NOT_OBJECTS:
            out[entry.name] = frozenset()
    return out


def or_none(signatures: Mapping[str, Signature]) -> Mapping[str, Signature] | None:
    """``signatures``, or None when there are none (a side that lists no keys passes none)."""
    return signatures or None


def structure_score(
    left: Mapping[str, Signature], right: Mapping[str, Signature], pair: tuple[str, str]
) -> float | None:
    """Shared keys over all keys of a pair's two signatures (None unless both have one)."""
    one, other = left.get(pair[0]), right.get(pair[1])
    if one is None or other is None:
        return None
    return round(len(one & other) / len(one | other), 2)
