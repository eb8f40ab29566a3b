"""`conformance run --probes` finds every planted difference of a small SDK pair, and nothing else.

The pair (``tests/planted_sdks.py``) is a pydantic package and a zod package of one
schema, run through the shipped harnesses from the command line. Faithful, it gives no
failing divergence, to probes or to generated payloads; with every change of
``PLANTED`` made, each planted row is reported (probe class, target, path, kind) and
every failing divergence is a planted row.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from attrs import frozen

from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, ResultRecord
from conformance.sources.generate.probe_classes import CLASSES
from tests.planted_sdks import (
    PLANTED,
    PLANTS,
    UNPLANTED,
    Planted,
    write_project,
)
from tests.tiny_sdks import require_pydantic, require_zod

Row = tuple[str, str, str, str, str]


@frozen
class Run:
    """A finished run: its exit status, cases by id and results."""

    code: int
    output: str
    cases: dict[str, CaseRecord]
    results: tuple[ResultRecord, ...]

    def rows(self, failing_only: bool = False) -> set[Row]:
        """(probe class, target, probe path, divergence path, kind) of each divergence."""
        found: set[Row] = set()
        for result in self.results:
            case = self.cases[result.case]
            for each in result.divergences:
                if not failing_only or each.severity == "fail":
                    found.add((case.probe, result.target, case.probe_path, each.where, each.kind))
        return found

    def errors(self) -> set[tuple[str, str]]:
        """(case, target) of each result that is a target error."""
        return {(r.case, r.target) for r in self.results if r.status == "error"}


def conformance_run(folder: Path, *options: str) -> Run:
    """Run ``conformance run`` on the project in ``folder`` and read its results."""
    results = folder / "out" / "results.ndjson"
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--out", str(results), *options],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    cases: dict[str, CaseRecord] = {}
    found: list[ResultRecord] = []
    for record in read_results(results):
        if isinstance(record, CaseRecord):
            cases[record.id] = record
        elif isinstance(record, ResultRecord):
            found.append(record)
    return Run(done.returncode, done.stdout[-3000:] + done.stderr[-3000:], cases, tuple(found))


@pytest.fixture(scope="module")
def faithful(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The faithful pair's project folder."""
    require_pydantic()
    require_zod()
    folder = tmp_path_factory.mktemp("faithful")
    write_project(folder)
    return folder


@pytest.fixture(scope="module")
def faithful_probes(faithful: Path) -> Run:
    """The faithful pair's probe run."""
    return conformance_run(faithful, "--probes", "--all-models", "--format", "json")


@pytest.fixture(scope="module")
def planted_probes(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The probe run of the pair with every planted change made."""
    require_pydantic()
    require_zod()
    folder = tmp_path_factory.mktemp("planted")
    write_project(folder, PLANTS)
    return conformance_run(folder, "--probes", "--all-models", "--format", "json")


def test_faithful_pair_fails_no_probe(faithful_probes: Run) -> None:
    """Every probe of the faithful pair passes or diverges only in notes."""
    assert faithful_probes.rows(failing_only=True) == set(), faithful_probes.output
    # Among them 1e400, which this pydantic SDK keeps exactly as a Decimal beyond float range.
    assert faithful_probes.errors() == set(), faithful_probes.output


@pytest.mark.parametrize("seed", [0, 1])
def test_faithful_pair_fails_no_generated_payload(faithful: Path, seed: int) -> None:
    """Generated payloads of every model find no failing divergence in the faithful pair."""
    options = ("--generate", "200", "--all-models", "--seed", str(seed), "--format", "json")
    run = conformance_run(faithful, *options)
    assert (run.code, run.rows(failing_only=True), run.errors()) == (0, set(), set()), run.output


@pytest.mark.parametrize("planted", PLANTED, ids=lambda p: f"{p.probe}@{p.target}:{p.path}")
def test_planted_difference_is_reported(planted_probes: Run, planted: Planted) -> None:
    """The probes of the planted row's class report it: target, paths and kind."""
    assert planted.reported in planted_probes.rows(), sorted(
        row for row in planted_probes.rows() if row[0] == planted.probe
    )


def test_planted_pair_reports_nothing_that_was_not_planted(planted_probes: Run) -> None:
    """Every failing divergence of the planted pair is a planted row; no target errs."""
    expected = {each.reported for each in PLANTED}
    assert planted_probes.rows(failing_only=True) - expected == set()
    assert planted_probes.errors() == set(), planted_probes.output
    assert planted_probes.code == 1


def test_every_probe_class_has_a_planted_change_or_a_reason() -> None:
    """Each probe class has a change of its own, or ``UNPLANTED`` says why not."""
    own = {each.probe for each in PLANTED if each.change == each.probe}
    assert set(CLASSES) - own - set(UNPLANTED) == set()
    assert own & set(UNPLANTED) == set()


def test_probes_reach_every_class_that_has_a_row(planted_probes: Run) -> None:
    """Each probe class of the table ran on the pair (none of its rows is vacuous)."""
    ran = {case.probe for case in planted_probes.cases.values()}
    assert {each.probe for each in PLANTED} - ran == set()
