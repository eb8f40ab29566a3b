"""Type expressions of SDK model docs (the ``Type`` column) into neutral types.

Speakeasy writes a field's type in Markdown: emphasis around plain types
(``*str*``, ``*Optional[str]*``, ``*string*``), links to other model pages
(``[models.X](../models/x.md)``, ``[Optional[models.X]](../models/x.md)``,
``[operations.X](../../models/operations/x.md)[]``) and links to language
references (``[date](https://docs.python.org/...#date-objects)``,
``[Date](https://developer.mozilla.org/...)``). ``parse_type_cell`` takes the
links out (remembering each link's target), drops the emphasis and escapes,
and parses what is left with one small grammar that covers both languages::

    union    := postfix ("|" postfix)*
    postfix  := primary ("[]")*
    primary  := NAME "[" args "]"          Python generics: List[X], Dict[str, X]
              | NAME "<" args ">"          TypeScript generics: Record<string, X>
              | "{" "[" NAME ":" NAME "]" ":" union "}"     an index signature
              | "(" union ")" | NAME | STRING | NUMBER
    args     := union ("," union)*

Mapping rules (both languages share one vocabulary; a name of the other
language is read the same way):

- ``str``/``string``, ``int``/``integer``, ``float``/``number``,
  ``bool``/``boolean`` are the JSON scalars; ``Any``/``any`` is ``AnyValue``.
- ``datetime`` and TypeScript ``Date`` are date-time strings; ``date`` and
  ``RFCDate`` are date strings. Speakeasy's Python docs write a ``datetime``
  field as ``[date](https://docs.python.org/3/library/datetime.html#date-objects)``
  (orq-python: ``AggregateBucket.timestamp: Optional[datetime]``), so that
  link reads as a date-time, and only ``*date*`` is a date.
- File-like types (``bytes``, ``IO[bytes]``, ``io.IOBase``, ``File``,
  ``Blob``, ``Uint8Array``, ``ReadableStream<...>``) are binary strings.
- A top-level ``Optional[X]`` makes the field optional (it says nothing about
  ``null``); ``Nullable[X]`` and ``OptionalNullable[X]`` are ``Nullable``; an
  ``Optional`` nested inside another type is ``Nullable`` (``X | None``).
- ``List``/``X[]``/``Array<X>`` are arrays; ``Dict[str, X]``,
  ``Record<string, X>`` and ``{ [k: string]: X }`` are maps; ``Union[...]``
  and ``A | B`` are unions (``anyOf``: docs do not say, and generated SDKs
  try members in order); ``Literal[...]``, string, number and boolean
  literals are constants (several are an enum).
- Any other dotted name is a reference to a model page: ``models.X`` is
  ``X`` (Python's flat namespace); other prefixes (``operations.X``,
  ``components.X``) are kept, so a tree with one name in two namespaces can
  tell them apart. A bare capitalised name is a reference too.

Anything else (``EventStream[...]``, a lower-case unknown name, unbalanced
brackets) is an error; the caller turns it into a ``Problem`` and uses
``AnyValue``.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from functools import lru_cache

from attrs import frozen

from conformance.schema.model import (
    AnyValue,
    ArrayOf,
    Const,
    EnumOf,
    JsonValue,
    MapOf,
    Nullable,
    Primitive,
    Ref,
    TypeRef,
    UnionOf,
)

__all__ = ["DocLink", "ParsedType", "TypeSyntaxError", "parse_type_cell", "parse_type_text"]

_CACHE_SIZE = 4096

#: A Markdown link whose text may hold one level of brackets: ``[Optional[models.X]](x.md)``.
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]*)\)")
_DOTTED = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+")
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*)
    | (?P<punct>\[\]|[\[\]<>,|{}:()?])
    )""",
    re.VERBOSE,
)

_STRING = Primitive("string")
_SCALARS: dict[str, TypeRef] = {
    "str": _STRING,
    "string": _STRING,
    "int": Primitive("integer"),
    "integer": Primitive("integer"),
    "bigint": Primitive("integer"),
    "float": Primitive("number"),
    "number": Primitive("number"),
    "Decimal": Primitive("number"),
    "bool": Primitive("boolean"),
    "boolean": Primitive("boolean"),
    "Any": AnyValue(),
    "any": AnyValue(),
    "unknown": AnyValue(),
    "datetime": Primitive("string", "date-time"),
    "Date": Primitive("string", "date-time"),
    "date": Primitive("string", "date"),
    "RFCDate": Primitive("string", "date"),
    "bytes": Primitive("string", "binary"),
    "File": Primitive("string", "binary"),
    "Blob": Primitive("string", "binary"),
    "Uint8Array": Primitive("string", "binary"),
    "io.IOBase": Primitive("string", "binary"),
    "IOBase": Primitive("string", "binary"),
    "None": Const(None),
    "null": Const(None),
    "true": Const(True),
    "True": Const(True),
    "false": Const(False),
    "False": Const(False),
}
_BINARY_GENERICS = frozenset({"IO", "ReadableStream"})
_ARRAY_GENERICS = frozenset({"List", "list", "Sequence", "Array"})
_MAP_GENERICS = frozenset({"Dict", "dict", "Mapping", "Record"})
_STRING_KEYS = frozenset({"str", "string"})
#: Links to a language reference whose text names another type than it says.
_LINK_TEXT = {"date": "datetime"}


class TypeSyntaxError(ValueError):
    """A type expression the grammar or the vocabulary does not cover."""


@frozen
class DocLink:
    """A link from a type to a model page: the reference as written and the link target."""

    name: str
    target: str


@frozen
class ParsedType:
    """A parsed ``Type`` cell: the type, whether it said ``Optional``, and its page links."""

    type: TypeRef
    optional: bool = False
    links: tuple[DocLink, ...] = ()


def _ref_name(dotted: str) -> str:
    """The reference a dotted name stands for: ``models.X`` is ``X``; others stay qualified."""
    if dotted.startswith("models."):
        return dotted[len("models.") :]
    return dotted


def parse_type_cell(cell: str) -> ParsedType:
    """Parse one ``Type`` cell (Markdown) of either language; raise ``TypeSyntaxError``."""
    links: list[DocLink] = []

    def unlink(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        if target.startswith(("http://", "https://")):
            bare = text.strip("*` ")
            if "docs.python.org" in target:
                return _LINK_TEXT.get(bare, bare)
            return bare
        names = _DOTTED.findall(text)
        if names:
            links.extend(DocLink(_ref_name(name), target) for name in names)
        elif text.strip("*` ")[:1].isupper():
            links.append(DocLink(text.strip("*` "), target))
        return text

    plain = _LINK.sub(unlink, cell) if "](" in cell else cell
    parsed = parse_type_text(plain)
    return ParsedType(parsed.type, parsed.optional, tuple(links)) if links else parsed


def parse_type_text(text: str) -> ParsedType:
    """Parse a type expression without links (emphasis and escapes allowed)."""
    plain = text.replace("*", "").replace("`", "")
    if "\\" in plain:
        plain = re.sub(r"\\(.)", r"\1", plain)
    if "&" in plain:
        plain = html.unescape(plain)
    return _parse_plain(plain.strip())


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_plain(text: str) -> ParsedType:
    if not text:
        raise TypeSyntaxError("empty type")
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    optional = False
    type_: TypeRef
    if len(tokens) > 2 and tokens[0][1] in ("Optional", "OptionalNullable") and tokens[1][1] == "[":
        head = tokens[0][1]
        parser.pos = 2
        inner = parser.union()
        parser.expect("]")
        optional = True
        type_ = Nullable(inner) if head == "OptionalNullable" else inner
    else:
        type_ = parser.union()
    if parser.pos != len(tokens):
        raise TypeSyntaxError(f"unexpected {tokens[parser.pos][1]!r} in {text!r}")
    return ParsedType(type_, optional)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    end = len(text.rstrip())
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise TypeSyntaxError(f"cannot read {text[pos:].strip()[:20]!r} in {text!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


def _literal(kind: str, token: str) -> JsonValue:
    if kind == "num":
        return int(token) if re.fullmatch(r"-?\d+", token) else Decimal(token)
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body) if "\\" in body else body


class _Parser:
    """A recursive-descent parser over the tokens of one type expression."""

    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise TypeSyntaxError(f"{self.text!r} ends too soon")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, punct: str) -> None:
        kind, value = self.take()
        if value != punct or kind != "punct":
            raise TypeSyntaxError(f"expected {punct!r}, found {value!r} in {self.text!r}")

    def union(self) -> TypeRef:
        members = [self.postfix()]
        while self.peek() == "|":
            self.pos += 1
            members.append(self.postfix())
        if len(members) == 1:
            return members[0]
        return _union_or_enum(members)

    def args(self, close: str) -> list[TypeRef]:
        out = [self.union()]
        while self.peek() == ",":
            self.pos += 1
            out.append(self.union())
        self.expect(close)
        return out

    def postfix(self) -> TypeRef:
        type_ = self.primary()
        while self.peek() == "[]":
            self.pos += 1
            type_ = ArrayOf(type_)
        return type_

    def primary(self) -> TypeRef:
        kind, value = self.take()
        if kind in ("str", "num"):
            return Const(_literal(kind, value))
        if kind == "punct":
            if value == "(":
                inner = self.union()
                self.expect(")")
                return inner
            if value == "{":
                return self.index_signature()
            raise TypeSyntaxError(f"unexpected {value!r} in {self.text!r}")
        following = self.peek()
        if following in ("[", "<"):
            self.pos += 1
            return self.generic(value, self.args("]" if following == "[" else ">"))
        return self.name(value)

    def index_signature(self) -> TypeRef:
        self.expect("[")
        self.take()
        self.expect(":")
        _, key = self.take()
        self.expect("]")
        self.expect(":")
        values = self.union()
        self.expect("}")
        if key not in _STRING_KEYS:
            raise TypeSyntaxError(f"map keys of type {key!r} in {self.text!r}")
        return MapOf(values)

    def generic(self, head: str, args: list[TypeRef]) -> TypeRef:
        if head in _ARRAY_GENERICS and len(args) == 1:
            return ArrayOf(args[0])
        if head in _MAP_GENERICS and len(args) == 2:
            if args[0] != _STRING:
                raise TypeSyntaxError(f"map keys of type {args[0]!r} in {self.text!r}")
            return MapOf(args[1])
        if head in ("Optional", "Nullable", "OptionalNullable") and len(args) == 1:
            return Nullable(args[0])
        if head == "Union":
            return _union_or_enum(args)
        if head == "Literal":
            return _union_or_enum(args)
        if head in _BINARY_GENERICS:
            return Primitive("string", "binary")
        raise TypeSyntaxError(f"unknown type {head!r} in {self.text!r}")

    def name(self, value: str) -> TypeRef:
        scalar = _SCALARS.get(value)
        if scalar is not None:
            return scalar
        if "." in value or value[:1].isupper():
            return Ref(_ref_name(value))
        raise TypeSyntaxError(f"unknown type {value!r} in {self.text!r}")


def _union_or_enum(members: list[TypeRef]) -> TypeRef:
    """Constants only make an enum (one constant stays a ``Const``); ``None`` makes the
    rest ``Nullable``; other members make a union."""
    if all(isinstance(m, Const) for m in members):
        values = tuple(m.value for m in members if isinstance(m, Const))
        return Const(values[0]) if len(values) == 1 else EnumOf(values)
    rest = [m for m in members if m != Const(None)]
    if len(rest) < len(members):
        return Nullable(rest[0] if len(rest) == 1 else UnionOf(tuple(rest), mode="anyOf"))
    return UnionOf(tuple(members), mode="anyOf")
