"""Which divergences fail a run and which are notes."""

from __future__ import annotations

import pytest

from conformance.comparison.policy import Policy
from conformance.core.divergence import Divergence, Side
from conformance.exceptions import ConfigError


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
    policy = Policy.from_config(
        [{"kind": "value", "path": "$.choices[*].index", "severity": "note", "reason": "known"}]
    )
    inside = policy.judge(_divergence("value", ("choices", 3, "index")))
    outside = policy.judge(_divergence("value", ("choices", 3, "text")))
    assert (inside.severity, inside.reason, outside.severity) == ("note", "known", "fail")


def test_project_rule_scoped_by_targets_needs_every_glob_to_match() -> None:
    """A target-pair rule applies only when each glob names a target on either side."""
    rule = {"kind": "value", "targets": ["input", "sdk-py"], "severity": "note", "reason": "r"}
    assert Policy.from_config([rule]).judge(_divergence()).severity == "note"
    other = {**rule, "targets": ["input", "sdk-go"]}
    assert Policy.from_config([other]).judge(_divergence()).severity == "fail"


def test_project_rules_come_before_defaults() -> None:
    """A project can make order fail again."""
    policy = Policy.from_config([{"kind": "order", "severity": "fail", "reason": "strict"}])
    assert policy.judge(_divergence("order")).severity == "fail"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        pytest.param({"kind": "order", "severity": "note"}, "needs a reason", id="no-reason"),
        pytest.param(
            {"kind": "nope", "severity": "note", "reason": "r"},
            "unknown divergence kind",
            id="bad-kind",
        ),
        pytest.param({"severity": "warn", "reason": "r"}, "severity must be", id="bad-severity"),
        pytest.param(
            {"severity": "note", "reason": "r", "pth": "$"}, "unknown policy key", id="typo"
        ),
    ],
)
def test_bad_rules_are_configuration_errors(rule: dict[str, object], words: str) -> None:
    """A malformed rule names its index and what is wrong."""
    with pytest.raises(ConfigError, match=words) as caught:
        Policy.from_config([rule], file="pyproject.toml")
    assert caught.value.key == "tool.conformance.policy[0]"
