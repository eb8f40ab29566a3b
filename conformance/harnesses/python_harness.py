"""Conformance harness for Python SDKs whose models are pydantic v2 ``BaseModel`` classes.

Runs under the SDK's own interpreter (its virtualenv), so it uses the standard
library only and never imports ``conformance``; pydantic comes from the SDK's
environment. It speaks the protocol of ``conformance/schemas/harness-*.json``:
one JSON request per stdin line, one JSON answer per stdout line. Everything
else, including whatever the SDK prints, goes to stderr.

Start options: ``modules`` (where to look models up by name, e.g.
``["orq_ai_sdk.models"]``), ``package`` (the SDK's import package, for
``<package>.utils`` and ``<package>._version``) and optionally
``response_writer``: ``"marshal_json"`` or ``"model_dump_json"``.

How a case runs (Speakeasy SDKs have ``<package>.utils.unmarshal_json``,
``unmarshal`` and ``marshal_json``; other pydantic SDKs get the plain routes):

* response: ``utils.unmarshal_json(wire_text, Model)``, the function the SDK
  reads every JSON response and stream event with (else
  ``Model.model_validate_json``); written back with ``utils.marshal_json(obj,
  Model)``, the SDK's only wire writer (every request body it sends goes through
  it, and so does a response model a user passes back into a call); else
  ``obj.model_dump_json(by_alias=True)``. ``response_writer`` overrides this.
* request: ``utils.unmarshal(json.loads(wire_text), Model)``, what SDK methods do
  with a dict argument (else ``Model.model_validate``); written with
  ``utils.marshal_json(obj, Model)`` (else ``model_dump_json(by_alias=True)``).
* native view: the model's fields under their Python attribute names, read with
  ``getattr`` (a custom ``model_serializer`` may write wire keys even without
  ``by_alias``). A field left unset (not in ``model_fields_set``) whose value is
  ``None`` or an unset sentinel is omitted; an explicit ``None`` stays ``null``.
  Extra fields (``extra="allow"``) follow under their own keys. Enums give their
  value, date/time values ISO 8601, bytes base64, non-finite floats a string.

A failure of the SDK's reader or writer is ``accepted: false``; a failure of the
harness's own code is ``accepted: false, internal: true``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import decimal
import enum
import importlib
import json
import math
import sys
import traceback
import uuid
from collections.abc import Callable
from typing import IO, Any

PROTOCOL_VERSION = 1
_UNSET_NAMES = frozenset({"Unset", "UnsetType", "NotGiven", "Omit", "_Unset"})


class _HarnessFailure(Exception):
    """A failure of the harness itself, reported as ``internal``."""


class Harness:
    """State of one harness process: the SDK's modules, its helpers and a model cache."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.modules: list[Any] = []
        self.module_names: list[str] = []
        self.base_model: Any = None
        self.unmarshal_json: Callable[[str, Any], Any] | None = None
        self.unmarshal: Callable[[Any, Any], Any] | None = None
        self.marshal_json: Callable[[Any, Any], str] | None = None
        self.response_writer = "model_dump_json"
        self.request_writer = "model_dump_json"
        self.classes: dict[str, Any] = {}
        self.started = False

    # -- protocol ----------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        """Write one answer line and flush it."""
        # ASCII escapes keep lone surrogates (valid in JSON, not in UTF-8) writable.
        line = json.dumps(message, separators=(",", ":"), allow_nan=False)
        self.out.write(line.encode("ascii") + b"\n")
        self.out.flush()

    def handle(self, request: dict[str, Any]) -> bool:
        """Answer one request; return False when the harness should exit."""
        cmd = request.get("cmd")
        if cmd == "start":
            self.send(self.start(request))
        elif cmd == "models":
            self.send(self.list_models())
        elif cmd == "run":
            self.send(self.run(request))
        elif cmd == "schemas":
            self.send(self.export_schemas(request))
        elif cmd == "stop":
            return False
        else:
            print(f"python harness: unknown command {cmd!r}", file=sys.stderr)
            if "seq" in request:
                self.send(
                    {
                        "seq": request["seq"],
                        "accepted": False,
                        "internal": True,
                        "error": f"unknown command {cmd!r}",
                    }
                )
        return True

    # -- start -------------------------------------------------------------

    def start(self, request: dict[str, Any]) -> dict[str, Any]:
        """Import pydantic, the SDK's modules and its serializers."""
        if request.get("version") != PROTOCOL_VERSION:
            return {
                "ready": False,
                "error": f"unsupported protocol version {request.get('version')!r}",
            }
        options = request.get("options") or {}
        modules = options.get("modules") or []
        package = options.get("package") or (modules[0].split(".")[0] if modules else "")
        if not modules or not all(isinstance(name, str) for name in modules):
            return {"ready": False, "error": "options.modules must list module names"}
        try:
            # Imported by name: pydantic lives in the SDK's environment, not ours.
            pydantic = importlib.import_module("pydantic")
            self.base_model = pydantic.BaseModel
            self.modules = [importlib.import_module(name) for name in modules]
            self.module_names = list(modules)
        except Exception as error:
            return {"ready": False, "error": f"{type(error).__name__}: {error}"}
        try:
            utils = importlib.import_module(f"{package}.utils")
        except ImportError:
            utils = None
        self.unmarshal_json = getattr(utils, "unmarshal_json", None)
        self.unmarshal = getattr(utils, "unmarshal", None)
        self.marshal_json = getattr(utils, "marshal_json", None)
        writer = "marshal_json" if self.marshal_json is not None else "model_dump_json"
        self.request_writer = writer
        self.response_writer = options.get("response_writer") or writer
        if self.response_writer not in ("marshal_json", "model_dump_json"):
            return {
                "ready": False,
                "error": f"unknown response_writer {self.response_writer!r}",
            }
        if self.response_writer == "marshal_json" and self.marshal_json is None:
            return {"ready": False, "error": f"{package}.utils has no marshal_json"}
        sdk, version, gen_version = _package_facts(package)
        self.started = True
        utils_name = f"{package}.utils"
        details: dict[str, Any] = {
            "python": sys.version.split()[0],
            "pydantic": str(getattr(pydantic, "VERSION", "")),
            "response_reader": f"{utils_name}.unmarshal_json"
            if self.unmarshal_json
            else "Model.model_validate_json",
            "response_writer": _writer_name(self.response_writer, utils_name),
            "request_reader": f"{utils_name}.unmarshal"
            if self.unmarshal
            else "Model.model_validate",
            "request_writer": _writer_name(self.request_writer, utils_name),
        }
        if gen_version:
            details["gen_version"] = gen_version
        return {
            "ready": True,
            "implementation": {
                "name": f"{sdk} (python)",
                "language": "python",
                "sdk": sdk,
                "sdk_version": version,
                "details": details,
            },
        }

    # -- models ------------------------------------------------------------

    def list_models(self) -> dict[str, Any]:
        """Every name in the configured modules bound to a pydantic model class."""
        if not self.started:
            return {"error": "models before start"}
        seen: dict[str, dict[str, Any]] = {}
        for module in self.modules:
            for name in _public_names(module):
                if name in seen:
                    continue
                try:
                    value = getattr(module, name)
                except Exception as error:
                    print(f"python harness: cannot load {name}: {error}", file=sys.stderr)
                    continue
                if not self._is_model_class(value):
                    continue
                entry: dict[str, Any] = {
                    "name": name,
                    "directions": ["request", "response"],
                    "kind": "object",
                }
                if value.__name__ != name:
                    entry["alias_of"] = value.__name__
                seen[name] = entry
                self.classes.setdefault(name, value)
        return {"models": list(seen.values())}

    def export_schemas(self, request: dict[str, Any]) -> dict[str, Any]:
        """One JSON Schema document whose ``$defs`` hold the named models (default: all).

        Every model is exported in validation mode with wire names (``by_alias``);
        ``$defs`` is keyed by the pydantic class name, and a model exported under
        another name (``alias_of``) gets a ``$ref`` under that name. Models whose
        schema pydantic cannot produce are listed under ``failed``, never fatal.
        """
        if not self.started:
            return {"error": "schemas before start"}
        names = request.get("names")
        if names is None:
            names = [entry["name"] for entry in self.list_models()["models"]]
        failed: dict[str, str] = {}
        classes: dict[str, Any] = {}
        for name in names:
            try:
                cls = self.find(name)
            except Exception as error:
                failed[name] = f"cannot load: {type(error).__name__}: {error}"
                continue
            if cls is None:
                failed[name] = "not found in " + ", ".join(self.module_names)
            else:
                classes[name] = cls
        try:
            json_schema = importlib.import_module("pydantic.json_schema")
        except ImportError as error:
            return {"error": f"pydantic has no json_schema module: {error}"}
        try:
            refs, document = self._models_json_schema(json_schema, classes, failed)
        except Exception as error:
            return {"error": f"pydantic cannot export the models: {type(error).__name__}: {error}"}
        usable = {name: cls for name, cls in classes.items() if name not in failed}
        defs: dict[str, Any] = dict(document.get("$defs") or {})
        for name, cls in usable.items():
            ref = refs[(cls, "validation")].get("$ref", "")
            key = ref.removeprefix("#/$defs/")
            if key == name:
                continue
            if name in defs:
                failed[name] = f"its name is taken by another model's schema; it is {key!r}"
            else:
                defs[name] = {"$ref": ref}
        answer: dict[str, Any] = {"schemas": {"$defs": defs}}
        if failed:
            answer["failed"] = failed
        try:
            json.dumps(answer, allow_nan=False)
        except ValueError as error:
            return {"error": f"the exported schema is not JSON: {error}"}
        return answer

    def _models_json_schema(
        self, json_schema: Any, classes: dict[str, Any], failed: dict[str, str]
    ) -> tuple[Any, dict[str, Any]]:
        """``models_json_schema`` of all ``classes``; if that fails, of those that work alone."""
        unique = list(dict.fromkeys(classes.values()))
        try:
            return json_schema.models_json_schema(  # type: ignore[no-any-return]
                [(cls, "validation") for cls in unique],
                by_alias=True,
                ref_template="#/$defs/{model}",
            )
        except Exception as error:
            print(f"python harness: exporting all models at once failed: {error}", file=sys.stderr)
        for name, cls in classes.items():
            try:
                cls.model_json_schema(by_alias=True, mode="validation")
            except Exception as error:
                failed[name] = f"{type(error).__name__}: {error}"
        unique = list(dict.fromkeys(c for n, c in classes.items() if n not in failed))
        return json_schema.models_json_schema(  # type: ignore[no-any-return]
            [(cls, "validation") for cls in unique],
            by_alias=True,
            ref_template="#/$defs/{model}",
        )

    def _is_model_class(self, value: Any) -> bool:
        return (
            isinstance(value, type)
            and issubclass(value, self.base_model)
            and value is not self.base_model
        )

    def find(self, name: str) -> Any:
        """The model class named ``name`` in the configured modules, or None."""
        cls = self.classes.get(name)
        if cls is not None:
            return cls
        for module in self.modules:
            try:
                value = getattr(module, name)
            except AttributeError:
                continue
            if self._is_model_class(value):
                self.classes[name] = value
                return value
        return None

    # -- run ---------------------------------------------------------------

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one case; never raises."""
        seq = request.get("seq")
        try:
            case = request["case"]
            return self._run_case(seq, case)
        except _HarnessFailure as error:
            return {"seq": seq, "accepted": False, "internal": True, "error": str(error)}
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            return {
                "seq": seq,
                "accepted": False,
                "internal": True,
                "error": f"harness failure: {type(error).__name__}: {error}",
            }

    def _run_case(self, seq: Any, case: dict[str, Any]) -> dict[str, Any]:
        if not self.started:
            raise _HarnessFailure("run before start")
        name = case["model"]
        try:
            cls = self.find(name)
        except Exception as error:
            raise _HarnessFailure(f"cannot load model {name!r}: {error}") from error
        if cls is None:
            where = ", ".join(self.module_names)
            return {"seq": seq, "skipped": True, "reason": f"model {name} not found in {where}"}
        text = case.get("wire_text")
        if not isinstance(text, str):
            text = json.dumps(case.get("wire"), ensure_ascii=False, separators=(",", ":"))
        if case["direction"] == "response":
            read, write = self._read_response, self._write(self.response_writer)
        else:
            read, write = self._read_request, self._write(self.request_writer)
        try:
            obj = read(text, cls)
        except Exception as error:
            return {"seq": seq, "accepted": False, "error": _sdk_error(error)}
        try:
            wire_text = write(obj, cls)
        except Exception as error:
            return {
                "seq": seq,
                "accepted": False,
                "error": f"the SDK accepted the payload but could not write it back: "
                f"{_sdk_error(error)}",
            }
        warnings: list[str] = []
        native = self.native(obj, warnings)
        answer: dict[str, Any] = {
            "seq": seq,
            "accepted": True,
            "wire_text": wire_text,
            "native": native,
        }
        if warnings:
            answer["warnings"] = warnings
        return answer

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

    # -- native view -------------------------------------------------------

    def native(self, value: Any, warnings: list[str]) -> Any:
        """The value under Python attribute names, as JSON-compatible data."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, enum.Enum):
            return self.native(value.value, warnings)
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
            return self._native_model(value, warnings)
        if isinstance(value, dict):
            return {str(key): self.native(item, warnings) for key, item in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return [self.native(item, warnings) for item in value]
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, datetime.timedelta):
            return value.total_seconds()
        if isinstance(value, decimal.Decimal):
            return float(value) if value.is_finite() else str(value)
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        if isinstance(value, uuid.UUID):
            return str(value)
        warnings.append(f"{type(value).__name__} value shown as its str()")
        return str(value)

    def _native_model(self, value: Any, warnings: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        fields_set = value.model_fields_set
        for name in type(value).model_fields:
            item = getattr(value, name, None)
            if _is_unset(item, self.base_model):
                continue
            if item is None and name not in fields_set:
                continue
            out[name] = self.native(item, warnings)
        extra = getattr(value, "model_extra", None)
        if extra:
            for key, item in extra.items():
                out[str(key)] = self.native(item, warnings)
        return out


def _is_unset(value: Any, base_model: Any) -> bool:
    """Whether ``value`` is a "not given" marker (Speakeasy ``UNSET``, Stainless ``NOT_GIVEN``)."""
    kind = type(value)
    if kind.__name__ in _UNSET_NAMES:
        return True
    return isinstance(value, base_model) and not kind.model_fields and not bool(value)


def _public_names(module: Any) -> list[str]:
    """Names a module exports: ``__all__``, else its lazy-import table, else ``dir()``."""
    names = getattr(module, "__all__", None)
    if names is None:
        table = getattr(module, "_dynamic_imports", None)
        names = list(table) if isinstance(table, dict) else dir(module)
    return [name for name in names if isinstance(name, str) and not name.startswith("_")]


def _package_facts(package: str) -> tuple[str, str, str]:
    """(distribution name, version, generator version) of an import package."""
    import importlib.metadata as metadata

    sdk = package
    version = ""
    gen_version = ""
    try:
        facts = importlib.import_module(f"{package}._version")
    except ImportError:
        facts = None
    if facts is not None:
        sdk = str(getattr(facts, "__title__", "") or sdk)
        version = str(getattr(facts, "__version__", "") or "")
        gen_version = str(getattr(facts, "__gen_version__", "") or "")
    if facts is None:
        try:
            distributions = metadata.packages_distributions().get(package.split(".")[0])
        except Exception:
            distributions = None
        if distributions:
            sdk = distributions[0]
    with contextlib.suppress(metadata.PackageNotFoundError):
        version = metadata.version(sdk)
    return sdk, version, gen_version


def _writer_name(writer: str, utils_name: str) -> str:
    if writer == "marshal_json":
        return f"{utils_name}.marshal_json"
    return "model.model_dump_json(by_alias=True)"


def _sdk_error(error: BaseException) -> str:
    """The SDK's message for a failure, prefixed with its type unless it is a ValidationError."""
    text = str(error)
    name = type(error).__name__
    return text if name == "ValidationError" else f"{name}: {text}"


def main() -> int:
    """Serve requests from stdin until ``stop`` or end of input."""
    out = sys.stdout.buffer
    # Anything the SDK prints must not reach the protocol channel.
    sys.stdout = sys.stderr
    harness = Harness(out)
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as error:
            print(f"python harness: request is not JSON: {error}", file=sys.stderr)
            continue
        if not isinstance(request, dict):
            print("python harness: request is not a JSON object", file=sys.stderr)
            continue
        if not harness.handle(request):
            return 0


if __name__ == "__main__":
    sys.exit(main())
