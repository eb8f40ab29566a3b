"""``conformance scale``: generated payloads for every model the configured SDKs share.

The bundled schema describes a handful of models; an SDK has thousands. This
command takes its schema from a Python SDK instead: the harness exports the JSON
Schema of every pydantic model (``HarnessTarget.export_schemas``), which
``schema_from_json_schema`` turns into the neutral schema. Then, for each model
the SDK targets pair, it generates ``--count`` payloads per direction and runs
them through every configured SDK target and two reference targets built from
that schema, streaming the results to ``--out`` like ``conformance run``.

The exported schema is the Python SDK's rendering of the API spec, not the spec:
the reference targets agree with the Python SDK wherever its types differ from
the spec, so a divergence that isolates the Node SDK may be the Python SDK's
reading, and a Python-only quirk encoded in its types goes unnoticed. Model
names are the Python class names; a Node SDK target gets a name mapping from
``pair_names`` where its names differ, and models it lacks are left out (the
count is printed). ``--max-models K`` runs an evenly spaced sample of K models.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs
import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option
from conformance.cli.generate import generated_cases
from conformance.core.config import Config, TargetConfig, load_config
from conformance.engine.runner import execute
from conformance.engine.workers import Pool, TargetRecipe
from conformance.exceptions import ConfigError, SchemaError
from conformance.oracle.models import build_models
from conformance.report.terminal import render_json, render_pretty
from conformance.results.records import ResultsWriter
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, Direction, LoadedCases
from conformance.sources.jsonschema_doc import schema_from_json_schema
from conformance.sources.pairing import pair_names
from conformance.targets.factory import build_targets, kinds
from conformance.targets.harness import HarnessTarget

__all__ = ["sample", "scale"]

SDK_KINDS = ("python-sdk", "node-sdk")
DIRECTIONS: tuple[Direction, ...] = ("request", "response")
REFERENCES = (
    TargetConfig("reference-python", "reference", "python"),
    TargetConfig("reference-typescript", "reference", "typescript"),
)


def _say(message: str) -> None:
    click.echo(f"conformance: scale: {message}", err=True)


def sample(names: Sequence[str], limit: int | None) -> list[str]:
    """``limit`` evenly spaced names of ``names`` (all of them without a limit)."""
    if limit is None or limit >= len(names):
        return list(names)
    return [names[i * len(names) // limit] for i in range(limit)]


def _harness(config: Config, each: TargetConfig) -> HarnessTarget:
    """The harness target of one configured SDK target, or a usage error saying why not."""
    alone = attrs.evolve(config, targets=(each,), models={})
    built = build_targets(alone, build_models(Schema()))[0]
    if not isinstance(built, HarnessTarget):
        reason = getattr(built, "reason", "it is not a harness target")
        raise ConfigError(f"target {each.name!r} cannot run here: {reason}")
    return built


def _source_target(config: Config, name: str | None) -> TargetConfig:
    sdks = [t for t in config.targets if t.kind == "python-sdk"]
    if name is None:
        if not sdks:
            raise ConfigError(
                "no python-sdk target configured to export the schema from",
                "add one to [[tool.conformance.targets]] or pass --target",
                file=config.file,
                key="tool.conformance.targets",
            )
        return sdks[0]
    for each in sdks:
        if each.name == name:
            return each
    known = ", ".join(t.name for t in sdks) or "none"
    raise ConfigError(f"{name!r} is not a python-sdk target", f"python-sdk targets: {known}")


def export_schema(config: Config, source: TargetConfig) -> tuple[Schema, list[str]]:
    """The exported schema of ``source`` and its model names (those that exported)."""
    with _harness(config, source) as target:
        target.start()
        listed = [entry.name for entry in target.list_model_entries()]
        answer = target.export_schemas()
    failed = answer.get("failed")
    if isinstance(failed, dict) and failed:
        _say(f"{len(failed)} model(s) have no JSON Schema and are left out:")
        for name, error in sorted(failed.items()):
            _say(f"  {name}: {error}")
    document = answer["schemas"]
    if not isinstance(document, dict):
        raise SchemaError("the harness exported no schema document", file=source.name)
    schema = schema_from_json_schema(
        document, f"{source.name} (exported JSON Schema)", optional_null_is_absent=True
    )
    for problem in schema.problems:
        _say(f"schema: {problem}")
    return schema, [name for name in listed if name in schema]


def pair_with(
    config: Config, each: TargetConfig, models: Sequence[str]
) -> tuple[TargetConfig, dict[str, tuple[Direction, ...]]]:
    """``each`` with a name mapping from ``models`` to its names; the directions it runs per model.

    Models it does not pair are absent from the directions (a Speakeasy Node SDK
    only has the schemas of the directions the API uses each model in).
    """
    with _harness(config, each) as target:
        target.start()
        entries = target.list_model_entries()
    theirs = {entry.name: entry.directions for entry in entries}
    pairing = pair_names(models, theirs)
    mapping = {ours: other for ours, other in pairing.pairs if ours != other}
    options = {**each.options, "models": {**each.options.get("models", {}), **mapping}}
    directions = {
        ours: tuple(d for d in DIRECTIONS if d in theirs[other]) for ours, other in pairing.pairs
    }
    return attrs.evolve(each, options=options), directions


def scale_cases(
    schema: Schema, models: Mapping[str, Sequence[Direction]], count: int, seed: int
) -> tuple[Case, ...]:
    """``count`` generated cases per model and direction; ids carry the direction."""
    out: list[Case] = []
    for model, directions in models.items():
        for direction in directions:
            for case in generated_cases(schema, [model], count, seed, direction):
                out.append(attrs.evolve(case, id=f"{case.id}-{direction}"))
    return tuple(out)


@click.command()
@config_option
@click.option(
    "--target",
    "source_name",
    help="The python-sdk target to export the schema from (default: the first configured).",
)
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Cases per model and direction.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("reports/scale.ndjson"),
    show_default=True,
    help="Results file (NDJSON), written as the run goes.",
)
@click.option(
    "--max-models",
    type=click.IntRange(min=1),
    help="Run an evenly spaced sample of this many paired models.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes; each runs its own targets (and harness processes).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@format_option
@reports_errors
def scale(
    config_path: Path | None,
    source_name: str | None,
    count: int,
    seed: int,
    out: Path,
    max_models: int | None,
    jobs: int,
    progress: bool | None,
    fmt: str | None,
) -> None:
    """Run generated payloads of every model the SDKs share, from a Python SDK's own schema.

    Exports the JSON Schema of the Python SDK's pydantic models, pairs the
    models with every other configured SDK target, generates --count payloads
    per model and direction and runs them through the SDK targets and two
    reference targets built from the exported schema. Exit status as for
    `conformance run`: 0 conformant, 1 divergences, 2 usage error.
    """
    began = time.perf_counter()
    config = load_config(config_path)
    source = _source_target(config, source_name)
    schema, models = export_schema(config, source)
    _say(
        f"exported {len(schema.definitions)} definitions, {len(models)} models "
        f"from {source.name} in {time.perf_counter() - began:.1f} s"
    )
    sdk_targets: list[TargetConfig] = []
    runs: dict[str, tuple[Direction, ...]] = dict.fromkeys(models, DIRECTIONS)
    for each in config.targets:
        if each.kind not in SDK_KINDS:
            continue
        if each.kind == "python-sdk":
            sdk_targets.append(each)
            continue
        try:
            paired, directions = pair_with(config, each, models)
        except ConfigError as error:
            _say(f"{each.name}: {error.message}; it skips every case")
            sdk_targets.append(each)
            continue
        sdk_targets.append(paired)
        unpaired = [name for name in runs if name not in directions]
        one_way = [name for name in runs if len(directions.get(name, ())) == 1]
        _say(
            f"{each.name}: {len(unpaired)} model(s) unpaired (left out), "
            f"{len(one_way)} run in one direction only"
        )
        runs = {
            name: tuple(d for d in ways if d in directions[name])
            for name, ways in runs.items()
            if name in directions
        }
        runs = {name: ways for name, ways in runs.items() if ways}
    chosen = sample(list(runs), max_models)
    cases = scale_cases(schema, {name: runs[name] for name in chosen}, count, seed)
    directions_run = sum(len(runs[name]) for name in chosen)
    _say(
        f"{len(chosen)} models, {directions_run} model-directions x {count} = {len(cases)} "
        f"cases, {len(REFERENCES) + len(sdk_targets)} targets "
        f"(set up in {time.perf_counter() - began:.1f} s)"
    )
    run_config = attrs.evolve(config, targets=(*REFERENCES, *sdk_targets), models={}, results=out)
    targets = build_targets(run_config, build_models(schema))
    engine = Pool(TargetRecipe(run_config, schema), jobs) if jobs > 1 else None
    settings: dict[str, JsonValue] = {
        "schema": [schema.source],
        "targets": [t.name for t in run_config.targets],
        "jobs": jobs,
        "scale": {
            "source": source.name,
            "models": len(chosen),
            "model_directions": directions_run,
            "count": count,
            "seed": seed,
            "max_models": max_models,
        },
    }
    loaded = LoadedCases(cases, (), (schema.source,))
    show_bar = progress if progress is not None else sys.stderr.isatty()
    with ResultsWriter(out) as writer, contextlib.ExitStack() as stack:
        advance: Callable[[int], None] | None = None
        if show_bar:
            bar = stack.enter_context(
                click.progressbar(length=len(cases), label="cases", file=sys.stderr)
            )
            last = [0]

            def step(done: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            advance = step

        summary = execute(
            loaded,
            targets,
            run_config.policy,
            writer,
            engine=engine,
            schema=schema,
            config=settings,
            kinds=kinds(run_config.targets),
            progress=advance,
        )
    if wants_pretty(fmt):
        click.echo(render_pretty(summary, str(out), color=sys.stdout.isatty()))
    else:
        click.echo(json.dumps(render_json(summary, str(out)), indent=2))
    sys.exit(summary.exit_code)
