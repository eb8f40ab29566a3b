"""Targets turn a case into an outcome: reference (in process), SDK harness, recorded."""

from __future__ import annotations

from typing import Protocol

from conformance.core.outcome import Implementation, Outcome
from conformance.sources.cases import Case

__all__ = ["Target"]


class Target(Protocol):
    """Anything that runs cases.

    ``name`` is unique in a run. ``convention`` names the naming convention of
    the target's native view (``python``, ``typescript``), or is ``None`` when
    the native view is not checked for naming. ``start`` may be slow (it may
    spawn a process); ``run`` is called once per case; ``close`` always runs.
    """

    @property
    def name(self) -> str: ...

    @property
    def convention(self) -> str | None: ...

    def start(self) -> Implementation: ...

    def run(self, case: Case) -> Outcome: ...

    def close(self) -> None: ...
