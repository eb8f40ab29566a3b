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

from conformance.comparison.docs_types import TypeMatcher, value_set
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Kind, Severity, Side
from conformance.schema.model import (
    JsonValue,
    Problem,
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
    matcher = TypeMatcher(python_index, typescript_index, pairs)
    out: list[Divergence] = []
    if python.kind != typescript.kind:
        out.append(
            _divergence((), "type", python.kind, typescript.kind, "the pages differ in kind")
        )
    elif python.values is not None and typescript.values is not None:
        if value_set(python.values) != value_set(typescript.values):
            right = value_set(typescript.values)
            left = value_set(python.values)
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


def _compare_fields(
    python: DocsPage, typescript: DocsPage, matcher: TypeMatcher
) -> list[Divergence]:
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
    matcher: TypeMatcher,
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
