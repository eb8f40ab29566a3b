"""``conformance run``: run the cases through the targets and write the results."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option, prepare_run, schema_option
from conformance.cli.report import announce, output_options
from conformance.exceptions import ConfigError
from conformance.expected import load_expected
from conformance.report.outputs import Outputs
from conformance.report.terminal import render_json, render_pretty
from conformance.results import ResultsWriter, read_results
from conformance.runner import execute
from conformance.targets.factory import kinds

PROGRESS_FROM = 200  # cases; smaller runs finish before a bar is worth drawing


@click.command()
@config_option
@schema_option
@click.option(
    "--cases",
    "cases",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Case file or folder (repeatable); overrides [tool.conformance] cases.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results file (NDJSON); default [tool.conformance] results or reports/results.ndjson.",
)
@click.option("--target", "only", multiple=True, help="Run only this target (repeatable).")
@format_option
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@click.option(
    "--expected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Expected-failures file; overrides [tool.conformance] expected.",
)
@click.option("--no-expected", is_flag=True, help="Ignore the expected-failures file.")
@output_options
@reports_errors
def run(
    config_path: Path | None,
    schema: tuple[Path, ...],
    cases: tuple[Path, ...],
    out: Path | None,
    only: tuple[str, ...],
    fmt: str | None,
    progress: bool | None,
    expected: Path | None,
    no_expected: bool,
    html: Path | None,
    junit: Path | None,
    markdown: Path | None,
) -> None:
    """Run the shared cases through every target and report the divergences.

    With --html, --junit or --markdown, also write those reports (rendered from
    the results file, exactly as `conformance report` would). Divergences listed
    in the expected-failures file are reported as expected; a listed one that
    no longer happens is stale and fails the run. Exit status: 0 conformant,
    1 divergences that fail the policy (or target errors, cases that did not
    load, stale expected failures), 2 usage or configuration error.
    """
    outputs = Outputs(html, junit, markdown)
    prepared = prepare_run(config_path, schema, cases, out, only)
    config, loaded = prepared.config, prepared.loaded
    expected_file = None if no_expected else (expected or config.expected)
    baseline = load_expected(expected_file) if expected_file is not None else None
    show_bar = progress if progress is not None else sys.stderr.isatty()
    show_bar = show_bar and len(loaded.cases) >= PROGRESS_FROM
    with ResultsWriter(config.results) as writer, contextlib.ExitStack() as stack:
        advance: Callable[[int], None] | None = None
        if show_bar:
            bar = stack.enter_context(
                click.progressbar(length=len(loaded.cases), label="cases", file=sys.stderr)
            )
            last = [0]

            def step(done: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            advance = step

        summary = execute(
            loaded,
            prepared.targets,
            config.policy,
            writer,
            schema=prepared.schema,
            config=prepared.settings,
            kinds=kinds(config.targets),
            baseline=baseline,
            progress=advance,
        )
    where = str(config.results) if config.results else None
    if outputs.wanted:
        if config.results is None:
            raise ConfigError(
                "--html, --junit and --markdown are rendered from the results file",
                "pass --out PATH or set results in [tool.conformance] of pyproject.toml",
                file=config.file,
                key="tool.conformance.results",
            )
        outputs.write(read_results(config.results), [str(config.results)])
        announce(outputs)
    if wants_pretty(fmt):
        click.echo(render_pretty(summary, where, color=sys.stdout.isatty()))
    else:
        click.echo(json.dumps(render_json(summary, where), indent=2))
    sys.exit(summary.exit_code)
