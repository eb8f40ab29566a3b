"""Type correspondence between a Python and a TypeScript docs page (see ``docs_check``).

``TypeMatcher`` decides whether two documented field types correspond: primitives by
their families, unions member-wise in any order, constants and enums by their values,
model references by paired page names, ``Nullable`` ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from conformance.core import jsonwire
from conformance.schema import JsonValue
from conformance.schema.model import (
    AnyValue,
    ArrayOf,
    Const,
    EnumOf,
    MapOf,
    Nullable,
    Primitive,
    Ref,
    TypeRef,
    UnionOf,
)
from conformance.sources.sdkdocs.reader import DocsIndex

__all__ = ["TypeMatcher", "value_set"]

_MAX_DEPTH = 32


def _values(type_: TypeRef) -> tuple[JsonValue, ...] | None:
    if isinstance(type_, Const):
        return (type_.value,)
    if isinstance(type_, EnumOf):
        return type_.values
    return None


def value_set(values: tuple[JsonValue, ...]) -> frozenset[object]:
    return frozenset(jsonwire.canonical(v) for v in values)


def _strip_null(type_: TypeRef) -> TypeRef:
    while isinstance(type_, Nullable):
        type_ = type_.inner
    return type_


def _describe(type_: TypeRef) -> str:
    if isinstance(type_, Primitive):
        return f"{type_.kind} ({type_.format})" if type_.format else type_.kind
    if isinstance(type_, Ref):
        return f"model {type_.name}"
    if isinstance(type_, Const | EnumOf):
        return f"values {list(_values(type_) or ())!r}"
    return {
        AnyValue: "any value",
        ArrayOf: "an array",
        MapOf: "a map",
        UnionOf: "a union",
    }.get(type(type_), type(type_).__name__)


class TypeMatcher:
    """Decides whether a Python type and a TypeScript type correspond (see the module doc)."""

    def __init__(self, python: DocsIndex, typescript: DocsIndex, pairs: Mapping[str, str]):
        self.python = python
        self.typescript = typescript
        self.pairs = pairs

    def mismatch(
        self, left: TypeRef, right: TypeRef, left_ns: str, right_ns: str, depth: int = 0
    ) -> str | None:
        """Why two types do not correspond, or ``None`` when they do."""
        if depth > _MAX_DEPTH:
            return None
        left, right = _strip_null(left), _strip_null(right)
        if isinstance(left, Ref) or isinstance(right, Ref):
            return self.refs(left, right, left_ns, right_ns, depth)
        left_values, right_values = _values(left), _values(right)
        if left_values is not None and right_values is not None:
            if value_set(left_values) == value_set(right_values):
                return None
            return f"values {list(left_values)!r} vs {list(right_values)!r}"
        if isinstance(left, Primitive) and isinstance(right, Primitive):
            return _primitives(left, right)
        if isinstance(left, AnyValue) and isinstance(right, AnyValue):
            return None
        if isinstance(left, ArrayOf) and isinstance(right, ArrayOf):
            inner = self.mismatch(left.items, right.items, left_ns, right_ns, depth + 1)
            return f"items: {inner}" if inner else None
        if isinstance(left, MapOf) and isinstance(right, MapOf):
            inner = self.mismatch(left.values, right.values, left_ns, right_ns, depth + 1)
            return f"values: {inner}" if inner else None
        if isinstance(left, UnionOf) and isinstance(right, UnionOf):
            return self.unions(left, right, left_ns, right_ns, depth)
        return f"{_describe(left)} vs {_describe(right)}"

    def unions(
        self, left: UnionOf, right: UnionOf, left_ns: str, right_ns: str, depth: int
    ) -> str | None:
        free = list(right.members)
        unmatched: list[TypeRef] = []
        for member in left.members:
            match = next(
                (
                    other
                    for other in free
                    if self.mismatch(member, other, left_ns, right_ns, depth + 1) is None
                ),
                None,
            )
            if match is None:
                unmatched.append(member)
            else:
                free.remove(match)
        if not unmatched and not free:
            return None
        only_left = ", ".join(_describe(m) for m in unmatched) or "nothing"
        only_right = ", ".join(_describe(m) for m in free) or "nothing"
        return f"union members differ: python only {only_left}; typescript only {only_right}"

    def refs(
        self, left: TypeRef, right: TypeRef, left_ns: str, right_ns: str, depth: int
    ) -> str | None:
        left_key = self.python.resolve(left.name, left_ns) if isinstance(left, Ref) else None
        right_key = (
            self.typescript.resolve(right.name, right_ns) if isinstance(right, Ref) else None
        )
        if isinstance(left, Ref) and isinstance(right, Ref):
            if left_key is not None and self.pairs.get(left_key) == right_key:
                return None
            if left_key is None and right_key is None:
                same = left.name.rpartition(".")[2] == right.name.rpartition(".")[2]
                return None if same else f"model {left.name} vs model {right.name}"
        left_expanded = self.expand(left, left_key, self.python, left_ns)
        right_expanded = self.expand(right, right_key, self.typescript, right_ns)
        if left_expanded is None or right_expanded is None:
            if isinstance(left, Ref) and isinstance(right, Ref):
                return f"model {left.name} is not the pair of model {right.name}"
            return f"{_describe(left)} vs {_describe(right)}"
        return self.mismatch(
            left_expanded[0], right_expanded[0], left_expanded[1], right_expanded[1], depth + 1
        )

    @staticmethod
    def expand(
        type_: TypeRef, key: str | None, index: DocsIndex, namespace: str
    ) -> tuple[TypeRef, str] | None:
        """An enum or union page as its type (with its namespace); ``None`` for a model."""
        if not isinstance(type_, Ref):
            return type_, namespace
        if key is None:
            return None
        info = index.pages[key]
        if info.values is not None:
            values = info.values
            return (Const(values[0]) if len(values) == 1 else EnumOf(values)), info.namespace
        if info.members is not None:
            return UnionOf(info.members, mode="anyOf"), info.namespace
        return None


def _primitives(left: Primitive, right: Primitive) -> str | None:
    numbers = {"integer", "number"}
    if left.kind != right.kind and not {left.kind, right.kind} <= numbers:
        return f"{_describe(left)} vs {_describe(right)}"
    if left.format == right.format or {left.format, right.format} == {"date", None}:
        return None
    return f"{_describe(left)} vs {_describe(right)}"
