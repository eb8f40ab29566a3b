"""Union type aliases as models in the Python harness (see ``python_harness.py``).

Runs under the SDK's own interpreter with the standard library only, like the
harness. A request or response body may be a union rather than a class
(Speakeasy: ``Content = TypeAliasType("Content", Union[str, List[Part]])`` or
``Shape = Annotated[Union[Annotated[Cat, Tag("cat")], ...], Discriminator(...)]``);
the SDK reads and writes it through the same ``utils`` functions as a class.

A name is a union model (``union_alias``) when all of these hold:

* its value is a union (``Union[...]``, ``X | Y``), a ``TypeAliasType`` of one,
  or an ``Annotated`` union (a discriminated union), of two or more members
  besides ``None`` (``Optional[Model]`` is that model, or null), and is not
  generic (no type variable left in it, which rules out helpers such as
  ``Nullable[T]``);
* at least one member reaches a pydantic model class (through lists, dicts,
  ``Optional`` and nested unions), and no member reaches a ``TypedDict``. A
  union of scalars and literals only is not listed: Speakeasy binds the same
  union to its input-side twin (``XTypedDict``) too, and nothing in the type
  tells the two apart; such unions are field types, run through their models;
* the name is assigned in the module that defines it (its source says
  ``Name = ...`` at top level), not imported from elsewhere: a barrel's lazy
  table (``_dynamic_imports``) and ``from .x import Name`` lead to that module
  (within the SDK's package; ``import X as Y`` is X's, not a model named Y).

Bare ``Literal[...]`` aliases (closed enums) are not unions and are not listed.
A union model with a member that is no wire type (Speakeasy's
``Union[Body, EventStream[Event]]`` response) is listed under ``dropped``
(``not_wire_union``), as classes that are not wire JSON are.

How one is read and written is ``python_harness_cases``'s: the SDK's ``utils``
functions where they take any type (``takes_any_type``), else its
``pydantic.TypeAdapter``; the ``schemas`` export uses the adapter's core schema.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import enum
import importlib
import sys
import types
import typing
import uuid
from typing import Any

#: How deep a type is walked for its members (nested generics, aliases of aliases).
_DEPTH = 12


def union_alias(module: Any, name: str, value: Any, base_model: Any) -> bool:
    """Whether ``value``, bound to ``name`` in ``module``, is a union model (see the module doc)."""
    if isinstance(value, type):
        return False
    inner = _unwrapped(value)
    generic = bool(getattr(inner, "__parameters__", None))
    if generic or not _is_union(inner):
        return False
    if sum(1 for member in typing.get_args(inner) if member is not type(None)) < 2:
        return False  # ``Optional[Model]``: the model itself, or null
    reached = _reaches(inner, base_model, 0)
    if "model" not in reached or "typeddict" in reached:
        return False
    return _defined_here(module, name)


def _unwrapped(value: Any) -> Any:
    """``value`` without ``TypeAliasType`` and ``Annotated`` layers."""
    for _ in range(_DEPTH):
        if type(value).__name__ == "TypeAliasType":
            value = value.__value__
        elif typing.get_origin(value) is typing.Annotated:
            value = typing.get_args(value)[0]
        else:
            break
    return value


def _is_union(value: Any) -> bool:
    origin = typing.get_origin(value)
    return origin is typing.Union or origin is types.UnionType


def not_wire_union(value: Any, base_model: Any) -> str:
    """Why a union model is no wire type (a member is an SDK-side class), or ``""``."""
    others = sorted(_reaches(_unwrapped(value), base_model, 0) - _KINDS)
    if not others:
        return ""
    return f"a member is no wire type ({', '.join(others)}): an SDK-side wrapper such as a stream"


#: What ``_reaches`` names besides the classes that are no wire type.
_KINDS = frozenset({"model", "typeddict", "enum", "literal"})
#: Classes a JSON value is read into, with their subclasses (``UnrecognizedStr``).
_SCALARS = (
    str,
    int,
    float,
    bool,
    bytes,
    type(None),
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
    uuid.UUID,
)


def _reaches(value: Any, base_model: Any, depth: int) -> set[str]:
    """What a type's members are made of: ``model``, ``typeddict``, ``enum``, ``literal``, and
    the name of any class that is neither these nor a scalar or container (``EventStream``)."""
    if depth > _DEPTH:
        return set()
    value = _unwrapped(value)
    if isinstance(value, type):
        if issubclass(value, base_model):
            return {"model"}
        if issubclass(value, enum.Enum):
            return {"enum"}
        if _is_typeddict(value):
            return {"typeddict"}
        return set() if issubclass(value, _SCALARS) else {value.__name__}
    origin = typing.get_origin(value)
    if origin is typing.Literal:
        return {"literal"}
    found: set[str] = set()
    if isinstance(origin, type) and not _is_container(origin):
        found.add(origin.__name__)
    for arg in typing.get_args(value):
        found |= _reaches(arg, base_model, depth + 1)
    return found


def _is_container(cls: type) -> bool:
    return cls in (list, dict, tuple, set, frozenset) or cls.__module__ == "collections.abc"


def _is_typeddict(cls: type) -> bool:
    # typing_extensions.TypedDict classes are not typing's, but both carry these.
    return issubclass(cls, dict) and hasattr(cls, "__required_keys__")


# -- where a name is defined ---------------------------------------------------

_SOURCES: dict[str, tuple[set[str], dict[str, tuple[str, int, str]]]] = {}


def _defined_here(module: Any, name: str) -> bool:
    """Whether ``name`` is assigned at top level in the module that defines it for ``module``."""
    home = _lazy_home(module, name) or module
    wanted = name
    for _ in range(_DEPTH):
        assigned, imported = _top_level(home)
        if wanted in assigned:
            return True
        source = imported.get(wanted)
        if source is None:
            return False
        target, level, original = source
        if original != wanted:
            return False  # ``import X as Y``: the union's own name is X
        package = home.__name__ if hasattr(home, "__path__") else home.__package__
        try:
            follow = importlib.import_module("." * level + target, package if level else None)
        except Exception:
            return False
        if follow.__name__.split(".")[0] != home.__name__.split(".")[0]:
            return False  # imported from another package: a helper, not the SDK's own
        home, wanted = follow, original
    return False


def _lazy_home(module: Any, name: str) -> Any:
    """The module a barrel's lazy-import table (``_dynamic_imports``) loads ``name`` from."""
    table = getattr(module, "_dynamic_imports", None)
    where = table.get(name) if isinstance(table, dict) else None
    if not isinstance(where, str):
        return None
    package = module.__name__ if hasattr(module, "__path__") else module.__package__
    try:
        return importlib.import_module(where, package)
    except Exception:
        return None


def _top_level(module: Any) -> tuple[set[str], dict[str, tuple[str, int, str]]]:
    """Names a module's source assigns at top level, and names it imports (``from x import``)."""
    cached = _SOURCES.get(module.__name__)
    if cached is not None:
        return cached
    assigned: set[str] = set()
    imported: dict[str, tuple[str, int, str]] = {}
    try:
        path = module.__file__
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
    except Exception as error:
        print(f"python harness: cannot read {module.__name__}: {error}", file=sys.stderr)
        tree = ast.Module(body=[], type_ignores=[])
    for statement in module_statements(tree.body):
        targets: list[Any]
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        elif type(statement).__name__ == "TypeAlias":  # ``type X = ...`` (3.12)
            targets = [getattr(statement, "name", None)]
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                local = alias.asname or alias.name
                imported[local] = (statement.module or "", statement.level, alias.name)
            continue
        else:
            continue
        assigned.update(t.id for t in targets if isinstance(t, ast.Name))
    _SOURCES[module.__name__] = (assigned, imported)
    return assigned, imported


def module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Top-level statements, with those inside top-level ``if`` and ``try`` blocks."""
    out: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If):
            out += module_statements(statement.body) + module_statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            out += module_statements(statement.body)
            for handler in statement.handlers:
                out += module_statements(handler.body)
        else:
            out.append(statement)
    return out


# -- reading and writing -------------------------------------------------------


class Adapters:
    """``pydantic.TypeAdapter`` per union model, made on first use, and which of the SDK's
    ``utils`` functions take a union at all."""

    def __init__(self) -> None:
        self.made: dict[int, Any] = {}
        self.takes_any: tuple[bool, bool, bool] | None = None

    def generic(
        self, unmarshal_json: Any, unmarshal: Any, marshal_json: Any
    ) -> tuple[bool, bool, bool]:
        """``takes_any_type`` of the SDK's functions, checked once."""
        if self.takes_any is None:
            self.takes_any = takes_any_type(unmarshal_json, unmarshal, marshal_json)
        return self.takes_any

    def of(self, value: Any) -> Any:
        adapter = self.made.get(id(value))
        if adapter is None:
            pydantic = importlib.import_module("pydantic")
            adapter = pydantic.TypeAdapter(value)
            self.made[id(value)] = adapter
        return adapter


def takes_any_type(
    unmarshal_json: Any, unmarshal: Any, marshal_json: Any
) -> tuple[bool, bool, bool]:
    """Whether each of the SDK's ``utils`` functions reads or writes a type that is no model.

    Speakeasy's wrap any type in a model of their own; a reader that calls
    ``cls.model_validate_json`` does not, and plain pydantic stands in for it.
    """

    def works(call: Any, expected: Any) -> bool:
        try:
            return bool(call() == expected)
        except Exception:
            return False

    listed = list[int]
    return (
        unmarshal_json is not None and works(lambda: unmarshal_json("[1]", listed), [1]),
        unmarshal is not None and works(lambda: unmarshal([1], listed), [1]),
        marshal_json is not None and works(lambda: _compact(marshal_json([1], listed)), "[1]"),
    )


def _compact(text: Any) -> str:
    return str(text).replace(" ", "")
