"""Model discovery for the Python harness (see ``python_harness.py``): modules, listing, schemas.

Runs under the SDK's own interpreter with the standard library only, like the
harness. ``import_modules`` turns the ``modules`` option into modules; a model
is any name in them bound to a pydantic model class; ``Models`` finds them by
name, lists them and exports their JSON Schemas.

A ``modules`` entry is one of:

* a module name (``orq_ai_sdk.models``), used as it is, which is how a barrel
  (a package whose ``__init__`` exports the models, maybe lazily) is read;
* a package whose ``__init__`` exports no model (no ``__all__``, no lazy-import
  table, no model class): its submodules, at any depth, are imported instead
  (``pkgutil``), for SDKs with one module per model and no barrel;
* a glob of module names (``vendor.client.models.*``): ``*``, ``?`` and ``[...]``
  match within one dotted segment, a ``**`` segment matches one or more segments.
  It must start with a package name, and a glob that matches nothing is an error.

A submodule found by a walk or a glob that cannot be imported is a warning, not
fatal: the other modules still serve their models. Modules are imported level
by level in name order; distinct classes that share a name are each listed under
a qualified name (``python_harness_names``).
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import pkgutil
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the siblings; at run time they are top-level
    from conformance.harnesses.python_harness_aliases import Adapters, not_wire_union, union_alias
    from conformance.harnesses.python_harness_export import not_wire_json, schema_generator
    from conformance.harnesses.python_harness_names import (
        Location,
        pick,
        qualify,
        split,
        value_key,
    )
else:
    from python_harness_aliases import Adapters, not_wire_union, union_alias
    from python_harness_export import not_wire_json, schema_generator
    from python_harness_names import Location, pick, qualify, split, value_key

_GLOB_CHARS = frozenset("*?[")


def import_modules(entries: list[str], base_model: Any) -> tuple[list[Any], list[str]]:
    """The modules ``entries`` name, and warnings; raise ``LookupError`` for an empty glob.

    An entry that names no importable module raises ``ImportError``, as before.
    """
    modules: list[Any] = []
    warnings: list[str] = []
    for entry in entries:
        if _GLOB_CHARS.intersection(entry):
            found = _glob(entry, warnings)
            if not found:
                raise LookupError(f"modules entry {entry!r} matches no module")
        else:
            module = importlib.import_module(entry)
            found = [module]
            if hasattr(module, "__path__") and not _is_barrel(module, base_model):
                found += _walk(module, ["**"], warnings)
                if len(found) == 1:
                    raise LookupError(
                        f"modules entry {entry!r} is a package that exports no model"
                        " and has no submodules"
                    )
        modules += [module for module in found if module not in modules]
    return modules, warnings


def _is_barrel(package: Any, base_model: Any) -> bool:
    """Whether a package's ``__init__`` exports models itself (eagerly or lazily)."""
    if hasattr(package, "__all__") or isinstance(getattr(package, "_dynamic_imports", None), dict):
        return True
    return any(
        isinstance(value, type) and issubclass(value, base_model) and value is not base_model
        for name, value in vars(package).items()
        if not name.startswith("_")
    )


def _glob(pattern: str, warnings: list[str]) -> list[Any]:
    """The modules whose dotted names ``pattern`` matches, found below its leading package."""
    segments = pattern.split(".")
    static: list[str] = []
    for segment in segments:
        if _GLOB_CHARS.intersection(segment):
            break
        static.append(segment)
    if not static:
        raise LookupError(f"modules entry {pattern!r} must start with a package name")
    base = importlib.import_module(".".join(static))
    if not hasattr(base, "__path__"):
        raise LookupError(f"modules entry {pattern!r}: {base.__name__} is not a package")
    return _walk(base, segments[len(static) :], warnings)


def _walk(base: Any, segments: list[str], warnings: list[str]) -> list[Any]:
    """Submodules of package ``base`` whose names below it match ``segments``, imported."""
    found: list[Any] = []
    prefix = base.__name__ + "."
    packages = [base]
    while packages:
        package = packages.pop(0)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            parts = info.name[len(prefix) :].split(".")
            matches = _matches(parts, segments)
            descend = info.ispkg and _may_extend(parts, segments)
            if not (matches or descend):
                continue
            try:
                module = importlib.import_module(info.name)
            except Exception as error:
                warnings.append(f"cannot import {info.name}: {type(error).__name__}: {error}")
                continue
            if matches:
                found.append(module)
            if descend and hasattr(module, "__path__"):
                packages.append(module)
    return found


def _matches(parts: list[str], segments: list[str]) -> bool:
    """Whether dotted-name ``parts`` match glob ``segments`` (``**``: one or more parts)."""
    if not segments:
        return not parts
    head, rest = segments[0], segments[1:]
    if head == "**":
        return any(_matches(parts[count:], rest) for count in range(1, len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _matches(parts[1:], rest)


def _may_extend(parts: list[str], segments: list[str]) -> bool:
    """Whether a module below the package ``parts`` names could match ``segments``."""
    if not parts:
        return bool(segments)
    if not segments:
        return False
    if segments[0] == "**":
        return True
    return fnmatch.fnmatchcase(parts[0], segments[0]) and _may_extend(parts[1:], segments[1:])


class Models:
    """The SDK's model classes and union models in the configured modules, found by name and
    cached."""

    def __init__(
        self, modules: list[Any], module_names: list[str], base_model: Any, kinds: Any = None
    ) -> None:
        self.modules = modules
        self.module_names = module_names
        self.base_model = base_model
        #: A flavour's say on models (``python_harness_flavours``): other kinds of model
        #: (Stainless's ``TypedDict`` params), each model's directions and wire keys.
        self.kinds = kinds
        self.classes: dict[str, Any] = {}
        self.adapters = Adapters()
        self._all: dict[str, list[Location]] | None = None
        self._bound: dict[str, list[Location]] = {}
        self._names: dict[str, frozenset[str]] = {}

    def list_models(self) -> dict[str, Any]:
        """Every name in the configured modules bound to a pydantic model class that is wire
        JSON, with its wire keys, or to a union model; the other classes under ``dropped``
        with why. Distinct classes of one name are each listed under a qualified name
        (``python_harness_names``)."""
        seen: dict[str, dict[str, Any]] = {}
        dropped: dict[str, dict[str, str]] = {}
        for name, locations in self._index().items():
            for listed, (value, _) in zip(qualify(name, locations), locations, strict=True):
                self.classes.setdefault(listed, value)
                kind = self._kind(value)
                reason = self._not_wire(value)
                if reason:
                    dropped[listed] = {"name": listed, "reason": reason}
                else:
                    seen[listed] = self._entry(listed, value, kind)
        answer: dict[str, Any] = {"models": list(seen.values())}
        if dropped:
            answer["dropped"] = list(dropped.values())
        return answer

    def _index(self) -> dict[str, list[Location]]:
        """Every model name of the configured modules, with each distinct value bound to it
        and the modules binding it, in the order they are first seen."""
        if self._all is not None:
            return self._all
        index: dict[str, dict[Any, Location]] = {}
        for module in self.modules:
            for name in self._public(module):
                try:
                    value = getattr(module, name)
                except Exception as error:
                    print(f"python harness: cannot load {name}: {error}", file=sys.stderr)
                    continue
                if self._model_in(module, name, value):
                    entry = index.setdefault(name, {}).setdefault(value_key(value), (value, []))
                    entry[1].append(module.__name__)
        self._all = {name: list(values.values()) for name, values in index.items()}
        return self._all

    def _locations(self, name: str) -> list[Location]:
        """The distinct models bound to the plain ``name``, and the modules binding each."""
        if self._all is not None:
            return self._all.get(name, [])
        found = self._bound.get(name)
        if found is not None:
            return found
        values: dict[Any, Location] = {}
        for module in self.modules:
            if name not in self._public(module):
                continue
            try:
                value = getattr(module, name)
            except AttributeError:
                continue
            if self._model_in(module, name, value):
                values.setdefault(value_key(value), (value, []))[1].append(module.__name__)
        self._bound[name] = list(values.values())
        return self._bound[name]

    def _model_in(self, module: Any, name: str, value: Any) -> bool:
        """Whether ``value``, bound to ``name`` in ``module``, is a model."""
        return (
            self.is_model_class(value)
            or self._other_kind(value)
            or union_alias(module, name, value, self.base_model)
        )

    def _public(self, module: Any) -> frozenset[str]:
        names = self._names.get(module.__name__)
        if names is None:
            names = self._names[module.__name__] = frozenset(_public_names(module))
        return names

    def _kind(self, value: Any) -> str:
        """``object`` or ``union``: how the listing describes a model."""
        if self._other_kind(value):
            return str(self.kinds.kind(value))
        return "object" if self.is_model_class(value) else "union"

    def _entry(self, name: str, value: Any, kind: str) -> dict[str, Any]:
        """A listing entry: the model's directions, and an object model's wire keys."""
        directions = ["request", "response"]
        if self.kinds is not None:
            directions = self.kinds.directions(value)
        entry: dict[str, Any] = {"name": name, "directions": directions, "kind": kind}
        if kind == "object":
            keys = self.kinds.keys(value) if self.kinds is not None else _wire_keys(value)
            entry["keys"] = keys
            if getattr(value, "__name__", split(name)[1]) != split(name)[1]:
                entry["alias_of"] = value.__name__
        return entry

    def _other_kind(self, value: Any) -> bool:
        """Whether ``value`` is a model of a kind only the flavour knows (not a pydantic class)."""
        return self.kinds is not None and bool(self.kinds.is_model(value))

    def export_schemas(self, request: dict[str, Any]) -> dict[str, Any]:
        """One JSON Schema document whose ``$defs`` hold the named models (default: all).

        Every model is exported in validation mode with wire names (``by_alias``);
        ``$defs`` is keyed by the pydantic class name, and a model exported under
        another name (``alias_of``) gets a ``$ref`` under that name; a union model
        is its ``TypeAdapter``'s schema under its name (a ``$ref`` where pydantic
        names a definition of its own, a ``TypeAliasType``). Models whose
        schema pydantic cannot produce are listed under ``failed``, never fatal;
        models that are not wire JSON are left out and listed under ``dropped``.
        Discriminators and open enums are kept (``python_harness_export``).
        """
        names = request.get("names")
        dropped: list[dict[str, str]] = []
        listing = self.list_models()
        if names is None:
            names = [entry["name"] for entry in listing["models"]]
            dropped = list(listing.get("dropped", []))
        listed_keys = {
            entry["name"]: entry["keys"] for entry in listing.get("models", []) if "keys" in entry
        }
        failed: dict[str, str] = {}
        classes: dict[str, Any] = {}
        for name in names:
            try:
                cls = self.find(name)
            except Exception as error:
                failed[name] = f"cannot load: {type(error).__name__}: {error}"
                continue
            if cls is None:
                failed[name] = self.missing(name)
            elif self._not_wire(cls):
                dropped.append({"name": name, "reason": self._not_wire(cls)})
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
            generated = refs[(self._key(name, cls), "validation")]
            ref = generated.get("$ref", "")
            if not ref:  # an inline union
                if name in defs:
                    failed[name] = "its name is taken by another model's schema"
                else:
                    defs[name] = generated
                continue
            key = ref.removeprefix("#/$defs/")
            if key == name:
                continue
            if name in defs:
                failed[name] = f"its name is taken by another model's schema; it is {key!r}"
            else:
                defs[name] = {"$ref": ref}
        for name in usable:
            _keep_listed_keys(defs, name, listed_keys.get(name))
        answer: dict[str, Any] = {"schemas": {"$defs": defs}}
        if failed:
            answer["failed"] = failed
        if dropped:
            answer["dropped"] = dropped
        try:
            json.dumps(answer, allow_nan=False)
        except ValueError as error:
            return {"error": f"the exported schema is not JSON: {error}"}
        return answer

    def _models_json_schema(
        self, json_schema: Any, classes: dict[str, Any], failed: dict[str, str]
    ) -> tuple[Any, dict[str, Any]]:
        """The definitions of all ``classes``; if that fails, of those that work alone.

        What ``models_json_schema`` does, with the core schema of a union model's
        ``TypeAdapter`` beside each class's (keyed by the union's name). The models that
        fail are found by halving the sets that fail: an export costs as much as the models
        it reaches, so one export per model would cost the whole graph once per model
        (minutes for an SDK of a few hundred models), where halving finds each failure in
        about twice the logarithm of their number of exports.
        """
        generator = schema_generator(json_schema)
        try:
            return self._definitions(generator, classes)
        except Exception as error:
            print(f"python harness: exporting all models at once failed: {error}", file=sys.stderr)
        items = list(classes.items())
        pending = [items[len(items) // 2 :], items[: len(items) // 2]]
        while pending:
            group = pending.pop()
            if not group:
                continue
            try:
                self._definitions(generator, dict(group))
                continue
            except Exception as error:
                if len(group) == 1:
                    failed[group[0][0]] = f"{type(error).__name__}: {error}"
                    continue
            half = len(group) // 2
            pending += [group[half:], group[:half]]
        return self._definitions(generator, {n: c for n, c in classes.items() if n not in failed})

    def _definitions(self, generator: Any, classes: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        inputs: dict[Any, Any] = {}
        for name, cls in classes.items():
            key = self._key(name, cls)
            if key in inputs:
                continue
            if key is cls:
                core = cls.__pydantic_core_schema__
                if type(core).__name__ == "MockCoreSchema":
                    core.rebuild()
                    core = cls.__pydantic_core_schema__
            else:
                core = self.adapters.of(cls).core_schema
            inputs[key] = core
        instance = generator(by_alias=True, ref_template="#/$defs/{model}")
        refs, definitions = instance.generate_definitions(
            [(key, "validation", core) for key, core in inputs.items()]
        )
        return refs, ({"$defs": definitions} if definitions else {})

    def _not_wire(self, cls: Any) -> str:
        if self._other_kind(cls):
            return str(self.kinds.not_wire(cls))
        if self.is_model_class(cls):
            return not_wire_json(cls)
        return not_wire_union(cls, self.base_model)

    def _key(self, name: str, cls: Any) -> Any:
        """How a model is keyed in ``generate_definitions``: its class, or a union's name."""
        return cls if self.is_model_class(cls) else name

    def is_model_class(self, value: Any) -> bool:
        return (
            isinstance(value, type)
            and issubclass(value, self.base_model)
            and value is not self.base_model
        )

    def find(self, name: str) -> Any:
        """The model class or union model listed as ``name``, or None (``missing`` says why)."""
        cls = self.classes.get(name)
        if cls is not None:
            return cls
        value, _ = pick(name, self._locations(split(name)[1]))
        if value is not None:
            self.classes[name] = value
        return value

    def missing(self, name: str) -> str:
        """Why ``find`` finds no model ``name``."""
        _, why = pick(name, self._locations(split(name)[1]))
        return why or "not found in " + ", ".join(self.module_names)


def _wire_keys(cls: Any) -> list[str]:
    """A model's wire keys: each field's alias (what ``by_alias`` uses), else its name."""
    keys: list[str] = []
    for name, info in (getattr(cls, "model_fields", None) or {}).items():
        alias = getattr(info, "alias", None)
        keys.append(alias if isinstance(alias, str) and alias else name)
    return list(dict.fromkeys(keys))


def _public_names(module: Any) -> list[str]:
    """Names a module exports: ``__all__``, else its lazy-import table, else ``dir()``."""
    names = getattr(module, "__all__", None)
    if names is None:
        table = getattr(module, "_dynamic_imports", None)
        names = list(table) if isinstance(table, dict) else dir(module)
    return [name for name in names if isinstance(name, str) and not name.startswith("_")]


def _keep_listed_keys(defs: dict[str, Any], name: str, keys: list[str] | None) -> None:
    """Leave out of a model's exported object schema the keys its listing does not give:
    a Stainless params type also holds keys its method sends as headers or in the URL,
    never in the body, so they are no wire keys of the body model."""
    if keys is None:
        return
    definition = defs.get(name)
    if isinstance(definition, dict) and isinstance(definition.get("$ref"), str):
        definition = defs.get(definition["$ref"].removeprefix("#/$defs/"))
    properties = definition.get("properties") if isinstance(definition, dict) else None
    if not isinstance(properties, dict) or not set(properties) - set(keys):
        return
    assert isinstance(definition, dict)
    definition["properties"] = {k: v for k, v in properties.items() if k in keys}
    required = definition.get("required")
    if isinstance(required, list):
        definition["required"] = [k for k in required if k in keys]
