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
"""

from __future__ import annotations

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

__all__ = ["naming_divergences"]


def naming_divergences(
    schema: Schema,
    model: str,
    native: Any,
    convention: Convention,
    target: str,
    given: Any = None,
) -> list[Divergence]:
    """Fields of ``native`` (a target view of a ``model`` value) misnamed by ``convention``;
    ``given`` is the wire payload the target read (its unknown keys are not field names)."""
    found: list[Divergence] = []
    definition = schema.definitions.get(model)
    if definition is None:
        return found
    root: TypeRef | Model = (
        definition if isinstance(definition, Model) else schema.resolve(definition.type)
    )
    _walk(schema, root, native, (), convention, target, found, set(), given)
    return found


def _walk(
    schema: Schema,
    type_: TypeRef | Model,
    value: Any,
    path: tuple[PathSegment, ...],
    convention: Convention,
    target: str,
    found: list[Divergence],
    active: set[tuple[int, str]],
    given: Any = None,
) -> None:
    type_ = schema.resolve(type_) if not isinstance(type_, Model) else type_
    if isinstance(type_, Nullable):
        _walk(schema, type_.inner, value, path, convention, target, found, active, given)
    elif isinstance(type_, ArrayOf) and isinstance(value, list):
        items = given if isinstance(given, list) else []
        for index, item in enumerate(value):
            inner = items[index] if index < len(items) else None
            where = (*path, index)
            _walk(schema, type_.items, item, where, convention, target, found, active, inner)
    elif isinstance(type_, MapOf) and isinstance(value, dict):
        entries = given if isinstance(given, dict) else {}
        for key, item in value.items():
            where = (*path, key)
            inner = entries.get(key)
            _walk(schema, type_.values, item, where, convention, target, found, active, inner)
    elif isinstance(type_, UnionOf) and isinstance(value, dict):
        members = [schema.resolve(m) for m in type_.members]
        models = [m for m in members if isinstance(m, Model)]
        if models:
            best = max(models, key=lambda m: _fit(m, value, convention))
            _walk(schema, best, value, path, convention, target, found, active, given)
    elif isinstance(type_, Model) and isinstance(value, dict):
        marker = (id(value), type_.name)
        if marker in active:
            return
        active.add(marker)
        expected, by_words = _names(type_, convention)
        entries = given if isinstance(given, dict) else {}
        for key, item in value.items():
            field = expected.get(key)
            if field is None:
                field = by_words.get(words(key))
                if field is None or (key in entries and type_.field_named(key) is None):
                    continue
                wanted = convention.native(field.wire_name)
                # Beside the field under its own name, another spelling is a copy (an SDK
                # that also keeps the wire key among its extras): the field is named right.
                if wanted not in value and not convention.allows(key, field.wire_name):
                    found.append(
                        Divergence(
                            (*path, field.wire_name),
                            "naming",
                            Side((f"{convention.name} convention",), wanted),
                            Side((target,), key),
                            detail=f"{convention.name} name of {field.wire_name!r} is "
                            f"{wanted!r}, {target} calls it {key!r}",
                        )
                    )
            _walk(
                schema,
                field.type,
                item,
                (*path, field.wire_name),
                convention,
                target,
                found,
                active,
                entries.get(field.wire_name),
            )
        active.discard(marker)


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
