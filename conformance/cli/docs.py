"""``conformance docs``: cross-check a Python and a TypeScript SDK's model docs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option
from conformance.cli.report import announce, output_options
from conformance.comparison.docs_check import check_docs_roots
from conformance.core.config import load_config
from conformance.engine.docs_run import run_docs_check
from conformance.exceptions import ConfigError
from conformance.report.outputs import Outputs
from conformance.report.terminal import render_json, render_pretty
from conformance.results.records import ResultsWriter, read_results

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
    config = load_config(config_path)
    settings = {"python_docs": str(py_docs), "typescript_docs": str(ts_docs)}
    with ResultsWriter(out) as writer:
        summary = run_docs_check(
            check_docs_roots(py_docs, ts_docs), config.policy, writer, settings
        )
    if summary.cases == 0:
        raise ConfigError(
            f"no model pages found in {py_docs} or {ts_docs}",
            "point at an SDK's docs: Markdown model pages under docs/models/",
        )
    outputs = Outputs(html, junit, markdown)
    if outputs.wanted:
        outputs.write(read_results(out), [str(out)])
        announce(outputs)
    if wants_pretty(fmt):
        click.echo(render_pretty(summary, str(out), color=sys.stdout.isatty()))
    else:
        click.echo(json.dumps(render_json(summary, str(out)), indent=2))
    sys.exit(summary.exit_code)
