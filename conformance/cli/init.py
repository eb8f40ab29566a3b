"""``conformance init``: set up a project for one SDK pair."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from conformance.cli import reports_errors
from conformance.cli._common import warn
from conformance.engine.init_project import InitRequest, init_project
from conformance.engine.sdk_install import InstallFailed, npm_spec
from conformance.exceptions import ConfigError

_ASKED = (
    ("spec", "The API's OpenAPI document (a path)"),
    (
        "python_sdk",
        "The Python SDK to install (a pip requirement, e.g. acme-sdk==1.2.3, or a path)",
    ),
    ("python_package", "Its import name (e.g. acme_sdk)"),
    ("node_sdk", "The TypeScript SDK to install (name@version, e.g. @acme/sdk@1.2.3, or a path)"),
    ("node_package", "Its npm package name (e.g. @acme/sdk)"),
)


@click.command()
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="OpenAPI document.")
@click.option("--python-sdk", help="Pip requirement (acme-sdk==1.2.3) or local path.")
@click.option(
    "--python-package", help="Import name of the Python SDK (default: from --python-sdk)."
)
@click.option("--node-sdk", help="npm spec (@acme/sdk@1.2.3) or local path.")
@click.option("--node-package", help="npm name of the TypeScript SDK (default: from --node-sdk).")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder (its pyproject.toml gets [tool.conformance]).",
)
@click.option("--no-install", is_flag=True, help="Write the configuration; install nothing.")
@click.option("--force", is_flag=True, help="Replace an existing [tool.conformance].")
@reports_errors
def init(
    spec: Path | None,
    python_sdk: str | None,
    python_package: str | None,
    node_sdk: str | None,
    node_package: str | None,
    folder: Path,
    no_install: bool,
    force: bool,
) -> None:
    """Set up a project for a Python and a TypeScript SDK of one API.

    Writes [tool.conformance] (the spec, reference targets and both SDKs, each
    declaring what `conformance sdk install` installs), installs the SDKs, pairs
    their models with the spec's, writes cases/init.json (one case per paired
    model: the spec's example, else a generated one) and an empty
    cases/expected-failures.json, then prints the next command. Asks for what
    the options do not give when run on a terminal.
    """
    given: dict[str, str | None] = {
        "spec": str(spec) if spec else None,
        "python_sdk": python_sdk,
        "python_package": python_package
        or (python_sdk.split("==")[0].split("[")[0].replace("-", "_") if python_sdk else None),
        "node_sdk": node_sdk,
        "node_package": node_package or (npm_spec(node_sdk)[0] if node_sdk else None),
    }
    local = [k for k in ("python_sdk", "node_sdk") if given[k] and Path(str(given[k])).exists()]
    for key in local:  # a path names no package: ask for (or require) the name
        package = key.replace("_sdk", "_package")
        if (key == "python_sdk" and not python_package) or (key == "node_sdk" and not node_package):
            given[package] = None
    missing = [key for key, _ in _ASKED if not given[key]]
    if missing and not sys.stdin.isatty():
        raise ConfigError(
            "init needs " + ", ".join("--" + k.replace("_", "-") for k in missing),
            "pass them as options (or run init on a terminal to be asked)",
        )
    for key, question in _ASKED:
        if not given[key]:
            given[key] = click.prompt(question)
    request = InitRequest(
        folder=folder,
        spec=Path(str(given["spec"])),
        python_sdk=str(given["python_sdk"]),
        python_package=str(given["python_package"]),
        node_sdk=str(given["node_sdk"]),
        node_package=str(given["node_package"]),
        install=not no_install,
        force=force,
    )
    try:
        done = init_project(request, warn)
    except InstallFailed as error:
        warn(f"conformance: error: {error}")
        sys.exit(1)
    click.echo(f"wrote [tool.conformance] to {done.pyproject}")
    click.echo(
        f"wrote {len(done.paired)} case(s) to {done.cases} "
        f"({done.examples} from the spec's examples, the others generated)"
    )
    click.echo(f"wrote {done.expected} (no expected failures yet)")
    where = "" if folder == Path(".") else f"cd {folder} && "
    if not done.paired:
        # Nothing to run: saying "next: conformance run" would lead to a run of nothing.
        warn(
            "conformance: error: no model is paired by every SDK target, so no case was"
            f" written; see the lines above, then `{where}conformance pair`"
        )
        sys.exit(1)
    click.echo(f"next: {where}conformance run --html reports/index.html")
