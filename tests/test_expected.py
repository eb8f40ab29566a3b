"""Expected failures: listed divergences pass as expected, fixed ones turn stale, new ones fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.comparison.baseline import Baseline, Entry, load_expected, write_expected
from conformance.comparison.policy import Policy
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.exceptions import ConfigError
from conformance.results.reader import read_results
from conformance.results.records import ResultRecord, StaleRecord
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case, LoadedCases
from tests.fakes import FakeTarget, writes

CASES = (
    Case("big-1", "M", "response", {"n": 9007199254740993}),
    Case("big-2", "M", "response", {"n": 9007199254740995}),
    Case("plain", "M", "response", {"n": 1}),
)
ROUNDS = {"n": 9007199254740992}
KNOWN = Entry("big-*", "value", "$.n", "JSON.parse rounds beyond 2^53", ("node",))


def _node(case: Case) -> Outcome:
    """Rounds big integers like JSON.parse, echoes the rest."""
    wire = ROUNDS if case.id.startswith("big") else case.wire
    return Outcome("accepted", wire=wire)


def _run(tmp_path: Path, target: FakeTarget, baseline: Baseline) -> tuple[int, list[object]]:
    with ResultsWriter(tmp_path / "r.ndjson") as writer:
        summary = execute(LoadedCases(CASES, (), ()), [target], Policy(), writer, baseline=baseline)
    return summary.exit_code, list(read_results(tmp_path / "r.ndjson"))


def test_known_divergences_pass_as_expected(tmp_path: Path) -> None:
    """Every divergence listed: exit 0, results marked expected with the reason."""
    code, records = _run(tmp_path, FakeTarget("node", _node), Baseline((KNOWN,)))
    statuses = {r.case: r.status for r in records if isinstance(r, ResultRecord)}
    assert (code, statuses) == (0, {"big-1": "expected", "big-2": "expected", "plain": "pass"})
    first = next(r for r in records if isinstance(r, ResultRecord))
    assert first.divergences[0].reason == "JSON.parse rounds beyond 2^53"


def test_a_new_divergence_still_fails(tmp_path: Path) -> None:
    """A divergence no entry lists fails the run beside the expected ones."""

    def worse(case: Case) -> Outcome:
        return _node(case) if case.id != "plain" else Outcome("accepted", wire={"n": 2})

    code, records = _run(tmp_path, FakeTarget("node", worse), Baseline((KNOWN,)))
    statuses = {r.case: r.status for r in records if isinstance(r, ResultRecord)}
    assert (code, statuses["plain"]) == (1, "diverge")


def test_a_fixed_divergence_is_reported_stale_and_fails(tmp_path: Path) -> None:
    """An entry that matched nothing is written as stale, and the run exits 1."""
    code, records = _run(tmp_path, FakeTarget("node"), Baseline((KNOWN,)))
    stale = [r for r in records if isinstance(r, StaleRecord)]
    assert code == 1
    assert stale == [StaleRecord("big-*", "value", "$.n", KNOWN.reason, ("node",))]


def test_entries_of_a_target_that_did_not_run_are_not_stale(tmp_path: Path) -> None:
    """A skipped target (say, an SDK not installed) leaves its entries neither matched nor stale."""
    skipped = FakeTarget("node", lambda case: Outcome("skipped", error="not installed"))
    code, records = _run(tmp_path, skipped, Baseline((KNOWN,)))
    # Exit 1: a target that ran no case fails the run; none of its entries is stale.
    assert (code, [r for r in records if isinstance(r, StaleRecord)]) == (1, [])


def test_entries_match_only_their_targets(tmp_path: Path) -> None:
    """An entry for one target does not excuse the same divergence in another."""
    code, _ = _run(tmp_path, FakeTarget("python", writes(ROUNDS)), Baseline((KNOWN,)))
    assert code == 1


def test_expected_file_round_trips(tmp_path: Path) -> None:
    """Entries written by write_expected load back equal."""
    path = tmp_path / "expected.json"
    other = Entry("x", "*", "*", "anything", (), "https://example.invalid/1")
    assert write_expected(path, [KNOWN, other, KNOWN]) == 2
    assert load_expected(path).entries == (KNOWN, other)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param("{", "invalid JSON at line 1", id="syntax"),
        pytest.param(
            {"expected": [{"case": "x", "kind": "value", "path": "$"}]},
            "'reason' is a required property",
            id="no-reason",
        ),
        pytest.param(
            {"expected": [{"case": "x", "kind": "nope", "path": "$", "reason": "r"}]},
            "unknown divergence kind",
            id="bad-kind",
        ),
    ],
)
def test_malformed_expected_file_is_a_configuration_error(
    tmp_path: Path, content: object, words: str
) -> None:
    """A broken expected-failures file names itself and what is wrong."""
    path = tmp_path / "expected.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(ConfigError, match=words) as caught:
        load_expected(path)
    assert caught.value.file == str(path)
