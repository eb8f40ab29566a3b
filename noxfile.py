"""Sessions: tests, lint, typing, conformance (the main job), sdk, bench."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests", "lint", "typing"]


ROOT = Path(__file__).parent


def sync(session: nox.Session, *selection: str) -> None:
    """Install the project (editable) and ``selection`` (``--extra``/``--group``) exactly as
    uv.lock pins them: a new release of a dependency cannot change a session until
    `uv lock --upgrade` moves the pins (``--locked`` fails on a lock that pyproject outgrew).

    Everything is compiled to bytecode once, here: where processes may not write it
    (``PYTHONDONTWRITEBYTECODE``, as container images often set), every ``conformance``
    process (the tests start hundreds) would otherwise compile its imports from source."""
    env = {"UV_PROJECT_ENVIRONMENT": str(session.virtualenv.location), "UV_COMPILE_BYTECODE": "1"}
    session.run_install("uv", "sync", "--locked", *selection, env=env, external=True)
    session.run_install("python", "-m", "compileall", "-q", "-j", "0", "conformance", silent=True)


def install_sdks(session: nox.Session) -> None:
    """The SDKs the [tool.conformance] targets declare, installed by the tool itself (which
    the session has installed first).

    `conformance sdk install` reuses an install while its declaration is unchanged
    (the Python SDK in .sdk/python, the Node SDK in sdk/node from its lock file).
    Without Node.js it installs the Python SDK and says the Node one is skipped.
    """
    session.run("conformance", "sdk", "install")


@nox.session
def conformance(session: nox.Session) -> None:
    """The main job: the bundled suite through the reference and SDK targets, into reports/."""
    sync(session)
    install_sdks(session)
    reports = ("--html", "reports/index.html", "--markdown", "reports/summary.md")
    session.run("conformance", "run", "--format", "pretty", *reports, *session.posargs)


@nox.session
def sdk(session: nox.Session) -> None:
    """Install the pinned real SDKs (reused on reruns) and run the suite through them."""
    sync(session)
    install_sdks(session)
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
    sync(session, "--extra", "test")
    install_sdks(session)
    ensure_chromium(session)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, the import contracts with import-linter, and
    the GitHub workflows and action against their schemas."""
    sync(session, "--group", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", "--no-cache")
    # The schemas ship inside check-jsonschema (--builtin-schema): no download.
    workflows = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(".github/workflows/*.yml"))
    vendor = ("check-jsonschema", "--builtin-schema")
    session.run(*vendor, "vendor.github-workflows", *workflows)
    session.run(*vendor, "vendor.github-actions", "action.yml")


@nox.session
def typing(session: nox.Session) -> None:
    """Type-check the package strictly with mypy."""
    # pytest (in the group): the pytest plugin module is type-checked against its API.
    sync(session, "--group", "typing")
    session.run("mypy")


BENCHES = ("reference", "harness", "docs", "report", "findings", "probes", "goals", "main")


@nox.session
def bench(session: nox.Session) -> None:
    """Print speed figures: `nox -s bench -- [BENCH] [args]`, BENCH one of BENCHES."""
    which = session.posargs[0] if session.posargs and session.posargs[0] in BENCHES else "reference"
    rest = session.posargs[1:] if session.posargs and session.posargs[0] in BENCHES else []
    sync(session, "--extra", "test")
    if which in ("harness", "goals", "main"):
        install_sdks(session)
    session.run("python", f"bench/bench_{which}.py", *rest)


@nox.session
def scale(session: nox.Session) -> None:
    """Generated payloads of every model of the SDK pair: `nox -s scale -- [--count N ...]`."""
    sync(session)
    install_sdks(session)
    session.run("conformance", "scale", "--format", "pretty", *session.posargs)
