"""``conformance findings``: the finding records of results files, their reproducers, and
whether each reproducer shows the SDK doing what its family says.

Results files (CI shards too) hold one ``finding`` record per root-cause family;
several files' records merge by family id (``results.findings_merge``). Each
family gets one reproducer per SDK target it names (``report.reproduce`` writes
them). Verifying runs each script with the target's own interpreter (the
``python`` option) or ``node`` (the ``node`` option), in a process group of its
own that a timeout kills whole: exit 0 is
``verified``, 1 ``not reproduced``, anything else (2, a signal, the timeout)
``error``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from attrs import frozen

from conformance.core.config import Config, TargetConfig
from conformance.exceptions import ResultsError
from conformance.results.findings_merge import merge_findings
from conformance.results.reader import records_tagged
from conformance.results.records import FindingRecord, Header
from conformance.results.reproducers import Reproducer, SdkTarget
from conformance.schema import JsonValue
from conformance.targets.flavours import node_flavour, python_flavour
from conformance.targets.installs import node_root, python_interpreter
from conformance.targets.module_discovery import (
    DiscoveryError,
    node_modules_of,
    python_modules_of,
    python_package_folder,
)

__all__ = [
    "TIMEOUT",
    "Flavoured",
    "Verification",
    "flavoured_targets",
    "read_findings",
    "reported_details",
    "sdk_targets",
    "verify",
]

#: Seconds one reproducer may run.
TIMEOUT = 30.0
#: Characters of a script's output kept in a verification's message.
_OUTPUT_LIMIT = 2000

VerificationStatus = Literal["verified", "not reproduced", "error"]


@frozen
class Verification:
    """What running one reproducer showed; ``message`` is the script's own last words."""

    finding: str
    target: str
    file: Path
    status: VerificationStatus
    message: str


def read_findings(paths: Sequence[Path]) -> list[FindingRecord]:
    """The finding records of every file, merged by family id, most cases first.

    Raise ``ResultsError`` when the files hold none.
    """
    found = [
        r for path in paths for r in records_tagged(path, "finding") if isinstance(r, FindingRecord)
    ]
    if not found:
        files = ", ".join(map(str, paths))
        raise ResultsError(
            f"no finding records in {files}",
            "`conformance run` writes one finding record per root-cause family of the run's"
            " divergences, before the footer: a file without any comes from a run with no"
            " divergence, or from a version that did not write them yet; run again",
        )
    merged = merge_findings(found)
    return sorted(merged, key=lambda f: (-f.cases, f.id))


def _discovered(kind: str, where: str, package: str, flavour: str = "") -> tuple[str, ...]:
    """The modules discovery finds, or none (the reproducer then says it found no model)."""
    try:
        if kind == "python-sdk":
            return tuple(python_modules_of(where, package, flavour))
        return tuple(node_modules_of(where, package))
    except DiscoveryError:
        return ()


def reported_details(results: Sequence[Path]) -> dict[str, dict[str, JsonValue]]:
    """Each target's implementation details as the results headers report them (the first
    header that names the target wins)."""
    found: dict[str, dict[str, JsonValue]] = {}
    for path in results:
        for header in records_tagged(path, "header"):
            if not isinstance(header, Header):
                continue
            for info in header.targets:
                if info.implementation is not None and info.name not in found:
                    found[info.name] = dict(info.implementation.details)
    return found


def _flavour(each: TargetConfig, details: Mapping[str, JsonValue], folder: Path | None) -> str:
    """The flavour the run reported, else the declared one, else the installed files'."""
    reported = details.get("flavor")
    if isinstance(reported, str) and reported:
        return reported
    declared = each.options.get("flavor")
    if declared:
        return str(declared)
    if folder is None or not folder.is_dir():
        return ""
    detect = python_flavour if each.kind == "python-sdk" else node_flavour
    return detect(folder).name


@frozen
class Flavoured:
    """A resolved SDK target with its generator's flavour and the details its harness
    reported (``report.reproduce.flavours.FlavouredTarget`` is made of these)."""

    target: SdkTarget
    flavor: str
    details: Mapping[str, JsonValue]


def sdk_targets(config: Config, results: Sequence[Path] = ()) -> list[SdkTarget]:
    """The configured Python and Node SDK targets, resolved from the config's folder."""
    return [each.target for each in flavoured_targets(config, results)]


def flavoured_targets(config: Config, results: Sequence[Path] = ()) -> list[Flavoured]:
    """The configured SDK targets, each with its flavour (as ``results``' headers report it,
    else as declared, else as the installed files tell) and its harness's details: a Fern or
    Stainless SDK's model modules are found the way its harness finds them."""
    root = config.root.absolute()
    reported = reported_details(results)
    targets: list[Flavoured] = []
    for each in config.targets:
        options = each.options
        models = {**config.models, **options.get("models", {})}
        modules = tuple(options.get("modules", ()))
        package = str(options.get("package", ""))
        details = reported.get(each.name, {})
        if each.kind == "python-sdk":
            python = str(python_interpreter(each, config))
            try:
                folder: Path | None = python_package_folder(python, package)
            except DiscoveryError:
                folder = None
            flavor = _flavour(each, details, folder)
            if "modules" not in options:
                modules = _discovered(each.kind, python, package, flavor)
            writer = str(options.get("options", {}).get("response_writer", ""))
            target = SdkTarget(
                each.name, "python-sdk", python, modules, package, "", models, writer
            )
            targets.append(Flavoured(target, flavor, details))
        elif each.kind == "node-sdk":
            node = str(options.get("node", "node"))
            # A path to node is from the config's folder; a bare name is looked up on PATH.
            program = str(root / node) if "/" in node else node
            where = str(node_root(each, config))
            flavor = _flavour(each, details, Path(where) / "node_modules" / package)
            # Fern and Stainless scripts find the SDK's serializers or parser themselves.
            if "modules" not in options and flavor not in ("fern", "stainless"):
                modules = _discovered(each.kind, where, package)
            target = SdkTarget(each.name, "node-sdk", program, modules, package, where, models)
            targets.append(Flavoured(target, flavor, details))
    return targets


def verify(reproducers: Sequence[Reproducer], timeout: float = TIMEOUT) -> list[Verification]:
    """Run each reproducer and say what it showed, in the order given."""
    return [_run(reproducer, timeout) for reproducer in reproducers]


def _run(reproducer: Reproducer, timeout: float) -> Verification:
    def verdict(status: VerificationStatus, message: str) -> Verification:
        return Verification(reproducer.finding, reproducer.target, reproducer.file, status, message)

    try:
        process = subprocess.Popen(
            reproducer.command,
            cwd=reproducer.file.parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        return verdict("error", f"cannot run {reproducer.command[0]!r}: {error.strerror}")
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return verdict("error", f"did not finish within {timeout:g} s")
    said = _last_words(out, err)
    if process.returncode == 0:
        return verdict("verified", said)
    if process.returncode == 1:
        return verdict("not reproduced", said)
    return verdict("error", said or f"exit code {process.returncode}")


def _last_words(out: str, err: str) -> str:
    """The script's verdict line, or its error output (the end of it, when long)."""
    lines = [line for line in out.splitlines() if line.strip()]
    verdicts = [line for line in lines if line.startswith(("REPRODUCED", "NOT REPRODUCED"))]
    if verdicts:
        return verdicts[-1]
    text = (err.strip() or out.strip())[-_OUTPUT_LIMIT:]
    errors = [line for line in text.splitlines() if line.startswith("ERROR:")]
    return errors[-1] if errors else text
