"""Options and the summary printout shared by several commands (the progress line: ``progress``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from conformance.cli import wants_pretty

# Re-exported: the commands take their options and the progress line from here.
from conformance.cli.progress import progress_bar as progress_bar
from conformance.core.config import Config
from conformance.engine import prepare
from conformance.report.github import render_github
from conformance.report.terminal import render_json, render_pretty
from conformance.results.reader import read_results
from conformance.results.records import Record
from conformance.results.summary import Summary
from conformance.schema import Schema

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
    type=click.Choice(["pretty", "json", "github"]),
    help="Output format (default: pretty on a terminal, JSON otherwise); github: the "
    "pretty summary, then GitHub Actions annotations at each family's and failing case's "
    "case file and line.",
)


def warn(message: str) -> None:
    """A diagnostic line on stderr."""
    click.echo(message, err=True)


def config_and_schema(config_path: Path | None, schema: tuple[Path, ...]) -> tuple[Config, Schema]:
    """The configuration, and the schema it (or ``--schema``) names; schema problems on stderr."""
    return prepare.config_and_schema(config_path, schema, warn)


def print_summary(summary: Summary, where: str | None, fmt: str | None) -> None:
    """The summary on stdout: pretty text or JSON (``--format``); on stderr, each target
    that ran no case, and how to make it run."""
    for idle in summary.idle:
        verdict = "optional: the run does not fail" if idle.optional else "fails the run"
        hint = f"\n  hint: {_printable(idle.hint)}" if idle.hint else ""
        reason = _printable(idle.reason)
        warn(f"conformance: target {idle.name!r} ran no case ({verdict}): {reason}{hint}")
    if fmt == "github":
        click.echo(render_pretty(summary, where))
        click.echo(render_github(summary, _records(where)))
    elif wants_pretty(fmt):
        click.echo(render_pretty(summary, where, color=sys.stdout.isatty()))
    else:
        click.echo(json.dumps(render_json(summary, where), indent=2))


def _records(where: str | None) -> Iterator[Record]:
    """The records of the results file(s) ``where`` names (comma-separated shards)."""
    for each in (where or "").split(", "):
        if each and Path(each).is_file():
            yield from read_results(each)


def _printable(text: str) -> str:
    """``text`` with control characters and lone surrogates escaped (a reason may come
    from a harness: it must not drive the terminal)."""
    escaped = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
    return escaped.encode("utf-8", "backslashreplace").decode("utf-8")


cross_option = click.option(
    "--cross",
    is_flag=True,
    help="Also feed what each SDK target wrote to every other SDK target (cross-SDK round "
    "trips, reported as targets A->B), as `cross = true` in [tool.conformance] does.",
)
