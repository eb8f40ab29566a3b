"""Cross-check the model docs of a Python and a TypeScript SDK of one API.

``check_docs(python_tree, typescript_tree)`` pairs the pages of the two trees
by name (``schema.sdkdocs.pair_pages``, after ``conformance.sources.pairing``), pairs
the fields of each page pair through the naming conventions
(``schema.sdkdocs.pair_fields``), and yields one frozen result per page pair
(``PagePairResult``), then one per page that found no pair
(``UnpairedPage``). Results stream: one pass indexes each tree (names, kinds,
enum values and union members only), then each pair is read, compared and
dropped.

Every difference is a ``Divergence`` whose left side is ``docs-python`` and
right side ``docs-typescript``, at the path of the field's wire key (``()``
for the page itself, ``("*",)`` for the extras bucket):

``missing`` / ``extra``
    a field only the Python / only the TypeScript page has (the value is its
    native name);
``naming``
    a native name that is not what its convention makes of the wire key (a
    Python name escaped with ``_`` where the convention does not escape it,
    such as ``format_``, is a ``note``);
``required``
    the Required flags differ;
``type``
    the types do not correspond, or the pages are of different kinds;
``enum``
    an enum page pair whose values differ (as sets);
``description``
    the descriptions differ after whitespace is normalised.

Type correspondence: ``str``/``string``; ``int`` and ``float``/``number``
(TypeScript has one number type); ``bool``/``boolean``;
``datetime``/``Date``; a ``date`` corresponds to an ``RFCDate`` or a plain
string; ``Any``/``any``; ``List``/``[]``; ``Dict``/``Record``; unions
member-wise in any order; constants and enums by their values (a Python
one-value enum page corresponds to a TypeScript literal type); model
references by paired page names. ``Nullable`` is ignored, because Speakeasy's
TypeScript docs never show ``null`` (``*OptionalNullable[float]*`` is
documented as ``*number*``); ``Optional`` is the
Required flag's business.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import TypeAlias

from attrs import frozen

from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Kind, Severity, Side
from conformance.schema.model import (
    AnyValue,
    ArrayOf,
    Const,
    EnumOf,
    JsonValue,
    MapOf,
    Nullable,
    Primitive,
    Problem,
    Ref,
    TypeRef,
    UnionOf,
)
from conformance.sources.sdkdocs.reader import (
    PYTHON,
    TYPESCRIPT,
    DocField,
    DocsIndex,
    DocsPage,
    DocsTree,
    Language,
    index_docs,
    is_extras,
    pair_fields,
    pair_pages,
    read_docs_tree,
    unresolved_refs,
)

__all__ = [
    "EXTRAS_PATH",
    "PYTHON_SIDE",
    "TYPESCRIPT_SIDE",
    "DocsCheckResult",
    "PagePairResult",
    "UnpairedPage",
    "check_docs",
    "check_docs_roots",
    "compare_pages",
]

PYTHON_SIDE = ("docs-python",)
TYPESCRIPT_SIDE = ("docs-typescript",)
EXTRAS_PATH = "*"
_MAX_DEPTH = 32
_BY_NAME = "compared by name only"


@frozen
class PagePairResult:
    """The divergences of one page pair, and the problems met reading either page."""

    python_name: str
    python_path: str
    typescript_name: str
    typescript_path: str
    divergences: tuple[Divergence, ...] = ()
    problems: tuple[Problem, ...] = ()


@frozen
class UnpairedPage:
    """A page with no counterpart on the other side (or no name to pair it by).

    ``name`` is the page's key in its tree: its title, or ``namespace.Title``
    where the title is in several namespaces.
    """

    side: Language
    name: str
    path: str
    problems: tuple[Problem, ...] = ()


DocsCheckResult: TypeAlias = PagePairResult | UnpairedPage


def _normal(text: str) -> str:
    return " ".join(text.split())


def _values(type_: TypeRef) -> tuple[JsonValue, ...] | None:
    if isinstance(type_, Const):
        return (type_.value,)
    if isinstance(type_, EnumOf):
        return type_.values
    return None


def _value_set(values: tuple[JsonValue, ...]) -> frozenset[object]:
    return frozenset(jsonwire.canonical(v) for v in values)


def _strip_null(type_: TypeRef) -> TypeRef:
    while isinstance(type_, Nullable):
        type_ = type_.inner
    return type_


def _describe(type_: TypeRef) -> str:
    if isinstance(type_, Primitive):
        return f"{type_.kind} ({type_.format})" if type_.format else type_.kind
    if isinstance(type_, Ref):
        return f"model {type_.name}"
    if isinstance(type_, Const | EnumOf):
        return f"values {list(_values(type_) or ())!r}"
    return {
        AnyValue: "any value",
        ArrayOf: "an array",
        MapOf: "a map",
        UnionOf: "a union",
    }.get(type(type_), type(type_).__name__)


class _Matcher:
    """Decides whether a Python type and a TypeScript type correspond (see the module doc)."""

    def __init__(self, python: DocsIndex, typescript: DocsIndex, pairs: Mapping[str, str]):
        self.python = python
        self.typescript = typescript
        self.pairs = pairs

    def mismatch(
        self, left: TypeRef, right: TypeRef, left_ns: str, right_ns: str, depth: int = 0
    ) -> str | None:
        """Why two types do not correspond, or ``None`` when they do."""
        if depth > _MAX_DEPTH:
            return None
        left, right = _strip_null(left), _strip_null(right)
        if isinstance(left, Ref) or isinstance(right, Ref):
            return self.refs(left, right, left_ns, right_ns, depth)
        left_values, right_values = _values(left), _values(right)
        if left_values is not None and right_values is not None:
            if _value_set(left_values) == _value_set(right_values):
                return None
            return f"values {list(left_values)!r} vs {list(right_values)!r}"
        if isinstance(left, Primitive) and isinstance(right, Primitive):
            return _primitives(left, right)
        if isinstance(left, AnyValue) and isinstance(right, AnyValue):
            return None
        if isinstance(left, ArrayOf) and isinstance(right, ArrayOf):
            inner = self.mismatch(left.items, right.items, left_ns, right_ns, depth + 1)
            return f"items: {inner}" if inner else None
        if isinstance(left, MapOf) and isinstance(right, MapOf):
            inner = self.mismatch(left.values, right.values, left_ns, right_ns, depth + 1)
            return f"values: {inner}" if inner else None
        if isinstance(left, UnionOf) and isinstance(right, UnionOf):
            return self.unions(left, right, left_ns, right_ns, depth)
        return f"{_describe(left)} vs {_describe(right)}"

    def unions(
        self, left: UnionOf, right: UnionOf, left_ns: str, right_ns: str, depth: int
    ) -> str | None:
        free = list(right.members)
        unmatched: list[TypeRef] = []
        for member in left.members:
            match = next(
                (
                    other
                    for other in free
                    if self.mismatch(member, other, left_ns, right_ns, depth + 1) is None
                ),
                None,
            )
            if match is None:
                unmatched.append(member)
            else:
                free.remove(match)
        if not unmatched and not free:
            return None
        only_left = ", ".join(_describe(m) for m in unmatched) or "nothing"
        only_right = ", ".join(_describe(m) for m in free) or "nothing"
        return f"union members differ: python only {only_left}; typescript only {only_right}"

    def refs(
        self, left: TypeRef, right: TypeRef, left_ns: str, right_ns: str, depth: int
    ) -> str | None:
        left_key = self.python.resolve(left.name, left_ns) if isinstance(left, Ref) else None
        right_key = (
            self.typescript.resolve(right.name, right_ns) if isinstance(right, Ref) else None
        )
        if isinstance(left, Ref) and isinstance(right, Ref):
            if left_key is not None and self.pairs.get(left_key) == right_key:
                return None
            if left_key is None and right_key is None:
                same = left.name.rpartition(".")[2] == right.name.rpartition(".")[2]
                return None if same else f"model {left.name} vs model {right.name}"
        left_expanded = self.expand(left, left_key, self.python, left_ns)
        right_expanded = self.expand(right, right_key, self.typescript, right_ns)
        if left_expanded is None or right_expanded is None:
            if isinstance(left, Ref) and isinstance(right, Ref):
                return f"model {left.name} is not the pair of model {right.name}"
            return f"{_describe(left)} vs {_describe(right)}"
        return self.mismatch(
            left_expanded[0], right_expanded[0], left_expanded[1], right_expanded[1], depth + 1
        )

    @staticmethod
    def expand(
        type_: TypeRef, key: str | None, index: DocsIndex, namespace: str
    ) -> tuple[TypeRef, str] | None:
        """An enum or union page as its type (with its namespace); ``None`` for a model."""
        if not isinstance(type_, Ref):
            return type_, namespace
        if key is None:
            return None
        info = index.pages[key]
        if info.values is not None:
            values = info.values
            return (Const(values[0]) if len(values) == 1 else EnumOf(values)), info.namespace
        if info.members is not None:
            return UnionOf(info.members, mode="anyOf"), info.namespace
        return None


def _primitives(left: Primitive, right: Primitive) -> str | None:
    numbers = {"integer", "number"}
    if left.kind != right.kind and not {left.kind, right.kind} <= numbers:
        return f"{_describe(left)} vs {_describe(right)}"
    if left.format == right.format or {left.format, right.format} == {"date", None}:
        return None
    return f"{_describe(left)} vs {_describe(right)}"


def _divergence(
    path: tuple[str, ...],
    kind: Kind,
    left: JsonValue,
    right: JsonValue,
    detail: str = "",
    *,
    left_present: bool = True,
    right_present: bool = True,
    severity: Severity = "fail",
) -> Divergence:
    return Divergence(
        path,
        kind,
        Side(PYTHON_SIDE, left, left_present),
        Side(TYPESCRIPT_SIDE, right, right_present),
        severity,
        detail,
    )


def _naming(wire: str, python: DocField | None, typescript: DocField | None) -> list[Divergence]:
    out: list[Divergence] = []
    left = python.name if python else None
    right = typescript.name if typescript else None
    path = (wire,)
    if python is not None:
        expected = PYTHON.native(wire)
        if python.name == wire + "_" and expected == wire:
            out.append(
                _divergence(
                    path,
                    "naming",
                    left,
                    right,
                    f"python escapes {wire!r} as {python.name!r}; the convention does not",
                    right_present=typescript is not None,
                    severity="note",
                )
            )
        elif python.name != expected:
            out.append(
                _divergence(
                    path,
                    "naming",
                    left,
                    right,
                    f"python names wire key {wire!r} {expected!r}, the docs say {python.name!r}",
                    right_present=typescript is not None,
                )
            )
    if typescript is not None and typescript.name != TYPESCRIPT.native(wire):
        expected = TYPESCRIPT.native(wire)
        out.append(
            _divergence(
                path,
                "naming",
                left,
                right,
                f"typescript names wire key {wire!r} {expected!r}, "
                f"the docs say {typescript.name!r}",
                left_present=python is not None,
            )
        )
    return out


def compare_pages(
    python: DocsPage,
    typescript: DocsPage,
    python_index: DocsIndex,
    typescript_index: DocsIndex,
    pairs: Mapping[str, str],
) -> tuple[Divergence, ...]:
    """The divergences between a Python page and its TypeScript pair."""
    matcher = _Matcher(python_index, typescript_index, pairs)
    out: list[Divergence] = []
    if python.kind != typescript.kind:
        out.append(
            _divergence((), "type", python.kind, typescript.kind, "the pages differ in kind")
        )
    elif python.values is not None and typescript.values is not None:
        if _value_set(python.values) != _value_set(typescript.values):
            right = _value_set(typescript.values)
            left = _value_set(python.values)
            only_left = [v for v in python.values if jsonwire.canonical(v) not in right]
            only_right = [v for v in typescript.values if jsonwire.canonical(v) not in left]
            out.append(
                _divergence(
                    (),
                    "enum",
                    list(python.values),
                    list(typescript.values),
                    f"python only {only_left!r}; typescript only {only_right!r}",
                )
            )
    elif python.members is not None and typescript.members is not None:
        reason = matcher.mismatch(
            UnionOf(tuple(m.type for m in python.members), mode="anyOf"),
            UnionOf(tuple(m.type for m in typescript.members), mode="anyOf"),
            python.namespace,
            typescript.namespace,
        )
        if reason:
            out.append(
                _divergence(
                    (),
                    "type",
                    [m.type_text for m in python.members],
                    [m.type_text for m in typescript.members],
                    reason,
                )
            )
    if _normal(python.description) != _normal(typescript.description):
        out.append(_divergence((), "description", python.description, typescript.description))
    if python.fields is not None and typescript.fields is not None:
        out.extend(_compare_fields(python, typescript, matcher))
    return tuple(out)


def _compare_fields(python: DocsPage, typescript: DocsPage, matcher: _Matcher) -> list[Divergence]:
    out: list[Divergence] = []
    py_rows = [f for f in python.fields or () if not is_extras(f, "python")]
    ts_rows = [f for f in typescript.fields or () if not is_extras(f, "typescript")]
    py_extras = [f for f in python.fields or () if is_extras(f, "python")]
    ts_extras = [f for f in typescript.fields or () if is_extras(f, "typescript")]
    for pair in pair_fields(py_rows, ts_rows):
        left, right = pair.python, pair.typescript
        path = (pair.wire_name,)
        if right is None:
            assert left is not None
            out.append(_divergence(path, "missing", left.name, None, right_present=False))
        elif left is None:
            out.append(_divergence(path, "extra", None, right.name, left_present=False))
        out.extend(_naming(pair.wire_name, left, right))
        if left is not None and right is not None:
            out.extend(_compare_field(path, left, right, python, typescript, matcher))
    if py_extras or ts_extras:
        path = (EXTRAS_PATH,)
        if not ts_extras:
            out.append(_divergence(path, "missing", py_extras[0].name, None, right_present=False))
        elif not py_extras:
            out.append(_divergence(path, "extra", None, ts_extras[0].name, left_present=False))
        else:
            out.extend(
                _compare_field(path, py_extras[0], ts_extras[0], python, typescript, matcher)
            )
    return out


def _compare_field(
    path: tuple[str, ...],
    left: DocField,
    right: DocField,
    python: DocsPage,
    typescript: DocsPage,
    matcher: _Matcher,
) -> list[Divergence]:
    out: list[Divergence] = []
    if left.required != right.required:
        out.append(_divergence(path, "required", left.required, right.required))
    reason = matcher.mismatch(left.type, right.type, python.namespace, typescript.namespace)
    if reason:
        out.append(_divergence(path, "type", left.type_text, right.type_text, reason))
    if _normal(left.description) != _normal(right.description):
        out.append(_divergence(path, "description", left.description, right.description))
    return out


def _problems_by_path(index: DocsIndex) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {}
    for problem in index.problems:
        out.setdefault(problem.location.rpartition(":")[0], []).append(problem)
    return out


def check_docs(
    python: DocsTree, typescript: DocsTree, aliases: Mapping[str, str] | None = None
) -> Iterator[DocsCheckResult]:
    """Compare two docs trees page pair by page pair (see the module doc).

    Results come in Python file order (a pair, or an unpaired Python page),
    then the unpaired TypeScript pages in file order.
    """
    python_index = index_docs(python)
    typescript_index = index_docs(typescript)
    pairs = pair_pages(python_index, typescript_index, aliases).left_to_right()
    paired = set(pairs.values())
    sides: tuple[tuple[Language, DocsIndex], ...] = (
        ("python", python_index),
        ("typescript", typescript_index),
    )
    for side, index in sides:
        extra = _problems_by_path(index)
        for path in index.tree.files:
            key = index.by_path.get(path)
            if side == "typescript" and key in paired:
                continue
            page = index.tree.page(path)
            problems = [*page.problems, *unresolved_refs(page, index, _BY_NAME)]
            problems += extra.get(path, ())
            if side == "typescript" or key not in pairs:
                yield UnpairedPage(side, key or page.name, path, tuple(problems))
                continue
            other = typescript.page(typescript_index.pages[pairs[key]].path)
            problems += other.problems
            problems += unresolved_refs(other, typescript_index, _BY_NAME)
            yield PagePairResult(
                page.name,
                path,
                other.name,
                other.path,
                compare_pages(page, other, python_index, typescript_index, pairs),
                tuple(problems),
            )


def check_docs_roots(
    py_root: str | os.PathLike[str],
    ts_root: str | os.PathLike[str],
    aliases: Mapping[str, str] | None = None,
) -> Iterator[DocsCheckResult]:
    """``check_docs`` on two docs folders (a repository, its ``docs`` or ``docs/models``)."""
    return check_docs(
        read_docs_tree(py_root, "python"), read_docs_tree(ts_root, "typescript"), aliases
    )
