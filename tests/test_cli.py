"""The command line, end to end through ``python -m conformance`` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.cli import reports_errors

ROOT = Path(__file__).parent.parent
SCHEMA = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [count]
      properties:
        count: {type: integer}
        error_code: {type: string}
        errorCode: {type: string}
"""


def _conformance(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with a schema, a case file and no pyproject."""
    (tmp_path / "schema.yaml").write_text(SCHEMA)
    (tmp_path / "cases").mkdir()
    return tmp_path


def _cases(project: Path, *tests: dict[str, object]) -> None:
    body = {"model": "Thing", "direction": "response", "tests": list(tests)}
    (project / "cases" / "things.json").write_text(json.dumps(body))


def _run(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _conformance(
        "run",
        "--schema",
        str(project / "schema.yaml"),
        "--cases",
        str(project / "cases"),
        "--out",
        str(project / "results.ndjson"),
        *extra,
        cwd=project,
    )


def test_bundled_default_runs_conformant_and_writes_results(tmp_path: Path) -> None:
    """`conformance run` in the repository runs the bundled suite and exits 0."""
    out = tmp_path / "results.ndjson"
    done = _conformance(
        "run",
        "--out",
        str(out),
        "--format",
        "json",
        "--target",
        "reference-python",
        "--target",
        "reference-typescript",
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["totals"]["pass"] == 2 * summary["cases"] > 0
    assert out.read_text().count('"record":"result"') == 2 * summary["cases"]


def test_divergence_exits_one_with_the_path_in_the_summary(project: Path) -> None:
    """A payload the reference rejects though the case calls it valid: exit 1, path shown."""
    _cases(project, {"id": "bad", "wire": {"count": "7"}})
    done = _run(project, "--format", "pretty")
    assert done.returncode == 1
    assert "accept" in done.stdout
    assert "expected integer, got string '7' @ $.count" in done.stdout
    assert "NOT CONFORMANT" in done.stdout


def test_json_summary_is_the_default_off_a_terminal(project: Path) -> None:
    """Piped stdout gets JSON."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    done = _run(project)
    assert done.returncode == 0
    assert json.loads(done.stdout)["exit_code"] == 0


def test_missing_schema_is_a_usage_error_without_traceback(project: Path) -> None:
    """A configuration error exits 2 with a message and a hint, never a traceback."""
    done = _conformance("run", "--schema", str(project / "nope.yaml"), cwd=project)
    assert done.returncode == 2
    assert "no such schema file" in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_target_is_a_usage_error(project: Path) -> None:
    """Selecting a target that is not configured exits 2 and lists the known ones."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    done = _run(project, "--target", "nope")
    assert done.returncode == 2
    assert "reference-python" in done.stderr


def test_bad_case_file_is_reported_and_other_cases_still_run(project: Path) -> None:
    """A broken file is named with its line; the good file's cases run; exit 1."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    (project / "cases" / "broken.json").write_text('{"tests": [\n oops]}')
    done = _run(project, "--format", "json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert summary["totals"]["pass"] == 2
    (problem,) = summary["problems"]
    assert "broken.json:2:2" in problem


def test_report_rerenders_and_merges_results(project: Path) -> None:
    """`conformance report` on two results files sums them and keeps the verdict."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    assert _run(project).returncode == 0
    first = project / "results.ndjson"
    second = project / "second.ndjson"
    text = first.read_text()
    second.write_text(
        text.replace('"id":"ok"', '"id":"ok2"').replace('"case":"ok"', '"case":"ok2"')
    )
    done = _conformance("report", str(first), str(second), "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["pass"] == 4


def test_naming_flags_a_collision(project: Path) -> None:
    """`conformance naming` lists names and flags error_code/errorCode."""
    done = _conformance("naming", "--schema", str(project / "schema.yaml"), "--format", "pretty")
    assert done.returncode == 0, done.stderr
    assert "errorCode" in done.stdout
    assert "error_code <- error_code, errorCode" in done.stdout


def test_help_lists_commands() -> None:
    """`--help` documents the commands and the exit codes."""
    done = _conformance("run", "--help")
    assert done.returncode == 0
    assert "Exit status: 0 conformant" in " ".join(done.stdout.split())


def test_progress_bar_is_drawn_on_request_for_long_runs(project: Path) -> None:
    """`--progress` draws the bar on stderr once a run has 200 cases or more."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    done = _run(project, "--progress", "--generate", "200")
    assert done.returncode in (0, 1), done.stderr
    assert "cases" in done.stderr


def test_progress_is_shown_for_a_short_run_too(project: Path) -> None:
    """`--progress` draws the progress of a one-case run as well; `--no-progress` draws none."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    done = _run(project, "--progress")
    assert done.returncode == 0, done.stderr
    assert "cases 1/1 (100%)" in done.stderr
    quiet = _run(project, "--no-progress")
    assert quiet.stderr == ""


def test_an_expected_file_among_the_cases_is_not_read_as_a_case_file(project: Path) -> None:
    """`--expected FILE` inside a cases folder is the baseline, never a case file with errors."""
    _cases(project, {"id": "ok", "wire": {"count": 7}})
    expected = project / "cases" / "known.json"
    expected.write_text('{"expected": []}\n')
    done = _run(project, "--expected", str(expected))
    assert done.returncode == 0, done.stderr
    assert "known.json" not in done.stderr + done.stdout


def test_baseline_update_records_the_failing_divergences(project: Path) -> None:
    """`conformance baseline update` writes one entry per failing divergence and says so."""
    _cases(project, {"id": "ok", "wire": {"count": 7}}, {"id": "bad", "wire": {"count": "7"}})
    expected = project / "expected.json"
    done = _conformance(
        "baseline",
        "update",
        "--schema",
        str(project / "schema.yaml"),
        "--cases",
        str(project / "cases"),
        "--file",
        str(expected),
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    entries = json.loads(expected.read_text())["expected"]
    assert {(e["case"], e["kind"], e["path"]) for e in entries} == {("bad", "accept", "$")}
    assert f"to {expected}: 0 kept, 1 new, 0 stale dropped" in done.stderr
    assert not (project / "expected.json.run.ndjson").exists()


def test_baseline_update_leaves_an_unchanged_file_byte_identical(project: Path) -> None:
    """A second `baseline update` with nothing new and nothing stale leaves the file as it was."""
    _cases(project, {"id": "ok", "wire": {"count": 7}}, {"id": "bad", "wire": {"count": "7"}})
    expected = project / "expected.json"
    args = ["--schema", str(project / "schema.yaml"), "--cases", str(project / "cases")]
    first = _conformance("baseline", "update", *args, "--file", str(expected), cwd=project)
    assert first.returncode == 0, first.stderr
    # Formatted by hand, as a team keeps it: the same entries, other whitespace.
    hand_written = json.dumps(json.loads(expected.read_text()), indent=4) + "\n"
    expected.write_text(hand_written)
    done = _conformance("baseline", "update", *args, "--file", str(expected), cwd=project)
    assert done.returncode == 0, done.stderr
    assert "unchanged" in done.stderr, done.stderr
    assert expected.read_text() == hand_written


def test_pair_lists_a_harness_targets_models(project: Path) -> None:
    """`conformance pair` pairs the schema's models with what a harness target lists."""
    (project / "schema.yaml").write_text(SCHEMA + "    Echo: {type: object}\n")
    (project / "pyproject.toml").write_text(
        f"""
[tool.conformance]
schema = "schema.yaml"

[[tool.conformance.targets]]
name = "fake"
kind = "harness"
command = [{json.dumps(sys.executable)}, "-m", "conformance.testing"]
"""
    )
    done = _conformance("pair", "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["fake"]
    assert (report["pairs"], report["schema_only"], report["sdk_only"]) == (
        [["Echo", "Echo"]],
        ["Thing"],
        0,
    )


def test_an_interruption_before_the_first_case_exits_130_with_a_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C while a command loads, generates or starts its targets exits 130, as an
    interrupted run does, with one line and no traceback."""

    @reports_errors
    def starting() -> None:
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as stopped:
        starting()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "conformance: interrupted before any case ran\n"
