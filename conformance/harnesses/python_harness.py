"""Conformance harness for Python SDKs whose models are pydantic v2 ``BaseModel`` classes.

A model is a pydantic model class, or a name bound to a union of them (a
``TypeAliasType``, a discriminated ``Annotated`` union: ``python_harness_aliases.py``).

Runs under the SDK's own interpreter (its virtualenv), so it uses the standard
library only and never imports ``conformance``; pydantic comes from the SDK's
environment. It speaks the protocol of ``conformance/schemas/harness-*.json``:
one JSON request per stdin line, one JSON answer per stdout line. Everything
else, including whatever the SDK prints, goes to stderr.

Start options: ``modules`` (where to look models up by name, e.g.
``["orq_ai_sdk.models"]``; packages without a barrel and globs such as
``vendor.client.models.*`` too, see ``python_harness_models.py``), ``package``
(the SDK's import package, for ``<package>.utils`` and ``<package>._version``),
optionally ``flavor`` (the generator: ``speakeasy``, ``pydantic``, ``fern`` or
``stainless``, see ``python_harness_flavours.py``; absent: what follows) and
``response_writer``: ``"marshal_json"`` or ``"model_dump_json"``.

The ``start`` answer names the flavour, the reader and writer of each direction
and whether each reader validates (``response_validates``,
``request_validates``) in its details, and warns when the SDK's own ``utils``
functions were not found and plain pydantic stands in for them (a ``package``
that is the PyPI name, or a parent of the import package, does that silently
otherwise). The rest of this docstring is the Speakeasy and plain pydantic
flavours; Fern's and Stainless's are in ``python_harness_fern.py`` and
``python_harness_stainless.py``.

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

The harness is split by concept into sibling modules next to this file, found
through this file's own location (``conformance`` is not importable here):
``python_harness_models.py`` (finding, listing and exporting models),
``python_harness_export.py`` (which models are not wire JSON; discriminators and
open enums in the export), ``python_harness_aliases.py`` (which names are union
models, and their ``TypeAdapter``) and ``python_harness_cases.py`` (reading, writing and
the native view of a case, and where a rejection is: ``error_path``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any

# The sibling modules: first on the path, even when the interpreter does not put
# the script's folder there itself (``python -I``, ``PYTHONSAFEPATH``).
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

if TYPE_CHECKING:  # how the type checker names the siblings; at run time they are top-level
    from conformance.harnesses.python_harness_cases import CaseRunner, answer_run
    from conformance.harnesses.python_harness_flavours import FLAVOURS, load_routes
    from conformance.harnesses.python_harness_models import Models, import_modules
else:
    # The SDK's interpreter leaves no bytecode of them in this package's folder
    # (but may cache the SDK's own modules, which it imports later).
    _WRITES_BYTECODE = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    from python_harness_cases import CaseRunner, answer_run
    from python_harness_flavours import FLAVOURS, load_routes
    from python_harness_models import Models, import_modules

    sys.dont_write_bytecode = _WRITES_BYTECODE

PROTOCOL_VERSION = 2

#: One encoder for every answer (``json.dumps`` builds one per call). ASCII escapes
#: keep lone surrogates (valid in JSON, not in UTF-8) writable.
_ANSWER_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)


class Harness:
    """State of one harness process: the SDK's models and how it reads and writes them."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.models: Models | None = None
        self.runner: CaseRunner | None = None

    # -- protocol ----------------------------------------------------------

    def send(self, message: dict[str, Any]) -> None:
        """Write one answer line and flush it."""
        line = _ANSWER_ENCODER.encode(message)
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
            self.send(answer_run(request, self.runner))
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

    def list_models(self) -> dict[str, Any]:
        """Every name in the configured modules bound to a pydantic model class."""
        if self.models is None:
            return {"error": "models before start"}
        return self.models.list_models()

    def export_schemas(self, request: dict[str, Any]) -> dict[str, Any]:
        """The JSON Schemas of the models ``request`` names (default: all)."""
        if self.models is None:
            return {"error": "schemas before start"}
        return self.models.export_schemas(request)

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
        flavor = options.get("flavor")
        if flavor is not None and flavor not in FLAVOURS:
            return {
                "ready": False,
                "error": f"unknown flavor {flavor!r}: one of {', '.join(FLAVOURS)}",
            }
        try:
            # Imported by name: pydantic lives in the SDK's environment, not ours.
            pydantic = importlib.import_module("pydantic")
            imported, warnings = import_modules(modules, pydantic.BaseModel)
        except LookupError as error:
            return {"ready": False, "error": str(error)}
        except Exception as error:
            return {"ready": False, "error": f"{type(error).__name__}: {error}"}
        if flavor in ("fern", "stainless"):
            if options.get("response_writer"):
                return {
                    "ready": False,
                    "error": f"response_writer is for the speakeasy and pydantic flavours,"
                    f" not {flavor}",
                }
            return self._start_routed(flavor, package, modules, imported, warnings, pydantic)
        if flavor == "pydantic":
            utils, utils_problem = None, ""  # a hand-written SDK: plain pydantic, as declared
        else:
            utils, utils_problem = _import_utils(package)
        unmarshal_json = getattr(utils, "unmarshal_json", None)
        unmarshal = getattr(utils, "unmarshal", None)
        marshal_json = getattr(utils, "marshal_json", None)
        request_writer = "marshal_json" if marshal_json is not None else "model_dump_json"
        response_writer = options.get("response_writer") or request_writer
        if response_writer not in ("marshal_json", "model_dump_json"):
            return {"ready": False, "error": f"unknown response_writer {response_writer!r}"}
        if response_writer == "marshal_json" and marshal_json is None:
            return {"ready": False, "error": f"{package}.utils has no marshal_json"}
        missing = [
            name
            for name, function in (
                ("unmarshal_json", unmarshal_json),
                ("unmarshal", unmarshal),
                ("marshal_json", marshal_json),
            )
            if function is None
        ]
        if flavor == "speakeasy" and missing:
            why = utils_problem or f"{package}.utils has no {', '.join(missing)}"
            return {
                "ready": False,
                "error": f'flavor "speakeasy" needs {package}.utils.{", ".join(missing)}: {why}',
            }
        sdk, version, gen_version = _package_facts(package)
        self.models = Models(imported, list(modules), pydantic.BaseModel)
        self.runner = CaseRunner(
            self.models, unmarshal_json, unmarshal, marshal_json, response_writer, request_writer
        )
        utils_name = f"{package}.utils"
        details: dict[str, Any] = {
            "python": sys.version.split()[0],
            "pydantic": str(getattr(pydantic, "VERSION", "")),
            "response_reader": f"{utils_name}.unmarshal_json"
            if unmarshal_json
            else "Model.model_validate_json",
            "response_writer": _writer_name(response_writer, utils_name),
            "request_reader": f"{utils_name}.unmarshal" if unmarshal else "Model.model_validate",
            "request_writer": _writer_name(request_writer, utils_name),
            # Speakeasy's readers and pydantic's validate in both directions.
            "response_validates": True,
            "request_validates": True,
        }
        details["flavor"] = flavor or ("pydantic" if len(missing) == 3 else "speakeasy")
        if gen_version:
            details["gen_version"] = gen_version
        if missing and flavor is None:
            warnings.append(_fallback_warning(package, modules, missing, utils_problem))
        return _ready(sdk, version, details, warnings)

    def _start_routed(
        self,
        flavor: str,
        package: str,
        modules: list[str],
        imported: list[Any],
        warnings: list[str],
        pydantic: Any,
    ) -> dict[str, Any]:
        """Start with a Fern or Stainless SDK's own functions (``python_harness_flavours``)."""
        try:
            routes = load_routes(flavor, package, pydantic.BaseModel)
        except LookupError as error:
            return {"ready": False, "error": str(error)}
        self.models = Models(imported, list(modules), pydantic.BaseModel, routes)
        self.runner = CaseRunner(self.models, None, None, None, "", "", routes)
        sdk, version, _ = _package_facts(package)
        details: dict[str, Any] = {
            "python": sys.version.split()[0],
            "pydantic": str(getattr(pydantic, "VERSION", "")),
            "flavor": flavor,
            **routes.details(),
        }
        return _ready(sdk, version, details, warnings + routes.warnings())


def _ready(sdk: str, version: str, details: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The ``start`` answer of a harness that is ready."""
    answer: dict[str, Any] = {
        "ready": True,
        "implementation": {
            "name": f"{sdk} (python)",
            "language": "python",
            "sdk": sdk,
            "sdk_version": version,
            "details": details,
        },
    }
    if warnings:
        answer["warnings"] = warnings
    return answer


def _import_utils(package: str) -> tuple[Any, str]:
    """``<package>.utils``, or None and why it could not be imported."""
    try:
        return importlib.import_module(f"{package}.utils"), ""
    except Exception as error:
        return None, f"cannot import {package}.utils: {type(error).__name__}: {error}"


def _fallback_warning(package: str, modules: list[str], missing: list[str], problem: str) -> str:
    """What plain pydantic stands in for, why, and the ``package`` that would fix it if any."""
    why = problem or f"{package}.utils has no {', '.join(missing)}"
    text = (
        f"the SDK's own {', '.join(missing)} not found ({why}): plain pydantic reads and"
        " writes in their place (model_validate_json / model_validate /"
        " model_dump_json(by_alias=True)), which may not be what the SDK does"
    )
    for candidate in _package_candidates(modules):
        if candidate == package:
            continue
        utils, _ = _import_utils(candidate)
        if all(getattr(utils, name, None) is not None for name in missing):
            return f'{text}; {candidate}.utils has them: set package = "{candidate}"'
    return f"{text}; if the SDK has its own reader, set package to its import package"


def _package_candidates(modules: list[str]) -> list[str]:
    """The configured modules and their parents, innermost first (``a.b.models`` -> ..., a)."""
    found: list[str] = []
    for entry in modules:
        parts = entry.split(".")
        for end in range(len(parts), 0, -1):
            name = ".".join(parts[:end])
            if "*" not in name and "?" not in name and "[" not in name and name not in found:
                found.append(name)
    return found


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
