"""Read an OpenAPI document file: JSON for ``.json``, YAML otherwise, with one depth rule.

YAML scalars follow YAML 1.2 where wire values care: only ``true``/``false`` are
booleans, dates stay strings, floats keep their token (as ``Decimal``) and
integers too long for ``int()`` stay exact. Both formats refuse documents nested
deeper than ``jsonwire.MAX_DEPTH`` levels, with the line and column of the level
that is too deep.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from conformance.core import jsonwire
from conformance.exceptions import SchemaError
from conformance.schema.model import Schema
from conformance.sources.openapi._loader import schema_from_document

__all__ = ["load_openapi", "parse_document"]

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
        _check_yaml_depth(text, file)
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SchemaError(
            f"invalid YAML{where}: {problem}", "fix the YAML syntax", file=file
        ) from error


def _check_yaml_depth(text: str, file: str) -> None:
    """Refuse YAML nested deeper than ``jsonwire.MAX_DEPTH``, as JSON documents are.

    The rule is ours, not the YAML library's: libyaml builds differ (some refuse 1,000
    levels in the scanner, older ones none) and the pure-Python composer recurses. The
    parser's event stream is flat, so counting it costs a fraction of a load.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > jsonwire.MAX_DEPTH:
                mark = event.start_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
                message = f"{where}: nested more than {jsonwire.MAX_DEPTH} levels deep"
                hint = "refer to a named schema with $ref instead of nesting it inline"
                raise SchemaError(message, hint, file=file)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
