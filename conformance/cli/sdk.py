"""``conformance sdk``: install the SDKs the targets declare."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import config_option, warn
from conformance.engine.sdk_install import InstallFailed, install_sdks


@click.group()
def sdk() -> None:
    """The SDKs the targets drive (`requirement` / `npm` in a target's table)."""


@sdk.command()
@config_option
@click.option("--target", "only", multiple=True, help="Install only this target's SDK.")
@click.option("--force", is_flag=True, help="Install again even where the install is current.")
@reports_errors
def install(config_path: Path | None, only: tuple[str, ...], force: bool) -> None:
    """Install each target's declared SDK, reusing installs whose declaration is unchanged.

    A python-sdk target's `requirement` goes into its `python`'s virtualenv, a
    node-sdk target's `npm` into its `root`; a target that names neither gets a
    folder of the SDK cache (`sdk_cache`, default .conformance/sdk), keyed by a
    hash of what it declares. Exit status: 0 installed, 1 an install failed,
    2 usage or configuration error.
    """
    try:
        installed = install_sdks(config_path, only, force, warn)
    except InstallFailed as error:
        warn(f"conformance: error: {error}")
        sys.exit(1)
    for done in installed:
        if done.skipped:
            warn(f"conformance: {done.target}: not installed: {done.skipped}")
            continue
        how = "current, reused" if done.reused else f"installed in {done.seconds:.1f} s"
        click.echo(f"{done.target}: {done.folder} ({how})")
