"""``conformance findings``: the root-cause families of results files, their reproducers,
and whether the SDKs themselves reproduce them."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import click

from conformance.cli import EXIT_DIVERGED, EXIT_OK, reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option, warn
from conformance.core.config import Config, load_config
from conformance.engine.shrink_findings import MAX_STEPS, ShrinkNote, oracle_of, shrink_examples
from conformance.engine.verify_findings import (
    TIMEOUT,
    Verification,
    flavoured_targets,
    read_findings,
    verify,
)
from conformance.report.reproduce import write_reproducers
from conformance.report.reproduce.flavours import FlavouredTarget
from conformance.report.terminal import cause_counts
from conformance.results.causes import Cause, group_causes
from conformance.results.records import FindingRecord
from conformance.results.reproducers import Reproducer


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@config_option
@click.option(
    "--reproduce",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one standalone reproducer per family and SDK target into this folder.",
)
@click.option(
    "--verify",
    "check",
    is_flag=True,
    help=f"Run the reproducers with each SDK's own interpreter ({TIMEOUT:g} s each).",
)
@click.option(
    "--shrink/--no-shrink",
    "shrinking",
    default=True,
    show_default=True,
    help="With --reproduce or --verify: shrink each family's example first, through the"
    " run's oracle and the configured targets, keeping its divergence.",
)
@click.option(
    "--shrink-steps",
    type=click.IntRange(min=1),
    default=MAX_STEPS,
    show_default=True,
    help="At most this many candidates per example.",
)
@format_option
@reports_errors
def findings(
    results: tuple[Path, ...],
    config_path: Path | None,
    folder: Path | None,
    check: bool,
    shrinking: bool,
    shrink_steps: int,
    fmt: str | None,
) -> None:
    """List the causes of one or more results files (CI shards merge), most cases first,
    each with its root-cause families below it: id, cases, models and one sentence.

    With --reproduce DIR, write for each family one script per SDK target it names
    (<id>_<target>.py, run with the SDK's Python; <id>_<target>.mjs, run with node):
    each calls the SDK directly with the family's example payload and checks that it
    does what the family says. The example is first shrunk (unless --no-shrink) as
    `generate --save` does: the run's oracle (the configured schema, or for a `scale`
    run the SDK export or spec it used) and the configured targets are rebuilt and the
    payload made minimal while it keeps the family's divergence; a shrunk example's case
    id ends in `-min`, and the output says what was shrunk from what. With --verify, run
    the reproducers (in a temporary folder without --reproduce). Exits 0 when every
    reproducer ran verified (or none was run), 1 when any was not reproduced or failed,
    2 on a usage error or results without findings.
    """
    families = read_findings(results)
    reproducers: list[Reproducer] = []
    verifications: list[Verification] = []
    notes: list[ShrinkNote] = []
    if folder is not None or check:
        config = load_config(config_path)
        if shrinking:
            families, notes = _shrunk(families, results, config, shrink_steps)
        with tempfile.TemporaryDirectory(prefix="conformance-findings-") as scratch:
            targets = [
                FlavouredTarget(
                    **attrs.asdict(each.target, recurse=False),
                    flavor=each.flavor,
                    details=each.details,
                )
                for each in flavoured_targets(config, results)
            ]
            reproducers = write_reproducers(families, targets, folder or Path(scratch))
            if not reproducers:
                warn("conformance: no family names a configured SDK target: nothing to reproduce")
            if check:
                verifications = verify(reproducers)
    if wants_pretty(fmt):
        _print_pretty(families, reproducers if folder is not None else [], verifications)
        for note in notes:
            click.echo(f"{note.finding}  {note.status}  {_line(note.message)}")
    else:
        document = _as_json(families, reproducers if folder is not None else [], verifications)
        document["shrinking"] = [
            {
                "finding": n.finding,
                "status": n.status,
                "message": n.message,
                "original": n.original,
                "steps": n.steps,
                "before": n.before,
                "after": n.after,
            }
            for n in notes
        ]
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    failed = any(v.status != "verified" for v in verifications)
    sys.exit(EXIT_DIVERGED if failed else EXIT_OK)


def _shrunk(
    families: list[FindingRecord], results: tuple[Path, ...], config: Config, steps: int
) -> tuple[list[FindingRecord], list[ShrinkNote]]:
    """The families with shrunk examples (as they were when the run's oracle is not here)."""

    def say(message: str) -> None:
        warn(f"conformance: findings: {message}")

    schema = oracle_of(results, config, say)
    if schema is None:
        say("no schema to judge candidates against: the examples are not shrunk")
        return families, []
    began = time.perf_counter()
    shrunk, notes = shrink_examples(families, config, schema, max_steps=steps)
    done = sum(1 for n in notes if n.status == "shrunk")
    say(f"shrunk {done} of {len(notes)} examples in {time.perf_counter() - began:.1f} s")
    return shrunk, notes


def _print_pretty(
    families: list[FindingRecord],
    written: list[Reproducer],
    verifications: list[Verification],
) -> None:
    causes = group_causes(families)
    click.echo(f"{len(causes)} cause(s) over {len(families)} root-cause famil{_ies(families)}")
    for cause in causes:
        status = _cause_status(cause, verifications)
        click.echo(
            f"{cause.id}  {cause_counts(cause)}  {_line(cause.sentence)}"
            + (f"  [{status}]" if status else "")
        )
        for family in cause.families:
            models = f"{family.models} model{'' if family.models == 1 else 's'}"
            cases = f"{family.cases} case{'' if family.cases == 1 else 's'}"
            click.echo(f"  {family.id}  {cases}  {models}  {_line(family.sentence)}")
    for reproducer in written:
        click.echo(f"wrote {reproducer.file}")
    for each in verifications:
        click.echo(f"{each.finding}  {each.target}  {each.status}  {_line(each.message)}")


def _ies(items: list[FindingRecord]) -> str:
    return "y" if len(items) == 1 else "ies"


def _cause_status(cause: Cause, verifications: list[Verification]) -> str:
    """What the reproducers of a cause's families showed: ``verified`` when every one did,
    else how many did not (``not reproduced`` first); empty when none ran."""
    ids = set(cause.family_ids)
    ran = [v for v in verifications if v.finding in ids]
    if not ran:
        return ""
    counts = Counter(v.status for v in ran)
    if counts["verified"] == len(ran):
        return f"verified ({len(ran)} reproducer{'' if len(ran) == 1 else 's'})"
    worst = "not reproduced" if counts["not reproduced"] else "error"
    return f"{worst} ({len(ran) - counts['verified']} of {len(ran)} reproducers)"


def _as_json(
    families: list[FindingRecord],
    written: list[Reproducer],
    verifications: list[Verification],
) -> dict[str, Any]:
    return {
        "causes": [
            {
                "id": c.id,
                "sentence": c.sentence,
                "severity": c.severity,
                "cases": c.cases,
                "models": c.models,
                "paths": c.paths,
                "exact": c.exact,
                "families": list(c.family_ids),
                "verification": _cause_status(c, verifications),
            }
            for c in group_causes(families)
        ],
        "findings": [
            {
                "id": f.id,
                "cases": f.cases,
                "models": f.models,
                "kind": f.kind,
                "diverging": list(f.diverging),
                "expectation": list(f.expectation),
                "sentence": f.sentence,
            }
            for f in families
        ],
        "reproducers": [
            {"finding": r.finding, "target": r.target, "file": str(r.file)} for r in written
        ],
        "verifications": [
            {"finding": v.finding, "target": v.target, "status": v.status, "message": v.message}
            for v in verifications
        ],
    }


def _line(text: str) -> str:
    """``text`` on one line, control characters escaped (it may come from a payload)."""
    escaped = "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
    return escaped.encode("utf-8", "backslashreplace").decode("utf-8")
