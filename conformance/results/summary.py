"""The summary of a run: totals, per-target counts, the top divergence groups.

Built incrementally from records (as a run writes them, or as a results file
is read back), keeping counters and a bounded number of examples, so a summary
of any size of run takes the same memory. Renderers (terminal, Markdown, HTML)
read ``Summary``; none of them reads the run itself.

Each divergence group carries a verdict: which kinds of targets (the header's
``kind``) stand where. SDKs are compared with each other first, the reference
targets are a third voice (``verdict_of``). A case's results arrive together,
so the builder holds one case's results at a time to see every target's place.

Cases are also counted by their result vector: each target's status on the case, in
the header's target order (``ResultVector``). Most runs have few distinct vectors
(everything passes; one SDK diverges), so a vector says at a glance which targets
part ways, and how often; ``VECTORS`` bounds how many are kept.

Probe cases are also counted by probe class (``results.coverage``): the coverage
table is made from the case and result records, so the shards of a run add up to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from attrs import define, field, frozen

from conformance.results.coverage import CoverageCollector
from conformance.results.findings_merge import merge_findings
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    CoverageRow,
    EntryKey,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
)
from conformance.results.verdicts import (
    RAN,
    REFERENCE_KINDS,
    SDK_KINDS,
    VERDICTS,
    Places,
    agreeing_sdks,
    verdict_of,
)

__all__ = [
    "REFERENCE_KINDS",
    "SDK_KINDS",
    "VERDICTS",
    "DivergenceGroup",
    "IdleTarget",
    "ResultVector",
    "Summary",
    "SummaryBuilder",
    "agreeing_sdks",
    "summarize",
    "verdict_of",
]

EXAMPLES = 20
#: Skip reasons listed per target (the cases of the others are counted together).
SKIP_REASONS = 5
#: The reason the cases of every further skip reason are counted under.
OTHER_REASONS = "(other reasons)"
#: Distinct skip reasons counted per target.
_REASONS_KEPT = 50
#: Distinct result vectors counted; cases of any further vector are counted as other.
VECTORS = 200
#: A vector's status for a target that has no result for the case.
NO_RESULT = "-"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


@frozen
class DivergenceGroup:
    """Divergences of one kind at one path pattern between the same targets.

    ``verdict`` (a key of ``VERDICTS``, or empty when no SDK target ran its
    cases) is the verdict of most of its cases; ``verdict_text`` says it in a
    phrase, with how many of the cases it holds for when not all.
    """

    pattern: str
    kind: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    severity: str
    cases: int
    example: str
    detail: str
    verdict: str = ""
    verdict_text: str = ""


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
class ResultVector:
    """Cases whose targets ended the same way: one status per target (``Summary.vector_targets``
    order; ``NO_RESULT`` for a target without a result), how many, and the smallest case id."""

    statuses: tuple[str, ...]
    count: int
    example: str


@frozen
class Summary:
    """What a run found, small enough to print."""

    totals: dict[str, int]
    per_target: dict[str, dict[str, int]]
    groups: tuple[DivergenceGroup, ...]
    failures: tuple[ResultRecord, ...]
    skipped: dict[str, str]  # each target's first skip reason
    problems: tuple[ProblemRecord, ...]
    stale: tuple[StaleRecord, ...]
    cases: int
    failing: int
    notes: int
    header: Header | None = None
    footer: Footer | None = None
    idle: tuple[IdleTarget, ...] = ()
    #: Root-cause families (``finding`` records; shards merged), most cases first.
    findings: tuple[FindingRecord, ...] = ()
    #: Each target's skip reasons with their case counts, most cases first (``SKIP_REASONS``
    #: of them; the cases of any other reason under ``OTHER_REASONS``).
    skip_reasons: dict[str, tuple[tuple[str, int], ...]] = field(factory=dict)
    #: The targets of a result vector, in order: the headers' targets, then any other.
    vector_targets: tuple[str, ...] = ()
    #: Cases by result vector, most common first (at most ``VECTORS`` of them).
    vectors: tuple[ResultVector, ...] = ()
    #: Cases whose vector was not among the ``VECTORS`` counted.
    other_vectors: int = 0
    #: One row per probe class, by class id; empty without probe cases.
    coverage: tuple[CoverageRow, ...] = ()

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
class _Group:
    """A divergence group as it is counted: cases, the last case counted, the example, verdicts."""

    last: str
    example: str
    detail: str
    cases: int = 1
    verdicts: Counter[tuple[str, str]] = field(factory=Counter)

    def build(self, key: tuple[str, str, tuple[str, ...], tuple[str, ...], str]) -> DivergenceGroup:
        pattern, kind, left, right, severity = key
        verdict, text = "", ""
        if self.verdicts:
            # The most common verdict; ties broken by name, so merged shards agree.
            (verdict, odd), count = min(self.verdicts.items(), key=lambda v: (-v[1], v[0]))
            text = VERDICTS.get(verdict, "").format(odd=odd)
            if text and count < self.cases:
                text += f" (in {count} of {self.cases} cases)"
        return DivergenceGroup(
            pattern,
            kind,
            left,
            right,
            severity,
            self.cases,
            self.example,
            self.detail,
            verdict,
            text,
        )


@define
class _Vector:
    """A result vector as it is counted: its cases and the smallest case id."""

    count: int
    example: str


@define
class SummaryBuilder:
    """Accumulates records into a ``Summary``."""

    totals: Counter[str] = field(factory=Counter)
    per_target: dict[str, Counter[str]] = field(factory=dict)
    groups: dict[tuple[str, str, tuple[str, ...], tuple[str, ...], str], _Group] = field(
        factory=dict
    )
    failures: list[ResultRecord] = field(factory=list)
    skipped: dict[str, str] = field(factory=dict)
    skip_counts: dict[str, Counter[str]] = field(factory=dict)
    errors: dict[str, str] = field(factory=dict)
    problems: list[ProblemRecord] = field(factory=list)
    stale: list[StaleRecord] = field(factory=list)
    matched: set[EntryKey] = field(factory=set)
    cases: int = 0
    failing: int = 0
    notes: int = 0
    header: Header | None = None
    footer: Footer | None = None
    kinds: dict[str, str] = field(factory=dict)
    case_results: list[ResultRecord] = field(factory=list)
    findings: list[FindingRecord] = field(factory=list)
    #: A case's (target, status) pairs, sorted by target -> its cases so far
    vectors: dict[tuple[tuple[str, str], ...], _Vector] = field(factory=dict)
    other_vectors: int = 0
    #: The case record whose results are arriving (none once they are counted)
    case: CaseRecord | None = None
    coverage: CoverageCollector = field(factory=CoverageCollector)

    def add(self, record: Record) -> None:
        """Count one record."""
        if isinstance(record, ResultRecord):
            if self.case_results and self.case_results[0].case != record.case:
                self._close_case()
            self._result(record)
            return
        self._close_case()
        if isinstance(record, CaseRecord):
            self.cases += 1
            self.case = record
        elif isinstance(record, ProblemRecord):
            self.totals["problems"] += 1
            if len(self.problems) < EXAMPLES:
                self.problems.append(record)
        elif isinstance(record, StaleRecord):
            self.stale.append(record)
        elif isinstance(record, FindingRecord):
            self.findings.append(record)
        elif isinstance(record, Header):
            self.header = self.header or record
            for target in record.targets:
                self.kinds.setdefault(target.name, target.kind)
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
            counts = self.skip_counts.setdefault(record.target, Counter())
            reason = record.outcome.error
            # Distinct reasons are bounded: one per model ("model X not found") could be many.
            counts[
                reason if reason in counts or len(counts) < _REASONS_KEPT else OTHER_REASONS
            ] += 1
        elif record.status == "error":
            self.errors.setdefault(record.target, record.outcome.error)
        for each in record.divergences:
            if each.severity == "fail":
                self.failing += 1
            elif each.severity == "note":
                self.notes += 1
        self.case_results.append(record)

    def _close_case(self) -> None:
        """Group the divergences of the case whose results were last added."""
        results, self.case_results = self.case_results, []
        case, self.case = self.case, None
        if case is not None:
            self.coverage.add(case, [r for r in results if r.case == case.id])
        if results:
            self._vector(results)
        places: Places | None = None
        for record in results:
            for each in record.divergences:
                # One group per (pattern, kind, sides). A case's records arrive together, so
                # remembering the last case counted keeps each case once without a set. The
                # example is the smallest case id, so merged shards name the same one.
                key = (
                    each.pattern,
                    each.kind,
                    each.left.targets,
                    each.right.targets,
                    each.severity,
                )
                slot = self.groups.get(key)
                if slot is None:
                    slot = self.groups[key] = _Group(record.case, record.case, each.detail)
                elif slot.last != record.case:
                    slot.cases += 1
                    slot.last = record.case
                    if record.case < slot.example:
                        slot.example, slot.detail = record.case, each.detail
                else:
                    continue
                if places is None:
                    places = Places.of(results, self.kinds)
                slot.verdicts[places.verdict(each)] += 1

    def _vector(self, results: Sequence[ResultRecord]) -> None:
        """Count one case under its result vector (keyed by target, so any order of results
        and of shards counts it under the same vector)."""
        key = tuple(sorted({r.target: r.status for r in results}.items()))
        case = results[0].case
        slot = self.vectors.get(key)
        if slot is not None:
            slot.count += 1
            slot.example = min(slot.example, case)
        elif len(self.vectors) < VECTORS:
            self.vectors[key] = _Vector(1, case)
        else:
            self.other_vectors += 1

    def _vectors(self) -> tuple[tuple[str, ...], tuple[ResultVector, ...]]:
        """The vector targets (the headers' order, then targets no header named) and vectors."""
        order = dict.fromkeys(self.kinds)
        for key in self.vectors:
            order.update(dict.fromkeys(t for t, _ in key if t not in order))
        targets = tuple(order)
        vectors = []
        for key, slot in self.vectors.items():
            statuses = dict(key)
            row = tuple(statuses.get(t, NO_RESULT) for t in targets)
            vectors.append(ResultVector(row, slot.count, slot.example))
        vectors.sort(key=lambda v: (-v.count, v.statuses, v.example))
        return targets, tuple(vectors)

    def build(self) -> Summary:
        """The summary so far."""
        self._close_case()
        totals: dict[str, int] = {status: self.totals.get(status, 0) for status in STATUSES}
        totals["problems"] = self.totals.get("problems", 0)
        stale = [
            s for s in self.stale if EntryKey(s.case, s.kind, s.path, s.targets) not in self.matched
        ]
        totals["stale"] = len(stale)
        vector_targets, vectors = self._vectors()
        groups = sorted(
            (slot.build(key) for key, slot in self.groups.items()),
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
            skip_reasons={name: _top_reasons(counts) for name, counts in self.skip_counts.items()},
            problems=tuple(self.problems),
            stale=tuple(stale[:EXAMPLES]),
            cases=self.cases,
            failing=self.failing,
            notes=self.notes,
            header=self.header,
            footer=self.footer,
            idle=self._idle(),
            findings=tuple(sorted(merge_findings(self.findings), key=lambda f: (-f.cases, f.id))),
            vector_targets=vector_targets,
            vectors=vectors,
            other_vectors=self.other_vectors,
            coverage=self.coverage.rows(),
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


def _top_reasons(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """The ``SKIP_REASONS`` most common reasons (then by text), the rest as other reasons."""
    ranked = sorted(counts.items(), key=lambda item: (item[0] == OTHER_REASONS, -item[1], item[0]))
    kept = ranked[:SKIP_REASONS]
    rest = sum(n for _, n in ranked[SKIP_REASONS:])
    if rest and kept[-1][0] == OTHER_REASONS:
        kept[-1] = (OTHER_REASONS, kept[-1][1] + rest)
    elif rest:
        kept.append((OTHER_REASONS, rest))
    return tuple(kept)


def summarize(records: Iterable[Record]) -> Summary:
    """The summary of records as they come (read back from results files, or teed to renderers)."""
    builder = SummaryBuilder()
    for record in records:
        builder.add(record)
    return builder.build()
