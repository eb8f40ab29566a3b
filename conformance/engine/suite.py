"""A run of the suite (``conformance run``): load, add generated cases, execute, write results.

The command parses its options into a ``SuiteRun`` and prints what
``run_suite`` returns; everything between is here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
from attrs import frozen

from conformance.comparison.baseline import load_expected
from conformance.comparison.policy import Policy
from conformance.engine.judging import Judging
from conformance.engine.prepare import prepare_run
from conformance.engine.runner import (
    Progress,
    check_results_path,
    execute,
    results_file,
    resumable,
)
from conformance.engine.scale import scale_cases
from conformance.engine.workers import InProcess, Pool, TargetRecipe
from conformance.exceptions import CaseFileError, ConfigError
from conformance.results.summary import Summary
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, Direction, LoadedCases
from conformance.sources.generate import generated_cases, probe_cases
from conformance.sources.wire_models import wire_models
from conformance.targets.factory import kinds

__all__ = ["SuiteResult", "SuiteRun", "run_suite"]


@frozen
class SuiteRun:
    """What to run: the command line's values (``None`` and empty mean "as configured")."""

    config_path: Path | None = None
    schema: tuple[Path, ...] = ()
    cases: tuple[Path, ...] = ()
    out: Path | None = None
    only: tuple[str, ...] = ()
    expected: Path | None = None
    no_expected: bool = False
    jobs: int = 1
    shard: tuple[int, int] | None = None
    generate: int | None = None
    seed: int = 0
    all_models: bool = False
    resume: bool = False
    cross: bool = False
    probes: bool = False


@frozen
class SuiteResult:
    """What a run found, and the results file it wrote (``None``: none was configured)."""

    summary: Summary
    results: Path | None
    config_file: str


def run_suite(
    run: SuiteRun, say: Callable[[str], None], progress: Progress | None = None
) -> SuiteResult:
    """Run the suite's cases (and generated ones) through every target; write the results.

    ``say`` takes diagnostics (schema problems); ``progress`` draws the
    progress of the cases, given their number.
    """
    if run.all_models and run.generate is None and not run.probes:
        raise ConfigError("--all-models goes with --generate N or --probes", key="--all-models")
    # With --all-models every model gets generated cases: case files are welcome, not needed.
    need_cases = not run.all_models
    prepared = prepare_run(
        run.config_path,
        run.schema,
        say,
        run.cases,
        run.out,
        run.only,
        need_cases,
        run.cross,
        expected=run.expected,
    )
    config, loaded = prepared.config, prepared.loaded
    # Where an unusable results path comes from: --out, or the configuration file.
    key, file = ("--out", "") if run.out is not None else ("tool.conformance.results", config.file)
    if config.results is not None:
        check_results_path(config.results, key, file)  # before generating, which may be slow
    expected_file = None if run.no_expected else (run.expected or config.expected)
    baseline = load_expected(expected_file) if expected_file is not None else None
    names = [t.name for t in prepared.targets]
    done = resumable(config.results, names) if run.resume and config.results is not None else {}
    policy = Policy.from_rules(config.policy)
    recipe = TargetRecipe(config, prepared.schema, Judging(policy, baseline))
    engine = Pool(recipe, run.jobs) if run.jobs > 1 else InProcess(prepared.targets)
    # The targets (harnesses, workers) start while the cases are generated and probed.
    engine.begin()
    try:
        suite_runs = list(dict.fromkeys((c.model, c.direction) for c in loaded.cases))
        if run.generate is not None:
            used = list(dict.fromkeys(c.model for c in loaded.cases))
            # A model that cannot be generated is a problem of its own; every other model runs.
            skipped: list[CaseFileError] = []
            wire = wire_models(prepared.schema)
            if run.all_models and wire.from_bodies:
                # The spec says which models are sent and which received: each goes its ways.
                extra: Sequence[Case] = scale_cases(
                    prepared.schema, wire.runs, run.generate, run.seed, skipped
                )
            else:
                models = [m.name for m in prepared.schema.models] if run.all_models else used
                extra = generated_cases(
                    prepared.schema, models, run.generate, run.seed, problems=skipped
                )
            for problem in skipped:
                say(problem.message)
            loaded = attrs.evolve(
                loaded, cases=(*loaded.cases, *extra), errors=(*loaded.errors, *skipped)
            )
        if run.probes:
            loaded = _with_probes(loaded, prepared.schema, run.all_models, suite_runs, say)
        generate: JsonValue = None
        if run.generate:
            generate = {"count": run.generate, "seed": run.seed, "all_models": run.all_models}
        settings: dict[str, JsonValue] = {
            **prepared.settings,
            "jobs": run.jobs,
            "shard": [run.shard[0], run.shard[1]] if run.shard else None,
            "generate": generate,
            # Only a probing run says so: other runs' headers stay as they were.
            **({"probes": True} if run.probes else {}),
        }
        with results_file(config.results, len(loaded.cases), progress, key, file) as (
            writer,
            advance,
        ):
            summary = execute(
                loaded,
                prepared.targets,
                policy,
                writer,
                engine=engine,
                schema=prepared.schema,
                config=settings,
                kinds=kinds(config.targets, config.cross),
                baseline=baseline,
                progress=advance,
                shard=run.shard,
                done=done,
                say=say,
            )
        return SuiteResult(summary, config.results, config.file)
    except BaseException:
        engine.close()  # execute closes it; a failure before that must too
        raise


def _with_probes(
    loaded: LoadedCases,
    schema: Schema,
    all_models: bool,
    suite_runs: Sequence[tuple[str, Direction]],
    say: Callable[[str], None],
) -> LoadedCases:
    """``loaded`` with the probe cases: of the suite's models in the directions the cases use
    them, or (``all_models``) of every wire model in its directions (every model, read, when
    the schema has no bodies); a model without a payload becomes a problem."""
    began = time.perf_counter()
    runs: Sequence[tuple[str, Direction]] = suite_runs
    if all_models:
        wire = wire_models(schema)
        if wire.from_bodies:
            runs = [(model, way) for model, ways in wire.runs.items() for way in ways]
        else:
            runs = [(model.name, "response") for model in schema.models]
    skipped: list[CaseFileError] = []
    probes = probe_cases(schema, runs, problems=skipped)
    for problem in skipped:
        say(problem.message)
    say(probes.line(time.perf_counter() - began))
    return attrs.evolve(
        loaded, cases=(*loaded.cases, *probes.cases), errors=(*loaded.errors, *skipped)
    )
