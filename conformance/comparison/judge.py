"""Judging one case: every target's outcome against the expectation, the policy and the baseline.

Outcomes are grouped into classes that agree exactly (N-way, no target is
assumed right), and each class is compared once with the case's expectation:
a valid payload must be accepted and written back unchanged (the ``input``
side of each divergence), an invalid one (``valid: false``) must be rejected.
Each target's native view is checked against its naming convention. The
policy then marks each divergence ``fail`` or ``note``, and the
expected-failures baseline turns listed failures into ``expected``.

The verdicts are values of this layer; the engine writes them as result
records (``conformance.results.records.ResultRecord.of``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from attrs import frozen

from conformance.comparison.baseline import Baseline
from conformance.comparison.compare import accept_divergence, diff, group
from conformance.comparison.naming_check import naming_divergences
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.conventions import get_convention
from conformance.core.divergence import Divergence
from conformance.core.outcome import Outcome
from conformance.schema import Schema
from conformance.sources.cases import Case

__all__ = ["INPUT", "STATUSES", "Status", "Verdict", "judge"]

#: The name of the expectation side of a divergence: the case's own payload and verdict.
INPUT = "input"

Status = Literal["pass", "diverge", "expected", "error", "skipped"]
STATUSES: tuple[Status, ...] = ("pass", "diverge", "expected", "error", "skipped")


@frozen
class Verdict:
    """One target's verdict on one case: status, outcome and judged divergences.

    ``group`` lists the targets whose outcome is identical to this one (itself
    included); the other targets of the case disagree with it.
    """

    target: str
    status: Status
    outcome: Outcome
    divergences: tuple[Divergence, ...] = ()
    group: tuple[str, ...] = ()

    @property
    def failing(self) -> tuple[Divergence, ...]:
        """The divergences that fail the run."""
        return tuple(d for d in self.divergences if d.severity == "fail")


def judge(
    case: Case,
    outcomes: Sequence[tuple[str, Outcome]],
    policy: Policy,
    schema: Schema | None = None,
    conventions: Mapping[str, str | None] | None = None,
    baseline: Baseline | None = None,
) -> list[Verdict]:
    """The verdict of every target on one case, in the order of ``outcomes``."""
    ran = [(name, o) for name, o in outcomes if o.ran]
    # Exact JSON text is equal exactly when outputs are the same (tokens, key order), and
    # costs one compact copy, where a canonical tuple tree would cost several.
    classes = group(ran, key=lambda o: (o.state, jsonwire.dumps(o.wire) if o.accepted else None))
    verdicts: dict[str, tuple[tuple[str, ...], list[Divergence]]] = {}
    for names, outcome in classes:
        found = _expectation(case, names, outcome)
        for name in names:
            verdicts[name] = (names, found)
    out = []
    for name, outcome in outcomes:
        if not outcome.ran:
            out.append(Verdict(name, "error" if outcome.state == "error" else "skipped", outcome))
            continue
        if baseline is not None:
            baseline.observe(case.id, name)
        names, found = verdicts[name]
        convention = (conventions or {}).get(name)
        if schema is not None and convention and outcome.accepted:
            found = found + naming_divergences(
                schema, case.model, outcome.native, get_convention(convention), name
            )
        judged = policy.judge_all(found)
        if baseline is not None:
            judged = baseline.judge(case.id, judged)
        severities = {d.severity for d in judged}
        status: Status = "pass"
        if "fail" in severities:
            status = "diverge"
        elif "expected" in severities:
            status = "expected"
        out.append(Verdict(name, status, outcome, tuple(judged), names))
    return out


def _expectation(case: Case, names: tuple[str, ...], outcome: Outcome) -> list[Divergence]:
    """How one class of agreeing outcomes differs from what the case expects."""
    if case.valid and outcome.accepted:
        return diff(case.wire, outcome.wire, (INPUT,), names)
    if case.valid != outcome.accepted:
        return [accept_divergence(case.valid, (INPUT,), names, outcome.error)]
    return []
