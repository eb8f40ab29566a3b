"""Sessions: tests, lint, typing, conformance (the main job), bench."""

from __future__ import annotations

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests", "lint", "typing"]


@nox.session
def conformance(session: nox.Session) -> None:
    """Run the bundled default suite; write reports/results.ndjson (the main job)."""
    session.install(".")
    session.run("conformance", "run", "--format", "pretty", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """Type-check the package strictly with mypy."""
    session.install("-e", ".", "mypy>=1.11", "types-PyYAML", "types-jsonschema")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Print case-checks per second of the reference targets beside json.loads + ==."""
    session.install(".")
    session.run("python", "bench/bench_reference.py", *session.posargs)
