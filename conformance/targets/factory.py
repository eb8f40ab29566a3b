"""Build the configured targets from ``[[tool.conformance.targets]]``.

Kinds and their options (paths are relative to the ``pyproject.toml``):

``reference``
    ``convention`` (``python``, ``typescript``, ...): the schema's own round trip.
``python-sdk``
    ``python`` (the SDK's interpreter, default ``.sdk/python/bin/python``),
    ``modules`` (where its pydantic models live), ``package``, ``models`` (a
    table of schema model name -> SDK class name where they differ, added to
    ``[tool.conformance.models]``, which every SDK target uses),
    ``options`` (extra harness start options), ``timeout`` (seconds per case).
``node-sdk``
    ``root`` (the folder whose ``node_modules`` holds the SDK, default
    ``sdk/node``), ``modules`` (files to import, e.g.
    ``@orq-ai/node/models/operations/index.js``), ``package``, ``node``
    (default ``node``), ``models``, ``options``, ``timeout``.
``harness``
    ``command`` (a list: the program and its arguments, relative paths from
    the ``pyproject.toml`` folder), ``options``, ``models``, ``timeout``: any
    program that speaks the harness protocol (``conformance/schemas/harness-*``).
``recorded``
    ``folder``: one JSON outcome per case id, written by an SDK's own CI.

``conformance/schemas/config.schema.json`` lists each kind's options and
their types; ``load_config`` checks them, so a target is built from trusted values.

An SDK that is not installed, or Node missing from ``PATH``, does not stop the
run: the target skips every case with a reason that says what to install, and
the summary shows it. It never passes.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

import attrs

from conformance.core.config import Config, TargetConfig
from conformance.core.outcome import Implementation, Outcome
from conformance.oracle.models import ModelSet
from conformance.sources.cases import Case
from conformance.targets import Target
from conformance.targets.harness import HarnessTarget, node_sdk_target, python_sdk_target
from conformance.targets.recorded import RecordedTarget
from conformance.targets.reference import ReferenceTarget

__all__ = ["UnavailableTarget", "build_targets", "kinds"]


@attrs.define
class UnavailableTarget:
    """A configured target that cannot run here: it skips every case, saying why."""

    name: str
    reason: str
    convention: str | None = None

    def start(self) -> Implementation:
        """Nothing to start."""
        return Implementation(self.name, "unavailable", sdk="(not available)")

    def run(self, case: Case) -> Outcome:
        """Skip, with the reason."""
        return Outcome("skipped", error=self.reason)

    def close(self) -> None:
        """Nothing to stop."""


def build_targets(config: Config, models: ModelSet) -> list[Target]:
    """One target per ``[[tool.conformance.targets]]`` table (reference targets by default)."""
    return [_build(each, config, models) for each in config.targets]


def kinds(targets: Sequence[TargetConfig]) -> dict[str, str]:
    """Target name -> kind, for the results header."""
    return {t.name: t.kind for t in targets}


def _build(each: TargetConfig, config: Config, models: ModelSet) -> Target:
    # ``load_config`` validated the options against config.schema.json: trusted here.
    if each.kind == "reference":
        return ReferenceTarget(each.name, models, each.convention or "python")
    if each.kind == "recorded":
        return RecordedTarget(each.name, config.root / each.options["folder"], each.convention)
    default_convention = {"python-sdk": "python", "node-sdk": "typescript"}.get(each.kind)
    common: dict[str, Any] = {
        "options": each.options.get("options", {}),
        "model_names": {**config.models, **each.options.get("models", {})},
        "timeout": float(each.options.get("timeout", config.timeout)),
        "convention": each.convention or default_convention,
    }
    if each.kind == "harness":
        return HarnessTarget(each.name, each.options["command"], cwd=str(config.root), **common)
    modules, package = each.options["modules"], each.options["package"]
    if each.kind == "python-sdk":
        python = config.root / each.options.get("python", ".sdk/python/bin/python")
        if not python.exists():
            return UnavailableTarget(
                each.name,
                f"the SDK's Python interpreter {python} does not exist: "
                "install the SDKs with `nox -s sdk`",
                common["convention"],
            )
        return python_sdk_target(each.name, str(python), modules, package, **common)
    node = each.options.get("node", "node")
    root = config.root / each.options.get("root", "sdk/node")
    if shutil.which(node) is None:
        return UnavailableTarget(
            each.name,
            f"{node!r} is not on PATH: install Node.js 20 or later to run {each.name}",
            common["convention"],
        )
    if not (root / "node_modules").is_dir():
        return UnavailableTarget(
            each.name,
            f"{root / 'node_modules'} does not exist: install the Node SDKs with `nox -s sdk`",
            common["convention"],
        )
    return node_sdk_target(each.name, str(root), modules, package, node, **common)
