"""Causes: root-cause families grouped by what one SDK (or set of SDKs) does. The SDKs are
fakes with planted behaviours (``tests.fakes.FakeTarget``) run through the real runner and
family collector; causes are computed from the finding records it writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.results.causes import behaviour, group_causes
from conformance.results.findings_merge import merge_findings
from conformance.results.records import FindingRecord
from conformance.results.writer import ResultsWriter
from conformance.schema import ArrayOf, Field, Model, Nullable, Primitive, Ref, Schema
from conformance.sources.cases import Case, LoadedCases
from tests.fakes import FakeTarget
from tests.family_runs import family_run

W = jsonwire.loads
SCHEMA = Schema(
    {
        "Usage": Model(
            "Usage",
            (
                Field("tokens", Primitive("integer")),
                Field("cost", Primitive("number")),
                Field("parts", ArrayOf(Ref("Part"))),
            ),
        ),
        "Part": Model("Part", (Field("size", Primitive("integer")),)),
        "Bill": Model(
            "Bill",
            (
                Field("total", Primitive("integer")),
                Field("note", Nullable(Primitive("string"))),
            ),
        ),
    }
)
KINDS = {"ref-py": "reference", "sdk-py": "python-sdk", "sdk-node": "node-sdk"}
BIG = 2**53 + 1
SEVENTEEN = "9007199254740993.5"


def _floats(value: Any) -> Any:
    """What reading JSON numbers as float64 does to a value (integers stay integers)."""
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    rounded = float(value)
    return int(rounded) if type(value) is int else W(repr(rounded))


def _rounds(case: Case) -> Outcome:
    wire = _floats(case.wire)
    return Outcome("accepted", wire=wire, native=wire)


def _drops_unknown(case: Case) -> Outcome:
    """Drops the top-level keys its model does not declare."""
    assert isinstance(case.wire, dict)
    model = SCHEMA.definitions[case.model]
    assert isinstance(model, Model)
    wire = {k: v for k, v in case.wire.items() if k in {f.wire_name for f in model.fields}}
    return Outcome("accepted", wire=wire, native=wire)


def _skips(model: str, behave: Callable[[Case], Outcome]) -> Callable[[Case], Outcome]:
    """``behave``, but ``model`` is not in this SDK (as where an SDK lacks a direction)."""

    def run(case: Case) -> Outcome:
        if case.model == model:
            return Outcome("skipped", error=f"no model {model}")
        return behave(case)

    return run


def _findings(
    tmp_path: Path, cases: list[Case], **behaviours: Callable[[Case], Outcome] | None
) -> list[FindingRecord]:
    named = {name.replace("_", "-"): behave for name, behave in behaviours.items()}
    targets = [FakeTarget(name, named.get(name)) for name in ("ref-py", *named)]
    with ResultsWriter(tmp_path / "r.ndjson") as writer:
        summary = execute(
            LoadedCases(tuple(cases), (), ("cases.json",)),
            targets,
            Policy(),
            writer,
            schema=SCHEMA,
            kinds=KINDS,
        )
    return list(summary.findings)


def test_one_cause_over_paths_models_field_types_and_value_classes_is_one_cause(
    tmp_path: Path,
) -> None:
    """Reading numbers as float64 shows as several families (integer and number fields, an
    integer beyond 2^53 and a 17-digit number, two models); they make one cause."""
    cases = [
        Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}')),
        Case("b", "Usage", "response", W(f'{{"parts":[{{"size":{BIG + 2}}}]}}')),
        Case("c", "Bill", "response", W(f'{{"total":-{BIG}}}')),
        Case("d", "Usage", "response", W(f'{{"cost":{SEVENTEEN}}}')),
        Case("e", "Usage", "response", W(f'{{"cost":{BIG}}}')),
    ]
    findings = _findings(tmp_path, cases, sdk_py=None, sdk_node=_rounds)
    assert len(findings) >= 3
    (cause,) = group_causes(findings)
    assert cause.sentence == (
        "sdk-node rounds numbers to the nearest float64, in integer and number fields"
    )
    assert cause.subject == ("sdk-node",)
    assert (cause.cases, cause.models) == (5, 2)
    assert {f.id for f in cause.families} == {f.id for f in findings}


def test_two_causes_at_one_path_stay_two(tmp_path: Path) -> None:
    """At ``$.total`` one SDK rounds a big integer and rejects a negative one: two causes."""

    def node(case: Case) -> Outcome:
        total = case.wire.get("total") if isinstance(case.wire, dict) else None
        if isinstance(total, int) and total < 0:
            return Outcome("rejected", error="total: too small", error_path=("total",))
        return _rounds(case)

    cases = [
        Case("big", "Bill", "response", W(f'{{"total":{BIG}}}')),
        Case("negative", "Bill", "response", W('{"total":-3}')),
    ]
    causes = group_causes(_findings(tmp_path, cases, sdk_node=node))
    assert sorted(c.sentence for c in causes) == [
        "sdk-node rejects a valid number, in integer fields",
        "sdk-node rounds numbers to the nearest float64, in integer fields",
    ]


def test_an_sdk_alone_where_the_other_did_not_run_joins_what_both_do(tmp_path: Path) -> None:
    """Both SDKs drop undeclared keys where both run; where only sdk-py runs the model it
    does the same: one cause of both SDKs, saying where each family stood."""
    cases = [
        Case("u", "Usage", "response", W('{"tokens":1,"x":1}')),
        Case("b", "Bill", "response", W('{"total":1,"y":"s"}')),
    ]
    findings = _findings(
        tmp_path, cases, sdk_py=_drops_unknown, sdk_node=_skips("Bill", _drops_unknown)
    )
    assert sorted(f.verdict for f in findings) == ["one-sdk", "sdks-agree-reference-differs"]
    (cause,) = group_causes(findings)
    assert cause.sentence == "sdk-py and sdk-node drop keys the schema does not declare"
    assert dict(cause.contexts) == {
        "only sdk-py speaks here; the spec/reference differs": 1,
        "the SDKs agree; the spec/reference differs": 1,
    }


def test_an_sdk_seen_alone_against_the_other_keeps_its_own_cause(tmp_path: Path) -> None:
    """Where sdk-node keeps numbers that sdk-py rounds, "both round them" is not one voice:
    sdk-py's family where sdk-node did not run stays with sdk-py's own cause."""

    def node(case: Case) -> Outcome:
        if case.model == "Bill":
            return Outcome("skipped", error="no model Bill")
        return _rounds(case) if case.model == "Part" else Outcome("accepted", case.wire, case.wire)

    cases = [
        Case("u", "Usage", "response", W(f'{{"cost":{BIG}}}')),  # sdk-py alone against sdk-node
        Case("b", "Bill", "response", W(f'{{"total":{BIG}}}')),  # only sdk-py runs Bill
        Case("p", "Part", "response", W(f'{{"size":{BIG}}}')),  # both round
    ]
    findings = _findings(tmp_path, cases, sdk_py=_rounds, sdk_node=node)
    assert sorted(f.verdict for f in findings) == [
        "odd-sdk",
        "one-sdk",
        "sdks-agree-reference-differs",
    ]
    causes = {c.sentence: c for c in group_causes(findings)}
    assert set(causes) == {
        "sdk-py and sdk-node round numbers to the nearest float64, in integer fields",
        "sdk-py rounds numbers to the nearest float64, in integer and number fields",
    }
    alone = causes["sdk-py rounds numbers to the nearest float64, in integer and number fields"]
    assert sorted(f.verdict for f in alone.families) == ["odd-sdk", "one-sdk"]


def test_different_behaviours_of_one_sdk_are_never_one_cause() -> None:
    """Accepting null, a coerced value and a non-RFC 3339 date-time are three mechanisms; a
    boolean where an integer goes is a coercion, not a number out of range."""
    base = _family("accept", "null where the type is not nullable", "accepted")
    classes = [
        "null where the type is not nullable",
        "null on an optional field that is not nullable",
        "boolean true where an integer goes",
        'a numeric string ("5") where a number goes',
        "fraction where an integer goes",
        "naive (no offset) date-time",
        "a date where a date-time goes",
        "a payload without a required nullable key",
    ]
    families = [evolve(base, id=f"F{n}", input_class=given) for n, given in enumerate(classes)]
    by_sentence = {
        c.sentence: sorted(f.input_class for f in c.families) for c in group_causes(families)
    }
    assert by_sentence == {
        "sdk-py accepts null where the type is not nullable": sorted(classes[:2]),
        "sdk-py accepts a value of another JSON type": sorted(classes[2:4]),
        "sdk-py accepts a number outside the field's kind or range": [classes[4]],
        "sdk-py accepts a date-time or date RFC 3339 refuses": sorted(classes[5:7]),
        "sdk-py accepts a payload without a required key": [classes[7]],
    }


def test_a_cause_holds_families_of_one_behaviour_and_subject_only(tmp_path: Path) -> None:
    """Over a run of several planted behaviours, the causes split the families: each family
    is in one cause, of its behaviour, whose SDKs include the family's diverging side."""

    def node(case: Case) -> Outcome:
        if case.model == "Bill":
            return Outcome("skipped", error="no model Bill")
        return _rounds(case)

    def python(case: Case) -> Outcome:
        if isinstance(case.wire, dict) and case.wire.get("note", "") is None:
            wire = {k: v for k, v in case.wire.items() if k != "note"}
            return Outcome("accepted", wire=wire, native=wire)
        return _drops_unknown(case)

    cases = [
        Case("a", "Usage", "response", W(f'{{"tokens":{BIG},"x":1}}')),
        Case("b", "Bill", "response", W('{"total":1,"note":null,"y":2}')),
        Case("c", "Usage", "response", W(f'{{"cost":{SEVENTEEN}}}')),
        Case("d", "Bill", "response", W(f'{{"total":{BIG}}}')),
    ]
    findings = _findings(tmp_path, cases, sdk_py=python, sdk_node=node)
    causes = group_causes(findings)
    held = [f.id for c in causes for f in c.families]
    assert sorted(held) == sorted(f.id for f in findings)
    for cause in causes:
        assert {behaviour(f)[0] for f in cause.families} == {cause.behaviour}
        assert all(set(f.diverging) <= set(cause.subject) for f in cause.families)
    assert len({c.sentence for c in causes}) == len(causes)


def test_a_round_trip_beside_its_writer_or_reader_is_that_sdks_cause() -> None:
    """``sdk-py->sdk-node`` beside sdk-py shows that sdk-node kept what sdk-py wrote, and
    ``sdk-node->sdk-py`` beside sdk-py that sdk-py did the same to what sdk-node wrote:
    both are sdk-py's cause; a round trip diverging alone (sdk-node changed what sdk-py
    wrote) is a cause of its own."""
    rounds = _family("value", "integer beyond 2^53", "the nearest float64")
    kept = evolve(rounds, id="F2", diverging=("sdk-py", "sdk-py->sdk-node"), field_type="union")
    between = evolve(
        rounds,
        id="F3",
        diverging=("sdk-py->sdk-node",),
        odd="sdk-py->sdk-node",
        verdict="between-sdks",
        input_class="null",
        output_class="number",
    )
    reread = evolve(rounds, id="F4", diverging=("sdk-py", "sdk-node->sdk-py"), field_type="any")
    families = [rounds, kept, between, reread]
    causes = {c.sentence: sorted(f.id for f in c.families) for c in group_causes(families)}
    assert causes == {
        "sdk-py rounds numbers to the nearest float64, in any and union fields": ["F1", "F2", "F4"],
        "sdk-py->sdk-node turns null into a value": ["F3"],
    }


def test_shards_make_the_causes_of_the_whole_run(tmp_path: Path) -> None:
    """Causes of two shards' merged findings are the causes of one run over all the cases."""
    cases = [
        Case("a", "Usage", "response", W(f'{{"tokens":{BIG}}}')),
        Case("d", "Usage", "response", W(f'{{"cost":{SEVENTEEN}}}')),
        Case("c", "Bill", "response", W(f'{{"total":{BIG}}}')),
    ]
    whole = group_causes(_findings(tmp_path / "w", cases, sdk_py=None, sdk_node=_rounds))
    first = _findings(tmp_path / "1", cases[:1], sdk_py=None, sdk_node=_rounds)
    second = _findings(tmp_path / "2", cases[1:], sdk_py=None, sdk_node=_rounds)
    merged = group_causes(merge_findings([*first, *second]))
    assert [(c.id, c.sentence, c.cases) for c in merged] == [
        (c.id, c.sentence, c.cases) for c in whole
    ]


def test_counts_of_one_family_are_exact_and_of_several_are_bounds() -> None:
    """A cause of one family has its counts; of several, their sums, marked as bounds."""
    one = _family("value", "integer beyond 2^53", "the nearest float64")
    (single,) = group_causes([one])
    assert single.exact
    assert (single.cases, single.models) == (one.cases, one.models)
    two = evolve(one, id="F2", field_type="union", input_class="number with 16+ significant digits")
    (both,) = group_causes([one, two])
    assert not both.exact
    assert both.cases == one.cases + two.cases


def _family(kind: str, given: str, made: str) -> FindingRecord:
    """A finding record of sdk-py alone against the other SDKs, of the given classes."""
    first = next(r for r in family_run() if isinstance(r, FindingRecord))
    return evolve(
        first,
        id="F1",
        diverging=("sdk-py",),
        odd="sdk-py",
        verdict="odd-sdk",
        kind=kind,
        input_class=given,
        output_class=made,
        field_type="",
    )


def test_a_cause_of_a_value_turned_into_another_of_its_class_says_another() -> None:
    """``string`` into ``string`` (a const written as another) reads as another string."""
    _, phrase = behaviour(_family("value", "string", "string"))
    assert phrase == "turn{s} string into another string"
