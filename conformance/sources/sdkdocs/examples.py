"""``## Example Usage`` blocks of TypeScript model docs as wire-format test cases.

A Speakeasy TypeScript page shows an example value of the model::

    let value: PostV2ProxyCompletionsData = {
      id: "<id>",
      choices: [{ finishReason: "stop", index: 4113.95 }],
      createdAt: new Date("2024-07-09T19:24:40.889Z"),
    };

``parse_js_value`` reads the subset of JavaScript such examples use, with a
tokenizer and a recursive-descent parser (never ``eval``): object literals
(identifier, string or number keys; trailing commas), arrays, strings
(single, double, and backtick quotes without ``${}``), numbers, ``true``,
``false``, ``null``, ``undefined`` (the property is dropped, as
``JSON.stringify`` does), ``new Date("...")`` and ``new RFCDate("...")`` (the
string, as written), ``//`` and ``/* */`` comments. Number tokens stay exact:
integers are ``int``, every other number a ``Decimal`` of the token.

``example_cases`` turns each example into a case of the case-file format,
renaming the camelCase properties to wire keys through the schema: a
property is the field whose TypeScript name (``typescript`` convention of the
wire key) it is, else the field of the same words; nested objects follow the
field types (models through ``Ref``, array items, map values, the union
member whose fields hold every property); map keys and values of ``any`` are
data and stay as written (camelCase keys under a field of type ``any``,
which is also what an unresolved reference becomes, are noted as a
``Problem``, since they may be a model's). Examples of enum and union pages (a scalar, or one
block per member) are not cases; Python examples are not read.

An example that cannot be read (syntax outside the subset, a property no
field has) is a ``Problem`` with file and line; the page's other examples
still count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from attrs import frozen

from conformance.core.conventions import get_convention, style_of, words
from conformance.schema.model import (
    AnyValue,
    ArrayOf,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Problem,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.sdkdocs.reader import (
    CodeBlock,
    DocsPage,
    index_docs,
    pair_pages,
    read_docs_tree,
    schema_from_docs,
)

__all__ = [
    "JsSyntaxError",
    "PageExamples",
    "case_file",
    "docs_cases",
    "example_cases",
    "example_value",
    "parse_js_value",
]

TYPESCRIPT = get_convention("typescript")
_EXAMPLE_LANGUAGES = frozenset({"typescript", "ts", "javascript", "js"})
_TOKEN = re.compile(
    r"""
      (?P<space>\s+|//[^\n]*|/\*.*?\*/)
    | (?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
    | (?P<num>-?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<punct>\.\.\.|[{}\[\]():,;=.<>|&?-])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_DATE_CLASSES = frozenset({"Date", "RFCDate"})
_UNDEFINED = object()


class JsSyntaxError(ValueError):
    """A JavaScript example outside the supported subset, at a line of its text (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


_ESCAPE = re.compile(
    r"\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(.))", re.DOTALL
)


def _escape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2) or match.group(3)
    if code:
        return chr(int(code, 16))
    char = match.group(4)
    return _ESCAPES.get(char, char)


def _unquote(token: str) -> str:
    """The text of a string token, its escapes undone."""
    body = token[1:-1]
    return _ESCAPE.sub(_escape, body) if "\\" in body else body


def _number(token: str, line: int) -> int | Decimal:
    text = token.replace("_", "")
    if text.endswith("n"):
        text = text[:-1]
    if text.lstrip("-")[:2].lower() == "0x":
        return int(text, 16)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    try:
        return Decimal(text)
    except ArithmeticError:
        raise JsSyntaxError(f"cannot read the number {token!r}", line) from None


class _JsParser:
    """Recursive descent over the tokens of one example."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int]] = []
        pos, line = 0, 1
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                raise JsSyntaxError(f"cannot read {text[pos : pos + 20]!r}", line)
            kind = match.lastgroup
            assert kind is not None
            if kind != "space":
                self.tokens.append((kind, match.group(kind), line))
            line += match.group(0).count("\n")
            pos = match.end()
        self.pos = 0
        self.last_line = line

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        if self.pos >= len(self.tokens):
            raise JsSyntaxError("the example ends too soon", self.last_line)
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        _, found, line = self.take()
        if found != value:
            raise JsSyntaxError(f"expected {value!r}, found {found!r}", line)

    def line(self) -> int:
        return self.tokens[self.pos][2] if self.pos < len(self.tokens) else self.last_line

    def value(self) -> object:
        kind, token, line = self.take()
        if kind == "str":
            return _unquote(token)
        if kind == "num":
            return _number(token, line)
        if token == "-" and self.peek() is not None and self.tokens[self.pos][0] == "num":
            return _number("-" + self.take()[1], line)
        if token == "{":
            return self.parse_object()
        if token == "[":
            return self.parse_array()
        if kind == "name":
            return self.name(token, line)
        raise JsSyntaxError(f"unexpected {token!r}", line)

    def name(self, token: str, line: int) -> object:
        constants: dict[str, object] = {
            "true": True,
            "false": False,
            "null": None,
            "undefined": _UNDEFINED,
        }
        if token in constants:
            return constants[token]
        if token == "new":
            _, cls, _ = self.take()
            if cls not in _DATE_CLASSES:
                raise JsSyntaxError(f"'new {cls}(...)' is not a JSON value", line)
            self.expect("(")
            kind, arg, arg_line = self.take()
            if kind != "str":
                raise JsSyntaxError(f"'new {cls}' takes a string here, not {arg!r}", arg_line)
            self.expect(")")
            return _unquote(arg)
        raise JsSyntaxError(f"{token!r} is not a literal value", line)

    def parse_object(self) -> dict[str, object]:
        out: dict[str, object] = {}
        while self.peek() != "}":
            kind, key, line = self.take()
            if kind == "str":
                key = _unquote(key)
            elif kind == "num":
                key = str(_number(key, line))
            elif kind != "name":
                raise JsSyntaxError(f"unexpected {key!r} where a property name belongs", line)
            self.expect(":")
            item = self.value()
            if item is not _UNDEFINED:
                out[key] = item
            if self.peek() != "}":
                self.expect(",")
        self.take()
        return out

    def parse_array(self) -> list[object]:
        out: list[object] = []
        while self.peek() != "]":
            if self.peek() == ",":
                raise JsSyntaxError("an array with a hole", self.line())
            item = self.value()
            out.append(None if item is _UNDEFINED else item)
            if self.peek() != "]":
                self.expect(",")
        self.take()
        return out

    def skip_type(self) -> None:
        """Skip a type annotation, up to the ``=`` outside brackets."""
        depth = 0
        while True:
            _, token, _ = self.take()
            if token in ("<", "(", "[", "{"):
                depth += 1
            elif token in (">", ")", "]", "}"):
                depth -= 1
            elif token == "=" and depth <= 0:
                return


def parse_js_value(text: str) -> JsonValue:
    """Parse one JavaScript literal expression into a JSON value (see the module doc)."""
    parser = _JsParser(text)
    result = parser.value()
    if parser.peek() == ";":
        parser.take()
    if parser.pos != len(parser.tokens):
        raise JsSyntaxError(f"unexpected {parser.peek()!r} after the value", parser.line())
    if result is _UNDEFINED:
        raise JsSyntaxError("undefined is not a JSON value", 1)
    return _json(result)


def _json(value: object) -> JsonValue:
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    assert value is None or isinstance(value, bool | int | Decimal | str)
    return value


def example_value(block: CodeBlock) -> JsonValue | None:
    """The value an example assigns (``let value: X = ...;``), or ``None`` if it assigns none.

    Raises ``JsSyntaxError`` with the line within the block.
    """
    parser = _JsParser(block.text)
    while parser.pos < len(parser.tokens):
        kind, token, _ = parser.take()
        if kind == "name" and token in ("let", "const", "var") and parser.peek() is not None:
            parser.take()
            if parser.peek() == ":":
                parser.take()
                parser.skip_type()
            else:
                parser.expect("=")
            result = parser.value()
            if parser.peek() == ";":
                parser.take()
            if result is _UNDEFINED:
                return None
            return _json(result)
    return None


@frozen
class PageExamples:
    """The cases made from one page's examples, and the problems met making them."""

    path: str
    model: str
    cases: tuple[dict[str, JsonValue], ...] = ()
    problems: tuple[Problem, ...] = ()


def _key(name: str) -> str:
    return "".join(words(name))


class _Wire:
    """Renames an example's properties to wire keys along the schema's types."""

    def __init__(self, schema: Schema, where: str) -> None:
        self.schema = schema
        self.where = where
        self.problems: list[str] = []
        #: Properties matched to a field by their words only: the wire key is a guess.
        self.guesses: list[str] = []

    def convert(self, value: JsonValue, type_: TypeRef | Model, depth: int = 0) -> JsonValue:
        if depth > 64:
            return value
        while isinstance(type_, Nullable):
            type_ = type_.inner
        if isinstance(type_, Ref):
            definition = self.schema.definitions.get(type_.name)
            if definition is None:
                return value
            type_ = definition if isinstance(definition, Model) else definition.type
            return self.convert(value, type_, depth + 1)
        if isinstance(type_, Model) and isinstance(value, dict):
            return self.model(value, type_, depth)
        if isinstance(type_, ArrayOf) and isinstance(value, list):
            return [self.convert(item, type_.items, depth + 1) for item in value]
        if isinstance(type_, MapOf) and isinstance(value, dict):
            return {key: self.convert(item, type_.values, depth + 1) for key, item in value.items()}
        if isinstance(type_, UnionOf):
            return self.convert(value, self.member(value, type_), depth + 1)
        return value

    def model(self, value: dict[str, JsonValue], model: Model, depth: int) -> JsonValue:
        by_native = {TYPESCRIPT.native(f.wire_name): f for f in model.fields}
        by_key: dict[str, list[str]] = {}
        for each in model.fields:
            by_key.setdefault(_key(each.wire_name), []).append(each.wire_name)
        out: dict[str, JsonValue] = {}
        for prop, item in value.items():
            field = by_native.get(prop) or model.field_named(prop)
            if field is None and len(by_key.get(_key(prop), ())) == 1:
                field = model.field_named(by_key[_key(prop)][0])
                if field is not None:
                    self.guesses.append(
                        f"{model.name}: {prop!r} is no field's camelCase name; "
                        f"guessed the wire key {field.wire_name!r} by its words"
                    )
            if field is not None:
                out[field.wire_name] = self.convert(item, field.type, depth + 1)
                if _opaque(field.type):
                    self.check_opaque(f"{model.name}.{field.wire_name}", item)
                continue
            if model.additional is None or model.additional is False:
                self.problems.append(f"{prop!r} is not a field of {model.name}")
                out[prop] = item
            else:
                out[prop] = self.convert(item, model.additional, depth + 1)
        return out

    def check_opaque(self, where: str, value: JsonValue) -> None:
        """Note camelCase keys kept as written under a field of no known model."""
        keys = sorted(set(_camel_keys(value)))
        if keys:
            shown = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
            self.problems.append(
                f"{where} is of no known model (any value), so its keys stay as written: {shown}"
            )

    def member(self, value: JsonValue, union: UnionOf) -> TypeRef | Model:
        """The union member an example value fits: the first model holding every property."""
        if not isinstance(value, dict):
            wanted = isinstance(value, list)
            return next((m for m in union.members if _is_list(m) == wanted), union)
        for member in union.members:
            try:
                target = self.schema.resolve(member)
            except (KeyError, ValueError):
                continue
            if isinstance(target, Model):
                names = {TYPESCRIPT.native(f.wire_name) for f in target.fields}
                names |= {f.wire_name for f in target.fields}
                if set(value) <= names or target.additional not in (None, False):
                    return target
            elif isinstance(target, MapOf):
                return target
        self.problems.append(f"no member of the union fits the properties {sorted(value)}")
        return union


def _opaque(type_: TypeRef) -> bool:
    """Whether a field's type is any value (or an array of it): no model to name its keys."""
    while isinstance(type_, Nullable | ArrayOf):
        type_ = type_.inner if isinstance(type_, Nullable) else type_.items
    return isinstance(type_, AnyValue)


def _camel_keys(value: JsonValue) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if style_of(key) == "camel":
                yield key
            yield from _camel_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _camel_keys(item)


def _is_list(type_: TypeRef) -> bool:
    return isinstance(type_, ArrayOf)


def _schema_name(page: DocsPage, schema: Schema, rename: Mapping[str, str]) -> str:
    """The schema's name for a page: renamed, or its qualified or plain name."""
    for name in (page.qualified_name, page.name):
        if name in rename:
            return rename[name]
    return page.qualified_name if page.qualified_name in schema else page.name


def example_cases(
    pages: Iterable[DocsPage], schema: Schema, rename: Mapping[str, str] | None = None
) -> Iterator[PageExamples]:
    """Cases from the TypeScript examples of model pages, page by page.

    ``rename`` maps a page's name (its key in its tree) to the schema's name
    for it, as ``docs_cases`` does for a schema built from two trees.
    """
    for page in pages:
        blocks = [
            b for b in page.examples if b.language.lower() in _EXAMPLE_LANGUAGES or not b.language
        ]
        if page.language != "typescript" or not blocks or page.kind != "model":
            continue
        name = _schema_name(page, schema, rename or {})
        definition = schema.definitions.get(name)
        if not isinstance(definition, Model):
            kind = "no definition" if definition is None else "not a model"
            problem = Problem(f"{page.path}:{page.line}", f"{name!r}: the schema has {kind}")
            yield PageExamples(page.path, name, problems=(problem,))
            continue
        cases: list[dict[str, JsonValue]] = []
        problems: list[Problem] = []
        for block in blocks:
            try:
                value = example_value(block)
            except JsSyntaxError as error:
                where = f"{page.path}:{block.line + error.line - 1}"
                problems.append(Problem(where, f"unreadable example: {error}", "no case made"))
                continue
            if value is None:
                continue
            wire = _Wire(schema, page.path)
            converted = wire.convert(value, definition)
            problems.extend(
                Problem(f"{page.path}:{block.line}", message, "kept as written")
                for message in wire.problems
            )
            problems.extend(
                Problem(f"{page.path}:{block.line}", message, "check it in the case file")
                for message in wire.guesses
            )
            cases.append(
                {
                    "id": f"docs-{name}-example-{len(cases) + 1}",
                    "model": name,
                    "direction": "response",
                    "wire": converted,
                    "description": f"from {page.path} Example Usage",
                }
            )
        yield PageExamples(page.path, name, tuple(cases), tuple(problems))


def docs_cases(
    py_root: str | os.PathLike[str] | None,
    ts_root: str | os.PathLike[str],
    schema: Schema | None = None,
) -> Iterator[PageExamples]:
    """Cases from a TypeScript docs tree, keyed by ``schema`` (the API's own, when given),
    else named and keyed as ``schema_from_docs`` names them."""
    schema = schema if schema is not None else schema_from_docs(py_root, ts_root)
    typescript = read_docs_tree(ts_root, "typescript")
    rename: dict[str, str] = {}
    if py_root is not None:
        python = read_docs_tree(py_root, "python")
        rename = pair_pages(index_docs(python), index_docs(typescript)).right_to_left()
    return example_cases(typescript, schema, rename)


def case_file(results: Iterable[PageExamples]) -> dict[str, JsonValue]:
    """A case file (``{"tests": [...]}``) of every case of the results."""
    return {"tests": [case for result in results for case in result.cases]}
