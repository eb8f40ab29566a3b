"""Pieces of the small projects tests write: a one-model OpenAPI document and target tables."""

from __future__ import annotations

#: An OpenAPI document of one model, ``Thing`` with a required integer ``count``.
THING_SCHEMA = """
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [count]
      properties:
        count: {type: integer}
"""
#: The Python-convention reference target, as a ``[[tool.conformance.targets]]`` table.
REFERENCE_PYTHON = """
[[tool.conformance.targets]]
name = "reference-python"
kind = "reference"
convention = "python"
"""
#: Both reference targets.
REFERENCES = (
    REFERENCE_PYTHON
    + """
[[tool.conformance.targets]]
name = "reference-typescript"
kind = "reference"
convention = "typescript"
"""
)
