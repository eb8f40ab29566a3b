"""Sessions: tests, lint, typing, conformance (the main job), sdk, bench."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests", "lint", "typing"]


ROOT = Path(__file__).parent
SDK_DIR = ROOT / ".sdk"  # gitignored; installs are reused while their pins are unchanged


def _stamp(pins: Path) -> str:
    return hashlib.sha256(pins.read_bytes()).hexdigest()


def install_sdks(session: nox.Session) -> None:
    """Install the pinned SDKs: Python ones into .sdk/python, Node ones into sdk/node."""
    pins = ROOT / "sdk" / "python" / "requirements.txt"
    venv = SDK_DIR / "python"
    stamp = venv / "conformance-pins.sha256"
    if not stamp.exists() or stamp.read_text() != _stamp(pins):
        session.log(f"installing the Python SDKs of {pins.relative_to(ROOT)} into {venv}")
        uv = shutil.which("uv")
        if uv:
            session.run(
                uv,
                "venv",
                "--quiet",
                "--allow-existing",
                "--python",
                sys.executable,
                str(venv),
                external=True,
            )
            session.run(
                uv,
                "pip",
                "install",
                "--quiet",
                "--python",
                str(venv / "bin" / "python"),
                "-r",
                str(pins),
                external=True,
            )
        else:
            session.run(sys.executable, "-m", "venv", str(venv), external=True)
            session.run(
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "-r",
                str(pins),
                external=True,
            )
        stamp.write_text(_stamp(pins))
    node_dir = ROOT / "sdk" / "node"
    if shutil.which("node") is None or shutil.which("npm") is None:
        session.warn("Node.js is not on PATH: the Node SDK targets will be skipped")
        return
    lock = node_dir / "package-lock.json"
    installed = node_dir / "node_modules" / ".conformance-lock.sha256"
    if not installed.exists() or installed.read_text() != _stamp(lock):
        session.log(f"installing the Node SDKs of {lock.relative_to(ROOT)}")
        session.run(
            "npm",
            "ci",
            "--prefix",
            str(node_dir),
            "--omit=peer",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            external=True,
        )
        installed.write_text(_stamp(lock))


@nox.session
def conformance(session: nox.Session) -> None:
    """The main job: the bundled suite through the reference and SDK targets, into reports/."""
    install_sdks(session)
    session.install(".")
    reports = ("--html", "reports/index.html", "--markdown", "reports/summary.md")
    session.run("conformance", "run", "--format", "pretty", *reports, *session.posargs)


@nox.session
def sdk(session: nox.Session) -> None:
    """Install the pinned real SDKs (reused on reruns) and run the suite through them."""
    install_sdks(session)
    session.install(".")
    session.run("conformance", "run", "--format", "pretty", *session.posargs)


def ensure_chromium(session: nox.Session) -> None:
    """Debian's Chromium for the browser tests (Playwright drives it; it never downloads one)."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        session.warn("no /usr/bin/chromium and no root apt-get: the browser tests will skip")
        return
    session.log("installing Debian's chromium for the browser tests")
    # Another install holding the dpkg/apt locks is waited for (up to 10 minutes), not failed on.
    wait = ("-o", "DPkg::Lock::Timeout=600")
    session.run("apt-get", *wait, "update", "-qq", external=True)
    install = ("install", "-y", "-qq", "--no-install-recommends", "chromium")
    session.run("apt-get", *wait, *install, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (with the pinned real SDKs and Debian's Chromium installed first)."""
    install_sdks(session)
    ensure_chromium(session)
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, and the import contracts with import-linter."""
    session.install("ruff>=0.6", "import-linter>=2.1", "-e", ".")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", "--no-cache")


@nox.session
def typing(session: nox.Session) -> None:
    """Type-check the package strictly with mypy."""
    # pytest: the pytest plugin module is type-checked against its API.
    session.install("-e", ".", "mypy>=1.11", "types-PyYAML", "types-jsonschema", "pytest>=8")
    session.run("mypy")


BENCHES = ("reference", "harness", "docs", "report", "findings")


@nox.session
def bench(session: nox.Session) -> None:
    """Print speed figures: `nox -s bench -- [reference|harness|docs|report|findings] [args]`."""
    which = session.posargs[0] if session.posargs and session.posargs[0] in BENCHES else "reference"
    rest = session.posargs[1:] if session.posargs and session.posargs[0] in BENCHES else []
    session.install("-e", ".[test]")
    if which == "harness":
        install_sdks(session)
    session.run("python", f"bench/bench_{which}.py", *rest)


@nox.session
def scale(session: nox.Session) -> None:
    """Generated payloads of every model of the SDK pair: `nox -s scale -- [--count N ...]`."""
    install_sdks(session)
    session.install(".")
    session.run("conformance", "scale", "--format", "pretty", *session.posargs)
