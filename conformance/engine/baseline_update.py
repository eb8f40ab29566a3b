"""Rewriting the expected-failures file from what diverges now (``conformance baseline update``).

The suite runs once against the current file into a scratch results file next
to it; entries that still match keep their reason and link, entries that
matched nothing (stale) are dropped, and every new failing divergence becomes
an entry whose reason asks for review. When that changes nothing (no entry new,
none dropped) the file is left as it is, byte for byte: a hand-formatted file
stays hand-formatted, and a CI step that runs the update sees no diff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from conformance.comparison.baseline import Baseline, Entry, load_expected, write_expected
from conformance.comparison.judge import INPUT
from conformance.comparison.policy import Policy
from conformance.core.divergence import Divergence
from conformance.engine.prepare import prepare_run
from conformance.engine.runner import execute
from conformance.exceptions import ConfigError
from conformance.results.reader import read_results
from conformance.results.records import ResultRecord
from conformance.results.writer import ResultsWriter
from conformance.targets.factory import kinds

__all__ = ["NEW_REASON", "BaselineUpdate", "update_baseline"]

NEW_REASON = "recorded by `conformance baseline update` on {date}: review, then say why"


@frozen
class BaselineUpdate:
    """What the rewrite did: the file, how many entries it holds, kept, new and stale dropped.

    ``written`` is false when nothing changed and the file was left untouched.
    """

    file: Path
    count: int
    kept: int
    new: int
    dropped: int
    written: bool = True


def update_baseline(
    config_path: Path | None,
    schema: tuple[Path, ...],
    cases: tuple[Path, ...],
    only: tuple[str, ...],
    path: Path | None,
    say: Callable[[str], None],
) -> BaselineUpdate:
    """Run the suite and rewrite the expected-failures file (``path``, else the configured one)."""
    prepared = prepare_run(config_path, schema, say, cases, only=only)
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
            Policy.from_rules(prepared.config.policy),
            writer,
            schema=prepared.schema,
            config=prepared.settings,
            kinds=kinds(prepared.config.targets, prepared.config.cross),
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
                    new.add(_entry(record, each, date))
    scratch.unlink()
    dropped = len(set(old.entries) - kept)
    if target.exists() and not new and not dropped:
        return BaselineUpdate(target, len(kept), len(kept), 0, 0, written=False)
    count = write_expected(target, kept | new)
    return BaselineUpdate(target, count, len(kept), len(new), dropped)


def _entry(record: ResultRecord, divergence: Divergence, date: str) -> Entry:
    # The targets of the record's own class on the diverging side: the baseline judges each
    # class alone, and a side shared with other classes (``judge``) would never match it.
    targets = tuple(t for t in divergence.right.targets if t != INPUT and t in record.group)
    reason = NEW_REASON.format(date=date)
    return Entry(record.case, divergence.kind, divergence.where, reason, targets)
