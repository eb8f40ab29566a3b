"""``conformance pair``: pair the schema's models with each SDK target's models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_option, format_option, schema_option, warn
from conformance.engine.pairing_report import TargetPairing, pairing_report

SHOWN = 50  # unpaired names printed per side in pretty output


@click.command()
@config_option
@schema_option
@click.option("--target", "only", multiple=True, help="Only this SDK target (repeatable).")
@format_option
@reports_errors
def pair(
    config_path: Path | None, schema: tuple[Path, ...], only: tuple[str, ...], fmt: str | None
) -> None:
    """List each SDK target's models paired with the schema's, and what is left unpaired.

    Names pair through [tool.conformance] models, then exactly, then tolerantly:
    namespace prefixes, acronym casing (APIKey/ApiKey), a T suffix (ErrorT), an
    error body's Data suffix (XData/X), digit suffixes. Names that match several
    candidates nothing tells apart are listed as ambiguous and left unpaired.
    Namespace twins (components.Foo, operations.Foo) pair only by their wire
    keys. Each pair shows its structural score where both models list wire keys:
    shared keys over all keys (1.00 = the same keys); a name match scoring under
    0.50 (one name for two types) is refused and listed. Fields are paired by
    wire key at run time, never by name.
    """
    report = {
        each.target: _as_json(each) for each in pairing_report(config_path, schema, only, warn)
    }
    if wants_pretty(fmt):
        click.echo(_pretty(report))
    else:
        click.echo(json.dumps(report, indent=2))


def _as_json(each: TargetPairing) -> dict[str, Any]:
    pairing = each.pairing
    if pairing is None:
        return {"unavailable": each.unavailable}
    return {
        "sdk": each.sdk,
        "sdk_version": each.sdk_version,
        "pairs": [list(p) for p in pairing.pairs],
        "scores": list(each.scores),
        "schema_only": list(pairing.left_only),
        "sdk_only": len(pairing.right_only),
        "ambiguous": [
            {"schema": list(tie.left), "sdk": list(tie.right)} for tie in pairing.ambiguous
        ],
        "refused": [
            {"schema": r.left, "sdk": r.right, "score": r.closeness} for r in pairing.refused
        ],
        "by_structure": [list(p) for p in pairing.by_structure],
    }


def _pretty(report: dict[str, Any]) -> str:
    lines: list[str] = []
    for name, entry in report.items():
        if "unavailable" in entry:
            lines += [f"{name}: unavailable: {entry['unavailable']}", ""]
            continue
        tied = f", {len(entry['ambiguous'])} ambiguous match(es)" if entry["ambiguous"] else ""
        lines.append(
            f"{name} ({entry['sdk']} {entry['sdk_version']}): {len(entry['pairs'])} paired, "
            f"{len(entry['schema_only'])} schema model(s) unpaired, "
            f"{entry['sdk_only']} SDK model(s) not in the schema{tied}"
        )
        structural = {tuple(p) for p in entry["by_structure"]}
        lines += [
            f"  {left} -> {right}"
            + ("" if score is None else f"  {score:.2f}")
            + ("  (by its wire keys)" if (left, right) in structural else "")
            for (left, right), score in zip(entry["pairs"], entry["scores"], strict=True)
        ]
        if entry["schema_only"]:
            lines.append("  unpaired schema models:")
            lines += [f"    {n}" for n in entry["schema_only"][:SHOWN]]
        if entry["ambiguous"]:
            lines.append("  ambiguous, left unpaired (pair them in [tool.conformance.models]):")
            lines += [
                f"    {', '.join(tie['schema'])} ~ {' | '.join(tie['sdk'])}"
                for tie in entry["ambiguous"][:SHOWN]
            ]
        if entry["refused"]:
            lines.append("  refused name matches (the wire keys disagree; alias them to force):")
            lines += [
                f"    {r['schema']} -> {r['sdk']}  {r['score']:.2f}"
                for r in entry["refused"][:SHOWN]
            ]
        lines.append("")
    return "\n".join(lines).rstrip()
