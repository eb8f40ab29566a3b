"""The neutral schema: what every loader produces and every other module reads.

A schema is a set of named definitions. A definition is either a ``Model`` (an
object with fields keyed by wire name) or an ``Alias`` (a named non-object type:
an enum, a union, a primitive with a format, an array). Types nest freely and
refer to definitions by name through ``Ref``, so recursion needs no special care
here: resolving a ``Ref`` is the reader's job.

Loaders never drop what they cannot express: they add a ``Problem`` with the
location (a JSON pointer, or file and line) and keep going.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal, TypeAlias

from attrs import field, frozen

from conformance.core.jsonwire import JsonValue as JsonValue  # re-exported: the schema speaks it

PrimitiveKind = Literal["string", "integer", "number", "boolean"]


@frozen
class Primitive:
    """A JSON scalar type, with the OpenAPI ``format`` when one was given."""

    kind: PrimitiveKind
    format: str | None = None


@frozen
class AnyValue:
    """Any JSON value (an empty schema, ``{}``, or ``any`` in docs)."""


@frozen
class EnumOf:
    """A set of scalar values: closed (only these), or ``open``: these are the known
    values, and other values of their type are accepted too (Speakeasy's open enums)."""

    values: tuple[JsonValue, ...]
    open: bool = False


@frozen
class Const:
    """Exactly one value."""

    value: JsonValue


@frozen
class ArrayOf:
    """A JSON array whose items all have one type."""

    items: TypeRef


@frozen
class MapOf:
    """A JSON object used as a map: keys are data, not field names."""

    values: TypeRef


@frozen
class Ref:
    """A reference to a named definition of the same schema."""

    name: str


@frozen
class Discriminator:
    """Which property picks the union member, and its value -> definition name map."""

    property: str
    mapping: tuple[tuple[str, str], ...] = ()

    def member_for(self, value: str) -> str | None:
        """Return the definition name a discriminator value selects, if mapped."""
        for key, name in self.mapping:
            if key == value:
                return name
        return None


@frozen
class UnionOf:
    """``oneOf`` (exactly one member matches) or ``anyOf`` (the first that matches)."""

    members: tuple[TypeRef, ...]
    mode: Literal["oneOf", "anyOf"] = "oneOf"
    discriminator: Discriminator | None = None


@frozen
class Nullable:
    """``inner`` or JSON ``null``."""

    inner: TypeRef


TypeRef: TypeAlias = (
    Primitive | AnyValue | EnumOf | Const | ArrayOf | MapOf | Ref | UnionOf | Nullable
)


class _NoDefault:
    """The type of ``NO_DEFAULT``: a field without a declared default."""

    _instance: _NoDefault | None = None

    def __new__(cls) -> _NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __bool__(self) -> bool:
        return False


NO_DEFAULT = _NoDefault()


@frozen
class Field:
    """One property of a model, keyed by its wire name."""

    wire_name: str
    type: TypeRef
    required: bool = False
    default: JsonValue | _NoDefault = NO_DEFAULT
    description: str = ""

    @property
    def nullable(self) -> bool:
        """Whether JSON ``null`` is a valid value of this field."""
        return isinstance(self.type, Nullable)


@frozen
class Model:
    """A named object type.

    ``additional`` says what the model does with keys it does not declare:
    ``None`` when the source says nothing (unknown keys are reported),
    ``False`` when it forbids them, or the type of the extra values.
    """

    name: str
    fields: tuple[Field, ...]
    additional: TypeRef | Literal[False] | None = None
    description: str = ""
    source: str = ""

    def field_named(self, wire_name: str) -> Field | None:
        """Return the field with this wire name, if the model has one."""
        for each in self.fields:
            if each.wire_name == wire_name:
                return each
        return None


@frozen
class Alias:
    """A named definition that is not an object: an enum, a union, a formatted primitive."""

    name: str
    type: TypeRef
    description: str = ""
    source: str = ""


Definition: TypeAlias = Model | Alias


@frozen
class Problem:
    """Something a loader could not express, with where it is and what to do."""

    location: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@frozen
class Body:
    """One JSON body of an API operation: the definition it is, and which way it goes."""

    model: str  # a name in Schema.definitions; "" for a body that is not JSON
    direction: Literal["request", "response"]
    operation: str  # the operationId, or "POST /v2/things/{id}" without one
    status: str = ""  # the response status as written ("200", "4XX", "default"); "" for a request
    media_type: str = "application/json"
    location: str = ""  # "<source>#<JSON pointer of the media type's schema>"


@frozen
class Schema:
    """Named definitions from one source, and the problems met reading it."""

    definitions: Mapping[str, Definition] = field(factory=dict)
    problems: tuple[Problem, ...] = ()
    source: str = ""
    bodies: tuple[Body, ...] = ()

    def __iter__(self) -> Iterator[Definition]:
        return iter(self.definitions.values())

    def __contains__(self, name: object) -> bool:
        return name in self.definitions

    def __getitem__(self, name: str) -> Definition:
        return self.definitions[name]

    @property
    def models(self) -> tuple[Model, ...]:
        """The object definitions, in source order."""
        return tuple(d for d in self.definitions.values() if isinstance(d, Model))

    def resolve(self, type_: TypeRef) -> TypeRef | Model:
        """Follow ``Ref``s (and aliases) until a model or a non-reference type."""
        seen: set[str] = set()
        while isinstance(type_, Ref):
            if type_.name in seen:
                raise ValueError(f"alias cycle through {type_.name!r}")
            seen.add(type_.name)
            target = self.definitions[type_.name]
            if isinstance(target, Model):
                return target
            type_ = target.type
        return type_


def ref_names(type_: TypeRef) -> Iterator[str]:
    """The names of the definitions ``type_`` refers to, in order (not following them)."""
    if isinstance(type_, Ref):
        yield type_.name
    elif isinstance(type_, ArrayOf):
        yield from ref_names(type_.items)
    elif isinstance(type_, MapOf):
        yield from ref_names(type_.values)
    elif isinstance(type_, Nullable):
        yield from ref_names(type_.inner)
    elif isinstance(type_, UnionOf):
        for member in type_.members:
            yield from ref_names(member)
