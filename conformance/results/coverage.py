"""Probe coverage: for each probe class, what it ran on and what it found.

A systematic probe case (``conformance run --probes``) names its class (``Case.probe``,
``numbers.2^53+1``) and the wire path it changed (``Case.probe_path``). Folding a run's
probe cases by class says how much of the schema each class reached (cases, models, and
fields: distinct model and path pairs) and how much it found: the cases with a failing or
expected divergence on any target near the path it changed (in the object it changed, below
or above it: not what the base payload diverges in elsewhere), and those divergences. A
divergence every diverging target lists (the judge names them all on its diverging side)
counts once, as in the
families (``results.families``); notes count nowhere. Expected failures count as found:
listing a divergence in the expected-failures file does not make a class find less.

The collector keeps, per class, the distinct models and fields it saw, so its memory grows
with the schema, not with the number of cases. Cases without a probe class are not counted:
a run without probe cases has no coverage table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from attrs import define, field

from conformance.comparison.judge import finding
from conformance.core.divergence import PathSegment, parse_path_text
from conformance.results.records import CaseRecord, CoverageRow, ResultRecord

__all__ = ["FOUND", "CoverageCollector", "CoverageRow"]

#: The severities a probe class is credited with finding.
FOUND = ("fail", "expected")


@define
class _Tally:
    cases: int = 0
    models: set[str] = field(factory=set)
    fields: set[tuple[str, str]] = field(factory=set)
    diverging: int = 0
    divergences: int = 0
    targets: Counter[str] = field(factory=Counter)

    def row(self, probe: str) -> CoverageRow:
        return CoverageRow(
            probe,
            self.cases,
            len(self.models),
            len(self.fields),
            self.diverging,
            self.divergences,
            dict(sorted(self.targets.items())),
        )


@define
class CoverageCollector:
    """Adds up one probe case at a time; ``rows`` gives the table, by class id.

    Cases arrive whole (a case record with its results), from a run as it goes or from
    results files read back; the cases of merged shards add up to the table of one run.
    """

    tallies: dict[str, _Tally] = field(factory=dict)

    def add(self, case: CaseRecord, results: Sequence[ResultRecord]) -> None:
        """Count one case and its results (nothing, unless it is a probe case)."""
        if not case.probe:
            return
        tally = self.tallies.setdefault(case.probe, _Tally())
        tally.cases += 1
        tally.models.add(case.model)
        tally.fields.add((case.model, case.probe_path))
        found: set[tuple[Hashable, tuple[str, ...]]] = set()
        diverging: set[str] = set()
        near = _near(parse_path_text(case.probe_path) or ())
        for result in results:
            for divergence in result.divergences:
                if divergence.severity not in FOUND or not near(divergence.path):
                    continue
                diverging.add(result.target)
                found.add((finding(divergence), divergence.right.targets))
        if found:
            tally.diverging += 1
            tally.divergences += len(found)
            tally.targets.update(diverging)

    def rows(self) -> tuple[CoverageRow, ...]:
        """One row per probe class seen, sorted by class id."""
        return tuple(self.tallies[probe].row(probe) for probe in sorted(self.tallies))


def _near(probed: tuple[PathSegment, ...]) -> Callable[[tuple[PathSegment, ...]], bool]:
    """Whether a divergence's path is the probe's: in the object the probe changed (a key
    probe moves a key within it), below it, or above it (an ``accept`` at ``$``). What the
    base payload diverges in elsewhere is every probe's and no class's finding."""
    parent = probed[:-1]

    def near(path: tuple[PathSegment, ...]) -> bool:
        return path[: len(parent)] == parent or parent[: len(path)] == path

    return near
