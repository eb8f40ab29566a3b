"""The quick pass for plain result lines (``results.quick_check``) only ever accepts what the
results schema accepts, and takes the lines a run writes most."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.comparison.compare import diff
from conformance.comparison.judge import INPUT
from conformance.comparison.policy import Policy
from conformance.core import jsonwire, resources
from conformance.core.outcome import Outcome
from conformance.results import quick_check
from conformance.results.quick_check import (
    CASE_KEYS,
    OUTCOME_KEYS,
    RESULT_KEYS,
    plain_case,
    plain_record,
    plain_result,
)
from conformance.results.records import CaseRecord, Header, ResultRecord, TargetInfo
from conformance.results.writer import ResultsWriter

SCHEMA = resources.schema("results")["$defs"]

#: Any JSON value as ``jsonwire.loads`` gives it.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
#: For each property: values the schema takes, and some it does not.
OUTCOME_VALUES: dict[str, Any] = {
    "state": st.sampled_from(["accepted", "rejected", "error", "skipped", "ok"]) | JSON,
    "seconds": st.sampled_from([0, Decimal("0.0004"), 1.5, True]) | JSON,
    "error": st.text(max_size=4) | JSON,
    "stderr": st.text(max_size=4) | JSON,
    "wire_as_input": st.sampled_from([True, False, 1]) | JSON,
    "native_as_wire": st.sampled_from([True, False, 1]) | JSON,
    "wire_from_input": st.sampled_from([True, False, 1]) | JSON,
    "native_renamed": st.sampled_from(["wire", "input", "output"]) | JSON,
    "warnings": st.lists(st.text(max_size=3), max_size=2) | JSON,
    "written": st.booleans() | JSON,
    "error_path": st.lists(st.text(max_size=2) | st.integers(), max_size=2) | JSON,
    "undeclared": st.lists(st.lists(st.text(max_size=2), max_size=2), max_size=2) | JSON,
    "wire": JSON,
    "native": JSON,
    "extra": JSON,
}
#: Paths as the schema takes them, and values that are not.
PATHS = st.lists(st.text(max_size=2) | st.integers(-2, 3), max_size=3) | JSON
NAMES = st.lists(st.text(max_size=2), max_size=2) | JSON
KIND = st.sampled_from(["number-format", "order", "value", "naming", "odd"]) | JSON
#: Divergences written short, of every shape the schema has and of some it does not.
SHORT = st.one_of(
    st.tuples(PATHS, JSON, JSON),
    st.tuples(st.integers(-1, 3) | JSON, PATHS, JSON, JSON),
    st.tuples(PATHS, KIND, JSON, JSON),
    st.tuples(PATHS, KIND, JSON, JSON, NAMES, NAMES),
    st.tuples(PATHS, KIND, JSON, JSON, NAMES),
).map(list)
RESULT_VALUES: dict[str, Any] = {
    "record": st.sampled_from(["result", "case"]),
    "case": st.text(max_size=4) | JSON,
    "target": st.text(max_size=4) | JSON,
    "status": st.sampled_from(["pass", "diverge", "expected", "error", "skipped", "bad"]) | JSON,
    "divergences": st.just([]) | st.lists(SHORT | JSON, max_size=3) | JSON,
    "group": st.lists(st.text(max_size=3), max_size=3) | JSON,
    "extra": JSON,
}


#: A plain result the schema accepts, which ``changed`` alters a property or two of.
BASE: dict[str, Any] = {
    "case": "c",
    "target": "t",
    "status": "pass",
    "outcome": {"state": "accepted", "seconds": Decimal("0.0004"), "wire_as_input": True},
    "group": ["t"],
    "record": "result",
}


@st.composite
def changed(draw: st.DrawFn) -> dict[str, Any]:
    """``BASE`` with a few properties of the result or its outcome left out, added or given
    another value (one the schema takes, or not)."""
    result, outcome = dict(BASE), dict(BASE["outcome"])
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*RESULT_VALUES, *OUTCOME_VALUES]))
        into, values = (
            (outcome, OUTCOME_VALUES)
            if key in OUTCOME_VALUES and (key not in RESULT_VALUES or draw(st.booleans()))
            else (result, RESULT_VALUES)
        )
        if draw(st.integers(0, 4)) == 0:
            into.pop(key, None)
        else:
            into[key] = draw(values[key])
    if draw(st.integers(0, 9)):
        result["outcome"] = outcome
    else:
        result["outcome"] = draw(JSON)
    return result


def accepted_by_the_schema(raw: Any) -> bool:
    """What the full validator of the results schema says of ``raw``."""
    return not list(resources.validator("results").iter_errors(raw))


def test_the_quick_pass_knows_every_property_of_a_result_and_its_outcome() -> None:
    """Its properties are the schema's: one added to the schema must be added to it too."""
    assert set(SCHEMA["result"]["properties"]) == RESULT_KEYS
    assert set(SCHEMA["outcome"]["properties"]) == OUTCOME_KEYS
    assert set(SCHEMA["case"]["properties"]) == CASE_KEYS
    assert set(SCHEMA["case"]["properties"]["direction"]["enum"]) >= quick_check._DIRECTIONS
    # The values it takes as they are: never one the schema no longer allows.
    assert set(SCHEMA["result"]["properties"]["status"]["enum"]) >= quick_check._STATUSES
    assert set(SCHEMA["divergence"]["properties"]["kind"]["enum"]) >= quick_check.KINDS
    outcome = SCHEMA["outcome"]["properties"]
    assert set(outcome["state"]["enum"]) >= quick_check._STATES
    assert set(outcome["native_renamed"]["enum"]) >= quick_check._RENAMED


@settings(max_examples=1500, deadline=None)
@given(raw=changed())
def test_the_quick_pass_accepts_only_what_the_schema_accepts(raw: dict[str, Any]) -> None:
    """A result the quick pass accepts is one the schema accepts, whatever it holds."""
    if plain_result(raw):
        assert accepted_by_the_schema(raw)
        resources.fast_check("results")(raw)


@settings(max_examples=1500, deadline=None)
@given(divergences=st.lists(SHORT, min_size=1, max_size=3))
def test_the_quick_pass_accepts_only_short_divergences_the_schema_accepts(
    divergences: list[Any],
) -> None:
    """A result whose divergences are arrays passes quickly only where the schema takes each
    of them as a divergence written short."""
    raw = {**BASE, "status": "diverge", "divergences": divergences}
    if plain_result(raw):
        assert accepted_by_the_schema(raw)
        resources.fast_check("results")(raw)


@settings(max_examples=600, deadline=None)
@given(
    key=st.sampled_from(["warnings", "written", "error_path", "undeclared"]),
    data=st.data(),
)
def test_the_quick_pass_accepts_only_outcome_lists_and_flags_the_schema_accepts(
    key: str, data: st.DataObject
) -> None:
    """An outcome's warnings, written flag, error path or undeclared paths pass quickly only
    where the schema takes them."""
    raw = {**BASE, "outcome": {**BASE["outcome"], key: data.draw(OUTCOME_VALUES[key])}}
    if plain_result(raw):
        assert accepted_by_the_schema(raw)
        resources.fast_check("results")(raw)


def test_the_lines_a_run_writes_most_pass_quickly(tmp_path: Path) -> None:
    """Agreeing results whose wire and native were left out pass quickly, and so do one whose
    notes are written short and one with warnings."""
    payload = {"user_name": "a", "n": Decimal("0")}
    header = Header(
        "conformance",
        "0.1.0",
        "2026-01-01T00:00:00+00:00",
        (TargetInfo("py", "target", "python"), TargetInfo("ts", "target", "typescript")),
    )
    camel = {"userName": "a", "n": Decimal("0")}
    floats = {"user_name": "a", "n": Decimal("0.0")}
    notes = tuple(Policy().judge_all(diff(payload, floats, (INPUT,), ("py",))))
    assert [d.kind for d in notes] == ["number-format"]
    records = [
        header,
        CaseRecord("c", "M", "response", payload),
        ResultRecord("c", "py", "pass", Outcome("accepted", floats, floats), notes),
        ResultRecord("c", "ts", "pass", Outcome("accepted", payload, camel, warnings=("w",))),
    ]
    path = tmp_path / "r.ndjson"
    with ResultsWriter(path) as writer:
        writer.write_all(records)
    lines = [jsonwire.loads(line) for line in path.read_text().splitlines()]
    assert type(lines[2]["divergences"][0]) is list  # written short
    assert [plain_result(raw) for raw in lines] == [False, False, True, True]
    assert [plain_record(raw) for raw in lines] == [False, True, True, True]
    assert all(accepted_by_the_schema(raw) for raw in lines)


#: For each property of a case: values the schema takes, and some it does not.
CASE_VALUES: dict[str, Any] = {
    "record": st.sampled_from(["case", "result"]) | JSON,
    "id": st.text(max_size=4) | JSON,
    "model": st.text(max_size=4) | JSON,
    "direction": st.sampled_from(["request", "response", "both"]) | JSON,
    "wire": JSON,
    "valid": st.booleans() | JSON,
    "description": st.text(max_size=4) | JSON,
    "source": st.text(max_size=4) | JSON,
    "wire_text": st.text(max_size=4) | JSON,
    "probe": st.text(max_size=4) | JSON,
    "probe_path": st.text(max_size=4) | JSON,
    "extra": JSON,
}
CASE: dict[str, Any] = {
    "id": "c",
    "model": "M",
    "direction": "response",
    "wire": {"a": [1, Decimal("0.0")]},
    "record": "case",
}


@st.composite
def changed_case(draw: st.DrawFn) -> dict[str, Any]:
    """``CASE`` with a few properties left out, added or given another value."""
    case = dict(CASE)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(list(CASE_VALUES)))
        if draw(st.integers(0, 4)) == 0:
            case.pop(key, None)
        else:
            case[key] = draw(CASE_VALUES[key])
    return case


@settings(max_examples=1500, deadline=None)
@given(raw=changed_case())
def test_the_quick_pass_accepts_only_cases_the_schema_accepts(raw: dict[str, Any]) -> None:
    """A case the quick pass accepts is one the schema accepts, whatever it holds."""
    if plain_case(raw):
        assert accepted_by_the_schema(raw)
        resources.fast_check("results")(raw)


def test_the_cases_a_run_writes_pass_quickly() -> None:
    """A case record as a run writes it, with every property it may have, passes quickly;
    one with a property the quick pass does not know is left to the schema."""
    full = {
        **CASE,
        "valid": False,
        "description": "d",
        "source": "cases/x.json",
        "wire_text": "{}",
        "probe": "numbers.2^53+1",
        "probe_path": "$.a",
    }
    assert plain_case(CASE)
    assert plain_case(full)
    assert plain_record(full)
    assert not plain_case({**CASE, "later": 1})
    assert not plain_record([CASE])
