"""Native views the HTML page draws by renaming their source's keys (``html``).

A results file holds a native view that is its source (the wire, or the case's payload)
with every object key renamed by the target's convention as a flag (``copies``); the page
gets the source's text and, per chunk, the native name of each key that the convention
renames, and renames the parsed source when the case is opened (``report.js``).
"""

from __future__ import annotations

from typing import Any

from attrs import define, field

from conformance.results.copies import convention_of

__all__ = ["NativeNames", "keys_of"]

#: Native names kept per convention (payloads repeat their keys case after case).
_NAMES_KEPT = 1 << 16


def keys_of(value: Any, into: set[str]) -> set[str]:
    """Every object key in a JSON value, at any depth, added to ``into``."""
    kind = type(value)
    if kind is dict:
        into.update(value)
        items = value.values()
    elif kind is list:
        items = value
    else:
        return into
    for item in items:
        if type(item) is dict or type(item) is list:
            keys_of(item, into)
    return into


@define
class NativeNames:
    """Native names of keys by convention, kept across cases (payloads repeat their keys)."""

    known: dict[str, dict[str, str]] = field(factory=dict)

    def renamed(self, convention: str, keys: set[str]) -> list[list[str]]:
        """``[key, native name]`` of each key that ``convention`` renames (``copies.renamed``
        renames by the same ``Convention.native``), sorted: a set's order changes from one
        process to the next."""
        named = self.known.get(convention)
        if named is None or len(named) > _NAMES_KEPT:
            named = self.known[convention] = {}
        found = convention_of(convention)
        pairs: list[list[str]] = []
        if found is None:
            return pairs
        for key in sorted(keys):
            native = named.get(key)
            if native is None:
                native = named[key] = found.native(key)
            if native != key:
                pairs.append([key, native])
        return pairs
