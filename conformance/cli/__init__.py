"""The command-line interface: ``conformance`` / ``python -m conformance``.

Data goes to stdout, diagnostics to stderr. Exit codes: 0 conformant,
1 divergences that fail the policy (or target errors, or cases that did not
load), 2 usage or configuration error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import Any, TypeVar

import click

from conformance import __version__
from conformance.exceptions import ConformanceError

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def reports_errors(command: F) -> F:
    """Turn the tool's own errors into a message on stderr and exit code 2, never a traceback;
    an interruption before a run takes signals over (while it loads, generates, starts its
    targets) exits 130, as one during the run does."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConformanceError as error:
            click.echo(f"conformance: error: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("conformance: interrupted before any case ran", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]


def wants_pretty(fmt: str | None) -> bool:
    """Pretty text on a terminal, JSON otherwise, unless ``--format`` says which."""
    if fmt is not None:
        return fmt == "pretty"
    return sys.stdout.isatty()


class _LazyGroup(click.Group):
    """A group that imports a command's module only when that command is asked for: a run
    of `conformance report` does not import the engine, deepdiff or the SDK targets."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command: click.Command = getattr(import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


#: Each command and where it is defined (``module:attribute``).
_COMMANDS = {
    name: f"conformance.cli.{module}:{attribute}"
    for name, module, attribute in (
        ("run", "run", "run"),
        ("report", "report", "report"),
        ("naming", "naming", "naming"),
        ("pair", "pair", "pair"),
        ("docs", "docs", "docs"),
        ("cases", "cases", "cases"),
        ("check", "check", "check"),
        ("generate", "generate", "generate"),
        ("scale", "scale", "scale"),
        ("baseline", "baseline", "baseline"),
        ("findings", "findings", "findings"),
        ("sdk", "sdk", "sdk"),
        ("init", "init", "init"),
    )
}


@click.group(
    cls=_LazyGroup,
    lazy=_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="conformance")
def main() -> None:
    """Check that SDKs of one HTTP API read and write the same wire JSON.

    Reference targets (built from the schema) and SDK targets run shared JSON
    cases; every divergence is reported in wire terms. Configure it in
    [tool.conformance] of pyproject.toml; `conformance run` with no arguments
    runs that configuration.
    """
