"""Configuration: ``[tool.conformance]`` in ``pyproject.toml``, then command-line overrides.

```toml
[tool.conformance]
schema = "cases/orq/openapi.yaml"     # OpenAPI 3.0/3.1 (YAML or JSON), or SDK docs folder(s)
cases = ["cases/orq"]                 # case files, or folders searched for *.json
results = "reports/results.ndjson"    # where `conformance run` writes its results
expected = "cases/orq/expected-failures.json"  # known divergences (optional)
timeout = 5                           # seconds per case (a target's own timeout wins)
start_timeout = 60                    # seconds a harness may take to start and list its models

[tool.conformance.models]             # schema model -> SDK class name, where they differ
PostV2ProxyCompletionsData = "CreateCompletionData"

[[tool.conformance.targets]]          # default: reference-python and reference-typescript
name = "reference-python"
kind = "reference"
convention = "python"

[[tool.conformance.policy]]           # first match wins; built-in rules come last
kind = "order"
severity = "note"
reason = "JSON objects are unordered"
```
Relative paths are relative to the folder of the ``pyproject.toml``, wherever the
command runs from (``Config.root``; the target factory makes the targets' paths
absolute from it). The table is
checked against ``conformance/schemas/config.schema.json`` when it is read; every
mistake is a ``ConfigError`` at its TOML key (``tool.conformance.targets[2].modules``).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from conformance.core import resources
from conformance.core.divergence import Severity
from conformance.core.validation import Problem, problems, short_repr, toml_key, toml_path
from conformance.exceptions import ConfigError

__all__ = [
    "CROSS_KIND",
    "Config",
    "PolicyRule",
    "TargetConfig",
    "config_problems",
    "find_pyproject",
    "load_config",
    "parse_config",
]

TARGET_KINDS = ("reference", "python-sdk", "node-sdk", "harness", "recorded")
#: Problems listed after the first in one error's hint; the rest are counted.
_MORE_SHOWN = 5
#: Keys that hold seconds, with the example their error gives.
_SECONDS = {"timeout": 5, "start_timeout": 120}


@frozen
class TargetConfig:
    """One configured target: its name, kind, naming convention and kind-specific options.

    ``key`` is the target's TOML table (``tool.conformance.targets[2]``), for
    messages that name a setting; empty for a target that was not configured.
    """

    name: str
    kind: str
    convention: str | None = None
    options: Mapping[str, Any] = field(factory=dict)
    key: str = field(default="", eq=False)

    @property
    def optional(self) -> bool:
        """Whether the run may pass when this target ran no case (``optional = true``)."""
        return bool(self.options.get("optional", False))


@frozen
class PolicyRule:
    """One ``[[tool.conformance.policy]]`` rule: what it matches and the severity it gives.

    Globs: ``kind`` is a divergence kind or ``*``, ``path`` a wire path glob,
    ``targets`` target-name globs that must each name a target on either side.
    """

    severity: Severity
    reason: str
    kind: str = "*"
    path: str = "*"
    targets: tuple[str, ...] = ()


#: The kind of a cross target in the results header: one SDK target reading what another
#: wrote (``cross = true``; the targets are ``targets.cross``).
CROSS_KIND = "cross"

DEFAULT_TARGETS = (
    TargetConfig("reference-python", "reference", "python"),
    TargetConfig("reference-typescript", "reference", "typescript"),
)


#: Where results go when neither ``--out`` nor ``results`` says (relative to the project root).
DEFAULT_RESULTS = "reports/results.ndjson"
#: Where ``conformance sdk install`` puts declared SDKs that name no folder of their own.
DEFAULT_SDK_CACHE = ".conformance/sdk"


@frozen
class Config:
    """Everything a run needs to know, with paths resolved."""

    root: Path
    file: str = ""
    schema: tuple[Path, ...] = ()
    cases: tuple[Path, ...] = ()
    results: Path | None = None
    expected: Path | None = None
    targets: tuple[TargetConfig, ...] = DEFAULT_TARGETS
    #: The project's own rules, first match first; ``Policy.from_rules`` adds the built-in ones.
    policy: tuple[PolicyRule, ...] = ()
    timeout: float = 5.0
    #: The default start-up limit of harness targets (start handshake and models listing).
    start_timeout: float = 60.0
    models: Mapping[str, str] = field(factory=dict)
    raw: Mapping[str, Any] = field(factory=dict)
    #: Also run what each SDK target wrote through every other (``targets.cross``).
    cross: bool = False
    #: Where declared SDKs without a folder of their own are installed (relative: to ``root``).
    sdk_cache: Path = Path(DEFAULT_SDK_CACHE)

    @property
    def sdk_cache_folder(self) -> Path:
        """``sdk_cache`` from the project's folder."""
        return self.root / self.sdk_cache

    def with_overrides(
        self,
        schema: Sequence[str] = (),
        cases: Sequence[str] = (),
        results: str | None = None,
        only: Sequence[str] = (),
    ) -> Config:
        """The configuration with command-line values in place of configured ones."""
        changed = self
        if schema:
            changed = evolve(changed, schema=tuple(Path(s) for s in schema))
        if cases:
            changed = evolve(changed, cases=tuple(Path(c) for c in cases))
        if results is not None:
            changed = evolve(changed, results=Path(results))
        if only:
            known = {t.name for t in changed.targets}
            unknown = [name for name in only if name not in known]
            if unknown:
                raise ConfigError(
                    f"unknown target(s) {unknown!r}",
                    f"configured targets: {', '.join(sorted(known))}",
                    file=self.file,
                    key="tool.conformance.targets",
                )
            changed = evolve(changed, targets=tuple(t for t in changed.targets if t.name in only))
        return changed


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | Path | None = None, cwd: Path | None = None) -> Config:
    """Read ``[tool.conformance]`` from ``path`` or the nearest ``pyproject.toml``."""
    here = cwd or Path.cwd()
    file = Path(path) if path is not None else find_pyproject(here)
    if file is None:
        # No project file: the documented defaults still hold, the results path among them.
        return Config(root=here, results=here / DEFAULT_RESULTS)
    try:
        document = tomllib.loads(file.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ConfigError(
            f"cannot read: {error.strerror}", "check the path", file=str(file)
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"not UTF-8 (byte {error.start})", "save the file as UTF-8", file=str(file)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", "fix the TOML syntax", file=str(file)) from None
    except RecursionError:
        raise ConfigError(
            "invalid TOML: arrays or tables nested too deeply", "flatten them", file=str(file)
        ) from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError("tool must be a table", file=str(file), key="tool")
    section = tool.get("conformance", {})
    return parse_config(section, file.parent, str(file))


def parse_config(section: Any, root: Path, file: str = "") -> Config:
    """Build a ``Config`` from the ``[tool.conformance]`` table, refusing an invalid one."""
    found = config_problems(section, file)
    if found:
        raise _reported(found)
    expected = section.get("expected")
    return Config(
        root=root,
        file=file,
        schema=_paths(section.get("schema", []), root),
        cases=_paths(section.get("cases", []), root),
        results=root / section.get("results", DEFAULT_RESULTS),
        expected=None if expected is None else root / expected,
        targets=_targets(section.get("targets")),
        policy=tuple(_rule(raw) for raw in section.get("policy", [])),
        timeout=float(section.get("timeout", 5.0)),
        start_timeout=float(section.get("start_timeout", 60.0)),
        models=dict(section.get("models", {})),
        raw=dict(section),
        cross=bool(section.get("cross", False)),
        sdk_cache=Path(section.get("sdk_cache", DEFAULT_SDK_CACHE)),
    )


def config_problems(section: Any, file: str = "") -> list[ConfigError]:
    """Everything wrong with a ``[tool.conformance]`` table, the most telling first.

    ``conformance/schemas/config.schema.json`` describes the table; the checks
    after it are the ones a schema cannot say (distinct names, finite numbers).
    """
    found = problems(
        resources.validator("config"), section, root_name="[tool.conformance]", render=_toml_value
    )
    if not found:
        found = _beyond_schema(section)
    return [
        ConfigError(each.message, each.hint, file=file, key=toml_path(each.path)) for each in found
    ]


def _beyond_schema(section: Mapping[str, Any]) -> list[Problem]:
    found = [
        _infinite((key,), section[key])
        for key in _SECONDS
        if key in section and _seconds(section[key]) is None
    ]
    seen: set[str] = set()
    for index, table in enumerate(section.get("targets", [])):
        if table["name"] in seen:
            found.append(
                Problem(
                    ("targets", index, "name"),
                    f"two targets are named {table['name']!r}",
                    "rename one",
                )
            )
        seen.add(table["name"])
        found += [
            _infinite(("targets", index, key), table[key])
            for key in _SECONDS
            if key in table and _seconds(table[key]) is None
        ]
    return found


def _seconds(value: float) -> float | None:
    """``value`` as a finite float, or ``None`` (TOML has ``inf``, ``nan`` and huge integers)."""
    try:
        seconds = float(value)
    except OverflowError:
        return None
    return seconds if math.isfinite(seconds) else None


def _infinite(path: tuple[str | int, ...], value: float) -> Problem:
    key = str(path[-1])
    return Problem(
        path,
        f"{key} must be a positive number of seconds, not {short_repr(value)}",
        f"e.g. {key} = {_SECONDS[key]}",
    )


def _reported(found: Sequence[ConfigError]) -> ConfigError:
    """The first problem, with the others listed under its hint."""
    first, rest = found[0], found[1:]
    lines = [first.hint] if first.hint else []
    lines += [f"also [{each.key}]: {each.message}" for each in rest[:_MORE_SHOWN]]
    if len(rest) > _MORE_SHOWN:
        lines.append(f"and {len(rest) - _MORE_SHOWN} more")
    return evolve(first, hint="\n  ".join(lines))


def _paths(raw: str | list[str], root: Path) -> tuple[Path, ...]:
    return tuple(root / each for each in ([raw] if isinstance(raw, str) else raw))


def _targets(raw: list[dict[str, Any]] | None) -> tuple[TargetConfig, ...]:
    if raw is None:
        return DEFAULT_TARGETS
    return tuple(
        TargetConfig(
            table["name"],
            table["kind"],
            table.get("convention"),
            {k: v for k, v in table.items() if k not in ("name", "kind", "convention")},
            key=toml_path(("targets", index)),
        )
        for index, table in enumerate(raw)
    )


def _rule(raw: Mapping[str, Any]) -> PolicyRule:
    targets = raw.get("targets", ())
    return PolicyRule(
        raw["severity"],
        raw["reason"],
        raw.get("kind", "*"),
        raw.get("path", "*"),
        (targets,) if isinstance(targets, str) else tuple(targets),
    )


def _toml_value(value: Any) -> str:
    """A schema example written as TOML, for hints."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml_value, value)) + "]"
    if isinstance(value, dict):
        pairs = (f"{toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    return str(value)
