"""The one cattrs converter factory of the reference targets.

``make_converter(models, convention)`` returns a fresh ``cattrs.Converter``
configured for one naming convention: ``wire`` reads and writes wire JSON,
``python`` and ``typescript`` read and write the *native view* (the same data
under that language's field names). Every hook comes from a factory applied to
a whole family of types (every generated attrs class, every marker type, every
``list[T]``/``dict[str, T]``), never from the global converter.

What cattrs would do by default is wrong for a conformance oracle, so the hooks
are strict: ``"7"`` is not an integer, ``42`` is not a string, ``"false"`` and
``0`` are not booleans, a string is not a list. A key that was absent stays
absent (``ABSENT``) and ``null`` stays ``None``. Unknown keys are kept (in the
instance's extras) and counted, so callers can report them. Errors are
``StructureError`` with the path in the convention's names (wire names for the
wire converter): ``required field missing @ $.choices[0].index``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, get_args, get_origin

import cattrs

from conformance.core import jsonwire
from conformance.core.conventions import get_convention, unique_names
from conformance.core.divergence import PathSegment, path_text
from conformance.core.formats import is_date, is_date_time, value_key
from conformance.oracle.models import (
    ABSENT,
    EXTRAS,
    AliasType,
    ConstType,
    DateTimeType,
    DateType,
    EnumType,
    IntegerType,
    ModelSet,
    NullableType,
    NumberType,
    UnionType,
    field_info,
    schema_fields,
)
from conformance.schema import Model

__all__ = ["StructureError", "describe", "make_converter", "unknown_key_count"]

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]


class StructureError(Exception):
    """A value does not fit its schema type; ``path`` leads to it from the root."""

    def __init__(self, message: str, path: list[PathSegment] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[PathSegment] = path if path is not None else []

    def __str__(self) -> str:
        return f"{self.message} @ {path_text(tuple(self.path))}"


def describe(value: object) -> str:
    """A short description of a JSON value for error messages: ``string '7'``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if jsonwire.is_number(value):
        return f"number {jsonwire.token(value)}"  # type: ignore[arg-type]
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


class _Counter:
    """How many unknown keys the converters have met; read before and after a call."""

    value = 0


def unknown_key_count() -> int:
    """A running count of unknown keys seen while structuring (for cheap reporting)."""
    return _Counter.value


def _expect(label: str, value: object) -> StructureError:
    return StructureError(f"expected {label}, got {describe(value)}")


# Primitive hooks: exact JSON types only.


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise _expect("string", value)


def _structure_int(value: Any, _: Any) -> Any:
    if type(value) is int:
        return value
    # JSON Schema: 1.0 is an integer. The token is kept so the wire round trip is exact.
    if type(value) is Decimal and value.is_finite() and value == value.to_integral_value():
        return value
    raise _expect("integer", value)


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise _expect("boolean", value)


def _structure_number(value: Any, _: Any) -> Any:
    if type(value) in (int, Decimal, float):
        return value
    raise _expect("number", value)


def _structure_any(value: Any, _: Any) -> Any:
    return value


def _structure_date_time(value: Any, _: Any) -> str:
    if type(value) is not str:
        raise _expect("date-time string", value)
    if not is_date_time(value):
        raise StructureError(f"expected an RFC 3339 date-time, got {describe(value)}")
    return value


def _structure_date(value: Any, _: Any) -> str:
    if type(value) is not str:
        raise _expect("date string", value)
    if not is_date(value):
        raise StructureError(f"expected an RFC 3339 full-date, got {describe(value)}")
    return value


def _identity(value: Any) -> Any:
    return value


def _is_marker(base: type) -> Callable[[Any], bool]:
    return lambda t: isinstance(t, type) and issubclass(t, base)


def _origin_is(origin: type) -> Callable[[Any], bool]:
    return lambda t: get_origin(t) is origin


def make_converter(models: ModelSet, convention: str = "wire") -> cattrs.Converter:
    """A fresh converter between JSON values in ``convention``'s names and ``models``' classes."""
    names = get_convention(convention)
    converter = cattrs.Converter()
    classes = set(models.classes.values())

    def structure_hook(type_: Any) -> StructureHook:
        return converter.get_structure_hook(type_)

    def unstructure_hook(type_: Any) -> UnstructureHook:
        return converter.get_unstructure_hook(type_)

    for primitive, hook in (
        (str, _structure_str),
        (int, _structure_int),
        (bool, _structure_bool),
        (NumberType, _structure_number),
        (DateTimeType, _structure_date_time),
        (DateType, _structure_date),
    ):
        converter.register_structure_hook(primitive, hook)
        converter.register_unstructure_hook(primitive, _identity)
    converter.register_structure_hook_func(lambda t: t is Any, _structure_any)
    converter.register_unstructure_hook_func(lambda t: t is Any, _identity)

    def integer_factory(type_: type[IntegerType]) -> StructureHook:
        low, high = type_.bounds or (0, 0)

        def hook(value: Any, _: Any) -> Any:
            number = _structure_int(value, None)
            if not low <= number <= high:
                raise StructureError(f"{jsonwire.token(number)} is out of {type_.label} range")
            return number

        return hook

    def choice_factory(type_: type[EnumType] | type[ConstType]) -> StructureHook:
        spec = type_.spec
        values = spec.values if issubclass(type_, EnumType) else (spec.value,)
        allowed = {value_key(v) for v in values}
        shown = ", ".join(jsonwire.dumps(v) for v in values)

        def hook(value: Any, _: Any) -> Any:
            if value_key(value) in allowed:
                return value
            raise StructureError(f"expected one of {shown}, got {describe(value)}")

        return hook

    def nullable_factory(type_: type[NullableType]) -> StructureHook:
        inner = type_.inner
        resolved: list[StructureHook] = []

        def hook(value: Any, _: Any) -> Any:
            if value is None:
                return None
            if not resolved:
                resolved.append(structure_hook(inner))
            return resolved[0](value, inner)

        return hook

    def nullable_unstructure_factory(type_: type[NullableType]) -> UnstructureHook:
        inner = type_.inner
        resolved: list[UnstructureHook] = []

        def hook(value: Any) -> Any:
            if value is None:
                return None
            if not resolved:
                resolved.append(unstructure_hook(inner))
            return resolved[0](value)

        return hook

    def alias_factory(type_: type[AliasType]) -> StructureHook:
        resolved: list[tuple[StructureHook, Any]] = []

        def hook(value: Any, _: Any) -> Any:
            if not resolved:
                target = models.alias_target(type_)
                resolved.append((structure_hook(target), target))
            inner, target = resolved[0]
            return inner(value, target)

        return hook

    def alias_unstructure_factory(type_: type[AliasType]) -> UnstructureHook:
        resolved: list[UnstructureHook] = []

        def hook(value: Any) -> Any:
            if not resolved:
                resolved.append(unstructure_hook(models.alias_target(type_)))
            return resolved[0](value)

        return hook

    def union_factory(type_: type[UnionType]) -> StructureHook:
        spec = type_.spec
        members = type_.members
        hooks: list[StructureHook] = []
        discriminator = spec.discriminator
        by_name = {m.__name__: m for m in members if m in classes}
        tag_key = names.native(discriminator.property) if discriminator is not None else ""

        def member_hooks() -> list[StructureHook]:
            if not hooks:
                hooks.extend(structure_hook(m) for m in members)
            return hooks

        def hook(value: Any, _: Any) -> Any:
            if discriminator is not None and type(value) is dict:
                tag = value.get(tag_key, ABSENT)
                if type(tag) is str:
                    name = discriminator.member_for(tag) or tag
                    member = by_name.get(name)
                    if member is not None:
                        return structure_hook(member)(value, member)
                raise StructureError(
                    f"discriminator {discriminator.property!r} is "
                    f"{'absent' if tag is ABSENT else describe(tag)}; expected one of "
                    + ", ".join(repr(k) for k, _ in discriminator.mapping or by_name.items()),
                    [tag_key],
                )
            fits: list[Any] = []
            exact: list[Any] = []
            failures: list[str] = []
            for member, member_hook in zip(members, member_hooks(), strict=True):
                try:
                    instance = member_hook(value, member)
                except StructureError as error:
                    failures.append(f"{getattr(member, '__name__', member)}: {error}")
                    continue
                fits.append(instance)
                if not getattr(instance, EXTRAS, None):
                    exact.append(instance)
                    if spec.mode == "anyOf":
                        return instance
            if spec.mode == "anyOf" and fits:
                return fits[0]
            if len(exact) == 1:
                return exact[0]
            if len(fits) == 1 and not exact:
                return fits[0]
            if not fits:
                raise StructureError(
                    f"{describe(value)} matches no member of {spec.mode}: " + "; ".join(failures)
                )
            raise StructureError(
                f"{describe(value)} matches {len(exact) or len(fits)} members of oneOf"
                " (exactly one must match)"
            )

        return hook

    def union_unstructure_factory(type_: type[UnionType]) -> UnstructureHook:
        return converter.unstructure

    def list_factory(type_: Any) -> StructureHook:
        (item_type,) = get_args(type_) or (Any,)
        resolved: list[StructureHook] = []

        def hook(value: Any, _: Any) -> list[Any]:
            if type(value) is not list:
                raise _expect("array", value)
            if not resolved:
                resolved.append(structure_hook(item_type))
            item_hook = resolved[0]
            out = []
            for index, item in enumerate(value):
                try:
                    out.append(item_hook(item, item_type))
                except StructureError as error:
                    error.path.insert(0, index)
                    raise
            return out

        return hook

    def list_unstructure_factory(type_: Any) -> UnstructureHook:
        (item_type,) = get_args(type_) or (Any,)
        resolved: list[UnstructureHook] = []

        def hook(value: list[Any]) -> list[Any]:
            if not resolved:
                resolved.append(unstructure_hook(item_type))
            item_hook = resolved[0]
            if item_hook is _identity:
                return list(value)
            return [item_hook(item) for item in value]

        return hook

    def dict_factory(type_: Any) -> StructureHook:
        args = get_args(type_)
        value_type = args[1] if len(args) == 2 else Any
        resolved: list[StructureHook] = []

        def hook(value: Any, _: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise _expect("object", value)
            if not resolved:
                resolved.append(structure_hook(value_type))
            value_hook = resolved[0]
            out = {}
            for key, item in value.items():
                try:
                    out[key] = value_hook(item, value_type)
                except StructureError as error:
                    error.path.insert(0, key)
                    raise
            return out

        return hook

    def dict_unstructure_factory(type_: Any) -> UnstructureHook:
        args = get_args(type_)
        value_type = args[1] if len(args) == 2 else Any
        resolved: list[UnstructureHook] = []

        def hook(value: dict[str, Any]) -> dict[str, Any]:
            if not resolved:
                resolved.append(unstructure_hook(value_type))
            value_hook = resolved[0]
            if value_hook is _identity:
                return dict(value)
            return {key: value_hook(item) for key, item in value.items()}

        return hook

    def class_plan(cls: type) -> tuple[Model, list[tuple[str, str, bool, Any]]]:
        """(model, [(key in this convention, attribute, required, type)] in schema order)."""
        model = models.schema[cls.__name__]
        assert isinstance(model, Model)
        wire_keys = [f.wire_name for f in model.fields]
        keys = unique_names(wire_keys, names) if convention != "wire" else {k: k for k in wire_keys}
        by_wire = {field_info(a).wire_name: a for a in schema_fields(cls)}
        plan = []
        for each in model.fields:
            attribute = by_wire[each.wire_name]
            plan.append((keys[each.wire_name], attribute.name, each.required, attribute.type))
        return model, plan

    def class_factory(cls: type) -> StructureHook:
        state: list[Any] = []

        def prepare() -> list[Any]:
            model, plan = class_plan(cls)
            entries = [(k, a, r, t, structure_hook(t)) for k, a, r, t in plan]
            known = {k for k, *_ in plan}
            additional = model.additional
            extra_type = None
            if additional is not None and additional is not False:
                extra_type = models.python_type(additional)
            state.extend((entries, known, additional, extra_type))
            return state

        def hook(value: Any, _: Any) -> Any:
            entries, known, additional, extra_type = state or prepare()
            if type(value) is not dict:
                raise _expect(f"object ({cls.__name__})", value)
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
                    raise StructureError(
                        f"unknown key {next(iter(extras))!r} (the schema forbids extra keys)",
                    )
                if extra_type is not None:
                    extra_hook = structure_hook(extra_type)
                    for key, item in extras.items():
                        try:
                            extras[key] = extra_hook(item, extra_type)
                        except StructureError as error:
                            error.path.insert(0, key)
                            raise
                else:
                    _Counter.value += len(extras)
                kwargs[EXTRAS] = extras
            return cls(**kwargs)

        return hook

    def class_unstructure_factory(cls: type) -> UnstructureHook:
        state: list[Any] = []

        def prepare() -> list[Any]:
            _, plan = class_plan(cls)
            state.append([(k, a, unstructure_hook(t)) for k, a, _, t in plan])
            return state

        def hook(instance: Any) -> dict[str, Any]:
            (entries,) = state or prepare()
            out: dict[str, Any] = {}
            for key, attribute, field_hook in entries:
                value = getattr(instance, attribute)
                if value is not ABSENT:
                    out[key] = field_hook(value)
            extras = getattr(instance, EXTRAS)
            if extras:
                for key, value in extras.items():
                    if key in out or any(key == known for known, _, _ in entries):
                        raise StructureError(
                            f"unknown key {key!r} collides with the {convention} name of a field",
                            [key],
                        )
                    out[key] = converter.unstructure(value)
            return out

        return hook

    is_generated = classes.__contains__
    converter.register_structure_hook_factory(_is_marker(IntegerType), integer_factory)
    converter.register_structure_hook_factory(
        lambda t: _is_marker(EnumType)(t) or _is_marker(ConstType)(t), choice_factory
    )
    converter.register_structure_hook_factory(_is_marker(NullableType), nullable_factory)
    converter.register_structure_hook_factory(_is_marker(AliasType), alias_factory)
    converter.register_structure_hook_factory(_is_marker(UnionType), union_factory)
    converter.register_structure_hook_factory(_origin_is(list), list_factory)
    converter.register_structure_hook_factory(_origin_is(dict), dict_factory)
    converter.register_structure_hook_factory(is_generated, class_factory)

    scalar_markers = (IntegerType, EnumType, ConstType)
    converter.register_unstructure_hook_func(
        lambda t: any(_is_marker(m)(t) for m in scalar_markers), _identity
    )
    converter.register_unstructure_hook_factory(
        _is_marker(NullableType), nullable_unstructure_factory
    )
    converter.register_unstructure_hook_factory(_is_marker(AliasType), alias_unstructure_factory)
    converter.register_unstructure_hook_factory(_is_marker(UnionType), union_unstructure_factory)
    converter.register_unstructure_hook_factory(_origin_is(list), list_unstructure_factory)
    converter.register_unstructure_hook_factory(_origin_is(dict), dict_unstructure_factory)
    converter.register_unstructure_hook_factory(is_generated, class_unstructure_factory)
    # Values inside ``Any`` and unions are unstructured by their runtime class.
    converter.register_unstructure_hook(Decimal, _identity)
    return converter
