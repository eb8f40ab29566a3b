"""The converter factory: a fresh ``OracleConverter`` with every hook registered by predicate.

As cattrs' own ``preconf`` modules do, ``make_converter`` builds a converter and
``configure_converter`` registers the hooks on it. Hooks for single values are
registered for their types; everything else comes from a factory applied to a
whole family of types (every generated attrs class, every marker type of
``conformance.oracle.models``, every ``list[T]``/``dict[str, T]``). Factories that
need the schema get the converter's ``Oracle`` bound as their first argument;
all of them get the converter from cattrs, so nothing is shared between
converters and nothing touches ``cattrs.global_converter``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any, get_origin

import cattrs

from conformance.oracle.converters._containers import (
    dict_structure_factory,
    dict_unstructure_factory,
    list_structure_factory,
    list_unstructure_factory,
)
from conformance.oracle.converters._core import (
    Oracle,
    StructureHook,
    UnstructureHook,
    direct,
    identity,
)
from conformance.oracle.converters._definitions import (
    alias_structure_factory,
    alias_unstructure_factory,
    class_structure_factory,
    class_unstructure_factory,
)
from conformance.oracle.converters._primitives import (
    PRIMITIVE_HOOKS,
    choice_structure_factory,
    integer_structure_factory,
    structure_any,
)
from conformance.oracle.converters._unions import (
    nullable_structure_factory,
    nullable_unstructure_factory,
    union_structure_factory,
    union_unstructure_factory,
)
from conformance.oracle.models import (
    AliasType,
    ConstType,
    EnumType,
    IntegerType,
    ModelSet,
    NullableType,
    UnionType,
)

__all__ = [
    "OracleConverter",
    "configure_converter",
    "direct_hooks",
    "make_converter",
    "unknown_key_count",
]


class OracleConverter(cattrs.Converter):
    """A ``cattrs.Converter`` configured for one schema's models and one naming convention."""

    __slots__ = ("oracle",)

    def __init__(self, oracle: Oracle) -> None:
        super().__init__()
        self.oracle = oracle


def make_converter(models: ModelSet, convention: str = "wire") -> OracleConverter:
    """A fresh converter between JSON values in ``convention``'s names and ``models``' classes."""
    converter = OracleConverter(Oracle.of(models, convention))
    configure_converter(converter)
    return converter


def direct_hooks(converter: OracleConverter, type_: Any) -> tuple[StructureHook, UnstructureHook]:
    """What ``converter.structure(value, type_)`` and ``converter.unstructure(value, type_)``
    call, found once: ``read(value, type_)`` and ``write(value)`` do the same with no
    dispatch (for a caller that reads and writes many values of one type)."""
    read = direct(converter.get_structure_hook(type_))
    write = direct(converter.get_unstructure_hook(type_))
    return read, write


def unknown_key_count(converter: OracleConverter) -> int:
    """How many unknown keys ``converter`` has kept so far (compare before and after a call)."""
    return converter.oracle.unknown.count


def configure_converter(converter: OracleConverter) -> None:
    """Register every hook of the oracle on ``converter``."""
    for primitive, hook in PRIMITIVE_HOOKS:
        converter.register_structure_hook(primitive, hook)
        converter.register_unstructure_hook(primitive, identity)
    converter.register_structure_hook_func(_is_any, structure_any)
    converter.register_unstructure_hook_func(_is_any, identity)
    _register_structure_factories(converter)
    _register_unstructure_factories(converter)
    # Values inside ``Any`` and unions are unstructured by their runtime class.
    converter.register_unstructure_hook(Decimal, identity)


def _register_structure_factories(converter: OracleConverter) -> None:
    oracle = converter.oracle
    register = converter.register_structure_hook_factory
    register(_subclass_of(IntegerType), integer_structure_factory)
    register(_subclass_of(EnumType, ConstType), choice_structure_factory)
    register(_subclass_of(NullableType), nullable_structure_factory)
    register(_subclass_of(AliasType), partial(alias_structure_factory, oracle))
    register(_subclass_of(UnionType), partial(union_structure_factory, oracle))
    register(_origin_is(list), list_structure_factory)
    register(_origin_is(dict), dict_structure_factory)
    register(oracle.is_generated, partial(class_structure_factory, oracle))


def _register_unstructure_factories(converter: OracleConverter) -> None:
    oracle = converter.oracle
    # Scalar markers hold values that are their own JSON form.
    converter.register_unstructure_hook_func(
        _subclass_of(IntegerType, EnumType, ConstType), identity
    )
    register = converter.register_unstructure_hook_factory
    register(_subclass_of(NullableType), nullable_unstructure_factory)
    register(_subclass_of(AliasType), partial(alias_unstructure_factory, oracle))
    register(_subclass_of(UnionType), union_unstructure_factory)
    register(_origin_is(list), list_unstructure_factory)
    register(_origin_is(dict), dict_unstructure_factory)
    register(oracle.is_generated, partial(class_unstructure_factory, oracle))


def _is_any(type_: Any) -> bool:
    return type_ is Any


def _subclass_of(*markers: type) -> Callable[[Any], bool]:
    """A predicate: is the type a subclass of one of ``markers``?"""
    return lambda type_: isinstance(type_, type) and issubclass(type_, markers)


def _origin_is(origin: type) -> Callable[[Any], bool]:
    """A predicate: is the type ``origin[...]`` (``list[str]``, ``dict[str, int]``)?"""
    return lambda type_: get_origin(type_) is origin
