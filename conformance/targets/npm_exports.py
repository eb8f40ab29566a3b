"""Where an npm package's ``exports`` map sends an import subpath, as Node resolves it.

Only what the harness needs to know before it starts: the file a subpath such as
``./models/components/index.js`` stands for (an exact key, else the pattern key with the
longest prefix: ``"./*": "./esm/*.js"``, ``"./*.js": "./dist/*.js"``), under the
conditions Node takes (``node``, ``import``, ``module``, ``default``, ``require``: the
first of them in the map's own order), and the folder the package's own entry lives in.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["entry_folder", "exported_file", "read_manifest", "target_of"]

_CONDITIONS = ("node", "import", "module", "default", "require")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The package's ``package.json`` (empty when it cannot be read)."""
    try:
        manifest = json.loads((folder / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def target_of(value: Any) -> str | None:
    """The path an exports value gives under the import conditions, or None."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for item in value:
            found = target_of(item)
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        # As Node does: the object's own order, the first condition it takes that gives a path.
        for condition, item in value.items():
            if condition in _CONDITIONS:
                found = target_of(item)
                if found is not None:
                    return found
    return None


def _subpaths(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The exports map with subpath keys (a bare string or conditions object is ``"."``),
    or None when the package has no exports map."""
    exports = manifest.get("exports")
    if exports is None:
        return None
    if isinstance(exports, dict) and any(str(key).startswith(".") for key in exports):
        return exports
    return {".": exports}


def exported_file(manifest: dict[str, Any], subpath: str) -> str | None:
    """The package-relative file ``subpath`` (``./x/y.js``) resolves to: through the exports
    map (exact key, else the matching pattern with the longest prefix), or the subpath
    itself without one; None when the map does not export it."""
    exports = _subpaths(manifest)
    if exports is None:
        return str(PurePosixPath(subpath))
    if subpath in exports:
        found = target_of(exports[subpath])
        return None if found is None else str(PurePosixPath(found))
    best: tuple[int, str, str] | None = None
    for key in exports:
        star = key.find("*")
        if star < 0 or key.count("*") != 1:
            continue
        prefix, suffix = key[:star], key[star + 1 :]
        fits = subpath.startswith(prefix) and subpath.endswith(suffix)
        longer = best is None or len(prefix) > best[0]
        if fits and longer and len(subpath) >= len(prefix) + len(suffix):
            best = (len(prefix), key, subpath[len(prefix) : len(subpath) - len(suffix)])
    if best is None:
        return None
    found = target_of(exports[best[1]])
    if found is None:
        return None
    return str(PurePosixPath(found.replace("*", best[2])))


def entry_folder(manifest: dict[str, Any]) -> str | None:
    """The package-relative folder of the package's own entry (``"."`` export, else
    ``module``, else ``main``): ``esm`` for ``./esm/index.js``; None when it is the root."""
    entry = exported_file(manifest, ".") if _subpaths(manifest) is not None else None
    if entry is None:
        for key in ("module", "main"):
            value = manifest.get(key)
            if isinstance(value, str):
                entry = value
                break
    if entry is None:
        return None
    parent = str(PurePosixPath(entry).parent)
    return None if parent in (".", "") else parent
