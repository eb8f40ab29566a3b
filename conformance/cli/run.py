"""``conformance run``: run the cases through the targets and write the results."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import (
    config_option,
    cross_option,
    format_option,
    print_summary,
    progress_bar,
    schema_option,
    warn,
)
from conformance.cli.report import output_options, write_reports
from conformance.engine.suite import SuiteRun, run_suite
from conformance.exceptions import ConfigError
from conformance.report.outputs import Outputs


def _parse_shard(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter(f"{value!r} is not I/N with 1 <= I <= N (e.g. 2/4)")
    return int(index), int(count)


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
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes; each runs its own targets (and harness processes).",
)
@click.option(
    "--shard",
    callback=_parse_shard,
    metavar="I/N",
    help="Run shard I of N (1-based): cases split by a hash of their id. "
    "Merge the shards' results with `conformance report`.",
)
@click.option(
    "--generate",
    "generate",
    type=click.IntRange(min=1),
    help="Also run N payloads generated from the schema per model (the suite's models).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --generate.")
@click.option(
    "--probes",
    is_flag=True,
    help="Also run systematic probes: every field of the suite's models changed at one path "
    "per probe class (presence, coercion, numbers, dates, enums, unions, keys, strings, "
    "raw text), once per type, field and model.",
)
@click.option(
    "--all-models",
    is_flag=True,
    help="With --generate or --probes: every model of the schema, not only those the cases "
    "use; with an API spec, its bodies' wire models, each in the directions it is sent and "
    "received.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the cases an interrupted run of the same results file finished; run the rest.",
)
@cross_option
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
    jobs: int,
    shard: tuple[int, int] | None,
    generate: int | None,
    seed: int,
    probes: bool,
    all_models: bool,
    resume: bool,
    cross: bool,
    html: Path | None,
    junit: Path | None,
    markdown: Path | None,
) -> None:
    """Run the shared cases through every target and report the divergences.

    With --html, --junit or --markdown, also write those reports (rendered from
    the results file, exactly as `conformance report` would). Divergences listed
    in the expected-failures file are reported as expected; a listed one that
    no longer happens is stale and fails the run, and so does a target that
    ran no case (every case skipped, or it never started) unless its
    configuration says `optional = true`. Exit status: 0 conformant,
    1 divergences that fail the policy (or target errors, cases that did not
    load, stale expected failures, a target that ran no case), 2 usage or
    configuration error (an unusable results path among them, found before the
    first case), 130 interrupted (SIGINT/SIGTERM: the results file keeps every
    finished case; a case the interruption cut off has no result, and --resume
    runs it again).
    """
    outputs = Outputs(html, junit, markdown)
    request = SuiteRun(
        config_path=config_path,
        schema=schema,
        cases=cases,
        out=out,
        only=only,
        expected=expected,
        no_expected=no_expected,
        jobs=jobs,
        shard=shard,
        generate=generate,
        seed=seed,
        probes=probes,
        all_models=all_models,
        resume=resume,
        cross=cross,
    )
    done = run_suite(request, warn, progress_bar(progress))
    if outputs.wanted and done.results is None:
        raise ConfigError(
            "--html, --junit and --markdown are rendered from the results file",
            "pass --out PATH or set results in [tool.conformance] of pyproject.toml",
            file=done.config_file,
            key="tool.conformance.results",
        )
    if done.results is not None:
        write_reports(outputs, done.results)
    print_summary(done.summary, str(done.results) if done.results else None, fmt)
    sys.exit(done.summary.exit_code)
