"""The API's operations: each request and response body under ``paths`` becomes a ``Body``.

Operations are read in document order (paths, then ``get``, ``put``, ``post``,
``delete``, ``options``, ``head``, ``patch``, ``trace``; the request body first,
then the responses as written), and every media type of a body that has a
``schema`` is recorded. ``$ref``s standing for a path item, an operation, a
request body or a response (``#/components/requestBodies/X``...) are followed,
with a cycle guard; one that goes nowhere is one problem, and the rest loads.

A JSON body (``application/json`` or a ``+json`` type) that is a ``$ref`` to a
named schema is that definition. An inline one becomes a definition named after
its operation: ``{Op}RequestBody``, ``{Op}ResponseBody`` for the first 2xx
response with a JSON body, ``{Op}{Status}ResponseBody`` for the others, with a
number added when the name is taken. The same schema node (a shared
``components/requestBodies`` entry) is one definition, named where it is met
first. Other media types (forms, event streams, bytes) are recorded with no
model: nothing is converted or reported for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

from attrs import define

from conformance.schema.model import Body
from conformance.sources.openapi._pointers import MISSING, escape, follow, pascal

if TYPE_CHECKING:
    from conformance.sources.openapi._loader import Loader

__all__ = ["METHODS", "add_bodies", "is_json_media"]

#: The operations of a path item, in the order they are read.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: A status of the 2xx family, as OpenAPI writes it ("200", "2XX").
_SUCCESS = re.compile(r"2(?:[0-9][0-9]|XX)", re.IGNORECASE)


def is_json_media(media_type: str) -> bool:
    """Whether a media type is JSON: ``application/json`` or any ``+json`` type."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def add_bodies(loader: Loader) -> None:
    """Record the body of every operation under the document's ``paths`` in ``loader``."""
    paths = loader.document.get("paths")
    if paths is None:
        return
    if not isinstance(paths, Mapping):
        loader.problem("/paths", "paths is not a mapping; no body is read", "map each path")
        return
    for raw, item in paths.items():
        path = str(raw)
        if path.startswith("x-"):
            continue
        found = _deref(loader, item, "/paths/" + escape(path), "path item")
        if found is None:
            continue
        item, at = found
        for method in METHODS:
            if method in item:
                _read_operation(loader, path, method, item[method], f"{at}/{method}")


def _read_operation(loader: Loader, path: str, method: str, node: Any, pointer: str) -> None:
    found = _deref(loader, node, pointer, "operation")
    if found is None:
        return
    node, pointer = found
    given = node.get("operationId")
    named = isinstance(given, str) and given.strip() != ""
    name = given if named else f"{method.upper()} {path}"
    operation = _Operation(loader, name, pascal(name if named else f"{method} {path}"))
    if "requestBody" in node:
        operation.request(node["requestBody"], f"{pointer}/requestBody")
    responses = node.get("responses")
    if responses is not None and not isinstance(responses, Mapping):
        message = "responses is not a mapping; no response body is read"
        loader.problem(f"{pointer}/responses", message, "map each status to a response")
        return
    for status, response in (responses or {}).items():
        if not str(status).startswith("x-"):
            operation.response(str(status), response, f"{pointer}/responses/{escape(str(status))}")


@define
class _Operation:
    """One operation being read: its name, and whether its plain response name is free."""

    loader: Loader
    name: str  # the operationId, or "POST /v2/things/{id}"
    prefix: str  # the PascalCase start of its bodies' names
    plain_free: bool = True  # no response has been named {Op}ResponseBody yet

    def request(self, node: Any, pointer: str) -> None:
        """Record each media type of a request body (or the one its ``$ref`` leads to)."""
        found = _deref(self.loader, node, pointer, "request body")
        if found is not None:
            for media, schema, at in _contents(self.loader, *found):
                self._add("request", media, schema, at, f"{self.prefix}RequestBody")

    def response(self, status: str, node: Any, pointer: str) -> None:
        """Record each media type of the response to ``status``."""
        found = _deref(self.loader, node, pointer, "response")
        if found is None:
            return
        contents = list(_contents(self.loader, *found))
        plain = (
            self.plain_free
            and _SUCCESS.fullmatch(status) is not None
            and any(is_json_media(media) for media, _, _ in contents)
        )
        self.plain_free = self.plain_free and not plain
        hint = f"{self.prefix}{'' if plain else pascal(status)}ResponseBody"
        for media, schema, at in contents:
            self._add("response", media, schema, at, hint, status)

    def _add(
        self,
        direction: Literal["request", "response"],
        media: str,
        schema: Any,
        pointer: str,
        hint: str,
        status: str = "",
    ) -> None:
        model = _model(self.loader, schema, pointer, hint) if is_json_media(media) else ""
        location = f"{self.loader.source}#{pointer}"
        self.loader.bodies.append(Body(model, direction, self.name, status, media, location))


def _model(loader: Loader, schema: Any, pointer: str, hint: str) -> str:
    """The definition a JSON body's schema is: a named schema, or a new one from ``hint``."""
    if isinstance(schema, Mapping):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            named = loader.component(unquote(ref[1:]))
            if named is not None:
                return named
        if id(schema) in loader.inline:
            return loader.inline[id(schema)]
    name = loader.reserve(hint)
    if isinstance(schema, Mapping):  # a $ref back to this node is a Ref to this definition
        loader.inline[id(schema)] = name
    loader.define(name, schema, pointer)
    return name


def _contents(
    loader: Loader, owner: Mapping[str, Any], pointer: str
) -> Iterator[tuple[str, Any, str]]:
    """Each media type of a body's ``content`` that has a schema, the schema, and its pointer."""
    content = owner.get("content")
    if content is None:
        return
    if not isinstance(content, Mapping):
        message = "content is not a mapping; its bodies are left out"
        loader.problem(f"{pointer}/content", message, "map each media type to a media type object")
        return
    for raw, entry in content.items():
        media = str(raw)
        at = f"{pointer}/content/{escape(media)}"
        if isinstance(entry, Mapping) and "schema" in entry:
            yield media, entry["schema"], f"{at}/schema"
        elif not isinstance(entry, Mapping) and is_json_media(media):
            message = f"the {media!r} media type object is not a mapping; it is left out"
            loader.problem(at, message, "write it as a mapping with a schema")


def _deref(
    loader: Loader, node: Any, pointer: str, what: str
) -> tuple[Mapping[str, Any], str] | None:
    """The object ``node`` is, following ``$ref``s, and its pointer; ``None`` (reported) if
    a ``$ref`` goes nowhere or the object is not a mapping."""
    left_out = f"; the {what} is left out"
    seen = {pointer}
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            hint = "bundle the document into one file first (for example `redocly bundle`)"
            loader.problem(pointer, f"remote $ref {ref!r} is not supported{left_out}", hint)
            return None
        target, at = follow(loader.document, ref), unquote(ref[1:])
        if target is MISSING or at in seen:
            what_then = "does not resolve" if target is MISSING else "cycles back"
            hint = "fix the pointer" if target is MISSING else "break the cycle"
            loader.problem(pointer, f"$ref {ref!r} {what_then}{left_out}", hint)
            return None
        seen.add(at)
        node, pointer = target, at
    if not isinstance(node, Mapping):
        loader.problem(
            pointer, f"the {what} is not a mapping; it is left out", "write it as a mapping"
        )
        return None
    return node, pointer
