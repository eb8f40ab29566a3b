"""Harness answers are judged by a compiled check with ``jsonschema`` behind it: same verdicts.

``answer_problem`` passes an answer the compiled schema (``fastjsonschema``) passes
and asks ``jsonschema`` about the rest; these tests hold its verdict to that of
``jsonschema`` over the shipped schema as written (``$ref``s and ``oneOf`` intact).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.core import resources
from conformance.targets.protocol import answer_problem
from tests.strategies import json_values

RUN_ANSWERS: list[Any] = [
    {"seq": 1, "accepted": True, "wire_text": "{}", "native": {}},
    {"seq": 1, "accepted": True, "wire": {"a": Decimal("1.50")}, "native": None},
    {"seq": 1, "accepted": True, "written": False, "native": {"a": 1}},
    {"seq": 1, "accepted": True, "written": True, "native": {}},
    {"seq": 1, "accepted": True, "native": {}},
    {"seq": 1, "accepted": 1, "wire_text": "{}"},
    {"seq": True, "accepted": True, "wire_text": "{}"},
    {"seq": -1, "accepted": True, "wire_text": "{}"},
    {"seq": Decimal("1.0"), "accepted": True, "wire_text": "{}"},
    {"seq": Decimal("1.5"), "accepted": True, "wire_text": "{}"},
    {"seq": 1, "accepted": True, "wire_text": 7},
    {"seq": 1, "accepted": True, "wire_text": "{}", "undeclared": [["a", 0]]},
    {"seq": 1, "accepted": True, "wire_text": "{}", "undeclared": [[]]},
    {"seq": 1, "accepted": True, "wire_text": "{}", "undeclared": [[True]]},
    {"seq": 1, "accepted": True, "wire_text": "{}", "undeclared": [[Decimal("2.0")]]},
    {"seq": 1, "accepted": True, "wire_text": "{}", "warnings": ["w", 1]},
    {"seq": 1, "accepted": True, "wire_text": "{}", "extra": 1},
    {"seq": 1, "accepted": False, "error": "no"},
    {"seq": 1, "accepted": False, "error": "no", "error_path": ["a", 0], "internal": True},
    {"seq": 1, "accepted": False, "error": "no", "error_path": [None]},
    {"seq": 1, "accepted": False, "error": "no", "internal": 1},
    {"seq": 1, "accepted": False},
    {"seq": 1, "skipped": True, "reason": "r"},
    {"seq": 1, "skipped": True, "reason": "r", "accepted": True},
    {"seq": 1, "skipped": False, "reason": "r"},
    {"seq": 1},
    [],
    "run",
    None,
]

START_ANSWERS: list[Any] = [
    {
        "ready": True,
        "implementation": {"name": "n", "language": "l", "sdk": "s", "sdk_version": ""},
    },
    {
        "ready": True,
        "implementation": {
            "name": "n",
            "language": "l",
            "sdk": "s",
            "sdk_version": "1",
            "details": {"a": Decimal("1.5"), "b": None, "c": [1]},
        },
    },
    {"ready": True, "implementation": {"name": "", "language": "l", "sdk": "s", "sdk_version": ""}},
    {"ready": False, "error": "e"},
    {"ready": False},
]


def jsonschema_verdict(definition: str, message: Any) -> bool:
    """Whether the shipped schema's ``$defs`` entry, as written, admits ``message``."""
    return bool(resources.validator("harness-response", definition).is_valid(message))


@pytest.mark.parametrize("message", RUN_ANSWERS, ids=repr)
def test_run_answer_verdicts_are_jsonschemas(message: Any) -> None:
    """A run answer is valid exactly when jsonschema finds it valid under the whole schema."""
    assert (answer_problem("run", message) is None) == jsonschema_verdict("run", message)


@pytest.mark.parametrize("message", START_ANSWERS, ids=repr)
def test_start_answer_verdicts_are_jsonschemas(message: Any) -> None:
    """A start answer is valid exactly when jsonschema finds it valid under the whole schema."""
    assert (answer_problem("start", message) is None) == jsonschema_verdict("start", message)


def test_a_refused_answer_says_what_is_wrong_and_where() -> None:
    """An answer the compiled check refuses still gets jsonschema's message and path."""
    problem = answer_problem(
        "run", {"seq": 1, "accepted": False, "error": "e", "error_path": [None]}
    )
    assert problem == "None is not of type 'string', 'integer' at $.error_path[0]"


answer_fields = st.fixed_dictionaries(
    {},
    optional={
        "seq": st.one_of(st.integers(-2, 3), st.sampled_from([Decimal("1.0"), True])),
        "accepted": st.sampled_from([True, False, 1, None]),
        "skipped": st.sampled_from([True, False]),
        "wire_text": st.one_of(st.text(max_size=3), st.integers()),
        "wire": json_values(max_leaves=3),
        "native": json_values(max_leaves=3),
        "written": st.sampled_from([False, True]),
        "error": st.one_of(st.text(max_size=3), st.none()),
        "reason": st.text(max_size=3),
        "internal": st.sampled_from([True, False, 0]),
        "error_path": st.lists(json_values(max_leaves=1), max_size=2),
        "undeclared": st.lists(st.lists(json_values(max_leaves=1), max_size=2), max_size=2),
        "warnings": st.lists(json_values(max_leaves=1), max_size=2),
    },
)


@settings(max_examples=300, deadline=None)
@given(answer_fields)
def test_any_run_answer_gets_jsonschemas_verdict(message: dict[str, Any]) -> None:
    """Over generated answer-shaped objects, the verdict is jsonschema's."""
    assert (answer_problem("run", message) is None) == jsonschema_verdict("run", message)
