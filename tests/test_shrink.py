"""Shrinking a diverging case to a minimal one, against in-process fake targets.

The planted divergences sit deep in a large tree (364 nodes, 6 levels): a fake
that rounds integers beyond 2**53 through a double, one that drops a key five
levels down, one that accepts what the schema forbids, and one that rounds
decimal tokens to two places.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.shrink import Shrunk, Signature, collect, run_targets, shrink, shrink_case
from conformance.oracle.models import build_models
from conformance.schema import (
    ArrayOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Primitive,
    Ref,
    Schema,
)
from conformance.sources.cases import Case
from conformance.sources.generate import generate_cases
from conformance.targets import Target
from conformance.targets.reference import ReferenceTarget
from tests.fakes import FakeTarget

SCHEMA = Schema(
    {
        "Node": Model(
            "Node",
            (
                Field("value", Primitive("integer"), required=True),
                Field("label", Primitive("string")),
                Field("weight", Primitive("number")),
                Field("children", ArrayOf(Ref("Node"))),
                Field("meta", MapOf(Primitive("string"))),
            ),
        )
    }
)
REFERENCE = ReferenceTarget("reference", build_models(SCHEMA), "python")
BIG = 2**60 + 12345
DEEP = ("children", 2, "children", 1, "children", 0, "children", 2, "children", 1)


def _tree(depth: int = 5, name: str = "n") -> dict[str, JsonValue]:
    """A node with three children per level, ``depth`` levels down, every field set."""
    node: dict[str, JsonValue] = {
        "value": len(name) * 1000 + 7,
        "label": f"label of {name}",
        "weight": Decimal("12.75"),
    }
    if depth:
        node["children"] = [_tree(depth - 1, f"{name}.{i}") for i in range(3)]
    node["meta"] = {"owner": f"owner of {name}", "team": "core"}
    return node


def _planted(value: JsonValue, key: str = "value") -> Case:
    wire: Any = _tree()
    node = wire
    for segment in DEEP:
        node = node[segment]
    node[key] = value
    return Case("big-1", "Node", "response", wire, description="seed 9: planted")


def _walk(value: JsonValue, change: Callable[[JsonValue, int], JsonValue], depth: int = 0) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, change, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, change, depth) for v in value]
    return change(value, depth)


def _through_double(case: Case) -> Outcome:
    """A JavaScript-like reader: every integer goes through an IEEE double."""

    def change(value: JsonValue, depth: int) -> JsonValue:
        return int(float(value)) if type(value) is int else value

    wire = _walk(case.wire, change)
    return Outcome("accepted", wire=wire, native=wire)


def _drops_deep_labels(case: Case) -> Outcome:
    """Loses ``label`` in objects five or more levels down."""

    def strip(value: Any, depth: int) -> Any:
        if isinstance(value, dict):
            return {
                k: strip(v, depth + 1)
                for k, v in value.items()
                if not (k == "label" and depth >= 5)
            }
        if isinstance(value, list):
            return [strip(v, depth) for v in value]
        return value

    wire = strip(case.wire, 0)
    return Outcome("accepted", wire=wire, native=wire)


def _echo(case: Case) -> Outcome:
    """Accepts anything and writes it back."""
    return Outcome("accepted", wire=case.wire, native=case.wire)


def _coerces(case: Case) -> Outcome:
    """Reads a numeric string ``value`` as an integer (as lax readers do), rejects other strings."""

    def read(value: Any) -> Any:
        if isinstance(value, list):
            return [read(v) for v in value]
        if not isinstance(value, dict):
            return value
        out = {k: read(v) for k, v in value.items()}
        if isinstance(out.get("value"), str):
            if not out["value"].isdigit():
                raise ValueError(out["value"])
            out["value"] = int(out["value"])
        return out

    try:
        wire = read(case.wire)
    except ValueError as error:
        return Outcome("rejected", error=f"not a number: {error}")
    return Outcome("accepted", wire=wire, native=wire)


def _two_places(case: Case) -> Outcome:
    """Rounds every decimal token to two places."""

    def change(value: JsonValue, depth: int) -> JsonValue:
        return value.quantize(Decimal("0.01")) if type(value) is Decimal else value

    wire = _walk(case.wire, change)
    return Outcome("accepted", wire=wire, native=wire)


def _targets(behave: Callable[[Case], Outcome]) -> list[Target]:
    return [REFERENCE, FakeTarget("fake", behave)]


def _chain(leaf: dict[str, JsonValue], levels: int = 5) -> dict[str, JsonValue]:
    node = leaf
    for _ in range(levels):
        node = {"value": 0, "children": [node]}
    return node


def _size(value: JsonValue) -> int:
    return len(jsonwire.dumps(value))


@cache
def _rounded() -> Shrunk:
    """The planted big integer, shrunk once for the tests that only read the result."""
    return shrink_case(_planted(BIG), _targets(_through_double), Policy(), SCHEMA)


def test_rounded_big_integer_shrinks_to_a_bare_chain() -> None:
    """Integers lost through a double, planted 5 levels deep, shrink to one chain of nodes."""
    shrunk = _rounded()
    leaf: Any = shrunk.case.wire
    for segment in ("children", 0) * 5:
        leaf = leaf[segment]
    assert shrunk.case.wire == _chain({"value": leaf["value"]})
    assert 2**53 < leaf["value"] < 2**54
    assert float(leaf["value"]) != leaf["value"]
    assert _size(shrunk.case.wire) < 160 < 20000 < _size(_planted(BIG).wire)
    assert shrunk.steps < 250
    assert not shrunk.exhausted


def test_the_kept_divergence_is_the_original_one() -> None:
    """The shrunk case shows the same kind, path pattern and sides as the original."""
    shrunk = _rounded()
    assert shrunk.kept == Signature(
        "value", "$" + ".children[*]" * 5 + ".value", ("input",), ("fake",)
    )


def test_dropped_deep_key_shrinks_to_an_empty_label() -> None:
    """A key lost five levels down shrinks to that key, empty, at the end of a bare chain."""
    shrunk = shrink_case(_planted("x", "label"), _targets(_drops_deep_labels), Policy(), SCHEMA)
    assert shrunk.case.wire == _chain({"value": 0, "label": ""})
    assert shrunk.kept.kind == "missing"
    assert shrunk.steps < 250


def test_shrinking_without_a_schema_keeps_the_payload_valid() -> None:
    """With no schema, the reference's accepted verdict still guards every candidate."""
    shrunk = shrink(_planted(BIG), _targets(_through_double), Policy())
    assert REFERENCE.run(shrunk).accepted
    assert _size(shrunk.wire) < 160


def test_accepted_invalid_payload_keeps_its_broken_value() -> None:
    """A numeric string a lax target reads as a number stays where it was; the rest goes."""
    case = Case("bad-1", "Node", "response", _planted("5").wire, valid=False)
    shrunk = shrink_case(case, _targets(_coerces), Policy(), SCHEMA)
    assert shrunk.case.wire == _chain({"value": "5"})
    assert shrunk.kept.kind == "accept"
    assert (shrunk.kept.where, shrunk.kept.why) == (
        "$" + ".children[*]" * 5 + ".value",
        "expected integer, got string ...",
    )


def test_numbers_keep_their_token_type() -> None:
    """A decimal that diverges stays a decimal token, with fewer digits."""
    case = _planted(Decimal("3.14159"), "weight")
    shrunk = shrink_case(case, _targets(_two_places), Policy(), SCHEMA)
    leaf: Any = shrunk.case.wire
    for segment in ("children", 0) * 5:
        leaf = leaf[segment]
    assert shrunk.case.wire == _chain({"value": 0, "weight": leaf["weight"]})
    assert type(leaf["weight"]) is Decimal
    assert leaf["weight"].as_tuple().exponent == -3


def test_shrinking_is_deterministic() -> None:
    """Two shrinks of one case take the same steps to the same payload."""
    first = _rounded()
    again = shrink_case(_planted(BIG), _targets(_through_double), Policy(), SCHEMA)
    assert (first.steps, jsonwire.dumps(first.case.wire)) == (
        again.steps,
        jsonwire.dumps(again.case.wire),
    )


def test_max_steps_bounds_the_work() -> None:
    """A budget of ten candidates stops after ten, with a case that still diverges."""
    shrunk = shrink_case(_planted(BIG), _targets(_through_double), Policy(), SCHEMA, max_steps=10)
    assert (shrunk.steps, shrunk.exhausted) == (10, True)
    outcomes = run_targets(shrunk.case, _targets(_through_double))
    assert outcomes[1][1].wire != shrunk.case.wire


def test_description_names_the_original_and_the_divergence() -> None:
    """The shrunk case says which case it came from and which divergence it keeps."""
    shrunk = _rounded()
    assert shrunk.case.id == "big-1-min"
    assert shrunk.case.description.startswith(
        f"shrunk from big-1 in {shrunk.steps} steps, keeping value at $.children[*]"
    )
    assert shrunk.case.description.endswith("original: seed 9: planted")


def test_a_case_without_divergence_is_refused() -> None:
    """Shrinking a case every target agrees on is a ValueError."""
    with pytest.raises(ValueError, match="no failing divergence"):
        shrink(_planted(1), _targets(_echo), Policy(), SCHEMA)


def test_collect_keeps_one_shrunk_case_per_divergence() -> None:
    """Generated cases through a lossy fake give one small case per distinct divergence."""
    cases = generate_cases(SCHEMA, "Node", 40, seed=2, invalid_ratio=0)
    found = collect(cases, _targets(_through_double), Policy(), SCHEMA)
    assert found
    assert len({f.signature for f in found}) == len(found)
    assert len({f.case.id for f in found}) == len(found)
    for each in found:
        assert _size(each.case.wire) <= _size(each.original.wire)
        assert each.signature.kind == "value"
        assert each.case.id == f"{each.original.id}-min"


def _through_decimal(case: Case) -> Outcome:
    """Like ``_through_double``, but writes the rounded integers as decimal tokens."""

    def change(value: JsonValue, depth: int) -> JsonValue:
        return Decimal(float(value)) if type(value) is int and abs(value) > 2**53 else value

    wire = _walk(case.wire, change)
    return Outcome("accepted", wire=wire, native=wire)


def test_targets_that_lose_a_value_differently_are_one_divergence() -> None:
    """Two fakes that round big integers, each writing them its own way, give one finding."""
    targets: list[Target] = [
        REFERENCE,
        FakeTarget("fake-a", _through_double),
        FakeTarget("fake-b", _through_decimal),
    ]
    (found,) = collect([_planted(BIG)], targets, Policy(), SCHEMA)
    assert (found.signature.kind, found.signature.right) == ("value", ("fake-a", "fake-b"))


def _drops_unknown_keys(case: Case) -> Outcome:
    """Writes back only the keys the Node model declares (and ``meta``, a map, whole)."""
    declared = {"value", "label", "weight", "children", "meta"}

    def keep(value: Any) -> Any:
        if isinstance(value, list):
            return [keep(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k == "meta" else keep(v) for k, v in value.items() if k in declared}
        return value

    wire = keep(case.wire)
    return Outcome("accepted", wire=wire, native=wire)


def test_unknown_keys_of_any_name_are_one_divergence_per_place() -> None:
    """Dropped unknown keys are found once per place in the schema, whatever their names."""
    cases = generate_cases(SCHEMA, "Node", 60, seed=1, invalid_ratio=0)
    found = collect(cases, _targets(_drops_unknown_keys), Policy(), SCHEMA)
    patterns = [f.signature.pattern for f in found]
    assert patterns
    assert all(p.endswith("[*]") for p in patterns), patterns
    assert len(set(patterns)) == len(patterns)
