"""Read an OpenAPI document file: JSON for ``.json``, YAML otherwise, with one depth rule.

YAML scalars follow YAML 1.2 where wire values care: only ``true``/``false`` are
booleans, dates stay strings, floats keep their token (as ``Decimal``) and
integers too long for ``int()`` stay exact. Both formats refuse documents nested
deeper than ``jsonwire.MAX_DEPTH`` levels, with the line and column of the level
that is too deep.

YAML aliases (``*name``) are bounded too. PyYAML shares the anchored value, so a
document loads at once, but every walker of the schema (the OpenAPI reader,
``naming``, the generator) expands each alias again: nine levels of ten aliases
each (the "billion laughs") are 10**9 nodes. A YAML document whose aliases add
more than ``MAX_ALIAS_NODES`` nodes to it once expanded, or nest it deeper than
``MAX_DEPTH`` levels once expanded, is refused with the line of the alias that
crossed the limit. A few reused snippets add hundreds or thousands of nodes.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from conformance.core import jsonwire
from conformance.exceptions import SchemaError
from conformance.schema.model import Schema
from conformance.sources.openapi._loader import schema_from_document

__all__ = ["MAX_ALIAS_NODES", "load_openapi", "parse_document"]

#: The most nodes (scalars, sequences, mappings) YAML aliases may add to a document once
#: expanded: a thousand times what a few reused snippets add, and a tiny fraction of an
#: alias bomb's. A document without aliases is bounded by its own text, whatever its size.
MAX_ALIAS_NODES = 1_000_000

if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser, when PyYAML has it, reads large documents ten times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_SafeLoader):
    """A safe loader that keeps dates as strings and only true/false as booleans."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith((":bool", ":timestamp"))]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _yaml_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    try:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))
    except InvalidOperation:
        return Decimal(repr(loader.construct_yaml_float(node)))


_YamlLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)


def _yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | Decimal:
    try:
        value: int = loader.construct_yaml_int(node)
    except ValueError as error:  # more digits than sys.get_int_max_str_digits() allows
        digits = str(loader.construct_scalar(node)).replace("_", "")
        if re.fullmatch(r"[-+]?[0-9]+", digits):
            return Decimal(digits)  # exact, as jsonwire reads a long JSON integer
        raise yaml.constructor.ConstructorError(
            None, None, f"unreadable integer: {error}", node.start_mark
        ) from None
    return value


_YamlLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)


def load_openapi(path: str | os.PathLike[str]) -> Schema:
    """Read an OpenAPI 3.0/3.1 document (YAML, or JSON for ``.json``) into a ``Schema``."""
    file = os.fspath(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        hint = "check the path, and that the file is UTF-8 text"
        raise SchemaError(f"cannot read the OpenAPI document: {reason}", hint, file=file) from error
    return schema_from_document(parse_document(text, file), file)


def parse_document(text: str, file: str) -> Any:
    """The document in ``text``: JSON if ``file`` ends in ``.json``, else YAML."""
    if file.lower().endswith(".json"):
        try:
            return jsonwire.loads(text)
        except json.JSONDecodeError as error:
            message = f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            raise SchemaError(message, "fix the JSON syntax", file=file) from error
        except ValueError as error:
            raise SchemaError(f"invalid JSON: {error}", "fix the JSON", file=file) from error
    try:
        _check_yaml_events(text, file)
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SchemaError(
            f"invalid YAML{where}: {problem}", "fix the YAML syntax", file=file
        ) from error


def _check_yaml_events(text: str, file: str) -> None:
    """Refuse YAML nested deeper than ``jsonwire.MAX_DEPTH`` or expanded too far by aliases.

    The depth rule is ours, not the YAML library's: libyaml builds differ (some refuse
    1,000 levels in the scanner, older ones none) and the pure-Python composer recurses.
    The parser's event stream is flat, so counting it costs a fraction of a load. Each
    anchor's expanded size and height are recorded when its node ends, so an alias costs
    one look-up however large its expansion.
    """
    expanded = 0  # nodes so far, aliases counted as the nodes they stand for
    written = 0  # nodes so far as written in the text
    size: dict[str, int] = {}  # anchor -> nodes of its value, expanded
    height: dict[str, int] = {}  # anchor -> levels of arrays and objects of its value, expanded
    # One frame per open collection: its anchor, ``expanded`` before it, its deepest level.
    open_: list[tuple[str | None, int, int]] = []
    deepest = 0  # the deepest level reached inside the innermost open collection
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor or ""
            expanded += size.get(anchor, 1)  # an anchor still open (a loop) counts once
            written += 1
            reached = len(open_) + height.get(anchor, 0)
            deepest = max(deepest, reached)
            if reached > jsonwire.MAX_DEPTH:
                _refuse(
                    event,
                    f"the alias *{anchor} nests the document more than "
                    f"{jsonwire.MAX_DEPTH} levels deep once expanded",
                    "nest the anchored value less deeply, or refer to a named schema with $ref",
                    file,
                )
            if expanded - written > MAX_ALIAS_NODES:
                _refuse(
                    event,
                    f"the aliases up to *{anchor} expand the document by more than "
                    f"{MAX_ALIAS_NODES:,} nodes (an alias bomb?)",
                    "reuse a schema with $ref, not a YAML alias: every reader of the "
                    "schema expands each alias again",
                    file,
                )
        elif isinstance(event, yaml.ScalarEvent):
            expanded += 1
            written += 1
            if event.anchor is not None:
                size[event.anchor], height[event.anchor] = 1, 0
        elif isinstance(event, yaml.CollectionStartEvent):
            open_.append((event.anchor, expanded, deepest))
            expanded += 1
            written += 1
            deepest = len(open_)
            if deepest > jsonwire.MAX_DEPTH:
                _refuse(
                    event,
                    f"nested more than {jsonwire.MAX_DEPTH} levels deep",
                    "refer to a named schema with $ref instead of nesting it inline",
                    file,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            named, before, outer = open_.pop()
            if named is not None:
                size[named] = expanded - before
                height[named] = deepest - len(open_)
            deepest = max(outer, deepest)


def _refuse(event: yaml.Event, problem: str, hint: str, file: str) -> NoReturn:
    mark = event.start_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
    raise SchemaError(f"{where}: {problem}", hint, file=file)
