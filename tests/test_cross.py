"""Cross-SDK round trips: one SDK's output fed to another, reported as targets ``A->B``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.config import TargetConfig, parse_config
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.results.reader import read_results
from conformance.results.records import Header, ResultRecord
from conformance.results.summary import Summary
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema
from conformance.sources.cases import Case, LoadedCases
from conformance.targets.cross import cross_targets
from conformance.targets.factory import kinds
from tests.fakes import FakeTarget

W = jsonwire.loads
SCHEMA = Schema({"M": Model("M", (Field("n", Primitive("number")),))})
KINDS = {"ref": "reference", "a": "python-sdk", "b": "node-sdk", "a->b": "cross", "b->a": "cross"}


def _stringifies(case: Case) -> Outcome:
    """Reads ``n`` and writes it back as a string (a planted bug of SDK ``a``)."""
    assert isinstance(case.wire, dict)
    if case.wire.get("n") == -1:
        return Outcome("rejected", error="n: too small")
    wire = {k: str(v) if k == "n" else v for k, v in case.wire.items()}
    return Outcome("accepted", wire=wire, native=wire)


def _strict(case: Case) -> Outcome:
    """Refuses a string where ``n`` is a number, else writes the input back."""
    assert isinstance(case.wire, dict)
    if isinstance(case.wire.get("n"), str):
        return Outcome("rejected", error="n: expected number", error_path=("n",))
    return Outcome("accepted", wire=case.wire, native=case.wire)


def _counted(behave: Callable[[Case], Outcome], calls: list[str]) -> Callable[[Case], Outcome]:
    def run(case: Case) -> Outcome:
        calls.append(case.id)
        return behave(case)

    return run


def _run(tmp_path: Path, cases: list[Case], calls: list[str] | None = None) -> Summary:
    seen = calls if calls is not None else []
    targets = cross_targets(
        [
            FakeTarget("ref"),
            FakeTarget("a", _counted(_stringifies, seen)),
            FakeTarget("b", _strict),
        ],
        ["a", "b"],
    )
    with ResultsWriter(tmp_path / "r.ndjson") as writer:
        return execute(
            LoadedCases(tuple(cases), (), ("c.json",)),
            targets,
            Policy(),
            writer,
            schema=SCHEMA,
            kinds=KINDS,
        )


def _results(tmp_path: Path) -> dict[tuple[str, str], ResultRecord]:
    records = read_results(tmp_path / "r.ndjson")
    return {(r.case, r.target): r for r in records if isinstance(r, ResultRecord)}


def test_what_one_sdk_writes_and_another_refuses_is_the_cross_target_alone(
    tmp_path: Path,
) -> None:
    """``a`` writes ``n`` as a string; ``b`` refuses it: ``a->b`` is rejected, alone."""
    summary = _run(tmp_path, [Case("c1", "M", "response", W('{"n":5}'))])
    results = _results(tmp_path)
    assert results["c1", "a->b"].outcome.state == "rejected"
    assert results["c1", "b->a"].outcome.wire == {"n": "5"}  # b wrote 5; a stringifies it
    (rejected,) = [f for f in summary.findings if f.kind == "accept"]
    assert rejected.diverging == ("a->b",)
    # Cross targets have no voice of their own: a divergence only they have is between SDKs.
    assert (rejected.verdict, rejected.odd) == ("between-sdks", "a->b")
    assert rejected.sentence.endswith("only between the SDKs: a->b")


def test_the_writer_runs_each_case_once(tmp_path: Path) -> None:
    """A cross target takes the writer's outcome of the same case; it does not run it again."""
    calls: list[str] = []
    _run(
        tmp_path,
        [Case("c1", "M", "response", W('{"n":5}')), Case("c2", "M", "response", W('{"n":2}'))],
        calls,
    )
    # ``a`` runs each case once itself, and once more as the reader of ``b->a`` where b's
    # output differs from the input (here it never does, so b->a reuses a's outcome).
    assert calls == ["c1", "c2"]


def test_a_case_the_writer_refused_is_skipped_with_why(tmp_path: Path) -> None:
    """When ``a`` rejects a case, ``a->b`` has nothing to read and says so."""
    _run(tmp_path, [Case("c1", "M", "response", W('{"n":-1}'))])
    outcome = _results(tmp_path)["c1", "a->b"].outcome
    assert outcome.state == "skipped"
    assert "a rejected it" in outcome.error


def test_cross_targets_are_optional_and_listed_with_their_kind(tmp_path: Path) -> None:
    """The header lists ``a->b`` as kind ``cross`` and optional: a pair with nothing to read
    never fails the run by itself."""
    summary = _run(tmp_path, [Case("c1", "M", "response", W('{"n":-1}'))])
    header = next(r for r in read_results(tmp_path / "r.ndjson") if isinstance(r, Header))
    crossed = {t.name: (t.kind, t.optional) for t in header.targets if "->" in t.name}
    assert crossed == {"a->b": ("cross", True), "b->a": ("cross", True)}
    assert all(idle.optional for idle in summary.idle if "->" in idle.name)


def test_cross_is_a_setting_that_names_the_pairs_of_sdk_targets() -> None:
    """``cross = true`` turns it on; the pairs are every ordered pair of SDK targets."""
    config = parse_config({"cross": True}, Path("."))
    assert config.cross
    targets = [
        TargetConfig("ref", "reference", "python"),
        TargetConfig("p", "python-sdk"),
        TargetConfig("n", "node-sdk"),
        TargetConfig("r", "recorded"),
    ]
    assert kinds(targets, cross=True) == {
        "ref": "reference",
        "p": "python-sdk",
        "n": "node-sdk",
        "r": "recorded",
        "p->n": "cross",
        "n->p": "cross",
    }
