"""``conformance baseline update``: record the current divergences as expected failures."""

from __future__ import annotations

from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import config_option, schema_option, warn
from conformance.engine.baseline_update import update_baseline


@click.group()
def baseline() -> None:
    """Manage the expected-failures file ([tool.conformance] expected)."""


@baseline.command()
@config_option
@schema_option
@click.option(
    "--cases", multiple=True, type=click.Path(path_type=Path), help="Case file or folder."
)
@click.option("--target", "only", multiple=True, help="Run only this target (repeatable).")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The expected-failures file (default: [tool.conformance] expected).",
)
@reports_errors
def update(
    config_path: Path | None,
    schema: tuple[Path, ...],
    cases: tuple[Path, ...],
    only: tuple[str, ...],
    path: Path | None,
) -> None:
    """Run the suite and rewrite the expected-failures file from what diverges now.

    Entries that still match keep their reason and link; entries that no longer
    match (stale) are dropped; every new failing divergence becomes an entry
    whose reason asks for review. Review the diff before committing it.
    """
    done = update_baseline(config_path, schema, cases, only, path, warn)
    if not done.written:
        click.echo(
            f"{done.file} unchanged: its {done.count} entr{'y' if done.count == 1 else 'ies'} "
            "still match, and nothing new diverges",
            err=True,
        )
        return
    click.echo(
        f"wrote {done.count} entr{'y' if done.count == 1 else 'ies'} to {done.file}: "
        f"{done.kept} kept, {done.new} new, {done.dropped} stale dropped",
        err=True,
    )
