"""Names of models in the Python harness (see ``python_harness.py``): one per distinct class.

Runs under the SDK's own interpreter with the standard library only, like the
harness. A model is listed under the name it is bound to in the configured
modules. Distinct classes may share a name (Stainless's
``openai.types.CompletionCreateParamsBase`` and
``openai.types.chat.CompletionCreateParamsBase``; a response model and the
``TypedDict`` params of the same name in ``shared`` and ``shared_params``):
each is then listed under a qualified name, ``<suffix>.<Name>``, where the
suffix is the shortest dotted suffix of the name of a module that binds it
(fewest segments; among those, the module that defines it, else a package
that re-exports it, else the deepest module's, then the alphabetically first)
that ends the name of no module binding another class of that name
(``chat.CompletionCreateParamsBase``, ``types.CompletionCreateParamsBase``).
One class re-exported by several modules is one model, under its plain name
when no other class shares it.

``Locations`` is what a name is bound to: each distinct value with the modules
that bind it, in the order the modules were imported. ``qualify`` gives the
listed name of each, ``pick`` finds the value a listed (or any unambiguous
qualified) name means.
"""

from __future__ import annotations

import sys
from typing import Any

#: One distinct value bound to a name, and the modules (dotted names) that bind it.
Location = tuple[Any, list[str]]


def value_key(value: Any) -> Any:
    """What tells two bound values apart: the value where hashable (equal unions are one
    type), else its identity."""
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


def split(name: str) -> tuple[str, str]:
    """(qualifier, plain name) of a listed name: ``chat.Foo`` -> ``("chat", "Foo")``."""
    qualifier, _, plain = name.rpartition(".")
    return qualifier, plain


def qualify(name: str, locations: list[Location]) -> list[str]:
    """The listed name of each location's value, in order (see the module doc)."""
    if len(locations) < 2:
        return [name] * len(locations)
    names = []
    for index, (value, modules) in enumerate(locations):
        others = [
            module for i, (_, where) in enumerate(locations) if i != index for module in where
        ]
        suffix = _shortest_suffix(modules, others, getattr(value, "__module__", None))
        names.append(f"{suffix}.{name}")
    return names


def pick(name: str, locations: list[Location]) -> tuple[Any, str]:
    """(the value ``name`` means, ``""``), or (None, why no single one)."""
    qualifier, plain = split(name)
    if not locations:
        return None, ""
    listed = qualify(plain, locations)
    for (value, _), each in zip(locations, listed, strict=True):
        if each == name:
            return value, ""
    if qualifier:
        found = [value for value, modules in locations if _matched(qualifier, modules)]
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, ""
    return None, (
        f"is ambiguous: {len(locations)} distinct classes are named {plain},"
        f" listed as {', '.join(listed)}"
    )


def _shortest_suffix(modules: list[str], others: list[str], home: Any) -> str:
    """The shortest dotted suffix of one of ``modules`` that ends none of ``others``; of equal
    length, the one of the module that defines the value (``home``), else of a package, else
    the deepest."""
    candidates: list[tuple[int, bool, bool, int, str]] = []
    for module in modules:
        parts = module.split(".")
        # A module that imports the value for its own use is a worse handle than the
        # value's own module or a package that re-exports it.
        package = hasattr(sys.modules.get(module), "__path__")
        for count in range(1, len(parts) + 1):
            suffix = ".".join(parts[-count:])
            if not _matched(suffix, others):
                candidates.append((count, module != home, not package, -len(parts), suffix))
                break
    if not candidates:  # a module both binds this value and another: cannot happen
        return modules[0]
    return min(candidates)[4]


def _matched(suffix: str, modules: list[str]) -> bool:
    """Whether ``suffix`` is a dotted suffix of one of ``modules``."""
    return any(module == suffix or module.endswith("." + suffix) for module in modules)
