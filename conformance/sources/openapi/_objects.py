"""Object schemas: ``allOf`` merging, properties, required keys, additional properties.

An object schema and its ``allOf`` members (``$ref`` members followed, with a
cycle guard) are merged into one ``Model``. A named schema becomes the model of
its own name; an inline object becomes a synthetic model named after its place
(parent name plus PascalCase property name). An object with neither properties
nor required keys is a map (``MapOf``) of its additional-properties type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import define, field

from conformance.schema.model import (
    NO_DEFAULT,
    AnyValue,
    Field,
    JsonValue,
    MapOf,
    Model,
    Ref,
    TypeRef,
    _NoDefault,
)
from conformance.sources.openapi._nodes import (
    ACCEPTS_ANY,
    annotation_only,
    description,
    is_json,
    objectish,
    to_json,
)
from conformance.sources.openapi._pointers import escape, pascal, pointer_hint

if TYPE_CHECKING:
    from conformance.sources.openapi._loader import Loader

__all__ = ["object_type"]


@define
class _Merged:
    """What an object schema and its ``allOf`` members add up to.

    Properties and the additional-properties schema keep their pointer and the
    name of the definition that declared them (``None``: the object itself).
    """

    properties: dict[str, tuple[Any, str, str | None]] = field(factory=dict)
    required: list[str] = field(factory=list)
    additional: tuple[Any, str, str | None] | None = None
    patterned: str | None = None
    mergeable: bool = True


def object_type(
    loader: Loader, node: Mapping[str, Any], pointer: str, hint: str, own: str | None
) -> TypeRef:
    """A ``Ref`` to the model an object schema becomes (``own``, or a new name), or a map."""
    if own is None and id(node) in loader.inline:
        return Ref(loader.inline[id(node)])
    merged = _Merged()
    _collect(loader, node, pointer, None, merged, frozenset({pointer}))
    if not merged.mergeable:
        message = f"allOf of schemas that are not all objects cannot be merged{ACCEPTS_ANY}"
        loader.problem(pointer, message, "use oneOf/anyOf, or a single $ref")
        return AnyValue()
    closed = merged.additional is not None and merged.additional[0] is False
    if not merged.properties and not merged.required and (merged.patterned or not closed):
        values = _additional(loader, merged, hint)
        return MapOf(AnyValue() if values is None or values is False else values)
    name = own or loader.reserve(hint)
    if own is None:
        loader.inline[id(node)] = name
    fields = [
        Field(
            wire,
            loader.type_of(prop, at, (owner or name) + pascal(wire)),
            wire in merged.required,
            _default(loader, prop, at),
            description(prop),
        )
        for wire, (prop, at, owner) in merged.properties.items()
    ]
    for wire in dict.fromkeys(merged.required):
        if wire not in merged.properties:
            message = f"required property {wire!r} is not declared{ACCEPTS_ANY}"
            loader.problem(pointer, message, "declare it under properties")
            fields.append(Field(wire, AnyValue(), required=True))
    members = node.get("allOf")
    descriptions = map(description, [node, *(members if isinstance(members, list) else [])])
    text = next(filter(None, descriptions), "")
    source = f"{loader.source}#{pointer}"
    additional = _additional(loader, merged, name)
    loader.definitions[name] = Model(name, tuple(fields), additional, text, source)
    return Ref(name)


def _default(loader: Loader, node: Any, pointer: str) -> JsonValue | _NoDefault:
    """A property's ``default`` as exact JSON, if it has one that JSON can hold."""
    if not isinstance(node, Mapping) or "default" not in node:
        return NO_DEFAULT
    if not is_json(node["default"]):
        message = f"default {node['default']!r} is not a JSON value; it is ignored"
        loader.problem(pointer, message, "NaN and Infinity are not JSON")
        return NO_DEFAULT
    return to_json(node["default"])


def _additional(loader: Loader, merged: _Merged, owner: str) -> TypeRef | Literal[False] | None:
    """The type of undeclared keys: ``None`` if unsaid, ``False`` if forbidden."""
    if merged.patterned is not None:
        message = "patternProperties is not supported; extra keys accept any value"
        loader.problem(merged.patterned, message, "use additionalProperties")
        return AnyValue()
    if merged.additional is None:
        return None
    raw, at, declared_by = merged.additional
    return False if raw is False else loader.type_of(raw, at, f"{declared_by or owner}Value")


def _collect(
    loader: Loader,
    node: Any,
    pointer: str,
    owner: str | None,
    merged: _Merged,
    seen: frozenset[str],
) -> None:
    """Add an object schema, its ``allOf`` members and their ``$ref`` targets to ``merged``."""
    if isinstance(node, Mapping) and "$ref" in node:
        resolved = loader.resolve(node["$ref"], pointer)
        if resolved is None:
            return
        target, at = resolved
        if at in seen:
            loader.problem(pointer, f"allOf cycles back to {node['$ref']!r}", "break the cycle")
            return
        declared_by = loader.component(at) or pointer_hint(at)
        _collect(loader, target, at, declared_by, merged, seen | {at})
        return
    if not isinstance(node, Mapping) or not objectish(node):
        merged.mergeable = merged.mergeable and (node is True or annotation_only(node))
        return
    members = node.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else []):
        at = f"{pointer}/allOf/{index}"
        inline = isinstance(member, Mapping) and "$ref" not in member
        if not inline or loader.supported(member, at):
            _collect(loader, member, at, owner, merged, seen)
    properties = node.get("properties")
    for wire, prop in (properties if isinstance(properties, Mapping) else {}).items():
        at = f"{pointer}/properties/{escape(str(wire))}"
        merged.properties[str(wire)] = (prop, at, owner)
    required = node.get("required")
    merged.required.extend(map(str, required if isinstance(required, list) else []))
    for key in ("additionalProperties", "unevaluatedProperties"):
        if key in node:
            merged.additional = (node[key], f"{pointer}/{key}", owner)
    if "patternProperties" in node:
        merged.patterned = pointer
