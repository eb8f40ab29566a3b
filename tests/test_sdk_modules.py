"""The shipped harnesses find models in barrel-less packages and globs, and say how they read.

Tiny SDK-shaped packages (``tests/tiny_sdks.py``) stand in for the real SDKs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.exceptions import HarnessError
from conformance.sources.cases import Case
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget
from tests.tiny_sdks import (
    SDK_PYTHON,
    require_pydantic,
    require_zod,
    write_pydantic_sdk,
    write_zod_sdk,
)

PET = Case("pet", "Pet", "response", {"pet_name": "Rex"})


@pytest.fixture
def python_sdk(tmp_path: Path) -> Iterator[Any]:
    """Build targets over the tiny pydantic SDK (``broken=True`` adds an unimportable module)."""
    require_pydantic()
    made: list[HarnessTarget] = []

    def make(modules: list[str], package: str = "vendor.client", broken: bool = False) -> Any:
        folder = write_pydantic_sdk(tmp_path / ("broken" if broken else "ok"), broken=broken)
        target = python_sdk_target(
            "tiny-python",
            str(SDK_PYTHON),
            modules,
            package,
            env={"PYTHONPATH": str(folder)},
            start_timeout=60.0,
        )
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


@pytest.fixture
def node_sdk(tmp_path: Path) -> Iterator[Any]:
    """Build targets over the tiny zod SDK (``broken=True`` adds a module that throws)."""
    require_zod()
    made: list[HarnessTarget] = []

    def make(modules: list[str], broken: bool = False) -> Any:
        root = write_zod_sdk(tmp_path / ("broken" if broken else "ok"), broken=broken)
        target = node_sdk_target("tiny-node", str(root), modules, "@tiny/sdk", start_timeout=60.0)
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


def names(target: HarnessTarget) -> list[str]:
    """The model names ``target`` lists, sorted."""
    return sorted(name for name, _ in target.list_models())


# -- Python ---------------------------------------------------------------------------


def test_python_package_without_a_barrel_serves_its_submodules_models(python_sdk: Any) -> None:
    """A package whose __init__ exports nothing stands for its submodules: one module per model."""
    target = python_sdk(["vendor.client.models"])
    target.start()
    assert names(target) == ["Owner", "Pet"]
    outcome = target.run(PET)
    assert (outcome.state, outcome.wire, outcome.native) == (
        "accepted",
        {"pet_name": "Rex"},
        {"pet_name": "Rex"},
    )


def test_python_glob_imports_only_the_modules_it_matches(python_sdk: Any) -> None:
    """``vendor.client.models.p*`` imports the pet module and not the owner module."""
    target = python_sdk(["vendor.client.models.p*"])
    target.start()
    assert names(target) == ["Pet"]


def test_python_double_star_glob_reaches_any_depth(python_sdk: Any) -> None:
    """``vendor.**.owner`` finds ``vendor.client.models.owner`` two packages down."""
    target = python_sdk(["vendor.**.owner"])
    target.start()
    assert names(target) == ["Owner"]


def test_python_glob_that_matches_nothing_is_an_error_naming_it(python_sdk: Any) -> None:
    """A glob without a match refuses to start, quoting the entry."""
    target = python_sdk(["vendor.client.models.zebra*"])
    with pytest.raises(HarnessError, match=r"'vendor\.client\.models\.zebra\*' matches no module"):
        target.start()


def test_python_unimportable_submodule_is_a_warning_not_a_failure(python_sdk: Any) -> None:
    """A walked submodule that cannot be imported is named in a start warning; the rest serve."""
    target = python_sdk(["vendor.client.models"], broken=True)
    implementation = target.start()
    assert names(target) == ["Owner", "Pet"]
    assert implementation.warnings == (
        "cannot import vendor.client.models.broken: ImportError: needs an extra",
    )


def test_python_sdk_readers_are_named_and_no_warning_when_found(python_sdk: Any) -> None:
    """With the import package right, the details name the SDK's own functions; no warning."""
    target = python_sdk(["vendor.client.models"])
    implementation = target.start()
    readers = {k: v for k, v in implementation.details.items() if k.endswith(("reader", "writer"))}
    assert readers == {
        "response_reader": "vendor.client.utils.unmarshal_json",
        "response_writer": "vendor.client.utils.marshal_json",
        "request_reader": "vendor.client.utils.unmarshal",
        "request_writer": "vendor.client.utils.marshal_json",
    }
    assert implementation.warnings == ()
    assert (implementation.sdk, implementation.sdk_version) == ("vendor-client", "1.2.3")
    # The SDK's own writer leaves out the unset nickname.
    assert target.run(PET).wire == {"pet_name": "Rex"}


@pytest.mark.parametrize("package", ["vendor", "vendor-client"])
def test_python_package_that_is_not_the_import_package_warns_of_the_fallback(
    python_sdk: Any, package: str
) -> None:
    """A parent package or a PyPI name falls back to plain pydantic, says so, and names the fix."""
    target = python_sdk(["vendor.client.models"], package=package)
    implementation = target.start()
    assert implementation.details["response_reader"] == "Model.model_validate_json"
    assert implementation.details["response_writer"] == "model.model_dump_json(by_alias=True)"
    (warning,) = target.start_warnings
    assert "unmarshal_json, unmarshal, marshal_json not found" in warning
    assert "plain pydantic" in warning
    assert warning.endswith('vendor.client.utils has them: set package = "vendor.client"')
    # Plain pydantic writes the unset nickname as null: not what the SDK sends.
    assert target.run(PET).wire == {"pet_name": "Rex", "nickname": None}


# -- Node ------------------------------------------------------------------------------


@pytest.mark.node
def test_node_folder_entry_imports_every_module_file_in_it(node_sdk: Any) -> None:
    """``@tiny/sdk/models/components/`` imports each .js file there, through the exports map."""
    target = node_sdk(["@tiny/sdk/models/components/"])
    implementation = target.start()
    assert names(target) == ["Owner", "Pet"]
    assert implementation.warnings == ()
    outcome = target.run(PET)
    assert (outcome.state, outcome.wire, outcome.native) == (
        "accepted",
        {"pet_name": "Rex"},
        {"petName": "Rex"},
    )


@pytest.mark.node
def test_node_glob_imports_only_the_files_it_matches(node_sdk: Any) -> None:
    """``@tiny/sdk/models/*/p*.js`` matches the pet module only."""
    target = node_sdk(["@tiny/sdk/models/*/p*.js"])
    target.start()
    assert names(target) == ["Pet"]


@pytest.mark.node
def test_node_glob_that_matches_nothing_is_an_error_naming_it(node_sdk: Any) -> None:
    """A glob without a match refuses to start, quoting the entry."""
    target = node_sdk(["@tiny/sdk/models/components/zebra*.js"])
    with pytest.raises(HarnessError, match=r'"@tiny/sdk/models/components/zebra\*\.js" matches no'):
        target.start()


@pytest.mark.node
def test_node_folder_module_that_throws_is_a_warning_not_a_failure(node_sdk: Any) -> None:
    """A module file of a folder that throws on import is named in a start warning."""
    target = node_sdk(["@tiny/sdk/models/components/"], broken=True)
    implementation = target.start()
    assert names(target) == ["Owner", "Pet"]
    assert implementation.warnings == (
        "cannot import @tiny/sdk/models/components/broken.js: broken module",
    )
