"""Each SDK target's models paired with the schema's (``conformance pair``).

Every SDK target behind a harness is started, asked for its model names (with
their wire keys, where it lists them) and stopped; the names pair with the
schema's definitions as ``pair_names`` says (through [tool.conformance] models,
exactly, then tolerantly; namespace twins by their wire keys), and names with
several candidates that nothing tells apart are kept as its ambiguous ties. Each
pair gets a structural score: shared wire keys over all of its two models' keys.
A target that cannot run here is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from conformance.engine.prepare import config_and_schema
from conformance.engine.structure import (
    listing_signatures,
    or_none,
    schema_signatures,
    structure_score,
)
from conformance.oracle.models import build_models
from conformance.sources.pairing import Pairing, pair_names
from conformance.targets.factory import UnavailableTarget, build_targets
from conformance.targets.harness import HarnessTarget

__all__ = ["TargetPairing", "pairing_report"]


@frozen
class TargetPairing:
    """One SDK target's pairing, or why it is unavailable (then ``pairing`` is ``None``);
    ``scores`` has each pair's structural score, in the order of its pairs (None where
    either model has no wire keys)."""

    target: str
    pairing: Pairing | None = None
    sdk: str = ""
    sdk_version: str = ""
    unavailable: str = ""
    scores: tuple[float | None, ...] = ()


def pairing_report(
    config_path: Path | None,
    schema: tuple[Path, ...],
    only: tuple[str, ...],
    say: Callable[[str], None],
) -> list[TargetPairing]:
    """The pairing of every configured SDK target (``only`` these, if given), in config order."""
    config, loaded = config_and_schema(config_path, schema, say)
    config = config.with_overrides(only=only)
    ours = schema_signatures(loaded)
    report: list[TargetPairing] = []
    for target in build_targets(config, build_models(loaded)):
        if isinstance(target, UnavailableTarget):
            report.append(TargetPairing(target.name, unavailable=target.reason))
            continue
        if not isinstance(target, HarnessTarget):
            continue
        try:
            implementation = target.start()
            entries = target.list_model_entries()
        finally:
            target.close()
        theirs = listing_signatures(entries)
        pairing = pair_names(
            list(loaded.definitions),
            [entry.name for entry in entries],
            config.models,
            left_signatures=or_none(ours),
            right_signatures=or_none(theirs),
        )
        scores = tuple(structure_score(ours, theirs, pair) for pair in pairing.pairs)
        report.append(
            TargetPairing(
                target.name, pairing, implementation.sdk, implementation.sdk_version, "", scores
            )
        )
    return report
