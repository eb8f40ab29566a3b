"""Which definitions have a finite valid payload, the plainest one found of each, and why not.

A definition has a finite payload when some choice leads to one: an optional
field left out (or put in, to pick a union member), a union member, an empty
array or map, ``null`` for a nullable. ``Witnesses`` finds one payload per
definition bottom-up (a least fixed point, memoized per definition), so
recursion needs no depth limit and no path: a definition gets a payload only
from payloads already found. Where a union reads none of its members' plainest
values (a ``oneOf`` whose members differ only in optional tag fields), the
members' optional fields are tried one at a time, then all together.

A definition with no payload either recurses through required fields with no
way out (``explain`` names the cycle of definitions) or holds a union that reads
none of the values tried (``explain`` names where).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from itertools import chain
from typing import Final, TypeAlias, TypeVar, cast

from conformance.schema import (
    NO_DEFAULT,
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Definition,
    Discriminator,
    EnumOf,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
    ref_names,
)
from conformance.sources.generate.checker import Checker

__all__ = ["Infinite", "NoPayload", "Witnesses", "copy_json", "leaf", "schema_order", "tagged"]


class Infinite(ValueError):
    """No finite payload down this path (a required recursion, or a union that reads none)."""


class NoPayload(ValueError):
    """A model has no finite valid payload; the message says why (the cycle of definitions)."""

    def __init__(self, model: str, reason: str) -> None:
        super().__init__(reason)
        self.model = model
        self.reason = reason


class _Missing:
    """No payload found (yet)."""


MISSING: Final = _Missing()

Found: TypeAlias = "JsonValue | _Missing"

#: One step along required references: (from definition, its field, to definition).
Step: TypeAlias = tuple[str, str, str]


def leaf(type_: Primitive | AnyValue | EnumOf | Const | ArrayOf | MapOf | Nullable) -> JsonValue:
    """The plainest value of a type that needs no definition: zero, empty, first, ``null``."""
    if isinstance(type_, Primitive):
        if type_.kind == "boolean":
            return False
        if type_.kind in ("integer", "number"):
            return 0
        if type_.format == "date-time":
            return "1970-01-01T00:00:00Z"
        return "1970-01-01" if type_.format == "date" else ""
    if isinstance(type_, AnyValue | Nullable):
        return None
    if isinstance(type_, EnumOf):
        return type_.values[0]
    if isinstance(type_, Const):
        return type_.value
    return [] if isinstance(type_, ArrayOf) else {}


def copy_json(value: JsonValue) -> JsonValue:
    """A fresh copy of a payload, so edits to it never reach the original."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


def schema_order(model: Model, value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """``value`` with ``model``'s fields in declaration order, other keys after them."""
    declared = [f.wire_name for f in model.fields if f.wire_name in value]
    return {
        **{k: value[k] for k in declared},
        **{k: v for k, v in value.items() if k not in declared},
    }


def tagged(schema: Schema, union: UnionOf, member: TypeRef, value: JsonValue) -> JsonValue:
    """A member's object with the discriminator's tag of it set, fields in schema order."""
    if union.discriminator is None or not isinstance(member, Ref) or not isinstance(value, dict):
        return value
    tags = member_tags(schema, union.discriminator, member.name)
    value = {**value, union.discriminator.property: (tags or [member.name])[0]}
    definition = schema[member.name]
    return schema_order(definition, value) if isinstance(definition, Model) else value


def member_tags(schema: Schema, discriminator: Discriminator, name: str) -> list[str]:
    """The tags a discriminator maps to member ``name`` that the member itself accepts
    (its own field may allow one value only: ``{"enum": ["text"]}``); all of them when
    the member allows none of them, so the checker, not this, says the case is invalid."""
    tags = [k for k, n in discriminator.mapping if n == name]
    definition = schema.definitions.get(name)
    if not isinstance(definition, Model):
        return tags
    for each in definition.fields:
        if each.wire_name == discriminator.property:
            allowed = _allowed(each.type)
            fitting = [t for t in tags if allowed is None or t in allowed]
            return fitting or tags
    return tags


_T = TypeVar("_T")


def _per_schema(compute: Callable[[Schema], _T]) -> Callable[[Schema], _T]:
    """``compute`` done once per schema object: a generator is made per case, and walking
    every union of a 3,000-model schema for each case was most of a scale run's time."""
    done: dict[int, tuple[weakref.ref[Schema], _T]] = {}

    def cached(schema: Schema) -> _T:
        hit = done.get(id(schema))
        if hit is not None and hit[0]() is schema:
            return hit[1]
        key = id(schema)
        value = compute(schema)
        done[key] = (weakref.ref(schema, lambda _: done.pop(key, None)), value)
        return value

    return cached


@_per_schema
def union_tags(schema: Schema) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each model a discriminated union maps tags to: its tag property and the tags it accepts.

    On the wire such a model is only ever read under those tags (any reader takes another
    tag for another member), so a payload of it drawn alone carries one of them. A model
    two unions tag by different properties is left out: no one tag fits both.
    """
    return {
        name: (prop, tuple(sorted(tags)))
        for name, by_property in _tagging(schema).items()
        if len(by_property) == 1
        for prop, tags in by_property.items()
        if tags
    }


@_per_schema
def tag_properties(schema: Schema) -> dict[str, frozenset[str]]:
    """Each model a discriminated union tags, and every property a union tags it by."""
    return {name: frozenset(by_property) for name, by_property in _tagging(schema).items()}


@_per_schema
def _tagging(schema: Schema) -> dict[str, dict[str, set[str]]]:
    """Model -> tag property -> the tags unions map to the model by that property."""
    found: dict[str, dict[str, set[str]]] = {}

    def visit(type_: TypeRef) -> None:
        if isinstance(type_, ArrayOf):
            visit(type_.items)
        elif isinstance(type_, MapOf):
            visit(type_.values)
        elif isinstance(type_, Nullable):
            visit(type_.inner)
        elif isinstance(type_, UnionOf):
            for member in type_.members:
                visit(member)
            if type_.discriminator is not None:
                prop = type_.discriminator.property
                for name in {n for _, n in type_.discriminator.mapping}:
                    tags = member_tags(schema, type_.discriminator, name)
                    found.setdefault(name, {}).setdefault(prop, set()).update(tags)

    for definition in schema.definitions.values():
        if isinstance(definition, Model):
            for each in definition.fields:
                visit(each.type)
        else:
            visit(definition.type)
    return found


def _allowed(type_: TypeRef) -> tuple[JsonValue, ...] | None:
    """The only values a closed enum or a const allows; None for anything else."""
    if isinstance(type_, EnumOf) and not type_.open:
        return type_.values
    if isinstance(type_, Const):
        return (type_.value,)
    return None


class Witnesses:
    """One finite valid payload per definition of a schema (computed once, on first use)."""

    def __init__(self, schema: Schema, checker: Checker | None = None) -> None:
        self.schema = schema
        self.checker = checker or Checker(schema)
        self._found: dict[str, JsonValue] | None = None
        self._finite: set[str] | None = None

    def value(self, type_: TypeRef) -> JsonValue:
        """A finite valid payload of ``type_`` (a fresh copy); ``Infinite`` when there is none."""
        found = self._build(type_, self._table())
        if isinstance(found, _Missing):
            raise Infinite(self.explain_type(type_))
        return copy_json(found)

    def has(self, name: str) -> bool:
        """Whether definition ``name`` has a finite valid payload."""
        return name in self._table()

    # -- the table ---------------------------------------------------------------------

    def _table(self) -> dict[str, JsonValue]:
        if self._found is None:
            found: dict[str, JsonValue] = {}
            order = _dependencies_first(self.schema)
            grew = True
            while grew:
                grew = False
                for name in order:
                    if name in found:
                        continue
                    value = self._definition(self.schema[name], found)
                    if not isinstance(value, _Missing):
                        found[name] = value
                        grew = True
            self._found = found
        return self._found

    def _definition(self, definition: Definition, found: dict[str, JsonValue]) -> Found:
        if isinstance(definition, Alias):
            return self._build(definition.type, found)
        return self._object(definition, found, ())

    def _build(self, type_: TypeRef, found: dict[str, JsonValue]) -> Found:
        """A payload of ``type_`` made of the payloads ``found`` so far (shared, not copied)."""
        if isinstance(type_, Ref):
            return found.get(type_.name, MISSING)
        if isinstance(type_, UnionOf):
            return self._union(type_, found)
        return leaf(type_)

    def _object(self, model: Model, found: dict[str, JsonValue], extra: tuple[str, ...]) -> Found:
        """Required fields, plus the optional fields named in ``extra``, in schema order."""
        out: dict[str, JsonValue] = {}
        for each in model.fields:
            if not each.required and each.wire_name not in extra:
                continue
            value = (
                self._build(each.type, found)
                if each.required
                else self._optional(each.type, each.default, found)
            )
            if isinstance(value, _Missing):
                return MISSING
            out[each.wire_name] = value
        return out

    def _optional(self, type_: TypeRef, default: object, found: dict[str, JsonValue]) -> Found:
        """An optional field's value: its default where valid (a tag's usual value), else plain."""
        if default is not NO_DEFAULT and self.checker.accepts(type_, default):
            return cast(JsonValue, default)
        return self._build(type_, found)

    def _union(self, union: UnionOf, found: dict[str, JsonValue]) -> Found:
        """The first member value the union reads: plainest values first, then with optionals."""
        plain = [(member, self._build(member, found)) for member in union.members]
        with_optionals = (
            (member, variant)
            for member in union.members
            for variant in self._variants(member, found)
        )
        for member, value in chain(plain, with_optionals):
            if isinstance(value, _Missing):
                continue
            value = tagged(self.schema, union, member, value)
            if self.checker.member(union, value) is not None:
                return value
        return MISSING

    def _variants(self, member: TypeRef, found: dict[str, JsonValue]) -> Iterator[Found]:
        """A member model's required fields with each optional field, then with all of them."""
        definition = self._model(member)
        if definition is None:
            return
        optional = [f.wire_name for f in definition.fields if not f.required]
        for name in optional:
            yield self._object(definition, found, (name,))
        if len(optional) > 1:
            usable = tuple(
                f.wire_name
                for f in definition.fields
                if not f.required
                and not isinstance(self._optional(f.type, f.default, found), _Missing)
            )
            yield self._object(definition, found, usable)

    def _model(self, type_: TypeRef) -> Model | None:
        if isinstance(type_, Ref):
            definition = self.schema.definitions.get(type_.name)
            if isinstance(definition, Model):
                return definition
        return None

    # -- why not -----------------------------------------------------------------------

    def explain(self, name: str) -> str:
        """Why definition ``name`` has no finite valid payload, naming the definitions involved."""
        finite = self._structurally_finite()
        if name not in finite:
            return _cycle_text(name, self._cycle(name, finite), self.schema)
        where = self._blocked_union(name, finite)
        return (
            f"{name!r} has no valid payload the generator can build: the union at {where} "
            "reads none of its members' plainest values (with or without their optional "
            "fields; they fit several members, or none)"
        )

    def explain_type(self, type_: TypeRef) -> str:
        """``explain`` for a type: through the first definition without a payload in it."""
        for name in ref_names(type_):
            if name in self.schema and not self.has(name):
                return self.explain(name)
        return f"no value of {type_!r} is read by it"

    def _structurally_finite(self) -> set[str]:
        """Definitions with some finite payload, union acceptance aside."""
        if self._finite is None:
            finite: set[str] = set()
            order = _dependencies_first(self.schema)
            grew = True
            while grew:
                grew = False
                for name in order:
                    if name not in finite and self._blocking(self.schema[name], finite) is None:
                        finite.add(name)
                        grew = True
            self._finite = finite
        return self._finite

    def _blocking(self, definition: Definition, finite: set[str]) -> Step | None:
        """The first required reference of ``definition`` to one with no finite payload."""
        if isinstance(definition, Alias):
            blocker = _infinite_ref(definition.type, finite)
            return None if blocker is None else (definition.name, "", blocker)
        for each in definition.fields:
            if each.required:
                blocker = _infinite_ref(each.type, finite)
                if blocker is not None:
                    return definition.name, each.wire_name, blocker
        return None

    def _cycle(self, name: str, finite: set[str]) -> list[Step]:
        """The steps from ``name`` along required references until a definition repeats."""
        steps: list[Step] = []
        seen = {name}
        current = name
        while current in self.schema:
            step = self._blocking(self.schema[current], finite)
            if step is None:  # pragma: no cover - every definition outside ``finite`` has one
                break
            steps.append(step)
            if step[2] in seen:
                break
            seen.add(step[2])
            current = step[2]
        return steps

    def _blocked_union(self, name: str, finite: set[str]) -> str:
        """Where under ``name``'s required fields the union that reads none of its values is."""
        table = self._table()
        current, seen, where = name, set(), name
        while current not in seen:
            seen.add(current)
            definition = self.schema[current]
            types = (
                [(current, definition.type)]
                if isinstance(definition, Alias)
                else [(f"{current}.{f.wire_name}", f.type) for f in definition.fields if f.required]
            )
            blocked = [(w, t) for w, t in types if isinstance(self._build(t, table), _Missing)]
            if not blocked:
                break
            where, type_ = blocked[0]
            deeper = [r for r in ref_names(type_) if r in finite and r not in table]
            if not deeper:
                break
            current = deeper[0]
        return where


def _infinite_ref(type_: TypeRef, finite: set[str]) -> str | None:
    """A definition that every value of ``type_`` needs and that has no finite payload."""
    if isinstance(type_, Ref):
        return None if type_.name in finite else type_.name
    if isinstance(type_, UnionOf):
        blockers = [_infinite_ref(m, finite) for m in type_.members]
        if all(b is not None for b in blockers) and blockers:
            return blockers[0]
    return None


def _dependencies_first(schema: Schema) -> list[str]:
    """Definition names, each after the definitions it mentions (cycles broken anywhere)."""
    order: list[str] = []
    state: dict[str, bool] = {}  # False: being visited; True: done
    for root in schema.definitions:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, _mentions(schema, root))]
        state[root] = False
        while stack:
            name, pending = stack[-1]
            nxt = next((n for n in pending if n in schema and n not in state), None)
            if nxt is None:
                stack.pop()
                state[name] = True
                order.append(name)
            else:
                state[nxt] = False
                stack.append((nxt, _mentions(schema, nxt)))
    return order


def _mentions(schema: Schema, name: str) -> Iterator[str]:
    definition = schema[name]
    if isinstance(definition, Alias):
        yield from ref_names(definition.type)
        return
    for each in definition.fields:
        yield from ref_names(each.type)


def _step_text(step: Step) -> str:
    source, field, _ = step
    return f"{source}.{field}" if field else source


def _cycle_text(name: str, steps: list[Step], schema: Schema) -> str:
    """``'A' has no finite payload: ...`` naming the cycle of required references."""
    if not steps:
        return f"{name!r} has no finite payload"
    last = steps[-1][2]
    path = " → ".join(_step_text(step) for step in steps)
    if last not in schema:
        return (
            f"{name!r} has no finite payload: it needs {last!r}, which the schema does not "
            f"define ({path} → {last})"
        )
    start = next(i for i, step in enumerate(steps) if step[0] == last)
    cycle = " → ".join(_step_text(step) for step in steps[start:]) + f" → {last}"
    if start == 0:
        return (
            f"{name!r} has no finite payload: every payload of it holds another one through "
            f"the required references {cycle}"
        )
    lead = " → ".join(_step_text(step) for step in steps[:start]) + f" → {last}"
    return (
        f"{name!r} has no finite payload: it needs {last!r} ({lead}), and every payload of "
        f"{last!r} holds another one through the required references {cycle}"
    )
