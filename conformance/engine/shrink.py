"""Shrinking: the smallest payload that still shows one divergence.

A generated payload that makes targets diverge is usually large, and most of
it has nothing to do with the divergence. ``shrink`` takes such a case and a
divergence it shows (a ``Signature``: kind, path pattern and the targets on
each side, see ``engine.signatures``) and returns a case that still shows that
very divergence with as little else as it can find.

Every candidate runs through the targets and is judged with
``comparison.judge``; it is kept when (1) each target ends in the same state
as on the original (accepted stays accepted, rejected stays rejected, so a
valid payload never turns into an invalid one and the other way round), and
(2) one of its failing signatures ``covers`` the one kept. Shrinking may not move the
problem elsewhere or turn it into another one (a wrong type into a missing
key). With a schema, candidates are first checked against it
(``conformance.sources.generate.accepts``) and must keep the case's own
verdict (valid stays valid); those that do not are never run. The passes that
make candidates are in ``engine.shrink_passes``.

``collect`` runs many cases and keeps one (shrunk) case per distinct divergence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from attrs import evolve, frozen

from conformance.comparison.policy import Policy
from conformance.engine.shrink_passes import Holds, Shrinker
from conformance.engine.signatures import Signature, run_targets, signatures
from conformance.schema import Schema
from conformance.sources.cases import Case
from conformance.targets import Target

__all__ = ["Found", "Shrunk", "Signature", "collect", "run_targets", "shrink", "shrink_case"]


@frozen
class Shrunk:
    """The result of shrinking: the minimal case, what it kept, and what it cost."""

    case: Case
    original: Case
    kept: Signature
    steps: int
    exhausted: bool


@frozen
class Found:
    """One distinct divergence and the (shrunk) case that shows it."""

    signature: Signature
    case: Case
    original: Case
    steps: int = 0


def shrink_case(
    case: Case,
    targets: Sequence[Target],
    policy: Policy,
    schema: Schema | None = None,
    *,
    keep: Signature | None = None,
    max_steps: int = 2000,
    holds: Holds | None = None,
) -> Shrunk:
    """Shrink ``case`` keeping ``keep`` (default: its first failing divergence).

    A candidate keeps the divergence when one of its signatures ``covers`` it
    (more targets may join a side) and passes ``holds``, when given (a family's value
    classes, say). ``Shrunk.kept`` is the signature the final
    case shows. The targets must be started; shrinking runs cases through them
    and never starts or closes them. Raises ``ValueError`` if the case does not
    show the divergence to keep.
    """
    conventions = {t.name: t.convention for t in targets}
    outcomes = run_targets(case, targets)
    found = signatures(case, outcomes, policy, schema, conventions)
    if keep is None:
        if not found:
            raise ValueError(f"case {case.id!r} shows no failing divergence to shrink")
        keep = found[0]
    elif not any(s.covers(keep) for s in found):
        raise ValueError(f"case {case.id!r} does not show the divergence {keep}")
    states = tuple(o.state for _, o in outcomes)
    shrinker = Shrinker(case, targets, policy, schema, keep, states, max_steps, holds)
    shrinker.run()
    kept = shrinker.kept
    description = f"shrunk from {case.id} in {shrinker.steps} steps, keeping {kept}"
    if case.description:
        description += f"; original: {case.description}"
    shrunk = evolve(case, id=f"{case.id}-min", wire=shrinker.current, description=description)
    return Shrunk(shrunk, case, kept, shrinker.steps, shrinker.exhausted)


def shrink(
    case: Case,
    targets: Sequence[Target],
    policy: Policy,
    schema: Schema | None = None,
    *,
    keep: Signature | None = None,
    max_steps: int = 2000,
) -> Case:
    """The smallest case found that still shows ``keep`` (see ``shrink_case``)."""
    return shrink_case(case, targets, policy, schema, keep=keep, max_steps=max_steps).case


def collect(
    cases: Iterable[Case],
    targets: Sequence[Target],
    policy: Policy,
    schema: Schema | None = None,
    *,
    shrinking: bool = True,
    max_steps: int = 2000,
    progress: Callable[[Case, Signature], None] | None = None,
) -> list[Found]:
    """Run cases through started targets; one (shrunk) case per distinct failing divergence.

    Divergences are told apart by ``Signature``. The first case to show one
    that no case found so far covers is shrunk (``progress(case, signature)``
    is called first); its final signature is what later ones are checked
    against, so ``X between input and sdk-a`` is passed over once
    ``X between input and sdk-a+sdk-b`` is found.
    """
    conventions = {t.name: t.convention for t in targets}
    found: list[Found] = []
    ids: set[str] = set()

    def covered(signature: Signature) -> bool:
        return any(f.signature.covers(signature) for f in found)

    for case in cases:
        outcomes = run_targets(case, targets)
        for signature in signatures(case, outcomes, policy, schema, conventions):
            if covered(signature):
                continue
            if progress is not None:
                progress(case, signature)
            if shrinking:
                result = shrink_case(
                    case, targets, policy, schema, keep=signature, max_steps=max_steps
                )
                kept, final, steps = result.case, result.kept, result.steps
            else:
                kept, final, steps = case, signature, 0
            if covered(final):
                continue
            name, number = kept.id, 2
            while name in ids:
                name, number = f"{kept.id}-{number}", number + 1
            ids.add(name)
            found.append(Found(final, evolve(kept, id=name), case, steps))
    return found
