"""Targets for the harness programs shipped in ``conformance/harnesses``.

``python_harness.py`` runs a pydantic SDK under the SDK's own interpreter;
``node_harness.mjs`` runs a zod SDK under Node. Both speak the protocol that
``HarnessTarget`` is the client of.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.targets.harness import HarnessTarget

__all__ = ["harness_program", "node_sdk_target", "python_sdk_target"]


def harness_program(filename: str) -> Path:
    """The path of a harness program shipped in ``conformance/harnesses``."""
    return Path(__file__).resolve().parent.parent / "harnesses" / filename


def python_sdk_target(
    name: str,
    python: str,
    modules: Sequence[str],
    package: str,
    *,
    options: Mapping[str, object] | None = None,
    **kw: Any,
) -> HarnessTarget:
    """A pydantic SDK run by ``python_harness.py`` under ``python`` (the SDK's interpreter).

    ``options`` adds to the start options (e.g. ``{"response_writer": "model_dump_json"}``);
    other keywords go to ``HarnessTarget``.
    """
    start: dict[str, object] = {"modules": list(modules), "package": package, **(options or {})}
    command = [python, str(harness_program("python_harness.py"))]
    kw.setdefault("convention", "python")
    if "PYTHONHASHSEED" not in os.environ:
        # One hash seed for every run: an SDK that iterates a set (pydantic's JSON Schema
        # of a Literal union lists its values in set order) reads, writes and exports the
        # same way each time, so a seed's generated cases and their results repeat.
        kw["env"] = {"PYTHONHASHSEED": "0", **(kw.get("env") or {})}
    return HarnessTarget(name, command, start, **kw)


def node_sdk_target(
    name: str,
    root: str,
    modules: Sequence[str],
    package: str,
    node: str = "node",
    *,
    options: Mapping[str, object] | None = None,
    **kw: Any,
) -> HarnessTarget:
    """A zod SDK run by ``node_harness.mjs``; ``root`` is the folder whose node_modules holds it."""
    start: dict[str, object] = {
        "modules": list(modules),
        "root": str(Path(root).resolve()),
        "package": package,
        **(options or {}),
    }
    command = [node, str(harness_program("node_harness.mjs"))]
    kw.setdefault("convention", "typescript")
    return HarnessTarget(name, command, start, **kw)
