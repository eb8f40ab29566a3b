"""``pytest --conformance``: one item per case and target, run through the engine once.

Each test writes a small project (a schema, two cases, the two reference targets and a
fake harness target) and runs pytest on it with pytester, in a subprocess (an in-process
run drops the modules first imported during it, and the next run's fresh copies disagree
with the ones kept, e.g. on YAML constructors). The plugin is loaded by name
and its entry point blocked, so the tests behave the same whether or not the installed
package already registers it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.projects import REFERENCES, THING_SCHEMA

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ("-p", "no:conformance", "-p", "conformance.pytest_plugin", "-p", "no:cacheprovider")
HARNESS = """
[[tool.conformance.targets]]
name = "sdk"
kind = "harness"
command = {command}
"""
#: Every item of a project whose targets all pass.
ITEMS = [
    f"pyproject.toml::{case}[{target}]"
    for case in ("one", "two")
    for target in ("reference-python", "reference-typescript", "sdk")
]
#: The fake harness's answer to every case: it writes ``count: 2`` whatever it read.
WRITES_TWO = '{"seq": {seq}, "accepted": true, "wire": {"count": 2}, "native": {"count": 2}}'


def _harness(*fault: str) -> str:
    """The ``sdk`` target: the fake harness of ``conformance.testing`` (with ``fault``)."""
    command = [sys.executable, "-m", "conformance.testing", *fault]
    return HARNESS.format(command=json.dumps(command))


def _project(
    pytester: pytest.Pytester, harness: str, expected: list[dict[str, object]] | None = None
) -> None:
    """Schema, two cases (``one``: count 1, ``two``: count 2), targets, expected failures."""
    pytester.makefile(".yaml", schema=THING_SCHEMA)
    tests = [{"id": "one", "wire": {"count": 1}}, {"id": "two", "wire": {"count": 2}}]
    (pytester.path / "cases").mkdir()
    (pytester.path / "cases" / "things.json").write_text(
        json.dumps({"model": "Thing", "direction": "response", "tests": tests})
    )
    settings = 'schema = "schema.yaml"\ncases = ["cases"]\n'
    if expected is not None:
        (pytester.path / "expected.json").write_text(json.dumps({"expected": expected}))
        settings += 'expected = "expected.json"\n'
    (pytester.path / "pyproject.toml").write_text(
        f"[tool.conformance]\n{settings}{REFERENCES}{harness}"
    )


def _writes_two(pytester: pytest.Pytester) -> str:
    """A harness target that writes ``count: 2`` for every case: case ``one`` diverges."""
    script = pytester.path / "answer.txt"
    script.write_text(WRITES_TWO)
    return _harness("--fault", "scripted", "--script", str(script))


ENTRY = {
    "case": "one",
    "targets": ["sdk"],
    "kind": "value",
    "path": "$.count",
    "reason": "sdk writes 2",
}


def _items(result: pytest.RunResult, outcome: str) -> list[str]:
    """The node ids ``-v`` reported with ``outcome`` (PASSED, FAILED, XFAIL, ...)."""
    found = (re.match(rf"(\S.*?) {outcome}( |$)", line) for line in result.outlines)
    return [match.group(1) for match in found if match]


def test_a_conformant_project_passes_every_item(pytester: pytest.Pytester) -> None:
    """Every case through every target is one item named ``<case>[<target>]``, and each passes."""
    _project(pytester, _harness())
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=6)
    assert _items(result, "PASSED") == ITEMS
    assert (
        "2 case(s) x 3 target(s): conformant (`conformance run` would exit 0)"
        in result.stdout.str()
    )


def test_a_planted_divergence_fails_its_item_showing_the_path_and_both_values(
    pytester: pytest.Pytester,
) -> None:
    """The target that writes another value fails on that case only, in wire terms."""
    _project(pytester, _writes_two(pytester))
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=5, failed=1)
    assert _items(result, "FAILED") == ["pyproject.toml::one[sdk]"]
    result.stdout.fnmatch_lines(
        [
            "one (Thing) [[]sdk[]] diverges:",
            "  FAIL value $.count: input: 1 | sdk: 2 (1 vs 2)",
        ]
    )


def test_an_expected_failure_is_an_xfail_with_its_reason(pytester: pytest.Pytester) -> None:
    """A divergence the expected-failures file lists is an xfail, and pytest shows the reason."""
    _project(pytester, _writes_two(pytester), [ENTRY])
    result = pytester.runpytest_subprocess("--conformance", "-v", "-rx", *PLUGIN)
    result.assert_outcomes(passed=5, xfailed=1)
    assert _items(result, "XFAIL") == ["pyproject.toml::one[sdk]"]
    result.stdout.fnmatch_lines(
        ["XFAIL pyproject.toml::one[[]sdk[]] - expected failure: sdk writes 2"]
    )


def test_a_stale_expected_failure_fails_the_item_it_names(pytester: pytest.Pytester) -> None:
    """An entry whose divergence no longer happens makes its item XPASS strictly: a failure."""
    _project(pytester, _harness(), [ENTRY])
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=5, failed=1)
    assert _items(result, "FAILED") == ["pyproject.toml::one[sdk]"]
    result.stdout.fnmatch_lines(
        ["*[[]XPASS(strict)[]] stale expected failure: one value $.count (sdk): sdk writes 2;*"]
    )


def test_a_stale_entry_beside_a_matched_one_fails_the_item_instead_of_xfailing(
    pytester: pytest.Pytester,
) -> None:
    """An item that still xfails by one entry, while another entry for it is stale, fails."""
    gone = {**ENTRY, "path": "$.other", "reason": "fixed since"}
    _project(pytester, _writes_two(pytester), [ENTRY, gone])
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=5, failed=1)
    assert _items(result, "FAILED") == ["pyproject.toml::one[sdk]"]
    result.stdout.fnmatch_lines(["stale expected failure: one value $.other (sdk): fixed since;*"])


def test_a_skipped_case_is_a_skip_and_a_target_that_ran_none_fails(
    pytester: pytest.Pytester,
) -> None:
    """Skipped results are skips with the harness's reason; the idle target is one failing item."""
    _project(pytester, _harness("--fault", "skip-all"))
    result = pytester.runpytest_subprocess("--conformance", "-v", "-rs", *PLUGIN)
    result.assert_outcomes(passed=4, skipped=2, failed=1)
    assert _items(result, "FAILED") == ["pyproject.toml::(ran no case)[sdk]"]
    result.stdout.fnmatch_lines(
        [
            "target 'sdk' ran no case (fails the run): skipped every case: *",
            "  hint: *conformance.testing*",
            "SKIPPED [[]1[]] cases/things.json: sdk skipped one: *Thing",
            "SKIPPED [[]1[]] cases/things.json: sdk skipped two: *Thing",
        ]
    )


def test_a_target_error_is_an_error_with_the_harness_message(pytester: pytest.Pytester) -> None:
    """A harness that crashes on a case errors that item (at setup); its other case still runs."""
    _project(pytester, _harness("--fault", "crash-mid-run", "--at", "2"))
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of two[[]sdk[]]*",
            "sdk could not run two: *exit*3*",
            "*Captured harness stderr setup*",
            "fake harness: crashing on case two",
        ]
    )


def test_the_results_file_is_kept_where_conformance_out_says(pytester: pytest.Pytester) -> None:
    """``--conformance-out`` keeps the run's results (for ``conformance report``) and says where."""
    _project(pytester, _writes_two(pytester))
    result = pytester.runpytest_subprocess(
        "--conformance", "--conformance-out", "kept.ndjson", *PLUGIN
    )
    result.assert_outcomes(passed=5, failed=1)
    kept = pytester.path / "kept.ndjson"
    footer = json.loads(kept.read_text().splitlines()[-1])
    assert (footer["record"], footer["exit_code"], footer["totals"]["diverge"]) == ("footer", 1, 1)
    result.stdout.fnmatch_lines([f"*(`conformance run` would exit 1); results: {kept}"])


def test_a_case_file_that_does_not_load_is_a_failing_item(pytester: pytest.Pytester) -> None:
    """A broken case file fails the session as it fails the run; the other cases still run."""
    _project(pytester, _harness())
    (pytester.path / "cases" / "broken.json").write_text("{")
    result = pytester.runpytest_subprocess("--conformance", "-v", *PLUGIN)
    result.assert_outcomes(passed=6, failed=1)
    assert _items(result, "FAILED") == ["pyproject.toml::(did not load)[cases/broken.json]"]
    result.stdout.fnmatch_lines(["did not load: *broken.json*"])


def test_a_configuration_error_is_a_collection_error_without_a_traceback(
    pytester: pytest.Pytester,
) -> None:
    """A configuration the engine refuses is reported as `conformance run` reports it."""
    (pytester.path / "pyproject.toml").write_text('[tool.conformance]\ncases = ["cases"]\n')
    result = pytester.runpytest_subprocess("--conformance", *PLUGIN)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["conformance: error: *no schema configured", "  hint: *--schema*"])
    assert "Traceback" not in result.stdout.str()


def test_without_the_option_nothing_is_collected_from_the_configuration(
    pytester: pytest.Pytester,
) -> None:
    """The plugin is inert without ``--conformance``: only the project's own tests run."""
    _project(pytester, _writes_two(pytester))
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    result = pytester.runpytest_subprocess("-v", ".", *PLUGIN)
    result.assert_outcomes(passed=1)
    assert _items(result, "PASSED") == ["test_own.py::test_own"]
    with_it = pytester.runpytest_subprocess("--conformance", ".", *PLUGIN)
    with_it.assert_outcomes(passed=6, failed=1)


def test_the_hook_module_imports_nothing_else_of_the_package() -> None:
    """Loading the plugin costs one module: the engine is imported only with ``--conformance``."""
    code = (
        "import sys, conformance.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith('conformance')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "['conformance', 'conformance.pytest_plugin']"


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    """pyproject.toml declares the entry point pytest loads plugins from."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    entry = project["project"]["entry-points"]["pytest11"]
    assert entry == {"conformance": "conformance.pytest_plugin"}


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    message = f"{what} is not installed: run `nox -s tests` (it installs the pinned SDKs)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_the_bundled_suite_shows_its_expected_failures_as_xfails(pytester: pytest.Pytester) -> None:
    """This repository's suite under pytest: the listed SDK divergences xfail, nothing fails."""
    _require((ROOT / ".sdk" / "python" / "bin" / "python").exists(), "orq-ai-sdk")
    _require((ROOT / "sdk" / "node" / "node_modules").exists(), "@orq-ai/node")
    config = str(ROOT / "pyproject.toml")
    result = pytester.runpytest_subprocess(
        "--conformance",
        "-c",
        config,
        "--rootdir",
        str(ROOT),
        "-rx",
        config,
        *PLUGIN,
        timeout=600,
    )
    outcomes = result.parseoutcomes()
    assert (outcomes.get("failed", 0), outcomes.get("errors", 0)) == (0, 0), result.stdout.str()
    assert outcomes["xfailed"] > 0
    assert outcomes["passed"] > 0
    assert "skipped" not in outcomes
    result.stdout.fnmatch_lines(
        ["XFAIL *pyproject.toml::big-integer-number[[]orq-python[]] - expected failure: *"]
    )
    assert result.ret == pytest.ExitCode.OK
