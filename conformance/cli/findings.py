"""``conformance findings``: the root-cause families of results files, their reproducers,
and whether the SDKs themselves reproduce them."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from conformance.cli import EXIT_DIVERGED, EXIT_OK, reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option, warn
from conformance.core.config import load_config
from conformance.engine.verify_findings import (
    TIMEOUT,
    Verification,
    read_findings,
    sdk_targets,
    verify,
)
from conformance.report.reproduce import write_reproducers
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
@format_option
@reports_errors
def findings(
    results: tuple[Path, ...],
    config_path: Path | None,
    folder: Path | None,
    check: bool,
    fmt: str | None,
) -> None:
    """List the root-cause families of one or more results files (CI shards merge), most
    cases first: id, cases, models and the family in one sentence.

    With --reproduce DIR, write for each family one script per SDK target it names
    (<id>_<target>.py, run with the SDK's Python; <id>_<target>.mjs, run with node):
    each calls the SDK directly with the family's smallest payload and checks that it
    does what the family says. With --verify, run them (in a temporary folder without
    --reproduce). Exits 0 when every reproducer ran verified (or none was run), 1 when
    any was not reproduced or failed, 2 on a usage error or results without findings.
    """
    families = read_findings(results)
    reproducers: list[Reproducer] = []
    verifications: list[Verification] = []
    if folder is not None or check:
        config = load_config(config_path)
        with tempfile.TemporaryDirectory(prefix="conformance-findings-") as scratch:
            targets = sdk_targets(config)
            reproducers = write_reproducers(families, targets, folder or Path(scratch))
            if not reproducers:
                warn("conformance: no family names a configured SDK target: nothing to reproduce")
            if check:
                verifications = verify(reproducers)
    if wants_pretty(fmt):
        _print_pretty(families, reproducers if folder is not None else [], verifications)
    else:
        document = _as_json(families, reproducers if folder is not None else [], verifications)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    failed = any(v.status != "verified" for v in verifications)
    sys.exit(EXIT_DIVERGED if failed else EXIT_OK)


def _print_pretty(
    families: list[FindingRecord],
    written: list[Reproducer],
    verifications: list[Verification],
) -> None:
    for family in families:
        models = f"{family.models} model{'' if family.models == 1 else 's'}"
        cases = f"{family.cases} case{'' if family.cases == 1 else 's'}"
        click.echo(f"{family.id}  {cases}  {models}  {_line(family.sentence)}")
    for reproducer in written:
        click.echo(f"wrote {reproducer.file}")
    for each in verifications:
        click.echo(f"{each.finding}  {each.target}  {each.status}  {_line(each.message)}")


def _as_json(
    families: list[FindingRecord],
    written: list[Reproducer],
    verifications: list[Verification],
) -> dict[str, Any]:
    return {
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
