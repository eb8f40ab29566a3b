"""``conformance run``: run the cases through the targets and write the results."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option, prepare_run, schema_option
from conformance.cli.generate import generated_cases
from conformance.cli.report import announce, output_options
from conformance.comparison.baseline import load_expected
from conformance.engine.runner import execute, resumable
from conformance.engine.workers import Pool, TargetRecipe
from conformance.exceptions import ConfigError
from conformance.report.outputs import Outputs
from conformance.report.terminal import render_json, render_pretty
from conformance.results.records import ResultsWriter, read_results
from conformance.schema import JsonValue
from conformance.targets.factory import kinds

PROGRESS_FROM = 200  # cases; smaller runs finish before a bar is worth drawing


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
    "--all-models",
    is_flag=True,
    help="With --generate: every model of the schema, not only those the cases use.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the cases an interrupted run of the same results file finished; run the rest.",
)
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
    all_models: bool,
    resume: bool,
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
    load, stale expected failures), 2 usage or configuration error,
    130 interrupted (SIGINT/SIGTERM: the results file keeps every finished case).
    """
    outputs = Outputs(html, junit, markdown)
    prepared = prepare_run(config_path, schema, cases, out, only)
    config, loaded = prepared.config, prepared.loaded
    if generate is not None:
        used = list(dict.fromkeys(c.model for c in loaded.cases))
        models = [m.name for m in prepared.schema.models] if all_models else used
        extra = generated_cases(prepared.schema, models, generate, seed)
        loaded = attrs.evolve(loaded, cases=(*loaded.cases, *extra))
    elif all_models:
        raise ConfigError("--all-models goes with --generate N", key="--all-models")
    expected_file = None if no_expected else (expected or config.expected)
    baseline = load_expected(expected_file) if expected_file is not None else None
    names = [t.name for t in prepared.targets]
    done = resumable(config.results, names) if resume and config.results is not None else {}
    engine = Pool(TargetRecipe(config, prepared.schema), jobs) if jobs > 1 else None
    settings: dict[str, JsonValue] = {
        **prepared.settings,
        "jobs": jobs,
        "shard": [shard[0], shard[1]] if shard else None,
        "generate": {"count": generate, "seed": seed, "all_models": all_models}
        if generate
        else None,
    }
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
            engine=engine,
            schema=prepared.schema,
            config=settings,
            kinds=kinds(config.targets),
            baseline=baseline,
            progress=advance,
            shard=shard,
            done=done,
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
