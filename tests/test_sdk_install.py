"""`conformance sdk install`: declared SDKs installed once, reused while unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conformance.core.config import parse_config
from conformance.engine.sdk_install import InstallFailed, install_sdks
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.targets.factory import build_targets
from conformance.targets.installs import declared_install, python_interpreter
from tests.tiny_sdks import require


def _config(tmp_path: Path, *targets: dict[str, object]) -> Path:
    lines = ["[tool.conformance]"]
    for target in targets:
        lines.append("[[tool.conformance.targets]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in target.items()]
    path = tmp_path / "pyproject.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _python_target(**extra: object) -> dict[str, object]:
    return {"name": "py", "kind": "python-sdk", "modules": ["tiny"], "package": "tiny", **extra}


def _wheel(folder: Path) -> Path:
    """A pure-Python wheel of a package `tiny` (built by hand: no build backend, no network)."""
    path = folder / "tiny-1.0-py3-none-any.whl"
    info = "tiny-1.0.dist-info"
    files = {
        "tiny/__init__.py": "VALUE = 42\n",
        f"{info}/METADATA": "Metadata-Version: 2.1\nName: tiny\nVersion: 1.0\n",
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
        record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
        wheel.writestr(f"{info}/RECORD", record)
    return path


def test_an_undeclared_folder_is_a_cache_folder_keyed_by_the_declaration(tmp_path: Path) -> None:
    """Without `python`, a requirement installs into the SDK cache, one folder per declaration."""
    first = parse_config({"targets": [_python_target(requirement="tiny==1.0")]}, tmp_path)
    second = parse_config({"targets": [_python_target(requirement="tiny==1.1")]}, tmp_path)
    one = declared_install(first.targets[0], first)
    other = declared_install(second.targets[0], second)
    assert one is not None
    assert other is not None
    assert one.folder.parent == tmp_path / ".conformance" / "sdk"
    assert one.folder != other.folder
    assert python_interpreter(first.targets[0], first) == one.folder / "bin" / "python"


def test_a_declared_sdk_that_is_not_installed_says_which_command_installs_it(
    tmp_path: Path,
) -> None:
    """The target skips every case, and its reason names `conformance sdk install`."""
    config = parse_config({"targets": [_python_target(requirement="tiny==1.0")]}, tmp_path)
    [target] = build_targets(config, build_models(Schema({})))
    reason = str(getattr(target, "reason", ""))
    assert "does not exist" in reason
    assert "run `conformance sdk install`" in reason


def test_a_python_sdk_is_installed_once_then_reused(tmp_path: Path) -> None:
    """A local wheel installs into the cache, is reused the second time, and again with force."""
    wheel = _wheel(tmp_path)
    path = _config(tmp_path, _python_target(requirement=str(wheel)))
    said: list[str] = []
    [first] = install_sdks(path, (), False, said.append)
    assert not first.reused
    python = first.folder / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", "import tiny; print(tiny.VALUE)"], capture_output=True, text=True
    )
    assert done.stdout.strip() == "42", done.stderr
    [again] = install_sdks(path, (), False, said.append)
    assert again.reused
    [forced] = install_sdks(path, (), True, said.append)
    assert not forced.reused
    assert sum("installing" in line for line in said) == 2


def test_a_python_sdk_is_installed_with_its_bytecode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its packages are compiled at install, so a harness never imports the SDK from source,
    also where no process may write bytecode."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    wheel = _wheel(tmp_path)
    path = _config(tmp_path, _python_target(requirement=str(wheel)))
    [done] = install_sdks(path, (), False, lambda _: None)
    python = done.folder / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import tiny, importlib.util; print(importlib.util.cache_from_source(tiny.__file__))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_file()


def test_a_node_sdk_from_a_local_folder_is_installed_and_reused(tmp_path: Path) -> None:
    """A local npm package installs into the cache with a lock file, then is reused."""
    require(shutil.which("npm") is not None, "Node.js and npm")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "package.json").write_text('{"name": "tiny-pkg", "version": "1.0.0"}\n')
    (package / "index.js").write_text("module.exports = 42;\n")
    target = {"name": "js", "kind": "node-sdk", "modules": ["tiny-pkg"], "package": "tiny-pkg"}
    path = _config(tmp_path, {**target, "npm": "./pkg"})
    [first] = install_sdks(path, (), False, lambda _: None)
    assert not first.reused
    assert not first.skipped
    assert (first.folder / "node_modules" / "tiny-pkg" / "index.js").exists()
    assert (first.folder / "package-lock.json").exists()
    [again] = install_sdks(path, (), False, lambda _: None)
    assert again.reused


def test_a_folder_pinning_another_version_than_declared_is_refused(tmp_path: Path) -> None:
    """A root whose own package.json pins another version fails with both versions named."""
    require(shutil.which("npm") is not None, "Node.js and npm")
    root = tmp_path / "sdk"
    root.mkdir()
    (root / "package.json").write_text('{"dependencies": {"@acme/sdk": "1.0.0"}}\n')
    target = {"name": "js", "kind": "node-sdk", "modules": ["x"], "package": "@acme/sdk"}
    path = _config(tmp_path, {**target, "root": "sdk", "npm": "@acme/sdk@2.0.0"})
    with pytest.raises(InstallFailed) as failed:
        install_sdks(path, (), False, lambda _: None)
    assert "declares @acme/sdk@2.0.0" in str(failed.value)
    assert "pins @acme/sdk@1.0.0" in str(failed.value)


def test_nothing_declared_is_a_usage_error_that_says_what_to_add(tmp_path: Path) -> None:
    """`sdk install` with no requirement or npm anywhere exits 2 and shows the keys to add."""
    _config(tmp_path, _python_target())
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "sdk", "install"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert 'requirement = "pkg==1.2.3"' in done.stderr
