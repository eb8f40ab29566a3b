"""Cross-SDK round trips: what one SDK wrote, read by another.

A payload each SDK reads and writes faithfully on its own can still break between
them: SDK A writes a date-time or a number in a form SDK B refuses or reads otherwise.
Cross-implementation suites of serialization formats feed one implementation's output
to the other; so does this module. For every ordered pair of SDK targets (A, B) a
``CrossTarget`` named ``A->B`` gives, for each case, B's outcome on the wire A wrote
for it. It is judged as any target is, against the case's input: where B keeps what A
wrote, ``A->B`` stands with A (one finding, A's); where B changes or refuses it, ``A->B``
is alone, and that is the finding of this module.

A's outcome is the one A gave the same case in the same run (``Remembered``), not a
second call; B reads A's exact output text when A wrote text, as a client would. Only
valid cases cross: what A makes of an invalid one is A's own finding.
A case A did not write (it rejected the case, or it writes nothing back,
as a Node SDK reading a response) is skipped, saying why. Cross targets are optional:
a pair that writes nothing never fails a run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from conformance.core import jsonwire
from conformance.core.config import CROSS_KIND
from conformance.core.outcome import Implementation, Outcome
from conformance.sources.cases import Case
from conformance.targets import Target

__all__ = ["CROSS_KIND", "CrossTarget", "Remembered", "cross_targets"]


@attrs.define
class Remembered:
    """A target that remembers its outcome of the last case it ran (for ``CrossTarget``).

    Everything else is the wrapped target's: its name, settings, start and close.
    """

    target: Target
    last: tuple[str, Outcome] | None = None

    @property
    def name(self) -> str:
        """The wrapped target's name."""
        return self.target.name

    @property
    def convention(self) -> str | None:
        """The wrapped target's naming convention."""
        return self.target.convention

    @property
    def optional(self) -> bool:
        """Whether the wrapped target is optional."""
        return self.target.optional

    @property
    def install_hint(self) -> str:
        """How to install the wrapped target."""
        return self.target.install_hint

    @property
    def model_names(self) -> object:
        """The wrapped target's model names (a harness target's), for the families."""
        return getattr(self.target, "model_names", None)

    def start(self) -> Implementation:
        """Start the wrapped target."""
        return self.target.start()

    def run(self, case: Case) -> Outcome:
        """Run the case and remember the outcome."""
        outcome = self.target.run(case)
        self.last = (case.id, outcome)
        return outcome

    def run_many(self, cases: Sequence[Case]) -> Iterator[Outcome]:
        """The wrapped target's outcomes of ``cases`` (ahead, where it can), remembering each
        as it is taken: a ``CrossTarget`` asks for the case just taken."""
        many = getattr(self.target, "run_many", None)
        outcomes: Iterator[Outcome] = (
            many(cases) if many is not None else map(self.target.run, cases)
        )
        for case, outcome in zip(cases, outcomes, strict=True):
            self.last = (case.id, outcome)
            yield outcome

    def outcome_of(self, case: Case) -> Outcome:
        """The outcome of ``case``: remembered when it was the last case run, else run now."""
        if self.last is not None and self.last[0] == case.id:
            return self.last[1]
        return self.run(case)

    def interrupt(self) -> None:
        """Interrupt the wrapped target, where it can be."""
        stop = getattr(self.target, "interrupt", None)
        if stop is not None:
            stop()

    def close(self) -> None:
        """Close the wrapped target."""
        self.target.close()


@attrs.define
class CrossTarget:
    """B's outcome on the wire A wrote for each case (see the module doc)."""

    writer: Remembered
    reader: Remembered

    @property
    def name(self) -> str:
        """``A->B``."""
        return f"{self.writer.name}->{self.reader.name}"

    @property
    def convention(self) -> str | None:
        """The reader's convention: the native view is the reader's."""
        return self.reader.convention

    @property
    def optional(self) -> bool:
        """Always: a pair that writes nothing never fails the run."""
        return True

    @property
    def install_hint(self) -> str:
        """Nothing of its own to install."""
        return ""

    def start(self) -> Implementation:
        """Nothing to start: both targets start on their own."""
        sdk = f"{self.writer.name} then {self.reader.name}"
        return Implementation(self.name, "cross", sdk=sdk)

    def run(self, case: Case) -> Outcome:
        """The reader's outcome on what the writer wrote for ``case``."""
        if not case.valid:
            # What a writer makes of an invalid payload is its own finding, not the pair's.
            return Outcome("skipped", error="an invalid case: nothing to cross")
        written = self.writer.outcome_of(case)
        if not written.accepted or not written.written or written.wire is None:
            state = written.state
            why = "rejected it" if state == "rejected" else f"wrote nothing ({state})"
            return Outcome("skipped", error=f"{self.writer.name} {why}: nothing to cross")
        # B reads A's exact text where A wrote text (an SDK behind a harness).
        relayed = attrs.evolve(case, wire=written.wire, valid=True, wire_text=written.text)
        if _sent_text(relayed) == _sent_text(case):
            return self.reader.outcome_of(relayed)  # the reader's own outcome of this case
        # Not ``reader.run``: the reader's remembered outcome stays its own, for ``B->A``.
        return self.reader.target.run(relayed)

    def close(self) -> None:
        """Nothing to close: both targets close on their own."""


def _sent_text(case: Case) -> str:
    """The text a target is given for ``case``: its exact text, or its value written out."""
    return case.wire_text if case.wire_text is not None else jsonwire.dumps(case.wire)


def cross_targets(targets: Sequence[Target], sdks: Sequence[str]) -> list[Target]:
    """``targets`` with the SDK targets named in ``sdks`` remembering their outcomes, then a
    ``CrossTarget`` for every ordered pair of them."""
    wrapped: list[Target] = [Remembered(t) if t.name in sdks else t for t in targets]
    remembered = [t for t in wrapped if isinstance(t, Remembered)]
    pairs: list[Target] = [
        CrossTarget(a, b) for a in remembered for b in remembered if a.name != b.name
    ]
    return [*wrapped, *pairs]
