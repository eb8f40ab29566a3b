"""The Node harness's flavours: Fern's serializers and Stainless's declarations.

Each test runs the shipped ``node_harness.mjs`` (through ``node_sdk_target`` with the
``flavor`` start option and no modules) over a tiny SDK-shaped package from
``tests/flavour_sdks_node.py``, whose planted behaviours (a body writer that indents,
a reader that answers an object for text that is not JSON, a visible ``_request_id``)
show whether the harness went through the SDK's own code or stood in for it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.core.jsonwire import JsonValue
from conformance.exceptions import HarnessError
from conformance.sources.cases import Case, Direction
from conformance.targets.builtin import node_sdk_target
from conformance.targets.discovery import ModelEntry
from conformance.targets.harness import HarnessTarget
from tests.flavour_sdks_node import (
    FERN_READ,
    write_fern_plain_sdk,
    write_fern_sdk,
    write_stainless_core_sdk,
    write_stainless_sdk,
)
from tests.tiny_sdks import require, require_zod, write_zod_sdk

pytestmark = pytest.mark.node


def _target(root: Path, package: str, flavor: str) -> HarnessTarget:
    require(shutil.which("node") is not None, "Node.js")
    return node_sdk_target(f"{flavor}-node", str(root), [], package, options={"flavor": flavor})


def _case(model: str, direction: Direction, text: str) -> Case:
    return Case(f"{model}-{direction}", model, direction, None, wire_text=text)


@pytest.fixture
def fern(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started target over ``@tiny/fern``."""
    with _target(write_fern_sdk(tmp_path), "@tiny/fern", "fern") as target:
        target.start()
        yield target


@pytest.fixture
def fern_plain(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started target over ``@tiny/fern-plain`` (the newer Fern generation)."""
    with _target(write_fern_plain_sdk(tmp_path), "@tiny/fern-plain", "fern") as target:
        target.start()
        yield target


@pytest.fixture
def stainless(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started target over ``tiny-stainless``."""
    with _target(write_stainless_sdk(tmp_path), "tiny-stainless", "stainless") as target:
        target.start()
        yield target


@pytest.fixture
def stainless_core(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started target over ``tiny-stainless-core`` (the older core.js + _shims/ layout)."""
    with _target(write_stainless_core_sdk(tmp_path), "tiny-stainless-core", "stainless") as target:
        target.start()
        yield target


def _details(target: HarnessTarget) -> dict[str, JsonValue]:
    implementation = target.implementation
    assert implementation is not None
    return implementation.details


# -- Fern ------------------------------------------------------------------------------


def test_fern_takes_the_options_most_call_sites_of_its_client_pass(fern: HarnessTarget) -> None:
    """Reading uses the parseOrThrow options two of three call sites pass, and says so."""
    details = _details(fern)
    read = (
        '{"unrecognizedObjectKeys":"passthrough","allowUnrecognizedEnumValues":true,'
        '"skipValidation":true,"breadcrumbsPrefix":["response"]}'
    )
    write = '{"unrecognizedObjectKeys":"strip","allowUnrecognizedEnumValues":true}'
    assert details["flavor"] == "fern"
    assert details["response_reader"] == (
        "@tiny/fern/core/fetcher/getResponseBody.js getResponseBody(new Response(text, 200,"
        f" application/json), undefined), then X.parseOrThrow(body, {read})"
    )
    assert details["request_writer"] == (
        f"X.jsonOrThrow(native, {write}), then @tiny/fern/core/fetcher/getRequestBody.js"
        ' getRequestBody({body, type: "json"})'
    )
    assert details["read_option_sites"] == "2 of 3 .parseOrThrow( call sites"
    assert details["read_options_disagree"] == (
        "the most common options were taken; other call sites pass:"
        ' {"unrecognizedObjectKeys":"strip"} (1)'
    )
    assert (details["response_validates"], details["request_validates"]) == (False, True)


def test_fern_validates_flags_follow_the_skip_validation_option(tmp_path: Path) -> None:
    """Reading without skipValidation validates responses; writing with it validates no request."""
    read = FERN_READ.replace(" skipValidation: true,", "")
    write = '{ unrecognizedObjectKeys: "strip", skipValidation: true }'
    with _target(write_fern_sdk(tmp_path, read=read, write=write), "@tiny/fern", "fern") as target:
        target.start()
        details = _details(target)
        assert (details["response_validates"], details["request_validates"]) == (True, False)


def test_fern_lists_its_serializers_with_their_wire_keys(fern: HarnessTarget) -> None:
    """Each serializer is listed once, in name order; a namespace's own one by its dotted path."""
    both = ("request", "response")
    assert fern.list_model_entries() == [
        ModelEntry("Collar", both, "object", keys=("colour", "size")),
        ModelEntry("Owner", both, "object", keys=("owner_id", "pets")),
        ModelEntry("Pet", both, "object", keys=("pet_name", "age", "kind", "tags")),
        ModelEntry("PetBorn", both, "object", keys=("pet_name", "event_type", "kind")),
        ModelEntry("PetEvent", both, "union"),
        ModelEntry("PetSold", both, "object", keys=("price", "event_type")),
        ModelEntry("Shape", both, "union"),
        ModelEntry("Tag", both, "object", keys=("label",)),
        ModelEntry("admin.Pet", both, "object", keys=("badge",)),
    ]


def test_fern_reads_a_response_with_its_options_and_writes_it_with_its_writer(
    fern: HarnessTarget,
) -> None:
    """An extra key passes the read and stays on the write, which the SDK's writer indents:
    the SDK never writes a response, so its write back takes the read's leniency."""
    outcome = fern.run(_case("Pet", "response", '{"pet_name": "Rex", "kind": "bird", "zz": 1}'))
    assert (outcome.state, outcome.native) == (
        "accepted",
        {"petName": "Rex", "kind": "bird", "zz": 1},
    )
    assert outcome.text == '{\n "pet_name": "Rex",\n "kind": "bird",\n "zz": 1\n}'


def test_fern_response_writer_is_the_request_writer_with_the_read_s_leniency(
    fern: HarnessTarget,
) -> None:
    """The details name the options a response is written back with: the request writer's
    (its breadcrumbs too) with the reader's unknown keys, enum values and validation."""
    written = (
        '{"unrecognizedObjectKeys":"passthrough","allowUnrecognizedEnumValues":true,'
        '"skipValidation":true}'
    )
    assert _details(fern)["response_writer"] == (
        f"X.jsonOrThrow(native, {written}), then @tiny/fern/core/fetcher/getRequestBody.js"
        ' getRequestBody({body, type: "json"})'
    )


def test_fern_lenient_reader_writes_back_what_it_read(fern: HarnessTarget) -> None:
    """A wrong value read with skipValidation (the payload as it came, as Fern's schemas give
    it) is written back as read: that is what the user holds."""
    outcome = fern.run(_case("Pet", "response", '{"pet_name": "Rex", "age": "old"}'))
    assert (outcome.state, outcome.written, outcome.native) == (
        "accepted",
        True,
        {"pet_name": "Rex", "age": "old"},
    )
    assert outcome.text == '{\n "pet_name": "Rex",\n "age": "old"\n}'


def test_fern_request_whose_null_its_reader_drops_is_skipped(fern: HarnessTarget) -> None:
    """A request's null that the SDK's reading makes undefined (an optional without null) is
    in no object a user gives the SDK: skipped; the same payload as a response is read."""
    text = '{"colour": null, "size": 2}'
    outcome = fern.run(_case("Collar", "request", text))
    assert outcome.state == "skipped"
    assert "turns a null of the payload into undefined" in outcome.error
    assert fern.run(_case("Collar", "request", '{"colour": "red", "size": 2}')).accepted
    read = fern.run(_case("Collar", "response", text))
    assert (read.state, read.native) == ("accepted", {"size": 2})


def test_a_request_number_javascript_cannot_hold_is_skipped_and_a_response_is_read(
    fern: HarnessTarget,
) -> None:
    """2^53 + 1 in a request is rounded by JSON.parse before the SDK is called: skipped,
    saying so; in a response the SDK's own reader rounds it, which is judged."""
    text = '{"pet_name": "Rex", "age": 9007199254740993}'
    request = fern.run(_case("Pet", "request", text))
    assert request.state == "skipped"
    assert "9007199254740993 at $.age is read by javascript's JSON parser" in request.error
    response = fern.run(_case("Pet", "response", text))
    assert (response.state, response.native) == (
        "accepted",
        {"petName": "Rex", "age": 9007199254740992},
    )


def test_fern_request_with_a_wrong_value_is_still_refused_by_its_writer(
    fern: HarnessTarget,
) -> None:
    """A request is read and written with the writer's own options: a wrong value is refused."""
    outcome = fern.run(_case("Pet", "request", '{"pet_name": "Rex", "age": "old"}'))
    assert outcome.state == "rejected"


def test_fern_response_text_that_is_not_json_is_what_its_body_reader_makes(
    fern: HarnessTarget,
) -> None:
    """The SDK's body reader turns non-JSON text into an object, which its lenient parse accepts."""
    outcome = fern.run(_case("Owner", "response", "not json"))
    assert (outcome.state, outcome.native) == (
        "accepted",
        {"ok": False, "error": {"reason": "non-json", "rawBody": "not json"}},
    )


def test_fern_request_rejection_is_placed_in_wire_keys(fern: HarnessTarget) -> None:
    """A request is read with the (validating) write options; the error's path is in wire keys."""
    outcome = fern.run(_case("Pet", "request", '{"pet_name": "Rex", "tags": [{"label": 5}]}'))
    assert (outcome.state, outcome.error_path) == ("rejected", ("tags", 0, "label"))
    assert outcome.error == "ParseError: tags -> [0] -> label: Expected string."


def test_fern_request_is_written_with_the_write_options(fern: HarnessTarget) -> None:
    """The strip option of the SDK's request calls drops an unknown key from the request body."""
    outcome = fern.run(_case("admin.Pet", "request", '{"badge": "b", "zz": 1}'))
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"badge": "b"},
        '{\n "badge": "b"\n}',
    )


def test_fern_reads_a_union_member_through_the_union_its_discriminant_names(
    fern: HarnessTarget,
) -> None:
    """A member payload with its union's discriminant value gets the parsed discriminant name."""
    outcome = fern.run(
        _case("PetBorn", "response", '{"event_type": "pet-born", "pet_name": "Rex", "zz": 1}')
    )
    assert (outcome.state, outcome.native) == (
        "accepted",
        {"eventType": "pet-born", "petName": "Rex", "zz": 1},
    )
    assert outcome.text == '{\n "event_type": "pet-born",\n "pet_name": "Rex",\n "zz": 1\n}'


def test_fern_finds_union_members_by_what_the_union_calls_not_by_name(
    fern: HarnessTarget,
) -> None:
    """PetSold, named Sold in its union's literal, is still read through the union."""
    outcome = fern.run(_case("PetSold", "response", '{"event_type": "pet-sold", "price": 3}'))
    assert outcome.native == {"eventType": "pet-sold", "price": 3}


def test_fern_member_payload_without_a_known_discriminant_value_is_read_alone(
    fern: HarnessTarget,
) -> None:
    """No discriminant, or a value no union knows, leaves the key to the member's own schema."""
    unknown = fern.run(_case("PetBorn", "response", '{"event_type": "pet-lost", "pet_name": "R"}'))
    bare = fern.run(_case("PetBorn", "response", '{"pet_name": "R"}'))
    assert unknown.native == {"event_type": "pet-lost", "petName": "R"}
    assert bare.native == {"petName": "R"}


def test_fern_member_payload_its_union_gives_another_member_is_skipped(
    fern: HarnessTarget,
) -> None:
    """The SDK reads a "pet-sold" payload as PetSold, never as PetBorn: the case is skipped."""
    outcome = fern.run(_case("PetBorn", "response", '{"event_type": "pet-sold", "pet_name": "R"}'))
    assert (outcome.state, outcome.error) == (
        "skipped",
        'the SDK reads a payload whose event_type is "pet-sold" through PetEvent as PetSold,'
        " never as PetBorn",
    )


def test_fern_request_member_is_written_through_its_union(fern: HarnessTarget) -> None:
    """The strip option would drop "kind" from PetBorn alone; through the union it stays."""
    outcome = fern.run(_case("PetBorn", "request", '{"kind": "born", "pet_name": "Rex", "zz": 1}'))
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"kind": "born", "petName": "Rex"},
        '{\n "kind": "born",\n "pet_name": "Rex"\n}',
    )


def test_fern_rejection_through_a_union_is_placed_in_wire_keys(fern: HarnessTarget) -> None:
    """A wrong member value read through the union is rejected at its wire path."""
    outcome = fern.run(_case("PetBorn", "request", '{"event_type": "pet-born", "pet_name": 5}'))
    assert (outcome.state, outcome.error_path) == ("rejected", ("pet_name",))


def test_fern_request_with_a_property_s_parsed_name_as_a_key_is_skipped(
    fern: HarnessTarget,
) -> None:
    """The SDK never sends a "petName" key (it is pet_name's slot); as a response it is read."""
    both = '{"pet_name": "Rex", "petName": "Max"}'
    request = fern.run(_case("Pet", "request", both))
    alone = fern.run(_case("Pet", "request", '{"petName": 5}'))
    response = fern.run(_case("Pet", "response", both))
    assert (request.state, request.error) == (
        "skipped",
        'the payload has the key "petName", the SDK\'s name for "pet_name": a request object\'s'
        ' "petName" is sent as "pet_name", so no object a user can give the SDK sends this payload',
    )
    assert (alone.state, alone.error) == (request.state, request.error)
    assert (response.state, response.native) == ("accepted", {"petName": "Max"})


def test_fern_says_how_many_members_are_read_through_a_union(fern: HarnessTarget) -> None:
    """The start details count the members (not the inline one) and the unions that map them."""
    assert _details(fern)["union_members"] == (
        "2 member model(s) of 2 discriminated union(s) are read and written through the union"
        " when their payload carries a discriminant value the union maps to them; a payload whose"
        " value the union maps to another member is skipped"
    )


def test_fern_flavour_without_a_serialization_tree_is_a_start_error(tmp_path: Path) -> None:
    """Declaring fern for a package with no serialization/ fails the start, saying so."""
    target = _target(write_stainless_sdk(tmp_path), "tiny-stainless", "fern")
    with target, pytest.raises(HarnessError, match=r"has no Fern serialization layer"):
        target.start()


# -- Fern, the newer generation (no serialization/) --------------------------------------


def test_fern_plain_lists_declared_types_with_wire_keys_and_directions(
    fern_plain: HarnessTarget,
) -> None:
    """A request type is reached from a client method's parameters, a response type from its
    returns, an unreached type lists both; client options and error types are no models."""
    entries = {entry.name: entry for entry in fern_plain.list_model_entries()}
    assert entries["Pet"] == ModelEntry(
        "Pet", ("response",), "object", keys=("id", "pet_name", "kind-of", "owner")
    )
    assert entries["CreatePetRequest"].directions == ("request",)
    assert entries["Owner"].directions == ("request", "response")
    assert entries["Orphan"].directions == ("request", "response")
    assert entries["PetKind"].directions == ("response",)
    assert set(entries) == {"Pet", "Owner", "PetKind", "Orphan", "CreatePetRequest"}


def test_fern_plain_details_name_the_sdk_s_body_reader_and_writer(
    fern_plain: HarnessTarget,
) -> None:
    """The start details name the fetcher's getResponseBody and getRequestBody; neither
    validates."""
    details = _details(fern_plain)
    assert details["response_reader"] == (
        "@tiny/fern-plain/dist/cjs/core/fetcher/getResponseBody.js"
        " getResponseBody(new Response(text, 200, application/json), undefined)"
    )
    assert details["request_writer"] == (
        "@tiny/fern-plain/dist/cjs/core/fetcher/getRequestBody.js"
        ' getRequestBody({body, type: "json"})'
    )
    assert (details["response_validates"], details["request_validates"]) == (False, False)


def test_fern_plain_reads_a_response_with_its_body_reader_and_writes_it_with_its_writer(
    fern_plain: HarnessTarget,
) -> None:
    """The body reader's fromJson (planted: shout upper-cased) makes the native view, kept
    under the wire's keys; the body writer (planted: one-space indent) writes it back."""
    outcome = fern_plain.run(_case("Owner", "response", '{"name": "a", "shout": "hi", "x": 1}'))
    assert (outcome.state, outcome.native) == ("accepted", {"name": "a", "shout": "HI", "x": 1})
    assert outcome.text == '{\n "name": "a",\n "shout": "HI",\n "x": 1\n}'


def test_fern_plain_response_only_model_is_accepted_not_written(
    fern_plain: HarnessTarget,
) -> None:
    """A model the SDK only reads is read and not written; as a request it is skipped."""
    response = fern_plain.run(_case("Pet", "response", '{"id": "1", "pet_name": "Rex"}'))
    assert (response.state, response.written) == ("accepted", False)
    assert response.native == {"id": "1", "pet_name": "Rex"}
    request = fern_plain.run(_case("Pet", "request", '{"id": "1"}'))
    assert request.state == "skipped"


def test_fern_plain_request_is_the_sdk_s_json_reading_written_by_its_body_writer(
    fern_plain: HarnessTarget,
) -> None:
    """A request object is the SDK's own fromJson of the text, sent through getRequestBody."""
    text = '{"pet_name": "R", "owner": {"name": "o", "shout": "hey"}}'
    outcome = fern_plain.run(_case("CreatePetRequest", "request", text))
    assert (outcome.state, outcome.native) == (
        "accepted",
        {"pet_name": "R", "owner": {"name": "o", "shout": "HEY"}},
    )
    assert outcome.text is not None
    assert json.loads(outcome.text) == outcome.native
    assert outcome.text.startswith('{\n "pet_name"')


def test_fern_plain_response_its_writer_refuses_is_accepted_with_a_warning(
    fern_plain: HarnessTarget,
) -> None:
    """A response the body writer cannot write is accepted, not written, warning why; the
    same payload as a request is rejected."""
    text = '{"name": "a", "blob": {"k": 1}}'
    response = fern_plain.run(_case("Owner", "response", text))
    assert (response.state, response.written) == ("accepted", False)
    assert response.warnings == (
        "the SDK read the response but could not write it back:"
        " the SDK's body encoding failed: blob",
    )
    request = fern_plain.run(_case("Owner", "request", text))
    assert (request.state, request.error) == ("rejected", "the SDK's body encoding failed: blob")


def test_fern_plain_response_text_that_is_not_json_is_what_its_body_reader_makes(
    fern_plain: HarnessTarget,
) -> None:
    """getResponseBody answers an object for a text that is not JSON: the client hands it over."""
    outcome = fern_plain.run(_case("Owner", "response", "not json"))
    assert (outcome.state, outcome.native) == (
        "accepted",
        {"ok": False, "error": {"reason": "non-json", "statusCode": 200, "rawBody": "not json"}},
    )


# -- Stainless -------------------------------------------------------------------------


def test_stainless_lists_declared_types_with_keys_and_directions(stainless: HarnessTarget) -> None:
    """Params reachable from method parameters are requests, return types responses, shared
    types both; inherited keys count; an index signature has no keys; a comment declares nothing."""
    entries = {entry.name: entry for entry in stainless.list_model_entries()}
    assert entries["Pet"] == ModelEntry(
        "Pet", ("response",), "object", keys=("id", "pet_name", "owner", "tags", "kind-of")
    )
    assert entries["Pet.Tag"] == ModelEntry("Pet.Tag", ("response",), "object", keys=("label",))
    assert entries["PetCreateParams"] == ModelEntry(
        "PetCreateParams", ("request",), "object", keys=("pet_name", "owner", "extra", "kind")
    )
    assert entries["Owner"] == ModelEntry(
        "Owner", ("request", "response"), "object", keys=("id", "display-name")
    )
    assert entries["PetKind"] == ModelEntry("PetKind", ("request", "response"), "enum")
    assert entries["Loose"] == ModelEntry("Loose", ("request",), "object")
    assert (entries["OrphanParams"].directions, entries["Orphan"].directions) == (
        ("request",),
        ("response",),
    )
    assert entries["resources/other/other.d.ts#Pet"].keys == ("other",)
    assert "Fake" not in entries


def test_stainless_reads_a_response_through_its_own_parser(stainless: HarnessTarget) -> None:
    """The parser adds its _request_id, wrong types pass; a response-only model is not written."""
    outcome = stainless.run(_case("Pet", "response", '{"id": 7, "pet_name": ["x"]}'))
    assert (outcome.state, outcome.written, outcome.native) == (
        "accepted",
        False,
        {"id": 7, "pet_name": ["x"], "_request_id": None},
    )


def test_stainless_writes_a_model_it_also_sends_through_its_encoder(
    stainless: HarnessTarget,
) -> None:
    """A shared model read as a response is written back by the SDK's own encoder (indented)."""
    outcome = stainless.run(_case("Owner", "response", '{"id": 9007199254740993}'))
    assert outcome.state == "accepted"
    assert outcome.text == '{\n "id": 9007199254740992,\n "_request_id": null\n}'


def test_stainless_response_its_encoder_cannot_write_is_accepted_unwritten(
    stainless: HarnessTarget,
) -> None:
    """The SDK never writes a response: one it read but cannot encode is its user's, with a
    warning; the same payload as a request is one it cannot send."""
    outcome = stainless.run(_case("Owner", "response", '{"id": 1, "blob": {}}'))
    assert (outcome.state, outcome.written) == ("accepted", False)
    assert outcome.native == {"id": 1, "blob": {}, "_request_id": None}
    assert [w.split(": ")[0] for w in outcome.warnings] == [
        "the SDK read the response but could not write it back"
    ]
    sent = stainless.run(_case("PetCreateParams", "request", '{"pet_name": "x", "blob": {}}'))
    assert sent.state == "rejected"
    assert "cannot encode a blob" in (sent.error or "")


def test_stainless_request_is_the_parsed_wire_through_its_encoder(stainless: HarnessTarget) -> None:
    """A request keeps the wire's keys and (even wrong) values and goes out through the encoder."""
    outcome = stainless.run(_case("PetCreateParams", "request", '{"pet_name": 5, "a": 1, "a": 2}'))
    assert (outcome.state, outcome.native, outcome.text) == (
        "accepted",
        {"pet_name": 5, "a": 2},
        '{\n "pet_name": 5,\n "a": 2\n}',
    )


def test_stainless_rejects_only_text_its_parser_cannot_read(stainless: HarnessTarget) -> None:
    """Text that is not JSON is the one thing the SDK's response parser refuses."""
    outcome = stainless.run(_case("Pet", "response", "{not json"))
    assert outcome.state == "rejected"
    assert outcome.error.startswith("SyntaxError: ")


def test_stainless_skips_a_direction_the_declarations_do_not_give(stainless: HarnessTarget) -> None:
    """A params type is never read as a response: the case is skipped with why."""
    outcome = stainless.run(_case("PetListParams", "response", "{}"))
    assert outcome.state == "skipped"
    assert "not a response type of the SDK" in outcome.error


def test_stainless_reports_that_it_validates_nothing(stainless: HarnessTarget) -> None:
    """Both directions are reported as not validating, with the SDK's reader and writer named."""
    details = _details(stainless)
    assert (details["flavor"], details["response_validates"], details["request_validates"]) == (
        "stainless",
        False,
        False,
    )
    assert details["request_writer"] == (
        "tiny-stainless/internal/request-options.js FallbackEncoder({headers, body}).body"
    )


def test_stainless_flavour_without_its_core_parser_is_a_start_error(tmp_path: Path) -> None:
    """Declaring stainless for a package with no internal/parse fails the start, saying so."""
    root = write_stainless_sdk(tmp_path, parser=False)
    target = _target(root, "tiny-stainless", "stainless")
    with target, pytest.raises(HarnessError, match=r"has no Stainless response parser"):
        target.start()


# -- Stainless, the older core.js + _shims/ layout ------------------------------------

#: What the tiny SDK's own client sends for ``client.post(path, {body})`` (a stubbed fetch).
CLIENT_SENDS = """
const { Tiny } = require("tiny-stainless-core");
let sent = null;
const fetch = async (url, init) => {
  sent = init.body ?? null;
  return new Response("{}", { headers: { "content-type": "application/json" } });
};
new Tiny({ fetch }).post("/pets", { body: JSON.parse(process.argv[1]) })
  .then(() => process.stdout.write(JSON.stringify(sent)));
"""


def test_older_stainless_names_its_core_reader_and_client_writer(
    stainless_core: HarnessTarget,
) -> None:
    """The start details name core.js's APIPromise parser and APIClient.buildRequest."""
    details = _details(stainless_core)
    assert (details["flavor"], details["layout"]) == ("stainless", "older: core.js and _shims/")
    assert details["response_reader"] == (
        "tiny-stainless-core/core.js await new APIPromise(Promise.resolve({response: new"
        " Response(text, 200, application/json), options, controller})): its default parser"
        " defaultParseResponse(props)"
    )
    assert details["request_writer"] == (
        'tiny-stainless-core/core.js APIClient.buildRequest({method: "post", path, body}).req.body'
    )
    assert details["client_encoder"] == (
        "core.js APIClient.buildRequest writes a JSON body as JSON.stringify(options.body, null, 1)"
        " (no separate encoder)"
    )
    assert (details["response_validates"], details["request_validates"]) == (False, False)


def test_older_stainless_reads_a_response_through_its_unexported_parser(
    stainless_core: HarnessTarget,
) -> None:
    """The APIPromise's default parser adds its _request_id; a response-only model isn't written."""
    outcome = stainless_core.run(_case("Pet", "response", '{"id": 7, "pet_name": ["x"]}'))
    assert (outcome.state, outcome.written, outcome.native) == (
        "accepted",
        False,
        {"id": 7, "pet_name": ["x"], "_request_id": None},
    )


def test_older_stainless_writes_what_its_client_sends(
    stainless_core: HarnessTarget, tmp_path: Path
) -> None:
    """A request's text is the body the SDK's own client hands fetch for the same params."""
    wire = '{"pet_name": 5, "a": 1, "a": 2, "owner": {"id": 0.5e1}}'
    outcome = stainless_core.run(_case("PetCreateParams", "request", wire))
    sent = subprocess.run(
        ["node", "-e", CLIENT_SENDS, wire], cwd=tmp_path, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    assert (outcome.state, outcome.text) == ("accepted", json.loads(sent.stdout))
    assert outcome.text == '{\n "pet_name": 5,\n "a": 2,\n "owner": {\n  "id": 5\n }\n}'


def test_older_stainless_writes_back_a_shared_model_it_read(stainless_core: HarnessTarget) -> None:
    """A model the SDK both reads and sends is written back by buildRequest, _request_id and all."""
    outcome = stainless_core.run(_case("Owner", "response", '{"id": 1}'))
    assert (outcome.state, outcome.text) == ("accepted", '{\n "id": 1,\n "_request_id": null\n}')


def test_older_stainless_body_its_client_cannot_write_is_rejected_or_kept(
    stainless_core: HarnessTarget,
) -> None:
    """buildRequest's failure rejects a request; a response it cannot write back stays unwritten."""
    sent = stainless_core.run(_case("PetCreateParams", "request", '{"blob": {}}'))
    read = stainless_core.run(_case("Owner", "response", '{"id": 1, "blob": {}}'))
    assert sent.state == "rejected"
    assert "cannot write a blob" in (sent.error or "")
    assert (read.state, read.written) == ("accepted", False)


def test_older_stainless_value_its_client_sends_no_body_for_is_skipped(
    stainless_core: HarnessTarget,
) -> None:
    """A falsy value is sent as no body at all: nothing to compare, so the case is skipped."""
    outcome = stainless_core.run(_case("PetKind", "request", '""'))
    written = stainless_core.run(_case("PetKind", "request", '"cat"'))
    assert outcome.state == "skipped"
    assert "sends no body" in outcome.error
    assert (written.state, written.text) == ("accepted", '"cat"')


def test_older_stainless_core_without_shims_is_not_that_layout(tmp_path: Path) -> None:
    """A core.js with no _shims/ beside it is not taken for the older layout: a start error."""
    root = write_stainless_core_sdk(tmp_path)
    shutil.rmtree(root / "node_modules" / "tiny-stainless-core" / "_shims")
    target = _target(root, "tiny-stainless-core", "stainless")
    with target, pytest.raises(HarnessError, match=r"has no Stainless response parser"):
        target.start()


# -- zod and speakeasy -----------------------------------------------------------------


def test_declared_zod_flavour_reports_validating_readers_and_absent_adds_nothing(
    tmp_path: Path,
) -> None:
    """A declared zod flavour is named with both validates flags; without it none of these keys."""
    require_zod()
    root = write_zod_sdk(tmp_path)
    module = ["@tiny/sdk/models/components/pet.js"]
    with node_sdk_target("zod", str(root), module, "@tiny/sdk", options={"flavor": "zod"}) as t:
        details = dict(t.start().details)
    with node_sdk_target("plain", str(root), module, "@tiny/sdk") as plain:
        plain_details = dict(plain.start().details)
    assert (details["flavor"], details["response_validates"], details["request_validates"]) == (
        "zod",
        True,
        True,
    )
    assert {"flavor", "response_validates", "request_validates"} & plain_details.keys() == set()


def test_an_unknown_flavour_is_a_start_error(tmp_path: Path) -> None:
    """A flavor the harness does not know fails the start and lists the ones it knows."""
    target = _target(tmp_path, "x", "openapi-generator")
    with target, pytest.raises(HarnessError, match=r"speakeasy, zod, fern, stainless"):
        target.start()


def test_stainless_modules_name_the_declarations_to_read(tmp_path: Path) -> None:
    """Given modules, only those .d.ts files (relative to the package) declare models."""
    require(shutil.which("node") is not None, "Node.js")
    root = write_stainless_sdk(tmp_path)
    options = {"flavor": "stainless"}
    modules = ["resources/shared.d.ts"]
    with node_sdk_target("s", str(root), modules, "tiny-stainless", options=options) as target:
        assert target.list_model_entries() == [
            ModelEntry("Owner", ("response",), "object", keys=("id", "display-name"))
        ]
