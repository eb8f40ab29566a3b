"""One SDK model docs page (Markdown) into a frozen ``DocsPage`` record.

A Speakeasy docs page is ``# Name``, an optional description, then sections:

``## Fields``
    a table with the columns Field, Type, Required, Description, and sometimes
    more (Example); every other column is kept as ``DocField.other``.
``## Example Usage``
    code blocks (TypeScript object literals, Python assignments).
``## Supported Types``
    a union: one ``### `member type``` heading and one code block per member.
``## Values``
    an enum: a Python bullet list (``- `"low"```), a TypeScript union line in a
    code block (``"low" | "high"``), or a table with a Value column.

Nothing on a page raises: an empty or non-UTF-8 file, a missing title or
section, a ragged table row, an unknown type expression or a broken link each
becomes a ``Problem`` located at ``path:line``, and the parser goes on with
what it could read. The parser never sees the rest of the tree: the caller
says which link targets exist through ``link_exists``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal, TypeAlias

from attrs import evolve, frozen

from conformance.core import jsonwire
from conformance.schema.model import AnyValue, Const, EnumOf, JsonValue, Problem, TypeRef
from conformance.sources.sdkdocs.type_text import (
    DocLink,
    ParsedType,
    TypeSyntaxError,
    parse_type_cell,
    parse_type_text,
)

__all__ = [
    "CodeBlock",
    "DocField",
    "DocsPage",
    "Language",
    "PageKind",
    "UnionMember",
    "parse_page",
    "parse_page_bytes",
]

Language: TypeAlias = Literal["python", "typescript"]
PageKind: TypeAlias = Literal["model", "enum", "union", "unknown"]

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+#.-]*)")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_ESCAPED_PIPE = re.compile(r"(?<!\\)\|")
#: Required flags: the emoji shortcodes, the emoji themselves (U+2714, U+2714 U+FE0F,
#: U+2705; U+2796 is the heavy minus sign), and plain words.
_CHECK = frozenset(
    {":heavy_check_mark:", "\u2714", "\u2714\ufe0f", "\u2705", "yes", "true", "required"}
)
_MINUS = frozenset({":heavy_minus_sign:", "\u2796", "", "-", "no", "false", "optional"})
_SECTIONS = ("Fields", "Example Usage", "Supported Types", "Values")


@frozen
class CodeBlock:
    """A fenced code block: its info-string language, text, and first line number."""

    language: str
    text: str
    line: int


@frozen
class DocField:
    """One row of a ``## Fields`` table.

    ``name`` is the native name as documented; ``type`` the parsed ``Type``
    cell (``AnyValue`` when unreadable) and ``type_text`` the cell as written;
    ``optional_type`` says the type was wrapped in ``Optional[...]``.
    """

    name: str
    type: TypeRef
    type_text: str
    required: bool
    description: str = ""
    line: int = 0
    optional_type: bool = False
    links: tuple[DocLink, ...] = ()
    other: tuple[tuple[str, str], ...] = ()


@frozen
class UnionMember:
    """One ``###`` member of a ``## Supported Types`` section."""

    type: TypeRef
    type_text: str
    line: int
    example: CodeBlock | None = None


@frozen
class DocsPage:
    """Everything read from one docs page.

    ``path`` is relative to the tree root (posix); ``namespace`` is the folder
    under the models folder (``""`` in a flat Python tree, ``operations`` ...).
    A section the page lacks is ``None`` (``fields``, ``values``, ``members``).
    """

    path: str
    language: Language
    name: str
    namespace: str = ""
    line: int = 1
    description: str = ""
    fields: tuple[DocField, ...] | None = None
    columns: tuple[str, ...] = ()
    values: tuple[JsonValue, ...] | None = None
    members: tuple[UnionMember, ...] | None = None
    examples: tuple[CodeBlock, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def kind(self) -> PageKind:
        """What the page describes: a model (fields), an enum (values) or a union."""
        if self.fields is not None:
            return "model"
        if self.values is not None:
            return "enum"
        if self.members is not None:
            return "union"
        return "unknown"

    @property
    def qualified_name(self) -> str:
        """``namespace.Name``, or the bare name in a flat tree."""
        return f"{self.namespace}.{self.name}" if self.namespace else self.name


def parse_page_bytes(
    data: bytes,
    *,
    path: str,
    language: Language,
    namespace: str = "",
    link_exists: Callable[[str], bool] | None = None,
    fields: bool = True,
) -> DocsPage:
    """Decode a page (UTF-8; bad bytes become a ``Problem`` and U+FFFD) and parse it."""
    try:
        text = data.decode("utf-8")
        problem = None
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        line = data.count(b"\n", 0, error.start) + 1
        problem = Problem(
            f"{path}:{line}",
            f"not UTF-8: byte {data[error.start]:#04x} at offset {error.start}",
            "the page was read with the bad bytes replaced",
        )
    page = parse_page(
        text,
        path=path,
        language=language,
        namespace=namespace,
        link_exists=link_exists,
        fields=fields,
    )
    if problem is None:
        return page
    return _with_problems(page, [problem, *page.problems])


def parse_page(
    text: str,
    *,
    path: str,
    language: Language,
    namespace: str = "",
    link_exists: Callable[[str], bool] | None = None,
    fields: bool = True,
) -> DocsPage:
    """Parse one page; with ``fields=False`` the Fields table is only noted, not read."""
    return _PageParser(text, path, language, namespace, link_exists, fields).parse()


def _with_problems(page: DocsPage, problems: list[Problem]) -> DocsPage:
    return evolve(page, problems=tuple(problems))


def split_row(line: str) -> list[str]:
    """The cells of a Markdown table row, stripped, with ``\\|`` kept inside a cell."""
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    parts = _ESCAPED_PIPE.split(row) if "\\|" in row else row.split("|")
    return [part.strip() for part in parts]


def _unescape(cell: str) -> str:
    return cell.replace("\\|", "|") if "\\" in cell else cell


def _code_name(cell: str) -> str:
    """A field or page name as written, without backticks and deprecation strikes (``~~``)."""
    name = cell.strip()
    if name.startswith("~~") and name.endswith("~~") and len(name) > 4:
        name = name[2:-2].strip()
    if len(name) >= 2 and name[0] == "`" and name[-1] == "`":
        name = name[1:-1]
    return _unescape(name).replace("\\_", "_")


def _literal(text: str) -> JsonValue:
    """An enum value as written: a JSON literal, a quoted string, or bare text."""
    body = text.strip()
    if len(body) >= 2 and body[0] == "`" and body[-1] == "`":
        body = body[1:-1].strip()
    try:
        return jsonwire.loads(body)
    except ValueError:
        if len(body) >= 2 and body[0] == body[-1] == "'":
            return body[1:-1]
        return body


class _PageParser:
    """The state of parsing one page; ``parse`` runs once."""

    def __init__(
        self,
        text: str,
        path: str,
        language: Language,
        namespace: str,
        link_exists: Callable[[str], bool] | None,
        want_fields: bool,
    ) -> None:
        self.lines = text.splitlines()
        self.path = path
        self.language = language
        self.namespace = namespace
        self.link_exists = link_exists
        self.want_fields = want_fields
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(Problem(f"{self.path}:{line}", message, hint))

    def parse(self) -> DocsPage:
        if not any(line.strip() for line in self.lines):
            self.problem(1, "empty page", "a docs page starts with '# ModelName'")
            return DocsPage(
                self.path, self.language, "", self.namespace, 1, problems=tuple(self.problems)
            )
        name, title_line, sections, blocks = self.outline()
        page_fields: tuple[DocField, ...] | None = None
        columns: tuple[str, ...] = ()
        values: tuple[JsonValue, ...] | None = None
        members: tuple[UnionMember, ...] | None = None
        examples: tuple[CodeBlock, ...] = ()
        first_section = min((start for start, _ in sections.values()), default=len(self.lines))
        description = " ".join(
            line.strip() for line in self.lines[title_line:first_section] if line.strip()
        )
        for heading, (start, end) in sections.items():
            section_blocks = [b for b in blocks if start < b.line <= end]
            if heading == "Fields":
                columns, page_fields = self.fields_table(start, end)
            elif heading == "Example Usage":
                examples = tuple(section_blocks)
            elif heading == "Supported Types":
                members = self.union_members(start, end, section_blocks)
            elif heading == "Values":
                values = self.enum_values(start, end, section_blocks)
        if not any(h in sections for h in ("Fields", "Supported Types", "Values")):
            self.problem(
                title_line or 1,
                "no Fields, Values or Supported Types section",
                "the page is not read as a model, an enum or a union",
            )
        return DocsPage(
            self.path,
            self.language,
            name,
            self.namespace,
            title_line or 1,
            description,
            page_fields,
            columns,
            values,
            members,
            examples,
            tuple(self.problems),
        )

    def outline(self) -> tuple[str, int, dict[str, tuple[int, int]], list[CodeBlock]]:
        """Title, ``## section -> (heading index, end index)``, and every code block."""
        name = ""
        title_line = 0
        sections: dict[str, tuple[int, int]] = {}
        blocks: list[CodeBlock] = []
        current: str | None = None
        fence: str | None = None
        fence_start = 0
        fence_lang = ""
        for index, line in enumerate(self.lines):
            if not line or line[0] == "|":
                continue
            if fence is not None:
                if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                    text = "\n".join(self.lines[fence_start + 1 : index])
                    blocks.append(CodeBlock(fence_lang, text, fence_start + 2))
                    fence = None
                continue
            opened = _FENCE.match(line) if line.lstrip()[:1] in ("`", "~") else None
            if opened:
                fence, fence_lang, fence_start = opened.group(1), opened.group(2), index
                continue
            if line.startswith("# ") and not name:
                name = _code_name(line[2:])
                title_line = index + 1
            elif line.startswith("## "):
                if current is not None:
                    sections[current] = (sections[current][0], index)
                current = line[3:].strip()
                if current in sections:
                    self.problem(
                        index + 1, f"a second {current!r} section", "only the last is read"
                    )
                sections[current] = (index, len(self.lines))
        if fence is not None:
            self.problem(fence_start + 1, "code block never closed", "close it with the same fence")
            blocks.append(
                CodeBlock(fence_lang, "\n".join(self.lines[fence_start + 1 :]), fence_start + 2)
            )
        if not name:
            self.problem(1, "no '# ModelName' title", "the page is not read as a definition")
        return name, title_line, {k: v for k, v in sections.items() if k in _SECTIONS}, blocks

    def table(self, start: int, end: int) -> Iterator[tuple[int, list[str]]]:
        """The rows of the first table in lines ``start+1 .. end`` as (line number, cells)."""
        seen = False
        for index in range(start + 1, end):
            line = self.lines[index]
            if line.lstrip().startswith("|"):
                seen = True
                yield index + 1, split_row(line)
            elif seen and line.strip():
                break

    def fields_table(self, start: int, end: int) -> tuple[tuple[str, ...], tuple[DocField, ...]]:
        rows = self.table(start, end)
        header = next(rows, None)
        if header is None:
            self.problem(start + 1, "the Fields section has no table")
            return (), ()
        header_line, columns = header
        index = {name.lower(): i for i, name in enumerate(columns)}
        if "field" not in index and "name" in index:
            index["field"] = index.pop("name")
        if "field" not in index or "type" not in index:
            self.problem(header_line, f"the Fields table has no Field or Type column: {columns}")
            return tuple(columns), ()
        separator = next(rows, None)
        if separator is None or not all(_SEPARATOR_CELL.match(c) for c in separator[1] if c):
            self.problem(header_line + 1, "the Fields table has no separator row after its header")
            if separator is not None:
                rows = iter([separator, *rows])
        if not self.want_fields:
            return tuple(columns), ()
        out: list[DocField] = []
        for line, cells in rows:
            parsed = self.field_row(line, cells, columns, index)
            if parsed is not None:
                out.append(parsed)
        return tuple(columns), tuple(out)

    def field_row(
        self, line: int, cells: list[str], columns: list[str], index: dict[str, int]
    ) -> DocField | None:
        if len(cells) != len(columns):
            self.problem(line, f"the row has {len(cells)} cells, the header has {len(columns)}")
            if len(cells) <= max(index["field"], index["type"]):
                return None
            cells = (cells + [""] * len(columns))[: len(columns)]
        name = _code_name(cells[index["field"]])
        if not name:
            self.problem(line, "a Fields row with no field name")
            return None
        type_text = cells[index["type"]]
        parsed = self.type_cell(line, type_text)
        required = False
        if "required" in index:
            flag = cells[index["required"]].strip().lower()
            if flag in _CHECK:
                required = True
            elif flag not in _MINUS:
                self.problem(line, f"unknown Required flag {flag!r} of field {name!r}")
        description = _unescape(cells[index["description"]]) if "description" in index else ""
        known = {index.get(k) for k in ("field", "type", "required", "description")}
        other = tuple(
            (columns[i], _unescape(cells[i])) for i in range(len(columns)) if i not in known
        )
        return DocField(
            name,
            parsed.type,
            _unescape(type_text),
            required,
            description,
            line,
            parsed.optional,
            parsed.links,
            other,
        )

    def type_cell(self, line: int, text: str, *, markdown: bool = True) -> ParsedType:
        try:
            parsed = parse_type_cell(text) if markdown else parse_type_text(text)
        except TypeSyntaxError as error:
            self.problem(line, f"unknown type expression: {error}", "read as any value")
            return ParsedType(AnyValue())
        if self.link_exists is not None:
            for link in parsed.links:
                if not self.link_exists(link.target):
                    self.problem(
                        line,
                        f"broken link to {link.name!r}: {link.target!r} is not a page of this tree",
                    )
        return parsed

    def union_members(
        self, start: int, end: int, blocks: list[CodeBlock]
    ) -> tuple[UnionMember, ...]:
        headings = [i for i in range(start + 1, end) if self.lines[i].startswith("### ")]
        members: list[UnionMember] = []
        stops = [*headings[1:], end] if headings else []
        for index, stop in zip(headings, stops, strict=True):
            text = self.lines[index][4:].strip()
            parsed = self.type_cell(index + 1, text, markdown="](" in text)
            example = next((b for b in blocks if index + 1 < b.line <= stop + 1), None)
            members.append(UnionMember(parsed.type, text.strip("`"), index + 1, example))
        if not members:
            self.problem(start + 1, "the Supported Types section lists no '###' member")
        return tuple(members)

    def enum_values(self, start: int, end: int, blocks: list[CodeBlock]) -> tuple[JsonValue, ...]:
        values: list[JsonValue] = []
        rows = list(self.table(start, end))
        if rows:
            header = [c.lower() for c in rows[0][1]]
            column = header.index("value") if "value" in header else len(header) - 1
            for line, cells in rows[2:]:
                if len(cells) != len(header):
                    self.problem(
                        line, f"the row has {len(cells)} cells, the header has {len(header)}"
                    )
                if column < len(cells):
                    values.append(_literal(cells[column]))
        elif blocks:
            block = blocks[0]
            try:
                parsed = parse_type_text(" ".join(block.text.split()))
            except TypeSyntaxError as error:
                self.problem(block.line, f"unreadable enum values: {error}")
            else:
                if isinstance(parsed.type, EnumOf):
                    values.extend(parsed.type.values)
                elif isinstance(parsed.type, Const):
                    values.append(parsed.type.value)
                else:
                    self.problem(block.line, f"enum values that are not literals: {block.text!r}")
        else:
            for index in range(start + 1, end):
                item = self.lines[index].strip()
                if item[:2] in ("- ", "* "):
                    values.append(_literal(item[2:]))
        if not values:
            self.problem(start + 1, "the Values section lists no value")
        return tuple(values)
