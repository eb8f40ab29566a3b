"""``conformance pair``: pair the schema's models with each SDK target's models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from conformance.cli import reports_errors, wants_pretty
from conformance.cli._common import config_and_schema, config_option, format_option, schema_option
from conformance.oracle.models import build_models
from conformance.sources.pairing import Pairing, pair_names
from conformance.targets.factory import UnavailableTarget, build_targets
from conformance.targets.harness import HarnessTarget

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

    Names pair exactly, then through [tool.conformance] models, then tolerantly:
    acronym casing (APIKey/ApiKey), namespace prefixes, a T suffix (ErrorT),
    digit suffixes. Fields are paired by wire key at run time, never by name.
    """
    config, loaded = config_and_schema(config_path, schema)
    config = config.with_overrides(only=only)
    report: dict[str, Any] = {}
    for target in build_targets(config, build_models(loaded)):
        if isinstance(target, UnavailableTarget):
            report[target.name] = {"unavailable": target.reason}
            continue
        if not isinstance(target, HarnessTarget):
            continue
        try:
            implementation = target.start()
            sdk_names = [name for name, _ in target.list_models()]
        finally:
            target.close()
        pairing = pair_names(list(loaded.definitions), sdk_names, config.models)
        report[target.name] = _as_json(pairing, implementation.sdk, implementation.sdk_version)
    if wants_pretty(fmt):
        click.echo(_pretty(report))
    else:
        click.echo(json.dumps(report, indent=2))


def _as_json(pairing: Pairing, sdk: str, version: str) -> dict[str, Any]:
    return {
        "sdk": sdk,
        "sdk_version": version,
        "pairs": [list(p) for p in pairing.pairs],
        "schema_only": list(pairing.left_only),
        "sdk_only": len(pairing.right_only),
    }


def _pretty(report: dict[str, Any]) -> str:
    lines: list[str] = []
    for name, entry in report.items():
        if "unavailable" in entry:
            lines += [f"{name}: unavailable: {entry['unavailable']}", ""]
            continue
        lines.append(
            f"{name} ({entry['sdk']} {entry['sdk_version']}): {len(entry['pairs'])} paired, "
            f"{len(entry['schema_only'])} schema model(s) unpaired, "
            f"{entry['sdk_only']} SDK model(s) not in the schema"
        )
        lines += [f"  {left} -> {right}" for left, right in entry["pairs"]]
        if entry["schema_only"]:
            lines.append("  unpaired schema models:")
            lines += [f"    {n}" for n in entry["schema_only"][:SHOWN]]
        lines.append("")
    return "\n".join(lines).rstrip()
