"""A project set up for one SDK pair (``conformance init``): configuration, installs, cases.

``init`` writes ``[tool.conformance]`` into the folder's ``pyproject.toml`` (made
if missing; a folder already configured is refused unless ``force``): the
spec, the two reference targets, and one target per SDK that declares what to
install (``requirement`` / ``npm``), with no ``modules``, which are found from
the installed package. It then installs the SDKs (``conformance sdk install``),
pairs each SDK's models with the spec's (``pair_with``; names that differ go
into the target's ``models`` table; an SDK that cannot start, as without
``install``, is said and left unpaired), and writes ``cases/init.json``, one valid
case per model both SDKs pair, in a direction the spec and both SDKs use: the
spec's own ``example`` where it has one that the schema accepts, else a
generated payload. An empty expected-failures file completes the project, so
``conformance run`` works right away.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from attrs import frozen

from conformance.core import jsonwire
from conformance.engine.prepare import config_and_schema
from conformance.engine.sdk_install import install_sdks
from conformance.engine.sdk_pairing import SDK_KINDS, listings, pair_with, to_pair
from conformance.engine.structure import schema_signatures
from conformance.exceptions import ConfigError
from conformance.schema import JsonValue, Model, Ref, Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate import accepts, case_document, generate_cases
from conformance.sources.generate.finite import NoPayload
from conformance.sources.wire_models import wire_models

__all__ = ["InitDone", "InitRequest", "init_project"]

_EXAMPLE = "the spec's example"


@frozen
class InitRequest:
    """What ``conformance init`` was told: the folder, the spec and the two SDKs."""

    folder: Path
    spec: Path
    python_sdk: str  # a pip requirement or a local path
    python_package: str  # the import name
    node_sdk: str  # an npm spec (name@version) or a local path
    node_package: str  # the npm package name
    install: bool = True
    force: bool = False


@frozen
class InitDone:
    """What ``init`` wrote: the configuration, the case file, and the models it paired."""

    pyproject: Path
    cases: Path
    expected: Path
    paired: tuple[str, ...]
    examples: int  # cases taken from the spec's examples (the others are generated)


def _toml(value: Any) -> str:
    """A string, list or table of strings as TOML (JSON's string escapes are TOML's)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"not written as TOML here: {value!r}")


def _section(
    spec: str, targets: Sequence[Mapping[str, Any]], models: Mapping[str, Mapping[str, str]]
) -> str:
    lines = [
        "[tool.conformance]",
        f"schema = {_toml(spec)}",
        'cases = ["cases"]',
        'results = "reports/results.ndjson"',
        'expected = "cases/expected-failures.json"',
    ]
    for target in targets:
        lines += ["", "[[tool.conformance.targets]]"]
        lines += [f"{key} = {_toml(value)}" for key, value in target.items()]
        names = models.get(str(target["name"]), {})
        if names:
            lines.append("[tool.conformance.targets.models]  # the spec's name = the SDK's name")
            lines += [f"{_toml(ours)} = {_toml(theirs)}" for ours, theirs in sorted(names.items())]
    return "\n".join(lines) + "\n"


def _targets(request: InitRequest) -> list[dict[str, Any]]:
    stem = request.python_package.replace("_", "-").replace(".", "-")
    return [
        {"name": "reference-python", "kind": "reference", "convention": "python"},
        {"name": "reference-typescript", "kind": "reference", "convention": "typescript"},
        {
            "name": f"{stem}-python",
            "kind": "python-sdk",
            "package": request.python_package,
            "requirement": request.python_sdk,
        },
        {
            "name": f"{stem}-node",
            "kind": "node-sdk",
            "package": request.node_package,
            "npm": request.node_sdk,
        },
    ]


def _write_config(pyproject: Path, section: str, force: bool) -> None:
    """Add ``section`` to ``pyproject`` (replacing an old one only with ``force``)."""
    text = pyproject.read_text("utf-8") if pyproject.exists() else ""
    if "[tool.conformance" in text:
        if not force:
            raise ConfigError(
                "this folder is configured already ([tool.conformance] exists)",
                "edit it, or pass --force to replace it",
                file=str(pyproject),
                key="tool.conformance",
            )
        kept = []
        skipping = False
        for line in text.splitlines():
            header = line.strip().startswith("[")
            if header:
                skipping = line.strip().lstrip("[").startswith("tool.conformance")
            if not skipping:
                kept.append(line)
        text = "\n".join(kept).rstrip() + "\n" if kept else ""
    gap = "\n" if text and not text.endswith("\n\n") else ""
    pyproject.write_text(text + gap + section, "utf-8")


def _spec_examples(spec: Path) -> dict[str, JsonValue]:
    """``components.schemas.X.example`` (or the first of ``examples``) of each named schema."""
    document: Any
    try:
        if spec.suffix == ".json":
            document = jsonwire.loads(spec.read_text("utf-8"))
        else:
            document = yaml.load(spec.read_text("utf-8"), Loader=yaml.SafeLoader)
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    schemas = ((document or {}).get("components") or {}).get("schemas") or {}
    found: dict[str, JsonValue] = {}
    for name, node in schemas.items() if isinstance(schemas, dict) else ():
        if not isinstance(node, dict):
            continue
        if "example" in node:
            found[str(name)] = node["example"]
        elif isinstance(node.get("examples"), list) and node["examples"]:
            found[str(name)] = node["examples"][0]
    return found


def _case(schema: Schema, name: str, direction: Direction, example: JsonValue | None) -> Case:
    """One valid case of ``name``: the spec's example if the schema accepts it, else generated."""
    suffix = f"-{direction}"
    exact: JsonValue = None
    if example is not None:
        try:  # a YAML date or timestamp is no JSON value: such an example is not used
            exact = jsonwire.loads(json.dumps(example))
        except (TypeError, ValueError):
            example = None
    if example is not None and accepts(schema, Ref(name), exact):
        return Case(f"init-{name}{suffix}", name, direction, exact, True, _EXAMPLE)
    [made] = generate_cases(schema, name, 1, 0, direction, invalid_ratio=0.0)
    return Case(f"init-{name}{suffix}", name, direction, made.wire, True, "generated")


def init_project(request: InitRequest, say: Callable[[str], None]) -> InitDone:
    """Set up ``request.folder`` for the SDK pair; see the module doc."""
    folder = request.folder.absolute()
    folder.mkdir(parents=True, exist_ok=True)
    pyproject = folder / "pyproject.toml"
    spec = request.spec.absolute()
    if not spec.is_file():
        raise ConfigError(
            "no such spec file", "pass --spec with the API's OpenAPI document", file=str(spec)
        )
    try:
        spec_text = str(spec.relative_to(folder))
    except ValueError:
        spec_text = str(spec)
    targets = _targets(request)
    _write_config(pyproject, _section(spec_text, targets, {}), request.force)
    expected = folder / "cases" / "expected-failures.json"
    expected.parent.mkdir(parents=True, exist_ok=True)
    if not expected.exists():
        expected.write_text('{\n  "expected": []\n}\n', "utf-8")
    if request.install:
        for done in install_sdks(pyproject, (), False, say):
            if done.skipped:
                say(f"conformance: {done.target}: not installed: {done.skipped}")
    config, schema = config_and_schema(pyproject, (), say)
    # Every SDK starts and lists its models at once, while the wire models are found.
    begun = listings(config, to_pair(config, pair_every_sdk=True))
    wire = wire_models(schema)
    runs: dict[str, tuple[Direction, ...]] = {
        name: ways for name, ways in wire.runs.items() if isinstance(schema[name], Model)
    }
    signatures = schema_signatures(schema)
    mappings: dict[str, dict[str, str]] = {}
    for each in config.targets:
        if each.kind not in SDK_KINDS:
            continue
        try:
            entries = begun[each.name].result()
            paired, directions, pairing = pair_with(
                config, each, list(runs), signatures, entries=entries
            )
        except ConfigError as error:  # not installed (--no-install), or it does not start
            say(f"conformance: {each.name}: not paired, its models are not known: {error.message}")
            continue
        mappings[each.name] = dict(paired.options.get("models", {}))
        if not directions and runs:  # (none left: an earlier target paired none)
            listed = len(pairing.right_only) + sum(len(t.right) for t in pairing.ambiguous)
            say(
                f"conformance: {each.name}: pairs none of the spec's {len(runs)} model(s) (it"
                f" lists {listed} of its own): no case can run through it; check its package,"
                " `modules` and `flavor` (`conformance pair` shows the pairing)"
            )
        runs = {
            name: tuple(d for d in ways if d in directions[name])
            for name, ways in runs.items()
            if name in directions
        }
        runs = {name: ways for name, ways in runs.items() if ways}
    _write_config(pyproject, _section(spec_text, targets, mappings), True)
    examples = _spec_examples(spec)
    cases: list[Case] = []
    for name, ways in runs.items():
        try:
            # A response is what every SDK reads; a model only ever sent is run as a request.
            way: Direction = "response" if "response" in ways else ways[0]
            cases.append(_case(schema, name, way, examples.get(name)))
        except NoPayload as error:
            say(f"conformance: {name}: no case written: {error.reason}")
    case_file = folder / "cases" / "init.json"
    document = case_document(cases, "one case per model both SDKs pair (conformance init)")
    case_file.write_text(jsonwire.dumps(document, indent=2) + "\n", "utf-8")
    used = sum(1 for c in cases if c.description == _EXAMPLE)
    return InitDone(pyproject, case_file, expected, tuple(runs), used)
