"""Judging one case: every target's outcome against the expectation, the policy and the baseline.

Outcomes are grouped into classes that agree exactly (N-way, no target is
assumed right), and each class is compared once with the case's expectation:
a valid payload must be accepted and written back unchanged (the ``input``
side of each divergence), an invalid one (``valid: false``) must be rejected.
Each target's native view is checked against its naming convention. The
policy then marks each divergence ``fail`` or ``note``, and the
expected-failures baseline turns listed failures into ``expected``.

An SDK that accepts an invalid payload and writes it back is also compared with
the input: besides the ``accept`` divergence, each key or item of the input its
output lost is a ``missing`` divergence (an SDK that accepts a wrong-typed value
and silently drops a whole sibling object loses data). Keys the schema does not
declare at that place are left out: dropping them is no loss of the schema's data,
and it is reported on valid cases already; so is a dropped value that holds no valid
data (the very value that made the payload invalid), while a dropped object that
held valid siblings of it is reported. Without a
schema every loss counts. A
``null`` written back absent is left out too: on an invalid case it is most often the
very value that made the case invalid (``null`` where the field may not be null), it
carries no data, and the ``accept`` divergence already says the SDK took it.

A target whose reader does not validate in the case's direction (``lenient``: an SDK
that builds response objects without checking them, as Stainless's and Fern's do) has
no ``accept`` divergence for taking an invalid payload: that is how it is built, said
once for the target at start, not once per invalid case. What it writes back is still
compared (the loss of valid data above), and so is every valid case.

A target that read a response but writes nothing back, and whose native view is the
wire (convention ``wire``: the SDK hands its user objects under the wire's own keys),
is compared on that view (``comparison.views``): a number its reader rounded is a
divergence like any other, its detail saying it was seen in the view; what the view
cannot show faithfully (number text, key order, a non-finite number) is left out.
Such targets share a class only with targets whose view is the same. Other read-only
targets are judged on acceptance only.

Each target that wrote text (an SDK behind a harness) is compared with the input
text as well, on its own: the same value written as other text (``\\u00e9`` vs
``é``, spacing) is a ``text`` divergence (``comparison.text``). Classes are made of
values, so two targets that write the same values in different text share a class
and each has its own ``text`` divergences.

Classes differ for any reason at all (one SDK writes ``0.0``, another ``0``),
so two classes can share a divergence (both drop the unknown key ``x``). Such
a divergence is one finding, not one per class: after the policy and the
baseline have judged each class on its own (so no target's status depends on
another's), identical divergences (``finding``, and the same severity) name
every target that has them on their diverging side. Each target's verdict
still lists only its own divergences, with its own values and details.

The verdicts are values of this layer; the engine writes them as result
records (``conformance.results.records.ResultRecord.of``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Literal

from attrs import evolve, frozen

from conformance.comparison.baseline import Baseline
from conformance.comparison.compare import accept_divergence, diff, group_agreeing
from conformance.comparison.naming_check import naming_divergences
from conformance.comparison.policy import Policy
from conformance.comparison.text import text_divergences
from conformance.comparison.views import view_divergences
from conformance.core import jsonwire
from conformance.core.conventions import get_convention
from conformance.core.divergence import Divergence, PathSegment, Side
from conformance.core.outcome import Outcome
from conformance.schema import (
    AnyValue,
    ArrayOf,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.cases import Case
from conformance.sources.generate.checker import Checker

__all__ = ["INPUT", "STATUSES", "Status", "Verdict", "finding", "judge"]

#: The name of the expectation side of a divergence: the case's own payload and verdict.
INPUT = "input"

Status = Literal["pass", "diverge", "expected", "error", "skipped"]
STATUSES: tuple[Status, ...] = ("pass", "diverge", "expected", "error", "skipped")


@frozen
class Verdict:
    """One target's verdict on one case: status, outcome and judged divergences.

    ``group`` lists the targets whose outcome is identical to this one (itself
    included); the other targets of the case disagree with it. A divergence's
    diverging side may name more targets than ``group``: every target of the
    case that has the same divergence, whatever else it wrote.
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
    lenient: Mapping[str, frozenset[str]] | None = None,
) -> list[Verdict]:
    """The verdict of every target on one case, in the order of ``outcomes``.

    ``lenient`` maps a target to the directions in which its reader does not validate.
    """
    unchecked = {n for n, directions in (lenient or {}).items() if case.direction in directions}
    ran = [
        (name, (o, _view(case, o, (conventions or {}).get(name)))) for name, o in outcomes if o.ran
    ]
    # Exact JSON text is equal exactly when outputs are the same (tokens, key order), and
    # costs one compact copy, where a canonical tuple tree would cost several.
    classes = group_agreeing(ran, _agree_seen)
    verdicts: dict[str, tuple[tuple[str, ...], list[Divergence]]] = {}
    for names, (outcome, view) in classes:
        found = _expectation(case, names, outcome, schema, unchecked, view)
        for name in names:
            verdicts[name] = (names, found)
    input_text: str | None = None
    out = []
    for name, outcome in outcomes:
        if not outcome.ran:
            out.append(Verdict(name, "error" if outcome.state == "error" else "skipped", outcome))
            continue
        if baseline is not None:
            baseline.observe(case.id, name)
        names, found = verdicts[name]
        if name in unchecked:
            # A reader that does not validate accepts an invalid payload by design: its
            # class's `accept` divergence names only the checked targets. Rejecting a
            # valid payload (or failing to write it back) names it, and stands.
            found = [d for d in found if d.kind != "accept" or name in d.right.targets]
        if case.valid and outcome.accepted and outcome.written and outcome.text is not None:
            if input_text is None:
                given = case.wire_text
                input_text = given if given is not None else jsonwire.dumps(case.wire)
            found = found + text_divergences(input_text, outcome.text, (INPUT,), (name,))
        convention = (conventions or {}).get(name)
        if schema is not None and convention and outcome.accepted:
            found = found + naming_divergences(
                schema,
                case.model,
                outcome.native,
                get_convention(convention),
                name,
                case.wire,
                outcome.undeclared,
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
    return _shared(out, [name for name, _ in outcomes])


def finding(divergence: Divergence) -> Hashable:
    """What diverged, where, and against which expectation, without who diverged.

    Two divergences with the same finding are the same behaviour: same path and
    kind, the same expectation side, and the same value on the diverging side.
    Values compare as JSON values (``9007199254740992`` and
    ``9007199254740992.0`` are the same rounding), except where the way a value
    is written is the finding itself (``number-format``, ``datetime-format``).
    """
    exact = divergence.kind in ("number-format", "datetime-format")
    left, right = divergence.left, divergence.right
    return (
        divergence.path,
        divergence.kind,
        left.targets,
        _side_value(left, exact),
        _side_value(right, exact),
    )


def _side_value(side: Side, exact: bool) -> Hashable:
    if not side.present:
        return ("absent",)
    return jsonwire.canonical(side.value) if exact else _by_value(side.value)


def _by_value(value: object) -> Hashable:
    """A hashable form of a JSON value equal exactly when the values are (numbers by value)."""
    if isinstance(value, dict):
        return ("{", tuple(sorted((k, _by_value(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("[", tuple(_by_value(v) for v in value))
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float | Decimal):
        return ("number", value)  # equal numbers hash equal, whatever their type
    return ("string", value)


def _shared(verdicts: list[Verdict], order: list[str]) -> list[Verdict]:
    """The verdicts, each divergence naming every target that has it (see the module doc)."""
    sides = {d.right.targets for v in verdicts for d in v.divergences}
    if len(sides) <= 1:
        return verdicts  # one diverging side (or none): no divergence is anyone else's
    keys = [[(finding(d), d.severity) for d in v.divergences] for v in verdicts]
    holders: dict[Hashable, set[str]] = {}
    for verdict, found in zip(verdicts, keys, strict=True):
        for each, key in zip(verdict.divergences, found, strict=True):
            holders.setdefault(key, set()).update(each.right.targets)
    rank = {name: index for index, name in enumerate(order)}
    out = []
    for verdict, found in zip(verdicts, keys, strict=True):
        divergences, widened = [], False
        for each, key in zip(verdict.divergences, found, strict=True):
            names = holders[key]
            if len(names) > len(each.right.targets):
                targets = tuple(sorted(names, key=lambda n: rank.get(n, len(rank))))
                each, widened = evolve(each, right=evolve(each.right, targets=targets)), True
            divergences.append(each)
        out.append(evolve(verdict, divergences=tuple(divergences)) if widened else verdict)
    return out


#: An outcome and the native view it is judged on (None: it is judged on its written wire,
#: or, written nothing, on acceptance only).
_Seen = tuple[Outcome, JsonValue | None]


def _view(case: Case, outcome: Outcome, convention: str | None) -> JsonValue | None:
    """The native view a target is judged on: that of a response it read and did not write
    back, where its convention is ``wire`` (the view stands at the input's paths). A view
    of ``null`` is none to judge (no model's payload is ``null``)."""
    if outcome.accepted and not outcome.written and convention == "wire":
        return outcome.native if case.direction == "response" else None
    return None


def _agree_seen(one: _Seen, other: _Seen) -> bool:
    """``_agree``, and the same native view where one is judged."""
    if not _agree(one[0], other[0]):
        return False
    if (one[1] is None) != (other[1] is None):
        return False
    return one[1] is None or jsonwire.same(one[1], other[1])


def _agree(one: Outcome, other: Outcome) -> bool:
    """Outcomes agree when they are exactly the same: the same written value, token for
    token and in key order (``jsonwire.same``: no text is made to compare them), or a
    rejection at the same place, or a reading with nothing written."""
    if one.accepted or other.accepted:
        if not (one.accepted and other.accepted) or one.written != other.written:
            return False
        return not one.written or jsonwire.same(one.wire, other.wire)
    return (one.state, one.error_path) == (other.state, other.error_path)


def _expectation(
    case: Case,
    names: tuple[str, ...],
    outcome: Outcome,
    schema: Schema | None = None,
    unchecked: AbstractSet[str] = frozenset(),
    view: JsonValue | None = None,
) -> list[Divergence]:
    """How one class of agreeing outcomes differs from what the case expects.

    A target that read the payload but writes nothing for it is judged on its native
    ``view`` where it has one to be judged on (``_view``), else on acceptance only; a
    rejection is placed where the rejecting SDK says the problem is. An accepted invalid
    payload also reports what of the input the output (or the view) lost.
    """
    if case.valid and outcome.accepted:
        if outcome.written:
            return diff(case.wire, outcome.wire, (INPUT,), names)
        return [] if view is None else view_divergences(case.wire, view, (INPUT,), names)
    if case.valid != outcome.accepted:
        where = outcome.error_path or ()
        # A reader that does not validate accepts by design (never on a rejection).
        checked = names if not outcome.accepted else tuple(n for n in names if n not in unchecked)
        found = (
            [accept_divergence(case.valid, (INPUT,), checked, outcome.error, where)]
            if checked
            else []
        )
        if outcome.accepted and (outcome.written or view is not None) and case.wire is not None:
            lost = (
                diff(case.wire, outcome.wire, (INPUT,), names)
                if outcome.written
                else view_divergences(case.wire, view, (INPUT,), names)
            )
            found.extend(
                d
                for d in lost
                if d.kind == "missing"
                and d.left.value is not None
                and (schema is None or _lost_data(schema, case.model, d.path, d.left.value))
            )
        return found
    return []


def _types_at(
    schema: Schema, model: str, path: tuple[PathSegment, ...]
) -> list[TypeRef | Model] | None:
    """The types the schema lets stand at ``path`` in a payload of ``model`` (``[AnyValue()]``
    below a free-form value), or None where it declares nothing: a key on the way is no
    field, map key or additional property. Union members count alike (an invalid payload
    may fit none of them). A model missing from the schema declares nothing."""
    if model not in schema:
        return None
    types: list[TypeRef | Model] = [Ref(model)]
    for segment in path:
        following: list[TypeRef | Model] = []
        for each in _concrete(schema, types):
            if isinstance(each, Model) and isinstance(segment, str):
                field = each.field_named(segment)
                if field is not None:
                    following.append(field.type)
                elif each.additional is not None and each.additional is not False:
                    following.append(each.additional)
            elif isinstance(each, ArrayOf) and isinstance(segment, int):
                following.append(each.items)
            elif isinstance(each, MapOf) and isinstance(segment, str):
                following.append(each.values)
            elif isinstance(each, AnyValue):
                return [AnyValue()]
        if not following:
            return None
        types = following
    return types


def _lost_data(schema: Schema, model: str, path: tuple[PathSegment, ...], value: object) -> bool:
    """Whether dropping ``value`` at ``path`` loses data the schema defines: the place is
    declared and the value is valid there, or it holds some valid data deeper down.

    The very value that made the payload invalid (``"x"`` where an object goes, ``1.5``
    where an integer goes) carries none: an SDK dropping it loses nothing the ``accept``
    divergence does not say already. A dropped object that held a valid sibling of the
    bad value (``cached_tokens`` beside ``audio_tokens: 1.5``) is the loss this reports.
    """
    types = _types_at(schema, model, path)
    if types is None:
        return False
    checker = Checker(schema)
    if any(checker.accepts(each, value) for each in types):
        return True
    if isinstance(value, dict):
        return any(_lost_data(schema, model, (*path, k), v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lost_data(schema, model, (*path, i), v) for i, v in enumerate(value))
    return False


def _concrete(schema: Schema, types: list[TypeRef | Model]) -> list[TypeRef | Model]:
    """``types`` with references, nullability and unions opened (each definition once)."""
    out: list[TypeRef | Model] = []
    seen: set[str] = set()
    pending = list(types)
    while pending:
        each = pending.pop()
        if isinstance(each, Ref):
            if each.name not in seen and each.name in schema:
                seen.add(each.name)
                definition = schema[each.name]
                pending.append(definition if isinstance(definition, Model) else definition.type)
        elif isinstance(each, Nullable):
            pending.append(each.inner)
        elif isinstance(each, UnionOf):
            pending.extend(each.members)
        else:
            out.append(each)
    return out
