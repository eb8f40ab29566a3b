"""JSON pointers into the document, and definition names made from them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

__all__ = ["COMPONENTS", "MISSING", "escape", "follow", "pascal", "pointer_hint", "unescape"]

#: Where named schemas live; a pointer just below it names a definition.
COMPONENTS = "/components/schemas/"
#: What ``follow`` returns for a pointer that leads nowhere.
MISSING = object()
#: Pointer segments that say where a schema is kept, not what it is.
_HINT_SKIP = frozenset({"components", "schemas", "properties", "$defs", "definitions"})


def follow(document: Any, ref: str) -> Any:
    """The node a local ``$ref`` (``#/a/b``) points to in ``document``, else ``MISSING``."""
    node = document
    for raw in ref[1:].split("/")[1:]:
        segment = unescape(unquote(raw))
        if isinstance(node, Mapping) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return MISSING
    return node


def escape(segment: str) -> str:
    """A key as one JSON pointer segment (``~`` and ``/`` escaped)."""
    return segment.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    """The key one JSON pointer segment stands for."""
    return segment.replace("~1", "/").replace("~0", "~")


def pascal(name: str) -> str:
    """``created_at`` -> ``CreatedAt``; the rest of each word keeps its case."""
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(word[:1].upper() + word[1:] for word in words) or "Property"


def pointer_hint(pointer: str) -> str:
    """A definition name for the schema at a JSON pointer: ``/$defs/tree/items`` -> ``TreeItem``."""
    segments = [unescape(each) for each in pointer.split("/")[1:]]
    words = ["Item" if each == "items" else each for each in segments if each not in _HINT_SKIP]
    return "".join(pascal(word) for word in words) or "Schema"
