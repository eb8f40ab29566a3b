"""The README's "Your own SDK pair" walkthrough, run as written in a fresh folder.

The tool is pip-installed into a virtualenv of its own outside this repository (as
a new user installs it), and the README's commands run there, one by one, against a
copy of ``examples/tiny-pair``: ``init`` installs the two tiny SDKs from their
folders (pydantic and zod come from the registries), ``run`` writes results and the
HTML report, ``report`` the Markdown.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tiny_sdks import require

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.network


def walkthrough() -> list[str]:
    """The commands of the README's walkthrough block, in order."""
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"<!-- walkthrough -->\n```sh\n(.*?)```", text, re.S)
    assert match, "README.md has no walkthrough block"
    return [line for line in match[1].splitlines() if line.strip()]


def _install_tool(venv: Path) -> None:
    """`pip install <this repository>` into a fresh virtualenv (uv's pip when it is there)."""
    uv = shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
        command = [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        command = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*command, str(ROOT)], check=True, timeout=600)


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    """init, run and report from the README give results, an HTML and a Markdown report."""
    require(shutil.which("npm") is not None, "Node.js and npm")
    venv = tmp_path / "venv"
    _install_tool(venv)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    # One shell, so `cd` carries over as it does for a reader; each command's status is kept.
    script = "\n".join(f'{line}\necho "status: $?" >&2' for line in walkthrough())
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    statuses = [int(s) for s in re.findall(r"^status: (\d+)$", done.stderr, re.M)]
    # The run finds @tiny/sdk rounding an integer beyond 2^53, as the README says: exit 1.
    assert statuses == [0, 0, 1, 1], done.stderr
    project = work / "my-pair"
    assert (project / "reports" / "index.html").is_file()
    assert "tiny-sdk-node" in (project / "reports" / "summary.md").read_text("utf-8")
    assert "next: conformance run" in done.stdout
    lines = (project / "reports" / "results.ndjson").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    findings = [r for r in records if r["record"] == "finding"]
    assert any(f["diverging"] == ["tiny-sdk-node"] for f in findings), findings
