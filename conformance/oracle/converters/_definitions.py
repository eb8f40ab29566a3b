"""Hooks for named definitions: the generated attrs classes (models) and aliases.

A model's object is read key by key in the convention's names (wire names for
the wire converter), in schema order. A key that was absent stays absent
(``ABSENT``) and ``null`` stays ``None``. Keys the model does not declare are
kept in the instance's extras: checked against the model's additional-properties
type when it has one, refused when it forbids them, and otherwise counted on the
converter's ``Oracle`` so that callers can report them. Written back, extras
follow the declared fields and must not collide with a field's name.

Hooks are prepared on first use, so models and aliases may refer to themselves.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import cattrs

from conformance.core.conventions import unique_names
from conformance.oracle.converters._core import (
    Oracle,
    StructureError,
    StructureHook,
    UnstructureHook,
    ViewCollision,
    expected,
)
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


class _Reader(NamedTuple):
    """What reading one model's objects needs, prepared on first use."""

    entries: list[tuple[str, str, bool, Any, StructureHook]]
    known: set[str]
    additional: Any
    extra_type: Any


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


def _reader(oracle: Oracle, cls: type, converter: cattrs.Converter) -> _Reader:
    model, plan = _plan(oracle, cls)
    entries = [(k, a, r, t, converter.get_structure_hook(t)) for k, a, r, t in plan]
    additional = model.additional
    extra_type = None
    if additional is not None and additional is not False:
        extra_type = oracle.models.python_type(additional)
    return _Reader(entries, {each.key for each in plan}, additional, extra_type)


def class_structure_factory(
    oracle: Oracle, cls: type, converter: cattrs.Converter
) -> StructureHook:
    """An instance of a generated class from a JSON object in the convention's names."""
    state: list[_Reader] = []

    def hook(value: Any, _: Any) -> Any:
        if not state:
            state.append(_reader(oracle, cls, converter))
        entries, known, additional, extra_type = state[0]
        if type(value) is not dict:
            raise expected(f"object ({cls.__name__})", value)
        kwargs: dict[str, Any] = {}
        matched = 0
        for key, attribute, required, type_, field_hook in entries:
            if key in value:
                matched += 1
                try:
                    kwargs[attribute] = field_hook(value[key], type_)
                except StructureError as error:
                    error.path.insert(0, key)
                    raise
            elif required:
                raise StructureError("required field missing", [key])
        if matched < len(value):
            extras = {k: v for k, v in value.items() if k not in known}
            if additional is False:
                key = next(iter(extras))
                raise StructureError(f"unknown key {key!r} (the schema forbids extra keys)")
            if extra_type is None:
                oracle.unknown.count += len(extras)
            else:  # read here, not in a helper, so nested extras cost the stack that fields do
                extra_hook = converter.get_structure_hook(extra_type)
                for key, item in extras.items():
                    try:
                        extras[key] = extra_hook(item, extra_type)
                    except StructureError as error:
                        error.path.insert(0, key)
                        raise
            kwargs[EXTRAS] = extras
        return cls(**kwargs)

    return hook


def class_unstructure_factory(
    oracle: Oracle, cls: type, converter: cattrs.Converter
) -> UnstructureHook:
    """A JSON object in the convention's names: the fields that are present, then the extras."""
    state: list[list[tuple[str, str, UnstructureHook]]] = []

    def hook(instance: Any) -> dict[str, Any]:
        if not state:
            _, plan = _plan(oracle, cls)
            state.append([(k, a, converter.get_unstructure_hook(t)) for k, a, _, t in plan])
        entries = state[0]
        out: dict[str, Any] = {}
        for key, attribute, field_hook in entries:
            value = getattr(instance, attribute)
            if value is not ABSENT:
                out[key] = field_hook(value)
        extras = getattr(instance, EXTRAS)
        if extras:
            for key, value in extras.items():
                if key in out or any(key == known for known, _, _ in entries):
                    raise ViewCollision(
                        f"unknown key {key!r} collides with the {oracle.convention} name"
                        " of a field",
                        [key],
                    )
                out[key] = converter.unstructure(value)
        return out

    return hook


def alias_structure_factory(
    oracle: Oracle, type_: type[AliasType], converter: cattrs.Converter
) -> StructureHook:
    """A value of the type the alias names (resolved on first use, so it may be recursive)."""
    resolved: list[tuple[StructureHook, Any]] = []

    def hook(value: Any, _: Any) -> Any:
        if not resolved:
            target = oracle.models.alias_target(type_)
            resolved.append((converter.get_structure_hook(target), target))
        inner, target = resolved[0]
        return inner(value, target)

    return hook


def alias_unstructure_factory(
    oracle: Oracle, type_: type[AliasType], converter: cattrs.Converter
) -> UnstructureHook:
    """A value written as the type the alias names writes it."""
    resolved: list[UnstructureHook] = []

    def hook(value: Any) -> Any:
        if not resolved:
            resolved.append(converter.get_unstructure_hook(oracle.models.alias_target(type_)))
        return resolved[0](value)

    return hook
