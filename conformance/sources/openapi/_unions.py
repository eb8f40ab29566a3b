"""``oneOf``/``anyOf`` schemas: union members, ``null`` members, discriminators.

Members are named after the union's place plus their position (``1``, ``2``...).
A ``{"type": "null"}`` member makes the union nullable rather than a member; a
union left with one member and no discriminator is that member. A discriminator
without a mapping maps each ``$ref`` member's definition name to itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from conformance.schema.model import (
    AnyValue,
    Const,
    Discriminator,
    Nullable,
    Ref,
    TypeRef,
    UnionOf,
)
from conformance.sources.openapi._nodes import ACCEPTS_ANY, inner
from conformance.sources.openapi._pointers import escape

if TYPE_CHECKING:
    from conformance.sources.openapi._loader import Loader

__all__ = ["union_type"]


def union_type(
    loader: Loader, node: Mapping[str, Any], key: str, pointer: str, hint: str
) -> TypeRef:
    """The union the members under ``key`` (``oneOf`` or ``anyOf``) make."""
    members = node[key]
    if not isinstance(members, list):
        loader.problem(pointer, f"{key} is not a list{ACCEPTS_ANY}", "list the member schemas")
        return AnyValue()
    beside = [word for word in ("anyOf", "allOf", "properties") if word != key and word in node]
    if beside:
        message = f"{' and '.join(beside)} beside {key} is not merged into its members"
        loader.problem(pointer, message, "move what the members share into each member")
    typed: list[tuple[Any, TypeRef]] = []
    nullable = False
    for index, member in enumerate(members):
        if isinstance(member, Mapping) and member.get("type") in ("null", ["null"]):
            nullable = True
            continue
        type_ = loader.type_of(member, f"{pointer}/{key}/{index}", f"{hint}{index + 1}")
        nullable = nullable or isinstance(type_, Nullable)
        typed.append((member, inner(type_)))
    discriminator = _discriminator(loader, node, typed, pointer)
    types = tuple(type_ for _, type_ in typed)
    union: TypeRef = UnionOf(types, "oneOf" if key == "oneOf" else "anyOf", discriminator)
    if len(types) < 2 and discriminator is None:
        union = types[0] if types else Const(None)
    return Nullable(union) if nullable and union != Const(None) else union


def _discriminator(
    loader: Loader, node: Mapping[str, Any], typed: list[tuple[Any, TypeRef]], pointer: str
) -> Discriminator | None:
    spec = node.get("discriminator")
    if spec is None:
        return None
    pointer = f"{pointer}/discriminator"
    if not isinstance(spec, Mapping) or not isinstance(spec.get("propertyName"), str):
        loader.problem(pointer, "a discriminator without propertyName is ignored")
        return None
    pairs: list[tuple[str, str]] = []
    mapping = spec.get("mapping")
    for value, target in (mapping if isinstance(mapping, Mapping) else {}).items():
        name = _mapping_target(loader, str(target), f"{pointer}/mapping/{escape(str(value))}")
        if name is not None:
            pairs.append((str(value), name))
    if not mapping:  # implicit: each named member maps its own name
        refs = (member.get("$ref") for member, _ in typed if isinstance(member, Mapping))
        names = (loader.component(unquote(ref)[1:]) for ref in refs if isinstance(ref, str))
        pairs.extend((name, name) for name in names if name is not None)
    return Discriminator(spec["propertyName"], tuple(pairs))


def _mapping_target(loader: Loader, target: str, pointer: str) -> str | None:
    """The definition a discriminator mapping value names (a schema name or a $ref)."""
    if target in loader.components:
        return target
    found = loader.ref(target, pointer)
    return found.name if isinstance(found, Ref) else None
