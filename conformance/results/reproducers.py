"""What reproducing a finding needs, below the layers that write and run the scripts.

``report.reproduce`` writes the scripts and ``engine.verify_findings`` runs them;
the two layers do not import each other, so the values they share live here:
``SdkTarget`` (a configured SDK target resolved from the config's folder, which
``engine.verify_findings.sdk_targets`` does with the target factory's defaults)
and ``Reproducer`` (one written script and the
command that runs it).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from attrs import field, frozen

__all__ = ["Reproducer", "SdkKind", "SdkTarget"]

SdkKind = Literal["python-sdk", "node-sdk"]


@frozen
class SdkTarget:
    """A configured SDK target, resolved: what a reproducer needs to call the SDK.

    ``program`` runs the script (the SDK's Python interpreter, or ``node``);
    ``root`` is the folder whose ``node_modules`` holds a Node SDK; ``models``
    maps a schema model name to the SDK's own; ``writer`` is a Python target's
    ``response_writer`` start option (empty: the SDK's ``marshal_json``).
    """

    name: str
    kind: SdkKind
    program: str
    modules: tuple[str, ...]
    package: str
    root: str = ""
    models: Mapping[str, str] = field(factory=dict)
    writer: str = ""


@frozen
class Reproducer:
    """One written script: which family and target it reproduces, and how to run it."""

    finding: str
    target: str
    file: Path
    command: tuple[str, ...]
