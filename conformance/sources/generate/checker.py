"""Validity: which payloads the reference targets accept, decided without running them.

``accepts`` mirrors the rules of the reference targets
(``conformance.oracle.converters``: strict JSON types, an integer may be
written ``1.0``, RFC 3339 date-times, enums compared by value (an open enum
also takes any other value of its values' JSON kinds), unknown keys allowed
unless the model forbids them, and the union rules: a discriminator picks the
member; otherwise ``anyOf`` takes the first member that fits without unknown
keys, and ``oneOf`` needs exactly one such member, or else exactly one that
fits at all). It does not run the reference: the tests run the reference on
generated cases and check that the two agree.
"""

from __future__ import annotations

from decimal import Decimal

from conformance.core.divergence import PathSegment
from conformance.core.formats import is_date, is_date_time, value_key
from conformance.core.jsonkinds import has_kind, kinds_of
from conformance.schema import (
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
from conformance.sources.generate.edges import INT_BOUNDS

__all__ = ["Checker", "Path", "accepts", "enum_admits"]

#: A path into a payload: object keys and array indexes.
Path = tuple[PathSegment, ...]

# How a value fits a type: not at all, exactly, or with unknown keys in an object.
_NO, _EXACT, _EXTRA = 0, 1, 2


class Checker:
    """The reference targets' acceptance rules, on parsed wire values."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def accepts(self, type_: TypeRef | Model, value: object) -> bool:
        return self.check(type_, value) != _NO

    def check(self, type_: TypeRef | Model, value: object) -> int:
        """``_NO``; ``_EXACT``; or ``_EXTRA``: fits, but its object has unknown keys."""
        if isinstance(type_, Ref):
            definition = self.schema[type_.name]
            return self.check(
                definition if isinstance(definition, Model) else definition.type, value
            )
        if isinstance(type_, Model):
            return self._model(type_, value)
        if isinstance(type_, Primitive):
            return _EXACT if _fits_primitive(type_, value) else _NO
        if isinstance(type_, AnyValue):
            return _EXACT
        if isinstance(type_, EnumOf):
            return _EXACT if enum_admits(type_, value) else _NO
        if isinstance(type_, Const):
            return _EXACT if value_key(value) == value_key(type_.value) else _NO
        if isinstance(type_, ArrayOf):
            ok = type(value) is list and all(self.accepts(type_.items, v) for v in value)
            return _EXACT if ok else _NO
        if isinstance(type_, MapOf):
            ok = type(value) is dict and all(self.accepts(type_.values, v) for v in value.values())
            return _EXACT if ok else _NO
        if isinstance(type_, Nullable):
            return _EXACT if value is None else self.check(type_.inner, value)
        return self._union(type_, value)[0]

    def _model(self, model: Model, value: object) -> int:
        if type(value) is not dict:
            return _NO
        declared = {f.wire_name for f in model.fields}
        for each in model.fields:
            if each.wire_name in value:
                if not self.accepts(each.type, value[each.wire_name]):
                    return _NO
            elif each.required:
                return _NO
        extras = [key for key in value if key not in declared]
        if not extras:
            return _EXACT
        if model.additional is False:
            return _NO
        additional = model.additional
        if additional is not None and not all(self.accepts(additional, value[k]) for k in extras):
            return _NO
        return _EXTRA

    def tagged(self, union: UnionOf, value: object) -> Ref | None:
        """The member a discriminated union's tag selects in an object, if any."""
        discriminator = union.discriminator
        if discriminator is None or type(value) is not dict:
            return None
        tag = value.get(discriminator.property)
        if type(tag) is not str:
            return None
        name = discriminator.member_for(tag) or tag
        for member in union.members:
            definition = self.schema.definitions.get(name)
            if isinstance(member, Ref) and member.name == name and isinstance(definition, Model):
                return member
        return None

    def _union(self, union: UnionOf, value: object) -> tuple[int, TypeRef | None, int]:
        """(status, the member that reads the value, how many members fit)."""
        if union.discriminator is not None and type(value) is dict:
            member = self.tagged(union, value)
            if member is None:
                return _NO, None, 0
            status = self.check(member, value)
            return status, member if status else None, 1 if status else 0
        statuses = [self.check(m, value) for m in union.members]
        fits = [i for i, s in enumerate(statuses) if s]
        exact = [i for i, s in enumerate(statuses) if s == _EXACT]
        if union.mode == "anyOf":
            if exact:
                return _EXACT, union.members[exact[0]], len(fits)
            if fits:
                return statuses[fits[0]], union.members[fits[0]], len(fits)
            return _NO, None, 0
        if len(exact) == 1:
            return _EXACT, union.members[exact[0]], len(fits)
        if len(fits) == 1 and not exact:
            return statuses[fits[0]], union.members[fits[0]], 1
        return _NO, None, len(fits)

    def member(self, union: UnionOf, value: object) -> TypeRef | None:
        """The member of ``union`` that reads ``value``, or ``None`` when it is rejected."""
        return self._union(union, value)[1]

    def fitting(self, union: UnionOf, value: object) -> int:
        """How many members of ``union`` would read ``value`` on their own."""
        return self._union(union, value)[2]


def enum_admits(type_: EnumOf, value: object) -> bool:
    """A known value; or, for an open enum, any value of a known value's JSON kind."""
    if value_key(value) in {value_key(v) for v in type_.values}:
        return True
    return type_.open and has_kind(value, kinds_of(type_.values))


def _fits_primitive(type_: Primitive, value: object) -> bool:
    if type_.kind == "string":
        if type(value) is not str:
            return False
        if type_.format == "date-time":
            return is_date_time(value)
        if type_.format == "date":
            return is_date(value)
        return True
    if type_.kind == "boolean":
        return type(value) is bool
    if type_.kind == "number":
        return type(value) in (int, Decimal)
    if type(value) is int:
        number: int | Decimal = value
    elif type(value) is Decimal and value.is_finite() and value == value.to_integral_value():
        number = value
    else:
        return False
    low, high = INT_BOUNDS.get(type_.format or "", (number, number))
    return low <= number <= high


def accepts(schema: Schema, name_or_type: str | TypeRef, value: JsonValue) -> bool:
    """Whether the reference targets accept ``value`` as the definition (or type) given."""
    type_ = Ref(name_or_type) if isinstance(name_or_type, str) else name_or_type
    return Checker(schema).accepts(type_, value)
