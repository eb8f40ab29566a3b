"""Tests for the operations' bodies the OpenAPI loader records (``Schema.bodies``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.exceptions import SchemaError
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Body,
    Field,
    Model,
    Nullable,
    Primitive,
    Problem,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.openapi import load_openapi, schema_from_document

SOURCE = "api.yaml"
STRING = Primitive("string")
INTEGER = Primitive("integer")
JSON = "application/json"
#: The pointer of the JSON request schema of ``POST /v2/things``.
REQUEST = "/paths/~1v2~1things/post/requestBody/content/application~1json/schema"


def thing() -> dict[str, Any]:
    """A fresh object schema with one required string, ``id`` (fresh: shared nodes are one)."""
    return {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def load(paths: Any, schemas: dict[str, Any] | None = None, **components: Any) -> Schema:
    """Load a document with these ``paths`` and components (``schemas`` and others)."""
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    document["paths"] = paths
    if schemas is not None or components:
        document["components"] = {**({"schemas": schemas} if schemas else {}), **components}
    return schema_from_document(document, SOURCE)


def content(schema: Any, media: str = JSON) -> dict[str, Any]:
    """A request body or response with one media type of this schema."""
    return {"content": {media: {"schema": schema}}}


def at(pointer: str) -> str:
    """The location of a JSON pointer in the test document."""
    return f"{SOURCE}#{pointer}"


def post_things(**operation: Any) -> dict[str, Any]:
    """``paths`` with one operation, ``POST /v2/things``."""
    return {"/v2/things": {"post": operation}}


def response_at(status: str, media: str = "application~1json") -> str:
    """The pointer of a response schema of ``POST /v2/things``."""
    return f"/paths/~1v2~1things/post/responses/{status}/content/{media}/schema"


def test_ref_body_is_the_component_it_names() -> None:
    """A body that is a ``$ref`` to a named schema is that definition, with no new one."""
    ref = {"$ref": "#/components/schemas/Thing"}
    schema = load(
        post_things(operationId="createThing", requestBody=content(ref)), {"Thing": thing()}
    )
    assert list(schema.definitions) == ["Thing"]
    assert schema.bodies == (Body("Thing", "request", "createThing", location=at(REQUEST)),)
    assert schema.problems == ()


def test_inline_request_body_becomes_op_request_body() -> None:
    """An inline request body is a model named ``{Op}RequestBody`` with its fields."""
    schema = load(post_things(operationId="createThing", requestBody=content(thing())))
    expected = Model(
        "CreateThingRequestBody", (Field("id", STRING, required=True),), source=at(REQUEST)
    )
    assert schema.definitions == {"CreateThingRequestBody": expected}
    assert schema.bodies == (
        Body("CreateThingRequestBody", "request", "createThing", location=at(REQUEST)),
    )


def test_inline_response_bodies_are_named_by_status() -> None:
    """The first 2xx body is ``{Op}ResponseBody``; other statuses put theirs in the name."""
    responses = {
        "200": content(thing()),
        "201": content({"type": "string"}),
        "404": content(thing(), "application/problem+json"),
        "default": content({"type": "array", "items": {"type": "integer"}}),
        "4XX": content({"type": "boolean"}),
    }
    schema = load(post_things(operationId="createThing", responses=responses))
    names = ["", "201", "404", "Default", "4XX"]
    assert list(schema.definitions) == [f"CreateThing{name}ResponseBody" for name in names]
    assert schema["CreateThingDefaultResponseBody"] == Alias(
        "CreateThingDefaultResponseBody", ArrayOf(INTEGER), source=at(response_at("default"))
    )
    assert [(body.model, body.status, body.media_type) for body in schema.bodies] == [
        ("CreateThingResponseBody", "200", JSON),
        ("CreateThing201ResponseBody", "201", JSON),
        ("CreateThing404ResponseBody", "404", "application/problem+json"),
        ("CreateThingDefaultResponseBody", "default", JSON),
        ("CreateThing4XXResponseBody", "4XX", JSON),
    ]


def test_first_2xx_with_a_json_body_gets_the_plain_name() -> None:
    """A 2xx response with no JSON body leaves the plain name to the next 2xx response."""
    responses = {
        "200": content({"type": "string"}, "text/plain"),
        "202": content(thing()),
        "203": content(thing()),
    }
    schema = load(post_things(operationId="createThing", responses=responses))
    assert [body.model for body in schema.bodies] == [
        "",
        "CreateThingResponseBody",
        "CreateThing203ResponseBody",
    ]


def test_inline_objects_nested_in_a_body_are_named_after_it() -> None:
    """Objects inside an inline body take the body's name as their parent's."""
    body = {
        "type": "object",
        "properties": {
            "owner": thing(),
            "tags": {"type": "array", "items": thing()},
            "choice": {"oneOf": [thing(), {"type": "string"}]},
        },
    }
    schema = load(post_things(operationId="create_thing", requestBody=content(body)))
    assert list(schema.definitions) == [
        "CreateThingRequestBody",
        "CreateThingRequestBodyOwner",
        "CreateThingRequestBodyTagsItem",
        "CreateThingRequestBodyChoice1",
    ]
    fields = (
        Field("owner", Ref("CreateThingRequestBodyOwner")),
        Field("tags", ArrayOf(Ref("CreateThingRequestBodyTagsItem"))),
        Field("choice", UnionOf((Ref("CreateThingRequestBodyChoice1"), STRING))),
    )
    assert schema["CreateThingRequestBody"] == Model(
        "CreateThingRequestBody", fields, source=at(REQUEST)
    )
    assert schema["CreateThingRequestBodyOwner"] == Model(
        "CreateThingRequestBodyOwner",
        (Field("id", STRING, required=True),),
        source=at(f"{REQUEST}/properties/owner"),
    )


def test_component_request_bodies_and_responses_are_followed() -> None:
    """``$ref``s to components/requestBodies and components/responses lead to their bodies."""
    operation = {
        "operationId": "createThing",
        "requestBody": {"$ref": "#/components/requestBodies/NewThing"},
        "responses": {"200": {"$ref": "#/components/responses/Made"}},
    }
    schema = load(
        post_things(**operation),
        {"Thing": thing()},
        requestBodies={"NewThing": content(thing())},
        responses={
            "Made": {"$ref": "#/components/responses/Alias"},
            "Alias": content({"$ref": "#/components/schemas/Thing"}),
        },
    )
    assert schema.bodies == (
        Body(
            "CreateThingRequestBody",
            "request",
            "createThing",
            location=at("/components/requestBodies/NewThing/content/application~1json/schema"),
        ),
        Body(
            "Thing",
            "response",
            "createThing",
            "200",
            location=at("/components/responses/Alias/content/application~1json/schema"),
        ),
    )
    assert list(schema.definitions) == ["Thing", "CreateThingRequestBody"]
    assert schema.problems == ()


def test_a_shared_request_body_is_one_definition() -> None:
    """Two operations that ``$ref`` one request body share the definition named first."""
    shared = {"$ref": "#/components/requestBodies/NewThing"}
    paths = {
        "/things": {"post": {"operationId": "createThing", "requestBody": shared}},
        "/things/{id}": {"put": {"operationId": "replaceThing", "requestBody": shared}},
    }
    schema = load(paths, requestBodies={"NewThing": content(thing())})
    assert [(body.model, body.operation) for body in schema.bodies] == [
        ("CreateThingRequestBody", "createThing"),
        ("CreateThingRequestBody", "replaceThing"),
    ]
    assert list(schema.definitions) == ["CreateThingRequestBody"]


def test_non_json_media_types_are_recorded_without_a_model() -> None:
    """Form, stream and byte bodies are recorded with no model, no definition and no problem."""
    unsupported = {"type": "object", "not": {}, "properties": {"file": {"type": "string"}}}
    request = {
        "content": {
            "multipart/form-data": {"schema": unsupported},
            "application/vnd.api+json; charset=utf-8": {"schema": thing()},
        }
    }
    responses = {
        "200": {
            "content": {
                "text/event-stream": {"schema": unsupported},
                "application/octet-stream": {"schema": {"$ref": "#/components/schemas/Gone"}},
            }
        }
    }
    schema = load(post_things(operationId="upload", requestBody=request, responses=responses))
    assert [(body.model, body.media_type) for body in schema.bodies] == [
        ("", "multipart/form-data"),
        ("UploadRequestBody", "application/vnd.api+json; charset=utf-8"),
        ("", "text/event-stream"),
        ("", "application/octet-stream"),
    ]
    assert list(schema.definitions) == ["UploadRequestBody"]
    assert schema.problems == ()


def test_responses_without_a_schema_record_nothing() -> None:
    """A response with no content, or content without a schema, records no body."""
    responses = {"204": {"description": "gone"}, "200": {"content": {JSON: {"example": {}}}}}
    schema = load(post_things(operationId="deleteThing", responses=responses), {"Thing": thing()})
    assert schema.bodies == ()


def test_operation_without_id_is_named_by_method_and_path() -> None:
    """Without an operationId, a body is named after its method and path words."""
    paths = {"/v2/things/{id}": {"post": {"requestBody": content(thing())}}}
    schema = load(paths)
    pointer = "/paths/~1v2~1things~1{id}/post/requestBody/content/application~1json/schema"
    assert schema.bodies == (
        Body("PostV2ThingsIdRequestBody", "request", "POST /v2/things/{id}", location=at(pointer)),
    )


@pytest.mark.parametrize(
    ("operation_id", "name"),
    [
        pytest.param("createCompletion", "CreateCompletionRequestBody", id="lower-camel"),
        pytest.param("get_v2_things", "GetV2ThingsRequestBody", id="snake"),
        pytest.param("things.create-one", "ThingsCreateOneRequestBody", id="punctuation"),
    ],
)
def test_operation_id_becomes_pascal_case(operation_id: str, name: str) -> None:
    """An operationId is split on non-alphanumerics and each piece capitalised."""
    schema = load(post_things(operationId=operation_id, requestBody=content(thing())))
    assert [body.model for body in schema.bodies] == [name]


def test_name_clash_gets_the_smallest_free_suffix() -> None:
    """A body name already taken gets the smallest free number, and nothing is overwritten."""
    schemas = {"CreateThingRequestBody": thing(), "CreateThingRequestBody2": thing()}
    paths = {
        "/a": {"post": {"operationId": "createThing", "requestBody": content(thing())}},
        "/b": {"post": {"operationId": "createThing", "requestBody": content({"type": "integer"})}},
    }
    schema = load(paths, schemas)
    assert [body.model for body in schema.bodies] == [
        "CreateThingRequestBody3",
        "CreateThingRequestBody4",
    ]
    assert schema["CreateThingRequestBody"].source == at(
        "/components/schemas/CreateThingRequestBody"
    )
    assert schema["CreateThingRequestBody4"] == Alias(
        "CreateThingRequestBody4",
        INTEGER,
        source=at("/paths/~1b/post/requestBody/content/application~1json/schema"),
    )


def test_inline_bodies_convert_like_component_schemas() -> None:
    """Inline bodies get unions, nullability and recursion like named schemas."""
    pointer = "#/paths/~1v2~1things/post/requestBody/content/application~1json/schema"
    request = {
        "type": ["object", "null"],
        "properties": {"child": {"$ref": pointer}},
    }
    responses = {"200": content({"anyOf": [{"type": "string"}, {"type": "null"}, thing()]})}
    schema = load(
        post_things(operationId="nest", requestBody=content(request), responses=responses)
    )
    assert schema["NestRequestBody"] == Model(
        "NestRequestBody", (Field("child", Ref("NestRequestBody")),), source=at(REQUEST)
    )
    assert schema["NestResponseBody"] == Alias(
        "NestResponseBody",
        Nullable(UnionOf((STRING, Ref("NestResponseBody3")), "anyOf")),
        source=at(response_at("200")),
    )


def test_bodies_are_in_document_order() -> None:
    """Bodies follow the paths, then get/put/post/..., then the request before each response."""
    operation = {"requestBody": content(thing()), "responses": {"200": content(thing())}}
    paths = {"/b": {"post": operation, "get": operation}, "/a": {"delete": operation}}
    schema = load(paths)
    assert [(body.operation, body.direction) for body in schema.bodies] == [
        ("GET /b", "request"),
        ("GET /b", "response"),
        ("POST /b", "request"),
        ("POST /b", "response"),
        ("DELETE /a", "request"),
        ("DELETE /a", "response"),
    ]


def test_paths_only_document_loads() -> None:
    """A document with inline bodies and no components.schemas loads."""
    schema = load(post_things(operationId="createThing", requestBody=content(thing())))
    assert list(schema.definitions) == ["CreateThingRequestBody"]
    assert schema.source == SOURCE


def test_document_with_neither_schemas_nor_json_bodies_is_a_schema_error(tmp_path: Path) -> None:
    """A document with no components.schemas and only non-JSON bodies raises, naming the file."""
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\n"
        "paths:\n"
        "  /upload:\n"
        "    post:\n"
        "      requestBody:\n"
        "        content:\n"
        "          multipart/form-data:\n"
        "            schema: {type: object}\n"
    )
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    assert (caught.value.file, caught.value.pointer) == (str(path), "/components/schemas")
    assert caught.value.message == (
        "the document defines no components.schemas and no JSON body under paths"
    )


def test_yaml_status_codes_are_kept_as_written(tmp_path: Path) -> None:
    """Unquoted YAML status codes (integers to YAML) are recorded as the text written."""
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.3\n"
        "paths:\n"
        "  /things:\n"
        "    get:\n"
        "      operationId: listThings\n"
        "      responses:\n"
        "        200:\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {type: array, items: {type: string}}\n"
    )
    schema = load_openapi(path)
    pointer = "/paths/~1things/get/responses/200/content/application~1json/schema"
    assert schema.bodies == (
        Body(
            "ListThingsResponseBody", "response", "listThings", "200", location=f"{path}#{pointer}"
        ),
    )
    assert schema["ListThingsResponseBody"] == Alias(
        "ListThingsResponseBody", ArrayOf(STRING), source=f"{path}#{pointer}"
    )


def test_broken_operation_is_one_problem_and_others_load() -> None:
    """An operation that is not a mapping, or a $ref that goes nowhere, is one problem each."""
    paths = {
        "/things": {
            "get": "broken",
            "post": {"operationId": "createThing", "requestBody": content(thing())},
            "put": {"requestBody": {"$ref": "#/components/requestBodies/Missing"}},
        },
        "/gone": {"$ref": "#/paths/~1nowhere"},
    }
    schema = load(paths)
    assert [body.model for body in schema.bodies] == ["CreateThingRequestBody"]
    assert schema.problems == (
        Problem(
            at("/paths/~1things/get"),
            "the operation is not a mapping; it is left out",
            "write it as a mapping",
        ),
        Problem(
            at("/paths/~1things/put/requestBody"),
            "$ref '#/components/requestBodies/Missing' does not resolve;"
            " the request body is left out",
            "fix the pointer",
        ),
        Problem(
            at("/paths/~1gone"),
            "$ref '#/paths/~1nowhere' does not resolve; the path item is left out",
            "fix the pointer",
        ),
    )


def test_ref_cycle_between_responses_is_one_problem() -> None:
    """Responses that ``$ref`` each other in a cycle are one problem, not a hang."""
    responses = {
        "A": {"$ref": "#/components/responses/B"},
        "B": {"$ref": "#/components/responses/A"},
    }
    operation = {"operationId": "loop", "responses": {"200": {"$ref": "#/components/responses/A"}}}
    schema = load(post_things(**operation), {"Thing": thing()}, responses=responses)
    assert schema.bodies == ()
    assert schema.problems == (
        Problem(
            at("/components/responses/B"),
            "$ref '#/components/responses/A' cycles back; the response is left out",
            "break the cycle",
        ),
    )


def test_problems_inside_a_body_carry_the_paths_pointer() -> None:
    """What a body's schema cannot express is reported at its pointer under /paths."""
    request = {"type": "object", "properties": {"odd": {"not": {}}, "code": {"pattern": "x"}}}
    schema = load(post_things(operationId="createThing", requestBody=content(request)))
    assert schema.problems == (
        Problem(
            at(f"{REQUEST}/properties/odd"),
            "'not' is not supported; any value is accepted here",
            "describe the shape with type, properties, items or oneOf/anyOf",
        ),
        Problem(
            at(f"{REQUEST}/properties/code"),
            "ignored 'pattern': it only constrains values, not the wire shape",
        ),
    )
    assert schema["CreateThingRequestBody"] == Model(
        "CreateThingRequestBody",
        (Field("odd", AnyValue()), Field("code", AnyValue())),
        source=at(REQUEST),
    )
