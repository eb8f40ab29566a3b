"""Which divergences fail a run and which are notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from attrs import evolve

from conformance.comparison.policy import DEFAULT_RULES, Policy
from conformance.core.config import PolicyRule, parse_config
from conformance.core.divergence import Divergence, Side


def _divergence(kind: str = "value", path: tuple[str | int, ...] = ("a",)) -> Divergence:
    return Divergence(path, kind, Side(("input",), 1), Side(("sdk-py", "sdk-ts"), 2))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "severity"),
    [
        pytest.param("order", "note", id="order"),
        pytest.param("number-format", "note", id="number-format"),
        pytest.param("value", "fail", id="value"),
        pytest.param("missing", "fail", id="missing"),
        pytest.param("accept", "fail", id="accept"),
        pytest.param("naming", "fail", id="naming"),
        pytest.param("datetime-format", "fail", id="datetime-format"),
    ],
)
def test_default_policy_fails_all_but_order_and_number_format(kind: str, severity: str) -> None:
    """Defaults: order and number-format are notes, everything else fails."""
    assert Policy().judge(_divergence(kind)).severity == severity


def test_project_rule_scoped_by_path_softens_only_matching_paths() -> None:
    """A path-scoped rule applies to matching paths (by pattern) and no others."""
    policy = Policy.from_rules([PolicyRule("note", "known", "value", "$.choices[*].index")])
    inside = policy.judge(_divergence("value", ("choices", 3, "index")))
    outside = policy.judge(_divergence("value", ("choices", 3, "text")))
    assert (inside.severity, inside.reason, outside.severity) == ("note", "known", "fail")


def test_project_rule_scoped_by_targets_needs_every_glob_to_match() -> None:
    """A target-pair rule applies only when each glob names a target on either side."""
    rule = PolicyRule("note", "r", "value", targets=("input", "sdk-py"))
    assert Policy.from_rules([rule]).judge(_divergence()).severity == "note"
    other = evolve(rule, targets=("input", "sdk-go"))
    assert Policy.from_rules([other]).judge(_divergence()).severity == "fail"


def test_project_rules_come_before_defaults() -> None:
    """A project can make order fail again."""
    policy = Policy.from_rules([PolicyRule("fail", "strict", "order")])
    assert policy.judge(_divergence("order")).severity == "fail"


def test_configured_rules_judge_as_written() -> None:
    """Rules read from ``[[tool.conformance.policy]]`` judge like rules built in code."""
    section = {"policy": [{"kind": "value", "targets": "sdk-*", "severity": "note", "reason": "r"}]}
    config = parse_config(section, Path("."))
    assert config.policy == (PolicyRule("note", "r", "value", "*", ("sdk-*",)),)
    assert Policy.from_rules(config.policy).judge(_divergence()).severity == "note"


def test_a_kind_decided_by_its_kind_alone_is_judged_as_a_rule_by_rule_walk_would() -> None:
    """Kinds whose rules name no path or target share one verdict (the first such rule, else
    fail); a rule scoped by path leaves its kind to be judged divergence by divergence."""
    scoped = PolicyRule("note", "scoped", kind="value", path="$.a")
    policy = Policy.from_rules([scoped])
    assert policy.kind_verdict("order") == ("note", DEFAULT_RULES[0].reason)
    assert policy.kind_verdict("missing") == ("fail", "")
    assert policy.kind_verdict("value") is None
    at_a = Divergence(("a",), "value", Side(("input",), 1), Side(("sdk",), 2))
    at_b = Divergence(("b",), "value", Side(("input",), 1), Side(("sdk",), 2))
    assert (policy.judge(at_a).severity, policy.judge(at_a).reason) == ("note", "scoped")
    assert policy.judge(at_b).severity == "fail"
