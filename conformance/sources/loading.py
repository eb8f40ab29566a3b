"""Pick the loader for a schema source: an OpenAPI document, or SDK docs trees.

One source is an OpenAPI 3.0/3.1 document (``.yaml``, ``.yml``, ``.json``) or
a docs tree (a folder: Speakeasy-style Markdown model pages of one SDK, its
language detected from the pages). Two sources are a Python and a TypeScript
docs tree of the same API, read into one schema (``conformance.sources.sdkdocs.reader``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from conformance.exceptions import SchemaError
from conformance.schema.model import Schema


def load_schema(sources: str | Path | Sequence[str | Path]) -> Schema:
    """Load the schema named by one path (OpenAPI or a docs tree) or two docs trees."""
    paths = [Path(sources)] if isinstance(sources, str | Path) else [Path(s) for s in sources]
    for path in paths:
        if not path.exists():
            raise SchemaError(
                "no such schema file or folder",
                "set [tool.conformance] schema or pass --schema with an existing path",
                file=str(path),
            )
    if len(paths) == 1 and paths[0].is_file():
        source = paths[0]
        if source.suffix.lower() in (".yaml", ".yml", ".json"):
            from conformance.sources.openapi import load_openapi

            return load_openapi(source)
        raise SchemaError(
            f"unknown schema source type {source.suffix or '(no suffix)'!r}",
            "use an OpenAPI document (.yaml, .yml, .json) or an SDK docs folder",
            file=str(source),
        )
    if all(p.is_dir() for p in paths) and len(paths) in (1, 2):
        return _docs(paths)
    raise SchemaError(
        f"cannot read {len(paths)} schema sources together",
        "give one OpenAPI document, one docs folder, or a Python and a TypeScript docs folder",
        file=", ".join(map(str, paths)),
    )


def _docs(folders: Sequence[Path]) -> Schema:
    from conformance.sources.sdkdocs.reader import docs_schema, read_docs_tree

    trees = [read_docs_tree(folder) for folder in folders]
    by_language = {tree.language: tree for tree in trees}
    if len(by_language) != len(trees):
        raise SchemaError(
            f"both docs folders look like {trees[0].language} docs",
            "give one Python docs folder and one TypeScript docs folder",
            file=", ".join(map(str, folders)),
        )
    return docs_schema(by_language.get("python"), by_language.get("typescript"))
