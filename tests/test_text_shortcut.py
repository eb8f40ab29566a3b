"""Texts without escapes take a shortcut that finds what lexing them whole finds."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.comparison.text import _lexed, _unescaped, text_divergences

# Strings without backslashes or quotes (what json.dumps writes without an escape), some
# holding JSON punctuation and spaces, so a skeleton must not be fooled by them.
TEXT = st.text(alphabet=st.sampled_from("ab ,:[]{}0.9-éx"), max_size=6)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    TEXT,
    st.floats(allow_nan=False, allow_infinity=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)
SPACING = st.sampled_from(
    [(",", ":"), (", ", ": "), (",", ": "), (" , ", " : "), ("\t,", ":\t"), (",  ", ":")]
)


def _dump(value: Any, separators: tuple[str, str], indent: int | None) -> str:
    return json.dumps(value, separators=separators, indent=indent, ensure_ascii=False)


def _with_repeat(value: Any, text: str) -> str:
    """The text with its top object's first key written twice (when it is such an object)."""
    if not isinstance(value, dict) or not value or not text.lstrip().startswith("{"):
        return text
    start = text.index("{")
    key = json.dumps(next(iter(value)), ensure_ascii=False)
    return f"{text[: start + 1]}{key}:0,{text[start + 1 :]}"


def _changed(value: Any, change: str) -> Any:
    """The value as an SDK might write it back: integers as floats, objects' keys in
    reverse order, or each object's first key dropped."""
    if isinstance(value, list):
        return [_changed(item, change) for item in value]
    if isinstance(value, dict):
        items = [(key, _changed(item, change)) for key, item in value.items()]
        if change == "reorder":
            items.reverse()
        elif change == "drop":
            items = items[1:]
        return dict(items)
    if change == "floats" and isinstance(value, int) and not isinstance(value, bool):
        return float(value) if abs(value) < 2**53 else value
    return value


@settings(max_examples=600, deadline=None)
@given(
    VALUES,
    SPACING,
    SPACING,
    st.sampled_from([None, 1, 2]),
    st.sampled_from([None, 2]),
    st.booleans(),
    st.sampled_from(["none", "floats", "reorder", "drop"]),
)
def test_the_shortcut_finds_what_the_lexer_finds(
    value: Any,
    one: tuple[str, str],
    other: tuple[str, str],
    indent: int | None,
    other_indent: int | None,
    repeat: bool,
    change: str,
) -> None:
    """For texts without a backslash, the output's value also changed (numbers written as
    floats, keys reordered or dropped): the same divergences, spacing and repeated keys."""
    before = _dump(value, one, indent)
    after = _dump(_changed(value, change), other, other_indent)
    if repeat:
        after = _with_repeat(value, after)
    assert "\\" not in before + after
    sides = (("input",), ("sdk",))
    assert _unescaped(before, after, *sides, 20) == _lexed(before, after, *sides, 20)


def test_a_repeated_key_is_found_through_the_shortcut() -> None:
    """A key the output writes twice, with spacing, is a duplicate-key divergence."""
    found = text_divergences('{"a": 1, "b": 2}', '{"a": 1, "a": 1, "b": 2}')
    assert [d.kind for d in found] == ["duplicate-key"]


def test_spacing_inside_strings_is_not_spacing() -> None:
    """Punctuation and spaces inside strings do not make two texts spaced differently."""
    assert text_divergences('{"a": "x, y"}', '{"a": "x, y"}  ') != []
    assert text_divergences('{"a": "x, y", "b": [1, 2]}', '{"a": "x, y", "b": [1, 2.0]}') == []
