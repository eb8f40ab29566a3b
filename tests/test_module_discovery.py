"""Model modules found from the installed package when a target names none."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conformance.core.config import parse_config
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.targets.factory import UnavailableTarget, build_targets
from conformance.targets.flavours import node_flavour
from conformance.targets.harness import HarnessTarget
from conformance.targets.module_discovery import (
    DiscoveryError,
    node_modules_of,
    python_modules_of,
)
from tests.tiny_sdks import SDK_PYTHON, require_pydantic, write_pydantic_sdk


def _package(root: Path, name: str, *subpackages: str) -> None:
    for folder in (name, *(f"{name}/{sub}" for sub in subpackages)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "__init__.py").write_text("")


@pytest.mark.parametrize(
    ("subpackages", "expected"),
    [
        (("models", "types"), ["sdk.models"]),
        (("types",), ["sdk.types"]),
        ((), ["sdk"]),
    ],
    ids=["speakeasy-models", "stainless-fern-types", "the-package-itself"],
)
def test_python_models_are_found_in_models_then_types_then_the_package(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    subpackages: tuple[str, ...],
    expected: list[str],
) -> None:
    """A package's `models`, else its `types`, else the package holds the models."""
    _package(tmp_path, "sdk", *subpackages)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    assert python_modules_of(sys.executable, "sdk") == expected


def test_a_python_package_that_is_not_installed_says_to_set_modules(tmp_path: Path) -> None:
    """An import name the interpreter cannot find is an error naming the package and the fix."""
    with pytest.raises(DiscoveryError) as failed:
        python_modules_of(sys.executable, "no_such_sdk_here")
    assert "'no_such_sdk_here'" in failed.value.message
    assert "set modules" in failed.value.hint


def _node_package(root: Path, exports: object, files: list[str]) -> None:
    package = root / "node_modules" / "@acme" / "sdk"
    package.mkdir(parents=True)
    manifest: dict[str, object] = {"name": "@acme/sdk", "version": "1.0.0"}
    if exports is not None:
        manifest["exports"] = exports
    (package / "package.json").write_text(json.dumps(manifest))
    for name in files:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("export {};\n")


def test_node_models_are_found_through_the_exports_map(tmp_path: Path) -> None:
    """`"./*": "./dist/*"` maps dist/models/components to @acme/sdk/models/components."""
    files = ["dist/models/components/index.js", "dist/models/operations/pet.js"]
    _node_package(tmp_path, {"./*": "./dist/*"}, files)
    assert node_modules_of(str(tmp_path), "@acme/sdk") == [
        "@acme/sdk/models/components/index.js",
        "@acme/sdk/models/operations/",
    ]


#: A Speakeasy package built to ``esm/`` (as ``@mistralai/mistralai`` 2.0.0 publishes itself):
#: exact subpath keys beside patterns that add ``.js``.
ESM_EXPORTS = {
    ".": {"types": "./esm/index.d.ts", "default": "./esm/index.js"},
    "./models/components": {"default": "./esm/models/components/index.js"},
    "./*.js": {"types": "./esm/*.d.ts", "default": "./esm/*.js"},
    "./*": {"types": "./esm/*.d.ts", "default": "./esm/*.js"},
}
ESM_FILES = [
    "esm/index.js",
    "esm/lib/config.js",
    "esm/models/components/index.js",
    "esm/models/operations/index.js",
]


def test_node_models_are_found_through_patterns_that_add_a_suffix(tmp_path: Path) -> None:
    """`"./*.js": "./esm/*.js"` publishes esm/models/operations/index.js as
    models/operations/index.js; the exact key publishes components' index too."""
    _node_package(tmp_path, ESM_EXPORTS, ESM_FILES)
    assert node_modules_of(str(tmp_path), "@acme/sdk") == [
        "@acme/sdk/models/components/index.js",
        "@acme/sdk/models/operations/index.js",
    ]


def test_node_models_are_found_through_a_pattern_that_adds_js_to_every_subpath(
    tmp_path: Path,
) -> None:
    """`"./*": "./dist/*.js"` publishes dist/models/components/index.js only as
    models/components/index (with .js it would name index.js.js)."""
    files = ["dist/models/components/index.js", "dist/models/operations/index.js"]
    _node_package(tmp_path, {"./*": "./dist/*.js"}, files)
    assert node_modules_of(str(tmp_path), "@acme/sdk") == [
        "@acme/sdk/models/components/index",
        "@acme/sdk/models/operations/index",
    ]


def test_a_package_built_to_a_folder_of_its_entry_has_its_flavour_found_there(
    tmp_path: Path,
) -> None:
    """The markers of a package whose entry is ./esm/index.js are looked for in esm/."""
    _node_package(tmp_path, ESM_EXPORTS, ESM_FILES)
    found = node_flavour(tmp_path / "node_modules" / "@acme" / "sdk")
    assert (found.name, found.evidence) == ("speakeasy", "lib/config.js")


def test_node_models_without_an_exports_map_are_found_in_the_package(tmp_path: Path) -> None:
    """A package with no exports map publishes its files as they lie."""
    _node_package(tmp_path, None, ["models/index.js"])
    assert node_modules_of(str(tmp_path), "@acme/sdk") == ["@acme/sdk/models/index.js"]


def test_node_package_with_no_model_folders_is_imported_whole(tmp_path: Path) -> None:
    """An exports map with no wildcard leaves the package's main entry."""
    _node_package(tmp_path, {".": "./index.js"}, ["index.js"])
    assert node_modules_of(str(tmp_path), "@acme/sdk") == ["@acme/sdk"]


def test_a_python_target_without_modules_runs_the_models_discovery_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A python-sdk target with no `modules` lists the tiny SDK's models all the same."""
    require_pydantic()
    folder = write_pydantic_sdk(tmp_path / "sdk")
    config = parse_config(
        {
            "targets": [
                {
                    "name": "tiny",
                    "kind": "python-sdk",
                    "python": str(SDK_PYTHON),
                    "package": "vendor.client",
                    "options": {},
                }
            ]
        },
        tmp_path,
    )
    monkeypatch.setenv("PYTHONPATH", str(folder))  # discovery and the harness both see it
    [target] = build_targets(config, build_models(Schema({})))
    assert isinstance(target, HarnessTarget)
    target.start()
    try:
        assert {"Pet", "Owner"} <= {name for name, _ in target.list_models()}
    finally:
        target.close()


def test_an_older_speakeasy_layout_keeps_its_models_under_sdk(tmp_path: Path) -> None:
    """Older Speakeasy TypeScript SDKs keep models in sdk/models/shared and .../operations."""
    files = [
        "sdk/models/shared/index.js",
        "sdk/models/operations/index.js",
        "sdk/models/errors/x.js",
    ]
    _node_package(tmp_path, None, files)
    assert node_modules_of(str(tmp_path), "@acme/sdk") == [
        "@acme/sdk/sdk/models/shared/index.js",
        "@acme/sdk/sdk/models/operations/index.js",
    ]


def test_a_wrong_import_name_says_to_check_the_package_before_installing(tmp_path: Path) -> None:
    """An interpreter that cannot import the target's package: the reason names the import
    name as the thing to check first, then how to install."""
    require_pydantic()
    config = parse_config(
        {
            "targets": [
                {
                    "name": "sdk",
                    "kind": "python-sdk",
                    "python": str(SDK_PYTHON),
                    "package": "no_such_sdk_package",
                }
            ]
        },
        tmp_path,
    )
    [target] = build_targets(config, build_models(Schema({})))
    assert isinstance(target, UnavailableTarget)
    assert "cannot import a package 'no_such_sdk_package'" in target.reason
    assert target.install_hint.startswith("check the target's package (the import name")


def test_model_folders_without_an_index_are_found_through_nested_conditions(
    tmp_path: Path,
) -> None:
    """`"./*": {"import": {"types": ..., "default": "./dist/esm/*.js"}}` (as @polar-sh/sdk
    publishes itself), folders without an index.js: each folder is given to walk."""
    exports = {
        "./*": {
            "import": {"types": "./dist/esm/*.d.ts", "default": "./dist/esm/*.js"},
            "require": {"default": "./dist/commonjs/*.js"},
        }
    }
    files = ["dist/esm/models/components/pet.js", "dist/esm/models/operations/get.js"]
    _node_package(tmp_path, exports, files)
    assert node_modules_of(str(tmp_path), "@acme/sdk") == [
        "@acme/sdk/models/components/",
        "@acme/sdk/models/operations/",
    ]
