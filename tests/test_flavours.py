"""Which generator made an installed SDK, what that decides, and a reader that does not validate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import resources
from conformance.core.config import load_config, parse_config
from conformance.core.outcome import Outcome
from conformance.exceptions import ConfigError
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.sources.cases import Case
from conformance.targets.factory import build_targets
from conformance.targets.flavours import (
    NODE_FLAVOURS,
    PYTHON_FLAVOURS,
    Flavour,
    flavour_convention,
    generated_subpackage,
    node_flavour,
    python_flavour,
)
from conformance.targets.harness import HarnessTarget
from conformance.targets.inflight import WINDOW
from conformance.targets.module_discovery import python_modules_in


def _files(root: Path, *names: str) -> Path:
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["_version.py", "models/__init__.py", "utils/serializers.py"], "speakeasy"),
        (["_base_client.py", "_models.py", "types/__init__.py"], "stainless"),
        (["core/pydantic_utilities.py", "types/__init__.py"], "fern"),
        (["models/__init__.py"], "pydantic"),
    ],
    ids=["speakeasy", "stainless", "fern", "hand-written"],
)
def test_a_python_package_s_flavour_is_told_by_its_generator_s_files(
    tmp_path: Path, files: list[str], expected: str
) -> None:
    """Each generator's marker files name its flavour; a package with none is plain pydantic."""
    assert python_flavour(_files(tmp_path, *files)).name == expected


def test_a_speakeasy_python_package_is_known_by_its_generator_version(tmp_path: Path) -> None:
    """`__gen_version__` in `_version.py` is Speakeasy's, whatever else the package holds."""
    _files(tmp_path, "core/pydantic_utilities.py")
    (tmp_path / "_version.py").write_text('__gen_version__ = "2.600.0"\n')
    assert python_flavour(tmp_path) == Flavour("speakeasy", "_version.py has __gen_version__")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["client/__init__.py", "client/utils/serializers.py", "extra/__init__.py"], "client"),
        (["client/__init__.py", "client/utils/serializers.py", "gcp/client/_models.py"], "client"),
        (
            ["a/__init__.py", "a/utils/serializers.py", "b/__init__.py", "b/utils/serializers.py"],
            None,
        ),
        (["utils/serializers.py", "client/__init__.py", "client/utils/serializers.py"], None),
        (["client/__init__.py", "extra/__init__.py"], None),
    ],
    ids=["one", "deeper-ones-not-counted", "two", "marked-itself", "none"],
)
def test_a_package_without_markers_names_its_one_generated_subpackage(
    tmp_path: Path, files: list[str], expected: str | None
) -> None:
    """A namespace package (``mistralai``) whose SDK is one subpackage (``mistralai.client``)
    names it; with two, or markers of its own, or none, it names none."""
    assert generated_subpackage(_files(tmp_path, *files)) == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["lib/config.js", "models/components/index.js"], "speakeasy"),
        (["core/api-promise.js", "resources/chat.d.ts"], "stainless"),
        (["core.js", "_shims/index.js"], "stainless"),
        (["serialization/index.js", "core/schemas/index.js"], "fern"),
        (["dist/serialization/index.js", "dist/core/schemas/index.js"], "fern"),
        (["dist/core/fetcher/index.js", "dist/api/index.js", "dist/Client.js"], "fern"),
        (["index.js"], "zod"),
    ],
    ids=[
        "speakeasy",
        "stainless",
        "stainless-older",
        "fern",
        "fern-dist",
        "fern-without-serialization",
        "hand-written",
    ],
)
def test_a_node_package_s_flavour_is_told_by_its_generator_s_files(
    tmp_path: Path, files: list[str], expected: str
) -> None:
    """Each generator's marker files name its flavour, at the root or under dist/."""
    assert node_flavour(_files(tmp_path, *files)).name == expected


def test_only_stainless_typescript_keeps_the_wire_s_names() -> None:
    """A convention belongs to an SDK's flavour: Stainless's TypeScript objects keep wire keys."""
    assert flavour_convention("node-sdk", "stainless") == "wire"
    assert flavour_convention("node-sdk", "fern") == "typescript"
    assert flavour_convention("python-sdk", "stainless") == "python"
    assert flavour_convention("reference", None) is None


def test_fern_s_newer_typescript_generation_keeps_the_wire_s_names(tmp_path: Path) -> None:
    """Fern's generation without serialization/ (plain types) has the wire convention; the
    older one, whose serializers rename keys, the TypeScript one."""
    newer = node_flavour(_files(tmp_path / "newer", "core/fetcher/index.js", "api/index.js"))
    older = node_flavour(
        _files(
            tmp_path / "older",
            *("serialization/index.js", "core/schemas/index.js", "core/fetcher/index.js"),
            "api/index.js",
        )
    )
    assert (newer.name, older.name) == ("fern", "fern")
    assert flavour_convention("node-sdk", newer.name, newer.evidence) == "wire"
    assert flavour_convention("node-sdk", older.name, older.evidence) == "typescript"


def test_fern_types_are_found_in_every_resource(tmp_path: Path) -> None:
    """A Fern package's `types` and each resource's `types` hold its models, not `models/`."""
    package = _files(
        tmp_path / "sdk",
        "core/pydantic_utilities.py",
        "models/__init__.py",
        "types/__init__.py",
        "v2/types/__init__.py",
        "datasets/types/__init__.py",
    )
    assert python_modules_in(package, "sdk", "fern") == [
        "sdk.datasets.types",
        "sdk.types",
        "sdk.v2.types",
    ]
    assert python_modules_in(package, "sdk", "") == ["sdk.models"]


def test_the_config_schema_lists_the_flavours_in_code() -> None:
    """The `flavor` enums of python-sdk and node-sdk targets are the flavours in code."""
    branches = resources.schema("config")["$defs"]["target"]["allOf"]
    enums = {
        b["if"]["properties"]["kind"]["const"]: b["then"]["properties"]["flavor"]["enum"]
        for b in branches
        if "flavor" in b["then"]["properties"]
    }
    assert enums == {"python-sdk": list(PYTHON_FLAVOURS), "node-sdk": list(NODE_FLAVOURS)}


def test_an_unknown_flavor_is_refused_with_the_choices(tmp_path: Path) -> None:
    """`flavor = "swagger"` is a configuration error that lists the flavours."""
    config = tmp_path / "pyproject.toml"
    config.write_text(
        "[[tool.conformance.targets]]\n"
        'name = "sdk"\nkind = "node-sdk"\npackage = "x"\nflavor = "swagger"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert "flavor must be" in str(caught.value)
    assert "'stainless'" in str(caught.value)


def _node_target(tmp_path: Path, files: list[str], **extra: object) -> HarnessTarget:
    package = _files(tmp_path / "node_modules" / "sdk", *files)
    (package / "package.json").write_text(json.dumps({"name": "sdk", "version": "1.0.0"}))
    table = {"name": "sdk", "kind": "node-sdk", "package": "sdk", "root": ".", **extra}
    [target] = build_targets(parse_config({"targets": [table]}, tmp_path), build_models(Schema({})))
    assert isinstance(target, HarnessTarget)
    return target


def test_a_detected_flavour_goes_to_the_harness_with_its_convention(tmp_path: Path) -> None:
    """A Stainless package starts with `flavor` stainless, no modules and the wire convention."""
    target = _node_target(tmp_path, ["core/api-promise.js"])
    assert target.options is not None
    assert (target.options["flavor"], target.options["modules"]) == ("stainless", [])
    assert target.convention == "wire"


@pytest.mark.parametrize("declared", [{}, {"flavor": "fern"}])
def test_fern_s_newer_generation_target_keeps_the_wire_s_names_detected_or_declared(
    tmp_path: Path, declared: dict[str, str]
) -> None:
    """A Fern package of the newer generation (no serialization/) gets the wire convention,
    whether its flavour is found or declared: its files still tell the generation."""
    target = _node_target(tmp_path, ["core/fetcher/index.js", "api/index.js"], **declared)
    assert target.options is not None
    assert target.options["flavor"] == "fern"
    assert target.convention == "wire"


def test_a_declared_flavour_other_than_the_files_takes_that_flavour_s_convention(
    tmp_path: Path,
) -> None:
    """A package whose files say Stainless, declared Fern, is run as Fern, named as Fern's."""
    target = _node_target(tmp_path, ["core/api-promise.js"], flavor="fern")
    assert target.options is not None
    assert (target.options["flavor"], target.convention) == ("fern", "typescript")


def test_a_declared_flavour_and_convention_win_over_detection(tmp_path: Path) -> None:
    """`flavor` and `convention` in the target are taken as they are."""
    target = _node_target(tmp_path, ["core/api-promise.js"], flavor="zod", convention="python")
    assert target.options is not None
    assert target.options["flavor"] == "zod"
    assert target.convention == "python"


def test_a_python_target_is_started_with_its_package_s_flavour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Fern-shaped package is found by the SDK's interpreter and started as `fern`."""
    _files(tmp_path / "ferny", "__init__.py", "core/pydantic_utilities.py", "types/__init__.py")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    table = {"name": "sdk", "kind": "python-sdk", "package": "ferny", "python": sys.executable}
    [target] = build_targets(parse_config({"targets": [table]}, tmp_path), build_models(Schema({})))
    assert isinstance(target, HarnessTarget)
    assert target.options is not None
    assert (target.options["flavor"], target.options["modules"]) == ("fern", ["ferny.types"])
    assert target.convention == "python"


def _invalid_case() -> Case:
    return Case("c1", "Pet", "response", {"name": 5, "tag": "x"}, valid=False)


def _accepted(wire: object) -> Outcome:
    return Outcome("accepted", wire=wire, native=wire, written=True)


def test_a_lenient_reader_accepting_an_invalid_payload_is_no_divergence() -> None:
    """A target that does not validate responses has no `accept` divergence; a strict one does."""
    outcomes = [
        ("lenient", _accepted({"name": 5, "tag": "x"})),
        ("strict", _accepted({"name": 5, "tag": "x"})),
    ]
    verdicts = judge(
        _invalid_case(), outcomes, Policy(), lenient={"lenient": frozenset({"response"})}
    )
    kinds = {v.target: [(d.kind, d.right.targets) for d in v.divergences] for v in verdicts}
    assert kinds == {"lenient": [], "strict": [("accept", ("strict",))]}


def test_a_lenient_reader_is_still_judged_on_what_it_writes_back() -> None:
    """Losing a valid key of an accepted invalid payload is still a `missing` divergence."""
    outcomes = [("lenient", _accepted({"name": 5}))]
    [verdict] = judge(
        _invalid_case(), outcomes, Policy(), lenient={"lenient": frozenset({"response"})}
    )
    assert [(d.kind, d.path) for d in verdict.divergences] == [("missing", ("tag",))]


def test_a_reader_lenient_in_one_direction_is_checked_in_the_other() -> None:
    """Not validating responses says nothing of requests: the request case keeps its `accept`."""
    case = Case("c1", "Pet", "request", {"name": 5, "tag": "x"}, valid=False)
    outcomes = [("lenient", _accepted({"name": 5, "tag": "x"}))]
    [verdict] = judge(case, outcomes, Policy(), lenient={"lenient": frozenset({"response"})})
    assert [d.kind for d in verdict.divergences] == ["accept"]


def test_a_lenient_reader_rejecting_a_valid_payload_is_a_divergence() -> None:
    """A reader that does not validate but rejects a valid payload (here: its reader fails
    on a model that is not fully defined) has an `accept` divergence, beside an SDK that
    accepts it."""
    case = Case("c1", "Pet", "response", {"name": "x"})
    outcomes = [
        ("lenient", Outcome("rejected", error="PydanticUserError: Pet is not fully defined")),
        ("strict", _accepted({"name": "x"})),
    ]
    verdicts = judge(case, outcomes, Policy(), lenient={"lenient": frozenset({"response"})})
    kinds = {v.target: [(d.kind, d.right.targets) for d in v.divergences] for v in verdicts}
    assert kinds == {"lenient": [("accept", ("lenient",))], "strict": []}
    assert [v.status for v in verdicts] == ["diverge", "pass"]


def test_a_detected_speakeasy_sdk_is_left_to_the_harness_s_own_fallback(tmp_path: Path) -> None:
    """A detected Speakeasy (or hand-written) SDK gets no `flavor`: the harness may fall back."""
    target = _node_target(tmp_path, ["lib/config.js", "models/components/index.js"])
    assert target.options is not None
    assert "flavor" not in target.options
    assert target.convention == "typescript"


def test_stainless_types_are_found_with_every_module_below_them(tmp_path: Path) -> None:
    """A Stainless package's `types` exports names itself, so its subpackages are named too."""
    package = _files(tmp_path / "sdk", "_base_client.py", "_models.py", "types/__init__.py")
    assert python_modules_in(package, "sdk", "stainless") == ["sdk.types", "sdk.types.**"]


def test_a_target_s_window_comes_from_its_table_else_the_default(tmp_path: Path) -> None:
    """`window = 1` sends one case at a time to that harness; left out, the default window."""
    one = _node_target(tmp_path / "a", ["core/api-promise.js"], window=1)
    default = _node_target(tmp_path / "b", ["core/api-promise.js"])
    assert (one.window, default.window) == (1, WINDOW)
