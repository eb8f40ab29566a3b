"""``conformance report``: re-render results files (several merge into one report)."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import format_option
from conformance.report.terminal import render_json, render_pretty
from conformance.results import read_results
from conformance.runner import stream


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option
@reports_errors
def report(results: tuple[Path, ...], fmt: str | None) -> None:
    """Summarize one or more NDJSON results files (CI shards merge into one summary).

    Exits with the merged verdict: 0 conformant, 1 not, 2 unreadable input.
    """
    summary = stream(itertools.chain.from_iterable(read_results(p) for p in results))
    where = ", ".join(map(str, results))
    if wants_pretty(fmt):
        click.echo(render_pretty(summary, where, color=sys.stdout.isatty()))
    else:
        click.echo(json.dumps(render_json(summary, where), indent=2))
    sys.exit(summary.exit_code)
