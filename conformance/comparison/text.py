"""Text divergences: the same value written as other text (``\\u00e9`` vs ``é``).

Values are compared by ``compare.diff``; this module looks at what values cannot
show. A small JSON lexer walks each text once and notes, for every string token
(object keys included), its wire path and its raw token. A string whose raw tokens
differ between the input and the output while their decoded values are the same is
one ``text`` divergence at its path, the two raw tokens as the sides' values. Where
the decoded values differ, that is a ``value`` divergence and not this module's;
number tokens are ``number-format``'s and are skipped.

A key the output writes more than once in one object, where the input wrote it once,
is a ``duplicate-key`` divergence at that key's path: a parser keeps one of the copies
(the last, the first, or refuses the text), so readers of the SDK's output may disagree,
and a comparison of parsed values never sees it. A text without escapes and spacing
(the fast path) is lexed for this only when it holds more keys than the input.

Spacing (whitespace around brackets, commas and colons) is one ``text`` divergence
at ``$``. Only punctuation both texts use is compared, so an output that dropped
the input's only array is not "spaced differently" around brackets it never wrote;
newlines count as one form with the text's indentation unit compared apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

from attrs import define, frozen

from conformance.core.divergence import Divergence, PathSegment, Side

__all__ = ["TEXT_LIMIT", "text_divergences", "text_form"]

Path = tuple[PathSegment, ...]
#: The most ``text`` divergences one comparison reports: one text habit (raw UTF-8)
#: shows in every string, and a few examples say it as well as thousands.
TEXT_LIMIT = 20
_SPACE = " \t\n\r"
_PUNCTUATION = "{}[],:"
_NOT_SCALAR = _SPACE + _PUNCTUATION + '"'
_MARKS = frozenset(_PUNCTUATION)


@frozen
class _Lexed:
    """What the lexer keeps of one text: string tokens by (path, role), and the spacing."""

    strings: dict[tuple[Path, str], tuple[str, str]]  # (path, "key"|"value") -> (raw, decoded)
    spacing: dict[tuple[str, str], frozenset[str]]  # (punctuation, "before"|"after") -> forms
    unit: str | None  # the indentation of one level, when the text breaks lines
    ends: tuple[str, str]  # whitespace before the first token and after the last
    repeated: dict[Path, int]  # key path -> how many times its object writes it (twice or more)


def _decoded(raw: str) -> str | None:
    if "\\" not in raw:
        return raw[1:-1]
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _string_end(text: str, start: int) -> int:
    """The offset of the quote that closes the string opened at ``start``; -1 if none does."""
    end = start
    while True:
        end = text.find('"', end + 1)
        if end < 0:
            return -1
        escapes = end - 1
        while text[escapes] == "\\":
            escapes -= 1
        if (end - 1 - escapes) % 2 == 0:  # an even run of backslashes escapes itself
            return end


@define
class _Level:
    """One open array or object while lexing: where in it the lexer is."""

    array: bool
    key: str = ""
    index: int = 0
    expecting_key: bool = False
    keys: set[str] | None = None  # the keys written so far (objects)

    @property
    def segment(self) -> PathSegment:
        return self.index if self.array else self.key


def _lex(text: str) -> _Lexed | None:
    """The string tokens and spacing of a JSON text; None when it is not lexable JSON."""
    strings: dict[tuple[Path, str], tuple[str, str]] = {}
    repeated: dict[Path, int] = {}
    spacing: dict[tuple[str, str], set[str]] = {}
    unit: list[str] = []
    levels: list[_Level] = []
    at, size, gap, previous = 0, len(text), "", ""

    def note(punctuation: str, side: str, depth: int) -> None:
        run = gap
        if "\n" in run:
            indent = run.rpartition("\n")[2]
            if depth and not unit and indent and len(indent) % depth == 0:
                unit.append(indent[: len(indent) // depth])
            run = "\n"
        spacing.setdefault((punctuation, side), set()).add(run)

    while at < size:
        char = text[at]
        if char in _SPACE:
            end = at
            while end < size and text[end] in _SPACE:
                end += 1
            gap, at = text[at:end], end
            continue
        closing = char in "]}"
        depth = len(levels) - (1 if closing else 0)
        if previous in _MARKS:
            note(previous, "after", depth)
        if char in _PUNCTUATION:
            if previous:  # whitespace before the first token is one of the text's ends
                note(char, "before", depth)
            if char in "[{":
                opens_object = char == "{"
                keys: set[str] | None = set() if opens_object else None
                levels.append(_Level(array=not opens_object, expecting_key=opens_object, keys=keys))
            elif closing:
                if not levels:
                    return None
                levels.pop()
            elif char == "," and levels:
                level = levels[-1]
                if level.array:
                    level.index += 1
                else:
                    level.expecting_key = True
            previous, gap, at = char, "", at + 1
            continue
        if char == '"':
            end = _string_end(text, at)
            if end < 0:
                return None
            raw = text[at : end + 1]
            decoded = _decoded(raw)
            if decoded is None:
                return None
            role = "value"
            if levels and levels[-1].expecting_key:
                level = levels[-1]
                level.key, level.expecting_key, role = decoded, False, "key"
                if level.keys is not None:
                    if decoded in level.keys:
                        where = tuple(each.segment for each in levels)
                        repeated[where] = repeated.get(where, 1) + 1
                    level.keys.add(decoded)
            strings[(tuple(level.segment for level in levels), role)] = (raw, decoded)
            at = end + 1
        else:  # a number or a literal: number-format's business
            while at < size and text[at] not in _NOT_SCALAR:
                at += 1
        previous, gap = "token", ""
    first = len(text) - len(text.lstrip(_SPACE))
    frozen_spacing = {key: frozenset(forms) for key, forms in spacing.items()}
    ends = (text[:first], gap)
    return _Lexed(strings, frozen_spacing, unit[0] if unit else None, ends, repeated)


def text_divergences(
    input_text: str,
    output_text: str,
    left_targets: Sequence[str] = ("left",),
    right_targets: Sequence[str] = ("right",),
    limit: int = TEXT_LIMIT,
) -> list[Divergence]:
    """Where ``output_text`` writes the same value as ``input_text`` in other text.

    Strings (keys and values) whose raw tokens differ while their decoded values are
    the same, then spacing (one divergence at ``$``); at most ``limit`` in all, and
    none when either text is not JSON a lexer can walk.
    """
    if input_text == output_text:
        return []
    left, right = tuple(left_targets), tuple(right_targets)
    if _plain(input_text) and _plain(output_text):
        # No escapes and no spacing to compare: only a repeated key can be here, and only
        # if the output writes more keys than the input.
        if output_text.count('":') <= input_text.count('":'):
            return []
        lexed = _lexed_duplicates(input_text, output_text, left, right, limit)
        return [] if lexed is None else lexed[2]
    if "\\" not in input_text and "\\" not in output_text:
        return _unescaped(input_text, output_text, left, right, limit)
    return _lexed(input_text, output_text, left, right, limit)


def _lexed_duplicates(
    input_text: str, output_text: str, left: tuple[str, ...], right: tuple[str, ...], limit: int
) -> tuple[_Lexed, _Lexed, list[Divergence]] | None:
    """Both texts lexed, and the keys the output repeats (up to ``limit``); None when
    either text is not JSON the lexer can walk."""
    given, made = _lex(input_text), _lex(output_text)
    if given is None or made is None:
        return None
    return given, made, _duplicates(given, made, left, right)[:limit]


def _lexed(
    input_text: str, output_text: str, left: tuple[str, ...], right: tuple[str, ...], limit: int
) -> list[Divergence]:
    """``text_divergences`` by lexing both texts whole."""
    lexed = _lexed_duplicates(input_text, output_text, left, right, limit)
    if lexed is None:
        return []
    given, made, found = lexed
    if len(found) == limit:
        return found
    for (path, role), (raw, decoded) in given.strings.items():
        other = made.strings.get((path, role))
        if other is None or other[0] == raw or other[1] != decoded:
            continue  # absent, the same token, or a value that changed: not a text matter
        detail = f"{'key' if role == 'key' else 'string'} {raw} written as {other[0]}"
        found.append(
            Divergence(path, "text", Side(left, raw), Side(right, other[0]), detail=detail)
        )
        if len(found) == limit:
            return found
    spaced = _spacing(given, made)
    if spaced is not None:
        written, rewritten = spaced
        detail = f"spacing: {written!r} vs {rewritten!r}"
        found.append(
            Divergence((), "text", Side(left, written), Side(right, rewritten), detail=detail)
        )
    return found


#: A string without escapes: what a skeleton writes as ``""``.
_STRING = re.compile(r'"[^"]*"')
#: An object key without escapes (a string followed by a colon).
_KEY = re.compile(r'"([^"]*)"[ \t\n\r]*:')


def _unescaped(
    input_text: str, output_text: str, left: tuple[str, ...], right: tuple[str, ...], limit: int
) -> list[Divergence]:
    """``text_divergences`` of two texts without a backslash, mostly at the speed of ``re``.

    Without escapes a string token is its value, so no string is written differently:
    what is left is a repeated key and spacing. A key is lexed for only when the output
    writes some key more often than the input does. Spacing is read from skeletons, the
    texts with every string written ``""``: they space exactly as the texts do, are read in
    a fraction of the time, and equal skeletons space alike.
    """
    found: list[Divergence] = []
    written_keys, given_keys = _KEY.findall(output_text), _KEY.findall(input_text)
    # The same keys in the same order (the usual output) repeat no key more often.
    if written_keys != given_keys and _more_often(written_keys, given_keys):
        lexed = _lexed_duplicates(input_text, output_text, left, right, limit)
        if lexed is None:
            return []
        found = lexed[2]
        if len(found) == limit:
            return found
    before, after = _skeleton(input_text), _skeleton(output_text)
    if before == after or (_plain(before) and _plain(after)):
        return found  # spaced alike, or not spaced at all (numbers may differ)
    if "\n" in before or "\n" in after or "\r" in before or "\r" in after:
        given, made = _lex(before), _lex(after)  # line breaks: indentation needs the depth
        if given is None or made is None:
            return found
    else:
        given, made = _spaced(before), _spaced(after)
    spaced = _spacing(given, made)
    if spaced is not None:
        was, now = spaced
        detail = f"spacing: {was!r} vs {now!r}"
        found.append(Divergence((), "text", Side(left, was), Side(right, now), detail=detail))
    return found


def _more_often(written: list[str], given: list[str]) -> bool:
    """Whether some key is written more often in ``written`` than in ``given``."""
    counted = Counter(given)
    return any(times > counted[key] for key, times in Counter(written).items())


#: A punctuation mark with the whitespace before it and (looked ahead at) after it.
_MARK = re.compile(r"([ \t]*)([\[\]{},:])(?=([ \t]*))")


def _spaced(skeleton: str) -> _Lexed:
    """The spacing ``_lex`` finds in a skeleton without line breaks, read by one regular
    expression: the run before each mark (but a mark the text opens with) and after it (but
    a mark the text ends with), and the text's ends."""
    first = len(skeleton) - len(skeleton.lstrip(_SPACE))
    last = len(skeleton.rstrip(_SPACE))
    marks = _MARK.findall(skeleton)
    opens = 1 if marks and first < last and skeleton[first] in _MARKS else 0
    closes = 1 if len(marks) > opens and first < last and skeleton[last - 1] in _MARKS else 0
    # In the lexer's order (it reports the first difference): a mark's run before it, then
    # its run after it; a spacing repeats, so each distinct one is taken once.
    spacing: dict[tuple[str, str], set[str]] = {}
    if opens and not (closes and len(marks) == 1):
        _, mark, after = marks[0]
        spacing.setdefault((mark, "after"), set()).add(after)
    for before, mark, after in dict.fromkeys(marks[opens : len(marks) - closes]):
        spacing.setdefault((mark, "before"), set()).add(before)
        spacing.setdefault((mark, "after"), set()).add(after)
    if closes:
        before, mark, _ = marks[-1]
        spacing.setdefault((mark, "before"), set()).add(before)
    ends = (skeleton[:first], skeleton[last:])
    return _Lexed({}, {k: frozenset(v) for k, v in spacing.items()}, None, ends, {})


def _skeleton(text: str) -> str:
    """``text`` (no backslash in it) with its strings written ``""``: nothing in it but
    punctuation, whitespace, numbers and literals, spaced as the text is."""
    return _STRING.sub('""', text)


def _duplicates(
    given: _Lexed, made: _Lexed, left: tuple[str, ...], right: tuple[str, ...]
) -> list[Divergence]:
    """The keys the output repeats in one object more often than the input does."""
    found = []
    for path, times in made.repeated.items():
        once = given.repeated.get(path, 1)
        if times > once:
            detail = f"key {path[-1]!r} written {times} times in one object"
            sides = (Side(left, once), Side(right, times))
            found.append(Divergence(path, "duplicate-key", *sides, detail=detail))
    return found


#: Whitespace beside punctuation: where JSON text is spaced (tokens only meet at punctuation).
_SPACED = re.compile(r"[\[\]{},:][ \t\n\r]|[ \t\n\r][\[\]{},:]")


def _plain(text: str) -> bool:
    """Whether ``text`` has no escape and no whitespace between tokens, checked without
    lexing: two such texts can differ in no way this module reports (a string without an
    escape is its own value, so equal values are equal tokens), which spares the lexer
    for most outputs (ones that differ only in numbers or key order)."""
    if "\\" in text or not text or text[0] in _SPACE or text[-1] in _SPACE:
        return False
    return _SPACED.search(text) is None


def _spacing(given: _Lexed, made: _Lexed) -> tuple[str, str] | None:
    """How the two texts space the first thing they space differently; None if alike."""
    if given.ends != made.ends:
        return _shown_ends(given.ends), _shown_ends(made.ends)
    for key, forms in given.spacing.items():
        others = made.spacing.get(key)
        if others is not None and others != forms:
            return _shown(key, forms), _shown(key, others)
    if given.unit is not None and made.unit is not None and given.unit != made.unit:
        return f"indented by {given.unit!r}", f"indented by {made.unit!r}"
    return None


def _shown(key: tuple[str, str], forms: frozenset[str]) -> str:
    punctuation, side = key
    shown = [f"{run}{punctuation}" if side == "before" else f"{punctuation}{run}" for run in forms]
    return " or ".join(sorted(shown))


def _shown_ends(ends: tuple[str, str]) -> str:
    return f"{ends[0]!r} before, {ends[1]!r} after the value"


def _is_hex(digits: str) -> bool:
    return all(char in "0123456789abcdefABCDEF" for char in digits)


def text_form(written: str) -> str:
    """How one side of a ``text`` divergence writes its string, in a few words (for the
    families): which escapes it uses where others could write characters, and the reverse."""
    if not written.startswith('"'):
        return "spacing " + written
    features: set[str] = set()
    at = 1
    while at < len(written) - 1:
        char = written[at]
        if char == "\\":
            escape = written[at + 1 : at + 2]
            if escape == "u":
                digits = written[at + 2 : at + 6]
                code = int(digits, 16) if len(digits) == 4 and _is_hex(digits) else 0
                features.add("\\u-escaped non-ASCII" if code > 0x7F else "\\u-escaped ASCII")
                at += 6
                continue
            if escape == "/":
                features.add("escaped /")
            at += 2
            continue
        if ord(char) > 0x7F:
            features.add("raw non-ASCII")
        elif char == "/":
            features.add("raw /")
        at += 1
    return ", ".join(sorted(features)) or "plain text"
