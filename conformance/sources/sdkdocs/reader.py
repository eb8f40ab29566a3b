"""SDK model docs (Speakeasy Markdown, Python and TypeScript) as a schema source.

Reading
    ``read_docs_tree(root, language=None)`` lists a tree; iterating it yields
    one frozen ``DocsPage`` at a time (see ``_docpages`` for what a page holds,
    ``_doctypes`` for how type expressions map to the neutral schema).
    ``read_docs_files`` does the same for loose page files. Bad content never
    raises: each page carries its ``Problem``s (file and line).

Wire names
    Docs show native names: Python snake_case, TypeScript camelCase. A wire
    key is recovered through the naming conventions (``conformance.naming``):

    - of a field documented on both sides, the key both conventions lead to:
      ``id``/``id`` is ``id``; ``from_``/``from`` is ``from`` (an escape is a
      trailing underscore); ``api_key_id``/``apiKeyID`` can only be
      ``apiKeyID`` (camelCase of ``api_key_id`` is ``apiKeyId``);
    - when both ``system_fingerprint`` and ``systemFingerprint`` would lead
      to the pair, the docs cannot tell: **the snake_case key is taken** (what
      the Python name says, and what most JSON APIs use), and the model gets
      one ``Problem`` naming its uncertain fields;
    - when no key leads to both names (a camelCase Python name), the Python
      name unescaped, flagged the same way (``docscheck`` reports the name);
    - of a field on one side only, its name (unescaped); uncertain, and
      flagged, when it has more than one word.

    The extras bucket (Python ``__pydantic_extra__``, or
    ``additional_properties`` typed as a dict; TypeScript
    ``additionalProperties`` typed as a ``Record``) is not a field: it sets
    ``Model.additional`` to the type of its values.

Schema
    ``schema_from_docs(py_root=None, ts_root=None)`` (or ``docs_schema`` on
    trees) builds one ``Schema``. With both trees, pages are paired by name
    (``pair_pages``) and a pair becomes one definition under the Python name,
    with the Python types, Required flags and descriptions (Python docs say
    more: ``int`` vs ``float``, ``Nullable``), and fields only TypeScript has
    added from it; ``docscheck`` reports where the two disagree. Unpaired
    pages become definitions under their own key (a TypeScript key that a
    Python name already holds becomes ``namespace.Name``). A reference to a page the
    tree lacks becomes ``AnyValue`` and a ``Problem``. A model's ``source`` is
    its Python page path when it has one, else its TypeScript page path.

    Building reads each tree twice: once for the index of names (small), once
    page by page for the definitions; only the schema itself is kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping

from attrs import evolve, frozen

from conformance.core.conventions import get_convention, style_of, words
from conformance.schema.model import (
    Alias,
    AnyValue,
    ArrayOf,
    Definition,
    EnumOf,
    Field,
    MapOf,
    Model,
    Nullable,
    Problem,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
    ref_names,
)
from conformance.sources.sdkdocs.pages import (
    CodeBlock,
    DocField,
    DocsPage,
    Language,
    PageKind,
    UnionMember,
    parse_page,
    parse_page_bytes,
)
from conformance.sources.sdkdocs.tree import (
    DocsIndex,
    DocsTree,
    PageInfo,
    detect_language,
    index_docs,
    pair_pages,
    read_docs_files,
    read_docs_tree,
)
from conformance.sources.sdkdocs.type_text import DocLink

__all__ = [
    "CodeBlock",
    "DocField",
    "DocLink",
    "DocsIndex",
    "DocsPage",
    "DocsTree",
    "FieldPair",
    "Language",
    "PageInfo",
    "PageKind",
    "UnionMember",
    "detect_language",
    "docs_schema",
    "index_docs",
    "is_extras",
    "pair_fields",
    "pair_pages",
    "parse_page",
    "parse_page_bytes",
    "read_docs_files",
    "read_docs_tree",
    "ref_names",
    "rename_refs",
    "schema_from_docs",
    "unescape",
    "unresolved_refs",
    "wire_name",
]

PYTHON = get_convention("python")
TYPESCRIPT = get_convention("typescript")
_EXTRAS_PYTHON = "__pydantic_extra__"
_AS_ANY = "read as any value"


def unescape(name: str) -> str:
    """A Python name without its escape underscore: ``from_`` -> ``from``."""
    if len(name) > 1 and name.endswith("_") and not name.endswith("__"):
        return name[:-1]
    return name


def is_extras(field: DocField, language: Language) -> bool:
    """Whether a documented field is the extras bucket rather than a wire key."""
    if language == "python":
        return field.name == _EXTRAS_PYTHON or (
            field.name == "additional_properties" and isinstance(field.type, MapOf)
        )
    return field.name == "additionalProperties" and isinstance(field.type, MapOf)


def _python_names(wire: str, name: str) -> bool:
    return PYTHON.native(wire) == name or name == wire + "_"


def wire_name(python: str | None, typescript: str | None) -> tuple[str, bool]:
    """The wire key behind a field's names (either may be absent), and whether it is certain."""
    if python is not None and typescript is not None:
        candidates = dict.fromkeys((unescape(python), typescript))
        fits = [
            key
            for key in candidates
            if _python_names(key, python) and TYPESCRIPT.native(key) == typescript
        ]
        if len(fits) == 1:
            return fits[0], True
        snake = [key for key in fits if style_of(key) == "snake"]
        return (snake or fits or [unescape(python)])[0], False
    name = unescape(python) if python is not None else typescript
    assert name is not None
    return name, len(words(name)) <= 1


@frozen
class FieldPair:
    """A field of a page pair: its wire key, and its row on each side (one may be absent)."""

    wire_name: str
    certain: bool
    python: DocField | None
    typescript: DocField | None


def _key(name: str) -> str:
    return "".join(words(unescape(name)))


def pair_fields(python: Iterable[DocField], typescript: Iterable[DocField]) -> list[FieldPair]:
    """Pair two field lists through the conventions, in Python order then TypeScript's.

    A TypeScript name pairs with the Python name whose camelCase it is (after
    the escape), else with the one Python name of the same words (so
    ``address_line_2`` pairs ``addressLine2``); a name is paired at most once.
    """
    left = list(python)
    right = list(typescript)
    by_name = {each.name: each for each in right}
    by_key: dict[str, list[DocField]] = {}
    for each in right:
        by_key.setdefault(_key(each.name), []).append(each)
    claimed: set[int] = set()
    matched: dict[int, DocField] = {}
    for index, each in enumerate(left):
        plain = unescape(each.name)
        other = by_name.get(TYPESCRIPT.native(plain)) or by_name.get(plain)
        if other is not None and id(other) not in claimed:
            matched[index] = other
            claimed.add(id(other))
    for index, each in enumerate(left):
        if index in matched:
            continue
        free = [f for f in by_key.get(_key(each.name), ()) if id(f) not in claimed]
        if len(free) == 1:
            matched[index] = free[0]
            claimed.add(id(free[0]))
    out: list[FieldPair] = []
    for index, each in enumerate(left):
        other = matched.get(index)
        wire, certain = wire_name(each.name, other.name if other else None)
        out.append(FieldPair(wire, certain, each, other))
    for each in right:
        if id(each) not in claimed:
            wire, certain = wire_name(None, each.name)
            out.append(FieldPair(wire, certain, None, each))
    return out


def rename_refs(type_: TypeRef, rename: Callable[[str], TypeRef]) -> TypeRef:
    """The type with every ``Ref`` replaced by ``rename(name)``."""
    if isinstance(type_, Ref):
        return rename(type_.name)
    if isinstance(type_, ArrayOf):
        return ArrayOf(rename_refs(type_.items, rename))
    if isinstance(type_, MapOf):
        return MapOf(rename_refs(type_.values, rename))
    if isinstance(type_, Nullable):
        return Nullable(rename_refs(type_.inner, rename))
    if isinstance(type_, UnionOf):
        return evolve(type_, members=tuple(rename_refs(m, rename) for m in type_.members))
    return type_


def unresolved_refs(page: DocsPage, index: DocsIndex, hint: str = "") -> list[Problem]:
    """A ``Problem`` for each reference of a page that names no page of its tree.

    A linked reference is not repeated here: its broken link is already a
    problem of the page.
    """
    typed = [(f.line, f.type) for f in page.fields or () if not f.links]
    typed += [(m.line, m.type) for m in page.members or ()]
    return [
        Problem(
            f"{page.path}:{line}",
            f"{name!r} names no page of the {page.language} docs",
            hint,
        )
        for line, type_ in typed
        for name in ref_names(type_)
        if index.resolve(name, page.namespace) is None
    ]


class _Builder:
    """Turns parsed pages into definitions, resolving references through the indexes."""

    def __init__(
        self,
        python: DocsIndex | None,
        typescript: DocsIndex | None,
        ts_names: Mapping[str, str],
    ) -> None:
        self.indexes = {"python": python, "typescript": typescript}
        self.ts_names = ts_names
        self.problems: list[Problem] = []

    def resolver(self, page: DocsPage) -> Callable[[str], TypeRef]:
        """Refs of a page's types to schema names (``AnyValue`` where no page is named)."""
        index = self.indexes[page.language]
        assert index is not None

        def rename(name: str) -> TypeRef:
            key = index.resolve(name, page.namespace)
            if key is None:
                return AnyValue()
            if page.language == "typescript":
                return Ref(self.ts_names.get(key, key))
            return Ref(key)

        return rename

    def field_type(self, page: DocsPage, field: DocField) -> TypeRef:
        return rename_refs(field.type, self.resolver(page))

    def definition(self, name: str, page: DocsPage, other: DocsPage | None) -> Definition | None:
        description = page.description or (other.description if other else "")
        if page.kind == "enum" and page.values is not None:
            return Alias(name, EnumOf(page.values), description, page.path)
        if page.kind == "union" and page.members is not None:
            members = tuple(rename_refs(m.type, self.resolver(page)) for m in page.members)
            return Alias(name, UnionOf(members, mode="anyOf"), description, page.path)
        if page.kind != "model":
            return None
        return self.model(name, page, other, description)

    def model(self, name: str, page: DocsPage, other: DocsPage | None, description: str) -> Model:
        sides: dict[Language, DocsPage] = {page.language: page}
        if other is not None and other.kind == "model":
            sides[other.language] = other
        python, typescript = sides.get("python"), sides.get("typescript")
        additional: TypeRef | None = None
        rows: dict[Language, list[DocField]] = {"python": [], "typescript": []}
        for language, each_side in sides.items():
            for each in each_side.fields or ():
                if is_extras(each, language):
                    if additional is None and isinstance(each.type, MapOf):
                        additional = rename_refs(each.type.values, self.resolver(each_side))
                else:
                    rows[language].append(each)
        fields: list[Field] = []
        uncertain: list[str] = []
        for pair in pair_fields(rows["python"], rows["typescript"]):
            row = pair.python or pair.typescript
            assert row is not None
            side = python if pair.python is not None else typescript
            assert side is not None
            type_ = self.field_type(side, row)
            fields.append(Field(pair.wire_name, type_, row.required, description=row.description))
            if not pair.certain:
                uncertain.append(pair.wire_name)
        if uncertain:
            shown = ", ".join(uncertain[:5]) + (", ..." if len(uncertain) > 5 else "")
            self.problems.append(
                Problem(
                    f"{page.path}:{page.line}",
                    f"{name}: the wire keys of {len(uncertain)} field(s) cannot be known from "
                    f"the docs ({shown}); took the snake_case form",
                    "an OpenAPI document names the wire keys for sure",
                )
            )
        return Model(name, tuple(fields), additional, description, page.path)


def docs_schema(
    python: DocsTree | None = None,
    typescript: DocsTree | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Schema:
    """One schema from one or two docs trees (see the module doc)."""
    if python is None and typescript is None:
        return Schema()
    py_index = index_docs(python) if python is not None else None
    ts_index = index_docs(typescript) if typescript is not None else None
    pairs: dict[str, str] = {}
    if py_index is not None and ts_index is not None:
        pairs = pair_pages(py_index, ts_index, aliases).left_to_right()
    taken = set(py_index.pages) if py_index is not None else set()
    ts_names: dict[str, str] = {ts: py for py, ts in pairs.items()}
    if ts_index is not None:
        for key, info in ts_index.pages.items():
            if key not in ts_names:
                ts_names[key] = key if key not in taken else f"{info.namespace or 'ts'}.{key}"
    builder = _Builder(py_index, ts_index, ts_names)
    definitions: dict[str, Definition] = {}
    problems: list[Problem] = []
    paired_ts = set(pairs.values())
    for tree_index, pages in _pages(py_index, ts_index, paired_ts):
        for page in pages:
            problems.extend(page.problems)
            problems.extend(unresolved_refs(page, tree_index, _AS_ANY))
            found = tree_index.by_path.get(page.path)
            if found is None:
                continue
            key = found
            other = None
            if page.language == "python" and key in pairs and ts_index is not None:
                other = ts_index.tree.page(ts_index.pages[pairs[key]].path)
                problems.extend(other.problems)
                problems.extend(unresolved_refs(other, ts_index, _AS_ANY))
            name = key if page.language == "python" else ts_names[key]
            definition = builder.definition(name, page, other)
            if definition is not None:
                definitions[name] = definition
    for each_index in (py_index, ts_index):
        if each_index is not None:
            problems.extend(each_index.problems)
    problems.extend(builder.problems)
    roots = [t.root for t in (python, typescript) if t is not None]
    return Schema(definitions, tuple(problems), source="docs: " + " + ".join(roots))


def _pages(
    python: DocsIndex | None, typescript: DocsIndex | None, paired: set[str]
) -> Iterator[tuple[DocsIndex, Iterator[DocsPage]]]:
    """Every Python page, then the TypeScript pages that no Python page paired."""
    if python is not None:
        yield python, iter(python.tree)
    if typescript is not None:
        tree = typescript.tree
        skip = {typescript.pages[key].path for key in paired}
        yield typescript, (tree.page(path) for path in tree.files if path not in skip)


def schema_from_docs(
    py_root: str | os.PathLike[str] | None = None,
    ts_root: str | os.PathLike[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Schema:
    """Read one or two docs trees (Python, TypeScript) into one schema."""
    python = read_docs_tree(py_root, "python") if py_root is not None else None
    typescript = read_docs_tree(ts_root, "typescript") if ts_root is not None else None
    return docs_schema(python, typescript, aliases)
