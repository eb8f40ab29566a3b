"""Naming conformance: does a target's native view name each field by its convention?

The native view is walked beside the schema. In an object of model ``M``, each
key is matched to a field by the convention's name of the field's wire key;
a key that is no such name but has the same words as a field's wire key (so it
*is* that field under another spelling) is a ``naming`` divergence at the
field's wire path, unless the convention allows that spelling too
(``Convention.allows``: acronym case, a trailing escape underscore) or the object
holds the field under the convention's own name as well (the other key is then a
copy, such as a wire key an SDK also keeps among its extras). Keys that
match no field are extras, which the wire comparison reports; so is a key the
input itself had at that place as an unknown key (a probe sending a field's
camelCase name as the key): an SDK that keeps unknown keys echoes it, and that
is no name the SDK gave a field. Union values are
matched to the member whose field names fit best; maps keep their keys (they are
data, not names).

A key the target reports as ``undeclared`` (its model does not declare it and it
kept the key as an unknown one: a pydantic extra, a key a passthrough schema kept)
is no name the SDK gave either, whatever its spelling. Where it is a field the
schema declares (by its words) under a spelling the convention does not give it (so
users cannot reach it by the field's name: a key kept as ``clientSecret`` where the
Python name is ``client_secret``), the divergence is that the SDK does not declare
the field: kind ``naming`` still (the field has no name of the
SDK's), its diverging side's value ``{"key": <the key kept>, "declared": false}``
(``UNDECLARED_FLAG``), so families class it apart from a misnaming. Nothing under
such a key is walked: it is the input as it came, not the SDK's model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.core.conventions import Convention, words
from conformance.core.divergence import Divergence, PathSegment, Side
from conformance.schema import (
    ArrayOf,
    Field,
    MapOf,
    Model,
    Nullable,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.generate.finite import tag_properties

__all__ = ["UNDECLARED_FLAG", "naming_divergences", "undeclared_key"]

# id(schema) -> (schema, model -> the properties unions tag it by): computed once per
# schema; holding the schema keeps its id from being reused.
_UNION_TAGS: dict[int, tuple[Schema, dict[str, frozenset[str]]]] = {}

#: The key of a naming divergence's diverging value that marks a field the SDK does not declare.
UNDECLARED_FLAG = "declared"

NativePath = tuple[str | int, ...]


def undeclared_key(value: Any) -> str | None:
    """The key an SDK kept undeclared, when ``value`` (a naming divergence's diverging
    value) marks a field the SDK does not declare; else None."""
    if isinstance(value, dict) and value.get(UNDECLARED_FLAG) is False:
        key = value.get("key")
        return key if isinstance(key, str) else None
    return None


def naming_divergences(
    schema: Schema,
    model: str,
    native: Any,
    convention: Convention,
    target: str,
    given: Any = None,
    undeclared: Iterable[NativePath] = (),
) -> list[Divergence]:
    """Fields of ``native`` (a target view of a ``model`` value) misnamed by ``convention``;
    ``given`` is the wire payload the target read (its unknown keys are not field names);
    ``undeclared`` the paths in ``native`` of keys the target's model does not declare."""
    found: list[Divergence] = []
    definition = schema.definitions.get(model)
    if definition is None:
        return found
    root: TypeRef | Model = (
        definition if isinstance(definition, Model) else schema.resolve(definition.type)
    )
    walk = _Walk(schema, convention, target, found, frozenset(undeclared))
    walk.walk(root, native, (), (), set(), given)
    return found


class _Walk:
    """One walk of a native view beside the schema, appending to ``found``."""

    def __init__(
        self,
        schema: Schema,
        convention: Convention,
        target: str,
        found: list[Divergence],
        undeclared: frozenset[NativePath],
    ) -> None:
        self.schema = schema
        self.convention = convention
        self.target = target
        self.found = found
        self.undeclared = undeclared

    def walk(
        self,
        type_: TypeRef | Model,
        value: Any,
        path: tuple[PathSegment, ...],
        at: NativePath,
        active: set[tuple[int, str]],
        given: Any = None,
    ) -> None:
        """``path`` is where ``value`` is on the wire (the schema's keys), ``at`` where it
        is in the native view (the target's keys)."""
        if type(value) is not dict and type(value) is not list:
            return  # a scalar holds no names: nothing to resolve
        schema = self.schema
        type_ = schema.resolve(type_) if not isinstance(type_, Model) else type_
        if isinstance(type_, Nullable):
            self.walk(type_.inner, value, path, at, active, given)
        elif isinstance(type_, ArrayOf) and isinstance(value, list):
            items = given if isinstance(given, list) else []
            for index, item in enumerate(value):
                inner = items[index] if index < len(items) else None
                self.walk(type_.items, item, (*path, index), (*at, index), active, inner)
        elif isinstance(type_, MapOf) and isinstance(value, dict):
            entries = given if isinstance(given, dict) else {}
            for key, item in value.items():
                self.walk(type_.values, item, (*path, key), (*at, key), active, entries.get(key))
        elif isinstance(type_, UnionOf) and isinstance(value, dict):
            members = [schema.resolve(m) for m in type_.members]
            models = [m for m in members if isinstance(m, Model)]
            if models:
                best = max(models, key=lambda m: _fit(m, value, self.convention))
                self.walk(best, value, path, at, active, given)
        elif isinstance(type_, Model) and isinstance(value, dict):
            marker = (id(value), type_.name)
            if marker in active:
                return
            active.add(marker)
            self._model(type_, value, path, at, active, given)
            active.discard(marker)

    def _union_owns(self, model: Model, wire_key: str) -> bool:
        """Whether ``wire_key`` is the tag a discriminated union gives ``model`` (an SDK
        may leave it out of the member and read it with the union, as Fern's do)."""
        tags = _UNION_TAGS.get(id(self.schema))
        if tags is None or tags[0] is not self.schema:
            tags = (self.schema, tag_properties(self.schema))
            _UNION_TAGS[id(self.schema)] = tags
        return wire_key in tags[1].get(model.name, ())

    def _model(
        self,
        model: Model,
        value: dict[str, Any],
        path: tuple[PathSegment, ...],
        at: NativePath,
        active: set[tuple[int, str]],
        given: Any,
    ) -> None:
        convention, target = self.convention, self.target
        expected, by_words = _names(model, convention)
        entries = given if isinstance(given, dict) else {}
        for key, item in value.items():
            field = expected.get(key)
            if field is None:
                field = by_words.get(words(key))
                if field is None or (key in entries and model.field_named(key) is None):
                    continue
            wanted = convention.native(field.wire_name)
            misnamed = (
                key != wanted
                and wanted not in value
                and not convention.allows(key, field.wire_name)
            )
            if (*at, key) in self.undeclared:
                # Kept as an unknown key: no name the SDK gave, and nothing under it is the
                # SDK's model. Spelled as the convention spells the field (or beside a copy
                # so spelled), users reach it by that name all the same: nothing to report;
                # nor for a tag its union owns (a member read alone, as no SDK reads it).
                if misnamed and not self._union_owns(model, field.wire_name):
                    self.found.append(_undeclared(path, field, wanted, key, convention, target))
                continue
            if misnamed:
                # Beside the field under its own name, another spelling is a copy (an SDK
                # that also keeps the wire key among its extras): the field is named right.
                self.found.append(
                    Divergence(
                        (*path, field.wire_name),
                        "naming",
                        Side((f"{convention.name} convention",), wanted),
                        Side((target,), key),
                        detail=f"{convention.name} name of {field.wire_name!r} is "
                        f"{wanted!r}, {target} calls it {key!r}",
                    )
                )
            inner = entries.get(field.wire_name)
            self.walk(field.type, item, (*path, field.wire_name), (*at, key), active, inner)


def _undeclared(
    path: tuple[PathSegment, ...],
    field: Field,
    wanted: str,
    key: str,
    convention: Convention,
    target: str,
) -> Divergence:
    """The divergence of a schema field ``target`` keeps as the unknown key ``key``."""
    return Divergence(
        (*path, field.wire_name),
        "naming",
        Side((f"{convention.name} convention",), wanted),
        Side((target,), {"key": key, UNDECLARED_FLAG: False}),
        detail=f"{target} does not declare {field.wire_name!r}: it keeps the key {key!r} "
        "as an unknown one",
    )


# id(model) -> (model, native name -> field, words -> field). Holding the model keeps
# its id from being reused, so a hit is always the same model.
_NAMES: dict[tuple[int, str], tuple[Model, dict[str, Field], dict[tuple[str, ...], Field]]] = {}


def _names(
    model: Model, convention: Convention
) -> tuple[dict[str, Field], dict[tuple[str, ...], Field]]:
    """Native name -> field and words -> field of a model, computed once per model."""
    key = (id(model), convention.name)
    cached = _NAMES.get(key)
    if cached is None or cached[0] is not model:
        cached = (
            model,
            {convention.native(f.wire_name): f for f in model.fields},
            {words(f.wire_name): f for f in model.fields},
        )
        _NAMES[key] = cached
    return cached[1], cached[2]


def _fit(model: Model, value: dict[str, Any], convention: Convention) -> int:
    names = {convention.native(f.wire_name) for f in model.fields}
    return sum(1 for key in value if key in names)
