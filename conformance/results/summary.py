"""The summary of a run: totals, per-target counts, the top divergence groups.

Built incrementally from records (as a run writes them, or as a results file
is read back), keeping counters and a bounded number of examples, so a summary
of any size of run takes the same memory. Renderers (terminal, Markdown, HTML)
read ``Summary``; none of them reads the run itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from attrs import define, field, frozen

from conformance.results.records import (
    STATUSES,
    CaseRecord,
    EntryKey,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
)

__all__ = ["DivergenceGroup", "IdleTarget", "Summary", "SummaryBuilder", "summarize"]

EXAMPLES = 20
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


@frozen
class DivergenceGroup:
    """Divergences of one kind at one path pattern between the same targets."""

    pattern: str
    kind: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    severity: str
    cases: int
    example: str
    detail: str


#: The statuses of an outcome the target itself produced: it ran the case.
RAN = ("pass", "diverge", "expected")


@frozen
class IdleTarget:
    """A target of the run that ran no case: it skipped or errored on every one, or none came.

    It fails the run unless it is ``optional``. ``reason`` is its first skip or
    error; ``hint`` says how to make it runnable (from the header).
    """

    name: str
    optional: bool
    reason: str
    hint: str = ""


@frozen
class Summary:
    """What a run found, small enough to print."""

    totals: dict[str, int]
    per_target: dict[str, dict[str, int]]
    groups: tuple[DivergenceGroup, ...]
    failures: tuple[ResultRecord, ...]
    skipped: dict[str, str]
    problems: tuple[ProblemRecord, ...]
    stale: tuple[StaleRecord, ...]
    cases: int
    failing: int
    notes: int
    header: Header | None = None
    footer: Footer | None = None
    idle: tuple[IdleTarget, ...] = ()

    @property
    def problem_count(self) -> int:
        """How many case files or cases could not load."""
        return self.totals.get("problems", 0)

    @property
    def stale_count(self) -> int:
        """How many expected failures did not happen (in any shard)."""
        return self.totals.get("stale", 0)

    @property
    def interrupted(self) -> bool:
        """Whether a run (any shard) was stopped by SIGINT or SIGTERM before its end."""
        return self.footer is not None and self.footer.interrupted

    @property
    def exit_code(self) -> int:
        """0 conformant; 1 failing divergences, target errors, unloaded cases, stale entries or
        a target (not optional) that ran no case; 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        bad = self.failing or self.totals["error"] or self.totals["diverge"]
        idle = any(not t.optional for t in self.idle)
        return 1 if bad or idle or self.problem_count or self.stale_count else 0


@define
class SummaryBuilder:
    """Accumulates records into a ``Summary``."""

    totals: Counter[str] = field(factory=Counter)
    per_target: dict[str, Counter[str]] = field(factory=dict)
    groups: dict[tuple[str, str, tuple[str, ...], tuple[str, ...], str], list[Any]] = field(
        factory=dict
    )
    failures: list[ResultRecord] = field(factory=list)
    skipped: dict[str, str] = field(factory=dict)
    errors: dict[str, str] = field(factory=dict)
    problems: list[ProblemRecord] = field(factory=list)
    stale: list[StaleRecord] = field(factory=list)
    matched: set[EntryKey] = field(factory=set)
    cases: int = 0
    failing: int = 0
    notes: int = 0
    header: Header | None = None
    footer: Footer | None = None

    def add(self, record: Record) -> None:
        """Count one record."""
        if isinstance(record, ResultRecord):
            self._result(record)
        elif isinstance(record, CaseRecord):
            self.cases += 1
        elif isinstance(record, ProblemRecord):
            self.totals["problems"] += 1
            if len(self.problems) < EXAMPLES:
                self.problems.append(record)
        elif isinstance(record, StaleRecord):
            self.stale.append(record)
        elif isinstance(record, Header):
            self.header = self.header or record
        elif isinstance(record, Footer):
            # Of merged shards, an interrupted footer wins: the merged run is incomplete.
            if self.footer is None or not self.footer.interrupted:
                self.footer = record
            self.matched.update(record.matched)

    def _result(self, record: ResultRecord) -> None:
        self.totals[record.status] += 1
        self.per_target.setdefault(record.target, Counter())[record.status] += 1
        if record.status in ("diverge", "error") and len(self.failures) < EXAMPLES:
            self.failures.append(record)
        if record.status == "skipped":
            self.skipped.setdefault(record.target, record.outcome.error)
        elif record.status == "error":
            self.errors.setdefault(record.target, record.outcome.error)
        for each in record.divergences:
            if each.severity == "fail":
                self.failing += 1
            elif each.severity == "note":
                self.notes += 1
            # One group per (pattern, kind, sides). A case's records arrive together, so
            # remembering the last case counted keeps each case once without a set. The
            # example is the smallest case id, so merged shards name the same one.
            key = (each.pattern, each.kind, each.left.targets, each.right.targets, each.severity)
            slot = self.groups.get(key)
            if slot is None:
                self.groups[key] = [1, record.case, record.case, each.detail]
            elif slot[1] != record.case:
                slot[0] += 1
                slot[1] = record.case
                if record.case < slot[2]:
                    slot[2], slot[3] = record.case, each.detail

    def build(self) -> Summary:
        """The summary so far."""
        totals: dict[str, int] = {status: self.totals.get(status, 0) for status in STATUSES}
        totals["problems"] = self.totals.get("problems", 0)
        stale = [
            s for s in self.stale if EntryKey(s.case, s.kind, s.path, s.targets) not in self.matched
        ]
        totals["stale"] = len(stale)
        groups = sorted(
            (
                DivergenceGroup(p, k, left, right, sev, count, example, detail)
                for (p, k, left, right, sev), (count, _, example, detail) in self.groups.items()
            ),
            key=lambda g: (g.severity != "fail", -g.cases, g.pattern, g.kind),
        )
        return Summary(
            totals=totals,
            per_target={
                name: {s: counts.get(s, 0) for s in STATUSES}
                for name, counts in self.per_target.items()
            },
            groups=tuple(groups),
            failures=tuple(self.failures),
            skipped=dict(self.skipped),
            problems=tuple(self.problems),
            stale=tuple(stale[:EXAMPLES]),
            cases=self.cases,
            failing=self.failing,
            notes=self.notes,
            header=self.header,
            footer=self.footer,
            idle=self._idle(),
        )

    def _idle(self) -> tuple[IdleTarget, ...]:
        """The header's targets that ran none of the cases (a run of no case has none)."""
        if self.header is None or not self.cases:
            return ()
        idle = []
        for target in self.header.targets:
            counts = self.per_target.get(target.name, Counter())
            if any(counts[status] for status in RAN):
                continue
            skipped, errored = counts["skipped"], counts["error"]
            if errored:
                what = "every case errored" if not skipped else "every case errored or skipped"
                reason = f"{what}: {self.errors.get(target.name, '')}"
            elif skipped:
                reason = f"skipped every case: {self.skipped.get(target.name, '')}"
            else:
                reason = "no result for any case"
            idle.append(IdleTarget(target.name, target.optional, reason, target.install_hint))
        return tuple(idle)


def summarize(records: Iterable[Record]) -> Summary:
    """The summary of records as they come (read back from results files, or teed to renderers)."""
    builder = SummaryBuilder()
    for record in records:
        builder.add(record)
    return builder.build()
