"""``conformance cases``: make case files."""

from __future__ import annotations

from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import config_option, schema_option, warn
from conformance.core import jsonwire
from conformance.engine.docs_cases import docs_case_file


@click.group()
def cases() -> None:
    """Make case files from other sources."""


@cases.command("from-docs")
@click.argument("ts_docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--python-docs",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The Python SDK's docs, to name models and wire keys as the pair documents them.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The case file to write (JSON).",
)
@config_option
@schema_option
@reports_errors
def from_docs(
    ts_docs: Path,
    python_docs: Path | None,
    out: Path,
    config_path: Path | None,
    schema: tuple[Path, ...],
) -> None:
    """Turn the Example Usage blocks of a TypeScript docs tree into a wire-format case file.

    camelCase properties become wire keys through the API's schema (--schema, or
    the one [tool.conformance] configures); without one, through the schema the
    docs describe, which is a guess and said to be one. Examples that cannot be
    read, and keys matched only by their words, are reported on stderr with file
    and line.
    """
    made = docs_case_file(ts_docs, python_docs, config_path, schema, warn)
    for problem in made.problems:
        click.echo(f"conformance: {problem}", err=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(jsonwire.dumps(made.document, indent=2) + "\n", "utf-8")
    keyed = f"wire keys from {made.schema}" if made.schema else "wire keys guessed from the docs"
    click.echo(f"wrote {made.count} case(s) to {out} ({keyed})", err=True)
