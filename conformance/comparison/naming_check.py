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
matched to the member under which the fewest keys are misnamed, then whose field names
fit best (a divergence is reported only where no member explains the keys); maps keep
their keys (they are data, not names).

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
from functools import lru_cache
from typing import Any, NamedTuple

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
    """One walk of a native view beside the schema, appending to ``found``.

    Where every key of an object is the convention's name of one of its model's fields
    (the usual case), nothing there is misnamed: the walk only goes on into the fields
    that can hold models (``_Plan.holds``), with each type's shape resolved once per
    schema (``_shape``) and each model's names once per convention (``_plan``).
    """

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
        self.shapes = _shapes(schema)
        self.plans = _PLANS.setdefault(convention.name, {})

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
        kind = type(value)
        if kind is not dict and kind is not list:
            return  # a scalar holds no names: nothing to resolve
        shape, inner_type = _shape(self.shapes, self.schema, type_)
        if shape is _ARRAY and kind is list:
            items = given if type(given) is list else []
            count = len(items)
            item_shape, item_model = _INERT, None
            plan: _Plan | None = None
            for index, item in enumerate(value):
                if type(item) is dict or type(item) is list:
                    if item_model is None:
                        item_shape, item_model = _shape(self.shapes, self.schema, inner_type)
                        if item_shape is _MODEL:
                            plan = self._plan(item_model)
                    inner = items[index] if index < count else None
                    if plan is not None and type(item) is dict:
                        if not plan.bare(item):
                            where, there = (*path, index), (*at, index)
                            self._model(item_model, item, where, there, active, inner)
                    else:
                        self.walk(inner_type, item, (*path, index), (*at, index), active, inner)
        elif shape is _MAP and kind is dict:
            entries = given if type(given) is dict else {}
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    self.walk(inner_type, item, (*path, key), (*at, key), active, entries.get(key))
        elif shape is _UNION and kind is dict:
            schema = self.schema
            members = [schema.resolve(m) for m in inner_type.members]
            models = [m for m in members if isinstance(m, Model)]
            if models:
                best = max(models, key=lambda m: self._fit(self._plan(m), value))
                self.walk(best, value, path, at, active, given)
        elif shape is _MODEL and kind is dict:
            self._model(inner_type, value, path, at, active, given)

    def _fit(self, plan: _Plan, value: dict[str, Any]) -> tuple[int, int]:
        """How well an object fits a union member: fewest keys it cannot take as named
        first (a key misnamed under it, or one it forbids: a member under which every key
        is a field's name or kept as it came may be the one the target read), then most
        keys it knows (by name or by words)."""
        unfit = known_keys = 0
        # Keys a model does not declare are kept as they came unless it forbids them.
        closed = plan.model.additional is False
        for key in value:
            if key in plan.expected:
                known_keys += 1
                continue
            field, wanted, allowed, _ = plan.spelling(key, self.convention)
            if field is not None:
                known_keys += 1
                if not allowed and wanted not in value:
                    unfit += 1
            elif closed:
                unfit += 1
        return -unfit, known_keys

    def _plan(self, model: Model) -> _Plan:
        plan = self.plans.get(id(model))
        if plan is None or plan.model is not model or plan.schema is not self.schema:
            plan = self.plans[id(model)] = _Plan.of(self.schema, model, self.convention)
        return plan

    def _union_owns(self, model: Model, wire_key: str) -> bool:
        """Whether ``wire_key`` is the tag a discriminated union gives ``model`` (an SDK
        may leave it out of the member and read it with the union, as Fern's do)."""
        # ``tag_properties`` is computed once per schema object.
        return wire_key in tag_properties(self.schema).get(model.name, ())

    def _model(
        self,
        model: Model,
        value: dict[str, Any],
        path: tuple[PathSegment, ...],
        at: NativePath,
        active: set[tuple[int, str]],
        given: Any,
    ) -> None:
        """Walk an object of ``model``, unless the walk is inside that very object already."""
        plan = self.plans.get(id(model))
        if plan is None or plan.model is not model or plan.schema is not self.schema:
            plan = self._plan(model)
        if plan.bare(value):
            return
        marker = (id(value), model.name)
        if marker in active:
            return
        active.add(marker)
        self._fields(plan, value, path, at, active, given)
        active.discard(marker)

    def _fields(
        self,
        plan: _Plan,
        value: dict[str, Any],
        path: tuple[PathSegment, ...],
        at: NativePath,
        active: set[tuple[int, str]],
        given: Any,
    ) -> None:
        convention, target, undeclared = self.convention, self.target, self.undeclared
        model, expected, holds = plan.model, plan.expected, plan.holds
        entries = given if type(given) is dict else {}
        if value.keys() <= expected.keys():
            # Every key is a field's own name here: only what can hold names is left.
            self._holders(holds, value, path, at, active, entries)
            return
        for key, item in value.items():
            field = expected.get(key)
            if field is not None:
                # The convention's own name of the field: never misnamed, so only what it
                # holds is left to walk (and nothing under a key kept as an unknown one).
                if (type(item) is dict or type(item) is list) and key in holds:
                    if undeclared and (*at, key) in undeclared:
                        continue
                    inner = entries.get(field.wire_name)
                    self.walk(field.type, item, (*path, field.wire_name), (*at, key), active, inner)
                continue
            known = plan.spellings.get(key)
            if known is None:
                known = plan.spelling(key, convention)
            field, wanted, allowed, declared = known
            if field is None or (key in entries and not declared):
                continue
            misnamed = not allowed and wanted not in value
            if undeclared and (*at, key) in undeclared:
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
                where = (*path, field.wire_name)
                self.found.append(_misnaming(where, convention.name, wanted, target, key))
            if type(item) is dict or type(item) is list:
                inner = entries.get(field.wire_name)
                self.walk(field.type, item, (*path, field.wire_name), (*at, key), active, inner)

    def _holders(
        self,
        holds: dict[str, Field],
        value: dict[str, Any],
        path: tuple[PathSegment, ...],
        at: NativePath,
        active: set[tuple[int, str]],
        entries: dict[str, Any],
    ) -> None:
        """Walk on into the values of ``value`` (an object named right) that can hold names,
        in the value's order."""
        undeclared = self.undeclared
        for key, item in value.items():
            field = holds.get(key)
            if field is None or (type(item) is not dict and type(item) is not list):
                continue
            if undeclared and (*at, key) in undeclared:
                continue
            wire_name = field.wire_name
            shape, model = _shape(self.shapes, self.schema, field.type)
            if shape is _MODEL and type(item) is dict:
                if self._plan(model).bare(item):
                    continue
                self._model(
                    model, item, (*path, wire_name), (*at, key), active, entries.get(wire_name)
                )
            else:
                self.walk(
                    field.type, item, (*path, wire_name), (*at, key), active, entries.get(wire_name)
                )


@lru_cache(maxsize=8192)
def _misnaming(
    path: tuple[PathSegment, ...], convention: str, wanted: str, target: str, key: str
) -> Divergence:
    """A misnaming at ``path`` (a value: one copy serves every case that has it)."""
    wire_name = path[-1]
    return Divergence(
        path,
        "naming",
        Side((f"{convention} convention",), wanted),
        Side((target,), key),
        detail=f"{convention} name of {wire_name!r} is {wanted!r}, {target} calls it {key!r}",
    )


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


# How ``_Walk.walk`` treats a value of a type, once the type is resolved (nullables are
# resolved through: a value that is not null walks as the inner type's).
_ARRAY, _MAP, _UNION, _MODEL, _INERT = range(5)

Shapes = dict[int, tuple[object, int, Any]]

# id(schema) -> (schema, id(type) -> (type, shape, what the shape walks into)): each type
# resolved once per schema; holding the objects keeps their ids from being reused.
_SHAPES: dict[int, tuple[Schema, Shapes]] = {}


def _shapes(schema: Schema) -> Shapes:
    """The shapes known so far of ``schema``'s types."""
    cached = _SHAPES.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _SHAPES[id(schema)] = (schema, {})
    return cached[1]


def _shape(shapes: Shapes, schema: Schema, type_: TypeRef | Model) -> tuple[int, Any]:
    """The shape of ``type_`` resolved in ``schema``, and the type (or model) it leads to."""
    known = shapes.get(id(type_))
    if known is not None and known[0] is type_:
        return known[1], known[2]
    resolved = schema.resolve(type_) if not isinstance(type_, Model) else type_
    shape: tuple[int, Any]
    if isinstance(resolved, Nullable):
        shape = _shape(shapes, schema, resolved.inner)
    elif isinstance(resolved, ArrayOf):
        shape = (_ARRAY, resolved.items)
    elif isinstance(resolved, MapOf):
        shape = (_MAP, resolved.values)
    elif isinstance(resolved, UnionOf):
        shape = (_UNION, resolved)  # members are resolved when an object meets them
    elif isinstance(resolved, Model):
        shape = (_MODEL, resolved)
    else:
        shape = (_INERT, None)
    shapes[id(type_)] = (type_, *shape)
    return shape


class _Plan(NamedTuple):
    """What the walk needs of one model in one convention, computed once."""

    model: Model
    schema: Schema
    #: The convention's name of each field -> the field.
    expected: dict[str, Field]
    #: The words of each field's wire key -> the field.
    by_words: dict[tuple[str, ...], Field]
    #: The fields whose values can hold names (a model inside), by the convention's name.
    holds: dict[str, Field]
    names: frozenset[str]
    holders: frozenset[str]
    #: The fields' wire keys.
    wire_names: frozenset[str]
    #: Keys met that are no field's own name -> what ``spelling`` says of them.
    spellings: dict[str, tuple[Field | None, str, bool, bool]]

    @classmethod
    def of(cls, schema: Schema, model: Model, convention: Convention) -> _Plan:
        expected = {convention.native(f.wire_name): f for f in model.fields}
        holds = {n: f for n, f in expected.items() if _holds_names(schema, f.type, set())}
        by_words = {words(f.wire_name): f for f in model.fields}
        wire_names = frozenset(f.wire_name for f in model.fields)
        return cls(
            model,
            schema,
            expected,
            by_words,
            holds,
            frozenset(expected),
            frozenset(holds),
            wire_names,
            {},
        )

    def spelling(self, key: str, convention: Convention) -> tuple[Field | None, str, bool, bool]:
        """For a key that is no field's own name: the field whose words it has (or None),
        that field's name in the convention, whether the convention allows the key as a
        spelling of it, and whether the key is a field's wire key. Kept per key: the same
        keys come back case after case, and finding words takes regular expressions."""
        known = self.spellings.get(key)
        if known is None:
            field = self.by_words.get(words(key))
            if field is None:
                known = (None, "", True, key in self.wire_names)
            else:
                wanted = convention.native(field.wire_name)
                allowed = key == wanted or convention.allows(key, field.wire_name)
                known = (field, wanted, allowed, key in self.wire_names)
            if len(self.spellings) < _SPELLINGS:
                self.spellings[key] = known
        return known

    def bare(self, value: dict[str, Any]) -> bool:
        """Whether an object of the model has nothing for the walk: every key is a field's
        own name, and no key holds more names."""
        return value.keys() <= self.names and (not self.holders or self.holders.isdisjoint(value))


#: Keys kept per plan by ``_Plan.spelling`` (keys of unknown fields vary without end).
_SPELLINGS = 1024

# convention -> id(model) -> its plan. Holding the model and schema keeps their ids from
# being reused, so a hit is always the same model.
_PLANS: dict[str, dict[int, _Plan]] = {}


def _holds_names(schema: Schema, type_: TypeRef | Model, seen: set[int]) -> bool:
    """Whether a value of ``type_`` can lead ``_Walk.walk`` to a model (see its branches)."""
    if id(type_) in seen:
        return False  # a cycle of arrays, maps and aliases: it reaches a model elsewhere or not
    seen.add(id(type_))
    try:
        resolved = schema.resolve(type_) if not isinstance(type_, Model) else type_
    except (ValueError, KeyError):
        return True  # the walk meets the same problem: let it
    if isinstance(resolved, Model):
        return True
    if isinstance(resolved, Nullable):
        return _holds_names(schema, resolved.inner, seen)
    if isinstance(resolved, ArrayOf):
        return _holds_names(schema, resolved.items, seen)
    if isinstance(resolved, MapOf):
        return _holds_names(schema, resolved.values, seen)
    if isinstance(resolved, UnionOf):
        try:
            return any(isinstance(schema.resolve(m), Model) for m in resolved.members)
        except (ValueError, KeyError):
            return True
    return False
