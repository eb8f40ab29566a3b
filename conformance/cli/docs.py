"""``conformance docs``: cross-check a Python and a TypeScript SDK's model docs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import config_option, format_option, print_summary
from conformance.cli.report import output_options, write_reports
from conformance.engine.docs_run import docs_run
from conformance.report.outputs import Outputs

DEFAULT_OUT = "reports/docs.ndjson"


@click.command()
@click.argument("py_docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("ts_docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@config_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Results file (NDJSON), renderable by `conformance report`.",
)
@format_option
@output_options
@reports_errors
def docs(
    py_docs: Path,
    ts_docs: Path,
    config_path: Path | None,
    out: Path,
    fmt: str | None,
    html: Path | None,
    junit: Path | None,
    markdown: Path | None,
) -> None:
    """Pair the model pages of two SDK docs trees and report where they disagree.

    PY_DOCS and TS_DOCS are a Python and a TypeScript SDK's docs (the repository,
    its docs/ or docs/models/). Reported: fields on one side only, Required flags,
    types that do not correspond, enum values, descriptions, names that break
    their convention, and pages with no counterpart. The policy of
    [tool.conformance] applies; --html, --junit and --markdown write reports as
    `conformance report` would. Exit status as for `conformance run`.
    """
    summary = docs_run(py_docs, ts_docs, out, config_path)
    write_reports(Outputs(html, junit, markdown), out)
    print_summary(summary, str(out), fmt)
    sys.exit(summary.exit_code)
