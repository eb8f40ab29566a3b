"""Where a declared SDK is installed, and whether that install is current.

A ``python-sdk`` target may declare ``requirement`` (pip requirements or local
paths), a ``node-sdk`` target ``npm`` (``name@version`` or local paths). The
install goes where the target says (the virtualenv of its ``python``, its
``root``), or, when it names no place, into the project's SDK cache
(``sdk_cache``, default ``.conformance/sdk``) in a folder named by a hash of the
declaration, so two declarations never share one and a changed pin gets a fresh
install while the old one stays for as long as it is wanted.

An install is current when its stamp file holds the declaration's digest: the
digest covers the kind, the specs (local paths made absolute; a local
package that changed is installed again with ``--force``) and, for Python, how the
install is made (``PYTHON_PROCEDURE``). ``conformance sdk install`` writes
the stamp last, so a broken install is never taken for a good one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from conformance.core.config import Config, TargetConfig

__all__ = [
    "DEFAULT_NODE_ROOT",
    "DEFAULT_PYTHON",
    "STAMP",
    "Install",
    "declared_install",
    "node_root",
    "python_interpreter",
]

#: Where an SDK target's interpreter / node_modules folder is when nothing says otherwise.
DEFAULT_PYTHON = ".sdk/python/bin/python"
DEFAULT_NODE_ROOT = "sdk/node"
#: The file in an install's folder that holds the digest of the declaration it installed.
STAMP = ".conformance-install.json"


@frozen
class Install:
    """One declared install: the target, what to install, where, and its digest."""

    target: str
    kind: str  # "python" or "node"
    specs: tuple[str, ...]
    folder: Path  # the virtualenv (python) or the folder holding node_modules (node)
    digest: str
    config_key: str = ""

    @property
    def stamp(self) -> Path:
        """In the virtualenv, or in node_modules: never beside a project's own files, and
        gone with the install it speaks of (``npm ci`` empties node_modules first)."""
        return self.folder / "node_modules" / STAMP if self.kind == "node" else self.folder / STAMP

    @property
    def current(self) -> bool:
        """Whether the folder holds a finished install of exactly this declaration."""
        try:
            return bool(json.loads(self.stamp.read_text("utf-8")).get("digest") == self.digest)
        except (OSError, ValueError, AttributeError):
            return False


def _specs(raw: str | Sequence[str]) -> tuple[str, ...]:
    return (raw,) if isinstance(raw, str) else tuple(raw)


def _local(spec: str, root: Path) -> bool:
    """Whether a spec names a local folder or file (not a registry package)."""
    if spec.startswith(("file:", "./", "../", "/")):
        return True
    return (root / spec).exists() and ("/" in spec or spec in (".", ".."))


def _absolute(spec: str, root: Path) -> str:
    if not _local(spec, root):
        return spec
    path = spec.removeprefix("file:")
    return str((root / path).resolve())


#: How a Python install is made, beyond its specs: an install made before its packages were
#: compiled to bytecode (``engine.sdk_install``) is made again, once.
PYTHON_PROCEDURE = "bytecode"


def _digest(kind: str, specs: Sequence[str], extra: str = "") -> str:
    text = json.dumps({"kind": kind, "specs": list(specs), "extra": extra}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def python_interpreter(each: TargetConfig, config: Config) -> Path:
    """The interpreter a ``python-sdk`` target runs: its ``python``, its cached install, or
    the default."""
    root = config.root.absolute()
    if "python" in each.options:
        return root / str(each.options["python"])
    install = declared_install(each, config)
    if install is not None:
        return install.folder / "bin" / "python"
    return root / DEFAULT_PYTHON


def node_root(each: TargetConfig, config: Config) -> Path:
    """The folder whose node_modules holds a ``node-sdk`` target's SDK."""
    root = config.root.absolute()
    if "root" in each.options:
        return root / str(each.options["root"])
    install = declared_install(each, config)
    if install is not None:
        return install.folder
    return root / DEFAULT_NODE_ROOT


def declared_install(each: TargetConfig, config: Config) -> Install | None:
    """The install a target declares (``requirement`` / ``npm``), or None."""
    root = config.root.absolute()
    if each.kind == "python-sdk" and "requirement" in each.options:
        specs = tuple(_absolute(s, root) for s in _specs(each.options["requirement"]))
        digest = _digest("python", specs, PYTHON_PROCEDURE)
        if "python" in each.options:
            python = root / str(each.options["python"])
            folder = python.parent.parent
        else:
            folder = config.sdk_cache_folder.absolute() / f"python-{digest[:16]}"
        return Install(each.name, "python", specs, folder, digest, each.key)
    if each.kind == "node-sdk" and "npm" in each.options:
        specs = tuple(_absolute(s, root) for s in _specs(each.options["npm"]))
        digest = _digest("node", specs)
        if "root" in each.options:
            folder = root / str(each.options["root"])
        else:
            folder = config.sdk_cache_folder.absolute() / f"node-{digest[:16]}"
        return Install(each.name, "node", specs, folder, digest, each.key)
    return None
