"""JSON text with exact number tokens."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conformance.core import jsonwire


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("0", id="zero"),
        pytest.param("0.0", id="zero-point-zero"),
        pytest.param("-0.0", id="negative-zero"),
        pytest.param("1.50", id="trailing-zero"),
        pytest.param("9007199254740993", id="beyond-2-53"),
        pytest.param("1E+21", id="exponent"),
        pytest.param('{"b":1,"a":[true,false,null,"\\u00e9"]}', id="object"),
    ],
)
def test_dumps_writes_back_the_token_it_read(text: str) -> None:
    """A value loaded and dumped again is the same text (given canonical spacing)."""
    assert jsonwire.dumps(jsonwire.loads(text)) == text


def test_integers_stay_exact_beyond_double_precision() -> None:
    """9007199254740993 is not rounded to 9007199254740992."""
    assert jsonwire.loads("9007199254740993") == 9007199254740993


def test_fractions_parse_to_decimal() -> None:
    """Non-integer numbers keep their digits as Decimal."""
    assert jsonwire.loads("[0.1, 1e21]") == [Decimal("0.1"), Decimal("1E+21")]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("0", "0.0", id="int-vs-decimal"),
        pytest.param("1.0", "1.00", id="trailing-zeros"),
        pytest.param("true", "1", id="bool-vs-int"),
        pytest.param('{"a":1,"b":2}', '{"b":2,"a":1}', id="key-order"),
        pytest.param("9007199254740993", "9007199254740992", id="big-integers"),
    ],
)
def test_same_tells_apart_what_plain_equality_does_not(left: str, right: str) -> None:
    """``same`` sees number tokens, bool vs int and key order."""
    assert not jsonwire.same(jsonwire.loads(left), jsonwire.loads(right))


def test_same_holds_for_equal_trees() -> None:
    """Two parses of one text are the same."""
    text = '{"a":[1,2.50,{"b":null}],"c":"x"}'
    assert jsonwire.same(jsonwire.loads(text), jsonwire.loads(text))


def test_same_compares_decimal_tokens_by_sign_digits_and_exponent() -> None:
    """Two fractions are the same exactly when their sign, digits and exponent are, alone or
    inside objects and arrays."""
    tokens = ("1e2", "1E2", "1E+2", "100.0", "1.00e2", "-0.0", "0.0", "0.00", "1e-7", "1E-7")
    for a in tokens:
        for b in tokens:
            left, right = jsonwire.loads(a), jsonwire.loads(b)
            assert isinstance(left, Decimal)
            assert isinstance(right, Decimal)
            expected = left.as_tuple() == right.as_tuple()
            assert jsonwire.same(left, right) == expected
            assert jsonwire.same([1, {"x": left}], [1, {"x": right}]) == expected
            assert (jsonwire.canonical(left) == jsonwire.canonical(right)) == expected


def test_canonical_is_equal_exactly_when_same() -> None:
    """``canonical`` forms agree with ``same`` for grouping."""
    values = [jsonwire.loads(t) for t in ("0", "0.0", "true", "1", '{"a":1}', '{"a":1.0}')]
    for a in values:
        for b in values:
            assert (jsonwire.canonical(a) == jsonwire.canonical(b)) == jsonwire.same(a, b)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_non_json_constants_are_refused(text: str) -> None:
    """NaN and Infinity are not JSON."""
    with pytest.raises(ValueError, match="not valid JSON"):
        jsonwire.loads(text)


def test_lone_surrogates_are_written_escaped() -> None:
    """A lone surrogate (valid JSON, not valid UTF-8) is written as an escape."""
    value = jsonwire.loads('"\\ud800"')
    assert jsonwire.dumps(value) == '"\\ud800"'


def test_dumps_output_is_parseable_by_the_standard_library() -> None:
    """What ``dumps`` writes is plain JSON."""
    text = jsonwire.dumps(jsonwire.loads('{"x":[1.5,2,"\\u2028"]}'))
    assert json.loads(text) == {"x": [1.5, 2, "\u2028"]}


def test_duplicate_keys_are_reported() -> None:
    """``loads_pairs`` calls back for a key repeated in one object."""
    seen: list[str] = []
    jsonwire.loads_pairs('{"a":1,"a":2}', seen.append)
    assert seen == ["a"]
