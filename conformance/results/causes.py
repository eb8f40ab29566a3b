"""Causes: root-cause families grouped once more, by what one SDK (or set of SDKs) does.

A family (``results.families``) is keyed finely: the field type, the exact class of the
input value and of what the SDK made of it, and which SDKs ran the case. At scale that
splits one behaviour many ways: an SDK that reads JSON numbers as float64 shows once per
field type (number, union, any) and per value class (an integer beyond 2^53, a number
with 17 digits); an SDK that drops undeclared keys shows once where the other SDK ran
the model and agreed, and once where it was the only SDK that ran it. A cause is the
level above: one sentence about what a set of SDKs does, its families one level below.

A cause is keyed by

- the severity (a failing family never shares a cause with an expected failure) and the
  expectation the SDKs diverge from (the input, a naming convention, a target);
- the SDKs that do it: the family's diverging side (less a cross-SDK round trip ``A->B``
  that stands with its writer A or its reader B: the behaviour is that SDK's), except
  that a family whose case
  only one SDK ran (verdict ``one-sdk``) joins the cause of a larger set of SDKs that
  agree on the same behaviour wherever they all ran, unless that SDK is also seen doing
  it alone against the others (then the larger set is not one voice on it);
- the behaviour (``behaviour``): the kind of divergence and a coarse word for the
  values it shows on, from the closed vocabulary of ``value_classes`` and the probe
  labels. Only words that name one mechanism are merged: "rounds to the nearest
  float64" (whatever number class showed it), "rewrites date-times in another form,
  the same instant", "accepts a value of another JSON type" (a lenient reader's
  coercions), "accepts a date-time RFC 3339 refuses". A class the vocabulary does not
  know keeps its family's own words, so it is never merged with anything else.

Causes are computed from finding records alone, at render time: a results file (or
several shards, merged by family) re-renders into the same causes, and the records need
no new field. Counts summed over families are upper bounds (a case diverging at two
paths of one cause is in two of its families), and say so (``exact``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from attrs import frozen

from conformance.results.records import FindingExample, FindingRecord
from conformance.results.verdicts import VERDICTS

__all__ = ["Cause", "behaviour", "group_causes"]

#: What joins a cross target's writer and reader: ``A->B`` (``targets.cross``).
_CROSS = "->"
#: Field types a cause's sentence names; past this many it counts them.
_TYPES_NAMED = 4


@frozen
class Cause:
    """One behaviour of one set of SDKs, over its families (most cases first).

    ``cases``, ``models`` and ``paths`` add up the families' counts; where a cause holds
    several families, a case, model or path may count in more than one, so ``exact`` is
    false and the numbers are upper bounds. ``models`` is the exact union where every
    family lists its models (``models_exact``). ``contexts`` says where the others stood:
    a verdict phrase and its cases.
    """

    id: str
    sentence: str
    severity: str
    subject: tuple[str, ...]
    expectation: tuple[str, ...]
    behaviour: str
    field_types: tuple[str, ...]
    cases: int
    models: int
    paths: int
    exact: bool
    models_exact: bool
    contexts: tuple[tuple[str, int], ...]
    example: FindingExample
    families: tuple[FindingRecord, ...]

    @property
    def family_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.families)


_CauseKey = tuple[str, tuple[str, ...], tuple[str, ...], str]


def group_causes(findings: Iterable[FindingRecord]) -> list[Cause]:
    """The causes of merged finding records: failing ones first, then most cases."""
    families = list(findings)
    behaviours = {f.id: behaviour(f) for f in families}
    agreeing: dict[tuple[str, tuple[str, ...], str], set[tuple[str, ...]]] = {}
    alone: set[tuple[str, tuple[str, ...], tuple[str, ...], str]] = set()
    voices = {f.id: _voices(f.diverging) for f in families}
    for f in families:
        key = (f.severity, f.expectation, behaviours[f.id][0])
        if f.verdict == "sdks-agree-reference-differs" and len(voices[f.id]) > 1:
            agreeing.setdefault(key, set()).add(voices[f.id])
        if f.verdict in ("odd-sdk", "sdks-split"):
            alone.add((f.severity, f.expectation, voices[f.id], behaviours[f.id][0]))
    grouped: dict[_CauseKey, list[FindingRecord]] = {}
    for f in families:
        word = behaviours[f.id][0]
        subject = voices[f.id]
        if f.verdict == "one-sdk" and (f.severity, f.expectation, subject, word) not in alone:
            wider = [
                s
                for s in agreeing.get((f.severity, f.expectation, word), ())
                if set(subject) < set(s)
            ]
            if wider:  # the widest set, then by name, so shards and runs agree
                subject = min(wider, key=lambda s: (-len(s), s))
        grouped.setdefault((f.severity, f.expectation, subject, word), []).append(f)
    causes = [_cause(key, members, behaviours) for key, members in grouped.items()]
    return sorted(causes, key=lambda c: (c.severity != "fail", -c.cases, c.id))


def _voices(diverging: tuple[str, ...]) -> tuple[str, ...]:
    """The diverging targets less each cross-SDK round trip ``A->B`` (``targets.cross``) whose
    writer A is among them (B kept what A wrote: A's behaviour) or whose reader B is (B
    does to what A wrote what it does to the input: B's behaviour)."""
    return tuple(
        name
        for name in diverging
        if not (_CROSS in name and set(name.split(_CROSS, 1)) & set(diverging))
    )


def _cause(
    key: _CauseKey, members: list[FindingRecord], behaviours: dict[str, tuple[str, str]]
) -> Cause:
    severity, expectation, subject, word = key
    members.sort(key=lambda f: (-f.cases, f.id))
    phrase = behaviours[members[0].id][1]
    types = Counter[str]()
    contexts = Counter[str]()
    for f in members:
        if f.field_type not in ("", "unknown"):
            types[f.field_type] += f.cases
        context = VERDICTS.get(f.verdict, "").format(odd=f.odd)
        if context:
            contexts[context] += f.cases
    field_types = tuple(t for t, _ in sorted(types.items(), key=lambda t: (-t[1], t[0])))
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:10]
    return Cause(
        id=f"C{digest}",
        sentence=_sentence(subject, phrase, expectation, field_types),
        severity=severity,
        subject=subject,
        expectation=expectation,
        behaviour=word,
        field_types=field_types,
        cases=sum(f.cases for f in members),
        models=_models(members),
        models_exact=all(len(f.model_names) == f.models for f in members),
        paths=sum(len(f.paths) + f.more_paths for f in members),
        exact=len(members) == 1,
        contexts=tuple(sorted(contexts.items(), key=lambda c: (-c[1], c[0]))),
        example=members[0].example,
        families=tuple(members),
    )


def _models(members: Sequence[FindingRecord]) -> int:
    """The models of a cause: exact where every family lists them, else the sum (a bound)."""
    if all(len(f.model_names) == f.models for f in members):
        return len({name for f in members for name in f.model_names})
    return sum(f.models for f in members)


def _sentence(
    subject: tuple[str, ...], phrase: str, expectation: tuple[str, ...], types: tuple[str, ...]
) -> str:
    verb = phrase.format(s="" if len(subject) > 1 else "s")
    text = f"{_join(subject)} {verb}"
    shown = [e for e in expectation if e != "input" and not e.endswith(" convention")]
    if shown:
        text += f" (against {_join(shown)})"
    if types and len(types) <= _TYPES_NAMED:
        text += f", in {_join(types)} fields"
    elif types:
        text += f", in {len(types)} types of field"
    return text


def _join(names: Iterable[str]) -> str:
    listed = list(names)
    if len(listed) <= 2:
        return " and ".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def behaviour(family: FindingRecord) -> tuple[str, str]:
    """A family's behaviour: a key shared by the families of one mechanism, and the
    phrase that says it (``{s}`` is the verb's ending for one SDK)."""
    kind, given, made = family.kind, family.input_class, family.output_class
    if kind == "accept":
        if made == "accepted":
            word = _refused(given)
            return f"accept:{word}", f"accept{{s}} {word}"
        word = _allowed(given)
        return f"reject:{word}", f"reject{{s}} {word}"
    if kind == "missing":
        return f"missing:{given}", f"drop{{s}} {_MISSING.get(given, given)}"
    if kind == "extra":
        if made == "the field's default":
            return "extra:default", "write{s} the field's default where the input has none"
        if given == _UNDECLARED:
            return "extra:undeclared", f"write{{s}} {_UNDECLARED} where the input has none"
        return "extra:value", "write{s} a value where the input has none (not the field's default)"
    if kind in ("value", "type"):
        if made == "the nearest float64":
            return "value:float64", "round{s} numbers to the nearest float64"
        if given == _UNDECLARED:
            return "value:undeclared", f"change{{s}} the value of {_UNDECLARED}"
        if given == "null":  # whatever it wrote instead: a field's default, an empty string
            return "value:null", "turn{s} null into a value"
        if given.startswith("date-time") and made.startswith("date-time"):
            return "value:date-time", "write{s} date-times as another instant"
    if kind == "datetime-format":
        return "format:date-time", "rewrite{s} date-times in another form (the same instant)"
    if kind == "number-format":
        return "format:number", "write{s} numbers in another form (the same number)"
    if kind == "text":
        return "format:text", "write{s} strings as other text (the same string)"
    if kind == "duplicate-key":
        return "duplicate-key", "write{s} a key more than once in one object"
    if kind == "naming" and made == "undeclared":
        # A field the SDK's model lacks (it keeps the key as an unknown one): no misnaming.
        return "naming:undeclared", (
            "keep{s} fields the spec declares as unknown keys (the SDK's model does not"
            " declare them)"
        )
    if kind == "naming":
        wanted = _join(family.expectation)
        return "naming", f"give{{s}} fields names other than the {wanted} gives them"
    # Words the vocabulary does not know stay the family's own: never merged with another
    # (the field type is in the key; the cause's sentence names it).
    into = f"another {made}" if made == given else made
    return f"{kind}:{given}:{made}:{family.field_type}", f"turn{{s}} {given} into {into}"


_UNDECLARED = "a key the schema does not declare"
_MISSING = {
    _UNDECLARED: "keys the schema does not declare",
    "an additional property (a key of a map or extras bucket)": (
        "additional properties (keys of a map or extras bucket)"
    ),
}

# What an SDK accepted that the spec refuses, by mechanism. Each entry is (words any of
# which the input class holds, the cause's words); the first match wins, so the narrower
# entries come first ("boolean true where an integer goes" is a coercion, not a number
# out of range). The classes are ``value_classes``' mutation classes and probe labels.
_REFUSED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("null",), "null where the type is not nullable"),
    (("attribute name",), "a field's attribute name as its key"),
    (
        ("unknown key", "letter case", "camelcase name", "__proto__", "extra key in a map"),
        "a key the spec does not allow",
    ),
    (("required",), "a payload without a required key"),
    (("discriminator",), "a payload with a wrong or missing discriminator"),
    (("union member", "union members"), "a value that does not fit exactly one union member"),
    (("enum", "constant"), "a value outside a closed enum or constant"),
    (("nan token", "infinity token"), "a NaN or Infinity token"),
    (
        (
            "boolean true where",
            "boolean word",
            "numeric string",
            "decimal string",
            "where a boolean goes",
            "where a number goes",
            "where a string goes",
            "where an object goes",
            "where an array goes",
            "where a map goes",
            "of the wrong type",
            "as the wrong json type",
        ),
        "a value of another JSON type",
    ),
    (
        (
            "where an integer goes",
            "beyond",
            "integer 2^",
            "1e+21",
            "1e400",
            "-0",
            "significant digits",
        ),
        "a number outside the field's kind or range",
    ),
    (
        ("date", "epoch", "february 30", "leap second", "hour 24"),
        "a date-time or date RFC 3339 refuses",
    ),
)

# What an SDK rejected that the spec allows, by the value's class (first match wins).
_ALLOWED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("null",), "null where the spec allows it"),
    (
        ("absent", "without an optional", "without a key", "without a constant"),
        "a payload without an optional key",
    ),
    (("date", "leap second", "february"), "a valid date-time or date"),
    (("object", "array"), "a valid object or array"),
    (("integer", "number", "2^", "1e400", "1e+21", "-0"), "a valid number"),
    (
        ("string", "word", "non-ascii", "character", "u+2028", "surrogate"),
        "a valid string",
    ),
    (("boolean",), "a valid boolean"),
)


def _refused(given: str) -> str:
    return _first(_REFUSED, given)


def _allowed(given: str) -> str:
    return _first(_ALLOWED, given)


def _first(table: tuple[tuple[tuple[str, ...], str], ...], given: str) -> str:
    """The cause words of the first entry that ``given`` holds one of the words of (whole
    words: "null" is not in "nullable", "string" not in "toString"), else ``given``."""
    lowered = given.lower()
    for words, cause in table:
        if any(_holds(lowered, w) for w in words):
            return cause
    return given


def _holds(text: str, word: str) -> bool:
    before = r"(?<!\w)" if word[0].isalnum() else ""
    after = r"(?!\w)" if word[-1].isalnum() else ""
    return re.search(f"{before}{re.escape(word)}{after}", text) is not None
