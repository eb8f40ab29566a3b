"""What a harness can run: its ``models`` listing and its ``schemas`` export.

Both are one request and one answer over the harness protocol; the exchange is
``HarnessTarget``'s (one helper for both), the requests and the reading of the
answers are here. Either answer may list ``dropped`` models: ones the SDK
defines that are not wire JSON (an operation's parameters, a pagination
wrapper), each with why (``dropped_models``).
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from conformance.core.jsonwire import JsonValue

__all__ = [
    "DroppedModel",
    "ModelEntry",
    "dropped_models",
    "model_entries",
    "models_request",
    "schemas_request",
]


@frozen
class ModelEntry:
    """One model a harness can run: its SDK name, directions, what it is, and its wire keys
    (empty when the harness lists none)."""

    name: str
    directions: tuple[str, ...]
    kind: str = ""
    alias_of: str = ""
    keys: tuple[str, ...] = ()


@frozen
class DroppedModel:
    """A model the harness left out because it is not wire JSON, and why."""

    name: str
    reason: str


def models_request() -> dict[str, JsonValue]:
    """The ``models`` request."""
    return {"cmd": "models"}


def schemas_request(names: Sequence[str] | None) -> dict[str, JsonValue]:
    """The ``schemas`` request for ``names`` (every model when None)."""
    request: dict[str, JsonValue] = {"cmd": "schemas"}
    if names is not None:
        request["names"] = list(names)
    return request


def model_entries(answer: dict[str, JsonValue]) -> list[ModelEntry]:
    """The entries of a validated ``models`` answer."""
    entries = answer["models"]
    assert isinstance(entries, list)
    out: list[ModelEntry] = []
    for entry in entries:
        assert isinstance(entry, dict)
        directions = entry["directions"]
        assert isinstance(directions, list)
        keys = entry.get("keys", [])
        assert isinstance(keys, list)
        out.append(
            ModelEntry(
                name=str(entry["name"]),
                directions=tuple(str(item) for item in directions),
                kind=str(entry.get("kind", "")),
                alias_of=str(entry.get("alias_of", "")),
                keys=tuple(str(key) for key in keys),
            )
        )
    return out


def dropped_models(answer: dict[str, JsonValue]) -> list[DroppedModel]:
    """The ``dropped`` entries of a validated ``models`` or ``schemas`` answer (none if absent)."""
    entries = answer.get("dropped")
    if not isinstance(entries, list):
        return []
    out: list[DroppedModel] = []
    for entry in entries:
        assert isinstance(entry, dict)
        out.append(DroppedModel(str(entry["name"]), str(entry["reason"])))
    return out
