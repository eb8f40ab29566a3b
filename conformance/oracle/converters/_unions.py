"""Hooks for values of several possible types: unions (``oneOf``/``anyOf``) and nullables.

A discriminated union reads an object by its tag, in the convention's name of the
tag property. Any other union tries every member: ``anyOf`` takes the first that
fits without unknown keys (else the first that fits at all); ``oneOf`` takes the
one member that fits exactly, or the only one that fits, and rejects the value
when several members fit it equally well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs

from conformance.oracle.converters._core import (
    NULLABLE,
    Oracle,
    StructureError,
    StructureHook,
    UnstructureHook,
    accepts,
    describe,
    direct,
)
from conformance.oracle.converters._primitives import AS_IS
from conformance.oracle.models import ABSENT, EXTRAS, NullableType, UnionType

__all__ = [
    "nullable_structure_factory",
    "nullable_unstructure_factory",
    "union_structure_factory",
    "union_unstructure_factory",
]


def nullable_structure_factory(
    type_: type[NullableType], converter: cattrs.Converter
) -> StructureHook:
    """``null``, or a value of the inner type."""
    inner = type_.inner
    resolved: list[StructureHook] = []

    def hook(value: Any, _: Any) -> Any:
        if value is None:
            return None
        if not resolved:
            resolved.append(direct(converter.get_structure_hook(inner)))
        return resolved[0](value, inner)

    NULLABLE[hook] = inner
    return hook


def nullable_unstructure_factory(
    type_: type[NullableType], converter: cattrs.Converter
) -> UnstructureHook:
    """``None`` as ``null``, anything else as the inner type writes it."""
    inner = type_.inner
    resolved: list[UnstructureHook] = []

    def hook(value: Any) -> Any:
        if value is None:
            return None
        if not resolved:
            resolved.append(direct(converter.get_unstructure_hook(inner)))
        return resolved[0](value)

    NULLABLE[hook] = inner
    return hook


def union_structure_factory(
    oracle: Oracle, type_: type[UnionType], converter: cattrs.Converter
) -> StructureHook:
    """A value of one member: an object by its discriminator, if any, else by trial."""
    mode = type_.spec.mode
    members = type_.members
    tagged = _tag_reader(oracle, type_)
    hooks: list[StructureHook] = []
    # Per member, the value types its hook can accept (None: not known). A member that
    # cannot accept the value's type would fail at once, so it is not tried; only when no
    # member fits are they all tried, for their errors.
    types: list[frozenset[type] | None] = []
    # Per value type met: whether the union reads such a value as it is. So it does when
    # one member alone can accept the type and its hook returns such values unchanged
    # (``AS_IS``): that member is the one fit, and an exact one, in either mode.
    plain: dict[type, bool] = {}

    # The member hooks are called from this frame alone, so a value nested in
    # unions recurses no deeper here than in any other hook.
    def hook(value: Any, _: Any) -> Any:
        if tagged is not None and type(value) is dict:
            member = tagged(value)
            return converter.get_structure_hook(member)(value, member)
        if not hooks:
            found = [converter.get_structure_hook(m) for m in members]
            types.extend(accepts(converter, h) for h in found)
            hooks.extend(direct(h) for h in found)
        kind = type(value)
        taken = plain.get(kind)
        if taken is None:
            able = [h for h, can in zip(hooks, types, strict=True) if can is None or kind in can]
            taken = plain[kind] = len(able) == 1 and kind in AS_IS.get(able[0], ())
        if taken:
            return value
        fits: list[Any] = []
        exact: list[Any] = []
        failures: list[str] = []
        skipped = False
        for member, member_hook, can in zip(members, hooks, types):  # noqa: B905 - one each
            if can is not None and kind not in can:
                skipped = True
                continue
            try:
                instance = member_hook(value, member)
            except StructureError as error:
                failures.append(f"{getattr(member, '__name__', member)}: {error}")
                continue
            fits.append(instance)
            if not getattr(instance, EXTRAS, None):
                exact.append(instance)
                if mode == "anyOf":
                    return instance
        if skipped and not fits:  # every member's error, as trying them all gives them
            failures = []
            for member, member_hook in zip(members, hooks, strict=True):
                try:
                    member_hook(value, member)
                except StructureError as error:
                    failures.append(f"{getattr(member, '__name__', member)}: {error}")
        return _chosen(mode, value, fits, exact, failures)

    return hook


def union_unstructure_factory(
    type_: type[UnionType], converter: cattrs.Converter
) -> UnstructureHook:
    """A member instance is written by its own runtime class."""
    return converter.unstructure


def _tag_reader(oracle: Oracle, type_: type[UnionType]) -> Callable[[dict[str, Any]], Any] | None:
    """For a discriminated union: the member an object's tag names (or the error at the tag)."""
    discriminator = type_.spec.discriminator
    if discriminator is None:
        return None
    by_name = {m.__name__: m for m in type_.members if oracle.is_generated(m)}
    tag_key = oracle.names.native(discriminator.property)
    choices = ", ".join(repr(k) for k, _ in discriminator.mapping or by_name.items())

    def member_for(value: dict[str, Any]) -> Any:
        tag = value.get(tag_key, ABSENT)
        if type(tag) is str:
            member = by_name.get(discriminator.member_for(tag) or tag)
            if member is not None:
                return member
        found = "absent" if tag is ABSENT else describe(tag)
        raise StructureError(
            f"discriminator {discriminator.property!r} is {found}; expected one of {choices}",
            [tag_key],
        )

    return member_for


def _chosen(mode: str, value: Any, fits: list[Any], exact: list[Any], failures: list[str]) -> Any:
    """The member instance a union of ``mode`` reads ``value`` as, or the reason it cannot."""
    if mode == "anyOf" and fits:
        return fits[0]
    if len(exact) == 1:
        return exact[0]
    if len(fits) == 1 and not exact:
        return fits[0]
    if not fits:
        raise StructureError(
            f"{describe(value)} matches no member of {mode}: " + "; ".join(failures)
        )
    raise StructureError(
        f"{describe(value)} matches {len(exact) or len(fits)} members of oneOf"
        " (exactly one must match)"
    )
