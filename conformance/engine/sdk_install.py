"""``conformance sdk install``: install the SDKs the targets declare, reusing current installs.

Python: a virtualenv made with uv where it is on ``PATH`` (``uv venv`` then
``uv pip install``), else with ``python -m venv`` and pip, its packages then compiled to
bytecode. Node: a
``package.json`` of the declared packages is written into the install folder
when the folder has none, ``npm install`` writes the lock file on the first
install, and ``npm ci`` installs from that lock every time after, so a cache
restored in CI installs exactly what the first install resolved. A folder that
already has its own ``package.json`` (a project's pinned SDK folder) is
installed with ``npm ci`` when it has a lock file. An install is reused while
its stamp matches the declaration (``targets.installs``); ``force`` installs again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import define, frozen

from conformance.core.config import Config, load_config
from conformance.exceptions import ConfigError, ConformanceError
from conformance.targets.installs import Install, declared_install

__all__ = ["InstallDone", "InstallFailed", "install_sdks", "npm_spec", "planned_installs"]


@define(auto_exc=True, str=False)
class InstallFailed(ConformanceError):
    """An install command failed; the message names the target, the command and its output."""

    message: str
    hint: str = ""


class NoTool(Exception):
    """The program an install needs (npm) is missing: that target is skipped, the others install."""


@frozen
class InstallDone:
    """One target's install: where it went, whether it was reused, installed now or skipped."""

    target: str
    folder: Path
    reused: bool
    seconds: float
    skipped: str = ""  # why nothing was installed (a missing program)


def planned_installs(config: Config, only: Sequence[str] = ()) -> list[Install]:
    """The installs the configured targets declare (``only``: these targets)."""
    known = {t.name for t in config.targets}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(
            f"unknown target(s) {unknown!r}",
            f"configured targets: {', '.join(sorted(known))}",
            file=config.file,
            key="tool.conformance.targets",
        )
    installs = []
    for each in config.targets:
        if only and each.name not in only:
            continue
        install = declared_install(each, config)
        if install is not None:
            installs.append(install)
    return installs


def install_sdks(
    config_path: Path | None,
    only: Sequence[str],
    force: bool,
    say: Callable[[str], None],
) -> list[InstallDone]:
    """Install every declared SDK that is not installed as declared (all of them: ``force``)."""
    config = load_config(config_path)
    installs = planned_installs(config, only)
    if not installs:
        raise ConfigError(
            "no target declares what to install",
            'add requirement = "pkg==1.2.3" to a python-sdk target, or npm = "pkg@1.2.3" '
            "to a node-sdk target",
            file=config.file,
            key="tool.conformance.targets",
        )
    done = []
    for install in installs:
        began = time.perf_counter()
        if install.current and not force:
            done.append(InstallDone(install.target, install.folder, True, 0.0))
            continue
        say(f"conformance: installing {', '.join(install.specs)} for {install.target!r}")
        try:
            if install.kind == "python":
                _install_python(install)
            else:
                _install_node(install)
        except NoTool as missing:
            done.append(InstallDone(install.target, install.folder, False, 0.0, str(missing)))
            continue
        install.stamp.write_text(
            json.dumps({"digest": install.digest, "specs": list(install.specs)}) + "\n", "utf-8"
        )
        done.append(InstallDone(install.target, install.folder, False, time.perf_counter() - began))
    return done


def _run(install: Install, command: Sequence[str], cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(
            list(command), cwd=cwd, capture_output=True, text=True, check=False, timeout=1800
        )
    except OSError as error:
        raise InstallFailed(
            f"target {install.target!r}: cannot run {command[0]!r}: {error.strerror}",
            "install it, or put it on PATH",
        ) from None
    except subprocess.TimeoutExpired:
        raise InstallFailed(
            f"target {install.target!r}: {' '.join(command)} ran for 30 minutes",
            "check the network and the package index",
        ) from None
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().splitlines()[-15:]
        raise InstallFailed(
            f"target {install.target!r}: `{' '.join(command)}` failed "
            f"(exit {done.returncode}):\n  " + "\n  ".join(output),
            "check the declared specs (requirement / npm) in the target's table",
        )


def _install_python(install: Install) -> None:
    venv = install.folder
    python = venv / "bin" / "python"
    uv = shutil.which("uv")
    if uv:
        if not python.exists():
            _run(install, [uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        _run(install, [uv, "pip", "install", "--quiet", "--python", str(python), *install.specs])
    else:
        if not python.exists():
            _run(install, [sys.executable, "-m", "venv", str(venv)])
        _run(install, [str(python), "-m", "pip", "install", "--quiet", *install.specs])
    _run(install, [str(python), "-c", _COMPILE])


#: Compiles the virtualenv's packages to bytecode. Every harness start imports the SDK: from
#: source, where no bytecode was written (``PYTHONDONTWRITEBYTECODE``, as container images
#: often set, or a folder it cannot write), that doubles its start-up (orq-ai-sdk: 0.42 ->
#: 0.25 s CPU). uv installs without bytecode, and reinstalls nothing already there. A file
#: that does not compile (a package's Python 2 test data) is no failure of the install.
_COMPILE = (
    "import compileall, sysconfig; "
    "compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=2, workers=0)"
)


def npm_spec(spec: str) -> tuple[str, str]:
    """``(name, version)`` of a registry spec: ``@scope/pkg@1.2.3`` keeps its scope; a spec
    without a version gets ``*``."""
    scoped = spec.startswith("@")
    head, at, version = spec[1:].rpartition("@") if scoped else spec.rpartition("@")
    if not at:
        return spec, "*"
    return ("@" + head if scoped else head), version


def _npm_dependency(spec: str) -> tuple[str, str]:
    """``(name, version or file: path)`` of an npm spec (``@scope/pkg@1.2.3``, a local path)."""
    if spec.startswith("/"):
        manifest = json.loads((Path(spec) / "package.json").read_text("utf-8"))
        return str(manifest["name"]), f"file:{spec}"
    return npm_spec(spec)


def _check_manifest(install: Install, manifest: Path, declared: dict[str, str]) -> None:
    """A folder's own package.json must pin what the target declares: ``npm ci`` installs that."""
    try:
        pinned = json.loads(manifest.read_text("utf-8")).get("dependencies", {})
    except (OSError, ValueError, AttributeError) as error:
        raise InstallFailed(
            f"target {install.target!r}: cannot read {manifest}: {error}",
            "fix the file, or delete it to let `conformance sdk install` write one",
        ) from None
    wrong = {name: version for name, version in declared.items() if pinned.get(name) != version}
    if wrong:
        shown = ", ".join(f"{name}@{version}" for name, version in wrong.items())
        raise InstallFailed(
            f"target {install.target!r} declares {shown}, but {manifest} pins "
            + ", ".join(f"{name}@{pinned.get(name, '(none)')}" for name in wrong),
            "make the two agree (the declaration is what the results header reports)",
        )


def _install_node(install: Install) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise NoTool("npm is not on PATH: install Node.js 20 or later (it brings npm)")
    folder = install.folder
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "package.json"
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    dependencies = dict(_npm_dependency(spec) for spec in install.specs)
    if manifest.exists():
        _check_manifest(install, manifest, dependencies)
    else:
        manifest.write_text(
            json.dumps(
                {
                    "name": f"conformance-sdk-{install.target.lower()}".replace(" ", "-"),
                    "private": True,
                    "description": f"written by `conformance sdk install` for {install.target}",
                    "dependencies": dependencies,
                },
                indent=2,
            )
            + "\n",
            "utf-8",
        )
    # A local package is copied in with its own dependencies, as a published one would be
    # (a bare symlink would leave them unresolved from the package's real folder).
    quiet.append("--install-links")
    if (folder / "package-lock.json").exists():
        _run(install, [npm, "ci", "--omit=peer", *quiet], cwd=folder)
    else:
        _run(install, [npm, "install", "--omit=peer", *quiet], cwd=folder)
