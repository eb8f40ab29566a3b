"""Generated cases run through the configured targets: one (shrunk) case per divergence found.

Recorded targets answer by case id, not by payload, so with one configured
nothing is shrunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import frozen

from conformance.comparison.policy import Policy
from conformance.core.config import Config
from conformance.engine.shrink import Found, Signature, collect
from conformance.exceptions import ConfigError, ConformanceError
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.sources.cases import Case
from conformance.targets import Target
from conformance.targets.factory import build_targets

__all__ = ["Findings", "find_divergences"]


@frozen
class Findings:
    """The distinct divergences found, and whether their cases were shrunk."""

    found: tuple[Found, ...]
    shrunk: bool


def find_divergences(
    config: Config,
    schema: Schema,
    cases: Sequence[Case],
    *,
    shrinking: bool = True,
    max_steps: int = 2000,
    progress: Callable[[Case, Signature], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> Findings:
    """Run ``cases`` through the configured targets; one (shrunk) case per distinct divergence.

    ``note`` hears, before anything runs, why shrinking is off when a recorded
    target turns it off. Every target is started first (``ConfigError`` names
    one that does not start) and those started are closed however it ends.
    See ``shrink.collect`` for how divergences are told apart.
    """
    recorded = [t.name for t in config.targets if t.kind == "recorded"]
    if shrinking and recorded:
        if note is not None:
            note(
                f"not shrinking: recorded target(s) {', '.join(recorded)} "
                "give the same outcome for every payload of a case id"
            )
        shrinking = False
    targets = build_targets(config, build_models(schema))
    started: list[Target] = []
    try:
        for target in targets:
            try:
                target.start()
            except ConformanceError as error:
                raise ConfigError(
                    f"target {target.name!r} did not start: {error}",
                    "fix the target's configuration, or leave it out with --target",
                    file=config.file,
                    key="tool.conformance.targets",
                ) from None
            started.append(target)
        found = collect(
            cases,
            targets,
            Policy.from_rules(config.policy),
            schema,
            shrinking=shrinking,
            max_steps=max_steps,
            progress=progress,
        )
    finally:
        for target in started:
            target.close()
    return Findings(tuple(found), shrinking)
