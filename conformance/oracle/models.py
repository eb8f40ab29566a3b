"""attrs classes built at run time from a schema: the reference targets' data model.

Every schema ``Model`` becomes a frozen, slotted attrs class whose attributes
are the fields' Python names (the ``python`` convention, made unique), with a
``FieldInfo`` (wire name, required, nullable, description, schema type) in the
attribute metadata. An attribute name is also a keyword parameter of the
generated ``__init__``, so a Python name that cannot be one (``self``, or
anything but a plain ASCII identifier that is not a keyword and does not start
with ``_``) gets a trailing underscore, numbered if that is taken (``self_``,
``self_2``). Attribute names are ours: the converters read and write the wire
key from the metadata, and the native views name fields by their convention.

Optional fields default to ``ABSENT``, which is not ``None``: a key that was
absent stays absent, a key that was ``null`` stays ``null``. Unknown keys are
kept in the ``_extras`` attribute so that nothing a payload carried is lost on
the way back to the wire.

Field types are real Python types so that cattrs can dispatch on them:
``str``, ``int``, ``bool``, ``typing.Any``, ``list[T]``, ``dict[str, T]``, the
generated classes themselves, and small *marker* classes for what Python's type
system cannot say on its own (a JSON number token, an RFC 3339 date-time, an
enum, a const, a union with its mode and discriminator, a nullable type, a named
alias). Markers are never instantiated: they only carry the schema type to the
converter's hook factories (``conformance.oracle.converters``).

Classes are built in two passes (all classes first, then their field types), so
recursive and mutually recursive models need nothing special.
"""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
from attrs import frozen

from conformance.core.conventions import get_convention, unique_names
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
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
)

EXTRAS = "_extras"
METADATA_KEY = "conformance"


class _Absent:
    """The type of ``ABSENT``: the value of an optional field whose key was not sent."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@frozen
class FieldInfo:
    """What the schema says about one attribute, kept in its attrs metadata."""

    wire_name: str
    required: bool
    nullable: bool
    description: str
    type: TypeRef


class Marker:
    """A type that stands for a schema type in cattrs dispatch; never instantiated."""

    spec: ClassVar[Any] = None
    label: ClassVar[str] = "value"


class NumberType(Marker):
    """A JSON number (``int`` or ``Decimal``, never ``bool``), token kept."""

    label = "number"


class DateTimeType(Marker):
    """A string holding an RFC 3339 date-time; the text is kept as sent."""

    label = "date-time string"


class DateType(Marker):
    """A string holding an RFC 3339 full-date."""

    label = "date string"


class IntegerType(Marker):
    """A JSON integer with an OpenAPI format bounding it (``int32``, ``int64``)."""

    label = "integer"
    bounds: ClassVar[tuple[int, int] | None] = None


class EnumType(Marker):
    """One of ``spec.values`` by JSON type and value (if ``spec.open``, any of their kinds)."""

    label = "enum value"


class ConstType(Marker):
    """Exactly ``spec.value``."""

    label = "constant"


class UnionType(Marker):
    """One member of ``spec`` (a ``UnionOf``); ``members`` are the members' Python types."""

    label = "union member"
    members: ClassVar[tuple[Any, ...]] = ()


class NullableType(Marker):
    """``inner`` or ``None``."""

    label = "nullable value"
    inner: ClassVar[Any] = None


class AliasType(Marker):
    """A named alias, resolved lazily so that aliases may refer to themselves."""

    label = "alias"
    name: ClassVar[str] = ""


_INT_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@attrs.define
class ModelSet:
    """The attrs classes and marker types of one schema, by definition name."""

    schema: Schema
    classes: dict[str, type] = attrs.field(factory=dict)
    _aliases: dict[str, type[AliasType]] = attrs.field(factory=dict)
    _markers: dict[str, Any] = attrs.field(factory=dict)

    def type_of(self, name: str) -> Any:
        """The Python type of a named definition (a class, or an alias's type)."""
        return self.python_type(Ref(name))

    def alias_target(self, marker: type[AliasType]) -> Any:
        """The Python type an alias marker stands for."""
        definition = self.schema[marker.name]
        assert isinstance(definition, Alias)
        return self.python_type(definition.type)

    def python_type(self, type_: TypeRef) -> Any:
        """The Python type used as the attrs field type for a schema type."""
        if isinstance(type_, Ref):
            definition = self.schema.definitions.get(type_.name)
            if definition is None:
                raise KeyError(f"unknown definition {type_.name!r}")
            if isinstance(definition, Model):
                return self.classes[type_.name]
            return self._alias(type_.name)
        if isinstance(type_, Primitive):
            return _primitive(type_)
        if isinstance(type_, AnyValue):
            return Any
        if isinstance(type_, ArrayOf):
            return list[self.python_type(type_.items)]  # type: ignore[misc]
        if isinstance(type_, MapOf):
            return dict[str, self.python_type(type_.values)]  # type: ignore[misc]
        # Keyed by repr: consts and enums may hold objects and arrays, which do not hash.
        key = repr(type_)
        cached = self._markers.get(key)
        if cached is not None:
            return cached
        marker: type[Marker]
        if isinstance(type_, EnumOf):
            marker = type("Enum", (EnumType,), {"spec": type_})
        elif isinstance(type_, Const):
            marker = type("Const", (ConstType,), {"spec": type_})
        elif isinstance(type_, Nullable):
            marker = type(
                "Nullable",
                (NullableType,),
                {"spec": type_, "inner": self.python_type(type_.inner)},
            )
        elif isinstance(type_, UnionOf):
            members = tuple(self.python_type(m) for m in type_.members)
            marker = type("Union", (UnionType,), {"spec": type_, "members": members})
        else:  # pragma: no cover - the TypeRef union is exhaustive
            raise TypeError(f"unknown schema type {type_!r}")
        self._markers[key] = marker
        return marker

    def _alias(self, name: str) -> type[AliasType]:
        marker = self._aliases.get(name)
        if marker is None:
            marker = type(f"Alias_{name}", (AliasType,), {"name": name, "label": name})
            self._aliases[name] = marker
        return marker


def _primitive(type_: Primitive) -> Any:
    if type_.kind == "string":
        if type_.format == "date-time":
            return DateTimeType
        if type_.format == "date":
            return DateType
        return str
    if type_.kind == "integer":
        bounds = _INT_BOUNDS.get(type_.format or "")
        if bounds is None:
            return int
        return _bounded_integer(type_.format or "", bounds)
    if type_.kind == "number":
        return NumberType
    return bool


_BOUNDED: dict[str, type[IntegerType]] = {}


def _bounded_integer(fmt: str, bounds: tuple[int, int]) -> type[IntegerType]:
    marker = _BOUNDED.get(fmt)
    if marker is None:
        marker = type(fmt, (IntegerType,), {"bounds": bounds, "label": f"{fmt} integer"})
        _BOUNDED[fmt] = marker
    return marker


def field_info(attribute: attrs.Attribute[Any]) -> FieldInfo:
    """The schema facts of one generated attribute."""
    info: FieldInfo = attribute.metadata[METADATA_KEY]
    return info


def schema_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The generated attributes that stand for schema fields (not the extras bucket)."""
    return tuple(a for a in attrs.fields(cls) if a.name != EXTRAS)


#: Names every generated method already binds: ``self`` is the instance parameter.
_RESERVED = frozenset({"self"})


def _usable(name: str) -> bool:
    """Whether ``name`` can be an attribute and, as it is, a keyword parameter of ``__init__``.

    ASCII only: Python NFKC-normalizes non-ASCII identifiers in source, so the
    parameter would not be the name a caller passes. A leading underscore is
    attrs's private-attribute convention (its parameter drops the underscore),
    and the extras bucket and attrs's own locals live there.
    """
    return (
        name.isascii()
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in _RESERVED
    )


def attribute_names(wire_keys: Sequence[str]) -> dict[str, str]:
    """Map each wire key to its attribute name: its unique Python name, escaped if unusable."""
    names = unique_names(wire_keys, get_convention("python"))
    taken = set(names.values())
    for key, name in names.items():
        if _usable(name):
            continue
        base = name if name.isascii() and name.isidentifier() and name[:1] != "_" else "field"
        escaped, number = f"{base}_", 2
        while not _usable(escaped) or escaped in taken:
            escaped, number = f"{base}_{number}", number + 1
        taken.add(escaped)
        names[key] = escaped
    return names


def build_models(schema: Schema) -> ModelSet:
    """Build one attrs class per model of the schema, recursion included."""
    models = ModelSet(schema)
    for model in schema.models:
        names = attribute_names([f.wire_name for f in model.fields])
        these: dict[str, Any] = {}
        # attrs wants mandatory attributes first; keep source order otherwise.
        ordered = sorted(model.fields, key=lambda f: not f.required)
        for each in ordered:
            info = FieldInfo(
                wire_name=each.wire_name,
                required=each.required,
                nullable=each.nullable,
                description=each.description,
                type=each.type,
            )
            these[names[each.wire_name]] = attrs.field(
                default=attrs.NOTHING if each.required else ABSENT,
                metadata={METADATA_KEY: info},
            )
        these[EXTRAS] = attrs.field(
            factory=dict, alias=EXTRAS, repr=False, metadata={METADATA_KEY: None}
        )
        cls = attrs.make_class(model.name, these, frozen=True, slots=True, kw_only=True)
        cls.__doc__ = model.description or f"The {model.name} model."
        models.classes[model.name] = cls
    for model in schema.models:
        cls = models.classes[model.name]
        by_wire = {f.wire_name: f for f in model.fields}
        annotations: dict[str, Any] = {EXTRAS: dict[str, Any]}
        for attribute in schema_fields(cls):
            schema_field = by_wire[field_info(attribute).wire_name]
            annotations[attribute.name] = models.python_type(schema_field.type)
        cls.__annotations__ = annotations
        attrs.resolve_types(cls)
    return models


def extras_of(instance: object) -> dict[str, JsonValue]:
    """The unknown keys an instance was read with."""
    extras: dict[str, JsonValue] = getattr(instance, EXTRAS)
    return extras
