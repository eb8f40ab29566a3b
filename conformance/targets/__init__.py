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
    the native view is not checked for naming. ``optional`` is the target's
    ``optional = true`` setting: the run may pass although it ran no case.
    ``install_hint`` says how to install (or fix) this target, from its own
    configuration (empty when there is nothing to install). ``start`` may be
    slow (it may spawn a process); ``run`` is called once per case; ``close``
    always runs.
    """

    @property
    def name(self) -> str: ...

    @property
    def convention(self) -> str | None: ...

    @property
    def optional(self) -> bool: ...

    @property
    def install_hint(self) -> str: ...

    def start(self) -> Implementation: ...

    def run(self, case: Case) -> Outcome: ...

    def close(self) -> None: ...
