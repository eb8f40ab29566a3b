"""``conformance report``: re-render results files (several merge into one report)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

from conformance.cli import reports_errors
from conformance.cli._common import format_option, print_summary
from conformance.exceptions import ResultsError
from conformance.report.outputs import Outputs
from conformance.results.complete import read_complete
from conformance.results.records import Record

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
        outputs.write(read_complete(results, natives=False), [str(results)])
        announce(outputs)


def merged(paths: Sequence[Path]) -> Iterator[Record]:
    """The records of every file in turn, each checked to be one whole run.

    Of several files (CI shards), the error of an incomplete one says which of them it is.
    """
    for number, path in enumerate(paths, 1):
        try:
            # The reports draw a native view left out as a renaming from its source's text.
            yield from read_complete(path, natives=False)
        except ResultsError as error:
            if len(paths) == 1:
                raise
            raise attrs.evolve(
                error,
                message=f"shard {number} of {len(paths)} merged: {error.message}",
                hint=f"{error.hint}; then merge the shards again",
            ) from None


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
    input or a file that is not one whole run (empty, no footer, records out of
    order), 130 a run that was interrupted.
    """
    outputs = Outputs(html, junit, markdown)
    summary = outputs.write(merged(results), [str(p) for p in results])
    announce(outputs)
    print_summary(summary, ", ".join(map(str, results)), fmt)
    sys.exit(summary.exit_code)
