"""Build the configured targets."""

from __future__ import annotations

from collections.abc import Sequence

from conformance.config import Config, TargetConfig
from conformance.exceptions import ConfigError
from conformance.models import ModelSet
from conformance.naming import get_convention
from conformance.targets import Target
from conformance.targets.reference import ReferenceTarget

__all__ = ["build_targets"]


def build_targets(config: Config, models: ModelSet) -> list[Target]:
    """One target per ``[[tool.conformance.targets]]`` table (reference targets by default)."""
    return [_build(each, config, models) for each in config.targets]


def _build(each: TargetConfig, config: Config, models: ModelSet) -> Target:
    key = f"tool.conformance.targets.{each.name}"
    if each.convention is not None:
        get_convention(each.convention, key=key)
    if each.kind == "reference":
        return ReferenceTarget(each.name, models, each.convention or "python")
    raise ConfigError(
        f"target kind {each.kind!r} is not available in this build",
        "use kind = 'reference'",
        file=config.file,
        key=key,
    )


def kinds(targets: Sequence[TargetConfig]) -> dict[str, str]:
    """Target name -> kind, for the results header."""
    return {t.name: t.kind for t in targets}
