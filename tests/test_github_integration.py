"""The GitHub action, the workflows and the pre-commit hook: what our own contract needs.

Their schemas are checked by ``nox -s lint`` (check-jsonschema); here, that the pieces
fit together: the example workflow uses the action, the action reads only inputs it
declares, the hook's entry is a real command, and the action's shell steps do what they
say when run as GitHub runs them (bash -eo pipefail, outputs through $GITHUB_OUTPUT).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conformance.cli import main
from conformance.cli.check import line_of_path

ROOT = Path(__file__).parent.parent
ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / ".github" / "workflows" / "conformance.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GOOD_CASES = {
    "model": "Thing",
    "direction": "response",
    "tests": [{"id": "one", "wire": {"count": 1}}],
}
BAD_CASES = """{
  "model": "Thing",
  "direction": "response",
  "tests": [
    {"id": "one", "wire": {"count": 1}},
    {"id": "two", "wire": {"count": 2}, "valid": "no"}
  ]
}
"""


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _action_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _yaml(ACTION)["runs"]["steps"]
    return steps


def _step(name: str) -> dict[str, Any]:
    return next(s for s in _action_steps() if s.get("name") == name)


def test_example_workflow_runs_each_shard_through_the_local_action() -> None:
    """Every shard of the example workflow runs the suite through this repository's action."""
    shards = _yaml(EXAMPLE)["jobs"]["run"]
    uses = [step for step in shards["steps"] if step.get("uses") == "./"]
    assert len(uses) == 1
    assert uses[0]["with"]["args"].startswith("--shard ${{ matrix.shard }}/4 --out ")
    assert shards["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]


def test_example_workflow_fills_the_sdk_cache_once_before_the_shards() -> None:
    """One job installs the SDKs through the action alone, and the shards wait for it."""
    jobs = _yaml(EXAMPLE)["jobs"]
    install = [s for s in jobs["install"]["steps"] if s.get("uses") == "./"]
    assert [s["with"]["install-only"] for s in install] == ["true"]
    assert jobs["run"]["needs"] == "install"
    assert jobs["report"]["needs"] == "run"


def test_example_workflow_passes_only_inputs_the_action_declares() -> None:
    """Each `with:` key of a step using the action is one of its inputs."""
    declared = set(_yaml(ACTION)["inputs"])
    jobs = _yaml(EXAMPLE)["jobs"]
    given = {
        key
        for job in jobs.values()
        for step in job["steps"]
        if step.get("uses") == "./"
        for key in step.get("with", {})
    }
    assert given
    assert given <= declared


def test_action_reads_only_inputs_it_declares() -> None:
    """Every ``inputs.X`` in an expression of action.yml is a declared input."""
    text = ACTION.read_text("utf-8")
    expressions = re.findall(r"\$\{\{(.*?)\}\}", text)
    read = {name for e in expressions for name in re.findall(r"inputs\.([A-Za-z0-9_-]+)", e)}
    assert read
    assert read <= set(_yaml(ACTION)["inputs"])


def test_action_outputs_come_from_steps_that_exist() -> None:
    """Each output of the action names the id of one of its steps."""
    ids = {step["id"] for step in _action_steps() if "id" in step}
    outputs = _yaml(ACTION)["outputs"]
    named = [re.findall(r"steps\.([A-Za-z0-9_-]+)\.", o["value"]) for o in outputs.values()]
    assert set(outputs) == {"exit-code", "results", "cache-hit"}
    assert all(len(steps) == 1 and steps[0] in ids for steps in named)


def test_ci_workflow_runs_the_ci_script() -> None:
    """The repository's CI runs `.ci/run`, the README's test command."""
    steps = _yaml(CI)["jobs"]["test"]["steps"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in steps)


def _hook_args() -> list[str]:
    hooks = _yaml(HOOKS)
    assert [hook["id"] for hook in hooks] == ["conformance-check"]
    assert hooks[0]["types"] == ["json"]
    words = shlex.split(hooks[0]["entry"])
    assert words[0] == "conformance"
    return words[1:]


def test_pre_commit_hook_passes_a_good_case_file(tmp_path: Path) -> None:
    """The hook's entry, given a valid case file, exits 0."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD_CASES))
    result = CliRunner().invoke(main, [*_hook_args(), str(good)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_pre_commit_hook_names_the_file_and_line_of_a_bad_case(tmp_path: Path) -> None:
    """The hook's entry, given a case file with a bad case, exits 1 naming its file and line."""
    bad = tmp_path / "bad.json"
    bad.write_text(BAD_CASES)
    result = CliRunner().invoke(main, [*_hook_args(), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{bad}:6 at $.tests[1].valid (case 'two'): ")


def test_check_names_the_line_of_a_bad_expected_entry(tmp_path: Path) -> None:
    """An expected-failures entry of an unknown kind is reported at the line of its kind."""
    expected = tmp_path / "expected-failures.json"
    entries = [
        {"case": "a", "kind": "value", "path": "$", "reason": "r"},
        {"case": "b", "kind": "nope", "path": "$", "reason": "r"},
    ]
    expected.write_text(json.dumps({"expected": entries}, indent=2))
    result = CliRunner().invoke(main, ["check", str(expected)])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{expected}:11 at $.expected[1].kind: unknown divergence kind 'nope'\n"
    )


def test_check_tells_expected_files_from_case_files_by_content(tmp_path: Path) -> None:
    """A folder holding both kinds of file checks each as what it is."""
    (tmp_path / "cases.json").write_text(json.dumps(GOOD_CASES))
    (tmp_path / "known.json").write_text(json.dumps({"expected": []}))
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_check_without_files_checks_the_configured_suite() -> None:
    """With no files, the bundled [tool.conformance] cases and expected file pass."""
    result = CliRunner().invoke(main, ["check", "--config", str(ROOT / "pyproject.toml")])
    assert (result.exit_code, result.stdout) == (0, "")
    assert "checked 2 file(s): 0 problem(s)" in result.stderr


DOCUMENT = """{
  "tests": [
    {"id": "a", "wire": [1, {"k": 2}]},
    {
      "id": "b"
    }
  ]
}"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        pytest.param("$", 1, id="root"),
        pytest.param("$.tests", 2, id="key"),
        pytest.param("$.tests[1]", 4, id="item"),
        pytest.param("$.tests[1].id", 5, id="nested-key"),
        pytest.param("$.tests[0].wire[1].k", 3, id="deep"),
        pytest.param("$.tests[1].missing", 4, id="deepest-part-found"),
    ],
)
def test_line_of_path_finds_where_a_value_stands(path: str, line: int) -> None:
    """The line of a JSON path is the line of its key or array item."""
    assert line_of_path(DOCUMENT, path) == line


def _bash_step(name: str, env: dict[str, str], cwd: Path) -> dict[str, str]:
    """Run one run-step of the action as GitHub does; its outputs from $GITHUB_OUTPUT."""
    output = cwd / "github-output"
    output.write_text("")
    script = _step(name)["run"]
    full = {**os.environ, **env, "GITHUB_OUTPUT": str(output), "RUNNER_OS": "Linux"}
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=full,
        check=True,
        timeout=60,
    )
    outputs: dict[str, str] = {}
    lines = output.read_text().splitlines()
    while lines:
        line = lines.pop(0)
        if "=" in line:
            key, _, outputs[key] = line.partition("=")
            continue
        key, _, end = line.partition("<<")  # a multi-line value, up to its delimiter
        stop = lines.index(end)
        outputs[key], lines = "\n".join(lines[:stop]), lines[stop + 1 :]
    return outputs


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@needs_bash
def test_cache_key_follows_the_files_that_pin_the_sdks(tmp_path: Path) -> None:
    """The SDK cache key changes when a pin file changes, and the paths are in the project."""
    (tmp_path / "sdk").mkdir()
    (tmp_path / "sdk" / "requirements.txt").write_text("orq-ai-sdk==1\n")
    env = {
        "KEY_PREFIX": "conformance-sdk",
        "KEY_FILES": _yaml(ACTION)["inputs"]["cache-key-files"]["default"],
        "CACHE_PATHS": _yaml(ACTION)["inputs"]["cache-paths"]["default"],
        "WORKDIR": "project",
        "PYTHON_VERSION": "3.12.7",
        "NODE_VERSION": "v20.1.0",
    }
    before = _bash_step("SDK cache key and paths", env, tmp_path)
    (tmp_path / "sdk" / "requirements.txt").write_text("orq-ai-sdk==2\n")
    after = _bash_step("SDK cache key and paths", env, tmp_path)
    assert before["key"].startswith("conformance-sdk-Linux-py3.12.7-nodev20.1.0-")
    assert before["key"] != after["key"]
    paths = ["project/.sdk", "project/sdk/node/node_modules", "project/.conformance/sdk"]
    assert before["paths"].splitlines() == paths


def _fake_conformance(bin_dir: Path, status: int) -> None:
    """A `conformance` that writes the files `run` would and exits with ``status``."""
    bin_dir.mkdir()
    fake = bin_dir / "conformance"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        'while [ $# -gt 0 ]; do case "$1" in\n'
        '  --out|--html|--markdown) mkdir -p "$(dirname "$2")"; echo "$1" > "$2"; shift ;;\n'
        "esac; shift; done\n"
        f"exit {status}\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)


@needs_bash
def test_run_step_keeps_the_exit_status_and_names_the_results(tmp_path: Path) -> None:
    """A run that diverges (exit 1) does not stop the step: its status and files are outputs."""
    _fake_conformance(tmp_path / "bin", 1)
    env = {
        "ARGS": "--shard 2/4 --out 'out dir/shard-2.ndjson'",
        "REPORT_DIR": "reports",
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
    }
    outputs = _bash_step("Run conformance", env, tmp_path)
    results = tmp_path.resolve() / "out dir" / "shard-2.ndjson"
    assert outputs == {
        "exit-code": "1",
        "results": str(results),
        "upload": f"{tmp_path.resolve() / 'reports'}\n{results}",
    }
    assert (tmp_path / "reports" / "index.html").is_file()


@needs_bash
def test_step_summary_is_cut_below_githubs_limit(tmp_path: Path) -> None:
    """A Markdown summary over 1 MiB is cut at a line, and the links to the report remain."""
    (tmp_path / "reports").mkdir()
    row = "| case | divergence |\n"
    (tmp_path / "reports" / "summary.md").write_text(row * (2 * 1024 * 1024 // len(row)))
    summary = tmp_path / "step-summary.md"
    env = {
        "SUMMARY": "reports/summary.md",
        "ARTIFACT_URL": "https://github.invalid/artifact/1",
        "RUN_URL": "https://github.invalid/o/r/actions/runs/7",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    _bash_step("Write the step summary", env, tmp_path)
    text = summary.read_text()
    assert len(text.encode()) < 1024 * 1024
    body, _, last = text.rstrip("\n").rpartition("\n")
    assert set(body.splitlines()) == {row.rstrip("\n")}
    assert "https://github.invalid/artifact/1" in last
    assert "https://github.invalid/o/r/actions/runs/7" in last
