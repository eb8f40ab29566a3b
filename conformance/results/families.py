"""Root-cause families: a run's divergences, grouped by what caused them.

Path groups list one row per path, so one behaviour (an SDK rounding integers beyond
2^53) shows as hundreds of rows, once per field and model; and one path can hold
several causes. A family is keyed by what the behaviour is made of:

- the divergence ``kind`` and severity;
- the targets on each side (the diverging SDKs, and the input or convention they
  diverge from); the summary's verdict of most of the family's cases (the SDKs agree
  against the reference, one SDK alone, ...) is kept beside it, not in the key;
- the class of the input value at the path (``value_classes``: an integer beyond
  2^53, a date-time with an offset, ``null``, a missing key; for an invalid generated
  case, the change that made it invalid) and of what the diverging side made of it;
- the schema type of the field there (an ``integer`` field, a ``string (date-time)``),
  where the behaviour depends on it (values and acceptance).

Keys the schema does not declare are one class whatever their name or value: an SDK
that drops unknown keys drops them all. A field the schema declares that an SDK's model
does not (it keeps the key as an unknown one: ``naming_check``) is one class too, apart
from misnamings. Each family keeps counts (cases, models), up
to ``PATHS`` path patterns and its smallest case as the example, so the collector's
memory grows with the number of families, not of cases. Only divergences that fail
the run or are expected failures make families; notes (key order) do not.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs
from attrs import define, field

from conformance.comparison.judge import finding
from conformance.comparison.naming_check import undeclared_key
from conformance.comparison.text import text_form
from conformance.core import jsonwire
from conformance.core.conventions import style_label
from conformance.core.divergence import Divergence, parse_path_text, path_pattern, path_text
from conformance.core.formats import value_key
from conformance.results.records import (
    FINDING_MODELS,
    FINDING_PATHS,
    CaseRecord,
    FindingExample,
    FindingRecord,
    ResultRecord,
)
from conformance.results.value_classes import (
    change_class,
    coarse_class,
    field_info,
    mutation_class,
    mutation_path,
    probe_label,
    value_at,
    value_class,
)
from conformance.results.verdicts import VERDICTS, agreeing_sdks, verdict_of
from conformance.schema import Schema

__all__ = ["PATHS", "FamilyCollector", "FamilyKey", "family_classes", "names_from", "sentence"]

#: The input and output classes of a field the schema declares and the SDK's model does not.
_DECLARED_FIELD = "a field the schema declares"
_UNDECLARED_FIELD = "undeclared"

#: Path patterns a family lists; the rest are counted.
PATHS = FINDING_PATHS
_KEPT = ("fail", "expected")

FamilyKey = tuple[str, str, tuple[str, ...], tuple[str, ...], str, str, str]
#: (target, model, direction) -> the target's own name of the model in that direction.
Names = Callable[[str, str, str], str]


@define
class _Family:
    cases: int = 0
    models: set[str] = field(factory=set)
    paths: dict[str, None] = field(factory=dict)
    more_paths: int = 0
    example: FindingExample | None = None
    size: int = 0
    last_case: str = ""
    verdicts: Counter[tuple[str, str]] = field(factory=Counter)


@define
class FamilyCollector:
    """Adds up one case at a time; ``records`` gives the families, largest first.

    ``names(target, model, direction)`` is a target's own name of a model (an SDK's class), for
    the example's reproducers; ``kinds`` each target's kind, for the verdicts.
    """

    schema: Schema | None
    kinds: Mapping[str, str]
    names: Names = lambda _target, model, _direction: model
    families: dict[FamilyKey, _Family] = field(factory=dict)

    def add(self, case: CaseRecord, results: Sequence[ResultRecord]) -> None:
        """Count the failing and expected divergences of one case's results."""
        seen: set[tuple[object, tuple[str, ...]]] = set()
        for result in results:
            for divergence in result.divergences:
                if divergence.severity not in _KEPT:
                    continue
                once = (finding(divergence), divergence.right.targets)
                if once in seen:
                    continue  # every target on the diverging side lists it
                seen.add(once)
                self._count(case, results, divergence)

    def _count(
        self, case: CaseRecord, results: Sequence[ResultRecord], divergence: Divergence
    ) -> None:
        verdict = verdict_of(divergence, results, self.kinds)
        given_class, made, type_ = family_classes(self.schema, case, divergence)
        key: FamilyKey = (
            divergence.kind,
            divergence.severity,
            tuple(divergence.right.targets),
            tuple(divergence.left.targets),
            given_class,
            made,
            type_,
        )
        family = self.families.setdefault(key, _Family())
        family.verdicts[verdict] += 1
        if family.last_case != case.id:
            family.cases += 1
            family.last_case = case.id
        family.models.add(case.model)
        pattern = path_pattern(divergence.path)
        if pattern not in family.paths:
            if len(family.paths) < PATHS:
                family.paths[pattern] = None
            else:
                family.more_paths += 1
        size = len(jsonwire.dumps(case.wire))
        if family.example is None or size < family.size:
            family.size = size
            family.example = self._example(case, results, divergence)

    def _example(
        self, case: CaseRecord, results: Sequence[ResultRecord], divergence: Divergence
    ) -> FindingExample:
        names = {r.target: self.names(r.target, case.model, case.direction) for r in results}
        # The SDKs that agree with the expectation stand beside it, so each gets a reproducer.
        agreeing = agreeing_sdks(divergence, results, self.kinds)
        expected = attrs.evolve(divergence.left, targets=(*divergence.left.targets, *agreeing))
        return FindingExample(
            case.id,
            case.model,
            case.direction,
            path_text(divergence.path),
            case.wire,
            expected,
            divergence.right,
            case.valid,
            divergence.detail,
            names,
            case.wire_text,
        )

    def records(self) -> list[FindingRecord]:
        """One record per family, most cases first (then by id, so the order is stable)."""
        out = [_record(key, family) for key, family in self.families.items() if family.example]
        return sorted(out, key=lambda r: (-r.cases, r.id))


def family_classes(
    schema: Schema | None, case: CaseRecord, divergence: Divergence
) -> tuple[str, str, str]:
    """The family's input class, output class and field type of one divergence.

    The field type is kept where the behaviour depends on it (values, types, acceptance);
    a rejection or acceptance of an invalid case is classed at the place the case was
    changed, which is where the cause is.
    """
    kind, got = divergence.kind, divergence.right
    path = divergence.path
    if kind == "accept" and not case.valid:
        probed = parse_path_text(case.probe_path) if case.probe else None
        path = probed or mutation_path(case.description) or path
    info = field_info(schema, case.model, path)
    given, present = value_at(case.wire, path)
    if kind == "duplicate-key":  # the key is the matter, not what it holds
        return "a key written once", "a key written more than once", ""
    if kind == "naming" and undeclared_key(got.value) is not None:
        # Not a name the SDK gave: its model lacks the field and keeps the key as it came.
        return _DECLARED_FIELD, _UNDECLARED_FIELD, ""
    if kind == "naming":
        return (
            f"{style_label(str(divergence.left.value))} name",
            f"{style_label(str(got.value))} name",
            "",
        )
    if not info.declared and kind in ("missing", "extra", "value", "type"):
        return "a key the schema does not declare", value_class(got.value, got.present), ""
    type_ = _base(info.type)
    if kind == "accept" and case.probe:
        if case.valid and divergence.path and not present:
            # The SDK refused a valid probe naming a key the payload lacks ("file_name:
            # Required"): that key is the cause, whatever the probe changed to lose it.
            return "absent", str(got.value), type_
        # A probe says what it sent: the class is the cause, at the place it changed.
        return probe_label(case.probe), str(got.value), "" if not case.valid else type_
    if kind == "accept":
        if not case.valid:
            # The change that made the case invalid is the cause, whatever the field's type;
            # a hand-written invalid case does not say which change it made.
            changed = mutation_path(case.description) is not None
            what = coarse_class(given, present) if changed else "a payload the schema refuses"
            return mutation_class(case.description, what), str(got.value), ""
        return coarse_class(given, present), str(got.value), type_
    if kind == "missing":
        if info.additional:
            return "an additional property (a key of a map or extras bucket)", "absent", ""
        if info.type == "unknown":
            return coarse_class(given, present), "absent", ""  # no schema says what the key is
        return ("null" if given is None else "a declared field's value"), "absent", ""
    if kind == "extra":
        if info.has_default and value_key(got.value) == value_key(info.default):
            return "absent", "the field's default", ""
        return "absent", coarse_class(got.value, got.present), type_
    if kind in ("value", "type"):
        made = change_class(given, present, got.value, got.present)
        return coarse_class(given, present), made, type_
    if kind == "text":  # how each side writes the string (escapes, raw UTF-8), not the string
        return text_form(str(divergence.left.value)), text_form(str(got.value)), ""
    if kind.endswith("-format"):
        return coarse_class(given, present), value_class(got.value, got.present), ""
    return coarse_class(given, present), coarse_class(got.value, got.present), type_


def _base(type_: str) -> str:
    """A field type without what the families need not split on: nullability, and the
    format of a number (``integer (int64)``); a string's format stays (``date-time``)."""
    type_ = type_.removeprefix("nullable ")
    if type_.startswith(("integer (", "number (")):
        return type_.split(" (")[0]
    return type_


def _record(key: FamilyKey, family: _Family) -> FindingRecord:
    kind, severity, diverging, expectation, given, made, type_ = key
    assert family.example is not None
    # The most common verdict; ties broken by name, so merged shards agree.
    (verdict, odd), _ = min(family.verdicts.items(), key=lambda v: (-v[1], v[0]))
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:10]
    return FindingRecord(
        id=f"F{digest}",
        sentence=sentence(key, verdict, odd),
        kind=kind,
        severity=severity,
        verdict=verdict,
        odd=odd,
        diverging=diverging,
        expectation=expectation,
        input_class=given,
        output_class=made,
        field_type=type_,
        cases=family.cases,
        models=len(family.models),
        paths=tuple(sorted(family.paths)),
        more_paths=family.more_paths,
        example=family.example,
        model_names=tuple(sorted(family.models)) if len(family.models) <= FINDING_MODELS else (),
    )


def _into(given: str, made: str) -> str:
    """What a value was turned into: ``another string`` where both are of one class (a
    const's ``"audio_url"`` written as ``"UNKNOWN"``), else the output's class."""
    return f"another {made}" if made == given else made


def sentence(key: FamilyKey, verdict: str = "", odd: str = "") -> str:
    """A family in one sentence: who does what to which values, and where the others stand."""
    kind, _, diverging, expectation, given, made, type_ = key
    who = _join(diverging)
    plural = len(diverging) > 1
    s = "" if plural else "s"
    where = f"in {type_} fields" if type_ not in ("", "unknown") else ""
    into = _into(given, made)
    phrases = {
        "value": f"turn{s} {given} into {into} {where}",
        "type": f"turn{s} {given} into {into} {where}",
        "missing": f"drop{s} {given}",
        "extra": f"write{s} {made} where the input has none {where}",
        "accept": f"{'accept' if made == 'accepted' else 'reject'}{s} {given} {where}",
        "datetime-format": f"write{s} {given} as {made}",
        "number-format": f"write{s} {given} as {made}",
        "text": f"write{s} {given} as {made}",
        "duplicate-key": f"write{s} a key more than once in one object {where}",
        "naming": f"give{s} fields {_a(made)} where the {_join(expectation)} has {_a(given)}",
    }
    if kind == "naming" and made == _UNDECLARED_FIELD:
        does = "do" if plural else "does"
        phrases["naming"] = (
            f"{does} not declare fields the spec declares (keep{s} their keys as unknown ones)"
        )
    phrase = phrases.get(kind, f"{kind}: {given} -> {made} {where}")
    text = " ".join(f"{who} {phrase}".split())
    context = VERDICTS.get(verdict, "").format(odd=odd)
    shown = [e for e in expectation if e != "input"]
    against = f" (against {_join(shown)})" if kind != "naming" and shown else ""
    return f"{text}{against}; {context}" if context else f"{text}{against}"


def _a(phrase: str) -> str:
    """The phrase with its indefinite article (``an upper name``, ``a snake name``)."""
    return f"{'an' if phrase[:1] in 'aeiou' else 'a'} {phrase}"


def _join(names: Iterable[str]) -> str:
    listed = list(names)
    if len(listed) <= 2:
        return " and ".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def names_from(tables: Mapping[str, Mapping[str, str]]) -> Names:
    """``names`` from each target's table of schema model -> its own model name (an entry
    ``Model@direction`` names it for that direction only)."""

    def names(target: str, model: str, direction: str) -> str:
        table = tables.get(target, {})
        return table.get(f"{model}@{direction}") or table.get(model, model)

    return names
