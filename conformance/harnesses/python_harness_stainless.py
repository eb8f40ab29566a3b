"""Stainless SDKs in the Python harness (``flavor = "stainless"``, see ``python_harness_flavours``).

Runs under the SDK's own interpreter with the standard library only, like the
harness. What a Stainless-generated client does, read from its own code:

* response: ``BaseAPIResponse._parse`` reads the body with ``response.json()``
  (httpx), unwraps a ``TypeAliasType`` or ``Annotated`` body type, and
  ``_base_client._process_response_data`` builds the object with
  ``_models.construct_type(type_=cast_to, value=data)``: no validation while the
  client's ``_strict_response_validation`` is False, its default. So
  ``response_validates`` is false. A ``null`` body is ``None``. Written back
  with the model's own ``to_json(indent=None)`` (wire names, fields the payload
  did not set left out); a value that is no model (a union whose members all
  failed to build, a list) has no writer: ``written: false``.
* request: a method takes ``TypedDict`` params, never checked at run time
  (``request_validates`` is false): the user's dict is the payload as it is,
  and the method sends ``_utils.maybe_transform(params, Params)`` (keys renamed
  by ``PropertyInfo(alias=...)``, dates formatted) encoded by
  ``_base_client``'s ``openapi_dumps`` (the ``content`` of the request; older
  generator versions without it hand ``json=`` to httpx, done here the same way).
  A params type that sends a key under another name (``PropertyInfo(alias=)``,
  in it or in a ``TypedDict`` it reaches) is skipped: its user writes the Python
  key, and building that dict from the wire's key would be renaming on the
  SDK's behalf.

Models: the SDK's pydantic classes are response models (direction ``response``,
keys their aliases or names); the ``TypedDict`` params are request models
(direction ``request``, keys the wire keys ``maybe_transform`` sends). Unions of
models (``union_alias``) are responses; unions of params are not listed.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the sibling; at run time it is top-level
    from conformance.harnesses.python_harness_flavours import HttpText, import_part, optional_part
else:
    from python_harness_flavours import HttpText, import_part, optional_part

#: How deep a type is walked for the params it reaches.
_DEPTH = 12


def load(package: str, base_model: Any, http: HttpText) -> StainlessRoutes:
    """The routes of the Stainless SDK ``package`` (``FlavourMissing`` when it is not one)."""
    _, construct_type, sdk_model = import_part(
        package, "_models", "construct_type", "BaseModel", flavor="stainless"
    )
    _, maybe_transform = import_part(package, "_utils", "maybe_transform", flavor="stainless")
    (base_client,) = import_part(package, "_base_client", flavor="stainless")
    return StainlessRoutes(
        package,
        http,
        construct_type,
        sdk_model,
        maybe_transform,
        getattr(base_client, "openapi_dumps", None),
        optional_part(package, "_utils._transform", "_maybe_transform_key"),
        optional_part(package, "_utils._transform", "get_type_hints"),
    )


def is_typeddict(value: Any) -> bool:
    # typing_extensions.TypedDict classes are not typing's, but both carry these.
    return (
        isinstance(value, type) and issubclass(value, dict) and hasattr(value, "__required_keys__")
    )


class StainlessRoutes:
    """How a Stainless SDK reads a response and writes a request, and which classes are models."""

    flavor = "stainless"

    def __init__(
        self,
        package: str,
        http: HttpText,
        construct_type: Callable[..., Any],
        sdk_model: Any,
        maybe_transform: Callable[[Any, Any], Any],
        dumps: Callable[[Any], bytes] | None,
        transform_key: Callable[[str, Any], str] | None,
        type_hints: Callable[..., dict[str, Any]] | None,
    ) -> None:
        self.package = package
        self.http = http
        self.construct_type = construct_type
        self.sdk_model = sdk_model
        self.maybe_transform = maybe_transform
        self.dumps = dumps
        self.transform_key = transform_key
        self.type_hints = type_hints

    def details(self) -> dict[str, Any]:
        dumps = f"{self.package}._utils._json.openapi_dumps" if self.dumps else self.http.writer
        return {
            "response_reader": f"{self.http.reader} + {self.package}._models.construct_type",
            "response_writer": "model.to_json(indent=None)",
            "request_reader": "the params dict as given (a TypedDict is not checked at run time)",
            "request_writer": f"{self.package}._utils.maybe_transform + {dumps}",
            "response_validates": False,
            "request_validates": False,
        }

    def warnings(self) -> list[str]:
        return []

    # -- models -------------------------------------------------------------

    def is_model(self, value: Any) -> bool:
        return is_typeddict(value)

    def directions(self, value: Any) -> list[str]:
        return ["request"] if is_typeddict(value) else ["response"]

    def not_wire(self, value: Any) -> str:
        """Why a ``TypedDict`` is no params type ``maybe_transform`` can send, or ``""``."""
        try:
            self._hints(value)
        except Exception as error:
            return (
                f"its type hints cannot be resolved ({type(error).__name__}: {error}):"
                " maybe_transform cannot send it, so it is no request body"
            )
        return ""

    def keys(self, value: Any) -> list[str]:
        if is_typeddict(value):
            return list(dict.fromkeys(self._wire_key(k, t) for k, t in self._hints(value).items()))
        keys = []
        for name, info in (getattr(value, "model_fields", None) or {}).items():
            alias = getattr(info, "alias", None)
            keys.append(alias if isinstance(alias, str) and alias else name)
        return list(dict.fromkeys(keys))

    # -- cases --------------------------------------------------------------

    def route(self, name: str, cls: Any, direction: str) -> Any:
        """(read, write) for a case, or why it is skipped."""
        if direction == "response":
            if is_typeddict(cls):
                return f"{name} is request params (a TypedDict): the SDK reads no response into it"
            return self._read_response, self._write_response
        if not is_typeddict(cls):
            return (
                f"{name} is a response model: the SDK's methods take TypedDict params, not models"
            )
        renamed = self._renamed(cls)
        if renamed:
            return (
                f"{renamed}: a user writes the Python key and maybe_transform renames it;"
                " building that dict from the wire's key would rename on the SDK's behalf"
            )
        return self._read_request, self._write_request

    def _read_response(self, text: str, cls: Any) -> Any:
        data = self.http.read(text)
        if data is None:
            return None
        return self.construct_type(type_=_body_type(cls), value=data)

    def _write_response(self, obj: Any, cls: Any) -> str | None:
        if not isinstance(obj, self.sdk_model):
            return None
        return str(obj.to_json(indent=None))

    def _read_request(self, text: str, cls: Any) -> Any:
        return json.loads(text)

    def _write_request(self, obj: Any, cls: Any) -> str | None:
        body = self.maybe_transform(obj, cls)
        if body is None:
            return None  # no JSON body is sent
        if self.dumps is not None:
            return bytes(self.dumps(body)).decode("utf-8")
        return self.http.write(body)

    # -- params -------------------------------------------------------------

    def _hints(self, cls: Any) -> dict[str, Any]:
        if self.type_hints is not None:
            return dict(self.type_hints(cls, include_extras=True))
        return typing.get_type_hints(cls, include_extras=True)

    def _wire_key(self, key: str, hint: Any) -> str:
        """The key ``maybe_transform`` sends for ``key`` (by the SDK's own function)."""
        if self.transform_key is not None:
            return str(self.transform_key(key, hint))
        while getattr(typing.get_origin(hint), "_name", None) in ("Required", "NotRequired"):
            hint = typing.get_args(hint)[0]
        for meta in getattr(hint, "__metadata__", ()):
            if type(meta).__name__ == "PropertyInfo" and getattr(meta, "alias", None):
                return str(meta.alias)
        return key

    def _renamed(self, cls: Any) -> str:
        """The first key, in ``cls`` or a params type it reaches, sent under another name."""
        seen: set[int] = set()
        pending = [cls]
        while pending:
            params = pending.pop(0)
            if id(params) in seen:
                continue
            seen.add(id(params))
            for key, hint in self._hints(params).items():
                wire = self._wire_key(key, hint)
                if wire != key:
                    return f"{params.__name__}[{key!r}] is sent as {wire!r}"
                pending += _params_in(hint, 0)
        return ""


def _body_type(cls: Any) -> Any:
    """The body type as ``BaseAPIResponse._parse`` passes it on: no alias, no ``Annotated``."""
    if type(cls).__name__ == "TypeAliasType":
        cls = cls.__value__
    if typing.get_origin(cls) is typing.Annotated:
        cls = typing.get_args(cls)[0]
    return cls


def _params_in(hint: Any, depth: int) -> list[Any]:
    """The ``TypedDict`` classes a type reaches (through unions, containers, ``Annotated``)."""
    if depth > _DEPTH:
        return []
    if type(hint).__name__ == "TypeAliasType":
        hint = hint.__value__
    if isinstance(hint, type):
        return [hint] if is_typeddict(hint) else []
    found: list[Any] = []
    for arg in typing.get_args(hint):
        found += _params_in(arg, depth + 1)
    return found
