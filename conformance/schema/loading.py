"""Pick the loader for a schema source: an OpenAPI document or an SDK docs tree."""

from __future__ import annotations

from pathlib import Path

from conformance.exceptions import SchemaError
from conformance.schema._model import Schema


def load_schema(path: str | Path) -> Schema:
    """Load an OpenAPI 3.0/3.1 document (``.yaml``, ``.yml``, ``.json``)."""
    source = Path(path)
    if not source.exists():
        raise SchemaError(
            "no such schema file",
            "set [tool.conformance] schema or pass --schema with an existing path",
            file=str(source),
        )
    if source.suffix.lower() in (".yaml", ".yml", ".json"):
        from conformance.schema.openapi import load_openapi

        return load_openapi(source)
    raise SchemaError(
        f"unknown schema source type {source.suffix or '(no suffix)'!r}",
        "use an OpenAPI document ending in .yaml, .yml or .json",
        file=str(source),
    )
