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
  and the method sends ``_utils.maybe_transform(body, Params)`` (keys renamed
  by ``PropertyInfo(alias=...)``, dates formatted) encoded by
  ``_base_client``'s ``openapi_dumps`` (the ``content`` of the request; older
  generator versions without it hand ``json=`` to httpx, done here the same way).
  ``body`` holds only the keys the method puts in the JSON body
  (``python_harness_stainless_sends`` reads them from the SDK's source): a
  params key sent as a header or in the URL is left out of it, as the method
  leaves it out, and the keys are in the order of the method's dict; a key the
  params type does not know is kept after them, as ``extra_body`` sends it.
  A case whose payload holds a key that ``maybe_transform`` sends under another
  name (``PropertyInfo(alias=)``, at any depth) is skipped: its user writes the
  Python key, and building that dict from the wire's key would be renaming on
  the SDK's behalf. Other cases of the same params type run.

A newer generation has no ``maybe_transform``: which request writer the installed
``_base_client`` uses is ``python_harness_stainless_writer``'s to find. Nothing is renamed
there (no ``PropertyInfo`` step), and which params types are JSON bodies is read from the
literals (``scan_literals``). Where the SDK has neither writer the harness still starts:
request cases are skipped with the reason, responses run.

Models: the SDK's pydantic classes are response models (direction ``response``,
keys their aliases or names). Request models are the ``TypedDict`` params a
method sends as a JSON body (keys: the wire keys of that body's keys), the
``TypedDict`` types such a body holds (all their keys), and the unions of
``TypedDict`` types (kind ``union``) a method sends (``RealtimeClientEventParam``
sent whole, ``ResponseCreateParams`` whose members ``create`` sends as
``A if stream else B``) or a body holds; they are written with
``maybe_transform(body, Union)``, which transforms the body by every member as
it does for a union field. A ``TypedDict`` no method sends in a JSON body
(query parameters, a multipart upload, unused) is listed under ``dropped`` with
how it is sent. Where the scan finds no ``maybe_transform`` call at all, every
``TypedDict`` is taken as a whole JSON body, with a start warning. Unions of
models (``union_alias``) are responses.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the siblings; at run time they are top-level
    from conformance.harnesses.python_harness_cases import CaseSkipped
    from conformance.harnesses.python_harness_flavours import HttpText, import_part, optional_part
    from conformance.harnesses.python_harness_names import value_key
    from conformance.harnesses.python_harness_stainless_sends import (
        Keys,
        Sends,
        scan,
        scan_literals,
    )
    from conformance.harnesses.python_harness_stainless_writer import (
        RequestWriter,
        request_writer,
    )
else:
    from python_harness_cases import CaseSkipped
    from python_harness_flavours import HttpText, import_part, optional_part
    from python_harness_names import value_key
    from python_harness_stainless_sends import Keys, Sends, scan, scan_literals
    from python_harness_stainless_writer import RequestWriter, request_writer

#: How deep a type is walked for the params it reaches.
_DEPTH = 12


def load(package: str, base_model: Any, http: HttpText) -> StainlessRoutes:
    """The routes of the Stainless SDK ``package`` (``FlavourMissing`` when it is not one)."""
    _, construct_type, sdk_model = import_part(
        package, "_models", "construct_type", "BaseModel", flavor="stainless"
    )
    (base_client,) = import_part(package, "_base_client", flavor="stainless")
    if not hasattr(base_client, "httpx") and hasattr(base_client, "httpx2"):
        http = HttpText("httpx2")  # the HTTP client this SDK's _base_client imports
    writer = request_writer(package, base_client, http)
    return StainlessRoutes(
        package,
        http,
        construct_type,
        sdk_model,
        writer,
        optional_part(package, "_utils._transform", "_maybe_transform_key"),
        optional_part(package, "_utils._transform", "get_type_hints"),
        scan_literals(package, value_key) if writer.prepares else scan(package, value_key),
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
        writer: RequestWriter,
        transform_key: Callable[[str, Any], str] | None,
        type_hints: Callable[..., dict[str, Any]] | None,
        sends: Sends,
    ) -> None:
        self.package = package
        self.http = http
        self.construct_type = construct_type
        self.sdk_model = sdk_model
        self.writer = writer
        #: Only ``maybe_transform`` sends keys under their ``PropertyInfo`` aliases.
        self.renames = not writer.prepares
        self.transform_key = transform_key
        self.type_hints = type_hints
        self.sends = sends
        #: Value keys of the ``TypedDict`` types a JSON body holds whole.
        self.held = self._held()
        self._unions: dict[Any, bool] = {}

    def details(self) -> dict[str, Any]:
        return {
            "response_reader": f"{self.http.reader} + {self.package}._models.construct_type",
            "response_writer": "model.to_json(indent=None)",
            "request_reader": "the params dict as given (a TypedDict is not checked at run time)",
            "request_writer": self.writer.name,
            "response_validates": False,
            "request_validates": False,
            "params_sent": self._sent_counts(),
        }

    def warnings(self) -> list[str]:
        if self.writer.write is None:
            return [f"no request writer found ({self.writer.name}): request cases are skipped"]
        if self.sends.files:
            return []
        return [
            f"no module of {self.package} has {self.sends.source}, so how its methods send each"
            " params type is unknown: every TypedDict is taken as a JSON body, with all its keys"
        ]

    def _sent_counts(self) -> str:
        """How many params types the SDK's methods send each way, and from how many modules."""
        counts: dict[str, int] = {}
        for _, uses in self.sends.uses.values():
            for use in uses:
                counts[use] = counts.get(use, 0) + 1
        ways = ", ".join(f"{use} {count}" for use, count in sorted(counts.items()))
        unpaired = f", {self.sends.unpaired} unpaired" if self.sends.unpaired else ""
        return f"{ways or 'none'} ({self.sends.source} in {self.sends.files} modules{unpaired})"

    # -- models -------------------------------------------------------------

    def is_model(self, value: Any) -> bool:
        return is_typeddict(value) or self._sent_union(value)

    def directions(self, value: Any) -> list[str]:
        return ["request"] if self.is_model(value) else ["response"]

    def kind(self, value: Any) -> str:
        return "object" if is_typeddict(value) else "union"

    def not_wire(self, value: Any) -> str:
        """Why a ``TypedDict`` is no JSON body the SDK sends, or ``""``."""
        if not is_typeddict(value):
            return ""  # a union is a model only where it is sent
        try:
            self._hints(value)
        except Exception as error:
            return (
                f"its type hints cannot be resolved ({type(error).__name__}: {error}):"
                " the SDK cannot send it, so it is no request body"
            )
        key = value_key(value)
        if not self.sends.files or key in self.sends.body_keys or key in self.held:
            return ""
        uses = self.sends.uses.get(key, (None, {}))[1]
        if not uses:
            return (
                "no method of the SDK sends it in a JSON body, nor does a JSON body hold it"
                f" (read from {self.package}'s {self.sends.source})"
            )
        ways = "; ".join(f"{_USES.get(use, use + '=')} ({where})" for use, where in uses.items())
        return f"the SDK's methods send it only as {ways}, never as a JSON body"

    def keys(self, value: Any) -> list[str]:
        if is_typeddict(value):
            sent = self._body_keys(value)
            return list(
                dict.fromkeys(
                    self._wire_key(k, t)
                    for k, t in self._hints(value).items()
                    if sent is None or k in sent
                )
            )
        keys = []
        for name, info in (getattr(value, "model_fields", None) or {}).items():
            alias = getattr(info, "alias", None)
            keys.append(alias if isinstance(alias, str) and alias else name)
        return list(dict.fromkeys(keys))

    def _held(self) -> set[Any]:
        """Value keys of the ``TypedDict`` types a JSON body holds whole: those its keys
        reach, the members of a union sent, and what these reach in turn."""
        pending: list[Any] = []
        for key, (params, _) in self.sends.uses.items():
            if key not in self.sends.body_keys:
                continue
            if is_typeddict(params):
                sent = self.sends.body_keys[key]
                for name, hint in self._safe_hints(params).items():
                    if sent is None or name in sent:
                        pending += _params_in(hint, 0)
            else:
                pending += _params_in(params, 0)
        held: set[Any] = set()
        while pending:
            params = pending.pop()
            key = value_key(params)
            if key in held:
                continue
            held.add(key)
            for hint in self._safe_hints(params).values():
                pending += _params_in(hint, 0)
        return held

    def _sent_union(self, value: Any) -> bool:
        """Whether ``value`` is a union of ``TypedDict`` types a method sends or a body holds:
        passed to ``maybe_transform`` itself, or each member sent or held."""
        members = _typeddict_members(value)
        if not members:
            return False
        key = value_key(value)
        known = self._unions.get(key)
        if known is not None:
            return known
        sent = key in self.sends.body_keys or all(
            value_key(m) in self.sends.body_keys or value_key(m) in self.held for m in members
        )
        self._unions[key] = sent
        return sent

    def _body_keys(self, cls: Any) -> Keys | None:
        """The Python keys of ``cls`` a JSON body holds, in order (None: all, as given)."""
        if not self.sends.files:
            return None
        key = value_key(cls)
        if key in self.held or key not in self.sends.body_keys:
            return None
        if is_typeddict(cls):
            return self.sends.body_keys[key]
        return None

    # -- cases --------------------------------------------------------------

    def route(self, name: str, cls: Any, direction: str) -> Any:
        """(read, write) for a case, or why it is skipped."""
        if direction == "response":
            if self.is_model(cls):
                return f"{name} is request params (a TypedDict): the SDK reads no response into it"
            return self._read_response, self._write_response
        if not self.is_model(cls):
            return (
                f"{name} is a response model: the SDK's methods take TypedDict params, not models"
            )
        if self.writer.write is None:
            return f"{name}: no request writer found ({self.writer.name})"
        reason = self.not_wire(cls)
        if reason:
            return f"{name}: {reason}"
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
        value = json.loads(text)
        renamed = self._renamed(value, cls, 0) if self.renames else ""
        if renamed:
            raise CaseSkipped(
                f"{renamed}: a user writes the Python key and maybe_transform renames it;"
                " building that dict from the wire's key would rename on the SDK's behalf"
            )
        return value

    def _write_request(self, obj: Any, cls: Any) -> str | None:
        body = self._body_only(obj, cls)
        if body is None or self.writer.write is None:
            return None  # no JSON body is sent
        return self.writer.write(body, cls)

    def _body_only(self, obj: Any, cls: Any) -> Any:
        """The part of the params a method puts in its JSON body, in the order of the dict it
        builds: not the keys it sends as headers or in the URL; keys the type does not know
        follow (``extra_body`` is merged in after)."""
        if not isinstance(obj, dict):
            return obj
        members = [cls] if is_typeddict(cls) else _typeddict_members(cls)
        known: set[str] = set()
        sent: Keys | None = {}
        for member in members:
            known |= set(self._hints(member))
            keys = self._body_keys(member)
            sent = None if sent is None or keys is None else sent | keys
        if sent is None:
            return obj
        body = {key: obj[key] for key in sent if key in obj}
        return body | {key: item for key, item in obj.items() if key not in known}

    # -- params -------------------------------------------------------------

    def _hints(self, cls: Any) -> dict[str, Any]:
        if self.type_hints is not None:
            return dict(self.type_hints(cls, include_extras=True))
        return typing.get_type_hints(cls, include_extras=True)

    def _safe_hints(self, cls: Any) -> dict[str, Any]:
        try:
            return self._hints(cls)
        except Exception:
            return {}

    def _wire_key(self, key: str, hint: Any) -> str:
        """The key ``maybe_transform`` sends for ``key`` (by the SDK's own function); the
        newer generation sends every key as it is."""
        if not self.renames:
            return key
        if self.transform_key is not None:
            return str(self.transform_key(key, hint))
        while getattr(typing.get_origin(hint), "_name", None) in ("Required", "NotRequired"):
            hint = typing.get_args(hint)[0]
        for meta in getattr(hint, "__metadata__", ()):
            if type(meta).__name__ == "PropertyInfo" and getattr(meta, "alias", None):
                return str(meta.alias)
        return key

    def _renamed(self, value: Any, hint: Any, depth: int) -> str:
        """The first key of ``value`` that is the wire name of a key ``maybe_transform`` renames,
        where ``hint`` (a params type, a union or container of them) says what it is."""
        if depth > _DEPTH:
            return ""
        hint = _bare(hint)
        if is_typeddict(hint):
            if not isinstance(value, dict):
                return ""
            hints = self._safe_hints(hint)
            renamed = {self._wire_key(k, t): k for k, t in hints.items()}
            for key, item in value.items():
                python = renamed.get(key, key)
                if python != key:
                    return f"{hint.__name__}[{python!r}] is sent as {key!r}"
                found = self._renamed(item, hints.get(key), depth + 1) if key in hints else ""
                if found:
                    return found
            return ""
        args = typing.get_args(hint)
        if _is_union(hint):
            for arg in args:
                found = self._renamed(value, arg, depth + 1)
                if found:
                    return found
            return ""
        if isinstance(value, list) and args:
            for item in value:
                found = self._renamed(item, args[0], depth + 1)
                if found:
                    return found
        elif isinstance(value, dict) and len(args) == 2:
            for item in value.values():
                found = self._renamed(item, args[1], depth + 1)
                if found:
                    return found
        return ""


#: How the module doc's uses of a params type read in a reason.
_USES = {
    "query": "query parameters",
    "multipart": "a multipart/form-data body",
    "unknown": "something that is no request body",
}


def _body_type(cls: Any) -> Any:
    """The body type as ``BaseAPIResponse._parse`` passes it on: no alias, no ``Annotated``."""
    if type(cls).__name__ == "TypeAliasType":
        cls = cls.__value__
    if typing.get_origin(cls) is typing.Annotated:
        cls = typing.get_args(cls)[0]
    return cls


def _bare(hint: Any) -> Any:
    """``hint`` without ``TypeAliasType``, ``Annotated``, ``Required`` and ``NotRequired``."""
    for _ in range(_DEPTH):
        if type(hint).__name__ == "TypeAliasType":
            hint = hint.__value__
        elif typing.get_origin(hint) is typing.Annotated or _required_marker(hint):
            hint = typing.get_args(hint)[0]
        else:
            break
    return hint


def _required_marker(hint: Any) -> bool:
    """Whether ``hint`` is ``Required[...]`` or ``NotRequired[...]``."""
    return getattr(typing.get_origin(hint), "_name", None) in ("Required", "NotRequired")


def _is_union(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return origin is typing.Union or origin is types.UnionType


def _typeddict_members(value: Any) -> list[Any]:
    """The members of a union of two or more ``TypedDict`` types (and maybe None), else []."""
    if isinstance(value, type):
        return []
    value = _bare(value)
    if not _is_union(value) or getattr(value, "__parameters__", None):
        return []  # no union, or a generic one (a helper with a type variable left)
    members = [_bare(arg) for arg in typing.get_args(value) if arg is not type(None)]
    if len(members) < 2 or not all(is_typeddict(member) for member in members):
        return []
    return members


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
