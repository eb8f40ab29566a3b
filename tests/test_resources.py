"""The shipped schemas' fast validators agree with the full ones."""

from __future__ import annotations

from typing import Any

import fastjsonschema
import pytest
from fastjsonschema import JsonSchemaValueException

from conformance.core import resources

HEADER = {
    "record": "header",
    "tool": "conformance",
    "version": "0.1.0",
    "started": "2026-01-01T00:00:00+00:00",
    "targets": [],
}
CASE = {"record": "case", "id": "c1", "model": "M", "direction": "response", "wire": {"a": 1}}

VALUES: list[Any] = [
    HEADER,
    CASE,
    {**CASE, "id": 3},
    {**CASE, "record": "nope"},
    {"record": "result"},
    {"record": 7},
    {"record": {"a": 1}},
    {"record": ["case"]},
    {},
    [],
    "header",
    {**HEADER, "targets": "none"},
    {"record": "footer"},
]


def _verdict(check: Any, value: Any) -> bool:
    try:
        check(value)
    except JsonSchemaValueException:
        return False
    return True


@pytest.mark.parametrize("value", VALUES)
def test_fast_check_of_a_tagged_one_of_agrees_with_the_whole_schema(value: Any) -> None:
    """The per-record-kind check passes and refuses exactly what the whole schema does."""
    whole = fastjsonschema.compile(resources.schema("results"))
    assert _verdict(resources.fast_check("results"), value) == _verdict(whole, value)


def test_fast_check_accepts_a_valid_record_and_refuses_a_wrong_field() -> None:
    """The fast check is not vacuous: a valid case passes and a case with a number id fails."""
    check = resources.fast_check("results")
    assert _verdict(check, CASE)
    assert not _verdict(check, {**CASE, "id": 3})


def test_tagged_branches_are_found_only_for_a_one_of_of_tagged_definitions() -> None:
    """A oneOf whose members do not each name one distinct const gets no dispatch."""
    tagged = resources._tagged_branches(resources.schema("results"))
    assert tagged is not None
    key, branches = tagged
    assert key == "record"
    assert {"header", "case", "result", "footer"} <= set(branches)
    untagged = {
        "oneOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/b"}],
        "$defs": {
            "a": {"properties": {"k": {"const": "x"}}, "required": ["k"]},
            "b": {"properties": {"k": {"const": "x"}}, "required": ["k"]},
        },
    }
    assert resources._tagged_branches(untagged) is None
    assert resources._tagged_branches({"type": "object"}) is None
