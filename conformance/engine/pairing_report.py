"""Each SDK target's models paired with the schema's (``conformance pair``).

Every SDK target behind a harness is started, asked for its model names and
stopped; the names pair with the schema's definitions as ``pair_names`` says
(through [tool.conformance] models, exactly, then tolerantly), and names with
several candidates that nothing tells apart are kept as its ambiguous ties. A
target that cannot run here is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from conformance.engine.prepare import config_and_schema
from conformance.oracle.models import build_models
from conformance.sources.pairing import Pairing, pair_names
from conformance.targets.factory import UnavailableTarget, build_targets
from conformance.targets.harness import HarnessTarget

__all__ = ["TargetPairing", "pairing_report"]


@frozen
class TargetPairing:
    """One SDK target's pairing, or why it is unavailable (then ``pairing`` is ``None``)."""

    target: str
    pairing: Pairing | None = None
    sdk: str = ""
    sdk_version: str = ""
    unavailable: str = ""


def pairing_report(
    config_path: Path | None,
    schema: tuple[Path, ...],
    only: tuple[str, ...],
    say: Callable[[str], None],
) -> list[TargetPairing]:
    """The pairing of every configured SDK target (``only`` these, if given), in config order."""
    config, loaded = config_and_schema(config_path, schema, say)
    config = config.with_overrides(only=only)
    report: list[TargetPairing] = []
    for target in build_targets(config, build_models(loaded)):
        if isinstance(target, UnavailableTarget):
            report.append(TargetPairing(target.name, unavailable=target.reason))
            continue
        if not isinstance(target, HarnessTarget):
            continue
        try:
            implementation = target.start()
            sdk_names = [name for name, _ in target.list_models()]
        finally:
            target.close()
        pairing = pair_names(list(loaded.definitions), sdk_names, config.models)
        report.append(
            TargetPairing(target.name, pairing, implementation.sdk, implementation.sdk_version)
        )
    return report
