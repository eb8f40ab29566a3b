"""A read-only target whose native view is the wire is judged on that view.

A target that reads a response and writes nothing back (``written: false``), with the
``wire`` convention (Stainless TypeScript), is compared with the input on its native view:
a value its reader changed is a divergence; what the view cannot show faithfully (number
text, key order, a number shown as ``null``, keys a reader adds) is none. Each artefact
test plants a real rounding beside the artefact, so exactly one divergence is expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.comparison.judge import Verdict, judge
from conformance.comparison.policy import Policy
from conformance.comparison.views import VIEW_NOTE
from conformance.core import jsonwire
from conformance.core.divergence import Side
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.results.reader import read_results
from conformance.results.records import ResultRecord
from conformance.results.summary import DivergenceGroup, Summary
from conformance.results.verdicts import agreeing_sdks
from conformance.results.writer import ResultsWriter
from conformance.schema import JsonValue
from conformance.sources.cases import Case, Direction, LoadedCases
from tests.fakes import FakeTarget

W = jsonwire.loads
NODE = "sdk-node"
#: The rounding planted beside each artefact: 2^53 + 1 read by JSON.parse.
ROUNDED = '"r":9007199254740993'
ROUNDED_VIEW = '"r":9007199254740992'
KINDS = {"ref-py": "reference", "sdk-py": "python-sdk", NODE: "node-sdk"}


def _judged(
    wire: str,
    view: str,
    convention: str = "wire",
    direction: Direction = "response",
) -> dict[str, Verdict]:
    """Each target's verdict: ``sdk-py`` writes the input back, ``sdk-node`` only reads it
    and has the native view ``view``."""
    case = Case("c", "M", direction, W(wire))
    outcomes = [
        ("sdk-py", Outcome("accepted", wire=case.wire, native=case.wire)),
        (NODE, Outcome("accepted", native=W(view), written=False)),
    ]
    verdicts = judge(case, outcomes, Policy(), conventions={NODE: convention})
    return {v.target: v for v in verdicts}


def _found(verdict: Verdict) -> list[tuple[str, str, JsonValue, JsonValue]]:
    return [(d.where, d.kind, d.left.value, d.right.value) for d in verdict.divergences]


def test_an_integer_a_wire_view_rounds_is_a_value_divergence() -> None:
    """2^53 + 1 handed over as 2^53 diverges, on the view's target, saying it was its view."""
    verdicts = _judged(f"{{{ROUNDED}}}", f"{{{ROUNDED_VIEW}}}")
    (divergence,) = verdicts[NODE].divergences
    assert (divergence.where, divergence.kind) == ("$.r", "value")
    assert divergence.left == Side(("input",), 9007199254740993)
    assert divergence.right == Side((NODE,), 9007199254740992)
    assert VIEW_NOTE in divergence.detail
    assert (verdicts[NODE].status, verdicts["sdk-py"].status) == ("diverge", "pass")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        pytest.param('"n":1.0', '"n":1', id="number-text"),
        pytest.param('"n":1E+2', '"n":100', id="exponent-text"),
        pytest.param('"n":-0', '"n":0', id="negative-zero"),
        pytest.param('"n":1000000000000000000000', '"n":1e+21', id="javascript-exponent"),
        pytest.param('"n":9223372036854775808', '"n":9223372036854776000', id="exact-double"),
        pytest.param('"n":1E+400', '"n":null', id="non-finite-shown-as-null"),
        pytest.param('"b":1,"1":2', '"1":2,"b":1', id="integer-like-key-first"),
        pytest.param('"k":1', '"k":1,"_request_id":null', id="key-the-reader-adds"),
        pytest.param(
            '"t":"2024-01-02T03:04:05+00:00"', '"t":"2024-01-02T03:04:05.000Z"', id="date-object"
        ),
    ],
)
def test_what_a_view_cannot_show_faithfully_is_no_divergence(given: str, shown: str) -> None:
    """Number text, key order, a number shown as null, a key the reader adds and another form
    of one instant are artefacts of the view: only the planted rounding diverges."""
    verdicts = _judged(f"{{{given},{ROUNDED}}}", f"{{{shown},{ROUNDED_VIEW}}}")
    assert _found(verdicts[NODE]) == [("$.r", "value", 9007199254740993, 9007199254740992)]


def test_a_fraction_a_double_cannot_hold_is_a_value_divergence() -> None:
    """0.12345678901234567 handed over as the double 0.12345678901234566 is another value."""
    verdicts = _judged('{"q":0.12345678901234567}', '{"q":0.12345678901234566}')
    assert [(w, k) for w, k, _, _ in _found(verdicts[NODE])] == [("$.q", "value")]


def test_a_key_missing_from_a_view_is_missing() -> None:
    """A key the SDK does not hand its user (a reader that made it non-enumerable) is missing."""
    verdicts = _judged('{"a":1,"_request_id":"x"}', '{"a":1}')
    assert _found(verdicts[NODE]) == [("$._request_id", "missing", "x", None)]


def test_a_value_the_reader_changed_is_a_value_divergence() -> None:
    """A string the reader rewrote is a value divergence of the view."""
    verdicts = _judged('{"s":"caf\\u00e9"}', '{"s":"cafe"}')
    assert _found(verdicts[NODE]) == [("$.s", "value", "caf\u00e9", "cafe")]


@pytest.mark.parametrize("convention", ["typescript", "python", None])
def test_a_view_under_other_names_is_judged_on_acceptance_only(convention: str | None) -> None:
    """A camelCase or snake_case view is not renamed back and compared: it passes."""
    verdicts = _judged(f"{{{ROUNDED}}}", f"{{{ROUNDED_VIEW}}}", convention=convention or "")
    assert (verdicts[NODE].status, verdicts[NODE].divergences) == ("pass", ())


def test_a_request_view_is_not_compared() -> None:
    """A request's native object is the user's own, not something an SDK read: no divergence."""
    verdicts = _judged(f"{{{ROUNDED}}}", f"{{{ROUNDED_VIEW}}}", direction="request")
    assert (verdicts[NODE].status, verdicts[NODE].divergences) == ("pass", ())


def test_views_that_differ_are_classes_of_their_own() -> None:
    """Two read-only targets whose views differ do not share a class (nor a verdict)."""
    case = Case("c", "M", "response", W(f"{{{ROUNDED}}}"))
    outcomes = [
        ("exact", Outcome("accepted", native=case.wire, written=False)),
        ("rounds", Outcome("accepted", native=W(f"{{{ROUNDED_VIEW}}}"), written=False)),
    ]
    conventions: dict[str, str | None] = {"exact": "wire", "rounds": "wire"}
    verdicts = {v.target: v for v in judge(case, outcomes, Policy(), conventions=conventions)}
    assert (verdicts["exact"].status, verdicts["exact"].group) == ("pass", ("exact",))
    assert (verdicts["rounds"].status, verdicts["rounds"].group) == ("diverge", ("rounds",))


def test_an_invalid_payload_a_lenient_view_lost_data_of_is_missing() -> None:
    """A lenient reader's view of an invalid payload is checked for lost data, as a written
    output is: a key it lost is missing, and accepting it is no divergence."""
    case = Case("c", "M", "response", W('{"a":"x","b":1}'), valid=False)
    outcomes = [(NODE, Outcome("accepted", native=W('{"a":"x"}'), written=False))]
    (verdict,) = judge(
        case,
        outcomes,
        Policy(),
        conventions={NODE: "wire"},
        lenient={NODE: frozenset({"response"})},
    )
    assert _found(verdict) == [("$.b", "missing", 1, None)]


# ------------------------------------------------------------------ verdicts


def _echo(case: Case) -> Outcome:
    return Outcome("accepted", wire=case.wire, native=case.wire)


def _view(text: str) -> FakeTarget:
    """The read-only ``wire``-convention target whose view is ``text`` for every case."""
    return FakeTarget(NODE, lambda case: Outcome("accepted", native=W(text), written=False), "wire")


def _run(tmp_path: Path, wire: str, python: FakeTarget, node: FakeTarget) -> Summary:
    case = Case("c", "M", "response", W(wire))
    with ResultsWriter(tmp_path / "r.ndjson") as writer:
        return execute(
            LoadedCases((case,), (), ("cases.json",)),
            [FakeTarget("ref-py", _echo), python, node],
            Policy(),
            writer,
            kinds=KINDS,
        )


def _group(summary: Summary, pattern: str, kind: str) -> DivergenceGroup:
    (group,) = [g for g in summary.groups if (g.pattern, g.kind) == (pattern, kind)]
    return group


def test_a_view_that_rounds_is_the_odd_sdk(tmp_path: Path) -> None:
    """Where the other SDK keeps the integer, the view's SDK is alone against it."""
    summary = _run(
        tmp_path, f"{{{ROUNDED}}}", FakeTarget("sdk-py", _echo), _view(f"{{{ROUNDED_VIEW}}}")
    )
    group = _group(summary, "$.r", "value")
    assert (group.verdict, group.verdict_text) == (
        "odd-sdk",
        f"{NODE} alone against the other SDKs",
    )


def test_a_view_holding_the_input_value_stands_with_the_expectation(tmp_path: Path) -> None:
    """The view's SDK, judged on its view in the case, keeps ``x`` that the other SDK drops:
    the dropping SDK is alone, and the view's SDK is named beside the expectation."""
    drops = FakeTarget(
        "sdk-py", lambda case: Outcome("accepted", wire=W(f"{{{ROUNDED}}}"), native={})
    )
    wire = f'{{"x":2,{ROUNDED}}}'
    summary = _run(tmp_path, wire, drops, _view(f'{{"x":2,{ROUNDED_VIEW}}}'))
    assert _group(summary, "$.x", "missing").verdict_text == "sdk-py alone against the other SDKs"
    results = [r for r in read_results(tmp_path / "r.ndjson") if isinstance(r, ResultRecord)]
    (missing,) = [d for r in results if r.target == "sdk-py" for d in r.divergences]
    assert agreeing_sdks(missing, results, KINDS) == (NODE,)


def test_a_view_that_cannot_show_a_value_stays_silent(tmp_path: Path) -> None:
    """A number the view shows as null says nothing of what its SDK holds: beside an SDK that
    writes null for 1E+400, only that SDK speaks (the view's SDK is no agreement)."""
    nulls = FakeTarget(
        "sdk-py",
        lambda case: Outcome("accepted", wire=W(f'{{"n":null,{ROUNDED}}}'), native={}),
    )
    view = _view(f'{{"n":null,{ROUNDED_VIEW}}}')
    summary = _run(tmp_path, f'{{"n":1E+400,{ROUNDED}}}', nulls, view)
    assert _group(summary, "$.n", "type").verdict == "one-sdk"
    assert _group(summary, "$.r", "value").verdict == "odd-sdk"
    results = [r for r in read_results(tmp_path / "r.ndjson") if isinstance(r, ResultRecord)]
    (typed,) = [d for r in results if r.target == "sdk-py" for d in r.divergences]
    assert agreeing_sdks(typed, results, KINDS) == ()
