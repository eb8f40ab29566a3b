"""Options and loading steps shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from conformance.config import Config, load_config
from conformance.exceptions import ConfigError
from conformance.schema import Schema
from conformance.schema.loading import load_schema

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
