"""Fern SDKs in the Python harness (``flavor = "fern"``, see ``python_harness_flavours``).

Runs under the SDK's own interpreter with the standard library only, like the
harness. What a Fern-generated client does, read from its own code:

* response: the generated ``raw_client.py`` / ``client.py`` files read a body
  with ``_response.json()`` (httpx) and build it with either
  ``core.unchecked_base_model.construct_type(type_=X, object_=...)`` (no
  validation: ``response_validates`` false) or
  ``core.pydantic_utilities.parse_obj_as(X, ...)`` (validated). Which one is
  decided at start by counting the calls in those files (the counts are in the
  details; a warning when both occur). ``construct_type`` and ``parse_obj_as``
  take any type, so unions run through them like classes.
* request: a model argument is built by its user with validation;
  ``core.pydantic_utilities.parse_obj_as(X, value)`` is the SDK's own function
  that builds one from a dict (it de-aliases ``FieldMetadata`` keys itself), so
  ``request_validates`` is true. The generated client sends it as
  ``convert_and_respect_annotation_metadata(object_=v, annotation=X,
  direction="write")`` (where the SDK has ``core/serialization.py``) inside the
  ``json=`` body, which ``core.http_client`` passes through
  ``core.jsonable_encoder.jsonable_encoder`` and httpx encodes.
* a response model written back goes the same way: Fern has one writer, used
  for every model a user passes into a call.

Models: every pydantic class, both directions; wire keys are the pydantic alias,
else a ``FieldMetadata(alias=...)`` in the field's metadata, else the name.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the sibling; at run time it is top-level
    from conformance.harnesses.python_harness_flavours import HttpText, import_part, optional_part
else:
    from python_harness_flavours import HttpText, import_part, optional_part

#: The generated files that call the SDK's response readers.
_CLIENT_FILES = frozenset({"raw_client.py", "client.py", "raw_base_client.py", "base_client.py"})
_CALL = re.compile(r"\b(construct_type|parse_obj_as)\(")


def load(package: str, base_model: Any, http: HttpText) -> FernRoutes:
    """The routes of the Fern SDK ``package`` (``FlavourMissing`` when it is not one)."""
    _, parse_obj_as = import_part(package, "core.pydantic_utilities", "parse_obj_as", flavor="fern")
    _, encoder = import_part(package, "core.jsonable_encoder", "jsonable_encoder", flavor="fern")
    calls = client_calls(package)
    construct_type = None
    if calls["construct_type"] > calls["parse_obj_as"]:
        _, construct_type = import_part(
            package, "core.unchecked_base_model", "construct_type", flavor="fern"
        )
    convert = optional_part(
        package, "core.serialization", "convert_and_respect_annotation_metadata"
    )
    return FernRoutes(package, http, parse_obj_as, encoder, construct_type, convert, calls)


def client_calls(package: str) -> dict[str, int]:
    """How often the package's generated clients call ``construct_type`` and ``parse_obj_as``."""
    counts = {"construct_type": 0, "parse_obj_as": 0}
    try:
        folders = list(importlib.import_module(package).__path__)
    except Exception:
        return counts
    for folder in folders:
        for where, _dirs, files in os.walk(folder):
            if os.path.basename(where) == "core":
                continue  # the functions' own definitions and helpers
            for name in _CLIENT_FILES.intersection(files):
                try:
                    with open(os.path.join(where, name), encoding="utf-8") as handle:
                        text = handle.read()
                except OSError:
                    continue
                for match in _CALL.finditer(text):
                    counts[match.group(1)] += 1
    return counts


class FernRoutes:
    """How a Fern SDK reads a response, builds and writes a request, and which keys it sends."""

    flavor = "fern"

    def __init__(
        self,
        package: str,
        http: HttpText,
        parse_obj_as: Callable[[Any, Any], Any],
        encoder: Callable[[Any], Any],
        construct_type: Callable[..., Any] | None,
        convert: Callable[..., Any] | None,
        calls: dict[str, int],
    ) -> None:
        self.package = package
        self.http = http
        self.parse_obj_as = parse_obj_as
        self.encoder = encoder
        self.construct_type = construct_type
        self.convert = convert
        self.calls = calls

    def details(self) -> dict[str, Any]:
        core = f"{self.package}.core"
        reader = (
            f"{core}.unchecked_base_model.construct_type"
            if self.construct_type is not None
            else f"{core}.pydantic_utilities.parse_obj_as"
        )
        writer = f"{core}.jsonable_encoder.jsonable_encoder + {self.http.writer}"
        if self.convert is not None:
            writer = f"{core}.serialization.convert_and_respect_annotation_metadata + {writer}"
        return {
            "response_reader": f"{self.http.reader} + {reader}",
            "response_writer": writer,
            "request_reader": f"{core}.pydantic_utilities.parse_obj_as",
            "request_writer": writer,
            "response_validates": self.construct_type is None,
            "request_validates": True,
            "client_calls": ", ".join(f"{name} {count}" for name, count in self.calls.items()),
        }

    def warnings(self) -> list[str]:
        if self.calls["construct_type"] and self.calls["parse_obj_as"]:
            used = "construct_type" if self.construct_type is not None else "parse_obj_as"
            return [
                f"the generated clients call both construct_type and parse_obj_as on responses"
                f" ({self.details()['client_calls']}): every response is read with {used},"
                " the one called most"
            ]
        return []

    # -- models -------------------------------------------------------------

    def is_model(self, value: Any) -> bool:
        return False

    def directions(self, value: Any) -> list[str]:
        return ["request", "response"]

    def kind(self, value: Any) -> str:
        return "object"

    def not_wire(self, value: Any) -> str:
        return ""

    def keys(self, value: Any) -> list[str]:
        keys = []
        for name, info in (getattr(value, "model_fields", None) or {}).items():
            alias = getattr(info, "alias", None)
            if not (isinstance(alias, str) and alias):
                alias = next(
                    (
                        meta.alias
                        for meta in getattr(info, "metadata", None) or ()
                        if type(meta).__name__ == "FieldMetadata"
                        and isinstance(getattr(meta, "alias", None), str)
                    ),
                    name,
                )
            keys.append(alias)
        return list(dict.fromkeys(keys))

    # -- cases --------------------------------------------------------------

    def route(self, name: str, cls: Any, direction: str) -> Any:
        """(read, write) for a case."""
        if direction == "response":
            return self._read_response, self._write
        return self._read_request, self._write

    def _read_response(self, text: str, cls: Any) -> Any:
        data = self.http.read(text)
        if self.construct_type is not None:
            return self.construct_type(type_=cls, object_=data)
        return self.parse_obj_as(cls, data)

    def _read_request(self, text: str, cls: Any) -> Any:
        return self.parse_obj_as(cls, json.loads(text))

    def _write(self, obj: Any, cls: Any) -> str | None:
        body = obj
        if self.convert is not None:
            body = self.convert(object_=obj, annotation=cls, direction="write")
        encoded = self.encoder(body)
        if encoded is None:
            return None  # no JSON body is sent
        return self.http.write(encoded)
