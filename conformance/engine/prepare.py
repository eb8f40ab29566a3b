"""Loading what a run needs: configuration (with command-line overrides), schema, cases, targets.

Problems met while reading the schema do not stop a run; they go to ``say``
(the commands print them on stderr).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
from attrs import frozen

from conformance.core.config import Config, load_config
from conformance.exceptions import ConfigError
from conformance.oracle.models import build_models
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import LoadedCases, load_cases
from conformance.sources.loading import load_schema
from conformance.targets import Target
from conformance.targets.factory import build_targets

__all__ = ["Prepared", "config_and_schema", "prepare_run"]


def config_and_schema(
    config_path: Path | None, schema: Sequence[Path], say: Callable[[str], None]
) -> tuple[Config, Schema]:
    """The configuration, and the schema it (or ``--schema``) names."""
    config = load_config(config_path)
    source = tuple(schema) or config.schema
    if not source:
        raise ConfigError(
            "no schema configured",
            "pass --schema PATH or set schema in [tool.conformance] of pyproject.toml",
            file=config.file,
            key="tool.conformance.schema",
        )
    loaded = load_schema(source)
    for problem in loaded.problems:
        say(f"conformance: schema: {problem}")
    return config, loaded


@frozen
class Prepared:
    """Everything a run needs, loaded and checked: config, schema, cases, targets."""

    config: Config
    schema: Schema
    loaded: LoadedCases
    targets: list[Target]
    settings: dict[str, JsonValue]


def prepare_run(
    config_path: Path | None,
    schema: Sequence[Path],
    say: Callable[[str], None],
    cases: Sequence[Path] = (),
    results: Path | None = None,
    only: Sequence[str] = (),
    need_cases: bool = True,
    cross: bool = False,
    expected: Path | None = None,
) -> Prepared:
    """Load the configuration (with command-line overrides), schema, cases and targets.

    Without ``need_cases`` (every case of the run is generated), no case files is fine.
    ``cross`` adds the cross-SDK round trips, as ``cross = true`` does. ``expected``
    (``--expected``), like the configured expected-failures file, is never read as a
    case file, though it may sit among the cases.
    """
    config, loaded_schema = config_and_schema(config_path, schema, say)
    config = config.with_overrides(
        cases=[str(c) for c in cases], results=str(results) if results else None, only=tuple(only)
    )
    if cross:
        config = attrs.evolve(config, cross=True)
    if not need_cases and not config.cases:
        loaded = LoadedCases((), (), ())
    elif not config.cases:
        raise ConfigError(
            "no cases configured",
            "pass --cases PATH or set cases in [tool.conformance] of pyproject.toml",
            file=config.file,
            key="tool.conformance.cases",
        )
    else:
        skip = [p for p in (config.expected, expected) if p]
        loaded = load_cases(config.cases, loaded_schema.definitions, skip)
    if need_cases and not loaded.files:
        raise ConfigError(
            f"no case files found in {', '.join(map(str, config.cases))}",
            "case files are *.json in the configured folders",
            file=config.file,
            key="tool.conformance.cases",
        )
    if need_cases and not loaded.cases and not loaded.errors:
        # A run of no case would say CONFORMANT of nothing (`init` writes no case when the
        # SDKs pair no model).
        raise ConfigError(
            f"the case files ({', '.join(loaded.files)}) hold no case: nothing would run",
            "add cases; `conformance pair` shows which models the SDKs pair (init writes a"
            " case per model both pair), and `conformance scale` runs every model of the spec",
            file=config.file,
            key="tool.conformance.cases",
        )
    targets = build_targets(config, build_models(loaded_schema))
    settings: dict[str, JsonValue] = {
        "schema": [str(s) for s in (tuple(schema) or config.schema)],
        "cases": [str(c) for c in config.cases],
        "targets": [t.name for t in config.targets],
    }
    return Prepared(config, loaded_schema, loaded, targets, settings)
