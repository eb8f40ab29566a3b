"""``conformance run``: run the cases through the targets and write the results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from conformance.cases import load_cases
from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_and_schema, config_option, format_option, schema_option
from conformance.cli.report import announce, output_options
from conformance.exceptions import ConfigError
from conformance.models import build_models
from conformance.report.outputs import Outputs
from conformance.report.terminal import render_json, render_pretty
from conformance.results import ResultsWriter, read_results
from conformance.runner import execute
from conformance.schema import JsonValue
from conformance.targets.factory import build_targets, kinds

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
@output_options
@reports_errors
def run(
    config_path: Path | None,
    schema: Path | None,
    cases: tuple[Path, ...],
    out: Path | None,
    only: tuple[str, ...],
    fmt: str | None,
    progress: bool | None,
    html: Path | None,
    junit: Path | None,
    markdown: Path | None,
) -> None:
    """Run the shared cases through every target and report the divergences.

    With --html, --junit or --markdown, also write those reports (rendered from
    the results file, exactly as `conformance report` would). Exit status: 0
    conformant, 1 divergences that fail the policy (or target errors, or cases
    that did not load), 2 usage or configuration error.
    """
    outputs = Outputs(html, junit, markdown)
    config, loaded_schema = config_and_schema(config_path, schema)
    config = config.with_overrides(
        cases=[str(c) for c in cases], results=str(out) if out else None, only=only
    )
    if not config.cases:
        raise ConfigError(
            "no cases configured",
            "pass --cases PATH or set cases in [tool.conformance] of pyproject.toml",
            file=config.file,
            key="tool.conformance.cases",
        )
    models = build_models(loaded_schema)
    loaded = load_cases(config.cases, loaded_schema.definitions)
    if not loaded.files:
        raise ConfigError(
            f"no case files found in {', '.join(map(str, config.cases))}",
            "case files are *.json in the configured folders",
            file=config.file,
            key="tool.conformance.cases",
        )
    targets = build_targets(config, models)
    show_bar = progress if progress is not None else sys.stderr.isatty()
    show_bar = show_bar and len(loaded.cases) >= PROGRESS_FROM
    settings: dict[str, JsonValue] = {
        "schema": str(config.schema if schema is None else schema),
        "cases": [str(c) for c in config.cases],
        "targets": [t.name for t in config.targets],
    }
    with ResultsWriter(config.results) as writer:
        if show_bar:
            with click.progressbar(length=len(loaded.cases), label="cases", file=sys.stderr) as bar:
                last = [0]

                def advance(done: int) -> None:
                    bar.update(done - last[0])
                    last[0] = done

                summary = execute(
                    loaded,
                    targets,
                    config.policy,
                    writer,
                    schema=loaded_schema,
                    config=settings,
                    kinds=kinds(config.targets),
                    progress=advance,
                )
        else:
            summary = execute(
                loaded,
                targets,
                config.policy,
                writer,
                schema=loaded_schema,
                config=settings,
                kinds=kinds(config.targets),
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
