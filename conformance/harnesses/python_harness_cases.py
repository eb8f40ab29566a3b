"""Running one case in the Python harness (see ``python_harness.py``): read, write, native view.

Runs under the SDK's own interpreter with the standard library only, like the
harness. ``CaseRunner`` reads a case's wire text with the SDK's reader, writes
it back with the SDK's writer and describes the object it read under its
Python attribute names (the native view); ``answer_run`` turns a ``run``
request into its answer and never raises. A rejection by pydantic carries
``error_path``, where its first error is, as wire keys and list indices
(``error_location``).

A Fern or Stainless SDK brings its own routes (``python_harness_flavours``):
``routes.route(name, cls, direction)`` gives the reader and writer of a case, or
why it is skipped; what pydantic warns of while writing (a value a lenient
reader let in) goes into the answer's warnings, and a writer that returns None
(the SDK has none for that value) makes the answer ``written: false``.

A union model (``python_harness_aliases``) goes through each of the SDK's
``utils`` functions that takes any type (Speakeasy's wrap the type in a model
of their own: checked once, on the first union case, with ``list[int]``), and
through ``pydantic.TypeAdapter(union)`` (``validate_json`` / ``validate_python``
/ ``dump_json(by_alias=True)``) where the SDK has no such function.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import enum
import json
import math
import sys
import traceback
import uuid
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the sibling; at run time it is top-level
    from conformance.harnesses.python_harness_models import Models

_UNSET_NAMES = frozenset({"Unset", "UnsetType", "NotGiven", "Omit", "_Unset"})
#: Types whose values are their own native view (exactly these, not subclasses).
_PLAIN = frozenset({str, int, bool, type(None)})
#: Types no "not given" marker has (``_is_unset`` need not look).
_NEVER_UNSET = _PLAIN | {float, list, dict}


class HarnessFailure(Exception):
    """A failure of the harness itself, reported as ``internal``."""


class CaseSkipped(Exception):
    """A case the SDK cannot be driven through without the harness standing in for it."""


def answer_run(request: dict[str, Any], runner: CaseRunner | None) -> dict[str, Any]:
    """The answer to one ``run`` request (``runner`` is None before ``start``); never raises."""
    seq = request.get("seq")
    try:
        case = request["case"]
        if runner is None:
            raise HarnessFailure("run before start")
        return runner.run_case(seq, case)
    except HarnessFailure as error:
        return {"seq": seq, "accepted": False, "internal": True, "error": str(error)}
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        return {
            "seq": seq,
            "accepted": False,
            "internal": True,
            "error": f"harness failure: {type(error).__name__}: {error}",
        }


class CaseRunner:
    """The SDK's readers and writers for both directions, and its models."""

    def __init__(
        self,
        models: Models,
        unmarshal_json: Callable[[str, Any], Any] | None,
        unmarshal: Callable[[Any, Any], Any] | None,
        marshal_json: Callable[[Any, Any], str] | None,
        response_writer: str,
        request_writer: str,
        routes: Any = None,
    ) -> None:
        self.models = models
        #: A flavour's own readers and writers (``python_harness_flavours``), else the
        #: Speakeasy / plain pydantic routes below.
        self.routes = routes
        self.base_model = models.base_model
        self.unmarshal_json = unmarshal_json
        self.unmarshal = unmarshal
        self.marshal_json = marshal_json
        self.response_writer = response_writer
        self.request_writer = request_writer
        #: The field names of each model class met in a native view.
        self._fields: dict[type, tuple[str, ...]] = {}
        #: Each model class's field aliases (``_aliases``).
        self._alias_cache: dict[Any, dict[str, str]] = {}

    def run_case(self, seq: Any, case: dict[str, Any]) -> dict[str, Any]:
        """The answer to one case: accepted, rejected by the SDK, or skipped."""
        name = case["model"]
        try:
            cls = self.models.find(name)
        except Exception as error:
            raise HarnessFailure(f"cannot load model {name!r}: {error}") from error
        if cls is None:
            reason = f"model {name} {self.models.missing(name)}"
            return {"seq": seq, "skipped": True, "reason": reason}
        text = case.get("wire_text")
        if not isinstance(text, str):
            raise HarnessFailure("the case has no wire_text (the payload's text)")
        direction = case["direction"]
        if self.routes is not None:
            return self._run_routed(seq, name, cls, direction, text)
        if not self.models.is_model_class(cls):
            try:
                read, write, wrapped = self._union_routes(cls, direction)
            except Exception as error:
                reason = f"pydantic cannot adapt {name}: {type(error).__name__}: {error}"
                return {"seq": seq, "skipped": True, "reason": reason}
        elif direction == "response":
            read, write = self._read_response, self._write(self.response_writer)
            wrapped = self.unmarshal_json is not None
        else:
            read, write = self._read_request, self._write(self.request_writer)
            wrapped = self.unmarshal is not None
        return self._answer(seq, cls, text, read, write, wrapped, direction)

    def _run_routed(
        self, seq: Any, name: str, cls: Any, direction: str, text: str
    ) -> dict[str, Any]:
        """A case run by a flavour's routes; a writer's ``None`` is ``written: false``."""
        route = self.routes.route(name, cls, direction)
        if isinstance(route, str):
            return {"seq": seq, "skipped": True, "reason": route}
        read, write = route
        return self._answer(seq, cls, text, read, write, False, direction)

    def _answer(
        self,
        seq: Any,
        cls: Any,
        text: str,
        read: Callable[[str, Any], Any],
        write: Callable[[Any, Any], str | None],
        wrapped: bool,
        direction: str,
    ) -> dict[str, Any]:
        """Read ``text`` with the SDK's reader and write it back with its writer: accepted
        (a writer's ``None`` is ``written: false``), rejected where it says, or skipped.

        A response the SDK read but cannot write back is accepted, not written, with a
        warning: the SDK never writes a response, so its user has the object it read (the
        native view still shows it); a request it cannot write is one it cannot send.
        """
        try:
            obj = read(text, cls)
        except CaseSkipped as skip:
            return {"seq": seq, "skipped": True, "reason": str(skip)}
        except Exception as error:
            answer: dict[str, Any] = {"seq": seq, "accepted": False, "error": _sdk_error(error)}
            path = self._error_path(error, text, cls, wrapped)
            if path is not None:
                answer["error_path"] = path
            return answer
        unwritable = ""
        try:
            # What pydantic warns of while writing (a value of the wrong type that a
            # lenient reader let in) is the SDK's own say, kept with the answer.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                wire_text = write(obj, cls)
        except Exception as error:
            if direction != "response":
                return {
                    "seq": seq,
                    "accepted": False,
                    "error": f"the SDK accepted the payload but could not write it back: "
                    f"{_sdk_error(error)}",
                }
            wire_text = None
            unwritable = (
                f"the SDK read the response but could not write it back: {_sdk_error(error)}"
            )
        notes = list(
            dict.fromkeys(f"while writing: {w.category.__name__}: {w.message}" for w in caught)
        )
        if unwritable:
            notes.append(unwritable)
        undeclared: list[list[str | int]] = []
        native = self.native(obj, notes, undeclared)
        answer = {"seq": seq, "accepted": True, "native": native}
        if wire_text is None:
            answer["written"] = False
        else:
            answer["wire_text"] = wire_text
        if notes:
            answer["warnings"] = notes
        if undeclared:
            answer["undeclared"] = undeclared
        return answer

    def _error_path(
        self, error: BaseException, text: str, cls: Any, wrapped: bool
    ) -> list[str | int] | None:
        """Where the first of a pydantic error's problems is in the payload, or None."""
        errors = getattr(error, "errors", None)
        if type(error).__name__ != "ValidationError" or not callable(errors):
            return None
        try:
            first = errors()[0]
            loc = list(first.get("loc") or ())
            payload = json.loads(text)
        except Exception:
            return None
        if wrapped and loc and getattr(error, "title", "") != getattr(cls, "__name__", None):
            # The SDK's reader validated a model of its own (Speakeasy's ``Unmarshaller``)
            # holding the payload in one field: that field is not in the payload.
            loc = loc[1:]
        return error_location(loc, payload, first.get("type") == "missing")

    def _read_response(self, text: str, cls: Any) -> Any:
        if self.unmarshal_json is not None:
            return self.unmarshal_json(text, cls)
        return cls.model_validate_json(text)

    def _read_request(self, text: str, cls: Any) -> Any:
        value = json.loads(text)
        if self.unmarshal is not None:
            return self.unmarshal(value, cls)
        return cls.model_validate(value)

    def _write(self, writer: str) -> Callable[[Any, Any], str]:
        if writer == "marshal_json" and self.marshal_json is not None:
            marshal_json = self.marshal_json
            return lambda obj, cls: marshal_json(obj, cls)
        return lambda obj, cls: obj.model_dump_json(by_alias=True)

    def _union_routes(
        self, union: Any, direction: str
    ) -> tuple[Callable[[str, Any], Any], Callable[[Any, Any], str], bool]:
        """How a union model is read and written: the SDK's function where it takes any type,
        else the union's ``TypeAdapter``; and whether the reader wraps the payload."""
        adapters = self.models.adapters
        reads_json, reads, writes = adapters.generic(
            self.unmarshal_json, self.unmarshal, self.marshal_json
        )
        adapter = adapters.of(union)
        read: Callable[[str, Any], Any]
        if direction == "response" and reads_json and self.unmarshal_json is not None:
            read, wrapped = self.unmarshal_json, True
        elif direction == "response":
            read, wrapped = (lambda text, _: adapter.validate_json(text)), False
        elif reads and self.unmarshal is not None:
            unmarshal = self.unmarshal
            read, wrapped = (lambda text, typ: unmarshal(json.loads(text), typ)), True
        else:
            read, wrapped = (lambda text, _: adapter.validate_python(json.loads(text))), False
        writer = self.response_writer if direction == "response" else self.request_writer
        marshal_json = self.marshal_json
        if writer == "marshal_json" and writes and marshal_json is not None:
            return read, (lambda obj, typ: marshal_json(obj, typ)), wrapped
        return read, (lambda obj, _: adapter.dump_json(obj, by_alias=True).decode()), wrapped

    # -- native view -------------------------------------------------------

    def native(
        self,
        value: Any,
        warnings: list[str],
        undeclared: list[list[str | int]] | None = None,
        at: tuple[str | int, ...] = (),
    ) -> Any:
        """The value under Python attribute names, as JSON-compatible data.

        The path (``at``) of each key a model kept although it declares no such field
        (a pydantic extra) is added to ``undeclared``; nothing under it is the model's.
        """
        return self._native(value, warnings, undeclared, list(at))

    def _native(
        self,
        value: Any,
        warnings: list[str],
        undeclared: list[list[str | int]] | None,
        at: list[str | int],
    ) -> Any:
        """``native``, with ``at`` the path so far (kept only while ``undeclared`` is wanted)."""
        kind = type(value)
        # The plain types first (every case has many): each is itself in the native view.
        if kind in _PLAIN:
            return value
        if kind is float:
            if math.isfinite(value):
                return value
            warnings.append(f"non-finite float {value!r} shown as a string")
            return repr(value)
        fields = self._fields.get(kind)
        if fields is not None:
            return self._native_model(value, fields, warnings, undeclared, at)
        if kind is dict:
            return self._native_dict(value, warnings, undeclared, at)
        if kind is list:
            return self._native_list(value, warnings, undeclared, at)
        return self._native_other(value, warnings, undeclared, at)

    def _native_other(
        self,
        value: Any,
        warnings: list[str],
        undeclared: list[list[str | int]] | None,
        at: list[str | int],
    ) -> Any:
        """``_native`` of a value of any type but the plain ones (subclasses included)."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, enum.Enum):
            return self._native(value.value, warnings, undeclared, at)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            if math.isfinite(value):
                return float(value)
            warnings.append(f"non-finite float {value!r} shown as a string")
            return repr(value)
        if isinstance(value, self.base_model):
            fields = self._fields[type(value)] = tuple(type(value).model_fields)
            return self._native_model(value, fields, warnings, undeclared, at)
        if isinstance(value, dict):
            return self._native_dict(value, warnings, undeclared, at)
        if isinstance(value, (list, tuple, set, frozenset)):
            return self._native_list(value, warnings, undeclared, at)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, datetime.timedelta):
            return value.total_seconds()
        if isinstance(value, decimal.Decimal):
            # 1E+400 is a finite Decimal but no float: shown as its text, as NaN's is.
            number = float(value) if value.is_finite() else math.inf
            if math.isfinite(number):
                return number
            warnings.append(f"Decimal {str(value)!r} beyond float range shown as a string")
            return str(value)
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if isinstance(value, uuid.UUID):
            return str(value)
        warnings.append(f"{type(value).__name__} value shown as its str()")
        return str(value)

    def _native_dict(
        self,
        value: Any,
        warnings: list[str],
        undeclared: list[list[str | int]] | None,
        at: list[str | int],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)
            if undeclared is None:
                out[name] = self._native(item, warnings, None, at)
            else:
                at.append(name)
                out[name] = self._native(item, warnings, undeclared, at)
                at.pop()
        return out

    def _native_list(
        self,
        value: Any,
        warnings: list[str],
        undeclared: list[list[str | int]] | None,
        at: list[str | int],
    ) -> list[Any]:
        if undeclared is None:
            return [self._native(item, warnings, None, at) for item in value]
        out: list[Any] = []
        for index, item in enumerate(value):
            at.append(index)
            out.append(self._native(item, warnings, undeclared, at))
            at.pop()
        return out

    def _native_model(
        self,
        value: Any,
        fields: tuple[str, ...],
        warnings: list[str],
        undeclared: list[list[str | int]] | None,
        at: list[str | int],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        fields_set = value.model_fields_set
        for name in fields:
            item = getattr(value, name, None)
            if item is None:
                if name not in fields_set:
                    continue
            elif type(item) not in _NEVER_UNSET and _is_unset(item, self.base_model):
                continue
            if undeclared is None:
                out[name] = self._native(item, warnings, None, at)
            else:
                at.append(name)
                out[name] = self._native(item, warnings, undeclared, at)
                at.pop()
        extra = getattr(value, "model_extra", None)
        if extra:
            aliases = self._aliases(type(value))
            for key, item in extra.items():
                if aliases.get(str(key)) in out:
                    # A declared field's own wire key, kept as an extra too (Stainless's
                    # construct_type does): the field already shows it; the wire shows
                    # what the writer makes of the copy (a key written twice).
                    continue
                # An extra's value is the input as it came: none of its keys is undeclared.
                out[str(key)] = self._native(item, warnings, None, at)
                if undeclared is not None and str(key) not in type(value).model_fields:
                    undeclared.append([*at, str(key)])
        return out

    def _aliases(self, model: Any) -> dict[str, str]:
        """Each wire key (alias) of a model's fields that is not the field's own name -> the
        field's name."""
        found = self._alias_cache.get(model)
        if found is None:
            found = {}
            for name, info in model.model_fields.items():
                for alias in (
                    getattr(info, "alias", None),
                    getattr(info, "validation_alias", None),
                ):
                    if isinstance(alias, str) and alias != name:
                        found[alias] = name
            self._alias_cache[model] = found
        return found


def error_location(loc: list[Any], payload: Any, missing: bool) -> list[str | int]:
    """A pydantic ``loc`` as a path in ``payload``: its keys and indices, without union labels.

    pydantic names the union member it tried (a tag, or a type such as ``str`` or
    ``function-after[...]``) between the keys; the payload itself tells them
    apart: an element is a step when the value at that point has it as a key or
    index. A ``missing`` error ends with the absent key, kept. pydantic reports
    by alias (``loc_by_alias``), so the keys are the wire's.
    """
    path: list[str | int] = []
    value = payload
    for position, step in enumerate(loc):
        keyed = isinstance(value, dict) and isinstance(step, str) and step in value
        indexed = isinstance(value, list) and type(step) is int and 0 <= step < len(value)
        if keyed or indexed:
            value = value[step]
        elif missing and position == len(loc) - 1 and isinstance(value, dict):
            value = None
        else:
            continue
        path.append(step)
    return path


def _is_unset(value: Any, base_model: Any) -> bool:
    """Whether ``value`` is a "not given" marker (Speakeasy ``UNSET``, Stainless ``NOT_GIVEN``)."""
    kind = type(value)
    if kind.__name__ in _UNSET_NAMES:
        return True
    return isinstance(value, base_model) and not kind.model_fields and not bool(value)


def _sdk_error(error: BaseException) -> str:
    """The SDK's message for a failure, prefixed with its type unless it is a ValidationError."""
    text = str(error)
    name = type(error).__name__
    return text if name == "ValidationError" else f"{name}: {text}"
