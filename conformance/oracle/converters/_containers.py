"""Hooks for arrays (``list[T]``) and maps (``dict[str, T]``).

An error inside an item gets the item's index or key prepended to its path. Item
hooks are looked up on first use, so a container may hold its own type.
"""

from __future__ import annotations

from typing import Any, get_args

import cattrs

from conformance.oracle.converters._core import (
    ACCEPTS,
    StructureError,
    StructureHook,
    UnstructureHook,
    direct,
    expected,
    identity,
)

__all__ = [
    "dict_structure_factory",
    "dict_unstructure_factory",
    "list_structure_factory",
    "list_unstructure_factory",
]


def _item_type(type_: Any) -> Any:
    (item_type,) = get_args(type_) or (Any,)
    return item_type


def _value_type(type_: Any) -> Any:
    args = get_args(type_)
    return args[1] if len(args) == 2 else Any


def list_structure_factory(type_: Any, converter: cattrs.Converter) -> StructureHook:
    """A JSON array whose items all fit the item type."""
    item_type = _item_type(type_)
    resolved: list[StructureHook] = []

    def hook(value: Any, _: Any) -> list[Any]:
        if type(value) is not list:
            raise expected("array", value)
        if not resolved:
            resolved.append(direct(converter.get_structure_hook(item_type)))
        item_hook = resolved[0]
        out = []
        for index, item in enumerate(value):
            try:
                out.append(item_hook(item, item_type))
            except StructureError as error:
                error.path.insert(0, index)
                raise
        return out

    ACCEPTS[hook] = frozenset({list})
    return hook


def list_unstructure_factory(type_: Any, converter: cattrs.Converter) -> UnstructureHook:
    """A list written item by item (copied whole when items are their own JSON form)."""
    item_type = _item_type(type_)
    resolved: list[UnstructureHook] = []

    def hook(value: list[Any]) -> list[Any]:
        if not resolved:
            resolved.append(direct(converter.get_unstructure_hook(item_type)))
        item_hook = resolved[0]
        if item_hook is identity:
            return list(value)
        return [item_hook(item) for item in value]

    return hook


def dict_structure_factory(type_: Any, converter: cattrs.Converter) -> StructureHook:
    """A JSON object whose values all fit the value type; keys stay in their order."""
    value_type = _value_type(type_)
    resolved: list[StructureHook] = []

    def hook(value: Any, _: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise expected("object", value)
        if not resolved:
            resolved.append(direct(converter.get_structure_hook(value_type)))
        value_hook = resolved[0]
        out = {}
        for key, item in value.items():
            try:
                out[key] = value_hook(item, value_type)
            except StructureError as error:
                error.path.insert(0, key)
                raise
        return out

    ACCEPTS[hook] = frozenset({dict})
    return hook


def dict_unstructure_factory(type_: Any, converter: cattrs.Converter) -> UnstructureHook:
    """A dict written value by value (copied whole when values are their own JSON form)."""
    value_type = _value_type(type_)
    resolved: list[UnstructureHook] = []

    def hook(value: dict[str, Any]) -> dict[str, Any]:
        if not resolved:
            resolved.append(direct(converter.get_unstructure_hook(value_type)))
        value_hook = resolved[0]
        if value_hook is identity:
            return dict(value)
        return {key: value_hook(item) for key, item in value.items()}

    return hook
