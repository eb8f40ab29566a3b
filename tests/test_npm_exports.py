"""An npm package's exports map, resolved as Node resolves an import subpath."""

from __future__ import annotations

import pytest

from conformance.targets.npm_exports import entry_folder, exported_file

MAP = {
    ".": {"types": "./esm/index.d.ts", "import": "./esm/index.js", "require": "./cjs/index.js"},
    "./models/components": {"default": "./esm/models/components/index.js"},
    "./*.js": {"default": "./esm/*.js"},
    "./*": {"default": "./esm/*.js"},
    "./lib/*": {"default": "./dist/lib/*"},
    "./hidden": None,
}


@pytest.mark.parametrize(
    ("subpath", "file"),
    [
        (".", "esm/index.js"),  # `import` comes before `require`
        ("./models/components", "esm/models/components/index.js"),  # an exact key
        ("./models/operations/index.js", "esm/models/operations/index.js"),  # "./*.js"
        ("./models/operations/index", "esm/models/operations/index.js"),  # "./*" adds .js
        ("./lib/config.js", "dist/lib/config.js"),  # the longest prefix wins
        ("./hidden", None),  # null: not exported
    ],
)
def test_a_subpath_resolves_through_the_exports_map(subpath: str, file: str | None) -> None:
    """Exact keys first, then the pattern with the longest prefix, under import conditions."""
    assert exported_file({"exports": MAP}, subpath) == file


def test_without_an_exports_map_a_subpath_is_its_own_file() -> None:
    """A package with no map publishes every file as it lies."""
    assert exported_file({}, "./models/index.js") == "models/index.js"


def test_a_map_without_patterns_exports_nothing_else() -> None:
    """A subpath no key matches is not exported."""
    assert exported_file({"exports": {".": "./index.js"}}, "./models/index.js") is None


@pytest.mark.parametrize(
    ("manifest", "folder"),
    [
        ({"exports": MAP}, "esm"),
        ({"exports": "./dist/index.js"}, "dist"),
        ({"main": "lib/index.js"}, "lib"),
        ({"module": "./index.mjs", "main": "cjs/index.js"}, None),
        ({}, None),
    ],
)
def test_the_entry_folder_is_where_the_package_s_own_entry_lies(
    manifest: dict[str, object], folder: str | None
) -> None:
    """The "." export, else module, else main; the package root is no folder of its own."""
    assert entry_folder(manifest) == folder
