"""``[tool.conformance]``: read, checked against config.schema.json, refused with located errors."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.core import resources
from conformance.core.config import (
    TARGET_KINDS,
    Config,
    PolicyRule,
    TargetConfig,
    config_problems,
    load_config,
    parse_config,
)
from conformance.core.conventions import CONVENTIONS
from conformance.core.divergence import KINDS
from conformance.core.validation import json_path, toml_path
from conformance.exceptions import ConfigError

REPO = Path(__file__).resolve().parent.parent
KIND_LIST = ", ".join(repr(k) for k in ("*", *KINDS))
TARGET_KIND_LIST = ", ".join(repr(k) for k in TARGET_KINDS)
PYPROJECT = """\
[tool.conformance]
schema = "openapi.yaml"
cases = "cases"
timeout = 2
start_timeout = 90

[tool.conformance.models]
Thing = "ThingModel"

[[tool.conformance.targets]]
name = "ref"
kind = "reference"
convention = "typescript"

[[tool.conformance.targets]]
name = "ci"
kind = "recorded"
folder = "recorded"

[[tool.conformance.policy]]
kind = "value"
path = "$.usage.*"
targets = "ci"
severity = "note"
reason = "counts are compared by value"
"""


def _refused(section: Any) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(section, Path("/p"), "/p/pyproject.toml")
    return caught.value


def test_valid_table_becomes_a_config_with_resolved_paths(tmp_path: Path) -> None:
    """Every key of a valid table lands in the ``Config``, paths resolved from its folder."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    config = load_config(tmp_path / "pyproject.toml")
    assert config == Config(
        root=tmp_path,
        file=str(tmp_path / "pyproject.toml"),
        schema=(tmp_path / "openapi.yaml",),
        cases=(tmp_path / "cases",),
        results=tmp_path / "reports/results.ndjson",
        targets=(
            TargetConfig("ref", "reference", "typescript"),
            TargetConfig("ci", "recorded", None, {"folder": "recorded"}),
        ),
        policy=(PolicyRule("note", "counts are compared by value", "value", "$.usage.*", ("ci",)),),
        timeout=2.0,
        start_timeout=90.0,
        models={"Thing": "ThingModel"},
        raw=config.raw,
    )
    assert [t.key for t in config.targets] == [
        "tool.conformance.targets[0]",
        "tool.conformance.targets[1]",
    ]


def test_start_timeout_defaults_to_sixty_seconds() -> None:
    """Without start_timeout, harnesses keep the 60 s start-up limit."""
    assert parse_config({}, Path("/p")).start_timeout == 60.0


def test_optional_is_read_from_each_target() -> None:
    """``optional = true`` marks a target; every other target is required."""
    config = parse_config(
        {
            "targets": [
                {"name": "a", "kind": "reference", "optional": True},
                {"name": "b", "kind": "reference"},
            ]
        },
        Path("/p"),
    )
    assert [t.optional for t in config.targets] == [True, False]


def test_bundled_pyproject_is_valid() -> None:
    """The project's own ``[tool.conformance]`` passes the schema with all four targets."""
    config = load_config(REPO / "pyproject.toml")
    assert [t.kind for t in config.targets] == ["reference", "reference", "python-sdk", "node-sdk"]


@pytest.mark.parametrize(
    ("section", "key", "message", "hint"),
    [
        pytest.param(
            {"tiemout": 3},
            "tool.conformance.tiemout",
            "unknown key 'tiemout' in the [tool.conformance] table",
            "did you mean 'timeout'? allowed keys: "
            "schema, cases, results, expected, sdk_cache, targets, policy, timeout, models, "
            "start_timeout, cross",
            id="wrong-key",
        ),
        pytest.param(
            {"timeout": "5"},
            "tool.conformance.timeout",
            "timeout must be a positive number of seconds, not '5'",
            "e.g. timeout = 5",
            id="wrong-type",
        ),
        pytest.param(
            {"cases": ["cases", 3]},
            "tool.conformance.cases[1]",
            "cases[1] must be a path (a non-empty string without NUL characters), not 3",
            "",
            id="wrong-type-in-a-list",
        ),
        pytest.param(
            {"targets": [{"name": "sdk", "kind": "pyton-sdk"}]},
            "tool.conformance.targets[0].kind",
            f"kind must be one of {TARGET_KIND_LIST}, not 'pyton-sdk'",
            "did you mean 'python-sdk'?",
            id="unknown-target-kind",
        ),
        pytest.param(
            {"policy": [{"kind": "nope", "severity": "note", "reason": "r"}]},
            "tool.conformance.policy[0].kind",
            f"kind must be one of {KIND_LIST}, not 'nope'",
            "",
            id="unknown-divergence-kind",
        ),
        pytest.param(
            {"policy": [{"severity": "warn", "reason": "r"}]},
            "tool.conformance.policy[0].severity",
            "severity must be one of 'fail', 'note', not 'warn'",
            "",
            id="bad-severity",
        ),
        pytest.param(
            {"policy": [{"kind": "order", "severity": "note"}]},
            "tool.conformance.policy[0].reason",
            "a policy rule needs 'reason'",
            "reason is a sentence saying why such divergences are acceptable (or not); "
            'e.g. reason = "JSON objects are unordered"',
            id="missing-reason",
        ),
        pytest.param(
            {"policy": [{"severity": "note", "reason": " "}]},
            "tool.conformance.policy[0].reason",
            "reason must be a sentence saying why such divergences are acceptable (or not), "
            "not ' '",
            'e.g. reason = "JSON objects are unordered"',
            id="blank-reason",
        ),
        pytest.param(
            {"policy": [{"severity": "note", "reason": "r", "pth": "$"}]},
            "tool.conformance.policy[0].pth",
            "unknown key 'pth' in a policy rule",
            "did you mean 'path'? allowed keys: kind, path, targets, severity, reason",
            id="unknown-policy-key",
        ),
        pytest.param(
            {
                "targets": [
                    {"name": "a", "kind": "reference"},
                    {"name": "b", "kind": "reference"},
                    {"name": "c", "kind": "reference", "modules": ["m"]},
                ]
            },
            "tool.conformance.targets[2].modules",
            "unknown key 'modules' in a reference target",
            "allowed keys: name, kind, convention, optional",
            id="key-not-allowed-for-the-kind",
        ),
        pytest.param(
            {"targets": [{"name": "ci", "kind": "recorded"}]},
            "tool.conformance.targets[0].folder",
            "a recorded target needs 'folder'",
            "folder is the folder of recorded outcomes, one JSON file per case id (a path); "
            'e.g. folder = "recorded"',
            id="missing-kind-option",
        ),
        pytest.param(
            {"targets": [{"name": "h", "kind": "harness", "command": "node h.mjs"}]},
            "tool.conformance.targets[0].command",
            "command must be a non-empty list of strings: the program and its arguments, "
            "not 'node h.mjs'",
            'e.g. command = ["node", "h.mjs"]',
            id="kind-option-of-wrong-type",
        ),
        pytest.param(
            {"targets": [{"name": "r", "kind": "reference", "convention": "snake"}]},
            "tool.conformance.targets[0].convention",
            "convention must be one of 'wire', 'python', 'typescript', 'pascal', 'kebab', "
            "not 'snake'",
            "",
            id="unknown-convention",
        ),
        pytest.param(
            {"models": {"Odd Name": 3}},
            'tool.conformance.models."Odd Name"',
            '"Odd Name" must be an SDK class name (a string), not 3',
            "",
            id="model-name-not-a-string",
        ),
        pytest.param(
            {"targets": []},
            "tool.conformance.targets",
            "targets must be a non-empty array of tables ([[tool.conformance.targets]]), not []",
            "",
            id="no-targets",
        ),
        pytest.param(
            ["not", "a", "table"],
            "tool.conformance",
            "[tool.conformance] must be a table of settings, not ['not', 'a', 'table']",
            "",
            id="not-a-table",
        ),
    ],
)
def test_invalid_table_names_file_key_and_what_is_allowed(
    section: Any, key: str, message: str, hint: str
) -> None:
    """Each kind of mistake is one ``ConfigError`` at the TOML key, saying what is allowed."""
    error = _refused(section)
    assert (error.file, error.key, error.message, error.hint) == (
        "/p/pyproject.toml",
        key,
        message,
        hint,
    )


@pytest.mark.parametrize(
    ("section", "key", "message"),
    [
        pytest.param(
            {"targets": [{"name": "a", "kind": "reference"}, {"name": "a", "kind": "reference"}]},
            "tool.conformance.targets[1].name",
            "two targets are named 'a'",
            id="duplicate-target-names",
        ),
        pytest.param(
            {"timeout": math.inf},
            "tool.conformance.timeout",
            "timeout must be a positive number of seconds, not inf",
            id="infinite-timeout",
        ),
        pytest.param(
            {"targets": [{"name": "h", "kind": "harness", "command": ["h"], "timeout": math.nan}]},
            "tool.conformance.targets[0].timeout",
            "timeout must be a positive number of seconds, not nan",
            id="nan-target-timeout",
        ),
        pytest.param(
            {"start_timeout": math.inf},
            "tool.conformance.start_timeout",
            "start_timeout must be a positive number of seconds, not inf",
            id="infinite-start-timeout",
        ),
        pytest.param(
            {
                "targets": [
                    {"name": "h", "kind": "harness", "command": ["h"], "start_timeout": math.nan}
                ]
            },
            "tool.conformance.targets[0].start_timeout",
            "start_timeout must be a positive number of seconds, not nan",
            id="nan-target-start-timeout",
        ),
    ],
)
def test_checks_beyond_the_schema_are_located_too(section: Any, key: str, message: str) -> None:
    """Unique names and finite timeouts, which a schema cannot say, are refused at their key."""
    error = _refused(section)
    assert (error.key, error.message) == (key, message)


def test_every_problem_is_reported_the_most_telling_first() -> None:
    """Several mistakes give one message each: shallowest first, the others under the hint."""
    section = {"timeout": 0, "policy": [{"severity": "warn", "reason": "r"}], "extra": 1}
    found = config_problems(section, "p.toml")
    assert [(e.key, e.message) for e in found] == [
        ("tool.conformance.extra", "unknown key 'extra' in the [tool.conformance] table"),
        ("tool.conformance.timeout", "timeout must be a positive number of seconds, not 0"),
        (
            "tool.conformance.policy[0].severity",
            "severity must be one of 'fail', 'note', not 'warn'",
        ),
    ]
    error = _refused(section)
    assert error.hint.splitlines()[1:] == [
        "  also [tool.conformance.timeout]: timeout must be a positive number of seconds, not 0",
        "  also [tool.conformance.policy[0].severity]: "
        "severity must be one of 'fail', 'note', not 'warn'",
    ]


def test_load_config_names_the_file_it_read(tmp_path: Path) -> None:
    """An invalid ``pyproject.toml`` is refused with its own path and the key."""
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.conformance]\ntimeout = "soon"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path} [tool.conformance.timeout]: "
        "timeout must be a positive number of seconds, not 'soon'\n"
        "  hint: e.g. timeout = 5"
    )


def test_config_schema_is_valid_and_mirrors_the_code() -> None:
    """The schema is a valid 2020-12 schema whose enums match the kinds and conventions in code."""
    schema = resources.schema("config")
    jsonschema.Draft202012Validator.check_schema(schema)
    target, rule = schema["$defs"]["target"], schema["$defs"]["policyRule"]
    assert tuple(target["properties"]["kind"]["enum"]) == TARGET_KINDS
    assert [b["if"]["properties"]["kind"]["const"] for b in target["allOf"]] == list(TARGET_KINDS)
    assert tuple(target["properties"]["convention"]["enum"]) == tuple(CONVENTIONS)
    assert tuple(rule["properties"]["kind"]["enum"]) == ("*", *KINDS)


def test_error_paths_are_written_in_each_format() -> None:
    """JSON files get ``$.a[0].b``; TOML gets dotted keys, quoting the ones it cannot write bare."""
    assert json_path(["tests", 0, "id"]) == "$.tests[0].id"
    assert json_path(["id"], "$.tests[3]") == "$.tests[3].id"
    assert toml_path(["targets", 2, "modules"]) == "tool.conformance.targets[2].modules"
    assert toml_path(["models", "a.b"]) == 'tool.conformance.models."a.b"'


def test_without_a_pyproject_results_go_to_the_documented_default(tmp_path: Path) -> None:
    """With no pyproject.toml above the folder, results still go to reports/results.ndjson there."""
    config = load_config(cwd=tmp_path)
    assert config.file == ""
    assert config.results == tmp_path / "reports" / "results.ndjson"
