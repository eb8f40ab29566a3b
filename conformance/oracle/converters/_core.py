"""What every hook module shares: the error type, value descriptions, hook signatures,
the ``Oracle`` that one converter's schema-aware hooks are built for, and what the class
hooks may know of the hooks they call (``FORWARDS``, ``NULLABLE``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from attrs import define, field, frozen

from conformance.core import jsonwire
from conformance.core.conventions import Convention, get_convention
from conformance.core.divergence import PathSegment, path_text
from conformance.oracle.models import ModelSet

__all__ = [
    "ACCEPTS",
    "COMPILED",
    "FORWARDS",
    "KNOWN_STRINGS",
    "NULLABLE",
    "Oracle",
    "StructureError",
    "StructureHook",
    "UnknownKeys",
    "UnstructureHook",
    "accepts",
    "describe",
    "direct",
    "expected",
    "identity",
]

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]

#: Hooks of this package that only call another type's hook (an alias's), with that type:
#: a class hook calls that type's hook directly, one call less per value.
FORWARDS: weakref.WeakKeyDictionary[Callable[..., Any], Any] = weakref.WeakKeyDictionary()
#: Hooks of this package for a nullable type (``None`` as it is, else the inner type's hook),
#: with the inner type: a class hook takes ``None`` and values the inner hook returns
#: unchanged without a call.
NULLABLE: weakref.WeakKeyDictionary[Callable[..., Any], Any] = weakref.WeakKeyDictionary()
#: Structure hooks of this package with the value types they can accept: given a value of
#: any other type, the hook raises ``StructureError`` at once (a union tries no such member).
ACCEPTS: weakref.WeakKeyDictionary[Callable[..., Any], frozenset[type]] = (
    weakref.WeakKeyDictionary()
)


#: The class hooks of this package (``_definitions``), each with a function that returns the
#: function the hook calls, writing its code first if need be (``_codegen``): a caller that
#: holds a class hook calls that function instead, one call less per object.
COMPILED: weakref.WeakKeyDictionary[Callable[..., Any], Callable[[], Any]] = (
    weakref.WeakKeyDictionary()
)


def direct(hook: Any) -> Any:
    """What to call for ``hook``: the function a class hook calls (written now if it is not
    yet), else ``hook`` itself. Call it where a hook is first used, not where it is made:
    writing one class's code makes no other's."""
    return COMPILED[hook]() if hook in COMPILED else hook


#: Structure hooks of this package (closed enums and consts) with the strings they return
#: unchanged: any other string, and any other value, goes through the hook.
KNOWN_STRINGS: weakref.WeakKeyDictionary[Callable[..., Any], frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def accepts(converter: Any, hook: Callable[..., Any]) -> frozenset[type] | None:
    """The value types ``hook`` (a structure hook of ``converter``) can accept, through
    alias and nullable hooks; None when that is not known."""
    seen: set[Any] = set()
    while hook in FORWARDS and hook not in seen:
        seen.add(hook)
        hook = converter.get_structure_hook(FORWARDS[hook])
    if hook in ACCEPTS:
        return ACCEPTS[hook]
    if hook in NULLABLE:
        inner = accepts(converter, converter.get_structure_hook(NULLABLE[hook]))
        return None if inner is None else inner | {type(None)}
    return None


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
