"""`conformance init`: what it writes, what it refuses, and what it asks for."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.core.config import load_config
from conformance.sources.cases import load_cases
from tests.tiny_sdks import require

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "tiny-pair" / "openapi.yaml"
PAIR = ("--python-sdk", "tiny-sdk==1.0", "--node-sdk", "@tiny/sdk@1.0.0")


def _init(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", "init", *args],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_init_without_installs_writes_a_configuration_cases_and_expected_file(
    tmp_path: Path,
) -> None:
    """With --no-install the config, one case per spec model and an empty baseline are written."""
    done = _init(tmp_path, "--spec", str(SPEC), *PAIR, "--no-install")
    assert done.returncode == 0, done.stderr
    config = load_config(tmp_path / "pyproject.toml")
    sdks = {t.name: t.options for t in config.targets if t.kind.endswith("-sdk")}
    assert sdks == {
        "tiny-sdk-python": {"package": "tiny_sdk", "requirement": "tiny-sdk==1.0"},
        "tiny-sdk-node": {"package": "@tiny/sdk", "npm": "@tiny/sdk@1.0.0"},
    }
    assert "not paired" in done.stderr
    loaded = load_cases([tmp_path / "cases"], exclude=[tmp_path / "cases/expected-failures.json"])
    assert loaded.errors == ()
    by_model = {case.model: case for case in loaded.cases}
    assert set(by_model) == {"Pet", "Owner"}
    assert by_model["Pet"].wire == {"pet_name": "Rex", "age": 3}  # the spec's example
    expected = json.loads((tmp_path / "cases" / "expected-failures.json").read_text())
    assert expected == {"expected": []}


def test_init_refuses_a_folder_that_is_configured_already(tmp_path: Path) -> None:
    """An existing [tool.conformance] is kept (exit 2) unless --force replaces it."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.conformance]\n')
    done = _init(tmp_path, "--spec", str(SPEC), *PAIR, "--no-install")
    assert done.returncode == 2
    assert "configured already" in done.stderr
    forced = _init(tmp_path, "--spec", str(SPEC), *PAIR, "--no-install", "--force")
    assert forced.returncode == 0, forced.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "x"\n')
    assert text.count("[tool.conformance]") == 1


def test_init_without_a_terminal_names_the_options_it_needs(tmp_path: Path) -> None:
    """With no stdin to ask on, missing answers are a usage error that lists their options."""
    done = _init(tmp_path, "--spec", str(SPEC))
    assert done.returncode == 2
    assert "--python-sdk, --python-package, --node-sdk, --node-package" in done.stderr


ZEBRA_SPEC = """\
openapi: 3.1.0
info: {title: Zebras, version: 1.0.0}
paths: {}
components:
  schemas:
    Zebra:
      type: object
      required: [stripe_count]
      properties:
        stripe_count: {type: integer}
        herd_name: {type: string}
"""


@pytest.mark.network
def test_init_whose_sdks_pair_no_model_says_so_and_fails(tmp_path: Path) -> None:
    """SDKs that pair none of the spec's models: each target is named, no run is suggested,
    exit 1 (not a case file of nothing and `next: conformance run`)."""
    require(shutil.which("npm") is not None, "Node.js and npm")
    shutil.copytree(ROOT / "examples" / "tiny-pair", tmp_path, dirs_exist_ok=True)
    (tmp_path / "zebra.yaml").write_text(ZEBRA_SPEC)
    done = _init(
        tmp_path,
        "--spec",
        "zebra.yaml",
        "--python-sdk",
        "./python",
        "--python-package",
        "tiny_sdk",
        "--node-sdk",
        "./node",
        "--node-package",
        "@tiny/sdk",
    )
    assert done.returncode == 1, done.stderr
    assert "pairs none of the spec's 1 model(s)" in done.stderr
    assert "no model is paired by every SDK target" in done.stderr
    assert "next:" not in done.stdout
