"""The comparison's own alignment of changed subtrees gives what deepdiff gives on them whole.

``compare._changes`` finds, without deepdiff, the changes deepdiff reports between two
values of different shape (objects with other keys, arrays of other lengths); only arrays
of scalars on both sides still go to deepdiff. Each test holds it against
``compare._deepdiff_changes``, deepdiff run on the whole subtree as the comparison did
before, and ``diff`` against divergences written out by hand.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.comparison import compare
from conformance.comparison.compare import diff
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Side
from tests.strategies import json_values

CHOICES: list[Any] = [
    {"index": 0, "text": "a", "finish_reason": "stop"},
    {"index": 1, "text": "b", "finish_reason": "length"},
    {"index": 2, "text": "c", "finish_reason": "stop"},
]


def _with(changes: dict[str, Any]) -> Any:
    """A payload of ``CHOICES`` with ``changes`` applied to a copy of its array."""
    return {"id": "x", "choices": changes["choices"], "n": 1}


def _changes(left: Any, right: Any) -> list[compare.Change]:
    found: list[compare.Change] = []
    compare._changes(left, right, (), found)
    return sorted(found, key=lambda change: (compare._path_key(change[0]), change[1]))


def _deepdiff(left: Any, right: Any) -> list[compare.Change]:
    found: list[compare.Change] = []
    compare._deepdiff_changes(left, right, (), found)
    return sorted(found, key=lambda change: (compare._path_key(change[0]), change[1]))


def _edited(edit: str) -> list[Any]:
    items = copy.deepcopy(CHOICES)
    if edit == "removed-last":
        items.pop()
    elif edit == "removed-first":
        items.pop(0)
    elif edit == "added":
        items.insert(1, {"index": 9, "text": "z", "finish_reason": "stop"})
    elif edit == "reordered":
        items.reverse()
    elif edit == "duplicated":
        items.append(copy.deepcopy(items[0]))
    elif edit == "changed-deep":
        items[1]["text"] = {"deep": [1, {"deeper": Decimal("2.50")}]}
        items.append({"index": 3})
    return items


@pytest.mark.parametrize(
    "edit",
    ["removed-last", "removed-first", "added", "reordered", "duplicated", "changed-deep"],
)
def test_array_of_objects_aligns_as_deepdiff_does(edit: str) -> None:
    """An array of objects edited one way gives exactly deepdiff's changes on it whole."""
    left, right = CHOICES, _edited(edit)
    assert _changes(left, right) == _deepdiff(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param([1, 2, 3], [2, 3], id="removed"),
        pytest.param([1, 2, 3], [1, 5, 2, 3], id="added"),
        pytest.param(["a", "b", "a"], ["a", "a", "b"], id="duplicates"),
        pytest.param([1, 2], [1, Decimal("2.0"), 3], id="number-tokens"),
        pytest.param([True, 1], [1, True, 0], id="booleans-and-numbers"),
    ],
)
def test_array_of_scalars_aligns_as_deepdiff_does(left: list[Any], right: list[Any]) -> None:
    """An array of scalars on both sides gives exactly deepdiff's changes (it aligns them)."""
    assert _changes({"a": left}, {"a": right, "b": 1}) == _deepdiff(
        {"a": left}, {"a": right, "b": 1}
    )


def test_item_removed_at_the_end_is_one_missing_item() -> None:
    """The last of three objects gone is one ``missing`` divergence holding that object."""
    assert diff(_with({"choices": CHOICES}), _with({"choices": CHOICES[:2]})) == [
        Divergence(
            ("choices", 2),
            "missing",
            Side(("left",), CHOICES[2]),
            Side(("right",), None, False),
            detail='{"index":2,"text":"c","finish_reason":"stop"} vs (absent)',
        )
    ]


def test_item_removed_at_the_front_pairs_the_rest_by_index() -> None:
    """The first object gone compares the others at their old indexes, as deepdiff pairs them:
    each shifted field that differs, then the last item ``missing``, in path order."""
    found = diff(_with({"choices": CHOICES}), _with({"choices": CHOICES[1:]}))
    assert [(d.path, d.kind, d.left.value, d.right.value) for d in found] == [
        (("choices", 0, "finish_reason"), "value", "stop", "length"),
        (("choices", 0, "index"), "value", 0, 1),
        (("choices", 0, "text"), "value", "a", "b"),
        (("choices", 1, "finish_reason"), "value", "length", "stop"),
        (("choices", 1, "index"), "value", 1, 2),
        (("choices", 1, "text"), "value", "b", "c"),
        (("choices", 2), "missing", CHOICES[2], None),
    ]


def test_item_added_at_the_end_is_one_extra_item() -> None:
    """An object added after the others is one ``extra`` divergence holding that object."""
    grown = [*CHOICES, {"index": 3}]
    assert diff({"choices": CHOICES}, {"choices": grown}) == [
        Divergence(
            ("choices", 3),
            "extra",
            Side(("left",), None, False),
            Side(("right",), {"index": 3}),
            detail='(absent) vs {"index":3}',
        )
    ]


@settings(max_examples=400, deadline=None)
@given(json_values(max_leaves=16), json_values(max_leaves=16))
def test_changes_between_any_values_are_deepdiff_s(left: Any, right: Any) -> None:
    """Any two JSON values: the same changes, values and report types as deepdiff's."""
    assert _changes(left, right) == _deepdiff(left, right)


@st.composite
def _edited_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """A JSON value and a copy changed at a few places (as outputs that mostly agree are)."""
    left = draw(json_values(max_leaves=20))
    right = copy.deepcopy(left)
    if not isinstance(right, dict | list):
        return left, draw(json_values(max_leaves=3))
    for _ in range(draw(st.integers(1, 3))):
        containers: list[Any] = [right]
        stack: list[Any] = [right]
        while stack:
            node = stack.pop()
            for item in node.values() if isinstance(node, dict) else node:
                if isinstance(item, dict | list):
                    containers.append(item)
                    stack.append(item)
        node = draw(st.sampled_from(containers))
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if draw(st.booleans()):
                del node[key]
            else:
                node[key] = draw(json_values(max_leaves=3))
        elif isinstance(node, list):
            if node and draw(st.booleans()):
                del node[draw(st.integers(0, len(node) - 1))]
            else:
                node.insert(draw(st.integers(0, len(node))), draw(json_values(max_leaves=3)))
    return left, right


@settings(max_examples=400, deadline=None)
@given(_edited_pairs())
def test_changes_between_edited_values_are_deepdiff_s(pair: tuple[Any, Any]) -> None:
    """A value and an edited copy of it: the same changes as deepdiff's."""
    assert _changes(*pair) == _deepdiff(*pair)


@settings(max_examples=300, deadline=None)
@given(json_values(), json_values())
def test_same_is_equality_of_canonical_forms(left: Any, right: Any) -> None:
    """``same`` (scalars compared in its loops) agrees with the canonical forms' equality."""
    assert jsonwire.same(left, right) == (jsonwire.canonical(left) == jsonwire.canonical(right))
    assert jsonwire.same(left, copy.deepcopy(left))


@settings(max_examples=300, deadline=None)
@given(json_values())
def test_dumps_writes_what_the_python_writer_writes(value: Any) -> None:
    """The C encoder's text, where it writes a value, is the pure-Python writer's exactly."""
    parts: list[str] = []
    chunks: list[str] = []
    jsonwire._dump(value, parts, chunks)
    assert jsonwire.dumps(value) == "".join(chunks) + "".join(parts)


def test_dumps_refuses_what_the_python_writer_refuses() -> None:
    """Values the C encoder stops at are still refused with the Python writer's errors."""
    with pytest.raises(ValueError, match="nan is not valid JSON"):
        jsonwire.dumps([float("nan")])
    with pytest.raises(ValueError, match="NaN is not valid JSON"):
        jsonwire.dumps({"a": Decimal("NaN")})
    with pytest.raises(TypeError, match="cannot write set as JSON"):
        jsonwire.dumps({"a": {1}})


def test_dumps_writes_decimals_as_their_tokens_through_the_c_encoder() -> None:
    """Decimals come out as the tokens they were read as, beside strings that look like them."""
    value = jsonwire.loads('{"a": 0.0, "b": [1E+400, "0.0", 1.50], "c": -0}')
    assert jsonwire.dumps(value) == '{"a":0.0,"b":[1E+400,"0.0",1.50],"c":-0}'


def test_a_string_equal_to_the_marker_is_written_by_the_python_writer() -> None:
    """A payload holding the C path's marker text cannot make it misplace a token."""
    value = {"n": Decimal("1.0"), "s": jsonwire._MARKER, "t": [jsonwire._MARKER, Decimal("2E+5")]}
    parts: list[str] = []
    chunks: list[str] = []
    jsonwire._dump(value, parts, chunks)
    assert jsonwire.dumps(value) == "".join(chunks) + "".join(parts)
    assert jsonwire._c_dumps(value) is None
