"""No success that did not happen: idle targets, incomplete results files, unusable paths.

End to end through ``python -m conformance`` in a subprocess, on small projects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects import REFERENCE_PYTHON, THING_SCHEMA


def _conformance(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _project(folder: Path, targets: str = "", *, cases: bool = True) -> Path:
    """A project: schema, one case file (two cases) unless ``cases`` is false, a pyproject."""
    (folder / "schema.yaml").write_text(THING_SCHEMA)
    settings = 'schema = "schema.yaml"\nresults = "results.ndjson"\n'
    if cases:
        (folder / "cases").mkdir()
        tests = [{"id": "one", "wire": {"count": 1}}, {"id": "two", "wire": {"count": 2}}]
        body = {"model": "Thing", "direction": "response", "tests": tests}
        (folder / "cases" / "things.json").write_text(json.dumps(body))
        settings += 'cases = ["cases"]\n'
    (folder / "pyproject.toml").write_text(
        f"[tool.conformance]\n{settings}{REFERENCE_PYTHON}{targets}"
    )
    return folder


MISSING_SDK = """
[[tool.conformance.targets]]
name = "sdk"
kind = "python-sdk"
python = "no-venv/bin/python"
modules = ["vendor_sdk.models"]
package = "vendor_sdk"
"""
SKIPPING_HARNESS = f"""
[[tool.conformance.targets]]
name = "sdk"
kind = "harness"
command = [{json.dumps(sys.executable)}, "-m", "conformance.testing", "--fault", "skip-all"]
"""


@pytest.mark.parametrize(
    ("target", "hint"),
    [
        pytest.param(MISSING_SDK, "no-venv/bin/python", id="sdk-not-installed"),
        pytest.param(SKIPPING_HARNESS, "conformance.testing", id="harness-skips-all"),
    ],
)
def test_a_target_that_ran_no_case_fails_the_run_and_the_report(
    tmp_path: Path, target: str, hint: str
) -> None:
    """Every case skipped by one target: exit 1, the target named with how to install it."""
    project = _project(tmp_path, target)
    done = _conformance(project, "run", "--format", "json")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["totals"]["skipped"], summary["exit_code"]) == (2, 1)
    assert "target 'sdk' ran no case (fails the run): skipped every case" in done.stderr
    assert hint in done.stderr.partition("hint:")[2]
    assert "nox -s" not in done.stderr  # never a session of this repository
    again = _conformance(project, "report", "results.ndjson", "--format", "json")
    assert again.returncode == 1, again.stderr
    assert "target 'sdk' ran no case" in again.stderr


def test_an_optional_target_that_ran_no_case_leaves_the_run_conformant(tmp_path: Path) -> None:
    """``optional = true``: the same run exits 0, still naming the target; so does the report."""
    project = _project(tmp_path, MISSING_SDK + "optional = true\n")
    done = _conformance(project, "run", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "target 'sdk' ran no case (optional: the run does not fail)" in done.stderr
    header = json.loads((project / "results.ndjson").read_text().splitlines()[0])
    assert [(t["name"], t["optional"]) for t in header["targets"]] == [
        ("reference-python", False),
        ("sdk", True),
    ]
    again = _conformance(project, "report", "results.ndjson", "--format", "json")
    assert again.returncode == 0, again.stderr


def _lines(project: Path) -> list[str]:
    assert _conformance(project, "run", "--format", "json").returncode == 0
    return (project / "results.ndjson").read_text().splitlines()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param(lambda lines: [], "results.ndjson: empty: no header", id="empty"),
        pytest.param(lambda lines: lines[:-1], "results.ndjson:5: no footer", id="no-footer"),
        pytest.param(
            lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
            "results.ndjson:2: a result of case 'one'",
            id="result-before-its-case",
        ),
        pytest.param(
            lambda lines: [*lines[:-1], lines[-1], lines[1]],
            "results.ndjson:7: a case record after the footer (line 6)",
            id="footer-not-last",
        ),
        pytest.param(
            lambda lines: [lines[0], *lines],
            "results.ndjson:2: a second header",
            id="two-headers",
        ),
    ],
)
def test_report_on_a_file_that_is_not_one_whole_run_is_an_error(
    tmp_path: Path, change: object, words: str
) -> None:
    """Empty, unfinished or out of order: exit 2 naming the file, the line and the fault."""
    project = _project(tmp_path)
    lines = change(_lines(project))  # type: ignore[operator]
    (project / "results.ndjson").write_text("".join(f"{line}\n" for line in lines))
    done = _conformance(project, "report", "results.ndjson", "--format", "json")
    assert done.returncode == 2, done.stdout
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_merged_report_names_the_incomplete_shard(tmp_path: Path) -> None:
    """Of several shard files, the one without a footer is named, by file and place."""
    project = _project(tmp_path)
    lines = _lines(project)
    (project / "s1.ndjson").write_text("".join(f"{line}\n" for line in lines))
    (project / "s2.ndjson").write_text("".join(f"{line}\n" for line in lines[:-1]))
    done = _conformance(project, "report", "s1.ndjson", "s2.ndjson", "--format", "json")
    assert done.returncode == 2
    assert "s2.ndjson:5: shard 2 of 2 merged: no footer" in done.stderr


def test_an_interrupted_run_reads_as_interrupted(tmp_path: Path) -> None:
    """A footer marked interrupted is a whole file: reported as interrupted (exit 130)."""
    project = _project(tmp_path)
    lines = _lines(project)
    footer = json.loads(lines[-1])
    footer["interrupted"] = True
    lines[-1] = json.dumps(footer)
    (project / "results.ndjson").write_text("".join(f"{line}\n" for line in lines))
    done = _conformance(project, "report", "results.ndjson", "--format", "pretty")
    assert done.returncode == 130, done.stderr
    assert "INTERRUPTED" in done.stdout


@pytest.mark.parametrize(
    ("results", "option", "words"),
    [
        pytest.param(
            "folder",
            (),
            f"pyproject.toml [tool.conformance.results]: the results path '{{}}{os.sep}folder' "
            "is a folder",
            id="a-folder",
        ),
        pytest.param(
            "results.ndjson",
            ("--out", "a-file/results.ndjson"),
            "--out: cannot write the results file 'a-file/results.ndjson'",
            id="under-a-file",
        ),
    ],
)
def test_an_unusable_results_path_stops_the_run_before_any_case(
    tmp_path: Path, results: str, option: tuple[str, ...], words: str
) -> None:
    """A results path that is a folder, or under a file: exit 2 naming it, no case runs."""
    project = _project(tmp_path, SKIPPING_HARNESS.replace("skip-all", "stderr-per-case"))
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace("results.ndjson", results))
    (project / "folder").mkdir()
    (project / "a-file").write_text("not a folder")
    done = _conformance(project, "run", *option, "--format", "json")
    assert done.returncode == 2, done.stderr
    assert words.format(project) in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert "fake harness: running case" not in done.stderr
    assert list((project / "folder").iterdir()) == []


def test_case_files_that_hold_no_case_stop_the_run_instead_of_passing_nothing(
    tmp_path: Path,
) -> None:
    """A case file with no case (as `init` writes when the SDKs pair no model): exit 2,
    the file named, no CONFORMANT and no results."""
    project = _project(tmp_path)
    body = {"model": "Thing", "direction": "response", "tests": []}
    (project / "cases" / "things.json").write_text(json.dumps(body))
    done = _conformance(project, "run")
    assert done.returncode == 2, done.stderr
    assert "things.json) hold no case: nothing would run" in done.stderr
    assert "conformance pair" in done.stderr.partition("hint:")[2]
    assert "CONFORMANT" not in done.stdout + done.stderr
    assert not (project / "results.ndjson").exists()


@pytest.mark.parametrize("empty_folder", [False, True], ids=["no-cases-key", "empty-folder"])
def test_generate_for_all_models_needs_no_case_files(tmp_path: Path, empty_folder: bool) -> None:
    """`run --generate N --all-models` with no case files runs the generated cases."""
    project = _project(tmp_path, cases=False)
    extra: tuple[str, ...] = ()
    if empty_folder:
        (project / "cases").mkdir()
        extra = ("--cases", "cases")
    done = _conformance(
        project, "run", "--generate", "3", "--all-models", *extra, "--format", "json"
    )
    assert done.returncode in (0, 1), done.stderr
    summary = json.loads(done.stdout)
    assert summary["cases"] == 3
    assert summary["targets"]["reference-python"]["pass"] >= 1


def test_generate_skips_and_reports_a_model_without_payloads(tmp_path: Path) -> None:
    """`run --generate N --all-models` reports a model with no finite payload and runs the rest."""
    project = _project(tmp_path, cases=False)
    (project / "schema.yaml").write_text(
        THING_SCHEMA
        + "    Knot:\n"
        + "      type: object\n"
        + "      required: [next]\n"
        + "      properties:\n"
        + "        next: {$ref: '#/components/schemas/Knot'}\n"
    )
    done = _conformance(project, "run", "--generate", "3", "--all-models", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert "'Knot'" in done.stderr
    assert "no finite payload" in done.stderr
    summary = json.loads(done.stdout)
    assert summary["cases"] == 3
    assert summary["targets"]["reference-python"]["pass"] >= 1
