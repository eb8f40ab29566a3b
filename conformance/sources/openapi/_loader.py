"""The loader of one document's definitions, and the translation of a schema node to a type.

``Loader`` holds the state of one conversion (the definitions so far, the
problems, the inline objects already named, the ``$ref`` chain being followed)
and turns each schema node into a ``TypeRef``. Objects and ``allOf`` merging
live in ``_objects``, unions and discriminators in ``_unions``; both call back
into ``Loader.type_of`` for the schemas they contain. The request and response
bodies under ``paths`` are read by ``_operations`` once the named schemas are in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from attrs import define, field

from conformance.exceptions import SchemaError
from conformance.schema.model import (
    Alias,
    AnyValue,
    ArrayOf,
    Body,
    Const,
    Definition,
    EnumOf,
    Model,
    Nullable,
    Primitive,
    Problem,
    Ref,
    Schema,
    TypeRef,
)
from conformance.sources.openapi._nodes import (
    ACCEPTS_ANY,
    HANDLED,
    PRIMITIVES,
    UNSUPPORTED,
    VALIDATION,
    description,
    inner,
    is_json,
    kinds,
    marks_null,
    objectish,
    only_required,
    single_member,
    to_json,
)
from conformance.sources.openapi._objects import object_type
from conformance.sources.openapi._operations import add_bodies
from conformance.sources.openapi._pointers import (
    COMPONENTS,
    MISSING,
    escape,
    follow,
    pointer_hint,
    unescape,
)
from conformance.sources.openapi._unions import union_type

__all__ = ["Loader", "schema_from_document"]


def schema_from_document(document: Mapping[str, Any], source: str) -> Schema:
    """Build a ``Schema`` from a parsed OpenAPI 3.0/3.1 document read from ``source``."""
    version = document.get("openapi") if isinstance(document, Mapping) else None
    if not str(version).startswith("3."):
        hint = "point at an OpenAPI 3 document, with 'openapi: 3.1.0' (or 3.0.x) at the top"
        if isinstance(document, Mapping) and "swagger" in document:
            hint = "convert Swagger 2.0 to OpenAPI 3 first (for example with swagger2openapi)"
        message = f"not an OpenAPI 3 document: 'openapi' is {version!r}"
        raise SchemaError(message, hint, file=source)
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    named = (
        {str(name): node for name, node in schemas.items()} if isinstance(schemas, Mapping) else {}
    )
    loader = Loader(document, source, named)
    if schemas is not None and not isinstance(schemas, Mapping):
        hint = "map each schema name to its schema"
        loader.problem("/components/schemas", "components.schemas is not a mapping", hint)
    schema = loader.load()
    if not named and not any(body.model for body in schema.bodies):
        hint = "define the API's models under components.schemas or as JSON bodies under paths"
        message = "the document defines no components.schemas and no JSON body under paths"
        raise SchemaError(message, hint, file=source, pointer="/components/schemas")
    return schema


@define
class Loader:
    """The state of one document's conversion."""

    document: Mapping[str, Any]
    source: str
    components: dict[str, Any]
    definitions: dict[str, Definition | None] = field(factory=dict)
    problems: dict[Problem, None] = field(factory=dict)
    inline: dict[int, str] = field(factory=dict)  # id(inline object node) -> its model
    noted: set[tuple[str, str]] = field(factory=set)
    following: set[str] = field(factory=set)
    current: str = ""
    bodies: list[Body] = field(factory=list)

    def load(self) -> Schema:
        """Convert every named schema, then the operations' bodies; what cannot be
        converted becomes a problem."""
        self.definitions = dict.fromkeys(self.components)
        for name, node in self.components.items():
            self.define(name, node, COMPONENTS + escape(name))
        add_bodies(self)
        definitions = {name: each for name, each in self.definitions.items() if each is not None}
        return Schema(definitions, tuple(self.problems), self.source, tuple(self.bodies))

    def problem(self, pointer: str, message: str, hint: str = "") -> None:
        """Report a problem at ``pointer`` (each one once)."""
        self.problems[Problem(f"{self.source}#{pointer}", message, hint)] = None

    def ignore(self, keyword: str, pointer: str, why: str) -> None:
        """Report an ignored keyword, once per definition."""
        if (self.current, keyword) not in self.noted:
            self.noted.add((self.current, keyword))
            self.problem(pointer, f"ignored {keyword!r}: {why}")

    def define(self, name: str, node: Any, pointer: str) -> None:
        """Convert the schema at ``pointer`` into the definition ``name``: a model or an alias."""
        self.current = name
        try:
            type_ = self.type_of(node, pointer, name, own=name)
        except RecursionError:
            # Python's stack ran out, not the document: schemas nested hundreds of levels
            # deep, or a node that contains itself through a YAML alias (&a ... *a).
            self.following.clear()
            message = "nested too deeply, or contains itself through a YAML alias"
            hint = "refer to a named schema with $ref instead"
            self.problem(pointer, message + ACCEPTS_ANY, hint)
            self.definitions[name] = Alias(name, AnyValue(), "", f"{self.source}#{pointer}")
            return
        if isinstance(self.definitions[name], Model) and inner(type_) == Ref(name):
            return
        if self._alias_cycle(name, type_):
            self.problem(
                pointer, "aliases $ref each other in a cycle" + ACCEPTS_ANY, "break the cycle"
            )
            type_ = AnyValue()
        self.definitions[name] = Alias(name, type_, description(node), f"{self.source}#{pointer}")

    def _alias_cycle(self, name: str, type_: TypeRef) -> bool:
        seen = {name}
        while isinstance(type_, Ref):
            if type_.name in seen:
                return True
            seen.add(type_.name)
            target = self.definitions.get(type_.name)
            if not isinstance(target, Alias):
                return False
            type_ = target.type
        return False

    def reserve(self, hint: str) -> str:
        """A definition name based on ``hint`` that no definition has yet, now taken."""
        name, number = hint, 2
        while name in self.definitions:
            name, number = f"{hint}{number}", number + 1
        self.definitions[name] = None
        return name

    def supported(self, node: Mapping[str, Any], pointer: str) -> bool:
        """Report unsupported keywords (``False``) and note ignored ones."""
        unsupported = ", ".join(repr(str(key)) for key in node if key in UNSUPPORTED)
        if unsupported:
            hint = "describe the shape with type, properties, items or oneOf/anyOf"
            self.problem(pointer, f"{unsupported} is not supported{ACCEPTS_ANY}", hint)
            return False
        for key in map(str, node):
            if key.startswith("x-") or key in HANDLED:
                continue
            if key == "discriminator":
                if "oneOf" not in node and "anyOf" not in node:
                    self.ignore(key, pointer, "only a discriminator on oneOf/anyOf is used")
            elif key in VALIDATION:
                self.ignore(key, pointer, "it only constrains values, not the wire shape")
            elif key in ("readOnly", "writeOnly"):
                self.ignore(key, pointer, "models have no request-only or response-only fields")
            else:
                self.ignore(key, pointer, "not an OpenAPI schema keyword")
        return True

    def type_of(self, node: Any, pointer: str, hint: str, own: str | None = None) -> TypeRef:
        """Convert one schema node; ``own`` names the definition an object should become."""
        if node is None or node is True:
            return AnyValue()
        if not isinstance(node, Mapping):
            what = "the false schema accepts nothing" if node is False else f"{node!r} is no schema"
            self.problem(pointer, what + ACCEPTS_ANY, "use a schema mapping, or {} for any value")
            return AnyValue()
        if not self.supported(node, pointer):
            return AnyValue()
        type_ = self._shape(node, pointer, hint, own)
        if not marks_null(node) or isinstance(type_, Nullable | AnyValue) or type_ == Const(None):
            return type_
        return Nullable(type_)

    def _shape(self, node: Mapping[str, Any], pointer: str, hint: str, own: str | None) -> TypeRef:
        if "$ref" in node:
            return self.ref(node["$ref"], pointer)
        if "enum" in node:
            return self._enum(node["enum"], pointer)
        if "const" in node:
            if not is_json(node["const"]):
                self.problem(pointer, f"const {node['const']!r} is not a JSON value{ACCEPTS_ANY}")
                return AnyValue()
            return Const(to_json(node["const"]))
        for key in ("oneOf", "anyOf"):
            if key in node and only_required(node[key]):
                self.ignore(key, pointer, "its members only list required properties")
            elif key in node:
                return union_type(self, node, key, pointer, hint)
        wrapped = single_member(node)
        if wrapped is not None:
            return self.type_of(node["allOf"][wrapped], f"{pointer}/allOf/{wrapped}", hint)
        named = kinds(node)
        if len(named) > 1:
            message = f"a type list with several non-null types {named!r} is not supported"
            self.problem(pointer, message + ACCEPTS_ANY, "use oneOf with one schema per type")
            return AnyValue()
        kind = named[0] if named else None
        if kind == "object" or (kind is None and objectish(node)):
            return object_type(self, node, pointer, hint, own)
        if kind == "array" or (kind is None and "items" in node):
            return self._array(node, pointer, hint)
        if kind in PRIMITIVES:
            format_ = node.get("format")
            return Primitive(PRIMITIVES[kind], None if format_ is None else str(format_))
        if kind is not None:
            self.problem(pointer, f"unknown type {kind!r}{ACCEPTS_ANY}", "use a JSON Schema type")
        elif node.get("type") in ("null", ["null"]):
            return Const(None)
        return AnyValue()

    def resolve(self, ref: Any, pointer: str) -> tuple[Any, str] | None:
        """Return the node a local ``$ref`` points to, and its JSON pointer."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            hint = "bundle the document into one file first (for example `redocly bundle`)"
            self.problem(pointer, f"remote $ref {ref!r} is not supported{ACCEPTS_ANY}", hint)
            return None
        target = follow(self.document, ref)
        if target is MISSING:
            self.problem(pointer, f"$ref {ref!r} does not resolve{ACCEPTS_ANY}", "fix the pointer")
            return None
        return target, unquote(ref[1:])

    def resolve_quietly(self, ref: str) -> Any:
        """The node a local ``$ref`` points to, or None (no problem is reported: the
        caller only looks, and the ``$ref`` is reported where it is loaded)."""
        if not ref.startswith("#"):
            return None
        target = follow(self.document, ref)
        return None if target is MISSING else target

    def component(self, pointer: str) -> str | None:
        """The name of the definition at ``pointer``, if it points at one."""
        name = unescape(pointer[len(COMPONENTS) :])
        named = pointer.startswith(COMPONENTS) and "/" not in pointer[len(COMPONENTS) :]
        return name if named and name in self.components else None

    def ref(self, ref: Any, pointer: str) -> TypeRef:
        """The type a ``$ref`` stands for: a ``Ref`` to a definition, or the schema it leads to."""
        resolved = self.resolve(ref, pointer)
        if resolved is None:
            return AnyValue()
        target, at = resolved
        name = self.component(at)
        if name is not None:
            nullable = isinstance(target, Mapping) and marks_null(target) and objectish(target)
            return Nullable(Ref(name)) if nullable else Ref(name)
        if id(target) in self.inline:
            return Ref(self.inline[id(target)])
        if at in self.following:
            hint = "move the schema under components/schemas and $ref it by name"
            message = f"$ref {ref!r} recurses outside components.schemas{ACCEPTS_ANY}"
            self.problem(pointer, message, hint)
            return AnyValue()
        self.following.add(at)
        try:
            return self.type_of(target, at, pointer_hint(at))
        finally:
            self.following.discard(at)

    def _enum(self, values: Any, pointer: str) -> TypeRef:
        if not isinstance(values, list):
            self.problem(pointer, f"enum {values!r} is not a list{ACCEPTS_ANY}", "list the values")
            return AnyValue()
        if not all(is_json(value) for value in values):
            message = f"enum values that are not JSON values are left out: {values!r}"
            self.problem(pointer, message, "NaN and Infinity are not JSON")
        kept = tuple(to_json(value) for value in values if value is not None and is_json(value))
        if values and not kept:
            return Const(None)
        return Nullable(EnumOf(kept)) if None in values else EnumOf(kept)

    def _array(self, node: Mapping[str, Any], pointer: str, hint: str) -> TypeRef:
        items = node.get("items")
        if isinstance(items, list):
            self.problem(
                pointer, f"tuple items are not supported{ACCEPTS_ANY}", "use one items schema"
            )
            return ArrayOf(AnyValue())
        return ArrayOf(self.type_of(items, f"{pointer}/items", f"{hint}Item"))
