"""The Python harness's flavours: Stainless and Fern SDKs read and written with their own functions.

Tiny SDK-shaped packages (``tests/flavour_sdks_python.py``) run through the shipped
``python_harness.py`` behind a ``HarnessTarget``, which checks every answer
against the protocol's schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.exceptions import HarnessError
from conformance.harnesses.python_harness_names import Location, pick, qualify
from conformance.sources.cases import Case, Direction
from conformance.targets.builtin import python_sdk_target
from conformance.targets.discovery import ModelEntry, dropped_models
from conformance.targets.harness import HarnessTarget
from tests.flavour_sdks_python import write_fern_sdk, write_stainless_sdk
from tests.tiny_sdks import SDK_PYTHON, require_pydantic, write_pydantic_sdk

Make = Callable[..., HarnessTarget]


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Make]:
    """Build a target over a tiny SDK written into ``tmp_path`` (closed after the test)."""
    require_pydantic()
    made: list[HarnessTarget] = []

    def build(package: str, flavor: str | None, **written: Any) -> HarnessTarget:
        folder = tmp_path / f"sdk{len(made)}"
        if package == "stainy":
            write_stainless_sdk(folder, **written)
            modules = ["stainy.types", "stainy.types.**"]  # as found for a Stainless SDK
        elif package == "ferny":
            write_fern_sdk(folder, **written)
            modules = ["ferny.types"]
        else:
            write_pydantic_sdk(folder)
            modules = ["vendor.client.models"]
        target = python_sdk_target(
            "sdk",
            str(SDK_PYTHON),
            modules,
            package,
            options={"flavor": flavor} if flavor else None,
            env={"PYTHONPATH": str(folder)},
            start_timeout=60.0,
        )
        made.append(target)
        return target

    yield build
    for target in made:
        target.close()


def run(target: HarnessTarget, model: str, direction: Direction, text: str) -> Outcome:
    """One case whose wire text is ``text``."""
    case = Case(f"{model}-{direction}", model, direction, jsonwire.loads(text), wire_text=text)
    return target.run(case)


def details(target: HarnessTarget) -> dict[str, Any]:
    return dict(target.start().details)


# -- Stainless -------------------------------------------------------------------


def test_stainless_names_its_own_functions_and_validates_in_neither_direction(
    make: Make,
) -> None:
    """The start details name construct_type, to_json, maybe_transform and openapi_dumps."""
    found = details(make("stainy", "stainless"))
    assert {key: found[key] for key in found if key not in ("python", "pydantic")} == {
        "flavor": "stainless",
        "response_reader": "httpx.Response.json + stainy._models.construct_type",
        "response_writer": "model.to_json(indent=None)",
        "request_reader": "the params dict as given (a TypedDict is not checked at run time)",
        "request_writer": "stainy._utils.maybe_transform + stainy._utils._json.openapi_dumps",
        "response_validates": False,
        "request_validates": False,
        "params_sent": "json 4, multipart 1, query 1 (maybe_transform calls in 1 modules)",
        "startup_seconds": found["startup_seconds"],
    }


def test_stainless_accepts_an_invalid_response_as_its_construct_type_builds_it(
    make: Make,
) -> None:
    """A wrong type and an unknown key are kept: native by attribute, written by alias."""
    outcome = run(make("stainy", "stainless"), "Pet", "response", '{"name":5,"petTag":"t","x":1}')
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"name": 5, "tag": "t", "x": 1},
        '{"name":5,"petTag":"t","x":1}',
    )


def test_stainless_writes_a_response_without_the_fields_the_payload_left_out(
    make: Make,
) -> None:
    """``to_json`` leaves out unset fields: the optional tag is not written as null."""
    outcome = run(make("stainy", "stainless"), "Pet", "response", '{"name":"Rex"}')
    assert (outcome.native, outcome.text) == ({"name": "Rex"}, '{"name":"Rex"}')


def test_stainless_sends_params_through_maybe_transform_and_its_own_dumps(make: Make) -> None:
    """The params dict is the native view; the wire is what openapi_dumps wrote (its ", ")."""
    outcome = run(make("stainy", "stainless"), "PetParams", "request", '{"name":"Rex","age":"old"}')
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"name": "Rex", "age": "old"},
        '{"name":"Rex", "age":"old"}',
    )


def test_stainless_without_openapi_dumps_sends_params_as_httpx_json(make: Make) -> None:
    """An older generator hands the body to httpx's ``json=``, which writes no spaces."""
    target = make("stainy", "stainless", dumps=False)
    outcome = run(target, "PetParams", "request", '{"name":"Rex"}')
    assert outcome.text == '{"name":"Rex"}'
    assert details(target)["request_writer"] == (
        "stainy._utils.maybe_transform + httpx.Request(json=...)"
    )


@pytest.mark.parametrize(
    ("model", "text", "renamed"),
    [
        ("PetRenamedParams", '{"petName":"Rex"}', "PetRenamedParams['name'] is sent as 'petName'"),
        ("OwnerParams", '{"pets":[{"petName":"Rex"}]}', "PetRenamedParams['name']"),
        ("PetCreateParams", '{"name":"Rex","petTag":"t"}', "PetCreateParamsNonStreaming['tag']"),
    ],
    ids=["own-key", "reached-params", "union"],
)
def test_stainless_a_payload_holding_a_renamed_key_is_skipped(
    make: Make, model: str, text: str, renamed: str
) -> None:
    """A payload holding a key's wire name where the user writes another key is skipped."""
    outcome = run(make("stainy", "stainless"), model, "request", text)
    assert outcome.state == "skipped"
    assert outcome.error.startswith(renamed)


@pytest.mark.parametrize(
    ("model", "text"),
    [
        ("PetCreateParamsNonStreaming", '{"name":"Rex"}'),
        ("OwnerParams", '{"pets":[{}]}'),
    ],
    ids=["own-key", "reached-params"],
)
def test_stainless_params_with_a_renamed_key_run_payloads_without_it(
    make: Make, model: str, text: str
) -> None:
    """A renamed key the payload does not hold does not skip the case: it runs."""
    outcome = run(make("stainy", "stainless"), model, "request", text)
    assert (outcome.state, outcome.wire) == ("accepted", jsonwire.loads(text))


def test_stainless_leaves_a_header_param_out_of_the_json_body(make: Make) -> None:
    """``betas`` is sent as a header by ``create``: the body has the method's keys only, in its
    order, then a key the params type does not know (as ``extra_body`` sends it)."""
    text = '{"color":"red","stream":false,"betas":["b1"],"name":"Rex"}'
    outcome = run(make("stainy", "stainless"), "PetCreateParamsNonStreaming", "request", text)
    assert (outcome.native, outcome.text) == (
        {"color": "red", "stream": False, "betas": ["b1"], "name": "Rex"},
        '{"name":"Rex", "stream":false, "color":"red"}',
    )


def test_stainless_sends_a_union_of_params_through_maybe_transform(make: Make) -> None:
    """A union of params types is a request model, written as its members would be."""
    text = '{"name":"Rex","stream":true,"betas":["b1"]}'
    outcome = run(make("stainy", "stainless"), "PetCreateParams", "request", text)
    assert (outcome.state, outcome.text) == ("accepted", '{"name":"Rex", "stream":true}')


@pytest.mark.parametrize(
    ("model", "direction"), [("Pet", "request"), ("PetParams", "response")], ids=str
)
def test_stainless_runs_models_only_in_their_direction(
    make: Make, model: str, direction: Direction
) -> None:
    """A response model is no request, and params are no response: both are skipped."""
    assert run(make("stainy", "stainless"), model, direction, "{}").state == "skipped"


def test_stainless_lists_json_bodies_with_their_body_keys_and_twins_by_module(
    make: Make,
) -> None:
    """Params a method sends as JSON are requests keyed by what their body holds; a union of
    them is a request union; two classes of one name are each listed under their module."""
    assert sorted(make("stainy", "stainless").list_model_entries(), key=str) == sorted(
        [
            ModelEntry("OwnerParams", ("request",), "object", keys=("pets",)),
            ModelEntry("Pet", ("response",), "object", keys=("name", "petTag")),
            ModelEntry("PetCreateParams", ("request",), "union"),
            ModelEntry(
                "PetCreateParamsNonStreaming",
                ("request",),
                "object",
                keys=("name", "petTag", "stream"),
            ),
            ModelEntry(
                "PetCreateParamsStreaming",
                ("request",),
                "object",
                keys=("name", "petTag", "stream"),
            ),
            ModelEntry("PetParams", ("request",), "object", keys=("name", "age", "tags")),
            ModelEntry("PetRenamedParams", ("request",), "object", keys=("petName",)),
            ModelEntry("shared.Tag", ("response",), "object", keys=("label",)),
            ModelEntry("shared_params.Tag", ("request",), "object", keys=("label",)),
        ],
        key=str,
    )


def test_stainless_drops_params_no_method_sends_as_json_saying_how_they_are_sent(
    make: Make,
) -> None:
    """Query-only, multipart-only and never-sent params are dropped, each with its reason."""
    answer = make("stainy", "stainless").export_schemas()
    reasons = {each.name: each.reason for each in dropped_models(answer)}
    assert reasons == {
        "PetListParams": "the SDK's methods send it only as query parameters"
        " (resources/pets.py:list), never as a JSON body",
        "PetUploadParams": "the SDK's methods send it only as a multipart/form-data body"
        " (resources/pets.py:upload), never as a JSON body",
        "PetCreateParamsBase": "no method of the SDK sends it in a JSON body, nor does a JSON"
        " body hold it (read from stainy's maybe_transform calls)",
    }


def test_stainless_without_maybe_transform_calls_takes_every_params_type_whole(
    make: Make,
) -> None:
    """With no module calling maybe_transform, every TypedDict is a body, with a warning."""
    target = make("stainy", "stainless", resources=False)
    entries = {entry.name: entry for entry in target.list_model_entries()}
    assert entries["PetCreateParamsBase"].keys == ("name", "petTag", "stainy-beta")
    assert "PetListParams" in entries
    assert target.start_warnings == (
        "no module of stainy has maybe_transform calls, so how its methods send each params type"
        " is unknown: every TypedDict is taken as a JSON body, with all its keys",
    )


@pytest.mark.parametrize(
    ("model", "direction", "text"),
    [("shared.Tag", "response", '{"label":"x"}'), ("shared_params.Tag", "request", "{}")],
    ids=["response-model", "params"],
)
def test_stainless_runs_each_class_of_a_shared_name_by_its_qualified_name(
    make: Make, model: str, direction: Direction, text: str
) -> None:
    """``shared.Tag`` is the response model and ``shared_params.Tag`` the params type."""
    outcome = run(make("stainy", "stainless"), model, direction, text)
    assert (outcome.state, outcome.wire) == ("accepted", jsonwire.loads(text))


def test_a_shared_name_without_its_module_is_skipped_as_ambiguous(make: Make) -> None:
    """The plain name of two classes names neither: the case is skipped, saying which exist."""
    outcome = run(make("stainy", "stainless"), "Tag", "response", '{"label":"x"}')
    assert (outcome.state, outcome.error) == (
        "skipped",
        "model Tag is ambiguous: 2 distinct classes are named Tag, listed as shared.Tag,"
        " shared_params.Tag",
    )


def test_stainless_null_response_body_is_read_but_not_written(make: Make) -> None:
    """A ``null`` body is None to the SDK, which has no writer for it: ``written`` is false."""
    outcome = run(make("stainy", "stainless"), "Pet", "response", "null")
    assert (outcome.state, outcome.native, outcome.written) == ("accepted", None, False)


# -- Fern ------------------------------------------------------------------------


def test_fern_with_construct_type_clients_does_not_validate_responses(make: Make) -> None:
    """Clients that call construct_type: responses are not validated, requests are."""
    found = details(make("ferny", "fern"))
    assert (found["flavor"], found["response_validates"], found["request_validates"]) == (
        "fern",
        False,
        True,
    )
    assert found["response_reader"] == (
        "httpx.Response.json + ferny.core.unchecked_base_model.construct_type"
    )
    assert found["request_writer"] == (
        "ferny.core.serialization.convert_and_respect_annotation_metadata"
        " + ferny.core.jsonable_encoder.jsonable_encoder + httpx.Request(json=...)"
    )


def test_fern_accepts_an_invalid_response_and_writes_it_with_jsonable_encoder(
    make: Make,
) -> None:
    """A wrong type is kept; the writer leaves the unset ``age`` out and keys by alias."""
    outcome = run(make("ferny", "fern"), "Pet", "response", '{"petName":7}')
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"pet_name": 7},
        '{"petName":7}',
    )


def test_fern_rejects_an_invalid_request_where_parse_obj_as_says(make: Make) -> None:
    """A request is built with parse_obj_as, which validates: the error names the wire key."""
    outcome = run(make("ferny", "fern"), "Pet", "request", '{"petName":7}')
    assert (outcome.state, outcome.error_path) == ("rejected", ("petName",))


def test_fern_with_parse_obj_as_clients_validates_responses(make: Make) -> None:
    """Clients that call parse_obj_as on responses: an invalid response is rejected."""
    target = make("ferny", "fern", validating=True)
    assert details(target)["response_validates"] is True
    outcome = run(target, "Pet", "response", '{"petName":7}')
    assert (outcome.state, outcome.error_path) == ("rejected", ("petName",))


def test_fern_lists_its_models_in_both_directions_by_alias(make: Make) -> None:
    """Fern's pydantic models and unions of them run both ways, keyed by their aliases."""
    assert sorted(make("ferny", "fern").list_model_entries(), key=str) == [
        ModelEntry("Animal", ("request", "response"), "union"),
        ModelEntry("Cat", ("request", "response"), "object", keys=("catName",)),
        ModelEntry("Pet", ("request", "response"), "object", keys=("petName", "age")),
    ]


@pytest.mark.parametrize("direction", ["response", "request"])
def test_fern_reads_and_writes_a_union_with_its_own_functions(
    make: Make, direction: Direction
) -> None:
    """A union goes through construct_type or parse_obj_as whole: the member is the SDK's pick."""
    outcome = run(make("ferny", "fern"), "Animal", direction, '{"catName":"Tom"}')
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"cat_name": "Tom"},
        '{"catName":"Tom"}',
    )


def test_fern_keeps_what_pydantic_warns_of_while_writing(make: Make) -> None:
    """A wrong type the lenient reader let in is written, with pydantic's warning kept."""
    outcome = run(make("ferny", "fern"), "Pet", "response", '{"petName":"Rex","age":"old"}')
    assert (outcome.state, outcome.text) == ("accepted", '{"petName":"Rex","age":"old"}')
    assert len(outcome.warnings) == 1
    assert outcome.warnings[0].startswith("while writing: UserWarning: Pydantic serializer")


@pytest.mark.parametrize(("package", "flavor"), [("ferny", "fern"), ("stainy", "stainless")])
def test_a_response_with_a_lone_surrogate_is_skipped(make: Make, package: str, flavor: str) -> None:
    """No UTF-8 body carries a raw lone surrogate, so an httpx-reading SDK never sees one."""
    outcome = run(make(package, flavor), "Pet", "response", '{"petName":"\ud800"}')
    assert outcome.state == "skipped"
    assert outcome.error.startswith("the wire text holds a lone surrogate")


# -- declared and absent flavours ------------------------------------------------


@pytest.mark.parametrize(
    ("package", "flavor", "needs"),
    [
        ("ferny", "stainless", "ferny._models"),
        ("stainy", "fern", "stainy.core.pydantic_utilities"),
        ("ferny", "speakeasy", "ferny.utils"),
    ],
    ids=["stainless", "fern", "speakeasy"],
)
def test_a_declared_flavour_missing_from_the_package_is_a_start_error(
    make: Make, package: str, flavor: str, needs: str
) -> None:
    """Declaring a generator whose modules are not there names them, instead of falling back."""
    with pytest.raises(HarnessError) as caught:
        make(package, flavor).start()
    assert f'flavor "{flavor}" needs {needs}' in str(caught.value)


def test_the_pydantic_flavour_ignores_the_sdk_s_utils(make: Make) -> None:
    """Declared ``pydantic``: plain pydantic writes the unset nickname that marshal_json drops."""
    target = make("vendor.client", "pydantic")
    outcome = run(target, "Pet", "response", '{"pet_name":"Rex"}')
    assert outcome.text == '{"pet_name":"Rex","nickname":null}'
    assert (target.start_warnings, details(target)["response_writer"]) == (
        (),
        "model.model_dump_json(by_alias=True)",
    )


@pytest.mark.parametrize("flavor", [None, "speakeasy"], ids=["absent", "speakeasy"])
def test_speakeasy_reads_with_its_utils_and_validates_both_ways(
    make: Make, flavor: str | None
) -> None:
    """Without a flavour, a package with ``utils`` runs as before, now said to be speakeasy."""
    target = make("vendor.client", flavor)
    outcome = run(target, "Pet", "response", '{"pet_name":"Rex"}')
    found = details(target)
    assert outcome.text == '{"pet_name": "Rex"}'
    assert (found["flavor"], found["response_validates"], found["request_validates"]) == (
        "speakeasy",
        True,
        True,
    )
    assert found["response_writer"] == "vendor.client.utils.marshal_json"


# -- names of classes that share one ----------------------------------------------


def test_twins_are_qualified_by_the_shortest_module_suffix_no_other_twin_has() -> None:
    """``completion_create_params`` ends both modules, so each twin takes one more segment."""
    locations: list[Location] = [
        ("A", ["openai.types.completion_create_params"]),
        ("B", ["openai.types.chat.completion_create_params"]),
    ]
    assert qualify("Base", locations) == [
        "types.completion_create_params.Base",
        "chat.completion_create_params.Base",
    ]


def test_a_twin_re_exported_by_a_package_is_qualified_by_that_package() -> None:
    """One segment is enough where a package that re-exports the class names it alone."""
    locations: list[Location] = [
        ("A", ["openai.types", "openai.types.completion_create_params"]),
        ("B", ["openai.types.chat", "openai.types.chat.completion_create_params"]),
    ]
    assert qualify("Params", locations) == ["types.Params", "chat.Params"]


def test_a_name_bound_to_one_class_stays_plain_wherever_it_is_re_exported() -> None:
    """One class in several modules is one model, under its own name."""
    assert qualify("Pet", [("A", ["pkg.types", "pkg.types.pet"])]) == ["Pet"]


@pytest.mark.parametrize(
    ("name", "found"),
    [("chat.Params", "B"), ("chat.completion_create_params.Params", "B"), ("Params", None)],
    ids=["listed", "longer-suffix", "plain"],
)
def test_a_qualified_name_finds_the_one_twin_it_names(name: str, found: str | None) -> None:
    """The listed name or any longer suffix finds its twin; the plain name finds neither."""
    locations: list[Location] = [
        ("A", ["openai.types", "openai.types.completion_create_params"]),
        ("B", ["openai.types.chat", "openai.types.chat.completion_create_params"]),
    ]
    assert pick(name, locations)[0] == found


# -- Stainless, newer generation (body literals, prepare_request_data) -------------------


def test_stainless_prepare_generation_names_serialize_data_and_its_literals(make: Make) -> None:
    """Without maybe_transform the details name serialize_data and the paired body literals."""
    found = details(make("stainy", "stainless", generation="prepare"))
    assert found["request_writer"] == 'stainy._utils._prepare.serialize_data(location="body")'
    assert found["params_sent"] == (
        "json 2, multipart 1, query 1"
        " (body/query literals paired with types/*_params.py by keys in 1 modules)"
    )


def test_stainless_prepare_generation_writes_the_body_literal_with_serialize_data(
    make: Make,
) -> None:
    """The wire is serialize_data's text (its ",  "), without the header key, keys not renamed."""
    target = make("stainy", "stainless", generation="prepare")
    text = '{"tag":"t","betas":["b"],"name":"Rex"}'
    outcome = run(target, "PetCreateParamsNonStreaming", "request", text)
    assert (outcome.state, outcome.text) == ("accepted", '{"name": "Rex",  "tag": "t"}')
    entries = {entry.name: entry for entry in target.list_model_entries()}
    assert entries["PetCreateParamsNonStreaming"].keys == ("name", "tag", "stream")


def test_stainless_prepare_generation_drops_params_sent_only_in_the_query(make: Make) -> None:
    """A params type whose literal goes to ``query=`` is no JSON body: its cases skip."""
    target = make("stainy", "stainless", generation="prepare")
    outcome = run(target, "PetListParams", "request", '{"after":"x"}')
    assert outcome.state == "skipped"
    assert "query parameters" in str(outcome.error)


def test_stainless_without_a_request_writer_starts_and_skips_only_requests(make: Make) -> None:
    """No maybe_transform and no prepare_request_data: responses run, requests skip saying why."""
    target = make("stainy", "stainless", generation="none")
    assert details(target)["request_writer"].startswith("none: ")
    request = run(target, "PetParams", "request", '{"name":"Rex"}')
    assert request.state == "skipped"
    assert "no request writer found" in str(request.error)
    response = run(target, "Pet", "response", '{"name":"Rex"}')
    assert (response.state, response.text) == ("accepted", '{"name":"Rex"}')


def test_stainless_params_are_exported_with_their_body_keys_only(make: Make) -> None:
    """The export (the oracle without a spec) leaves out what ``create`` sends as a header:
    ``betas`` is no wire key of the body, so no run reads it as one the SDK drops."""
    target = make("stainy", "stainless")
    target.start()
    exported = target.export_schemas(["PetCreateParamsNonStreaming"])
    schema = exported["schemas"]["$defs"]  # type: ignore[call-overload,index]
    definition = schema["PetCreateParamsNonStreaming"]
    if "$ref" in definition:
        definition = schema[definition["$ref"].removeprefix("#/$defs/")]
    assert "betas" not in definition["properties"]
    assert {"name", "stream"} <= set(definition["properties"])


# -- a writer stricter than its reader ---------------------------------------------

TALLY = """\
import pydantic


class Tally(pydantic.BaseModel):
    total: float

    @pydantic.field_serializer("total")
    def _whole(self, value: float) -> int:
        if value != int(value):
            raise ValueError("total must be a whole number to be sent")
        return int(value)
"""


@pytest.mark.parametrize("direction", ["response", "request"])
def test_a_payload_read_but_not_writable_is_unwritten_for_a_response_only(
    tmp_path: Path, direction: Direction
) -> None:
    """A response the SDK read is its user's even when it cannot be written back (accepted,
    not written, with a warning); a request it cannot write is one it cannot send."""
    require_pydantic()
    folder = write_pydantic_sdk(tmp_path)
    (folder / "vendor" / "client" / "models" / "tally.py").write_text(TALLY, encoding="utf-8")
    target = python_sdk_target(
        "sdk",
        str(SDK_PYTHON),
        ["vendor.client.models"],
        "vendor.client",
        env={"PYTHONPATH": str(folder)},
        start_timeout=60.0,
    )
    try:
        outcome = run(target, "Tally", direction, '{"total": 1.5}')
        whole = run(target, "Tally", direction, '{"total": 2.0}')
    finally:
        target.close()
    assert (whole.state, whole.wire) == ("accepted", {"total": 2})
    if direction == "request":
        assert outcome.state == "rejected"
        assert "could not write it back" in (outcome.error or "")
        return
    assert (outcome.state, outcome.written, outcome.native) == ("accepted", False, {"total": 1.5})
    [warning] = outcome.warnings
    assert warning.startswith("the SDK read the response but could not write it back: ")
    assert "whole number" in warning
