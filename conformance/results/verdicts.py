"""Where each target of a case stands on one of its divergences: a group's verdict.

SDKs are compared with each other first, the reference targets are a third voice
(``verdict_of``); ``agreeing_sdks`` names the SDKs that stand with the expectation (a
reproducer shows what they do too). ``results.summary`` gives each divergence group the
verdict of most of its cases.

A target that read the payload and wrote nothing has no voice on the wire, but where
it was judged on its native view (``comparison.views``: it has a divergence seen there
in the case), it speaks on what the view shows faithfully: it stands with the
expectation where its view holds the input's value, and stays silent where the view
cannot tell (number text, key order, a number shown as ``null``). Without such a
divergence the results do not say whether the view was compared (the target's
convention is the header's, not the results'), and the target stays silent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence

from attrs import field, frozen

from conformance.comparison.judge import finding
from conformance.comparison.views import is_view_divergence, view_shows
from conformance.core.config import CROSS_KIND
from conformance.core.divergence import Divergence
from conformance.results.records import ResultRecord
from conformance.results.value_classes import value_at
from conformance.schema import JsonValue

__all__ = [
    "RAN",
    "REFERENCE_KINDS",
    "SDK_KINDS",
    "VERDICTS",
    "Places",
    "agreeing_sdks",
    "verdict_of",
]

#: Target kinds that speak for an SDK (a recorded target replays an SDK's own outcomes).
SDK_KINDS = frozenset({"python-sdk", "node-sdk", "harness", "recorded"})
# A cross target (``CROSS_KIND``) is one SDK reading what another wrote: no voice of its own
# in a verdict; a divergence only such targets have is between the SDKs.
#: Target kinds that speak for the schema: the third voice.
REFERENCE_KINDS = frozenset({"reference"})

#: Group verdicts and the phrase renderers show beside a group (``{odd}``: the odd SDK).
VERDICTS: dict[str, str] = {
    "sdks-agree-reference-differs": "the SDKs agree; the spec/reference differs",
    "all-agree-input-differs": "every SDK and reference agrees; the case's input differs",
    "odd-sdk": "{odd} alone against the other SDKs",
    "one-sdk": "only {odd} speaks here; the spec/reference differs",
    "sdks-split": "the SDKs disagree with each other",
    "between-sdks": "only between the SDKs: {odd}",
}


#: The statuses of an outcome the target itself produced: it ran the case.
RAN = ("pass", "diverge", "expected")


@frozen
class Places:
    """Where each target that ran one case stands, to give a divergence of it a verdict."""

    sdks: tuple[str, ...]
    references: tuple[str, ...]
    own: dict[str, tuple[tuple[Hashable, Divergence], ...]]
    #: Targets that read the payload but wrote nothing: they have no voice on the wire.
    unwritten: frozenset[str] = frozenset()
    crosses: frozenset[str] = frozenset()
    #: Targets that rejected the payload: a reproducer cannot show them keeping a value.
    rejected: frozenset[str] = frozenset()
    #: ``id`` of each divergence of ``own`` -> its finding (they live as long as ``own``).
    found: dict[int, Hashable] = field(factory=dict)
    #: Of ``unwritten``, the targets judged on their native view -> that view.
    views: dict[str, JsonValue] = field(factory=dict)

    @classmethod
    def of(cls, results: Sequence[ResultRecord], kinds: Mapping[str, str]) -> Places:
        ran = [r for r in results if r.status in RAN]
        own = {r.target: tuple((finding(d), d) for d in r.divergences) for r in ran}
        unwritten = [r for r in ran if r.outcome.accepted and not r.outcome.written]
        return cls(
            tuple(r.target for r in ran if kinds.get(r.target) in SDK_KINDS),
            tuple(r.target for r in ran if kinds.get(r.target) in REFERENCE_KINDS),
            own,
            frozenset(r.target for r in unwritten),
            frozenset(r.target for r in ran if kinds.get(r.target) == CROSS_KIND),
            frozenset(r.target for r in ran if not r.outcome.accepted),
            {id(d): found for pairs in own.values() for found, d in pairs},
            {
                r.target: r.outcome.native
                for r in unwritten
                if any(is_view_divergence(d, r.outcome.written) for d in r.divergences)
            },
        )

    def speaks(self, target: str, divergence: Divergence) -> bool:
        """Whether ``target`` has a voice on ``divergence``: any target on acceptance; on
        values a target that wrote something, or one judged on its native view where the
        view shows what it did at the divergence's path (or has the divergence itself)."""
        if divergence.kind == "accept" or target not in self.unwritten:
            return True
        if target not in self.views:
            return False
        if self.place(target, divergence, self._found(divergence)) != "expected":
            return True  # it has this divergence, or another at or above its path
        at, present = value_at(self.views[target], divergence.path)
        if divergence.kind == "extra":
            return not present  # the view holds no such key: the SDK handed none
        if divergence.kind not in ("value", "type", "missing") or not divergence.left.present:
            return False  # text, order and number forms: a view has none of its own
        return present and view_shows(divergence.left.value, at) is True

    def _found(self, divergence: Divergence) -> Hashable:
        found = self.found.get(id(divergence))
        return finding(divergence) if found is None else found

    def place(self, target: str, divergence: Divergence, found: Hashable) -> str:
        """``diverges`` (it has this divergence), ``expected`` (nothing diverges for it
        here), or a place of its own (it diverges otherwise at this path or above it)."""
        if target in divergence.right.targets:
            return "diverges"
        for key, each in self.own.get(target, ()):
            if each.left.targets != divergence.left.targets:
                continue
            if key == found:  # the same divergence, judged with another severity
                return "diverges"
            if (
                each.kind == divergence.kind == "accept"
                and each.right.value == divergence.right.value
            ):
                return "diverges"  # rejected (or accepted) too, located elsewhere in the payload
            above = each.path == divergence.path[: len(each.path)]
            # Another key order above this path says nothing about what is at it.
            if above and (each.kind != "order" or each.path == divergence.path):
                return f"own:{target}"
        return "expected"

    def verdict(self, divergence: Divergence) -> tuple[str, str]:
        """``(verdict, odd SDK)``; the verdict is empty when no SDK target ran the case."""
        found = self._found(divergence)
        if self.crosses and set(divergence.right.targets) <= self.crosses:
            return "between-sdks", ", ".join(divergence.right.targets)
        voices = [t for t in self.sdks if self.speaks(t, divergence)]
        sdks = {t: self.place(t, divergence, found) for t in voices}
        if not sdks:
            return "", ""
        if len(sdks) == 1:
            # One SDK speaks: the others wrote nothing (or their view cannot tell), skipped
            # the case, or are not there.
            # There is no agreement to speak of.
            (only,) = sdks
            return "one-sdk", only
        references = [self.place(t, divergence, found) for t in self.references]
        counts = Counter(sdks.values())
        if len(counts) == 1:
            (place,) = counts
            if not references or any(r != place for r in references):
                return "sdks-agree-reference-differs", ""
            # The references stand with the SDKs: only the input differs, or no one here.
            return ("all-agree-input-differs", "") if place == "diverges" else ("", "")
        if len(counts) == 2:
            # Of two SDKs, each is alone: the odd one is the one off the expectation.
            alone = [t for t, p in sdks.items() if counts[p] == 1]
            if len(sdks) == 2:
                alone = [t for t in alone if sdks[t] != "expected"]
            if len(alone) == 1:
                return "odd-sdk", alone[0]
        return "sdks-split", ""


def verdict_of(
    divergence: Divergence, results: Sequence[ResultRecord], kinds: Mapping[str, str]
) -> tuple[str, str]:
    """The verdict on one divergence of a case, and the odd SDK when it is ``odd-sdk``.

    ``results`` are every result of the case, ``kinds`` each target's kind. Each
    SDK target (``SDK_KINDS``) and reference target that ran the case stands
    somewhere: on the diverging side, with the expectation, or alone (it
    diverges in another way there). ``sdks-agree-reference-differs``: every SDK
    stands in one place and a reference elsewhere (or no reference ran);
    ``all-agree-input-differs``: the references stand with the SDKs on the
    diverging side; ``odd-sdk``: one SDK alone against the others (of two,
    the one off the expectation); ``between-sdks``: only cross targets (one SDK
    reading what another wrote) diverge; ``sdks-split``: otherwise.
    """
    return Places.of(results, kinds).verdict(divergence)


def agreeing_sdks(
    divergence: Divergence, results: Sequence[ResultRecord], kinds: Mapping[str, str]
) -> tuple[str, ...]:
    """The SDK targets of a case that stand with the expectation of ``divergence``: they ran
    the case and nothing diverges for them there (a reproducer shows what they do too). A
    target that wrote nothing back (or rejected the payload) agrees only on whether the
    payload is accepted, unless it was judged on its native view and that view shows the
    input's value there (``Places.speaks``)."""
    if divergence.kind == "naming":
        return ()  # a convention is each target's own: no other SDK stands beside it
    places = Places.of(results, kinds)
    found = finding(divergence)
    voices = [
        t
        for t in places.sdks
        if divergence.kind == "accept"
        or (t not in places.rejected and places.speaks(t, divergence))
    ]
    return tuple(t for t in voices if places.place(t, divergence, found) == "expected")
