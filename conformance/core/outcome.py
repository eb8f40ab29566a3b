"""What one target did with one case."""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from conformance.core.jsonwire import JsonValue

State = Literal["accepted", "rejected", "error", "skipped"]

#: Decimal places an outcome keeps of its ``seconds``: a microsecond. The timer's further
#: digits are noise, and would cost twelve bytes a result in results files.
SECONDS_PLACES = 6


def _to_the_microsecond(seconds: float) -> float:
    return round(seconds, SECONDS_PLACES)


@frozen
class Implementation:
    """Who a target is: reported by a harness at start, or known in process.

    ``details`` are free-form facts (runtime versions, which SDK functions read
    and write, ``startup_seconds``); ``warnings`` are what the target said at
    start that a user should see (e.g. a fallback to plain pydantic reading).
    """

    name: str
    language: str
    sdk: str = ""
    sdk_version: str = ""
    details: dict[str, JsonValue] = field(factory=dict)
    warnings: tuple[str, ...] = ()


@frozen
class Outcome:
    """One case through one target.

    ``accepted``: ``wire`` is what the target wrote back and ``native`` the same
    data under the target's own field names. ``rejected``: ``error`` says why.
    ``error``: the target could not run the case (crash, timeout, protocol
    error); ``skipped``: it declined (``error`` holds the reason). ``stderr`` is
    what a harness printed meanwhile; ``warnings`` are non-fatal observations
    such as unknown keys; ``seconds`` is the wall time of the case, kept to the
    microsecond (``SECONDS_PLACES``).
    ``error_path``: for ``rejected``, where the SDK says the (first) problem is,
    as wire keys and array indices (``()`` is the root); None when it names no
    place. ``written`` is false for an ``accepted`` outcome of a target that read
    the payload but has no writer for that model and direction (``wire`` is None).
    ``text`` is the exact text the target wrote, when it wrote text (an SDK behind
    a harness); None for a target that writes values (the reference). It is compared
    with the input text in memory and never written to results files.
    ``undeclared``: for ``accepted``, the paths in ``native`` (keys and indices) of keys
    the SDK kept although its model does not declare them (a pydantic extra, a key a
    passthrough schema kept): they are no names the SDK gave fields.
    """

    state: State
    wire: JsonValue = None
    native: JsonValue = None
    error: str = ""
    warnings: tuple[str, ...] = ()
    stderr: str = ""
    seconds: float = field(default=0.0, converter=_to_the_microsecond)
    error_path: tuple[str | int, ...] | None = None
    written: bool = True
    text: str | None = None
    undeclared: tuple[tuple[str | int, ...], ...] = ()

    @property
    def accepted(self) -> bool:
        """Whether the target accepted the payload."""
        return self.state == "accepted"

    @property
    def ran(self) -> bool:
        """Whether the target gave a verdict (accepted or rejected)."""
        return self.state in ("accepted", "rejected")
