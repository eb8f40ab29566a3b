"""The hooks of the generated classes as code written for each class, as cattrs writes its own.

A hook that loops over a model's fields pays for its generality on every object it
reads or writes: unpacking each field's entry, a dict of keyword arguments, a test of
each field's kind. So each class's hooks are written out on first use, in schema order,
one block per field, doing exactly what that loop did: the same checks in the same
order, the same errors with the same paths, the same values. A field's value whose type
its hook returns unchanged (``_definitions._as_is``) is taken without the call; a field
whose writer returns every value unchanged is copied without one; and where a class's
``__init__`` does nothing but set its slots (``_definitions._slot_setters``), the reader
sets them itself.

The source is kept in ``linecache`` under a name of its own, so a traceback through a
generated hook shows its lines.
"""

from __future__ import annotations

import itertools
import keyword
import linecache
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from conformance.oracle.converters._core import COMPILED
from conformance.oracle.models import EXTRAS

__all__ = ["Reading", "Writing", "compiled", "reader_source", "writer_source"]

_NUMBERS = itertools.count()


class Reading(NamedTuple):
    """How one field is read: its key, attribute, required flag, type, hook, the value
    types the hook returns unchanged, and the strings it returns unchanged."""

    key: str
    attribute: str
    required: bool
    type: Any
    hook: Callable[[Any, Any], Any]
    as_is: frozenset[type]
    strings: frozenset[str] = frozenset()


class Writing(NamedTuple):
    """How one field is written: its key, attribute, and hook (None: written unchanged)."""

    key: str
    attribute: str
    hook: Callable[[Any], Any] | None


def identifier(attribute: str) -> str:
    """``attribute``, checked to be a plain identifier before it is written into code: the
    oracle makes attribute names from wire names, and only names it made go into code."""
    if not attribute.isidentifier() or keyword.iskeyword(attribute):
        raise ValueError(f"not an attribute name to write into code: {attribute!r}")
    return attribute


def compiled(name: str, lines: Sequence[str], namespace: dict[str, Any]) -> Any:
    """The function ``name`` defined by ``lines``, its globals ``namespace``."""
    source = "\n".join(lines) + "\n"
    filename = f"<conformance {name} {next(_NUMBERS)}>"
    exec(compile(source, filename, "exec"), namespace)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return namespace[name]


def _bind(namespace: dict[str, Any], name: str, hook: Callable[..., Any]) -> None:
    """Bind ``hook`` to ``name``; a class hook is bound, on its first call, to the function it
    calls (``COMPILED``): writing that function's code now would write every class's."""
    if hook not in COMPILED:
        namespace[name] = hook
        return
    write = COMPILED[hook]

    def first(*args: Any) -> Any:
        function = namespace[name] = write()
        return function(*args)

    namespace[name] = first


def reader_source(
    fields: Sequence[Reading], additional: Any, has_extra_type: bool, namespace: dict[str, Any]
) -> list[str]:
    """The lines of ``read(value, _)`` for one class; fills ``namespace`` with what they use.

    ``namespace`` must hold ``cls``, ``label`` (the type error's label), ``known`` (the
    keys of the fields), ``oracle``, ``converter`` and ``extra_type`` besides the helpers
    (``expected``, ``StructureError``, ``ABSENT``).
    """
    lines = [
        "def read(value, _):",
        "    if type(value) is not dict:",
        "        raise expected(label, value)",
        "    matched = 0",
    ]
    for index, field in enumerate(fields):
        key, hook, type_ = f"k{index}", f"h{index}", f"t{index}"
        namespace[key], namespace[type_] = field.key, field.type
        _bind(namespace, hook, field.hook)
        lines += [f"    if {key} in value:", "        matched += 1", f"        item = value[{key}]"]
        call = [
            "try:",
            f"    v{index} = {hook}(item, {type_})",
            "except StructureError as error:",
            f"    error.path.insert(0, {key})",
            "    raise",
        ]
        if field.as_is:
            namespace[f"s{index}"] = field.as_is
            if len(field.as_is) == 1:
                namespace[f"s{index}"] = next(iter(field.as_is))
                lines.append(f"        if type(item) is s{index}:")
            else:
                lines.append(f"        if type(item) in s{index}:")
        elif field.strings:
            namespace[f"s{index}"] = field.strings
            lines.append(f"        if type(item) is str and item in s{index}:")
        if field.as_is or field.strings:
            lines += [f"            v{index} = item", "        else:"]
            lines += [f"            {line}" for line in call]
        else:
            lines += [f"        {line}" for line in call]
        lines.append("    else:")
        if field.required:
            lines.append(f'        raise StructureError("required field missing", [{key}])')
        else:
            lines.append(f"        v{index} = ABSENT")
    arguments = ", ".join(
        f"{identifier(field.attribute)}=v{index}" for index, field in enumerate(fields)
    )
    lines += [
        "    if matched < len(value):",
        "        extras = {k: v for k, v in value.items() if k not in known}",
    ]
    if additional is False:
        lines += [
            "        key = next(iter(extras))",
            '        raise StructureError(f"unknown key {key!r} (the schema forbids extra keys)")',
        ]
    elif not has_extra_type:
        lines.append("        oracle.unknown.count += len(extras)")
    else:  # read here, not in a helper, so nested extras cost the stack that fields do
        lines += [
            "        extra_hook = converter.get_structure_hook(extra_type)",
            "        for key, item in extras.items():",
            "            try:",
            "                extras[key] = extra_hook(item, extra_type)",
            "            except StructureError as error:",
            "                error.path.insert(0, key)",
            "                raise",
        ]
    if "setters" in namespace:
        # The class's slots set one by one, as its __init__ would set them (it has no
        # validators, converters or hooks: ``direct_init``), without the call.
        sets = [f"a{index}(instance, v{index})" for index in range(len(fields))]
        lines += [
            "    else:",
            "        extras = {}",
            "    instance = new(cls)",
            *(f"    {each}" for each in sets),
            "    ax(instance, extras)",
            "    return instance",
        ]
        for index, setter in enumerate(namespace.pop("setters")):
            namespace[f"a{index}"] = setter
        return lines
    lines += [
        f"        return cls({arguments}{', ' if fields else ''}{EXTRAS}=extras)",
        f"    return cls({arguments})",
    ]
    return lines


def writer_source(fields: Sequence[Writing], namespace: dict[str, Any]) -> list[str]:
    """The lines of ``write(instance)`` for one class; fills ``namespace`` with what they use.

    ``namespace`` must hold ``known`` (the keys of the fields), ``oracle`` and
    ``converter`` besides the helpers (``ABSENT``, ``ViewCollision``).
    """
    lines = ["def write(instance):", "    out = {}"]
    for index, field in enumerate(fields):
        key = f"k{index}"
        namespace[key] = field.key
        lines += [
            f"    value = instance.{identifier(field.attribute)}",
            "    if value is not ABSENT:",
        ]
        if field.hook is None:
            lines.append(f"        out[{key}] = value")
        else:
            _bind(namespace, f"w{index}", field.hook)
            lines.append(f"        out[{key}] = w{index}(value)")
    lines += [
        f"    extras = instance.{EXTRAS}",
        "    if extras:",
        "        for key, value in extras.items():",
        "            if key in out or key in known:",
        "                raise ViewCollision(",
        '                    f"unknown key {key!r} collides with the {oracle.convention} name"',
        '                    " of a field",',
        "                    [key],",
        "                )",
        "            out[key] = converter.unstructure(value)",
        "    return out",
    ]
    return lines
