"""``conformance cases``: make case files."""

from __future__ import annotations

from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.core import jsonwire
from conformance.sources.sdkdocs.examples import case_file, docs_cases


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
@reports_errors
def from_docs(ts_docs: Path, python_docs: Path | None, out: Path) -> None:
    """Turn the Example Usage blocks of a TypeScript docs tree into a wire-format case file.

    camelCase properties become wire keys through the schema the docs describe;
    examples that cannot be read are reported on stderr with file and line.
    """
    results = list(docs_cases(python_docs, ts_docs))
    for result in results:
        for problem in result.problems:
            click.echo(f"conformance: {problem}", err=True)
    document = case_file(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(jsonwire.dumps(document, indent=2) + "\n", "utf-8")
    tests = document["tests"]
    count = len(tests) if isinstance(tests, list) else 0
    click.echo(f"wrote {count} case(s) to {out}", err=True)
