"""``conformance report``: re-render results files (several merge into one report)."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from conformance.cli import reports_errors
from conformance.cli._common import format_option, print_summary
from conformance.report.outputs import Outputs
from conformance.results.records import read_results

F = TypeVar("F", bound=Callable[..., Any])

_report_file = click.Path(dir_okay=False, path_type=Path)
_OUTPUT_OPTIONS = (
    click.option(
        "--html",
        type=_report_file,
        help="Also write the HTML report (one self-contained file) here.",
    ),
    click.option(
        "--junit",
        type=_report_file,
        help="Also write JUnit XML (one testcase per case and target) here.",
    ),
    click.option(
        "--markdown",
        type=_report_file,
        help="Also write a Markdown summary (for a CI step summary or PR comment) here.",
    ),
)


def output_options(command: F) -> F:
    """The ``--html``, ``--junit`` and ``--markdown`` options (``conformance run`` has them too)."""
    for option in reversed(_OUTPUT_OPTIONS):
        command = option(command)
    return command


def announce(outputs: Outputs) -> None:
    """Name the report files written, on stderr."""
    for path in outputs.paths:
        click.echo(f"conformance: wrote {path}", err=True)


def write_reports(outputs: Outputs, results: Path) -> None:
    """Render the report files asked for (if any) from one results file; name them on stderr."""
    if outputs.wanted:
        outputs.write(read_results(results), [str(results)])
        announce(outputs)


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option
@output_options
@reports_errors
def report(
    results: tuple[Path, ...],
    fmt: str | None,
    html: Path | None,
    junit: Path | None,
    markdown: Path | None,
) -> None:
    """Summarize one or more NDJSON results files (CI shards merge into one summary).

    With --html, --junit or --markdown, also write those reports of the merged
    results. Exits with the merged verdict: 0 conformant, 1 not, 2 unreadable
    input.
    """
    outputs = Outputs(html, junit, markdown)
    records = itertools.chain.from_iterable(read_results(p) for p in results)
    summary = outputs.write(records, [str(p) for p in results])
    announce(outputs)
    print_summary(summary, ", ".join(map(str, results)), fmt)
    sys.exit(summary.exit_code)
