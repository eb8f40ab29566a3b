"""The Fern and Stainless parts of the Python reproducer (``python_script``): how each
generator's SDK reads a payload and writes it back, as its harness does
(``python_harness_fern.py``, ``python_harness_stainless.py``).

* Fern: a response is ``httpx.Response.json()`` then ``core.unchecked_base_model.
  construct_type(type_=X, object_=...)`` (or ``core.pydantic_utilities.parse_obj_as``
  where its clients read with that: ``READER``); a request ``parse_obj_as(X, dict)``;
  written with ``core.serialization.convert_and_respect_annotation_metadata`` and
  ``core.jsonable_encoder.jsonable_encoder`` into ``httpx.Request(json=...)``.
* Stainless: a response is ``_models.construct_type(type_=X, value=...)`` written with
  ``to_json(indent=None)`` (none where it built no model); request params are the dict
  itself, sent as ``_utils.maybe_transform(params, X)`` through ``openapi_dumps`` (newer
  generations: ``_utils._prepare.serialize_data(params, location="body")``).

Without httpx in the SDK's environment the standard ``json`` module stands in, as in the
harness.
"""

from __future__ import annotations

__all__ = ["FLAVOUR_FUNCTIONS"]

FLAVOUR_FUNCTIONS = r'''
def httpx_or_none():
    try:
        return importlib.import_module("httpx")
    except ImportError:
        return None


def http_json(text):
    """A response body as the SDK's HTTP client (httpx) reads it: ``response.json()``."""
    httpx = httpx_or_none()
    if httpx is None:
        return json.loads(text)
    headers = {"content-type": "application/json"}
    return httpx.Response(200, content=text.encode("utf-8"), headers=headers).json()


def http_body(value):
    """The body httpx sends for ``json=value``, as text."""
    httpx = httpx_or_none()
    if httpx is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    request = httpx.Request("POST", "http://reproducer.invalid/", json=value)
    return bytes(request.content).decode("utf-8")


def fern_routes(cls):
    """(read, write) as a Fern SDK's generated client calls them."""
    core = PACKAGE + ".core"
    parse_obj_as = load(core + ".pydantic_utilities").parse_obj_as
    jsonable_encoder = load(core + ".jsonable_encoder").jsonable_encoder
    try:
        convert = load(core + ".serialization").convert_and_respect_annotation_metadata
    except (ScriptError, AttributeError):
        convert = None

    def read(text):
        if DIRECTION == "request":
            return parse_obj_as(cls, json.loads(text))
        if READER == "parse_obj_as":
            return parse_obj_as(cls, http_json(text))
        construct_type = load(core + ".unchecked_base_model").construct_type
        return construct_type(type_=cls, object_=http_json(text))

    def write(obj):
        if convert is not None:
            obj = convert(object_=obj, annotation=cls, direction="write")
        body = jsonable_encoder(obj)
        return None if body is None else http_body(body)

    return read, write


def body_type(cls):
    """The response type as a Stainless client passes it on: no alias, no Annotated."""
    if type(cls).__name__ == "TypeAliasType":
        cls = cls.__value__
    if typing.get_origin(cls) is typing.Annotated:
        cls = typing.get_args(cls)[0]
    return cls


def stainless_routes(cls):
    """(read, write) as a Stainless SDK does: a response through ``construct_type`` and
    ``to_json``; request params (a plain dict) through ``maybe_transform`` and the
    client's JSON encoder."""
    models = load(PACKAGE + "._models")
    # Older generations transform params with maybe_transform; newer ones send the body
    # dict as it is, prepared by _utils._prepare (serialize_data: the JSON text sent).
    maybe_transform = getattr(load(PACKAGE + "._utils"), "maybe_transform", None)
    serialize_data = None
    if maybe_transform is None:
        serialize_data = load(PACKAGE + "._utils._prepare").serialize_data
    try:
        openapi_dumps = load(PACKAGE + "._utils._json").openapi_dumps
    except (ScriptError, AttributeError):
        openapi_dumps = None

    def read(text):
        if DIRECTION == "request":
            return json.loads(text)
        data = http_json(text)
        return None if data is None else models.construct_type(type_=body_type(cls), value=data)

    def write(obj):
        if DIRECTION == "response":
            # A response that is no model (a list, a failed union) has no writer.
            return obj.to_json(indent=None) if isinstance(obj, models.BaseModel) else None
        if serialize_data is not None:
            return serialize_data(obj, location="body")
        body = maybe_transform(obj, cls)
        if body is None:
            return None
        return bytes(openapi_dumps(body)).decode("utf-8") if openapi_dumps else http_body(body)

    return read, write
'''
