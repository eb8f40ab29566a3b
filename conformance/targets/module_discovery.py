"""Where an installed SDK keeps its models, found from the package itself (no ``modules`` needed).

Generators lay models out in a few known ways (``flavours`` tells which generator made
the package), and this finds them:

* Python: the package's ``models`` subpackage (Speakeasy, and most hand-written
  pydantic SDKs), else its ``types`` subpackage, else the package itself. A
  Stainless package's models are its ``types`` and every module below it (the
  package exports some names itself, so it is not walked otherwise). A Fern
  package keeps its types in ``types`` and in each resource's ``<resource>/types``
  (its ``models`` folder, when it has one, is a resource):
  every one of those. The package is located by the SDK's own interpreter
  (``importlib.util.find_spec``, which imports nothing), so a package whose
  distribution name differs from its import name is found by the import name.
* Node: the folders ``models/components`` and ``models/operations`` (Speakeasy, older
  generations ``sdk/models/shared`` and ``sdk/models/operations``; ``models/errors`` holds
  error classes, which are not wire models) inside the
  package, as the package's ``exports`` map publishes them (an exact key such as
  ``"./models/components"``, a pattern such as ``"./*": "./esm/*.js"``, or no map at all;
  ``npm_exports``), else a ``models`` folder, else the package's main entry. A folder
  with an ``index.js`` is imported through it; one without is given as a folder
  (``"./*": "./dist/*"`` maps only), which the harness walks. Fern and Stainless
  packages get no modules: the harness finds their ``serialization/`` tree or
  ``.d.ts`` declarations itself.

A target's ``modules`` always wins; discovery runs only without it, and a
package it cannot find is a ``DiscoveryError`` that says to set ``modules``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from attrs import define

from conformance.exceptions import ConformanceError
from conformance.targets.npm_exports import exported_file, target_of

__all__ = [
    "DiscoveryError",
    "node_modules_of",
    "python_modules_in",
    "python_modules_of",
    "python_package_folder",
]

_FIND = (
    "import importlib.util, json, sys\n"
    "spec = importlib.util.find_spec(sys.argv[1])\n"
    "print(json.dumps(None if spec is None else list(spec.submodule_search_locations or [])))\n"
)
#: Speakeasy's model folders; older generations keep them under ``sdk/`` (``shared`` for
#: ``components``).
_NODE_FOLDERS = (
    "models/components",
    "models/operations",
    "sdk/models/shared",
    "sdk/models/operations",
)
#: How deep a Fern resource's ``types`` package may be (``pkg/a/b/types/__init__.py``: 4 parts).
_FERN_DEPTH = 4


@define(auto_exc=True, str=False)
class DiscoveryError(ConformanceError):
    """The SDK's model modules could not be found; the hint says to set ``modules``."""

    message: str
    hint: str = ""


def python_modules_of(python: str, package: str, flavour: str = "") -> list[str]:
    """The modules of ``package`` (an import name) that hold its models, found by ``python``."""
    return python_modules_in(python_package_folder(python, package), package, flavour)


def python_package_folder(python: str, package: str) -> Path:
    """Where ``python`` imports ``package`` from, asked without importing it."""
    try:
        done = subprocess.run(
            [python, "-c", _FIND, package],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DiscoveryError(
            f"cannot ask {python} where {package!r} is: {error}",
            "install the SDK (`conformance sdk install`), or set modules in the target",
        ) from None
    try:
        locations = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        locations = None
    if not locations:
        raise DiscoveryError(
            f"{python} cannot import a package {package!r}",
            "check the target's package (the import name, e.g. orq_ai_sdk for orq-ai-sdk), "
            "install the SDK (`conformance sdk install`), or set modules in the target",
        )
    return Path(locations[0])


def python_modules_in(folder: Path, package: str, flavour: str = "") -> list[str]:
    """The model modules of ``package``, installed in ``folder``, for an SDK of ``flavour``."""
    if flavour == "fern":
        found = [
            ".".join((package, *where.parent.relative_to(folder).parts))
            for where in sorted(folder.glob("**/types/__init__.py"))
            if len(where.relative_to(folder).parts) <= _FERN_DEPTH
        ]
        if found:
            return found
    if flavour == "stainless" and (folder / "types" / "__init__.py").is_file():
        # Its `types` exports some names itself, so its subpackages must be named too.
        return [f"{package}.types", f"{package}.types.**"]
    for sub in ("models", "types"):
        if (folder / sub / "__init__.py").is_file() or (folder / f"{sub}.py").is_file():
            return [f"{package}.{sub}"]
    return [package]


def _exports_prefix(manifest: dict[str, Any]) -> str | None:
    """The folder the ``"./*"`` export maps to (``""`` for the package root; ``dist/esm/``
    for ``"./dist/esm/*.js"``, whose files keep their names), or None."""
    exports = manifest.get("exports")
    if exports is None:
        return ""
    if isinstance(exports, dict):
        star = target_of(exports.get("./*"))
        if star is not None and star.startswith("./") and star.count("*") == 1:
            before, after = star[2:].split("*")
            if "/" not in after:  # a suffix (".js") keeps the files' folder
                return before
    return None


def node_modules_of(root: str, package: str) -> list[str]:
    """The import specifiers of ``package``'s model modules, in ``root``'s node_modules."""
    folder = Path(root) / "node_modules" / package
    try:
        manifest = json.loads((folder / "package.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise DiscoveryError(
            f"cannot read {folder / 'package.json'}: {error}",
            "install the SDK (`conformance sdk install`), or set modules in the target",
        ) from None
    manifest = manifest if isinstance(manifest, dict) else {}
    prefix = _exports_prefix(manifest)
    found = []
    for sub in _NODE_FOLDERS:
        index = _exported_index(folder, manifest, sub)
        if index is not None:
            found.append(f"{package}/{index[2:]}")
        elif prefix is not None and (folder / prefix / sub).is_dir():
            found.append(f"{package}/{sub}/")
    if found:
        return found
    if prefix is not None and (folder / prefix / "models").is_dir():
        has_index = (folder / prefix / "models" / "index.js").is_file()
        return [f"{package}/models/index.js" if has_index else f"{package}/models/"]
    return [package]


def _exported_index(folder: Path, manifest: dict[str, Any], sub: str) -> str | None:
    """The subpath that imports the folder ``sub``'s index module, as the package's exports
    map publishes it (``./sub/index.js``, ``./sub/index`` where a pattern adds ``.js``, else
    ``./sub``), when that file is installed."""
    for subpath in (f"./{sub}/index.js", f"./{sub}/index", f"./{sub}"):
        file = exported_file(manifest, subpath)
        if file is not None and file.endswith(".js") and (folder / file).is_file():
            return subpath
    return None
