"""Divergences: one difference at one wire path, the unit every report is built from."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, TypeAlias, get_args

from attrs import frozen

from conformance.core.jsonwire import JsonValue

Kind: TypeAlias = Literal[
    "missing",  # the right side lacks a key or item the left side has
    "extra",  # the right side has a key or item the left side lacks
    "value",  # same type, different value
    "type",  # different JSON types (string vs number, object vs array, ...)
    "number-format",  # the same number written differently: 0 vs 0.0, 1E+21 vs 1e21
    "datetime-format",  # the same instant written differently: +00:00 vs Z, .5 vs .500
    "text",  # the same value written as other text: \u00e9 vs é, \/ vs /, spacing
    "duplicate-key",  # one key written more than once in one object (readers keep either)
    "order",  # the same object keys in another order
    "accept",  # one side accepted the payload, the other rejected it
    "naming",  # a native field name breaks its convention, or two wire keys share one name
    "required",  # docs: the Required flag differs
    "description",  # docs: the description differs
    "enum",  # docs: the enum values differ
]
KINDS: tuple[str, ...] = get_args(Kind)
#: fail: fails the run; note: reported only; expected: listed in the expected-failures file.
Severity: TypeAlias = Literal["fail", "note", "expected"]

PathSegment: TypeAlias = str | int
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


#: Paths recur in every case of a model: their texts are kept (a bounded cache).
_PATHS_KEPT = 1 << 14


@lru_cache(maxsize=_PATHS_KEPT)
def path_text(path: tuple[PathSegment, ...]) -> str:
    """Render a wire path as ``$.choices[0].index`` (odd keys as ``$["self-harm/intent"]``)."""
    out = ["$"]
    for segment in path:
        if isinstance(segment, int):
            out.append(f"[{segment}]")
        elif segment == "*":
            out.append("[*]")
        elif _IDENTIFIER.match(segment):
            out.append(f".{segment}")
        else:
            escaped = segment.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


_SEGMENT = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*)\]|\["((?:[^"\\]|\\.)*)"\]')


def parse_path_text(text: str) -> tuple[PathSegment, ...] | None:
    """The path ``path_text`` renders as ``text`` (``$.a[0]["odd key"]``); None if it is none."""
    if not text.startswith("$"):
        return None
    out: list[PathSegment] = []
    at = 1
    while at < len(text):
        match = _SEGMENT.match(text, at)
        if match is None:
            return None
        name, index, quoted = match.groups()
        if name is not None:
            out.append(name)
        elif index is not None:
            out.append("*" if index == "*" else int(index))
        else:
            out.append(re.sub(r"\\(.)", r"\1", quoted))
        at = match.end()
    return tuple(out)


@lru_cache(maxsize=_PATHS_KEPT)
def path_pattern(path: tuple[PathSegment, ...]) -> str:
    """The path with every array index replaced by ``*``, for grouping: ``$.choices[*].index``."""
    return path_text(tuple("*" if isinstance(s, int) else s for s in path))


@frozen
class Side:
    """One side of a divergence: which targets (or ``input``), and their value there."""

    targets: tuple[str, ...]
    value: JsonValue = None
    present: bool = True


@frozen
class Divergence:
    """One difference between two sides at one wire path."""

    path: tuple[PathSegment, ...]
    kind: Kind
    left: Side
    right: Side
    severity: Severity = "fail"
    detail: str = ""
    reason: str = ""

    @property
    def where(self) -> str:
        """The path as text."""
        return path_text(self.path)

    @property
    def pattern(self) -> str:
        """The path with array indexes as ``*``."""
        return path_pattern(self.path)

    def with_severity(self, severity: Severity, reason: str = "") -> Divergence:
        """The same divergence under another severity (as a policy rule decides)."""
        return Divergence(
            self.path, self.kind, self.left, self.right, severity, self.detail, reason
        )
