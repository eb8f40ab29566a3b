"""Models' structure signatures for ``pair_names``: their wire keys, and how alike two are.

A signature is the set of a model's wire keys (``pair_names`` compares them as
sets of features; the keys alone are the features here). A side's models are
either a schema's object models (a ``Model``'s fields) or a harness's listing
(``ModelEntry.keys``). A listed model with no keys gets no signature (an empty
object and a listing without keys look alike, and neither is evidence), unless its
kind says it is no object at all: an array or a scalar then has that one feature
(``ARRAY``, ``SCALAR``) on either side, and a union of unknown members none at all,
so it pairs with neither an object nor an array of the other side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from conformance.schema.model import (
    Alias,
    ArrayOf,
    Const,
    EnumOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
)
from conformance.sources.pairing import Signature
from conformance.targets.discovery import ModelEntry

__all__ = ["listing_signatures", "or_none", "schema_signatures", "structure_score"]


#: The feature of a definition that is a JSON array, and of one that is a scalar (a string,
#: number, boolean, enum or constant): an object's wire keys never equal them, so a name one
#: side gives an array and the other an object (or a union of objects) is refused.
ARRAY = frozenset({"[array]"})
SCALAR = frozenset({"[scalar]"})


def schema_signatures(schema: Schema) -> dict[str, Signature]:
    """The wire keys of each object model of ``schema`` that has fields (an alias of a model,
    such as a class exported under another name, has its model's); ``ARRAY`` or ``SCALAR``
    for a definition that is an array or a scalar. A union says nothing: no signature."""
    out: dict[str, Signature] = {}
    for name in schema.definitions:
        model = _model(schema, name)
        if model is not None and model.fields:
            out[name] = frozenset(field.wire_name for field in model.fields)
        elif model is None:
            shape = _shape(schema, name)
            if shape is not None:
                out[name] = shape
    return out


def _shape(schema: Schema, name: str) -> Signature | None:
    """``ARRAY`` or ``SCALAR`` for an alias that is one (through references and ``null``)."""
    try:
        resolved = schema.resolve(Ref(name))
        while isinstance(resolved, Nullable):
            resolved = schema.resolve(resolved.inner)
    except (KeyError, ValueError):
        return None
    if isinstance(resolved, ArrayOf):
        return ARRAY
    if isinstance(resolved, Primitive | EnumOf | Const):
        return SCALAR
    return None


def _model(schema: Schema, name: str) -> Model | None:
    seen: set[str] = set()
    definition = schema.definitions.get(name)
    while isinstance(definition, Alias) and isinstance(definition.type, Ref):
        if definition.name in seen:
            return None
        seen.add(definition.name)
        definition = schema.definitions.get(definition.type.name)
    return definition if isinstance(definition, Model) else None


#: Listed kinds that are no object on the wire: a name they share with an object model of the
#: other side is refused rather than paired (one name, two types). An array is ``ARRAY`` and
#: a scalar ``SCALAR``, as the schema's are; a union of unknown members has no features.
NOT_OBJECTS = {
    "union": frozenset(),
    "scalar": SCALAR,
    "enum": SCALAR,
    "literal": SCALAR,
    "array": ARRAY,
}


def listing_signatures(entries: Iterable[ModelEntry]) -> dict[str, Signature]:
    """The wire keys of each listed model that has keys; ``NOT_OBJECTS``' features for a
    model that is no object."""
    out: dict[str, Signature] = {}
    for entry in entries:
        if entry.keys:
            out[entry.name] = frozenset(entry.keys)
        elif entry.kind in NOT_OBJECTS:
            out[entry.name] = NOT_OBJECTS[entry.kind]
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
