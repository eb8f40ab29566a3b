"""Case files from SDK docs' Example Usage blocks (``conformance cases from-docs``).

The examples are written with the TypeScript SDK's camelCase properties; a case
needs wire keys. The schema of record says them exactly: ``--schema``, or the
schema ``[tool.conformance]`` configures. Without one, the schema is read from
the docs themselves, whose field tables give each field's name as an SDK spells
it, so every wire key is a guess, and the command says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import frozen

from conformance.core.config import load_config
from conformance.engine.prepare import config_and_schema
from conformance.schema import JsonValue, Problem
from conformance.sources.sdkdocs.examples import case_file, docs_cases

__all__ = ["DocsCaseFile", "docs_case_file"]

GUESSING = (
    "no schema given or configured: wire keys are guessed from the docs' field tables "
    "(pass --schema with the API's OpenAPI document, or set schema in [tool.conformance], "
    "for the exact keys)"
)


@frozen
class DocsCaseFile:
    """A case file made from docs, the problems met, and which schema named the wire keys."""

    document: dict[str, JsonValue]
    problems: tuple[Problem, ...]
    schema: str  # the schema files, or "" when the keys were guessed from the docs

    @property
    def count(self) -> int:
        tests = self.document["tests"]
        return len(tests) if isinstance(tests, list) else 0


def docs_case_file(
    ts_docs: Path,
    python_docs: Path | None,
    config_path: Path | None,
    schema: Sequence[Path],
    say: Callable[[str], None],
) -> DocsCaseFile:
    """The cases of ``ts_docs``' examples, keyed by the schema of record when there is one."""
    config = load_config(config_path)
    source = tuple(schema) or config.schema
    if source:
        _, loaded = config_and_schema(config_path, schema, say)
        results = list(docs_cases(python_docs, ts_docs, loaded))
        named = ", ".join(str(s) for s in source)
    else:
        say(f"conformance: {GUESSING}")
        results = list(docs_cases(python_docs, ts_docs))
        named = ""
    problems = tuple(p for r in results for p in r.problems)
    return DocsCaseFile(case_file(results), problems, named)
