"""What ``conformance generate`` prints and writes: case files, and each divergence found."""

from __future__ import annotations

from pathlib import Path

import click

from conformance.core import jsonwire
from conformance.engine.shrink import Found, Signature
from conformance.schema import JsonValue
from conformance.sources.cases import Case

__all__ = ["announce", "report_found", "write_cases"]


def write_cases(document: dict[str, JsonValue], out: Path | None, count: int) -> None:
    """Write a case file of ``count`` cases to ``out`` (saying so on stderr), or to stdout."""
    text = jsonwire.dumps(document, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
    click.echo(f"wrote {count} case(s) to {out}", err=True)


def announce(case: Case, signature: Signature) -> None:
    click.echo(f"conformance: {case.id}: {signature}", err=True)


def report_found(found: tuple[Found, ...], seed: int) -> None:
    if not found:
        click.echo(f"conformance: no failing divergence in the cases of seed {seed}", err=True)
    for each in found:
        size = len(jsonwire.dumps(each.case.wire))
        click.echo(
            f"conformance: found {each.signature} in {each.original.id} "
            f"(seed {seed}); {size} bytes after {each.steps} step(s) -> {each.case.id}",
            err=True,
        )
