"""Targets built from ``[tool.conformance]``: limits, optional, install hints, relative paths."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.core.config import load_config, parse_config
from conformance.exceptions import HarnessError
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.targets import Target
from conformance.targets.factory import UnavailableTarget, build_targets
from conformance.targets.harness import HarnessTarget
from conformance.targets.recorded import RecordedTarget
from conformance.targets.reference import ReferenceTarget
from tests.tiny_sdks import (
    SDK_PYTHON,
    require_pydantic,
    require_zod,
    write_pydantic_sdk,
    write_zod_sdk,
)

FAKE = [sys.executable, "-m", "conformance.testing"]


def build(section: dict[str, Any], root: Path = Path("/project")) -> dict[str, Target]:
    """The targets ``section`` configures, by name."""
    config = parse_config(section, root, str(root / "pyproject.toml"))
    return {t.name: t for t in build_targets(config, build_models(Schema()))}


def test_start_timeout_comes_from_the_target_else_the_top_level() -> None:
    """A target's own start_timeout wins; the others take [tool.conformance]'s."""
    targets = build(
        {
            "start_timeout": 150,
            "targets": [
                {"name": "own", "kind": "harness", "command": FAKE, "start_timeout": 240},
                {"name": "default", "kind": "harness", "command": FAKE},
            ],
        }
    )
    own, default = targets["own"], targets["default"]
    assert isinstance(own, HarnessTarget)
    assert isinstance(default, HarnessTarget)
    assert (own.start_timeout, default.start_timeout) == (240.0, 150.0)
    assert (own.config_key, default.config_key) == (
        "tool.conformance.targets[0]",
        "tool.conformance.targets[1]",
    )


def test_start_timeout_defaults_to_sixty_seconds() -> None:
    """Without any start_timeout a harness gets the 60 s it always had."""
    target = build({"targets": [{"name": "h", "kind": "harness", "command": FAKE}]})["h"]
    assert isinstance(target, HarnessTarget)
    assert target.start_timeout == 60.0


def test_every_kind_of_target_says_whether_it_is_optional() -> None:
    """``optional = true`` reaches the target of each kind; it is false by default."""
    kinds = [
        {"kind": "reference"},
        {"kind": "recorded", "folder": "rec"},
        {"kind": "harness", "command": FAKE},
        {"kind": "python-sdk", "python": "nowhere/python", "modules": ["m"], "package": "m"},
        {"kind": "node-sdk", "root": "web", "modules": ["m"], "package": "m"},
    ]
    section = {
        "targets": [
            {"name": f"{each['kind']}-{flag}", **each, **({"optional": True} if flag else {})}
            for each in kinds
            for flag in (True, False)
        ]
    }
    targets = build(section)
    assert {name: t.optional for name, t in targets.items()} == {
        f"{each['kind']}-{flag}": flag for each in kinds for flag in (True, False)
    }


def test_install_hint_names_how_to_install_that_target() -> None:
    """Each kind's hint comes from its own options: interpreter, package, root, command, folder."""
    targets = build(
        {
            "targets": [
                {"name": "ref", "kind": "reference"},
                {"name": "rec", "kind": "recorded", "folder": "ci/out"},
                {"name": "h", "kind": "harness", "command": ["bin/harness", "--fast"]},
                {
                    "name": "py",
                    "kind": "python-sdk",
                    "python": "envs/sdk/bin/python",
                    "modules": ["vendor.client.models"],
                    "package": "vendor.client",
                },
                {
                    "name": "js",
                    "kind": "node-sdk",
                    "root": "web",
                    "modules": ["@scope/sdk/models/"],
                    "package": "@scope/sdk",
                },
            ]
        }
    )
    hints = {name: t.install_hint for name, t in targets.items()}
    assert hints == {
        "ref": "",
        "rec": "the SDK's CI must write one <case id>.json per case into /project/ci/out",
        "h": "check its command ['/project/bin/harness', '--fast'] (run in /project)",
        "py": "create the virtualenv `python3 -m venv /project/envs/sdk`, then install the SDK"
        " that provides the import package 'vendor.client' into it:"
        " `/project/envs/sdk/bin/python -m pip install <its PyPI name>`",
        "js": "run `npm install @scope/sdk` in /project/web (with Node.js 20 or later as 'node')",
    }


def test_missing_sdk_is_skipped_with_its_own_install_hint_not_this_repository_s() -> None:
    """A python-sdk whose interpreter is missing skips with the hint for that interpreter."""
    target = build(
        {
            "targets": [
                {
                    "name": "py",
                    "kind": "python-sdk",
                    "python": "envs/sdk/bin/python",
                    "modules": ["vendor.client.models"],
                    "package": "vendor.client",
                    "optional": True,
                }
            ]
        }
    )["py"]
    assert isinstance(target, UnavailableTarget)
    assert target.reason.startswith(
        "the SDK's Python interpreter /project/envs/sdk/bin/python does not exist: "
        "create the virtualenv `python3 -m venv /project/envs/sdk`"
    )
    assert "nox" not in target.reason
    assert target.optional


def test_not_ready_hint_includes_the_install_hint(tmp_path: Path) -> None:
    """A harness that is not ready says how to install or fix that target."""
    command = [*FAKE, "--fault", "not-ready"]
    section = {"targets": [{"name": "h", "kind": "harness", "command": command}]}
    target = build(section, tmp_path)["h"]
    assert isinstance(target, HarnessTarget)
    with target, pytest.raises(HarnessError, match="never ready") as caught:
        target.start()
    assert caught.value.hint == (
        f"check the harness options (modules, package, root); check its command {command!r}"
        f" (run in {tmp_path})"
    )


def test_relative_config_resolves_target_paths_from_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``--config sub/pyproject.toml``, python, node, command and folder paths are sub's."""
    node = shutil.which("node")
    sub = tmp_path / "sub"
    (sub / "tools").mkdir(parents=True)
    (sub / "web" / "node_modules").mkdir(parents=True)
    if node is not None:
        (sub / "tools" / "node").symlink_to(node)
    (sub / "pyproject.toml").write_text(
        """
[[tool.conformance.targets]]
name = "rec"
kind = "recorded"
folder = "rec"

[[tool.conformance.targets]]
name = "h"
kind = "harness"
command = ["bin/harness", "arg"]

[[tool.conformance.targets]]
name = "js"
kind = "node-sdk"
node = "tools/node"
root = "web"
modules = ["m.js"]
package = "m"
"""
    )
    monkeypatch.chdir(tmp_path)
    config = load_config("sub/pyproject.toml")
    targets = {t.name: t for t in build_targets(config, build_models(Schema()))}
    recorded, harness, js = targets["rec"], targets["h"], targets["js"]
    assert isinstance(recorded, RecordedTarget)
    assert recorded.folder == sub / "rec"
    assert isinstance(harness, HarnessTarget)
    assert (harness.command, harness.cwd) == ((str(sub / "bin/harness"), "arg"), str(sub))
    if node is not None:
        assert isinstance(js, HarnessTarget)
        assert js.command[0] == str(sub / "tools/node")


def test_reference_target_needs_no_install() -> None:
    """The reference runs in process: nothing to install, and not optional by default."""
    target = build({"targets": [{"name": "r", "kind": "reference"}]})["r"]
    assert isinstance(target, ReferenceTarget)
    assert (target.install_hint, target.optional) == ("", False)


# -- end to end ---------------------------------------------------------------------

SCHEMA = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [pet_name]
      properties:
        pet_name: {type: string}
"""

PROJECT = """
[tool.conformance]
schema = "schema.yaml"
cases = ["cases"]
results = "out/results.ndjson"
start_timeout = 90

[[tool.conformance.targets]]
name = "tiny-python"
kind = "python-sdk"
python = ".sdk/python/bin/python"
modules = ["vendor.client.models"]
package = "vendor.client"

[[tool.conformance.targets]]
name = "tiny-node"
kind = "node-sdk"
node = "tools/node"
root = "web"
modules = ["@tiny/sdk/models/components/*.js"]
package = "@tiny/sdk"

[[tool.conformance.targets]]
name = "fake"
kind = "harness"
command = ["bin/harness"]

[[tool.conformance.targets]]
name = "ci"
kind = "recorded"
folder = "recorded"
"""


def _project(sub: Path) -> None:
    """A project in ``sub`` whose every target path is relative to it."""
    (sub / "cases").mkdir(parents=True)
    (sub / "schema.yaml").write_text(SCHEMA)
    case = {
        "model": "Pet",
        "direction": "response",
        "tests": [{"id": "p", "wire": {"pet_name": "R"}}],
    }
    (sub / "cases" / "pets.json").write_text(json.dumps(case))
    (sub / "pyproject.toml").write_text(PROJECT)
    source = write_pydantic_sdk(sub / "src")
    python = sub / ".sdk" / "python" / "bin" / "python"
    python.parent.mkdir(parents=True)
    # The SDK's interpreter: the venv with pydantic, seeing the tiny SDK.
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{source}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    harness = sub / "bin" / "harness"
    harness.parent.mkdir()
    harness.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m conformance.testing "$@"\n')
    harness.chmod(0o755)
    (sub / "tools").mkdir()
    (sub / "tools" / "node").symlink_to(str(shutil.which("node")))
    write_zod_sdk(sub / "web")
    (sub / "recorded").mkdir()
    (sub / "recorded" / "p.json").write_text('{"accepted": true, "wire": {"pet_name": "R"}}')


def test_run_with_a_relative_config_from_another_folder_runs_every_target(tmp_path: Path) -> None:
    """``run --config sub/pyproject.toml`` from elsewhere finds each target's relative paths."""
    require_pydantic()
    require_zod()
    _project(tmp_path / "sub")
    command = ["run", "--config", "sub/pyproject.toml", "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-m", "conformance", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = json.loads(done.stdout)
    ran = {name: counts["pass"] for name, counts in summary["targets"].items()}
    assert (done.returncode, summary["totals"]["skipped"], ran) == (
        0,
        0,
        {"tiny-python": 1, "tiny-node": 1, "fake": 1, "ci": 1},
    ), done.stdout[-3000:] + done.stderr[-3000:]
