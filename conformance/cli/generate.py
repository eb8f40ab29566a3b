"""``conformance generate``: cases generated from the schema, and the divergences they find.

Without ``--run`` it writes a case file of generated cases (``--out``, or
stdout). With ``--run`` it also runs them through the configured targets,
shrinks each case that shows a new failing divergence to a minimal payload
(one case per kind, path pattern, sides and, for ``accept``, rejection site),
and writes those as a case file (``--save``, or stdout); it exits 1 when it
found any, 0 otherwise. Progress and findings go to stderr. Recorded targets
answer by case id, not by payload, so with one configured nothing is shrunk.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from conformance.cli import EXIT_DIVERGED, EXIT_OK, reports_errors
from conformance.cli._common import config_and_schema, config_option, schema_option
from conformance.core import jsonwire
from conformance.engine.shrink import Found, Signature, collect
from conformance.exceptions import ConfigError, ConformanceError
from conformance.oracle.models import build_models
from conformance.schema import JsonValue, Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate import generate_cases
from conformance.targets.factory import build_targets

__all__ = ["case_document", "generate", "generated_cases"]


def generated_cases(
    schema: Schema,
    models: Sequence[str],
    count: int,
    seed: int,
    direction: Direction = "response",
    invalid_ratio: float = 0.25,
) -> list[Case]:
    """``count`` generated cases of each model, in the order given (for ``conformance run``)."""
    for model in models:
        if model not in schema:
            close = difflib.get_close_matches(model, list(schema.definitions), n=3)
            raise ConfigError(
                f"unknown model {model!r}",
                f"did you mean {', '.join(map(repr, close))}?"
                if close
                else "use a model name from the schema (see `conformance naming`)",
                key="--model",
            )
    return [
        case
        for model in models
        for case in generate_cases(schema, model, count, seed, direction, invalid_ratio)
    ]


def case_document(cases: Sequence[Case], description: str) -> dict[str, JsonValue]:
    """A case file (``conformance/schemas/cases.schema.json``) holding ``cases``."""
    models = {c.model for c in cases}
    directions = {c.direction for c in cases}
    document: dict[str, JsonValue] = {"description": description}
    if len(models) == 1:
        document["model"] = next(iter(models))
    if len(directions) == 1:
        document["direction"] = next(iter(directions))
    tests: list[JsonValue] = []
    for case in cases:
        test: dict[str, JsonValue] = {"id": case.id}
        if len(models) != 1:
            test["model"] = case.model
        if len(directions) != 1:
            test["direction"] = case.direction
        test["wire"] = case.wire
        if not case.valid:
            test["valid"] = False
        if case.description:
            test["description"] = case.description
        tests.append(test)
    document["tests"] = tests
    return document


def _write(document: dict[str, JsonValue], out: Path | None) -> None:
    text = jsonwire.dumps(document, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")


def _announce(case: Case, signature: Signature) -> None:
    click.echo(f"conformance: {case.id}: {signature}", err=True)


@click.command()
@config_option
@schema_option
@click.option(
    "--model",
    "models",
    multiple=True,
    required=True,
    help="Model (schema definition) to generate payloads of; repeatable.",
)
@click.option(
    "--count", type=click.IntRange(min=1), default=100, show_default=True, help="Cases per model."
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="The same seed and schema give the same cases on every machine.",
)
@click.option(
    "--direction",
    type=click.Choice(["response", "request"]),
    default="response",
    show_default=True,
)
@click.option(
    "--invalid-ratio",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    help="Share of cases broken on purpose (valid: false).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the generated cases here (default: stdout, unless --run).",
)
@click.option(
    "--run",
    "run_them",
    is_flag=True,
    help="Run the cases through the configured targets and keep the divergences found.",
)
@click.option(
    "--shrink/--no-shrink",
    "shrinking",
    default=True,
    show_default=True,
    help="With --run: shrink each diverging case to a minimal payload.",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --run: write the (shrunk) diverging cases here (default: stdout).",
)
@click.option("--target", "only", multiple=True, help="With --run: only this target (repeatable).")
@click.option(
    "--max-steps",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="With --run: at most this many candidates per shrink.",
)
@reports_errors
def generate(
    config_path: Path | None,
    schema: tuple[Path, ...],
    models: tuple[str, ...],
    count: int,
    seed: int,
    direction: Direction,
    invalid_ratio: float,
    out: Path | None,
    run_them: bool,
    shrinking: bool,
    save: Path | None,
    only: tuple[str, ...],
    max_steps: int,
) -> None:
    """Generate cases from the schema: valid payloads biased to edge values, and broken ones.

    With --run, run them through the configured targets, shrink every case
    that shows a new failing divergence, and save one minimal case per
    divergence (--save). Exit status: 0 nothing found (or no --run), 1
    divergences found, 2 usage or configuration error.
    """
    if save is not None and not run_them:
        raise ConfigError(
            "--save needs --run", "add --run to run the generated cases", key="--save"
        )
    config, loaded = config_and_schema(config_path, schema)
    cases = generated_cases(loaded, models, count, seed, direction, invalid_ratio)
    command = f"conformance generate --model {' --model '.join(models)} --seed {seed}"
    if direction != "response":
        command += f" --direction {direction}"
    if invalid_ratio != 0.25:
        command += f" --invalid-ratio {invalid_ratio}"
    if not run_them or out is not None:
        _write(case_document(cases, f"Generated by `{command} --count {count}`."), out)
        if out is not None:
            click.echo(f"wrote {len(cases)} case(s) to {out}", err=True)
    if not run_them:
        return
    config = config.with_overrides(only=only)
    recorded = [t.name for t in config.targets if t.kind == "recorded"]
    if shrinking and recorded:
        click.echo(
            f"conformance: not shrinking: recorded target(s) {', '.join(recorded)} "
            "give the same outcome for every payload of a case id",
            err=True,
        )
        shrinking = False
    targets = build_targets(config, build_models(loaded))
    started = []
    try:
        for target in targets:
            try:
                target.start()
            except ConformanceError as error:
                raise ConfigError(
                    f"target {target.name!r} did not start: {error}",
                    "fix the target's configuration, or leave it out with --target",
                    file=config.file,
                    key="tool.conformance.targets",
                ) from None
            started.append(target)
        found = collect(
            cases,
            targets,
            config.policy,
            loaded,
            shrinking=shrinking,
            max_steps=max_steps,
            progress=_announce,
        )
    finally:
        for target in started:
            target.close()
    _report(found, seed)
    document = case_document(
        [f.case for f in found],
        f"Divergences found by `{command} --count {count} --run`, one case each"
        + (", shrunk to a minimal payload." if shrinking else "."),
    )
    _write(document, save)
    if save is not None:
        click.echo(f"wrote {len(found)} case(s) to {save}", err=True)
    sys.exit(EXIT_DIVERGED if found else EXIT_OK)


def _report(found: Sequence[Found], seed: int) -> None:
    if not found:
        click.echo(f"conformance: no failing divergence in the cases of seed {seed}", err=True)
    for each in found:
        size = len(jsonwire.dumps(each.case.wire))
        click.echo(
            f"conformance: found {each.signature} in {each.original.id} "
            f"(seed {seed}); {size} bytes after {each.steps} step(s) -> {each.case.id}",
            err=True,
        )
