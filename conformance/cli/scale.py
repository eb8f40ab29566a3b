"""``conformance scale``: generated payloads for every model the configured SDKs share.

The schema is the API spec, or a Python SDK's own pydantic models; the run itself
(export, pairing, sampling, generating, running) is ``engine.scale.run_scale``,
whose docstring says what the exported schema can and cannot find.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import click

from conformance.cli import reports_errors
from conformance.cli._common import (
    config_option,
    cross_option,
    format_option,
    print_summary,
    progress_bar,
    warn,
)
from conformance.engine.scale import ScaleRun, run_scale
from conformance.engine.spec_oracle import Oracle

__all__ = ["scale"]


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
    "--oracle",
    type=click.Choice(["auto", "spec", "sdk"]),
    default="auto",
    show_default=True,
    help="What the reference reads: the API spec (an OpenAPI document with operations), "
    "the Python SDK's own export, or auto: the spec when the schema is one.",
)
@click.option(
    "--schema",
    "schema",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="The API spec (OpenAPI document), instead of the configured schema.",
)
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
@click.option(
    "--probes",
    is_flag=True,
    help="Also run systematic probes of each planned model and direction: every field "
    "changed at one path per probe class, once per type, field and model.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr.")
@cross_option
@format_option
@reports_errors
def scale(
    config_path: Path | None,
    source_name: str | None,
    count: int,
    seed: int,
    oracle: str,
    schema: tuple[Path, ...],
    out: Path,
    max_models: int | None,
    jobs: int,
    probes: bool,
    progress: bool | None,
    cross: bool,
    fmt: str | None,
) -> None:
    """Run generated payloads of every wire model the SDKs share.

    The oracle is the API spec when the schema is an OpenAPI document with
    operations: its request and response bodies and the schemas they use are
    the wire models, each run the ways it goes, paired with every SDK target's
    names. Without one (or with --oracle sdk) it exports the JSON Schema of the
    Python SDK's pydantic models and pairs them with every other SDK target,
    and says that the reference then reads as that SDK does. It generates
    --count payloads per model and direction and runs them through the SDK
    targets and two reference targets built from the oracle. A model that cannot be
    exported or generated is skipped: one line on stderr and in the summary
    (model, stage, reason), a problem record in the results; every other model
    runs. Exit status as for `conformance run`: 0 conformant, 1 divergences or
    skipped models, 2 usage error.
    """
    request = ScaleRun(
        out=out,
        config_path=config_path,
        source_name=source_name,
        count=count,
        seed=seed,
        max_models=max_models,
        jobs=jobs,
        oracle=cast(Oracle, oracle),
        schema=schema,
        cross=cross,
        probes=probes,
    )
    summary = run_scale(request, warn, progress_bar(progress))
    print_summary(summary, str(out), fmt)
    sys.exit(summary.exit_code)
