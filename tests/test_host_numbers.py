"""Request payloads a harness's own language cannot hold are no test of the SDK."""

from __future__ import annotations

import pytest

from conformance.core import jsonwire
from conformance.targets.host_numbers import unheld_number


@pytest.mark.parametrize(
    ("text", "python", "javascript"),
    [
        ('{"a": 5, "b": 1.10, "c": -0, "d": 1e21}', None, None),
        ('{"a": 9007199254740993}', None, "9007199254740992"),
        ('{"a": 9007199254740993.0}', "9007199254740992.0", "9007199254740992"),
        ('{"a": [0.1000000000000000055]}', "0.1", "0.1"),
        ('{"a": {"b": 1E+400}}', "infinity", "infinity"),
    ],
)
def test_a_number_the_language_s_parser_changes_is_named_with_what_it_becomes(
    text: str, python: str | None, javascript: str | None
) -> None:
    """Python reads integer tokens exactly and the rest as floats; JavaScript reads every
    number as a float64; a float holds a token whose shortest text is the same number."""
    wire = jsonwire.loads(text)
    for language, held in (("python", python), ("javascript", javascript)):
        found = unheld_number(wire, language)
        if held is None:
            assert found is None
        else:
            assert found is not None
            assert f"read by {language}'s JSON parser as {held}:" in found


def test_the_first_such_number_is_named_at_its_path() -> None:
    """The reason names the number's token and its wire path."""
    found = unheld_number(jsonwire.loads('{"x": [1, {"big": 9007199254740993}]}'), "javascript")
    assert found is not None
    assert found.startswith("the payload's number 9007199254740993 at $.x[1].big is read by")


def test_a_language_the_tool_does_not_know_is_not_judged() -> None:
    """A harness of another language (a user's own) is given every payload."""
    assert unheld_number(jsonwire.loads('{"a": 9007199254740993.5}'), "ruby") is None
