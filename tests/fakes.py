"""In-process fake targets with fixed behaviour, for runner and report tests."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from conformance.core.outcome import Implementation, Outcome
from conformance.schema import JsonValue
from conformance.sources.cases import Case


@attrs.define
class FakeTarget:
    """A target whose outcome for a case is ``behave(case)``; echoes the wire by default."""

    name: str
    behave: Callable[[Case], Outcome] | None = None
    convention: str | None = None
    started: bool = False
    closed: bool = False

    def start(self) -> Implementation:
        self.started = True
        return Implementation(self.name, "python", "fake", "0")

    def run(self, case: Case) -> Outcome:
        if self.behave is None:
            return Outcome("accepted", wire=case.wire, native=case.wire)
        return self.behave(case)

    def close(self) -> None:
        self.closed = True


def writes(wire: JsonValue) -> Callable[[Case], Outcome]:
    """A behaviour that accepts every case and writes ``wire`` back."""
    return lambda case: Outcome("accepted", wire=wire, native=wire)


def rejects(error: str = "invalid") -> Callable[[Case], Outcome]:
    """A behaviour that rejects every case."""
    return lambda case: Outcome("rejected", error=error)
