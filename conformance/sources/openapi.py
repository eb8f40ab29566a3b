"""Load the ``components.schemas`` of an OpenAPI 3.0/3.1 document into the neutral schema.

Each named schema becomes a ``Model`` (objects) or an ``Alias`` (the rest). Inline
object schemas become synthetic models named after their place: parent name plus
PascalCase property name, ``Item`` for array items, ``1``, ``2``... for union
members. A ``$ref`` to a named schema is a ``Ref``, so recursion costs nothing;
``allOf`` is merged into one model, following ``$ref`` members with a cycle guard.
A named object marked nullable stays a ``Model``; every ``Ref`` to it is ``Nullable``.

Nothing is dropped silently: what cannot be expressed (remote refs, ``not``,
``patternProperties``...) becomes a ``Problem`` at its JSON pointer with
``AnyValue`` in its place, and value-only keywords (``pattern``, ``maximum``...)
are reported as ``ignored`` once per definition. Only a document unusable as a
whole raises ``SchemaError``. YAML scalars follow YAML 1.2 where wire values care:
only ``true``/``false`` are booleans, dates stay strings, floats keep their token.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import unquote

import yaml
from attrs import define, field

from conformance.core import jsonwire
from conformance.exceptions import SchemaError
from conformance.schema.model import (
    NO_DEFAULT,
    Alias,
    AnyValue,
    ArrayOf,
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
    PrimitiveKind,
    Problem,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
    _NoDefault,
)

__all__ = ["load_openapi", "schema_from_document"]

_COMPONENTS = "/components/schemas/"
_PRIMITIVES: dict[str, PrimitiveKind] = {kind: kind for kind in get_args(PrimitiveKind)}
#: Keywords whose schema is replaced by ``AnyValue`` (with a problem).
_UNSUPPORTED = frozenset(
    {"not", "if", "then", "else", "prefixItems", "dependentSchemas", "unevaluatedItems"}
    | {"$dynamicRef", "$recursiveRef"}
)
#: Keywords that only constrain values: reported as ignored.
_VALIDATION = frozenset(
    {"minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum"}
    | {"exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"}
    | {"minProperties", "maxProperties", "propertyNames", "contains", "minContains"}
    | {"maxContains", "dependentRequired", "contentSchema"}
)
#: Keywords that change nothing on the wire: silently accepted.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "externalDocs"}
    | {"xml", "$comment", "$schema", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor"}
    | {"$defs"}
    | {"definitions", "contentMediaType", "contentEncoding", "nullable"}
)
_OBJECT_KEYS = frozenset(
    {"properties", "additionalProperties", "unevaluatedProperties", "patternProperties"}
    | {"allOf", "required"}
)
_HANDLED = _ANNOTATIONS | _UNSUPPORTED | _OBJECT_KEYS
_HANDLED |= {"$ref", "type", "format", "enum", "const", "items", "oneOf", "anyOf"}
_HINT_SKIP = frozenset({"components", "schemas", "properties", "$defs", "definitions"})
_MISSING = object()
_ANY = "; any value is accepted here"


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser, when PyYAML has it, reads large documents ten times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_SafeLoader):
    """A safe loader that keeps dates as strings and only true/false as booleans."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith((":bool", ":timestamp"))]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _yaml_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    try:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))
    except InvalidOperation:
        return Decimal(repr(loader.construct_yaml_float(node)))


_YamlLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)


def _yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | Decimal:
    try:
        value: int = loader.construct_yaml_int(node)
    except ValueError as error:  # more digits than sys.get_int_max_str_digits() allows
        digits = str(loader.construct_scalar(node)).replace("_", "")
        if re.fullmatch(r"[-+]?[0-9]+", digits):
            return Decimal(digits)  # exact, as jsonwire reads a long JSON integer
        raise yaml.constructor.ConstructorError(
            None, None, f"unreadable integer: {error}", node.start_mark
        ) from None
    return value


_YamlLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)


def load_openapi(path: str | os.PathLike[str]) -> Schema:
    """Read an OpenAPI 3.0/3.1 document (YAML, or JSON for ``.json``) into a ``Schema``."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        hint = "check the path, and that the file is UTF-8 text"
        raise SchemaError(f"cannot read the OpenAPI document: {reason}", hint, file=file) from error
    return schema_from_document(_parse(text, file), file)


def _parse(text: str, file: str) -> Any:
    if file.lower().endswith(".json"):
        try:
            return jsonwire.loads(text)
        except json.JSONDecodeError as error:
            message = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            raise SchemaError(message, "fix the JSON syntax", file=file) from error
        except ValueError as error:
            raise SchemaError(f"invalid JSON: {error}", "fix the JSON", file=file) from error
    try:
        _check_yaml_depth(text, file)
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SchemaError(
            f"invalid YAML{where}: {problem}", "fix the YAML syntax", file=file
        ) from error


def _check_yaml_depth(text: str, file: str) -> None:
    """Refuse YAML nested deeper than ``jsonwire.MAX_DEPTH``, as JSON documents are.

    The rule is ours, not the YAML library's: libyaml builds differ (some refuse 1,000
    levels in the scanner, older ones none) and the pure-Python composer recurses. The
    parser's event stream is flat, so counting it costs a fraction of a load.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > jsonwire.MAX_DEPTH:
                mark = event.start_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
                message = f"{where}: nested more than {jsonwire.MAX_DEPTH} levels deep"
                hint = "refer to a named schema with $ref instead of nesting it inline"
                raise SchemaError(message, hint, file=file)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


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
    if not isinstance(schemas, Mapping) or not schemas:
        hint = "define the API's models under components.schemas, or bundle the document"
        message = "the document defines no components.schemas"
        raise SchemaError(message, hint, file=source, pointer="/components/schemas")
    loader = _Loader(document, source, {str(name): node for name, node in schemas.items()})
    return loader.load()


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


@define
class _Loader:
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

    def load(self) -> Schema:
        self.definitions = dict.fromkeys(self.components)
        for name, node in self.components.items():
            self.current = name
            try:
                self._definition(name, node)
            except RecursionError:
                # Python's stack ran out, not the document: schemas nested hundreds of levels
                # deep, or a node that contains itself through a YAML alias (&a ... *a).
                self.following.clear()
                pointer = _COMPONENTS + _escape(name)
                message = "nested too deeply, or contains itself through a YAML alias" + _ANY
                self._problem(pointer, message, "refer to a named schema with $ref instead")
                self.definitions[name] = Alias(name, AnyValue(), "", f"{self.source}#{pointer}")
        definitions = {name: each for name, each in self.definitions.items() if each is not None}
        return Schema(definitions, tuple(self.problems), self.source)

    def _problem(self, pointer: str, message: str, hint: str = "") -> None:
        self.problems[Problem(f"{self.source}#{pointer}", message, hint)] = None

    def _ignore(self, keyword: str, pointer: str, why: str) -> None:
        if (self.current, keyword) not in self.noted:
            self.noted.add((self.current, keyword))
            self._problem(pointer, f"ignored {keyword!r}: {why}")

    def _definition(self, name: str, node: Any) -> None:
        pointer = _COMPONENTS + _escape(name)
        type_ = self._type(node, pointer, name, own=name)
        if isinstance(self.definitions[name], Model) and _inner(type_) == Ref(name):
            return
        if self._alias_cycle(name, type_):
            self._problem(pointer, "aliases $ref each other in a cycle" + _ANY, "break the cycle")
            type_ = AnyValue()
        self.definitions[name] = Alias(name, type_, _description(node), f"{self.source}#{pointer}")

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

    def _reserve(self, hint: str) -> str:
        name, number = hint, 2
        while name in self.definitions:
            name, number = f"{hint}{number}", number + 1
        self.definitions[name] = None
        return name

    def _supported(self, node: Mapping[str, Any], pointer: str) -> bool:
        """Report unsupported keywords (``False``) and note ignored ones."""
        unsupported = ", ".join(repr(str(key)) for key in node if key in _UNSUPPORTED)
        if unsupported:
            hint = "describe the shape with type, properties, items or oneOf/anyOf"
            self._problem(pointer, f"{unsupported} is not supported{_ANY}", hint)
            return False
        for key in map(str, node):
            if key.startswith("x-") or key in _HANDLED:
                continue
            if key == "discriminator":
                if "oneOf" not in node and "anyOf" not in node:
                    self._ignore(key, pointer, "only a discriminator on oneOf/anyOf is used")
            elif key in _VALIDATION:
                self._ignore(key, pointer, "it only constrains values, not the wire shape")
            elif key in ("readOnly", "writeOnly"):
                self._ignore(key, pointer, "models have no request-only or response-only fields")
            else:
                self._ignore(key, pointer, "not an OpenAPI schema keyword")
        return True

    def _type(self, node: Any, pointer: str, hint: str, own: str | None = None) -> TypeRef:
        """Convert one schema node; ``own`` names the definition an object should become."""
        if node is None or node is True:
            return AnyValue()
        if not isinstance(node, Mapping):
            what = "the false schema accepts nothing" if node is False else f"{node!r} is no schema"
            self._problem(pointer, what + _ANY, "use a schema mapping, or {} for any value")
            return AnyValue()
        if not self._supported(node, pointer):
            return AnyValue()
        type_ = self._shape(node, pointer, hint, own)
        if not _marks_null(node) or isinstance(type_, Nullable | AnyValue) or type_ == Const(None):
            return type_
        return Nullable(type_)

    def _shape(self, node: Mapping[str, Any], pointer: str, hint: str, own: str | None) -> TypeRef:
        if "$ref" in node:
            return self._ref(node["$ref"], pointer)
        if "enum" in node:
            return self._enum(node["enum"], pointer)
        if "const" in node:
            if not _is_json(node["const"]):
                self._problem(pointer, f"const {node['const']!r} is not a JSON value{_ANY}")
                return AnyValue()
            return Const(_json(node["const"]))
        for key in ("oneOf", "anyOf"):
            if key in node and _only_required(node[key]):
                self._ignore(key, pointer, "its members only list required properties")
            elif key in node:
                return self._union(node, key, pointer, hint)
        wrapped = _single_member(node)
        if wrapped is not None:
            return self._type(node["allOf"][wrapped], f"{pointer}/allOf/{wrapped}", hint)
        kinds = _kinds(node)
        if len(kinds) > 1:
            message = f"a type list with several non-null types {kinds!r} is not supported{_ANY}"
            self._problem(pointer, message, "use oneOf with one schema per type")
            return AnyValue()
        kind = kinds[0] if kinds else None
        if kind == "object" or (kind is None and _objectish(node)):
            return self._object(node, pointer, hint, own)
        if kind == "array" or (kind is None and "items" in node):
            return self._array(node, pointer, hint)
        if kind in _PRIMITIVES:
            format_ = node.get("format")
            return Primitive(_PRIMITIVES[kind], None if format_ is None else str(format_))
        if kind is not None:
            self._problem(pointer, f"unknown type {kind!r}{_ANY}", "use a JSON Schema type")
        elif node.get("type") in ("null", ["null"]):
            return Const(None)
        return AnyValue()

    def _resolve(self, ref: Any, pointer: str) -> tuple[Any, str] | None:
        """Return the node a local ``$ref`` points to, and its JSON pointer."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            hint = "bundle the document into one file first (for example `redocly bundle`)"
            self._problem(pointer, f"remote $ref {ref!r} is not supported{_ANY}", hint)
            return None
        target = _follow(self.document, ref)
        if target is _MISSING:
            self._problem(pointer, f"$ref {ref!r} does not resolve{_ANY}", "fix the pointer")
            return None
        return target, unquote(ref[1:])

    def _component(self, pointer: str) -> str | None:
        name = _unescape(pointer[len(_COMPONENTS) :])
        named = pointer.startswith(_COMPONENTS) and "/" not in pointer[len(_COMPONENTS) :]
        return name if named and name in self.components else None

    def _ref(self, ref: Any, pointer: str) -> TypeRef:
        resolved = self._resolve(ref, pointer)
        if resolved is None:
            return AnyValue()
        target, at = resolved
        name = self._component(at)
        if name is not None:
            nullable = isinstance(target, Mapping) and _marks_null(target) and _objectish(target)
            return Nullable(Ref(name)) if nullable else Ref(name)
        if id(target) in self.inline:
            return Ref(self.inline[id(target)])
        if at in self.following:
            hint = "move the schema under components/schemas and $ref it by name"
            self._problem(pointer, f"$ref {ref!r} recurses outside components.schemas{_ANY}", hint)
            return AnyValue()
        self.following.add(at)
        try:
            return self._type(target, at, _pointer_hint(at))
        finally:
            self.following.discard(at)

    def _enum(self, values: Any, pointer: str) -> TypeRef:
        if not isinstance(values, list):
            self._problem(pointer, f"enum {values!r} is not a list{_ANY}", "list the values")
            return AnyValue()
        if not all(_is_json(value) for value in values):
            message = f"enum values that are not JSON values are left out: {values!r}"
            self._problem(pointer, message, "NaN and Infinity are not JSON")
        kept = tuple(_json(value) for value in values if value is not None and _is_json(value))
        if values and not kept:
            return Const(None)
        return Nullable(EnumOf(kept)) if None in values else EnumOf(kept)

    def _default(self, node: Any, pointer: str) -> JsonValue | _NoDefault:
        if not isinstance(node, Mapping) or "default" not in node:
            return NO_DEFAULT
        if not _is_json(node["default"]):
            message = f"default {node['default']!r} is not a JSON value; it is ignored"
            self._problem(pointer, message, "NaN and Infinity are not JSON")
            return NO_DEFAULT
        return _json(node["default"])

    def _array(self, node: Mapping[str, Any], pointer: str, hint: str) -> TypeRef:
        items = node.get("items")
        if isinstance(items, list):
            self._problem(pointer, f"tuple items are not supported{_ANY}", "use one items schema")
            return ArrayOf(AnyValue())
        return ArrayOf(self._type(items, f"{pointer}/items", f"{hint}Item"))

    def _union(self, node: Mapping[str, Any], key: str, pointer: str, hint: str) -> TypeRef:
        members = node[key]
        if not isinstance(members, list):
            self._problem(pointer, f"{key} is not a list{_ANY}", "list the member schemas")
            return AnyValue()
        beside = [word for word in ("anyOf", "allOf", "properties") if word != key and word in node]
        if beside:
            message = f"{' and '.join(beside)} beside {key} is not merged into its members"
            self._problem(pointer, message, "move what the members share into each member")
        typed: list[tuple[Any, TypeRef]] = []
        nullable = False
        for index, member in enumerate(members):
            if isinstance(member, Mapping) and member.get("type") in ("null", ["null"]):
                nullable = True
                continue
            type_ = self._type(member, f"{pointer}/{key}/{index}", f"{hint}{index + 1}")
            nullable = nullable or isinstance(type_, Nullable)
            typed.append((member, _inner(type_)))
        discriminator = self._discriminator(node, typed, pointer)
        types = tuple(type_ for _, type_ in typed)
        union: TypeRef = UnionOf(types, "oneOf" if key == "oneOf" else "anyOf", discriminator)
        if len(types) < 2 and discriminator is None:
            union = types[0] if types else Const(None)
        return Nullable(union) if nullable and union != Const(None) else union

    def _discriminator(
        self, node: Mapping[str, Any], typed: list[tuple[Any, TypeRef]], pointer: str
    ) -> Discriminator | None:
        spec = node.get("discriminator")
        if spec is None:
            return None
        pointer = f"{pointer}/discriminator"
        if not isinstance(spec, Mapping) or not isinstance(spec.get("propertyName"), str):
            self._problem(pointer, "a discriminator without propertyName is ignored")
            return None
        pairs: list[tuple[str, str]] = []
        mapping = spec.get("mapping")
        for value, target in (mapping if isinstance(mapping, Mapping) else {}).items():
            name = self._mapping_target(str(target), f"{pointer}/mapping/{_escape(str(value))}")
            if name is not None:
                pairs.append((str(value), name))
        if not mapping:  # implicit: each named member maps its own name
            refs = (member.get("$ref") for member, _ in typed if isinstance(member, Mapping))
            names = (self._component(unquote(ref)[1:]) for ref in refs if isinstance(ref, str))
            pairs.extend((name, name) for name in names if name is not None)
        return Discriminator(spec["propertyName"], tuple(pairs))

    def _mapping_target(self, target: str, pointer: str) -> str | None:
        """The definition a discriminator mapping value names (a schema name or a $ref)."""
        if target in self.components:
            return target
        found = self._ref(target, pointer)
        return found.name if isinstance(found, Ref) else None

    def _object(self, node: Mapping[str, Any], pointer: str, hint: str, own: str | None) -> TypeRef:
        if own is None and id(node) in self.inline:
            return Ref(self.inline[id(node)])
        merged = _Merged()
        self._collect(node, pointer, None, merged, frozenset({pointer}))
        if not merged.mergeable:
            message = f"allOf of schemas that are not all objects cannot be merged{_ANY}"
            self._problem(pointer, message, "use oneOf/anyOf, or a single $ref")
            return AnyValue()
        closed = merged.additional is not None and merged.additional[0] is False
        if not merged.properties and not merged.required and (merged.patterned or not closed):
            values = self._additional(merged, hint)
            return MapOf(AnyValue() if values is None or values is False else values)
        name = own or self._reserve(hint)
        if own is None:
            self.inline[id(node)] = name
        fields = [
            Field(
                wire,
                self._type(prop, at, (owner or name) + _pascal(wire)),
                wire in merged.required,
                self._default(prop, at),
                _description(prop),
            )
            for wire, (prop, at, owner) in merged.properties.items()
        ]
        for wire in dict.fromkeys(merged.required):
            if wire not in merged.properties:
                message = f"required property {wire!r} is not declared{_ANY}"
                self._problem(pointer, message, "declare it under properties")
                fields.append(Field(wire, AnyValue(), required=True))
        members = node.get("allOf")
        descriptions = map(_description, [node, *(members if isinstance(members, list) else [])])
        description = next(filter(None, descriptions), "")
        source = f"{self.source}#{pointer}"
        model = Model(name, tuple(fields), self._additional(merged, name), description, source)
        self.definitions[name] = model
        return Ref(name)

    def _additional(self, merged: _Merged, owner: str) -> TypeRef | Literal[False] | None:
        if merged.patterned is not None:
            message = "patternProperties is not supported; extra keys accept any value"
            self._problem(merged.patterned, message, "use additionalProperties")
            return AnyValue()
        if merged.additional is None:
            return None
        raw, at, declared_by = merged.additional
        return False if raw is False else self._type(raw, at, f"{declared_by or owner}Value")

    def _collect(
        self, node: Any, pointer: str, owner: str | None, merged: _Merged, seen: frozenset[str]
    ) -> None:
        """Add an object schema, its ``allOf`` members and their ``$ref`` targets to ``merged``."""
        if isinstance(node, Mapping) and "$ref" in node:
            resolved = self._resolve(node["$ref"], pointer)
            if resolved is None:
                return
            target, at = resolved
            if at in seen:
                self._problem(pointer, f"allOf cycles back to {node['$ref']!r}", "break the cycle")
                return
            declared_by = self._component(at) or _pointer_hint(at)
            self._collect(target, at, declared_by, merged, seen | {at})
            return
        if not isinstance(node, Mapping) or not _objectish(node):
            merged.mergeable = merged.mergeable and (node is True or _annotation_only(node))
            return
        members = node.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else []):
            at = f"{pointer}/allOf/{index}"
            inline = isinstance(member, Mapping) and "$ref" not in member
            if not inline or self._supported(member, at):
                self._collect(member, at, owner, merged, seen)
        properties = node.get("properties")
        for wire, prop in (properties if isinstance(properties, Mapping) else {}).items():
            at = f"{pointer}/properties/{_escape(str(wire))}"
            merged.properties[str(wire)] = (prop, at, owner)
        required = node.get("required")
        merged.required.extend(map(str, required if isinstance(required, list) else []))
        for key in ("additionalProperties", "unevaluatedProperties"):
            if key in node:
                merged.additional = (node[key], f"{pointer}/{key}", owner)
        if "patternProperties" in node:
            merged.patterned = pointer


def _inner(type_: TypeRef) -> TypeRef:
    return type_.inner if isinstance(type_, Nullable) else type_


def _kinds(node: Mapping[str, Any]) -> list[str]:
    """The non-null types a schema names."""
    raw = node.get("type")
    types = raw if isinstance(raw, list) else [] if raw is None else [raw]
    return [str(each) for each in types if each != "null"]


def _marks_null(node: Mapping[str, Any]) -> bool:
    raw = node.get("type")
    return node.get("nullable") is True or (isinstance(raw, list) and "null" in raw)


def _objectish(node: Mapping[str, Any]) -> bool:
    return "$ref" not in node and ("object" in _kinds(node) or not _OBJECT_KEYS.isdisjoint(node))


def _annotation_only(node: Any) -> bool:
    """Whether a schema only describes (an ``allOf`` member adding a description)."""
    return isinstance(node, Mapping) and all(
        key in _ANNOTATIONS or key in ("readOnly", "writeOnly") or key.startswith("x-")
        for key in map(str, node)
    )


def _only_required(members: Any) -> bool:
    """Whether union members are bare ``required`` lists (constraints, not types)."""
    if not isinstance(members, list):
        return False
    return bool(members) and all(isinstance(m, Mapping) and set(m) == {"required"} for m in members)


def _single_member(node: Mapping[str, Any]) -> int | None:
    """The index of an allOf's only member beside annotations, unless it is an object."""
    members = node.get("allOf")
    if not isinstance(members, list) or not _OBJECT_KEYS.isdisjoint(set(node) - {"allOf"}):
        return None
    meaningful = [index for index, each in enumerate(members) if not _annotation_only(each)]
    if len(meaningful) != 1:
        return None
    only = members[meaningful[0]]
    return None if isinstance(only, Mapping) and _objectish(only) else meaningful[0]


def _description(node: Any) -> str:
    text = node.get("description") if isinstance(node, Mapping) else None
    return text if isinstance(text, str) else ""


def _is_json(value: Any) -> bool:
    """Whether a document value has a JSON form (YAML's ``.nan`` and ``.inf`` have none)."""
    if isinstance(value, float | Decimal):
        return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if isinstance(value, Mapping):
        return all(_is_json(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_is_json(item) for item in value)
    return True


def _json(value: Any) -> JsonValue:
    """A document value as exact JSON: floats become ``Decimal``, dates ISO strings."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if value is None or isinstance(value, bool | int | str | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _follow(document: Any, ref: str) -> Any:
    node = document
    for raw in ref[1:].split("/")[1:]:
        segment = _unescape(unquote(raw))
        if isinstance(node, Mapping) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return _MISSING
    return node


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _pascal(name: str) -> str:
    """``created_at`` -> ``CreatedAt``; the rest of each word keeps its case."""
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(word[:1].upper() + word[1:] for word in words) or "Property"


def _pointer_hint(pointer: str) -> str:
    """A definition name for the schema at a JSON pointer: ``/$defs/tree/items`` -> ``TreeItem``."""
    segments = [_unescape(each) for each in pointer.split("/")[1:]]
    words = ["Item" if each == "items" else each for each in segments if each not in _HINT_SKIP]
    return "".join(_pascal(word) for word in words) or "Schema"
