"""Options and loading steps shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click
from attrs import frozen

from conformance.core.config import Config, load_config
from conformance.exceptions import ConfigError
from conformance.oracle.models import build_models
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import LoadedCases, load_cases
from conformance.sources.loading import load_schema
from conformance.targets import Target
from conformance.targets.factory import build_targets

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="pyproject.toml to read [tool.conformance] from (default: the nearest one).",
)
schema_option = click.option(
    "--schema",
    "schema",
    multiple=True,
    type=click.Path(path_type=Path),
    help="OpenAPI document (YAML/JSON) or SDK docs folder; twice for a Python and a "
    "TypeScript docs folder. Overrides [tool.conformance] schema.",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["pretty", "json"]),
    help="Output format (default: pretty on a terminal, JSON otherwise).",
)


def config_and_schema(config_path: Path | None, schema: tuple[Path, ...]) -> tuple[Config, Schema]:
    """The configuration, and the schema it (or ``--schema``) names."""
    config = load_config(config_path)
    source = schema or config.schema
    if not source:
        raise ConfigError(
            "no schema configured",
            "pass --schema PATH or set schema in [tool.conformance] of pyproject.toml",
            file=config.file,
            key="tool.conformance.schema",
        )
    loaded = load_schema(source)
    for problem in loaded.problems:
        click.echo(f"conformance: schema: {problem}", err=True)
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
    schema: tuple[Path, ...],
    cases: tuple[Path, ...] = (),
    results: Path | None = None,
    only: tuple[str, ...] = (),
) -> Prepared:
    """Load the configuration (with command-line overrides), schema, cases and targets."""
    config, loaded_schema = config_and_schema(config_path, schema)
    config = config.with_overrides(
        cases=[str(c) for c in cases], results=str(results) if results else None, only=only
    )
    if not config.cases:
        raise ConfigError(
            "no cases configured",
            "pass --cases PATH or set cases in [tool.conformance] of pyproject.toml",
            file=config.file,
            key="tool.conformance.cases",
        )
    skip = [config.expected] if config.expected else []
    loaded = load_cases(config.cases, loaded_schema.definitions, skip)
    if not loaded.files:
        raise ConfigError(
            f"no case files found in {', '.join(map(str, config.cases))}",
            "case files are *.json in the configured folders",
            file=config.file,
            key="tool.conformance.cases",
        )
    targets = build_targets(config, build_models(loaded_schema))
    settings: dict[str, JsonValue] = {
        "schema": [str(s) for s in (schema or config.schema)],
        "cases": [str(c) for c in config.cases],
        "targets": [t.name for t in config.targets],
    }
    return Prepared(config, loaded_schema, loaded, targets, settings)
