"""Build the configured targets from ``[[tool.conformance.targets]]``.

Kinds and their options (paths are relative to the ``pyproject.toml``'s folder,
whatever folder the command runs in):

``reference``
    ``convention`` (``python``, ``typescript``, ...): the schema's own round trip.
``python-sdk``
    ``python`` (the SDK's interpreter, default ``.sdk/python/bin/python``, or the
    install ``requirement`` declares), ``requirement`` (what ``conformance sdk
    install`` installs: pip requirements or local paths; see ``installs``),
    ``modules`` (optional: found from the installed package when left out, see
    ``module_discovery``; where its pydantic models live: module names, packages whose
    ``__init__`` exports no models (their submodules are searched), or globs
    of module names such as ``vendor.client.models.*``), ``package`` (the
    import package, for ``<package>.utils``), ``flavor`` (``speakeasy``, ``fern``,
    ``stainless`` or ``pydantic``: how the harness reads and writes with the SDK;
    detected from the installed package when left out, see ``flavours``),
    ``models`` (a table of schema
    model name -> SDK class name where they differ, added to
    ``[tool.conformance.models]``, which every SDK target uses), ``options``
    (extra harness start options), ``timeout`` (seconds per case),
    ``start_timeout`` (seconds to start and list the models), ``window`` (cases in
    flight to the harness at once, default ``WINDOW``; 1 sends one at a time).
``node-sdk``
    ``root`` (the folder whose ``node_modules`` holds the SDK, default
    ``sdk/node``, or the install ``npm`` declares), ``npm`` (``name@version``
    specs or local paths for ``conformance sdk install``), ``modules`` (optional,
    as for Python; files to import, e.g.
    ``@orq-ai/node/models/operations/index.js``, a folder such as
    ``@scope/pkg/models/components/`` or a glob such as
    ``@scope/pkg/models/components/*.js``; Fern and Stainless packages need none),
    ``package``, ``flavor`` (``speakeasy``, ``fern``, ``stainless`` or ``zod``),
    ``node`` (default ``node``), ``models``, ``options``, ``timeout``,
    ``start_timeout``.

A python-sdk or node-sdk target's ``convention`` defaults to its flavour's
(``python``; ``typescript``, but ``wire`` for Stainless, whose objects keep the wire's
keys).
``harness``
    ``command`` (a list: the program and its arguments, run in the
    ``pyproject.toml``'s folder), ``options``, ``models``, ``timeout``,
    ``start_timeout``: any program that speaks the harness protocol
    (``conformance/schemas/harness-*``).
``recorded``
    ``folder``: one JSON outcome per case id, written by an SDK's own CI.

Every kind takes ``optional = true``: the run may pass although the target ran
no case. Every target built here has ``optional`` and ``install_hint`` (how to
install or fix *that* target, from its configuration).

``conformance/schemas/config.schema.json`` lists each kind's options and
their types; ``load_config`` checks them, so a target is built from trusted values.

An SDK that is not installed, or Node missing from ``PATH``, does not stop the
run: the target skips every case with a reason that says what to install, and
the summary shows it. It never passes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from conformance.core.config import Config, TargetConfig
from conformance.core.outcome import Implementation, Outcome
from conformance.oracle.models import ModelSet
from conformance.sources.cases import Case
from conformance.targets import Target
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.cross import CROSS_KIND, cross_targets
from conformance.targets.flavours import (
    Flavour,
    flavour_convention,
    generated_subpackage,
    node_flavour,
    python_flavour,
)
from conformance.targets.harness import HarnessTarget
from conformance.targets.inflight import WINDOW
from conformance.targets.installs import (
    declared_install,
    node_root,
    python_interpreter,
)
from conformance.targets.module_discovery import (
    DiscoveryError,
    node_modules_of,
    python_modules_in,
    python_package_folder,
)
from conformance.targets.recorded import RecordedTarget
from conformance.targets.reference import ReferenceTarget

__all__ = ["UnavailableTarget", "build_targets", "install_hint", "kinds"]


@attrs.define
class UnavailableTarget:
    """A configured target that cannot run here: it skips every case, saying why."""

    name: str
    reason: str
    convention: str | None = None
    optional: bool = False
    install_hint: str = ""

    def start(self) -> Implementation:
        """Nothing to start."""
        return Implementation(self.name, "unavailable", sdk="(not available)")

    def run(self, case: Case) -> Outcome:
        """Skip, with the reason."""
        return Outcome("skipped", error=self.reason)

    def close(self) -> None:
        """Nothing to stop."""


def build_targets(config: Config, models: ModelSet) -> list[Target]:
    """One target per ``[[tool.conformance.targets]]`` table (reference targets by default),
    and with ``cross`` a cross target per ordered pair of SDK targets (``targets.cross``)."""
    built = [_build(each, config, models) for each in config.targets]
    if not config.cross:
        return built
    return cross_targets(built, _crossed(config.targets))


def kinds(targets: Sequence[TargetConfig], cross: bool = False) -> dict[str, str]:
    """Target name -> kind, for the results header (cross targets too, with ``cross``)."""
    found = {t.name: t.kind for t in targets}
    crossed = _crossed(targets) if cross else []
    found.update({f"{a}->{b}": CROSS_KIND for a in crossed for b in crossed if a != b})
    return found


#: Kinds whose targets run any payload (a recorded target answers by case id only).
_CROSSABLE = ("python-sdk", "node-sdk", "harness")


def _crossed(targets: Sequence[TargetConfig]) -> list[str]:
    return [t.name for t in targets if t.kind in _CROSSABLE]


def install_hint(each: TargetConfig, config: Config) -> str:
    """How to install (or fix) the target ``each`` configures, from its own options."""
    root = config.root.absolute()
    options = each.options
    if declared_install(each, config) is not None:
        return "run `conformance sdk install` (it installs what the target declares)"
    if each.kind == "python-sdk":
        python = python_interpreter(each, config)
        package = str(options["package"])
        venv = python.parent.parent if python.parent.name in ("bin", "Scripts") else None
        create = f"create the virtualenv `python3 -m venv {venv}`, then " if venv else ""
        return (
            f"{create}install the SDK that provides the import package {package!r}"
            f" into it: `{python} -m pip install <its PyPI name>`"
        )
    if each.kind == "node-sdk":
        folder = node_root(each, config)
        node = options.get("node", "node")
        return (
            f"run `npm install {options['package']}` in {folder}"
            f" (with Node.js 20 or later as {node!r})"
        )
    if each.kind == "harness":
        command = _command(root, options["command"])
        return f"check its command {command!r} (run in {root})"
    if each.kind == "recorded":
        folder = _config_path(root, options["folder"])
        return f"the SDK's CI must write one <case id>.json per case into {folder}"
    return ""


def _config_path(root: Path, raw: str) -> Path:
    """``raw`` from the config's folder ``root`` (absolute), symlinks kept (a venv's python)."""
    return root / raw


def _command(root: Path, command: Sequence[str]) -> list[str]:
    """``command`` with a relative program path made absolute from the config's folder.

    A bare program name (no ``/``) is still looked up on ``PATH``; the
    arguments are left alone, since the harness runs in the config's folder.
    """
    program, *arguments = command
    if os.sep in program or "/" in program:
        program = str(_config_path(root, program))
    return [program, *arguments]


def _build(each: TargetConfig, config: Config, models: ModelSet) -> Target:
    # ``load_config`` validated the options against config.schema.json: trusted here.
    root = config.root.absolute()
    hint = install_hint(each, config)
    if each.kind == "reference":
        return ReferenceTarget(
            each.name, models, each.convention or "python", optional=each.optional
        )
    if each.kind == "recorded":
        folder = _config_path(root, each.options["folder"])
        return RecordedTarget(
            each.name, folder, each.convention, optional=each.optional, install_hint=hint
        )
    common: dict[str, Any] = {
        "options": each.options.get("options", {}),
        "model_names": {**config.models, **each.options.get("models", {})},
        "timeout": float(each.options.get("timeout", config.timeout)),
        "start_timeout": float(each.options.get("start_timeout", config.start_timeout)),
        "window": int(each.options.get("window", WINDOW)),
        "convention": each.convention or flavour_convention(each.kind, each.options.get("flavor")),
        "optional": each.optional,
        "install_hint": hint,
        "config_key": each.key,
    }

    def unavailable(reason: str, own_hint: str = "") -> UnavailableTarget:
        # A reason's own hint (a wrong import name) comes first: installing may not help.
        told = f"{own_hint}; {hint}" if own_hint else hint
        return UnavailableTarget(
            each.name, f"{reason}: {told}", common["convention"], each.optional, told
        )

    if each.kind == "harness":
        command = _command(root, each.options["command"])
        return HarnessTarget(each.name, command, cwd=str(root), **common)
    package = each.options["package"]
    modules = each.options.get("modules")
    if each.kind == "python-sdk":
        python = python_interpreter(each, config)
        if not python.exists():
            return unavailable(f"the SDK's Python interpreter {python} does not exist")
        installed: Path | None = None
        try:
            installed = python_package_folder(str(python), package)
        except DiscoveryError as error:
            if modules is None:
                return unavailable(error.message, error.hint)
            # With modules declared, the harness says what is wrong when it starts.
        if installed is not None and modules is None and not each.options.get("flavor"):
            inner = generated_subpackage(installed)
            if inner is not None:  # the SDK itself, inside a namespace package
                package, installed = f"{package}.{inner}", installed / inner
        flavour = _flavour(each, installed, python_flavour)
        if modules is None and installed is not None:
            modules = python_modules_in(installed, package, flavour.name if flavour else "")
        _with_flavour(common, each, flavour)
        return python_sdk_target(each.name, str(python), modules or [], package, **common)
    node = _command(root, [each.options.get("node", "node")])[0]
    folder = node_root(each, config)
    if shutil.which(node) is None:
        return unavailable(f"{node!r} is not on PATH or not executable")
    if not (folder / "node_modules").is_dir():
        return unavailable(f"{folder / 'node_modules'} does not exist")
    flavour = _flavour(each, folder / "node_modules" / package, node_flavour)
    if modules is None:
        if flavour is not None and flavour.name in _OWN_ROUTES:
            modules = []
        else:
            try:
                modules = node_modules_of(str(folder), package)
            except DiscoveryError as error:
                return unavailable(error.message, error.hint)
    _with_flavour(common, each, flavour)
    return node_sdk_target(each.name, str(folder), modules, package, node, **common)


#: Flavours whose harnesses read and write through routes of their own (no fallback), and
#: whose Node harness finds the SDK's schemas or declarations itself (no modules).
_OWN_ROUTES = ("fern", "stainless")


def _flavour(
    each: TargetConfig, folder: Path | None, detect: Callable[[Path], Flavour]
) -> Flavour | None:
    """The declared flavour, else the one the installed package's files tell (None: not found)."""
    declared = each.options.get("flavor")
    if folder is not None and folder.is_dir():
        found = detect(folder)
        if not declared or found.name == declared:
            # Declared and found alike: the markers still tell its generation (a convention).
            return found if not declared else Flavour(found.name, "declared", found.evidence)
    if declared:
        return Flavour(str(declared), "declared")
    return None


def _with_flavour(common: dict[str, Any], each: TargetConfig, flavour: Flavour | None) -> None:
    """Pass the flavour to the harness (a start option) and take its convention by default."""
    if flavour is None:
        return
    # A detected Speakeasy or hand-written SDK is left to the harness's own choice, which
    # falls back to plain pydantic (with a warning) where the SDK's readers are missing;
    # a declared flavour is held to, and Fern's and Stainless's have no fallback.
    if flavour.evidence == "declared" or flavour.name in _OWN_ROUTES:
        common["options"] = {"flavor": flavour.name, **common["options"]}
    if not each.convention:
        common["convention"] = flavour_convention(each.kind, flavour.name, flavour.markers)
