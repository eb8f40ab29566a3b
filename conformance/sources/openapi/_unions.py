"""``oneOf``/``anyOf`` schemas: union members, ``null`` members, discriminators.

Members are named after the union's place plus their position (``1``, ``2``...).
A ``{"type": "null"}`` member makes the union nullable rather than a member; a
union left with one member and no discriminator is that member. A discriminator
without a mapping maps each ``$ref`` member's definition name to itself, as the
OpenAPI specification says, and also the one value the member allows for the
discriminating property (a ``const`` or a one-value ``enum``): many specs tag members
that way without a mapping (``{"type": {"enum": ["text"]}}``), every generator reads the
tag so, and the discriminator must not change which payloads the ``oneOf`` accepts.
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
    if not mapping:  # implicit: each named member maps its own name, then its own tag value
        refs = (member.get("$ref") for member, _ in typed if isinstance(member, Mapping))
        names = [loader.component(unquote(ref)[1:]) for ref in refs if isinstance(ref, str)]
        named = [name for name in names if name is not None]
        pairs.extend((name, name) for name in named)
        # Inline members too: each is a definition named after its place (``Union1``).
        tags = [
            (_tag(loader, member, spec["propertyName"]), type_.name)
            for member, type_ in typed
            if isinstance(type_, Ref)
        ]
        taken = {value for value, _ in pairs}
        for value, name in tags:
            # A value two members claim picks neither: the oneOf decides between them.
            if value is not None and value not in taken and [v for v, _ in tags].count(value) == 1:
                pairs.append((value, name))
    return Discriminator(spec["propertyName"], tuple(pairs))


def _tag(loader: Loader, node: Any, property_name: str, depth: int = 0) -> str | None:
    """The one string a member schema allows for ``property_name``, if it allows one only
    (in its own ``properties`` or an ``allOf`` part's, through local ``$ref``s)."""
    if depth > _TAG_DEPTH or not isinstance(node, Mapping):
        return None
    if isinstance(node.get("$ref"), str):
        found = loader.resolve_quietly(node["$ref"])
        return _tag(loader, found, property_name, depth + 1)
    properties = node.get("properties")
    if isinstance(properties, Mapping) and property_name in properties:
        return _only_value(loader, properties[property_name], depth)
    for part in node.get("allOf") or ():
        value = _tag(loader, part, property_name, depth + 1)
        if value is not None:
            return value
    return None


def _only_value(loader: Loader, node: Any, depth: int) -> str | None:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and depth <= _TAG_DEPTH:
        return _only_value(loader, loader.resolve_quietly(node["$ref"]), depth + 1)
    if not isinstance(node, Mapping):
        return None
    if isinstance(node.get("const"), str):
        return str(node["const"])
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


#: How many ``$ref``/``allOf`` steps a member's tag is looked for through.
_TAG_DEPTH = 8


def _mapping_target(loader: Loader, target: str, pointer: str) -> str | None:
    """The definition a discriminator mapping value names (a schema name or a $ref)."""
    if target in loader.components:
        return target
    found = loader.ref(target, pointer)
    return found.name if isinstance(found, Ref) else None
