"""The command-line interface: ``conformance`` / ``python -m conformance``.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 conformant,
1 divergences that fail the policy (or target errors, or cases that did not
load), 2 usage or configuration error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from conformance import __version__
from conformance.exceptions import ConformanceError

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_DIVERGED, EXIT_USAGE = 0, 1, 2


def reports_errors(command: F) -> F:
    """Turn the tool's own errors into a message on stderr and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConformanceError as error:
            click.echo(f"conformance: error: {error}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def wants_pretty(fmt: str | None) -> bool:
    """Pretty text on a terminal, JSON otherwise, unless ``--format`` says which."""
    if fmt is not None:
        return fmt == "pretty"
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="conformance")
def main() -> None:
    """Check that SDKs of one HTTP API read and write the same wire JSON.

    Reference targets (built from the schema) and SDK targets run shared JSON
    cases; every divergence is reported in wire terms. Configure it in
    [tool.conformance] of pyproject.toml; `conformance run` with no arguments
    runs that configuration.
    """


def _register() -> None:
    from conformance.cli import (
        baseline,
        cases,
        check,
        docs,
        findings,
        generate,
        init,
        naming,
        pair,
        report,
        run,
        scale,
        sdk,
    )

    main.add_command(run.run)
    main.add_command(report.report)
    main.add_command(naming.naming)
    main.add_command(pair.pair)
    main.add_command(docs.docs)
    main.add_command(cases.cases)
    main.add_command(check.check)
    main.add_command(generate.generate)
    main.add_command(scale.scale)
    main.add_command(baseline.baseline)
    main.add_command(findings.findings)
    main.add_command(sdk.sdk)
    main.add_command(init.init)


_register()
