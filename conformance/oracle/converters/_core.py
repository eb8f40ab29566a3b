"""What every hook module shares: the error type, value descriptions, hook signatures,
and the ``Oracle`` that one converter's schema-aware hooks are built for.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from attrs import define, field, frozen

from conformance.core import jsonwire
from conformance.core.conventions import Convention, get_convention
from conformance.core.divergence import PathSegment, path_text
from conformance.oracle.models import ModelSet

__all__ = [
    "Oracle",
    "StructureError",
    "StructureHook",
    "UnknownKeys",
    "UnstructureHook",
    "describe",
    "expected",
    "identity",
]

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]


class StructureError(Exception):
    """A value does not fit its schema type; ``path`` leads to it from the root."""

    def __init__(self, message: str, path: list[PathSegment] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[PathSegment] = path if path is not None else []

    def __str__(self) -> str:
        return f"{self.message} @ {path_text(tuple(self.path))}"


class ViewCollision(StructureError):
    """An unknown key kept from the wire is a field's name in the convention's view, so the
    view cannot hold both: the convention has no way to say which is which."""


def describe(value: object) -> str:
    """A short description of a JSON value for error messages: ``string '7'``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, int | Decimal | float):  # a JSON number: ``bool`` is handled above
        return f"number {jsonwire.token(value)}"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def expected(label: str, value: object) -> StructureError:
    """The error for a value of the wrong JSON type: ``expected integer, got string '7'``."""
    return StructureError(f"expected {label}, got {describe(value)}")


def identity(value: Any) -> Any:
    """The unstructure hook of values that are their own JSON form."""
    return value


@define
class UnknownKeys:
    """How many unknown keys one converter has kept; read it before and after a call."""

    count: int = 0


@frozen(eq=False)
class Oracle:
    """What one converter's hooks know: the models, the naming convention, the unknown keys."""

    models: ModelSet
    convention: str
    names: Convention
    classes: frozenset[type]
    unknown: UnknownKeys = field(factory=UnknownKeys)

    @classmethod
    def of(cls, models: ModelSet, convention: str) -> Oracle:
        """The oracle of ``models`` under ``convention``, with a fresh unknown-key tally."""
        classes = frozenset(models.classes.values())
        return cls(models, convention, get_convention(convention), classes)

    def is_generated(self, type_: Any) -> bool:
        """Whether ``type_`` is one of the models' attrs classes."""
        return type_ in self.classes
