"""N-way verdicts: SDKs compared with each other first, the references as a third voice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from conformance.comparison.baseline import Baseline, Entry
from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.config import PolicyRule
from conformance.core.outcome import Outcome
from conformance.engine.baseline_update import _entry
from conformance.engine.runner import execute, result_records
from conformance.report.html import render_html
from conformance.report.markdown import render_markdown
from conformance.report.terminal import render_json, render_pretty
from conformance.results.reader import read_results
from conformance.results.records import Record, ResultRecord
from conformance.results.summary import DivergenceGroup, Summary, summarize
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema
from conformance.sources.cases import Case, LoadedCases
from tests.fakes import FakeTarget

W = jsonwire.loads
SCHEMA = Schema(
    {"Usage": Model("Usage", (Field("n", Primitive("number")), Field("a", Primitive("integer"))))}
)
#: A payload with a key the schema does not know (``x``).
UNKNOWN = Case("unknown-key", "Usage", "response", W('{"n":1,"a":2,"x":3}'))
KINDS = {
    "ref-py": "reference",
    "ref-ts": "reference",
    "sdk-py": "python-sdk",
    "sdk-node": "node-sdk",
    "sdk-go": "harness",
}


def _drops(key: str, floats: bool = False) -> Callable[[Case], Outcome]:
    """Accepts, leaves ``key`` out, and (``floats``) writes integers as ``N.0``."""

    def behave(case: Case) -> Outcome:
        assert isinstance(case.wire, dict)
        wire = {
            k: Decimal(f"{v}.0") if floats and type(v) is int else v
            for k, v in case.wire.items()
            if k != key
        }
        return Outcome("accepted", wire=wire, native=wire)

    return behave


def _targets(**behaviours: Callable[[Case], Outcome] | None) -> list[FakeTarget]:
    """Two echoing references, then the named SDK fakes (``sdk_py`` is ``sdk-py``)."""
    named = {name.replace("_", "-"): behave for name, behave in behaviours.items()}
    return [FakeTarget(name, named.get(name)) for name in ("ref-py", "ref-ts", *named)]


def _run(
    path: Path,
    targets: list[FakeTarget],
    cases: tuple[Case, ...] = (UNKNOWN,),
    policy: Policy | None = None,
    shard: tuple[int, int] | None = None,
) -> Summary:
    loaded = LoadedCases(cases, (), ("cases.json",))
    with ResultsWriter(path) as writer:
        return execute(
            loaded, targets, policy or Policy(), writer, schema=SCHEMA, kinds=KINDS, shard=shard
        )


def _results(path: Path) -> list[ResultRecord]:
    return [r for r in read_results(path) if isinstance(r, ResultRecord)]


def _group(summary: Summary, pattern: str, kind: str) -> list[DivergenceGroup]:
    return [g for g in summary.groups if (g.pattern, g.kind) == (pattern, kind)]


def test_sdks_that_share_a_divergence_make_one_group(tmp_path: Path) -> None:
    """Two SDKs differing in number format but both dropping ``x`` give one ``x`` group."""
    summary = _run(
        tmp_path / "r.ndjson",
        _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x")),
    )
    (group,) = _group(summary, "$.x", "missing")
    assert (group.left, group.right, group.cases) == (("input",), ("sdk-py", "sdk-node"), 1)
    assert (group.verdict, group.verdict_text) == (
        "sdks-agree-reference-differs",
        "the SDKs agree; the spec/reference differs",
    )
    (formats,) = _group(summary, "$.n", "number-format")
    assert (formats.right, formats.verdict) == (("sdk-py",), "odd-sdk")


def test_each_record_keeps_its_own_class_and_status(tmp_path: Path) -> None:
    """Records still list each target's own divergences and identical-output group."""
    path = tmp_path / "r.ndjson"
    _run(path, _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x")))
    rows = {
        r.target: (r.status, r.group, [(d.kind, d.where, d.right.targets) for d in r.divergences])
        for r in _results(path)
    }
    both = ("sdk-py", "sdk-node")
    assert rows == {
        "ref-py": ("pass", ("ref-py", "ref-ts"), []),
        "ref-ts": ("pass", ("ref-py", "ref-ts"), []),
        "sdk-py": (
            "diverge",
            ("sdk-py",),
            [
                ("missing", "$.x", both),
                ("number-format", "$.n", ("sdk-py",)),
                ("number-format", "$.a", ("sdk-py",)),
            ],
        ),
        "sdk-node": ("diverge", ("sdk-node",), [("missing", "$.x", both)]),
    }


def test_an_sdk_alone_against_the_others_is_the_odd_sdk(tmp_path: Path) -> None:
    """One SDK dropping a key the other SDKs keep is ``odd-sdk``, named in the phrase."""
    summary = _run(tmp_path / "r.ndjson", _targets(sdk_py=None, sdk_node=_drops("x"), sdk_go=None))
    (group,) = summary.groups
    assert (group.right, group.verdict, group.verdict_text) == (
        ("sdk-node",),
        "odd-sdk",
        "sdk-node alone against the other SDKs",
    )


def test_sdks_that_diverge_in_different_ways_are_split(tmp_path: Path) -> None:
    """One SDK drops ``x``, another writes it as a string: the SDKs disagree with each other."""

    def stringifies(case: Case) -> Outcome:
        assert isinstance(case.wire, dict)
        wire = {**case.wire, "x": "3"}
        return Outcome("accepted", wire=wire, native=wire)

    summary = _run(tmp_path / "r.ndjson", _targets(sdk_py=_drops("x"), sdk_node=stringifies))
    assert {(g.kind, g.right, g.verdict) for g in summary.groups} == {
        ("missing", ("sdk-py",), "sdks-split"),
        ("type", ("sdk-node",), "sdks-split"),
    }


def test_an_sdk_that_rejects_is_not_with_the_input(tmp_path: Path) -> None:
    """One SDK drops ``x``, the other rejects: ``x`` is a split, the rejection an odd SDK."""

    def rejects(case: Case) -> Outcome:
        return Outcome("rejected", error="no")

    summary = _run(tmp_path / "r.ndjson", _targets(sdk_py=_drops("x"), sdk_node=rejects))
    assert {(g.kind, g.verdict) for g in summary.groups} == {
        ("missing", "sdks-split"),
        ("accept", "odd-sdk"),
    }


def test_references_with_the_sdks_leave_the_input_alone(tmp_path: Path) -> None:
    """Every reference and SDK dropping ``x``: the case's input is what differs."""
    targets = [
        FakeTarget(name, _drops("x", floats=name == "sdk-py"))
        for name in ("ref-py", "ref-ts", "sdk-py", "sdk-node")
    ]
    summary = _run(tmp_path / "r.ndjson", targets)
    (group,) = _group(summary, "$.x", "missing")
    assert group.right == ("ref-py", "ref-ts", "sdk-py", "sdk-node")
    assert group.verdict == "all-agree-input-differs"


def test_a_group_says_when_its_verdict_holds_for_some_cases_only(tmp_path: Path) -> None:
    """A group whose cases disagree takes the most common verdict and says how often."""
    cases = tuple(
        Case(f"key-{n}", "Usage", "response", W(f'{{"n":1,"a":2,"x":{n}}}')) for n in range(3)
    )

    def node(case: Case) -> Outcome:
        # Rejects one case: there sdk-py's dropped key is a split, elsewhere sdk-py is alone.
        if case.id == "key-0":
            return Outcome("rejected", error="no")
        return Outcome("accepted", wire=case.wire, native=case.wire)

    summary = _run(tmp_path / "r.ndjson", _targets(sdk_py=_drops("x"), sdk_node=node), cases)
    (group,) = _group(summary, "$.x", "missing")
    assert (group.cases, group.verdict, group.verdict_text) == (
        3,
        "odd-sdk",
        "sdk-py alone against the other SDKs (in 2 of 3 cases)",
    )


def test_statuses_are_those_of_each_target_judged_alone() -> None:
    """Merging shared divergences changes no status: each is what the target gets on its own."""
    outcomes = [
        (target.name, target.run(UNKNOWN))
        for target in _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x"), sdk_go=None)
    ]
    together = {v.target: v.status for v in judge(UNKNOWN, outcomes, Policy())}
    alone = {name: judge(UNKNOWN, [(name, o)], Policy())[0].status for name, o in outcomes}
    assert together == alone
    assert together["sdk-node"] == "diverge"


def test_a_policy_rule_for_one_sdk_softens_that_sdk_only(tmp_path: Path) -> None:
    """A note for one target's dropped key leaves the other's failing, and the two unmerged."""
    rule = PolicyRule("note", "node drops unknown keys", kind="missing", targets=("sdk-node",))
    path = tmp_path / "r.ndjson"
    _run(
        path,
        _targets(sdk_py=_drops("x"), sdk_node=_drops("x", floats=True)),
        policy=Policy.from_rules([rule]),
    )
    rows = {
        r.target: (
            r.status,
            [(d.severity, d.right.targets) for d in r.divergences if d.kind == "missing"],
        )
        for r in _results(path)
        if r.target.startswith("sdk-")
    }
    assert rows == {
        "sdk-py": ("diverge", [("fail", ("sdk-py",))]),
        "sdk-node": ("pass", [("note", ("sdk-node",))]),
    }


def test_an_expected_failure_of_one_sdk_excuses_that_sdk_only() -> None:
    """An expected-failures entry naming one SDK does not excuse the other's same divergence."""
    outcomes = [
        (target.name, target.run(UNKNOWN))
        for target in _targets(sdk_py=_drops("x"), sdk_node=_drops("x", floats=True))
    ]
    entry = Entry("unknown-key", "missing", "$.x", "known", ("sdk-node",))
    verdicts = judge(UNKNOWN, outcomes, Policy(), baseline=Baseline((entry,)))
    assert {v.target: v.status for v in verdicts if v.target.startswith("sdk-")} == {
        "sdk-py": "diverge",
        "sdk-node": "expected",
    }


def test_equal_numbers_written_differently_are_one_finding() -> None:
    """Two SDKs rounding a big integer the same way, one writing ``.0``, share the divergence."""
    case = Case("big", "Usage", "response", W('{"n":9007199254740993}'))
    outcomes = [
        ("sdk-py", Outcome("accepted", wire=W('{"n":9007199254740992.0}'))),
        ("sdk-node", Outcome("accepted", wire=W('{"n":9007199254740992}'))),
    ]
    sides = {
        v.target: [d.right.targets for d in v.divergences] for v in judge(case, outcomes, Policy())
    }
    assert sides == {"sdk-py": [("sdk-py", "sdk-node")], "sdk-node": [("sdk-py", "sdk-node")]}


def test_number_formats_merge_only_when_written_the_same() -> None:
    """``1.0`` and ``1.00`` for ``1`` are two ways of writing it: two findings."""
    case = Case("format", "Usage", "response", W('{"n":1}'))
    outcomes = [
        ("a", Outcome("accepted", wire=W('{"n":1.0}'))),
        ("b", Outcome("accepted", wire=W('{"n":1.00}'))),
        ("c", Outcome("accepted", wire=W('{"n":1.0,"a":2}'))),
    ]
    sides = {
        v.target: [d.right.targets for d in v.divergences] for v in judge(case, outcomes, Policy())
    }
    assert sides == {"a": [("a", "c")], "b": [("b",)], "c": [("c",), ("a", "c")]}


def test_the_results_file_alone_gives_the_same_groups(tmp_path: Path) -> None:
    """``conformance report`` re-renders merged groups and verdicts from the NDJSON alone."""
    path = tmp_path / "r.ndjson"
    summary = _run(path, _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x")))
    assert summarize(read_results(path)).groups == summary.groups


def test_shards_merge_into_the_groups_of_one_run(tmp_path: Path) -> None:
    """The groups of two shards' files read together are those of the whole run."""
    cases = tuple(
        Case(f"key-{n}", "Usage", "response", W(f'{{"n":1,"a":2,"x":{n}}}')) for n in range(8)
    )

    def behaviours() -> list[FakeTarget]:
        return _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x"), sdk_go=None)

    whole = _run(tmp_path / "all.ndjson", behaviours(), cases)
    paths = [tmp_path / f"{i}.ndjson" for i in (1, 2)]
    for index, path in enumerate(paths, 1):
        _run(path, behaviours(), cases, shard=(index, 2))

    def merged() -> Iterator[Record]:
        for path in paths:
            yield from read_results(path)

    groups = summarize(merged()).groups
    assert groups == whole.groups
    # sdk-go keeps x where the other two SDKs drop it.
    assert [(g.right, g.cases, g.verdict_text) for g in groups if g.kind == "missing"] == [
        (("sdk-py", "sdk-node"), 8, "sdk-go alone against the other SDKs")
    ]


def test_the_markdown_summary_shows_the_verdict_beside_the_group(tmp_path: Path) -> None:
    """The Markdown group table has a verdict column with the group's phrase."""
    summary = _run(
        tmp_path / "r.ndjson", _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x"))
    )
    text = render_markdown(summary)
    assert "|  | path pattern | kind | sides | verdict | cases | example |" in text
    assert (
        "| **FAIL** | `$.x` | missing | input vs sdk-py, sdk-node | "
        "the SDKs agree; the spec/reference differs | 1 |"
    ) in text


def test_a_run_without_sdk_targets_has_no_verdict(tmp_path: Path) -> None:
    """With no SDK target among those that ran, a group has no verdict and Markdown no column."""
    targets = [FakeTarget("ref-py"), FakeTarget("ref-ts", _drops("x"))]
    summary = _run(tmp_path / "r.ndjson", targets)
    (group,) = summary.groups
    assert (group.right, group.verdict, group.verdict_text) == (("ref-ts",), "", "")
    assert "| verdict |" not in render_markdown(summary)


def test_baseline_update_entries_for_a_shared_divergence_match_the_next_run() -> None:
    """Entries written from a shared divergence name each class, so each SDK is excused again."""
    outcomes = [
        (target.name, target.run(UNKNOWN))
        for target in _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x"))
    ]
    records = result_records(UNKNOWN, outcomes, Policy())
    entries = {_entry(r, d, "today") for r in records for d in r.failing}
    assert {e.targets for e in entries} == {("sdk-py",), ("sdk-node",)}
    baseline = Baseline(tuple(entries))
    again = judge(UNKNOWN, outcomes, Policy(), baseline=baseline)
    assert {v.target: v.status for v in again if v.target.startswith("sdk-")} == {
        "sdk-py": "expected",
        "sdk-node": "expected",
    }
    assert baseline.stale == ()


def test_the_terminal_json_and_html_show_the_verdict(tmp_path: Path) -> None:
    """The pretty summary, the JSON summary and the HTML page name the group's verdict."""
    path = tmp_path / "r.ndjson"
    summary = _run(path, _targets(sdk_py=_drops("x", floats=True), sdk_node=_drops("x")))
    phrase = "the SDKs agree; the spec/reference differs"
    groups = render_json(summary)["groups"]
    (group,) = [g for g in groups if g["pattern"] == "$.x" and g["kind"] == "missing"]
    assert (group["verdict"], group["verdict_text"]) == ("sdks-agree-reference-differs", phrase)
    assert f"[{phrase}]" in render_pretty(summary, color=False)
    assert f"<td>{phrase}</td>" in render_html(read_results(path))


def _reads_only(case: Case) -> Outcome:
    """Reads the payload (its native view) and writes nothing: a response-only SDK model."""
    return Outcome("accepted", native=case.wire, written=False)


def test_an_sdk_that_writes_nothing_is_judged_on_acceptance_only(tmp_path: Path) -> None:
    """A target that read the payload but has no writer passes and has no wire divergence."""
    path = tmp_path / "r.ndjson"
    _run(path, _targets(sdk_py=_drops("x"), sdk_node=_reads_only))
    statuses = {r.target: (r.status, len(r.divergences)) for r in _results(path)}
    assert statuses["sdk-node"] == ("pass", 0)
    assert statuses["sdk-py"][0] == "diverge"


def test_a_divergence_only_one_writing_sdk_shows_is_not_called_agreement(tmp_path: Path) -> None:
    """Beside an SDK that wrote nothing, the one writing SDK speaks alone, not for both."""
    summary = _run(tmp_path / "r.ndjson", _targets(sdk_py=_drops("x"), sdk_node=_reads_only))
    (group,) = _group(summary, "$.x", "missing")
    assert (group.verdict, group.verdict_text) == (
        "one-sdk",
        "only sdk-py speaks here; the spec/reference differs",
    )


def test_a_rejection_is_placed_where_the_sdk_says_the_problem_is(tmp_path: Path) -> None:
    """An SDK that rejects a valid payload at ``$.a`` gives an ``accept`` divergence at ``$.a``."""
    path = tmp_path / "r.ndjson"

    def rejects(case: Case) -> Outcome:
        return Outcome("rejected", error="a: expected a string", error_path=("a",))

    summary = _run(path, _targets(sdk_py=None, sdk_node=rejects))
    (record,) = [r for r in _results(path) if r.target == "sdk-node"]
    assert [(d.path, d.kind) for d in record.divergences] == [(("a",), "accept")]
    assert record.outcome.error_path == ("a",)
    assert _group(summary, "$.a", "accept")


def test_two_sdks_rejecting_at_different_places_agree(tmp_path: Path) -> None:
    """Two SDKs that both reject a valid payload, each locating it elsewhere, are not one SDK
    alone: the SDKs agree, the reference differs."""

    def rejects_at(path: tuple[str, ...]) -> Callable[[Case], Outcome]:
        return lambda case: Outcome("rejected", error="no", error_path=path)

    summary = _run(
        tmp_path / "r.ndjson",
        _targets(sdk_py=rejects_at(("n",)), sdk_node=rejects_at(("a",))),
        (Case("valid", "Usage", "response", W('{"n":1,"a":2}')),),
    )
    verdicts = {g.verdict for g in summary.groups if g.kind == "accept"}
    assert verdicts == {"sdks-agree-reference-differs"}


def test_a_divergence_of_the_only_sdk_that_ran_is_no_agreement(tmp_path: Path) -> None:
    """When the other SDK skipped the case, one SDK alone speaks: "only X speaks here", not
    "the SDKs agree"."""
    summary = _run(
        tmp_path / "r.ndjson",
        _targets(sdk_py=_drops("x"), sdk_node=lambda case: Outcome("skipped", error="no model")),
    )
    (group,) = _group(summary, "$.x", "missing")
    assert group.verdict == "one-sdk"
    assert group.verdict_text.startswith("only sdk-py speaks here")
