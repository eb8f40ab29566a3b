"""The house: the import contracts in pyproject.toml hold, and a backward import breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on ``project`` (a folder holding ``conformance/`` and pyproject)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(project / "pyproject.toml")],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package and its pyproject.toml, to break on purpose."""
    shutil.copytree(ROOT / "conformance", tmp_path / "conformance")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_every_contract() -> None:
    """The package as it is keeps every import contract."""
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "backward"),
    [
        pytest.param("core/jsonwire.py", "conformance.schema", id="core-imports-schema"),
        pytest.param("sources/cases.py", "conformance.oracle.models", id="sources-import-oracle"),
        pytest.param("oracle/models.py", "conformance.targets", id="oracle-imports-targets"),
        pytest.param("results/summary.py", "conformance.engine", id="results-import-engine"),
        pytest.param("report/terminal.py", "conformance.engine.runner", id="report-imports-engine"),
        pytest.param("engine/runner.py", "conformance.cli", id="engine-imports-cli"),
    ],
)
def test_a_backward_import_breaks_the_layers(copy: Path, module: str, backward: str) -> None:
    """One import that goes against the data flow makes ``lint-imports`` fail and name it."""
    path = copy / "conformance" / module
    path.write_text(path.read_text() + f"\nimport {backward}  # deliberately backward\n")
    result = _lint(copy)
    assert result.returncode != 0
    importer = "conformance." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {backward}" in result.stdout
