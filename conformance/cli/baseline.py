"""``conformance baseline update``: record the current divergences as expected failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import config_option, prepare_run, schema_option
from conformance.comparison.baseline import Baseline, Entry, load_expected, write_expected
from conformance.core.divergence import Divergence
from conformance.engine.runner import execute
from conformance.exceptions import ConfigError
from conformance.results.records import ResultRecord, ResultsWriter, read_results
from conformance.targets.factory import kinds

NEW_REASON = "recorded by `conformance baseline update` on {date}: review, then say why"


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
    prepared = prepare_run(config_path, schema, cases, only=only)
    target = path or prepared.config.expected
    if target is None:
        raise ConfigError(
            "no expected-failures file configured",
            "pass --file PATH or set expected in [tool.conformance]",
            file=prepared.config.file,
            key="tool.conformance.expected",
        )
    old = load_expected(target) if target.exists() else Baseline()
    scratch = target.with_name(target.name + ".run.ndjson")
    with ResultsWriter(scratch) as writer:
        execute(
            prepared.loaded,
            prepared.targets,
            prepared.config.policy,
            writer,
            schema=prepared.schema,
            config=prepared.settings,
            kinds=kinds(prepared.config.targets),
            baseline=old,
        )
    date = dt.date.today().isoformat()
    kept: set[Entry] = set()
    new: set[Entry] = set()
    for record in read_results(scratch):
        if isinstance(record, ResultRecord):
            for each in record.divergences:
                if each.severity == "expected":
                    kept.update(e for e in old.entries if e.matches(record.case, each))
                elif each.severity == "fail":
                    new.add(_entry(record.case, each, date))
    scratch.unlink()
    count = write_expected(target, kept | new)
    dropped = len(set(old.entries) - kept)
    click.echo(
        f"wrote {count} entr{'y' if count == 1 else 'ies'} to {target}: "
        f"{len(kept)} kept, {len(new)} new, {dropped} stale dropped",
        err=True,
    )


def _entry(case: str, divergence: Divergence, date: str) -> Entry:
    # The diverging side names the targets; "input" is the expectation, not a target.
    targets = tuple(t for t in divergence.right.targets if t != "input")
    return Entry(case, divergence.kind, divergence.where, NEW_REASON.format(date=date), targets)
