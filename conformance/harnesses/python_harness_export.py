"""What the Python harness exports beyond pydantic's JSON Schema (see ``python_harness.py``).

Runs under the SDK's own interpreter with the standard library only, like the
harness. Two concerns, both read from the SDK's own metadata:

* ``not_wire_json(cls)``: why a model class is not wire JSON, or ``""``. A
  Speakeasy operation request model holds path, query and header parameters
  beside a body: its fields carry ``FieldMetadata(path=..., query=...,
  header=..., request=...)`` in their pydantic metadata (multipart and form
  bodies, and security schemes, likewise never travel as JSON). A paginated
  response wrapper holds a ``next`` callable, and an operation's response wrapper
  (older Speakeasy ``XResponse``) the raw HTTP response (``httpx.Response``).
  None is ever read from or written to JSON by the SDK; only the body model
  they point at is.
* ``schema_generator(json_schema)``: a ``GenerateJsonSchema`` subclass that
  keeps what pydantic leaves out of the JSON Schema. A union discriminated by a
  callable (``Discriminator(lambda m: get_discriminator(m, "type", "type"))``
  with ``Tag`` members) gets ``discriminator: {propertyName, mapping}``: the
  property is found by calling the SDK's own callable. An open enum (an enum
  class whose metaclass is Speakeasy's ``OpenEnumMeta``, or a union of literals
  or an enum with ``UnrecognizedStr``/``UnrecognizedInt``, or known strings beside
  ``Any`` as Fern writes one) is exported as its known values with ``x-open-enum:
  true``, where pydantic writes a plain string (or any value).
"""

from __future__ import annotations

import collections.abc
import contextlib
import enum
import inspect
import typing
from typing import Any

#: FieldMetadata attributes that put a field somewhere other than a JSON body.
_LOCATIONS = ("path", "query", "header", "request", "form", "multipart", "security")
#: Speakeasy's catch-all member types of an open enum union.
_UNRECOGNIZED = frozenset({"UnrecognizedStr", "UnrecognizedInt"})
#: Modules of HTTP clients whose ``Response`` class an operation's response wrapper holds.
_HTTP_CLIENTS = frozenset({"httpx", "requests", "aiohttp"})
#: The mark of an ``Unrecognized*`` member while its union is being exported.
_MARK = "x-unrecognized"


def not_wire_json(cls: Any) -> str:
    """Why ``cls`` is an SDK-side container, not a wire model; ``""`` when it is wire JSON."""
    located: dict[str, list[str]] = {}
    callables: list[str] = []
    responses: list[str] = []
    for name, info in getattr(cls, "model_fields", {}).items():
        for metadata in getattr(info, "metadata", None) or ():
            if type(metadata).__name__ != "FieldMetadata":
                continue
            for where in _LOCATIONS:
                if getattr(metadata, where, None) is not None:
                    located.setdefault(where, []).append(name)
        if _holds_callable(getattr(info, "annotation", None)):
            callables.append(name)
        if _holds(getattr(info, "annotation", None), _is_http_response):
            responses.append(name)
    if located:
        kinds = ", ".join(f"{where}={fields[0]!r}" for where, fields in located.items())
        if located.keys() & {"path", "query", "header", "request"}:
            what = "operation parameters, not a JSON body"
        elif "security" in located:
            what = "security credentials, sent as headers, not JSON"
        else:
            what = "a form body, sent as form data, not JSON"
        return f"{what}: fields carry FieldMetadata({kinds})"
    if callables:
        names = ", ".join(repr(name) for name in callables)
        return f"holds a callable ({names}): an SDK-side wrapper such as a pagination result"
    if responses:
        names = ", ".join(repr(name) for name in responses)
        return f"holds the raw HTTP response ({names}): an SDK-side operation response wrapper"
    return ""


def _holds_callable(annotation: Any) -> bool:
    """Whether a field's type is a callable, maybe inside Optional/Union/Annotated."""
    return _holds(annotation, _is_callable)


def _is_callable(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return annotation is collections.abc.Callable or origin is collections.abc.Callable


def _is_http_response(annotation: Any) -> bool:
    """An HTTP client's response class (``httpx.Response``)."""
    module = str(getattr(annotation, "__module__", "")).split(".")[0]
    return (
        isinstance(annotation, type)
        and annotation.__name__ == "Response"
        and module in _HTTP_CLIENTS
    )


def _holds(annotation: Any, test: Any, depth: int = 0) -> bool:
    """Whether a field's type passes ``test``, maybe inside Optional/Union/Annotated."""
    if annotation is None or depth > 8:
        return False
    if test(annotation):
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _holds(typing.get_args(annotation)[0], test, depth + 1)
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return any(_holds(arg, test, depth + 1) for arg in typing.get_args(annotation))
    return False


def schema_generator(json_schema: Any) -> Any:
    """A subclass of ``json_schema.GenerateJsonSchema`` that keeps discriminators and open enums."""
    base = json_schema.GenerateJsonSchema

    class SdkJsonSchema(base):  # type: ignore[misc, valid-type]
        def tagged_union_schema(self, schema: Any) -> Any:
            generated = super().tagged_union_schema(schema)
            choose = schema.get("discriminator")
            if "discriminator" in generated or not callable(choose):
                return generated
            tags = [str(tag) for tag in schema["choices"]]
            prop = discriminator_property(choose, tags)
            if prop is None:
                return generated
            mapping: dict[str, str] = {}
            for tag, choice in schema["choices"].items():
                member = self.generate_inner(choice)
                if not isinstance(member, dict) or not isinstance(member.get("$ref"), str):
                    return generated  # a mapping can only name schemas
                mapping[str(tag)] = member["$ref"]
            return {**generated, "discriminator": {"propertyName": prop, "mapping": mapping}}

        def lax_or_strict_schema(self, schema: Any) -> Any:
            found = _validated_class(schema)
            if found is not None and _is_open_enum_class(found):
                return _open_enum([member.value for member in found], found.__name__)
            if found is not None and found.__name__ in _UNRECOGNIZED:
                kind = "integer" if issubclass(found, int) else "string"
                return {"type": kind, _MARK: True}
            return super().lax_or_strict_schema(schema)

        def union_schema(self, schema: Any) -> Any:
            generated = super().union_schema(schema)
            members = generated.get("anyOf") if isinstance(generated, dict) else None
            if not isinstance(members, list):
                return generated
            if any(_MARK in m for m in members):
                return self._open_union(generated, members)
            if {} in members:
                return self._catch_all(generated, members)
            return generated

        def _catch_all(self, generated: dict[str, Any], members: list[Any]) -> Any:
            """Known strings beside ``Any`` (Fern's open enum, ``Union[Literal[...], Any]``):
            an open enum of strings; any other union with ``Any`` stays as it is."""
            known: list[Any] = []
            nullable = False
            for member in members:
                if member == {}:
                    continue
                if member == {"type": "null"}:
                    nullable = True
                    continue
                values = self._values(member)
                if values is None:
                    return generated
                known += [value for value in values if value not in known]
            if not known or not all(isinstance(value, str) for value in known):
                return generated
            node = _open_enum(known, "")
            return {"anyOf": [node, {"type": "null"}]} if nullable else node

        def _open_union(self, generated: dict[str, Any], members: list[Any]) -> Any:
            known: list[Any] = []
            nullable = False
            for member in members:
                if _MARK in member:
                    continue
                if member == {"type": "null"}:
                    nullable = True
                    continue
                values = self._values(member)
                if values is None:  # not an enum of known values: an open string stays a string
                    return {**generated, "anyOf": [_unmarked(m) for m in members]}
                known += [value for value in values if value not in known]
            node = _open_enum(known, "")
            return {"anyOf": [node, {"type": "null"}]} if nullable else node

        def _values(self, member: dict[str, Any]) -> list[Any] | None:
            if "$ref" in member:
                try:
                    member = self.get_schema_from_definitions(member["$ref"]) or {}
                except Exception:
                    return None
            if "const" in member:
                return [member["const"]]
            values = member.get("enum")
            return list(values) if isinstance(values, list) else None

    return SdkJsonSchema


def discriminator_property(choose: Any, tags: list[str]) -> str | None:
    """The wire key the SDK's discriminator callable reads, checked on every tag; else None.

    A recording dict shows which keys the callable looks up; a key counts when
    the callable, given ``{key: tag}``, answers ``tag`` for every tag.
    """
    probe = _KeyProbe()
    with contextlib.suppress(Exception):
        choose(probe)
    for key in dict.fromkeys(probe.asked):
        try:
            if all(str(choose({key: tag})) == tag for tag in tags):
                return key
        except Exception:
            continue
    return None


class _KeyProbe(dict[Any, Any]):
    """A mapping that has every key, and remembers the string keys asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def _ask(self, key: Any) -> str:
        if isinstance(key, str):
            self.asked.append(key)
        return "?"

    def __contains__(self, key: object) -> bool:
        self._ask(key)
        return True

    def __getitem__(self, key: Any) -> str:
        return self._ask(key)

    def get(self, key: Any, default: Any = None) -> str:
        return self._ask(key)


def _validated_class(schema: Any) -> Any:
    """The class a custom ``lax_or_strict`` core schema's lax validator closes over, if any."""
    lax = schema.get("lax_schema") or {}
    steps = lax.get("steps") if lax.get("type") == "chain" else [lax]
    for step in steps or ():
        function = step.get("function") if isinstance(step, dict) else None
        inner = function.get("function") if isinstance(function, dict) else None
        for cell in getattr(inner, "__closure__", None) or ():
            try:
                content = cell.cell_contents
            except ValueError:
                continue
            if isinstance(content, type):
                return content
    return None


def _is_open_enum_class(cls: type) -> bool:
    return issubclass(cls, enum.Enum) and any(
        meta.__name__ == "OpenEnumMeta" for meta in inspect.getmro(type(cls))
    )


def _open_enum(values: list[Any], title: str) -> dict[str, Any]:
    kinds = {
        "integer" if isinstance(v, int) and not isinstance(v, bool) else "string" for v in values
    }
    node: dict[str, Any] = {"enum": values, "x-open-enum": True}
    if len(kinds) == 1:
        node["type"] = kinds.pop()
    if title:
        node["title"] = title
    return node


def _unmarked(member: Any) -> Any:
    if isinstance(member, dict) and _MARK in member:
        return {key: value for key, value in member.items() if key != _MARK}
    return member
