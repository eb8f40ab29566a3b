"""Load the ``components.schemas`` of an OpenAPI 3.0/3.1 document, and the JSON request
and response bodies of its operations, into the neutral schema.

Each named schema becomes a ``Model`` (objects) or an ``Alias`` (the rest). Inline
object schemas become synthetic models named after their place: parent name plus
PascalCase property name, ``Item`` for array items, ``1``, ``2``... for union
members. A ``$ref`` to a named schema is a ``Ref``, so recursion costs nothing;
``allOf`` is merged into one model, following ``$ref`` members with a cycle guard.
A named object marked nullable stays a ``Model``; every ``Ref`` to it is ``Nullable``.

Nothing is dropped silently: what cannot be expressed (remote refs, ``not``,
``patternProperties``...) becomes a ``Problem`` at its JSON pointer with
``AnyValue`` in its place, and value-only keywords (``pattern``, ``maximum``...)
are reported as ``ignored`` once per definition. Each body under ``paths`` is
recorded as a ``Body``: a ``$ref`` body is the definition it names, an inline one
a new definition named after its operation (``CreateThingRequestBody``,
``CreateThingResponseBody``, ``CreateThing404ResponseBody``). Only a document
unusable as a whole (no named schema and no JSON body) raises ``SchemaError``.
YAML scalars follow YAML 1.2 where wire values care: only ``true``/``false`` are
booleans, dates stay strings, floats keep their token.

The modules, by concept: ``_documents`` reads the file (JSON or YAML, one depth
rule), ``_loader`` converts the definitions and translates each schema node to a
type, ``_objects`` merges object schemas and ``allOf``, ``_unions`` reads
``oneOf``/``anyOf`` and discriminators, ``_operations`` reads the bodies of the
operations, ``_nodes`` and ``_pointers`` hold the keyword vocabulary and JSON
pointer helpers they share.
"""

from __future__ import annotations

from conformance.sources.openapi._documents import load_openapi
from conformance.sources.openapi._loader import schema_from_document
from conformance.sources.openapi._operations import is_json_media

__all__ = ["is_json_media", "load_openapi", "schema_from_document"]
