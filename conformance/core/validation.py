"""JSON Schema errors as locations and messages a user can act on.

Every input checked against a shipped schema (case files, results, the
expected-failures file, ``[tool.conformance]``) names where an error is: JSON
files as ``$.tests[0].id``, the configuration as TOML keys
(``tool.conformance.targets[2].modules``). ``problems`` goes further for the
configuration: one message per problem, built from the schema's own
annotations (a ``description`` is a noun phrase saying what a value must be, a
``title`` names a table, ``examples`` feed the hint).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

if TYPE_CHECKING:  # only named in annotations: the validators import jsonschema themselves
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = [
    "Problem",
    "errors_by_path",
    "json_path",
    "problems",
    "short_repr",
    "toml_key",
    "toml_path",
]

Segment = str | int
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
#: Keywords that only say "none of the alternatives fit": a sibling error says more.
_WEAK = frozenset({"anyOf", "oneOf"})


def json_path(path: Iterable[Segment], root: str = "$") -> str:
    """``$.tests[0].id``: keys after dots, array indexes in brackets."""
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def toml_path(path: Iterable[Segment], root: str = "tool.conformance") -> str:
    """``tool.conformance.targets[2].modules``; a key TOML cannot write bare is quoted."""
    return root + "".join(f"[{p}]" if isinstance(p, int) else "." + toml_key(p) for p in path)


def toml_key(key: str) -> str:
    """A key as TOML writes it: bare if it can be, else a quoted string."""
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _path_key(path: Iterable[Segment]) -> tuple[tuple[int, int, str], ...]:
    # Orders like the paths themselves, without comparing an index with a key.
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in path)


def errors_by_path(validator: Validator, instance: Any) -> list[ValidationError]:
    """Every error of ``instance``, in path order (errors at one path in schema order)."""
    return sorted(validator.iter_errors(instance), key=lambda e: _path_key(e.path))


@frozen
class Problem:
    """One thing wrong with a document: where (a path from its root), what, and what to do."""

    path: tuple[Segment, ...]
    message: str
    hint: str = ""


def problems(
    validator: Validator,
    instance: Any,
    *,
    root_name: str = "$",
    render: Callable[[Any], str] = json.dumps,
) -> list[Problem]:
    """One problem per error (per missing or unknown key), the most telling first.

    Shallow errors come first (a wrong kind explains more than a wrong option),
    then errors other than "no alternative fits", then document order.
    ``root_name`` names the document in messages about the root itself;
    ``render`` writes schema examples in the document's own syntax for hints.
    """
    errors = sorted(
        validator.iter_errors(instance),
        key=lambda e: (len(e.path), e.validator in _WEAK, _path_key(e.path)),
    )
    root: Mapping[str, Any] = validator.schema if isinstance(validator.schema, Mapping) else {}
    out: list[Problem] = []
    for error in errors:
        for problem in _explain(error, root, root_name, render):
            if problem not in out:
                out.append(problem)
    return out


def _explain(
    error: ValidationError, root: Mapping[str, Any], root_name: str, render: Callable[[Any], str]
) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    node = _node_at(root, tuple(error.absolute_schema_path)[:-1])
    instance = error.instance
    listed = list(error.validator_value) if isinstance(error.validator_value, list) else []
    if error.validator in _WEAK and error.context:
        # The alternative that got furthest into the value says what is wrong inside it.
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(path):
            yield from _explain(deepest, root, root_name, render)
            return
    if error.validator == "required" and isinstance(instance, Mapping):
        properties = node.get("properties", {})
        for name in listed:
            if name not in instance:
                what = node.get("title", "this table")
                hint = _property_hint(name, _merged(root, properties.get(name, {})), render)
                yield Problem((*path, name), f"{what} needs {name!r}", hint)
        return
    if error.validator == "additionalProperties" and isinstance(instance, Mapping):
        allowed = list(node.get("properties", {}))
        where = f" in {node['title']}" if "title" in node else ""
        for key in instance:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"allowed keys: {', '.join(allowed)}"
                if close:
                    hint = f"did you mean {close[0]!r}? {hint}"
                yield Problem((*path, key), f"unknown key {key!r}{where}", hint)
        return
    leaf = _leaf(path, root_name)
    if error.validator == "enum":
        words = [v for v in listed if isinstance(v, str)]
        close = difflib.get_close_matches(instance, words, n=1) if isinstance(instance, str) else []
        choices = ", ".join(map(repr, listed))
        hint = f"did you mean {close[0]!r}?" if close else ""
        yield Problem(path, f"{leaf} must be one of {choices}, not {short_repr(instance)}", hint)
        return
    expected = node.get("description")
    message = (
        f"{leaf} must be {expected}, not {short_repr(instance)}" if expected else error.message
    )
    examples = node.get("examples")
    hint = f"e.g. {_last_key(path, root_name)} = {render(examples[0])}" if examples else ""
    yield Problem(path, message, hint)


def _property_hint(name: str, node: Mapping[str, Any], render: Callable[[Any], str]) -> str:
    parts = []
    if "enum" in node:
        parts.append(f"{name} is one of {', '.join(map(repr, node['enum']))}")
    elif "description" in node:
        parts.append(f"{name} is {node['description']}")
    if node.get("examples"):
        parts.append(f"e.g. {name} = {render(node['examples'][0])}")
    return "; ".join(parts)


def _node_at(root: Mapping[str, Any], schema_path: tuple[Segment, ...]) -> Mapping[str, Any]:
    """The schema node at a path that went through ``$ref``s, its own keywords over the target's."""
    node: Any = root
    for segment in schema_path:
        node = _merged(root, node)
        if isinstance(node, Mapping):
            node = node.get(str(segment), {})
        elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
        else:
            return {}
    merged = _merged(root, node)
    return merged if isinstance(merged, Mapping) else {}


def _merged(root: Mapping[str, Any], node: Any) -> Any:
    """A node with a local ``$ref`` resolved; its sibling keywords (a description) win."""
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return node
    target = _merged(root, root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {}))
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _leaf(path: tuple[Segment, ...], root_name: str) -> str:
    """The name of the value at ``path`` for a message: ``timeout``, ``targets[0]``."""
    if not path:
        return root_name
    if isinstance(path[-1], int):
        return f"{_leaf(path[:-1], root_name)}[{path[-1]}]"
    return path[-1] if _BARE_KEY.fullmatch(path[-1]) else json.dumps(path[-1], ensure_ascii=False)


def _last_key(path: tuple[Segment, ...], root_name: str) -> str:
    """The key an example is written under: the last name, an array's own name for an item."""
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else root_name


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters: a message names a value, not dumps it."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
