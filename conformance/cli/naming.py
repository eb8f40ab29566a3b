"""``conformance naming``: wire key -> python name -> typescript name, per model."""

from __future__ import annotations

import json
from pathlib import Path

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_and_schema, config_option, format_option, schema_option
from conformance.core.conventions import get_convention
from conformance.exceptions import ConfigError
from conformance.oracle.naming import naming_as_json, naming_report, render_naming


@click.command()
@config_option
@schema_option
@click.option("--model", "only", multiple=True, help="Only this model (repeatable).")
@click.option(
    "--convention",
    "conventions",
    multiple=True,
    default=("python", "typescript"),
    show_default=True,
    help="Conventions to show (repeatable): python, typescript, pascal, kebab.",
)
@click.option("--flagged", is_flag=True, help="Only models with collisions or lossy names.")
@format_option
@reports_errors
def naming(
    config_path: Path | None,
    schema: tuple[Path, ...],
    only: tuple[str, ...],
    conventions: tuple[str, ...],
    flagged: bool,
    fmt: str | None,
) -> None:
    """List each model's fields under every convention, and flag collisions and lossy names.

    A collision is two wire keys with one native name (error_code and errorCode
    are both error_code in Python); a lossy name does not convert back to its
    wire key (HTTPStatus -> http_status -> HttpStatus).
    """
    _, loaded = config_and_schema(config_path, schema)
    chosen = [get_convention(c, key="--convention") for c in conventions]
    models = [m for m in loaded.models if not only or m.name in only]
    missing = sorted(set(only) - {m.name for m in models})
    if missing:
        raise ConfigError(
            f"no model named {missing!r} in the schema", "see the names without --model"
        )
    reports = [naming_report(m, chosen) for m in models]
    if flagged:
        reports = [r for r in reports if r.flagged]
    if wants_pretty(fmt):
        click.echo(render_naming(reports))
    else:
        click.echo(json.dumps(naming_as_json(reports), indent=2))
