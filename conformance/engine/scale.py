"""Generated payloads for every model the configured SDKs share (``conformance scale``).

The bundled schema describes a handful of models; an API has thousands. The
oracle of this run is, in order of trust:

1. the API spec: when the configured schema is an OpenAPI document whose operations
   have JSON bodies, its request and response bodies and the named schemas they
   reach are the wire models, each run in the directions it is used in
   (``sources.wire_models``); every SDK target pairs its own names with them;
2. a Python SDK's own reading of it, otherwise: the harness exports the JSON Schema
   of every pydantic model (``HarnessTarget.export_schemas``), which
   ``schema_from_json_schema`` turns into the neutral schema.

Then, for each model the SDK targets pair, it generates ``count`` payloads per
direction and runs them through every configured SDK target and two reference
targets built from that schema, streaming the results to ``out`` like
``conformance run``.

The exported schema is the Python SDK's rendering of the API spec, not the spec:
the reference targets agree with the Python SDK wherever its types differ from
the spec, so a divergence that isolates the Node SDK may be the Python SDK's
reading, and a Python-only quirk encoded in its types goes unnoticed; the run
says so. Models the SDK defines that are not wire JSON (operation parameter
wrappers, pagination wrappers holding callables) are dropped by the harness,
and their count is said. Model names are the oracle's; an SDK target gets a
name mapping from ``pair_names`` where its names differ, and models it lacks are
left out (the count is said). ``max_models`` K runs an evenly spaced sample of K
models.

Each SDK starts once: run here (one job), the harnesses that listed the SDKs' models
and exported the schema are the run's own (``engine.kept``); with worker processes,
which start their own, they are stopped once pairing is done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs
from attrs import frozen

from conformance.comparison.policy import Policy
from conformance.core.config import Config, TargetConfig, load_config
from conformance.core.outcome import Implementation
from conformance.engine.judging import Judging
from conformance.engine.kept import Kept, held
from conformance.engine.runner import Progress, execute, results_file
from conformance.engine.sdk_pairing import (
    DIRECTIONS,
    harness_of,
    listings,
    pair_sdks,
    to_pair,
)
from conformance.engine.spec_oracle import Oracle, spec_oracle
from conformance.engine.structure import schema_signatures
from conformance.engine.workers import InProcess, Pool, TargetRecipe
from conformance.exceptions import CaseFileError, ConfigError, SchemaError
from conformance.oracle.models import build_models
from conformance.results.summary import Summary
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, Direction, LoadedCases
from conformance.sources.generate import Witnesses, generated_cases, probe_cases, skipped_model
from conformance.sources.jsonschema_doc import schema_from_json_schema
from conformance.targets.discovery import DroppedModel, dropped_models
from conformance.targets.factory import build_targets, kinds

__all__ = [
    "ScalePlan",
    "ScaleRun",
    "export_schema",
    "run_plan",
    "run_scale",
    "sample",
    "scale_cases",
]

REFERENCES = (
    TargetConfig("reference-python", "reference", "python"),
    TargetConfig("reference-typescript", "reference", "typescript"),
)

Say = Callable[[str], None]


@frozen
class ScaleRun:
    """What to run: the command line's values."""

    out: Path
    config_path: Path | None = None
    source_name: str | None = None
    count: int = 20
    seed: int = 0
    max_models: int | None = None
    jobs: int = 1
    oracle: Oracle = "auto"
    schema: tuple[Path, ...] = ()
    cross: bool = False
    probes: bool = False


@frozen
class ScalePlan:
    """What the set-up found: the schema, the models to run (with their directions), the
    SDK targets (with name mappings), and the models skipped so far (with why)."""

    schema: Schema
    runs: Mapping[str, tuple[Direction, ...]]
    source: str
    sdk_targets: tuple[TargetConfig, ...] = ()
    skipped: tuple[CaseFileError, ...] = ()


def run_scale(run: ScaleRun, say: Say, progress: Progress | None = None) -> Summary:
    """Export the schema, pair the SDKs' models, generate the cases, run them; the summary.

    ``say`` takes diagnostics (each a line); ``progress`` draws the progress of
    the cases, given their number. A model that cannot be exported or generated
    is skipped, said in one line, and written to the results as a ``problem``.
    """

    def note(message: str) -> None:
        say(f"conformance: scale: {message}")

    began = time.perf_counter()
    config = load_config(run.config_path)
    if run.schema:
        config = attrs.evolve(config, schema=run.schema)
    if run.cross:
        config = attrs.evolve(config, cross=True)
    # Run here (one job), the harnesses the set-up starts are the run's: each SDK starts once.
    kept = Kept() if run.jobs == 1 else None
    try:
        return _planned_run(run, config, note, progress, began, kept)
    finally:
        if kept is not None:
            kept.close()  # those the run did not take (or all, when it failed before its cases)


def _planned_run(
    run: ScaleRun,
    config: Config,
    note: Say,
    progress: Progress | None,
    began: float,
    kept: Kept | None,
) -> Summary:
    """``run_scale`` after the configuration is read: the set-up, then the run."""
    spec = spec_oracle(config, run.oracle, note)
    skipped: tuple[CaseFileError, ...] = ()
    # The SDKs to pair start and list their models now, side by side and beside the export:
    # each start-up (an SDK importing thousands of models) is waited for once, not in turn.
    listed = listings(config, to_pair(config, pair_every_sdk=spec is not None), kept)
    if spec is not None:
        schema, runs = spec.schema, spec.runs
        source_name = f"the API spec {schema.source}"
        sdk_targets, runs = pair_sdks(
            config, runs, note, schema_signatures(schema), pair_every_sdk=True, listed=listed
        )
    else:
        source = _source_target(config, run.source_name)
        schema, models, skipped = export_schema(config, source, note, kept)
        note(
            f"exported {len(schema.definitions)} definitions, {len(models)} models "
            f"from {source.name} in {time.perf_counter() - began:.1f} s"
        )
        source_name = source.name
        sdk_targets, runs = pair_sdks(
            config,
            dict.fromkeys(models, DIRECTIONS),
            note,
            schema_signatures(schema),
            listed=listed,
        )
    if not runs:
        # A run of no case would say CONFORMANT of nothing.
        raise ConfigError(
            f"no model of {source_name} is paired by every SDK target: nothing would run",
            "the lines above say what each target left unpaired; check each target's package,"
            " `modules` and `flavor` (`conformance pair` shows the pairing)",
        )
    chosen = sample(list(runs), run.max_models)
    plan = ScalePlan(
        schema, {name: runs[name] for name in chosen}, source_name, tuple(sdk_targets), skipped
    )
    return run_plan(run, config, plan, note, progress, began, kept)


def run_plan(
    run: ScaleRun,
    config: Config,
    plan: ScalePlan,
    note: Say,
    progress: Progress | None = None,
    began: float | None = None,
    kept: Kept | None = None,
) -> Summary:
    """Generate ``run.count`` cases per model and direction of ``plan`` and run them through
    its SDK targets and the reference targets; write the results to ``run.out``.

    A model that cannot be generated is skipped (``note``: one line each) and
    recorded as a ``problem`` with the plan's skipped models; the others run.
    With ``run.probes``, the probe cases of each model and direction run too.
    ``kept``: harnesses the set-up started, which one job takes for its own targets of
    the same settings (``Kept.hand_over``); the others are closed.
    """
    began = time.perf_counter() if began is None else began
    schema = plan.schema
    run_config = attrs.evolve(
        config, targets=(*REFERENCES, *plan.sdk_targets), models={}, results=run.out
    )
    targets = build_targets(run_config, build_models(schema))
    policy = Policy.from_rules(run_config.policy)
    recipe = TargetRecipe(run_config, schema, Judging(policy))
    started: dict[str, Implementation] = {}
    if kept is not None and run.jobs == 1:
        targets, started = kept.hand_over(targets)  # from here the engine closes them
    elif kept is not None:
        kept.close()  # workers start harnesses of their own
    engine = Pool(recipe, run.jobs) if run.jobs > 1 else InProcess(targets, started)
    try:
        # The targets (harnesses, workers) start while the cases are generated and probed.
        engine.begin()
        problems = list(plan.skipped)
        cases = scale_cases(schema, plan.runs, run.count, run.seed, problems)
        for problem in problems:
            note(problem.message)
        ran = {case.model for case in cases}
        directions_run = sum(len(ways) for name, ways in plan.runs.items() if name in ran)
        note(
            f"{len(ran)} models ({len(plan.runs) - len(ran)} skipped), {directions_run} "
            f"model-directions x {run.count} = {len(cases)} cases, "
            f"{len(REFERENCES) + len(plan.sdk_targets)} targets "
            f"(set up in {time.perf_counter() - began:.1f} s)"
        )
        if run.probes:
            cases = (*cases, *_probes(schema, plan.runs, ran, problems, note))
        settings: dict[str, JsonValue] = {
            "schema": [schema.source],
            "targets": [t.name for t in run_config.targets],
            "jobs": run.jobs,
            "scale": {
                "source": plan.source,
                "models": len(ran),
                "model_directions": directions_run,
                "count": run.count,
                "seed": run.seed,
                "max_models": run.max_models,
            },
            # Only a probing run says so: other runs' headers stay as they were.
            **({"probes": True} if run.probes else {}),
        }
        loaded = LoadedCases(cases, tuple(problems), (schema.source,))
        with results_file(run.out, len(cases), progress) as (writer, advance):
            return execute(
                loaded,
                targets,
                policy,
                writer,
                engine=engine,
                schema=schema,
                config=settings,
                kinds=kinds(run_config.targets, run_config.cross),
                progress=advance,
                say=note,
            )
    except BaseException:
        engine.close()  # execute closes it; a failure before that must too
        raise


def _probes(
    schema: Schema,
    runs: Mapping[str, Sequence[Direction]],
    ran: set[str],
    problems: list[CaseFileError],
    note: Say,
) -> tuple[Case, ...]:
    """The probe cases of each planned model and direction that generation did not skip."""
    began = time.perf_counter()
    skipped: list[CaseFileError] = []
    pairs = [(model, way) for model, ways in runs.items() if model in ran for way in ways]
    probes = probe_cases(schema, pairs, problems=skipped)
    for problem in skipped:
        note(problem.message)
    problems += skipped
    note(probes.line(time.perf_counter() - began))
    return probes.cases


def sample(names: Sequence[str], limit: int | None) -> list[str]:
    """``limit`` evenly spaced names of ``names`` (all of them without a limit)."""
    if limit is None or limit >= len(names):
        return list(names)
    return [names[i * len(names) // limit] for i in range(limit)]


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


def export_schema(
    config: Config, source: TargetConfig, note: Say, kept: Kept | None = None
) -> tuple[Schema, list[str], tuple[CaseFileError, ...]]:
    """The exported schema of ``source``, its model names (those that exported), and one
    problem per model that did not export (skipped at ``export``); its harness is stopped
    after, or held open for the run in ``kept``."""
    with held(harness_of(config, source), kept) as target:
        target.start()
        listed = [entry.name for entry in target.list_model_entries()]
        answer = target.export_schemas()
    dropped = dropped_models(answer)
    if dropped:
        note(
            f"{len(dropped)} model(s) are not wire JSON and are left out "
            f"({_dropped_kinds(dropped)}), e.g. {dropped[0].name}: {dropped[0].reason}"
        )
    note(
        f"the oracle is {source.name}'s own reading of the API (its models exported as"
        " JSON Schema), not the API spec: where its types differ from the spec, the"
        " reference targets agree with it and blame the other SDKs"
    )
    failed = answer.get("failed")
    skipped: list[CaseFileError] = []
    if isinstance(failed, dict) and failed:
        note(f"{len(failed)} model(s) have no JSON Schema and are left out")
        for name, error in sorted(failed.items()):
            skipped.append(skipped_model(source.name, name, "export", str(error)))
    document = answer["schemas"]
    if not isinstance(document, dict):
        raise SchemaError("the harness exported no schema document", file=source.name)
    schema = schema_from_json_schema(
        document, f"{source.name} (exported JSON Schema)", optional_null_is_absent=True
    )
    for problem in schema.problems:
        note(f"schema: {problem}")
    return schema, [name for name in listed if name in schema], tuple(skipped)


def _dropped_kinds(dropped: Sequence[DroppedModel]) -> str:
    """How many dropped models per reason kind (the reason up to its first colon)."""
    counts: dict[str, int] = {}
    for each in dropped:
        # The reason's kind, before its details (a colon, or a parenthesized place).
        kind = each.reason.split(":")[0].split(" (")[0]
        counts[kind] = counts.get(kind, 0) + 1
    return "; ".join(f"{count} {kind}" for kind, count in counts.items())


def scale_cases(
    schema: Schema,
    models: Mapping[str, Sequence[Direction]],
    count: int,
    seed: int,
    problems: list[CaseFileError] | None = None,
) -> tuple[Case, ...]:
    """``count`` generated cases per model and direction; ids carry the direction.

    With ``problems``, a model that cannot be generated is skipped and added to
    it once (``generated_cases``); without, its error is raised.
    """
    out: list[Case] = []
    witnesses = Witnesses(schema)
    for model, directions in models.items():
        known = len(problems) if problems is not None else 0
        for direction in directions:
            generated = generated_cases(
                schema, [model], count, seed, direction, problems=problems, witnesses=witnesses
            )
            out += (attrs.evolve(case, id=f"{case.id}-{direction}") for case in generated)
            if problems is not None and len(problems) > known:
                break  # skipped: said once, not once per direction
    return tuple(out)
