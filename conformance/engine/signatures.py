"""Signatures: what makes two divergences the same bug, and every target's outcome of a case.

A divergence is kind ``K`` at path pattern ``P`` between targets ``L`` and
``R``: a ``Signature``. One covers another with the same kind at the same
pattern and at least the same targets on each side (more may join: two SDKs
that wrote a lost value differently may write a smaller one alike). Within one
case, divergences of one kind at one pattern make one signature with the
targets of all of them; with a schema, the pattern also blanks map keys and
undeclared keys, so an SDK that drops unknown keys is one finding per place in
the schema, not one per key name. An ``accept`` divergence has no path of its
own (it is about the whole payload), so its signature also holds *where* and
*why* the first rejecting target said the payload is wrong: the ``@ $.path``
of its error (indexes as ``*``) and the message before it (quoted values and
numbers blanked), when the error has that form, as the reference targets'
errors do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from attrs import frozen

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core.divergence import path_text
from conformance.core.outcome import Outcome
from conformance.exceptions import ConformanceError
from conformance.schema import Schema
from conformance.sources.cases import Case
from conformance.sources.generate import generalize
from conformance.targets import Target

__all__ = ["Signature", "run_targets", "signatures"]

_INDEX = re.compile(r"\[\d+\]")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NUMBER = re.compile(r"(?<![\w.])-?\d[\d.]*(?:[eE][+-]?\d+)?(?![\w.])")


@frozen
class Signature:
    """What makes two divergences the same bug.

    Kind, path pattern and the targets on each side; for ``accept``, also where
    and why the first rejecting target rejected the payload (see the module doc).
    """

    kind: str
    pattern: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    where: str = ""
    why: str = ""

    def covers(self, other: Signature) -> bool:
        """Whether ``other`` is this divergence with fewer targets on either side."""
        return (
            (self.kind, self.pattern, self.where, self.why)
            == (other.kind, other.pattern, other.where, other.why)
            and set(other.left) <= set(self.left)
            and set(other.right) <= set(self.right)
        )

    def __str__(self) -> str:
        text = f"{self.kind} at {self.pattern} between {'+'.join(self.left)} and "
        text += "+".join(self.right)
        if self.where:
            text += f" (rejected at {self.where}: {self.why})"
        return text


def run_targets(case: Case, targets: Sequence[Target]) -> list[tuple[str, Outcome]]:
    """Every target's outcome of ``case``; a target that raises gives an ``error`` outcome."""
    outcomes = []
    for target in targets:
        try:
            outcome = target.run(case)
        except ConformanceError as error:
            outcome = Outcome("error", error=str(error))
        except Exception as error:  # one candidate's failure must not stop shrinking
            outcome = Outcome("error", error=f"internal error in target {target.name!r}: {error!r}")
        outcomes.append((target.name, outcome))
    return outcomes


def _anchor(error: str) -> tuple[str, str]:
    """(where, why) of a ``message @ $.path`` error, generalized; ``("", "")`` for others."""
    why, at, where = error.rpartition(" @ ")
    if not at or not where.startswith("$"):
        return "", ""
    return _INDEX.sub("[*]", where.strip()), _NUMBER.sub("N", _QUOTED.sub("...", why))


def signatures(
    case: Case,
    outcomes: Sequence[tuple[str, Outcome]],
    policy: Policy,
    schema: Schema | None = None,
    conventions: Mapping[str, str | None] | None = None,
    *,
    naming: bool = True,
) -> list[Signature]:
    """The signatures of the failing divergences of one case, in report order.

    Divergences of one kind at one pattern make one signature, whose sides
    hold every target on either side of any of them: two SDKs that both lose
    a value, each writing it differently, show ``value at P between input and
    a+b``. With a schema that has the case's model, the pattern also blanks map
    keys and undeclared keys (``generate.generalize``): an SDK that drops
    unknown keys shows one signature whatever the keys were called. ``naming``
    false skips the naming check (a walk of every native view).
    """
    anchor = next((_anchor(o.error) for _, o in outcomes if o.state == "rejected"), ("", ""))
    known = schema is not None and case.model in schema
    sides: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for verdict in judge(case, outcomes, policy, schema if naming else None, conventions):
        for divergence in verdict.failing:
            pattern = divergence.pattern
            if known and schema is not None:
                pattern = path_text(generalize(schema, case.model, case.wire, divergence.path))
            left, right = sides.setdefault((divergence.kind, pattern), (set(), set()))
            left.update(divergence.left.targets)
            right.update(divergence.right.targets)
    return [
        Signature(
            kind,
            pattern,
            tuple(sorted(left)),
            tuple(sorted(right)),
            *(anchor if kind == "accept" else ("", "")),
        )
        for (kind, pattern), (left, right) in sides.items()
    ]
