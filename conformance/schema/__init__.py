"""The neutral schema and its loaders (OpenAPI documents, SDK docs trees)."""

from __future__ import annotations

from conformance.schema.model import (
    NO_DEFAULT,
    Alias,
    AnyValue,
    ArrayOf,
    Body,
    Const,
    Definition,
    Discriminator,
    EnumOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Problem,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)

__all__ = [
    "NO_DEFAULT",
    "Alias",
    "AnyValue",
    "ArrayOf",
    "Body",
    "Const",
    "Definition",
    "Discriminator",
    "EnumOf",
    "Field",
    "JsonValue",
    "MapOf",
    "Model",
    "Nullable",
    "Primitive",
    "Problem",
    "Ref",
    "Schema",
    "TypeRef",
    "UnionOf",
]
