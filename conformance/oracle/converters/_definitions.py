"""Hooks for named definitions: the generated attrs classes (models) and aliases.

A model's object is read key by key in the convention's names (wire names for
the wire converter), in schema order. A key that was absent stays absent
(``ABSENT``) and ``null`` stays ``None``. Keys the model does not declare are
kept in the instance's extras: checked against the model's additional-properties
type when it has one, refused when it forbids them, and otherwise counted on the
converter's ``Oracle`` so that callers can report them. Written back, extras
follow the declared fields and must not collide with a field's name.

Hooks are prepared on first use, so models and aliases may refer to themselves. A
class's hooks are code written for that class (``_codegen``) on first use; a field of an
alias type calls the aliased type's hook (an alias's hook does nothing else), and a caller
holding a class hook calls its written function (``direct``), each one call less per value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast

import attrs
import cattrs

from conformance.core.conventions import unique_names
from conformance.oracle.converters._codegen import (
    Reading,
    Writing,
    compiled,
    reader_source,
    writer_source,
)
from conformance.oracle.converters._core import (
    ACCEPTS,
    COMPILED,
    FORWARDS,
    KNOWN_STRINGS,
    NULLABLE,
    Oracle,
    StructureError,
    StructureHook,
    UnstructureHook,
    ViewCollision,
    direct,
    expected,
    identity,
)
from conformance.oracle.converters._primitives import AS_IS
from conformance.oracle.models import ABSENT, EXTRAS, AliasType, field_info, schema_fields
from conformance.schema import Model

__all__ = [
    "alias_structure_factory",
    "alias_unstructure_factory",
    "class_structure_factory",
    "class_unstructure_factory",
]


class _Planned(NamedTuple):
    """One field of a model: its key in the convention, attribute, required flag, type."""

    key: str
    attribute: str
    required: bool
    type: Any


def _plan(oracle: Oracle, cls: type) -> tuple[Model, list[_Planned]]:
    """The model behind ``cls`` and its fields in schema order."""
    model = oracle.models.schema[cls.__name__]
    assert isinstance(model, Model)
    wire_keys = [f.wire_name for f in model.fields]
    if oracle.convention == "wire":
        keys = {k: k for k in wire_keys}
    else:
        keys = unique_names(wire_keys, oracle.names)
    by_wire = {field_info(a).wire_name: a for a in schema_fields(cls)}
    plan = []
    for each in model.fields:
        attribute = by_wire[each.wire_name]
        plan.append(_Planned(keys[each.wire_name], attribute.name, each.required, attribute.type))
    return model, plan


def _reading(converter: cattrs.Converter, type_: Any) -> tuple[Any, StructureHook]:
    """The type whose hook reads a field of ``type_``, and that hook: through this package's
    alias hooks, which only call it (a cycle of them is left as it is)."""
    hook = converter.get_structure_hook(type_)
    seen: set[Any] = set()
    while hook in FORWARDS and hook not in seen:
        seen.add(hook)
        type_ = FORWARDS[hook]
        hook = converter.get_structure_hook(type_)
    return type_, hook


_NONE: frozenset[type] = frozenset({type(None)})


def _as_is(converter: cattrs.Converter, hook: StructureHook) -> frozenset[type]:
    """The value types ``hook`` returns unchanged, whatever the value."""
    known = AS_IS.get(hook)
    if known is not None:
        return known
    if hook in NULLABLE:
        return _NONE | _as_is(converter, _reading(converter, NULLABLE[hook])[1])
    return frozenset()


def _writing(converter: cattrs.Converter, type_: Any) -> UnstructureHook | None:
    """The hook that writes a field of ``type_`` (through alias hooks), or None when it
    writes every value unchanged (``identity``, or a nullable of such a type)."""
    hook = converter.get_unstructure_hook(type_)
    seen: set[Any] = set()
    while hook in FORWARDS and hook not in seen:
        seen.add(hook)
        hook = converter.get_unstructure_hook(FORWARDS[hook])
    if hook is identity or (hook in NULLABLE and _writing(converter, NULLABLE[hook]) is None):
        return None
    return hook


def class_structure_factory(
    oracle: Oracle, cls: type, converter: cattrs.Converter
) -> StructureHook:
    """An instance of a generated class from a JSON object in the convention's names."""
    state: list[StructureHook] = []

    def read() -> StructureHook:
        if not state:
            function = _read_function(oracle, cls, converter)
            ACCEPTS[function] = frozenset({dict})
            state.append(function)
        return state[0]

    def hook(value: Any, _: Any) -> Any:
        return (state[0] if state else read())(value, _)

    ACCEPTS[hook] = frozenset({dict})
    COMPILED[hook] = read
    return hook


def _read_function(oracle: Oracle, cls: type, converter: cattrs.Converter) -> StructureHook:
    """The generated function that reads objects of ``cls`` (``_codegen``)."""
    model, plan = _plan(oracle, cls)
    fields = []
    for key, attribute, required, declared in plan:
        type_, hook = _reading(converter, declared)
        # (not .get: a weak-key lookup fails on a hook that takes no weak reference)
        strings = KNOWN_STRINGS[hook] if hook in KNOWN_STRINGS else frozenset()  # noqa: SIM401
        as_is = _as_is(converter, hook)
        fields.append(Reading(key, attribute, required, type_, hook, as_is, strings))
    additional = model.additional
    extra_type = None
    if additional is not None and additional is not False:
        extra_type = oracle.models.python_type(additional)
    namespace: dict[str, Any] = {
        "expected": expected,
        "StructureError": StructureError,
        "ABSENT": ABSENT,
        "cls": cls,
        "label": f"object ({cls.__name__})",
        "known": {each.key for each in plan},
        "oracle": oracle,
        "converter": converter,
        "extra_type": extra_type,
    }
    slots = _slot_setters(cls, [each.attribute for each in plan])
    if slots is not None:
        *setters, namespace["ax"] = slots
        namespace["setters"] = setters
        namespace["new"] = object.__new__
    lines = reader_source(fields, additional, extra_type is not None, namespace)
    return cast(StructureHook, compiled("read", lines, namespace))


def _slot_setters(cls: type, attributes: list[str]) -> list[Any] | None:
    """The setters of ``cls``'s slots for ``attributes`` then the extras, where its
    ``__init__`` does nothing but set them (no validator, converter, on-setattr hook or
    post-init, a default only for the extras): None otherwise."""
    fields = attrs.fields(cls)
    plain = (
        all(a.validator is None and a.converter is None and a.init for a in fields)
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
        and {a.name for a in fields} == {*attributes, EXTRAS}
    )
    if not plain:
        return None
    # No slot besides these (attrs adds one to cache a hash) that __init__ would also set.
    if set(getattr(cls, "__slots__", ())) - {"__weakref__"} != {*attributes, EXTRAS}:
        return None
    slots: list[Any] = [cls.__dict__.get(name) for name in (*attributes, EXTRAS)]
    if not all(type(slot).__name__ == "member_descriptor" for slot in slots):
        return None
    return [slot.__set__ for slot in slots]


def class_unstructure_factory(
    oracle: Oracle, cls: type, converter: cattrs.Converter
) -> UnstructureHook:
    """A JSON object in the convention's names: the fields that are present, then the extras."""
    state: list[Callable[[Any], dict[str, Any]]] = []

    def write() -> Callable[[Any], dict[str, Any]]:
        if not state:
            _, plan = _plan(oracle, cls)
            fields = [Writing(k, a, _writing(converter, t)) for k, a, _, t in plan]
            namespace: dict[str, Any] = {
                "ABSENT": ABSENT,
                "ViewCollision": ViewCollision,
                "known": {each.key for each in plan},
                "oracle": oracle,
                "converter": converter,
            }
            state.append(compiled("write", writer_source(fields, namespace), namespace))
        return state[0]

    def hook(instance: Any) -> dict[str, Any]:
        return (state[0] if state else write())(instance)

    COMPILED[hook] = write
    return hook


def alias_structure_factory(
    oracle: Oracle, type_: type[AliasType], converter: cattrs.Converter
) -> StructureHook:
    """A value of the type the alias names (resolved on first use, so it may be recursive)."""
    resolved: list[tuple[StructureHook, Any]] = []

    def hook(value: Any, _: Any) -> Any:
        if not resolved:
            target = oracle.models.alias_target(type_)
            resolved.append((direct(converter.get_structure_hook(target)), target))
        inner, target = resolved[0]
        return inner(value, target)

    FORWARDS[hook] = oracle.models.alias_target(type_)
    return hook


def alias_unstructure_factory(
    oracle: Oracle, type_: type[AliasType], converter: cattrs.Converter
) -> UnstructureHook:
    """A value written as the type the alias names writes it."""
    resolved: list[UnstructureHook] = []

    def hook(value: Any) -> Any:
        if not resolved:
            target = oracle.models.alias_target(type_)
            resolved.append(direct(converter.get_unstructure_hook(target)))
        return resolved[0](value)

    FORWARDS[hook] = oracle.models.alias_target(type_)
    return hook
