"""A docs tree on disk, read one page at a time, and its index of page names.

Layouts
    Python (Speakeasy): ``docs/models/*.md``, one flat namespace.
    TypeScript (Speakeasy): ``docs/models/{components,operations,errors}/*.md``;
    the same name may appear in two namespaces (``components.AndEq`` and
    ``operations.AndEq`` are different types).

``read_docs_tree`` accepts the repository root, its ``docs`` folder or the
``models`` folder itself, and only lists the files: iterating a ``DocsTree``
reads and parses one page at a time, so memory does not grow with the number
of pages. The language is taken as given, or detected from the pages
(code-fence languages and type spellings: ``*str*`` vs ``*string*``), falling
back to the layout (namespace folders mean TypeScript).

``index_docs`` makes one pass over a tree, reading each page without its
Fields table, and keeps a small ``PageInfo`` per page: its key (the bare name,
or ``namespace.Name`` where the name is in several namespaces), its kind, and
the values or members of an enum or a union, which is what pairing and type
comparison need to know about pages other than the one at hand.
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from attrs import field, frozen

from conformance.exceptions import SchemaError
from conformance.schema.model import JsonValue, Problem, TypeRef
from conformance.sources.pairing import Pairing, pair_names
from conformance.sources.sdkdocs.pages import DocsPage, Language, PageKind, parse_page_bytes

__all__ = [
    "DocsIndex",
    "DocsTree",
    "PageInfo",
    "detect_language",
    "index_docs",
    "pair_pages",
    "read_docs_files",
    "read_docs_tree",
]

_SAMPLE = 40
_PYTHON_SIGNS = ("```python", "*str*", "*Optional[", "List[", "[models.", "*int*", "*bool*")
_TYPESCRIPT_SIGNS = ("```typescript", "*string*", "*number*", "*boolean*", "Record<", "[]")


@frozen
class DocsTree:
    """The pages of one docs tree: where they are, and in which language they are written.

    ``files`` are paths relative to ``root`` (posix); ``models_dir`` is the
    folder whose sub-folders are namespaces. Iterating parses the pages lazily,
    in ``files`` order.
    """

    root: str
    models_dir: str
    language: Language
    files: tuple[str, ...]
    _known: frozenset[str] = field(alias="known", repr=False, eq=False)
    _prefix: str = field(init=False, repr=False, eq=False)

    @_prefix.default
    def _models_prefix(self) -> str:
        return os.path.relpath(self.models_dir, self.root).replace(os.sep, "/")

    def __iter__(self) -> Iterator[DocsPage]:
        for path in self.files:
            yield self.page(path)

    def __len__(self) -> int:
        return len(self.files)

    def namespace_of(self, path: str) -> str:
        """The namespace of a page: its folder under the models folder, dotted."""
        prefix = self._prefix
        folder = posixpath.dirname(path)
        if prefix != ".":
            folder = folder[len(prefix) + 1 :] if folder.startswith(prefix) else ""
        return folder.replace("/", ".")

    def page(self, path: str, *, fields: bool = True) -> DocsPage:
        """Read and parse one page (a path of ``files``); never raises for bad content."""
        absolute = os.path.join(self.root, path)
        folder = os.path.dirname(absolute)
        namespace = self.namespace_of(path)

        def link_exists(target: str) -> bool:
            file = target.partition("#")[0]
            return not file or os.path.normpath(os.path.join(folder, file)) in self._known

        try:
            with open(absolute, "rb") as handle:
                data = handle.read()
        except OSError as error:
            problem = Problem(f"{path}:1", f"cannot read the page: {error.strerror or error}")
            return DocsPage(path, self.language, "", namespace, problems=(problem,))
        return parse_page_bytes(
            data,
            path=path,
            language=self.language,
            namespace=namespace,
            link_exists=link_exists,
            fields=fields,
        )


def _models_dir(root: str) -> str:
    for candidate in (os.path.join(root, "docs", "models"), os.path.join(root, "models")):
        if os.path.isdir(candidate):
            return candidate
    return root


def read_docs_tree(root: str | os.PathLike[str], language: Language | None = None) -> DocsTree:
    """List the pages under ``root`` (a repository, its ``docs`` or ``docs/models`` folder)."""
    top = os.fspath(root)
    if not os.path.isdir(top):
        raise SchemaError(
            f"no docs folder at {top!r}",
            hint="give the SDK repository, its docs folder or docs/models",
            file=top,
        )
    models = _models_dir(top)
    found: list[str] = []
    for folder, subfolders, names in os.walk(models):
        subfolders.sort()
        found.extend(os.path.join(folder, name) for name in names if name.endswith(".md"))
    files = tuple(sorted(os.path.relpath(p, top).replace(os.sep, "/") for p in found))
    known = frozenset(os.path.normpath(p) for p in found)
    detected = language or detect_language([os.path.join(top, f) for f in files], models)
    return DocsTree(top, models, detected, files, known=known)


def read_docs_files(
    paths: Iterable[str | os.PathLike[str]], language: Language | None = None
) -> DocsTree:
    """A tree of loose page files (of any extension), all in one flat namespace."""
    absolute = [os.path.abspath(os.fspath(p)) for p in paths]
    if not absolute:
        raise SchemaError("no docs pages given", hint="give at least one page file")
    top = os.path.commonpath([os.path.dirname(p) for p in absolute])
    files = tuple(os.path.relpath(p, top).replace(os.sep, "/") for p in absolute)
    detected = language or detect_language(absolute, top)
    known = frozenset(os.path.normpath(p) for p in absolute)
    return DocsTree(top, top, detected, files, known=known)


def detect_language(paths: Iterable[str], models_dir: str = "") -> Language:
    """Guess a tree's language from a sample of its pages, else from its layout."""
    votes: Counter[str] = Counter()
    for count, path in enumerate(paths):
        if count >= _SAMPLE:
            break
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        votes["python"] += sum(sign in text for sign in _PYTHON_SIGNS)
        votes["typescript"] += sum(sign in text for sign in _TYPESCRIPT_SIGNS)
    if votes["python"] != votes["typescript"]:
        return "python" if votes["python"] > votes["typescript"] else "typescript"
    if models_dir and os.path.isdir(models_dir):
        with os.scandir(models_dir) as entries:
            if any(entry.is_dir() for entry in entries):
                return "typescript"
    return "python"


@frozen
class PageInfo:
    """What other pages need to know about a page: its key, kind, values or members."""

    key: str
    name: str
    namespace: str
    path: str
    kind: PageKind
    values: tuple[JsonValue, ...] | None = None
    members: tuple[TypeRef, ...] | None = None


@frozen
class DocsIndex:
    """Every named page of a tree by key, and the pages that could not be indexed."""

    tree: DocsTree
    pages: Mapping[str, PageInfo]
    by_path: Mapping[str, str]
    _by_name: Mapping[str, tuple[str, ...]] = field(alias="by_name", repr=False)
    problems: tuple[Problem, ...] = ()

    def resolve(self, ref: str, namespace: str = "") -> str | None:
        """The key of the page a reference names (``operations.X``, ``X``), if one does."""
        prefix, _, name = ref.rpartition(".")
        keys = self._by_name.get(name, ())
        if len(keys) == 1:
            return keys[0]
        for wanted in (prefix, namespace):
            for key in keys:
                if self.pages[key].namespace == wanted:
                    return key
        return None


def index_docs(tree: DocsTree) -> DocsIndex:
    """Read every page of a tree once (without Fields tables) and index it by name."""
    found: list[tuple[str, DocsPage]] = []
    problems: list[Problem] = []
    for path in tree.files:
        page = tree.page(path, fields=False)
        if page.name:
            found.append((path, page))
    counts = Counter(page.name for _, page in found)
    pages: dict[str, PageInfo] = {}
    by_path: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for path, page in found:
        key = page.name if counts[page.name] == 1 else page.qualified_name
        if key in pages:
            problems.append(
                Problem(
                    f"{path}:{page.line}",
                    f"a second page titled {key!r} (the first is {pages[key].path})",
                    "this page is ignored",
                )
            )
            continue
        members = tuple(m.type for m in page.members) if page.members is not None else None
        pages[key] = PageInfo(key, page.name, page.namespace, path, page.kind, page.values, members)
        by_path[path] = key
        by_name.setdefault(page.name, []).append(key)
    return DocsIndex(
        tree,
        pages,
        by_path,
        by_name={name: tuple(keys) for name, keys in by_name.items()},
        problems=tuple(problems),
    )


def pair_pages(
    left: DocsIndex, right: DocsIndex, aliases: Mapping[str, str] | None = None
) -> Pairing:
    """Pair the page keys of two indexes by name (``pair_names``).

    Where a name is in several namespaces on one side (``components.AndEq``,
    ``operations.AndEq``) and plain on the other, the one page of the same
    kind (model, enum, union) is paired, as if given as an alias.
    """
    chosen = dict(aliases or {})
    taken = set(chosen.values())
    right_keys = set(right.pages)
    for key, info in left.pages.items():
        if key in chosen or key in right_keys:
            continue
        candidates = [
            other
            for other in right._by_name.get(info.name, ())
            if other != info.name and right.pages[other].kind == info.kind and other not in taken
        ]
        if len(candidates) == 1:
            chosen[key] = candidates[0]
            taken.add(candidates[0])
    return pair_names(left.pages, right.pages, chosen)
