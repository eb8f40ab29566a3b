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
from conformance.sources.cases import Case, Direction
from conformance.targets.builtin import python_sdk_target
from conformance.targets.discovery import ModelEntry
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
            modules = ["stainy.types"]
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
    ("model", "renamed"),
    [
        ("PetRenamedParams", "PetRenamedParams['name'] is sent as 'petName'"),
        ("OwnerParams", "PetRenamedParams['name'] is sent as 'petName'"),
    ],
    ids=["own-key", "reached-params"],
)
def test_stainless_params_with_a_renamed_key_are_skipped(
    make: Make, model: str, renamed: str
) -> None:
    """Params that send a key under another name, in them or in params they reach, are skipped."""
    outcome = run(make("stainy", "stainless"), model, "request", '{"petName":"Rex"}')
    assert outcome.state == "skipped"
    assert outcome.error.startswith(renamed)


@pytest.mark.parametrize(
    ("model", "direction"), [("Pet", "request"), ("PetParams", "response")], ids=str
)
def test_stainless_runs_models_only_in_their_direction(
    make: Make, model: str, direction: Direction
) -> None:
    """A response model is no request, and params are no response: both are skipped."""
    assert run(make("stainy", "stainless"), model, direction, "{}").state == "skipped"


def test_stainless_lists_response_models_and_params_with_their_wire_keys(make: Make) -> None:
    """Models are responses keyed by alias; params are requests keyed as maybe_transform sends."""
    assert make("stainy", "stainless").list_model_entries() == [
        ModelEntry("OwnerParams", ("request",), "object", keys=("pets",)),
        ModelEntry("Pet", ("response",), "object", keys=("name", "petTag")),
        ModelEntry("PetParams", ("request",), "object", keys=("name", "age")),
        ModelEntry("PetRenamedParams", ("request",), "object", keys=("petName",)),
    ]


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
    """Fern's pydantic models run both ways, keyed by their aliases."""
    assert make("ferny", "fern").list_model_entries() == [
        ModelEntry("Pet", ("request", "response"), "object", keys=("petName", "age"))
    ]


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
