"""What a reproducer needs to know of an SDK's generator (its flavour) beyond ``SdkTarget``.

The harnesses read and write with each generator's own functions (Speakeasy's
``utils``, Fern's ``construct_type`` / ``parseOrThrow``, Stainless's ``construct_type``
/ ``defaultParseResponse``), and report which ones in the results header (each
target's implementation ``details``: ``flavor``, ``response_reader``,
``request_writer``, ...). A reproducer calls the same functions, with the same
options: ``FlavouredTarget`` carries them, taken from those details where the run
reported them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from attrs import field, frozen

from conformance.results.reproducers import SdkTarget
from conformance.schema import JsonValue

__all__ = ["FlavouredTarget", "call_options", "flavour_of", "python_reader"]


@frozen
class FlavouredTarget(SdkTarget):
    """An ``SdkTarget`` with its generator's flavour and the calls its harness reported.

    ``flavor`` is ``fern``, ``stainless``, ``speakeasy``, ``pydantic`` or empty (the
    Speakeasy route with a plain pydantic fallback, as before flavours). ``details`` is
    the target's implementation details from the results header (empty when unknown).
    """

    flavor: str = ""
    details: Mapping[str, JsonValue] = field(factory=dict)


def flavour_of(target: SdkTarget) -> str:
    """The target's flavour, or empty for a plain ``SdkTarget``."""
    return target.flavor if isinstance(target, FlavouredTarget) else ""


#: Fern Node's default options where the details do not name them: what its clients pass.
_FERN_READ: dict[str, JsonValue] = {
    "unrecognizedObjectKeys": "passthrough",
    "allowUnrecognizedUnionMembers": True,
    "allowUnrecognizedEnumValues": True,
    "skipValidation": True,
    "breadcrumbsPrefix": ["response"],
}
_FERN_WRITE: dict[str, JsonValue] = {
    "unrecognizedObjectKeys": "passthrough",
    "allowUnrecognizedUnionMembers": True,
    "allowUnrecognizedEnumValues": True,
}


#: Fern Node's response writer where the details do not name it: the request writer's
#: options with the reader's leniency (``node_fern.mjs``, ``responseWriteOptions``).
_FERN_RESPONSE_WRITE: dict[str, JsonValue] = {
    **_FERN_WRITE,
    **{key: value for key, value in _FERN_READ.items() if key != "breadcrumbsPrefix"},
}


def call_options(target: SdkTarget, method: str, direction: str = "request") -> JsonValue:
    """The options object a Fern Node harness passed to ``.parseOrThrow(`` (a response's
    read) or ``.jsonOrThrow(`` (the write of a ``direction`` case), as its details say
    (``response_reader``, ``response_writer``, ``request_writer``)."""
    details = target.details if isinstance(target, FlavouredTarget) else {}
    if method == "parseOrThrow":
        key, default = "response_reader", _FERN_READ
    elif direction == "response":
        key, default = "response_writer", _FERN_RESPONSE_WRITE
    else:
        key, default = "request_writer", _FERN_WRITE
    text = details.get(key)
    if isinstance(text, str):
        found = re.search(rf"\.{method}\([^,]*,\s*", text)
        if found is not None:
            try:
                value, _ = json.JSONDecoder().raw_decode(text, found.end())
            except ValueError:
                value = None
            if isinstance(value, dict):
                return value
    return dict(default)


def python_reader(target: SdkTarget) -> str:
    """A Fern Python SDK's response reader: ``construct_type`` (its generated clients'
    unvalidated reader) or ``parse_obj_as``, as the harness's details say."""
    details = target.details if isinstance(target, FlavouredTarget) else {}
    reader = details.get("response_reader")
    if isinstance(reader, str) and "parse_obj_as" in reader and "construct_type" not in reader:
        return "parse_obj_as"
    return "construct_type"
