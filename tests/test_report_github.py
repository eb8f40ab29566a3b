"""``--format github``: workflow annotations at each family's and failing case's file and line."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.comparison.policy import Policy
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.report.github import LIMIT, render_github
from conformance.results.reader import read_results
from conformance.results.summary import Summary
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema
from conformance.sources.cases import Case, load_cases
from tests.fakes import FakeTarget

SCHEMA = Schema(
    {"M": Model("M", (Field("n", Primitive("integer")), Field("s", Primitive("string"))))}
)


def _suite(tmp_path: Path, tests: list[dict[str, object]]) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    body = {"model": "M", "direction": "response", "tests": tests}
    (folder / "m.json").write_text(json.dumps(body, indent=2), "utf-8")
    return folder


def _run(tmp_path: Path, tests: list[dict[str, object]], sdk: FakeTarget) -> tuple[Summary, Path]:
    loaded = load_cases([_suite(tmp_path, tests)], SCHEMA.definitions)
    out = tmp_path / "r.ndjson"
    with ResultsWriter(out) as writer:
        summary = execute(
            loaded,
            [FakeTarget("ref"), sdk],
            Policy(),
            writer,
            schema=SCHEMA,
            kinds={"ref": "reference", "sdk": "python-sdk"},
        )
    return summary, out


def _drops_s(case: Case) -> Outcome:
    assert isinstance(case.wire, dict)
    wire = {k: v for k, v in case.wire.items() if k != "s"}
    return Outcome("accepted", wire=wire, native=wire)


def test_a_family_and_its_failing_cases_are_errors_at_their_lines(tmp_path: Path) -> None:
    """The family is annotated at its example case's line, each failing result at its own."""
    tests = [{"id": "one", "wire": {"n": 1}}, {"id": "two", "wire": {"n": 2, "s": "x"}}]
    summary, out = _run(tmp_path, tests, FakeTarget("sdk", _drops_s))
    lines = render_github(summary, read_results(out)).splitlines()
    text = (tmp_path / "cases" / "m.json").read_text("utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if '"two"' in t)
    assert lines[0].startswith("::error file=")
    assert f",line={line}," in lines[0]
    assert "sdk drops" in lines[0]
    assert lines[1].startswith("::error ")
    assert f",line={line}," in lines[1]
    assert "two [sdk] diverge" in lines[1].replace("%3A", ":")
    assert len(lines) == 2  # case "one" agreed


def test_annotation_text_cannot_forge_a_command(tmp_path: Path) -> None:
    """Newlines and percent signs in what a target said are escaped: no line it writes can
    start a workflow command of its own."""
    error = "boom\n::error::forged 100%"
    evil = FakeTarget("sdk", lambda case: Outcome("error", error=error))
    summary, out = _run(tmp_path, [{"id": "evil", "wire": {"n": 1}}], evil)
    rendered = render_github(summary, read_results(out))
    # Two annotations (the target ran no case; the case errored), each on one line.
    lines = rendered.splitlines()
    assert [line.split("::")[1].split(" ")[0] for line in lines] == ["error", "error"]
    assert all(line.endswith("boom%0A::error::forged 100%25") for line in lines)


def test_annotations_are_bounded(tmp_path: Path) -> None:
    """A run with many failing cases writes at most ``LIMIT`` annotations."""
    tests = [{"id": f"c{i}", "wire": {"n": i, "s": "x"}} for i in range(LIMIT + 10)]
    summary, out = _run(tmp_path, tests, FakeTarget("sdk", _drops_s))
    assert len(render_github(summary, read_results(out)).splitlines()) == LIMIT


def test_a_conformant_run_has_no_annotation(tmp_path: Path) -> None:
    """Nothing to say, nothing written."""
    summary, out = _run(tmp_path, [{"id": "one", "wire": {"n": 1}}], FakeTarget("sdk"))
    assert render_github(summary, read_results(out)) == ""
