"""Which models of an API spec are wire JSON, and which way each goes.

An OpenAPI document says it through its operations: each JSON request body is
sent, each JSON response body is received (``Schema.bodies``). The wire models
are those bodies and every named schema reachable from them (``components.schemas``),
each in the directions it is reachable in: a schema used only inside responses is
never sent, so generating requests of it would test what no client does. Inline
objects nested in a body are not run on their own: they have no name of the spec's
that an SDK shares, and their parent body exercises them. Bodies of other media
types (multipart forms, event streams) are not JSON documents and are counted, not run.

A wire model is an object model, or an alias that is a body itself (a request body
``oneOf``, a response body that is an array), or a named alias of a union reachable
from a body (``components.schemas`` ``Shape: {oneOf: [...]}``): SDKs export such a
union under its name (a Python ``TypeAliasType``, a zod union schema) and read and
write it on its own. Named aliases of anything else (an enum, a string) are field
types, run through the models that hold them.

A document without JSON bodies (a fragment of ``components.schemas`` alone) says
nothing of directions: its object models go both ways, as ``run --all-models`` runs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from attrs import frozen

from conformance.schema.model import (
    Alias,
    Definition,
    Model,
    Nullable,
    Schema,
    UnionOf,
    ref_names,
)
from conformance.sources.cases import Direction
from conformance.sources.openapi import is_json_media

__all__ = ["WireModels", "wire_models"]

_DIRECTIONS: tuple[Direction, ...] = ("request", "response")
_COMPONENT = "#/components/schemas/"


@frozen
class WireModels:
    """The models to run, each with its directions, and what was left out (counts)."""

    runs: Mapping[str, tuple[Direction, ...]]
    from_bodies: bool
    bodies: int = 0
    other_media: int = 0
    unreachable: int = 0


def wire_models(schema: Schema) -> WireModels:
    """The wire models of ``schema`` (see the module doc)."""
    json_bodies = [b for b in schema.bodies if b.model and is_json_media(b.media_type)]
    other = sum(1 for b in schema.bodies if not is_json_media(b.media_type))
    if not json_bodies:
        runs = {model.name: _DIRECTIONS for model in schema.models}
        return WireModels(runs, from_bodies=False, other_media=other)
    reach: dict[str, set[Direction]] = {}
    for body in json_bodies:
        if body.model not in schema.definitions:
            continue
        reach.setdefault(body.model, set()).add(body.direction)
        for name in _reachable(schema, body.model):
            if _named(schema.definitions[name]):
                reach.setdefault(name, set()).add(body.direction)
    body_names = {body.model for body in json_bodies}
    runs = {
        name: tuple(d for d in _DIRECTIONS if d in reach[name])
        for name, definition in schema.definitions.items()
        if name in reach and _runs(definition, name in body_names)
    }
    named = sum(1 for d in schema.definitions.values() if _named(d) and _runs(d, False))
    unreachable = named - sum(1 for name in runs if _named(schema.definitions[name]))
    return WireModels(
        runs, from_bodies=True, bodies=len(json_bodies), other_media=other, unreachable=unreachable
    )


def _runs(definition: Definition, body: bool) -> bool:
    """Whether a definition reached from a body runs on its own (see the module doc)."""
    if isinstance(definition, Model) or body:
        return True
    inner = definition.type.inner if isinstance(definition.type, Nullable) else definition.type
    return _named(definition) and isinstance(inner, UnionOf)


def _named(definition: Definition) -> bool:
    """Whether a definition is a named schema of the document (not an inline object)."""
    return definition.source.endswith(_COMPONENT + _escaped(definition.name))


def _escaped(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _reachable(schema: Schema, start: str) -> set[str]:
    """The definitions reachable from ``start`` through its types (``start`` excluded)."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        definition = schema.definitions.get(stack.pop())
        if definition is None:
            continue
        for name in _refs(definition):
            if name not in seen and name != start:
                seen.add(name)
                stack.append(name)
    return seen


def _refs(definition: Definition) -> Iterator[str]:
    if isinstance(definition, Alias):
        yield from ref_names(definition.type)
        return
    for each in definition.fields:
        yield from ref_names(each.type)
    if definition.additional is not None and not isinstance(definition.additional, bool):
        yield from ref_names(definition.additional)
