"""Divergences between wire outputs, every kind, and N-way grouping."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conformance.comparison.compare import accept_divergence, diff, group
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Side


def _diff(left: str, right: str) -> list[tuple[str, str]]:
    """(path, kind) of each divergence between two JSON texts."""
    found = diff(jsonwire.loads(left), jsonwire.loads(right), ("a",), ("b",))
    return sorted((d.where, d.kind) for d in found)


def test_equal_outputs_have_no_divergence() -> None:
    """The same value on both sides gives nothing."""
    assert _diff('{"a":[1,{"b":2.5}]}', '{"a":[1,{"b":2.5}]}') == []


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        pytest.param('{"a":1,"b":2}', '{"a":1}', [("$.b", "missing")], id="missing-key"),
        pytest.param('{"a":1}', '{"a":1,"b":null}', [("$.b", "extra")], id="extra-key"),
        pytest.param('{"a":1}', '{"a":2}', [("$.a", "value")], id="value"),
        pytest.param('{"a":1}', '{"a":"1"}', [("$.a", "type")], id="type-number-string"),
        pytest.param('{"a":null}', '{"a":0}', [("$.a", "type")], id="type-null"),
        pytest.param('{"a":true}', '{"a":1}', [("$.a", "type")], id="type-bool-int"),
        pytest.param('{"a":0}', '{"a":0.0}', [("$.a", "number-format")], id="number-format"),
        pytest.param(
            '{"a":9007199254740993}', '{"a":9007199254740992}', [("$.a", "value")], id="big-int"
        ),
        pytest.param(
            '{"a":1e21}', '{"a":1000000000000000000000}', [("$.a", "number-format")], id="exponent"
        ),
        pytest.param(
            '{"t":"2024-01-01T00:00:00+00:00"}',
            '{"t":"2024-01-01T00:00:00Z"}',
            [("$.t", "datetime-format")],
            id="datetime-offset",
        ),
        pytest.param(
            '{"t":"2024-01-01T00:00:00.5Z"}',
            '{"t":"2024-01-01T00:00:00.500000Z"}',
            [("$.t", "datetime-format")],
            id="datetime-fraction",
        ),
        pytest.param(
            '{"t":"2024-01-01T00:00:00Z"}',
            '{"t":"2024-01-01T00:00:01Z"}',
            [("$.t", "value")],
            id="datetime-other-instant",
        ),
        pytest.param(
            '{"t":"2024-01-01T00:00:00.123456789Z"}',
            '{"t":"2024-01-01T00:00:00.123456Z"}',
            [("$.t", "value")],
            id="datetime-nanoseconds-cut",
        ),
        pytest.param(
            '{"t":"2024-01-01T00:00:00.123456700Z"}',
            '{"t":"2024-01-01T00:00:00.1234567Z"}',
            [("$.t", "datetime-format")],
            id="datetime-nanoseconds-trailing-zeros",
        ),
        pytest.param('{"a":1,"b":2}', '{"b":2,"a":1}', [("$", "order")], id="order"),
        pytest.param('{"x":[1,2,3]}', '{"x":[1,3]}', [("$.x[1]", "missing")], id="array-shrank"),
        pytest.param('{"x":[1]}', '{"x":[1,2]}', [("$.x[1]", "extra")], id="array-grew"),
        pytest.param('{"x":{"a":1}}', '{"x":[1]}', [("$.x", "type")], id="object-vs-array"),
        pytest.param(
            '{"self-harm/intent":1}',
            '{"self-harm/intent":2}',
            [('$["self-harm/intent"]', "value")],
            id="odd-key-path",
        ),
    ],
)
def test_each_kind_is_found_at_its_wire_path(
    left: str, right: str, expected: list[tuple[str, str]]
) -> None:
    """Each kind of difference is reported once, at the right path."""
    assert _diff(left, right) == expected


def test_number_tokens_are_noticed_beside_structural_changes() -> None:
    """A shape change and a number token in one object are both reported."""
    assert _diff('{"a":0,"b":1}', '{"a":0.0}') == [("$.a", "number-format"), ("$.b", "missing")]


def test_an_object_that_lost_most_of_its_keys_reports_each_key() -> None:
    """Keys dropped from a small object are reported one by one (no whole-object value change)."""
    assert _diff('{"m":{"a":"x","b":"y"}}', '{"m":{}}') == [
        ("$.m.a", "missing"),
        ("$.m.b", "missing"),
    ]


def test_divergence_names_both_sides_and_values() -> None:
    """The record carries each side's targets and value, absent sides marked."""
    (found,) = diff({"a": 1}, {}, ("input",), ("sdk-a", "sdk-b"))
    assert found == Divergence(
        ("a",),
        "missing",
        Side(("input",), 1, True),
        Side(("sdk-a", "sdk-b"), None, False),
        detail="1 vs (absent)",
    )


def test_deep_difference_in_a_large_payload_is_found_at_depth() -> None:
    """Descent finds one changed leaf among many equal ones."""
    left = {"items": [{"id": i, "v": {"w": [i, i + 1]}} for i in range(200)]}
    right = jsonwire.loads(jsonwire.dumps(left))
    assert isinstance(right, dict)
    right["items"][150]["v"]["w"][1] = "x"
    assert [(d.where, d.kind) for d in diff(left, right)] == [("$.items[150].v.w[1]", "type")]


def test_accept_divergence_says_what_was_expected() -> None:
    """A rejection of a valid payload is an accept divergence with the error."""
    found = accept_divergence(True, ("input",), ("sdk",), "bad index")
    assert (found.kind, found.left.value, found.right.value, found.detail) == (
        "accept",
        "accepted",
        "rejected",
        "expected accepted, got rejected: bad index",
    )


def test_group_names_the_odd_one_out() -> None:
    """Three agreeing outputs and one other make two classes, the majority first."""
    items = [("a", 1), ("b", 2), ("c", 1), ("d", 1)]
    assert group(items, key=lambda x: x) == [(("a", "c", "d"), 1), (("b",), 2)]


def test_group_breaks_ties_by_first_name() -> None:
    """A two-two split keeps the first-named class first; neither is called right."""
    assert group([("a", 1), ("b", 2), ("c", 2), ("d", 1)], key=lambda x: x) == [
        (("a", "d"), 1),
        (("b", "c"), 2),
    ]


@pytest.mark.parametrize("key", ["__proto__", "__init__", "__", "_private"])
def test_keys_with_leading_underscores_are_compared(key: str) -> None:
    """A wire key starting with ``_`` or ``__`` that one side dropped is ``missing``."""
    (found,) = diff({key: 1, "a": 2}, {"a": 2})
    assert (found.path, found.kind) == ((key,), "missing")


def test_divergences_come_in_the_same_order_whatever_the_hash_seed() -> None:
    """Many added and removed keys are reported in one order under any ``PYTHONHASHSEED``."""
    script = (
        "from conformance.comparison.compare import diff\n"
        "left = {f'k{i}': i for i in range(40)}\n"
        "right = {f'k{i}': i for i in range(20, 60)}\n"
        "print([(d.path, d.kind) for d in diff(left, right)])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (0, 1, 2, 3)
    }
    assert len(outputs) == 1
