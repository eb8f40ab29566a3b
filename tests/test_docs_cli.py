"""`conformance docs` and `conformance cases from-docs`, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, ProblemRecord, ResultRecord

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data" / "docs"


def _conformance(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_docs_check_writes_results_a_report_can_read(tmp_path: Path) -> None:
    """The cross-check writes case, result and problem records and exits 1 on divergences."""
    out = tmp_path / "docs.ndjson"
    done = _conformance(
        "docs",
        str(DATA / "python"),
        str(DATA / "typescript"),
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert done.returncode == 1, done.stderr
    records = list(read_results(out))
    cases = [r for r in records if isinstance(r, CaseRecord)]
    results = [r for r in records if isinstance(r, ResultRecord)]
    assert json.loads(done.stdout)["cases"] == len(cases) > 0
    assert {r.target for r in results} == {"docs-python", "docs-typescript"}
    assert any(isinstance(r, ProblemRecord) and r.line for r in records)
    again = _conformance("report", str(out), "--format", "json")
    assert json.loads(again.stdout)["totals"] == json.loads(done.stdout)["totals"]


def test_docs_check_writes_the_html_report_too(tmp_path: Path) -> None:
    """`conformance docs --html` renders the cross-check like any run."""
    html = tmp_path / "docs.html"
    done = _conformance(
        "docs",
        str(DATA / "python"),
        str(DATA / "typescript"),
        "--out",
        str(tmp_path / "d.ndjson"),
        "--html",
        str(html),
    )
    assert done.returncode == 1, done.stderr
    assert "docs-typescript" in html.read_text()


def test_docs_check_of_a_folder_without_pages_is_a_usage_error(tmp_path: Path) -> None:
    """Two folders with no model pages exit 2 and say what is expected."""
    done = _conformance("docs", str(tmp_path), str(tmp_path), "--out", str(tmp_path / "d.ndjson"))
    assert done.returncode == 2
    assert "no model pages found" in done.stderr


def test_cases_from_docs_writes_a_loadable_case_file(tmp_path: Path) -> None:
    """Example Usage blocks become cases the case loader accepts."""
    out = tmp_path / "cases.json"
    done = _conformance(
        "cases",
        "from-docs",
        str(DATA / "typescript"),
        "--python-docs",
        str(DATA / "python"),
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    from conformance.sources.cases import load_cases

    loaded = load_cases([out])
    assert loaded.errors == ()
    assert loaded.cases
    assert "wire keys are guessed from the docs" in done.stderr
    assert "guessed the wire key 'logprobs' by its words" in done.stderr


def test_cases_from_docs_takes_wire_keys_from_the_given_schema(tmp_path: Path) -> None:
    """With --schema, camelCase example properties become the schema's wire keys, not guesses."""
    schema = tmp_path / "openapi.yaml"
    schema.write_text(
        "openapi: 3.1.0\n"
        "components:\n"
        "  schemas:\n"
        "    Usage:\n"
        "      type: object\n"
        "      properties:\n"
        "        promptTokens: {type: integer}\n"
        "        completionTokens: {type: integer}\n"
    )
    out = tmp_path / "cases.json"
    done = _conformance(
        "cases",
        "from-docs",
        str(DATA / "typescript"),
        "--schema",
        str(schema),
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "guessed from the docs" not in done.stderr
    tests = json.loads(out.read_text())["tests"]
    usage = next(t for t in tests if t["model"] == "Usage")
    assert set(usage["wire"]) == {"promptTokens", "completionTokens"}
