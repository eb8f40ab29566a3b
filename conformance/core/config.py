"""Configuration: ``[tool.conformance]`` in ``pyproject.toml``, then command-line overrides.

```toml
[tool.conformance]
schema = "cases/orq/openapi.yaml"     # OpenAPI 3.0/3.1 (YAML or JSON), or SDK docs folder(s)
cases = ["cases/orq"]                 # case files, or folders searched for *.json
results = "reports/results.ndjson"    # where `conformance run` writes its results
expected = "cases/orq/expected-failures.json"  # known divergences (optional)

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
Relative paths are relative to the folder of the ``pyproject.toml``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import evolve, field, frozen

from conformance.comparison.policy import Policy
from conformance.exceptions import ConfigError

__all__ = ["Config", "TargetConfig", "find_pyproject", "load_config"]

TARGET_KINDS = ("reference", "python-sdk", "node-sdk", "harness", "recorded")
_TOP_KEYS = {"schema", "cases", "results", "targets", "policy", "timeout", "expected", "models"}


@frozen
class TargetConfig:
    """One configured target: its name, kind, naming convention and kind-specific options."""

    name: str
    kind: str
    convention: str | None = None
    options: Mapping[str, Any] = field(factory=dict)


DEFAULT_TARGETS = (
    TargetConfig("reference-python", "reference", "python"),
    TargetConfig("reference-typescript", "reference", "typescript"),
)


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
    policy: Policy = field(factory=Policy)
    timeout: float = 5.0
    models: Mapping[str, str] = field(factory=dict)
    raw: Mapping[str, Any] = field(factory=dict)

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
        return Config(root=here)
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


def parse_config(section: Mapping[str, Any], root: Path, file: str = "") -> Config:
    """Build a ``Config`` from the ``[tool.conformance]`` table."""
    if not isinstance(section, Mapping):
        raise ConfigError(
            f"[tool.conformance] must be a table, not {section!r}",
            "write it as a [tool.conformance] section",
            file=file,
            key="tool.conformance",
        )
    unknown = set(section) - _TOP_KEYS
    if unknown:
        raise ConfigError(
            f"unknown key(s) {sorted(unknown)!r}",
            f"known keys: {', '.join(sorted(_TOP_KEYS))}",
            file=file,
            key="tool.conformance",
        )

    def path_of(key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value or "\0" in value:
            raise ConfigError(
                f"expected a path, got {value!r}", file=file, key=f"tool.conformance.{key}"
            )
        return root / value

    def paths_of(key: str) -> tuple[Path, ...]:
        raw = section.get(key, [])
        if not isinstance(raw, str | list):
            raise ConfigError(
                f"expected a path or a list of paths, got {raw!r}",
                file=file,
                key=f"tool.conformance.{key}",
            )
        return tuple(path_of(key, each) for each in ([raw] if isinstance(raw, str) else raw))

    schema = paths_of("schema")
    cases = paths_of("cases")
    results = path_of("results", section.get("results", "reports/results.ndjson"))
    expected = path_of("expected", section["expected"]) if "expected" in section else None
    targets = _targets(section.get("targets"), file)
    policy_raw = section.get("policy", [])
    if not isinstance(policy_raw, list) or not all(
        isinstance(rule, dict) and isinstance(rule.get("targets", ""), str | list)
        for rule in policy_raw
    ):
        raise ConfigError(
            "policy must be an array of tables ([[tool.conformance.policy]]), "
            "each with targets (if any) a glob or a list of globs",
            file=file,
            key="tool.conformance.policy",
        )
    timeout = section.get("timeout", 5.0)
    if (
        not isinstance(timeout, int | float)
        or isinstance(timeout, bool)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ConfigError(
            f"timeout must be a positive number of seconds, not {timeout!r}",
            file=file,
            key="tool.conformance.timeout",
        )
    models = section.get("models", {})
    if not isinstance(models, dict) or not all(isinstance(v, str) for v in models.values()):
        raise ConfigError(
            "models must be a table of schema model name = SDK class name",
            file=file,
            key="tool.conformance.models",
        )
    return Config(
        root=root,
        models=models,
        file=file,
        schema=schema,
        cases=cases,
        results=results,
        expected=expected,
        targets=targets,
        policy=Policy.from_config(policy_raw, file),
        timeout=float(timeout),
        raw=dict(section),
    )


def _targets(raw: Any, file: str) -> tuple[TargetConfig, ...]:
    if raw is None:
        return DEFAULT_TARGETS
    if not isinstance(raw, list) or not raw:
        raise ConfigError(
            "targets must be a non-empty array of tables ([[tool.conformance.targets]])",
            file=file,
            key="tool.conformance.targets",
        )
    seen: set[str] = set()
    out = []
    for index, table in enumerate(raw):
        key = f"tool.conformance.targets[{index}]"
        if not isinstance(table, dict):
            raise ConfigError("each target must be a table", file=file, key=key)
        name, kind = table.get("name"), table.get("kind")
        if not isinstance(name, str) or not name:
            raise ConfigError("a target needs a name", file=file, key=key)
        if name in seen:
            raise ConfigError(f"two targets are named {name!r}", "rename one", file=file, key=key)
        seen.add(name)
        if kind not in TARGET_KINDS:
            raise ConfigError(
                f"unknown target kind {kind!r}",
                f"use one of {', '.join(TARGET_KINDS)}",
                file=file,
                key=key,
            )
        convention = table.get("convention")
        if convention is not None and not isinstance(convention, str):
            raise ConfigError("convention must be a string", file=file, key=key)
        options = {k: v for k, v in table.items() if k not in ("name", "kind", "convention")}
        out.append(TargetConfig(name, kind, convention, options))
    return tuple(out)
