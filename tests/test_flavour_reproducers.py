"""Reproducers of Fern and Stainless SDKs call each SDK's own functions, as its harness does.

Each test writes a tiny Fern- or Stainless-shaped SDK (``flavour_sdks_python``,
``flavour_sdks_node``), a family that says what that SDK's own functions do (a quirk the
tiny SDK plants, which a stand-in reader or writer would not show), and runs the
reproducer: it exits 0 where the SDK does it and 1 where the family claims otherwise.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conformance.core.divergence import Side
from conformance.report.reproduce import write_reproducers
from conformance.report.reproduce.flavours import FlavouredTarget
from conformance.results.records import FindingRecord
from conformance.schema import JsonValue
from tests.flavour_sdks_node import write_fern_plain_sdk
from tests.flavour_sdks_node import write_fern_sdk as write_fern_node
from tests.flavour_sdks_node import write_stainless_core_sdk as write_stainless_core_node
from tests.flavour_sdks_node import write_stainless_sdk as write_stainless_node
from tests.flavour_sdks_python import write_fern_sdk, write_stainless_sdk
from tests.test_findings_reproduce import finding
from tests.tiny_sdks import SDK_PYTHON, require, require_pydantic

NAME = "tiny"


def claim(
    kind: str,
    model: str,
    wire: Any,
    path: str,
    got: Any,
    *,
    present: bool = True,
    direction: str = "response",
) -> FindingRecord:
    """A family saying the SDK ``tiny`` does ``got`` at ``path`` (the input has the wire's)."""
    return finding(
        "f1", kind, model, wire, path,
        Side((NAME,), got, present), Side(("input",), None, False), direction,
    )  # fmt: skip


def outcome(family: FindingRecord, target: FlavouredTarget, tmp_path: Path) -> tuple[int, str]:
    """(the reproducer's exit code, its verdict line or error)."""
    (written,) = write_reproducers([family], [target], tmp_path / "out")
    done = subprocess.run(
        list(written.command), cwd=tmp_path, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    said = done.stdout.strip() or done.stderr.strip()
    # Exit 0 and 1 are the SDK's verdict, never a failure of the script itself.
    verdicts = {0: "REPRODUCED: ", 1: "NOT REPRODUCED: "}
    if done.returncode in verdicts:
        assert done.stdout.startswith(verdicts[done.returncode]), said
    else:
        assert done.stderr.strip().splitlines()[-1].startswith("ERROR: "), said
    return done.returncode, said


def python_target(tmp_path: Path, package: str, flavor: str, **details: JsonValue) -> Any:
    """A Python target of ``flavor`` whose interpreter finds the tiny SDK in ``tmp_path/src``."""
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{tmp_path / "src"}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    modules = (f"{package}.types", f"{package}.types.**")
    return FlavouredTarget(
        NAME, "python-sdk", str(python), modules, package, flavor=flavor, details=details
    )


# ---------------------------------------------------------------- Python: Fern

CONSTRUCTED = "httpx.Response.json + ferny.core.unchecked_base_model.construct_type"
VALIDATED = "httpx.Response.json + ferny.core.pydantic_utilities.parse_obj_as"


@pytest.mark.parametrize(
    ("reader", "accepted", "code"),
    [
        (CONSTRUCTED, "accepted", 0),
        (CONSTRUCTED, "rejected", 1),
        (VALIDATED, "rejected", 0),
        (VALIDATED, "accepted", 1),
    ],
)
def test_fern_python_reads_a_response_with_the_reader_its_harness_reported(
    reader: str, accepted: str, code: int, tmp_path: Path
) -> None:
    """A Fern response is built by ``construct_type`` (no validation) or ``parse_obj_as``, as
    the header's ``response_reader`` says: an age of 1.5 passes one and fails the other."""
    require_pydantic()
    write_fern_sdk(tmp_path / "src")
    target = python_target(tmp_path, "ferny", "fern", response_reader=reader)
    family = claim("accept", "Pet", {"petName": "Rex", "age": 1.5}, "$", accepted)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("written", "code"), [(1.5, 0), (1, 1)])
def test_fern_python_writes_what_construct_type_kept(
    written: float, code: int, tmp_path: Path
) -> None:
    """Written back through ``jsonable_encoder``, an unvalidated 1.5 stays 1.5."""
    require_pydantic()
    write_fern_sdk(tmp_path / "src")
    target = python_target(tmp_path, "ferny", "fern", response_reader=CONSTRUCTED)
    family = claim("value", "Pet", {"petName": "Rex", "age": 1.5}, "$.age", written)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("name", "code"), [("colour", 0), ("pet_name", 1)])
def test_fern_python_names_a_key_the_model_does_not_declare_as_itself(
    name: str, code: int, tmp_path: Path
) -> None:
    """An undeclared key is kept as an attribute of its own name (``extra="allow"``)."""
    require_pydantic()
    write_fern_sdk(tmp_path / "src")
    target = python_target(tmp_path, "ferny", "fern")
    family = claim("naming", "Pet", {"petName": "Rex", "colour": "red"}, "$.colour", name)
    assert outcome(family, target, tmp_path)[0] == code


# ---------------------------------------------------------------- Python: Stainless


@pytest.mark.parametrize(("present", "code"), [(False, 0), (True, 1)])
def test_stainless_python_sends_params_through_maybe_transform(
    present: bool, code: int, tmp_path: Path
) -> None:
    """Request params are sent by ``maybe_transform``, which renames ``name`` to
    ``petName``: nothing is sent under ``name``."""
    require_pydantic()
    write_stainless_sdk(tmp_path / "src")
    target = python_target(tmp_path, "stainy", "stainless")
    family = claim(
        "missing", "PetRenamedParams", {"name": "Rex"}, "$.name", "Rex",
        present=present, direction="request",
    )  # fmt: skip
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("generation", "code"), [("transform", 0), ("prepare", 1)])
def test_stainless_python_sends_params_as_its_generation_does(
    generation: str, code: int, tmp_path: Path
) -> None:
    """An older generation renames ``name`` through ``maybe_transform`` (reproduced: nothing
    under ``name``); a newer one, without it, sends the body through ``serialize_data`` as it
    is (not reproduced: ``name`` is there), and the script runs rather than failing."""
    require_pydantic()
    write_stainless_sdk(tmp_path / "src", generation=generation)
    target = python_target(tmp_path, "stainy", "stainless")
    family = claim(
        "missing", "PetRenamedParams", {"name": "Rex"}, "$.name", "Rex",
        present=False, direction="request",
    )  # fmt: skip
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("model", "code"), [("shared.Tag", 0), ("shared_params.Tag", 2)])
def test_stainless_python_finds_a_model_by_its_qualified_name(
    model: str, code: int, tmp_path: Path
) -> None:
    """``shared.Tag`` is the response model of that name, read by ``construct_type`` and
    written by ``to_json`` with the key it did not declare; ``shared_params.Tag`` is the
    params ``TypedDict``, which the SDK never reads as a response (no writer: exit 2)."""
    require_pydantic()
    write_stainless_sdk(tmp_path / "src")
    target = python_target(tmp_path, "stainy", "stainless")
    family = claim("extra", model, {"label": "x", "more": 1}, "$.more", 1)
    assert outcome(family, target, tmp_path)[0] == code


# ---------------------------------------------------------------- Node


def node_target(root: Path, package: str, flavor: str, **details: JsonValue) -> Any:
    require(shutil.which("node") is not None, "Node.js")
    return FlavouredTarget(
        NAME, "node-sdk", "node", (), package, str(root), flavor=flavor, details=details
    )


STRIP = 'X.jsonOrThrow(native, {"unrecognizedObjectKeys":"strip"}), then getRequestBody'
PASS = 'X.jsonOrThrow(native, {"unrecognizedObjectKeys":"passthrough"}), then getRequestBody'


@pytest.mark.parametrize("direction", ["response", "request"])
@pytest.mark.parametrize(
    ("writer", "present", "code"),
    [(STRIP, False, 0), (STRIP, True, 1), (PASS, True, 0), (PASS, False, 1)],
)
def test_fern_node_writes_with_the_options_its_client_passes(
    writer: str, present: bool, code: int, direction: str, tmp_path: Path
) -> None:
    """``jsonOrThrow`` takes the write options the header reports for the case's direction
    (``response_writer`` / ``request_writer``): ``strip`` drops a key the schema does not
    declare, ``passthrough`` keeps it."""
    root = write_fern_node(tmp_path / "node")
    details = {f"{direction}_writer": writer, "request_reader": "", "response_reader": ""}
    target = node_target(root, "@tiny/fern", "fern", **details)
    wire = {"pet_name": "Rex", "age": 2, "kind": "cat", "tags": [], "colour": "red"}
    family = claim("extra", "Pet", wire, "$.colour", "red", present=present, direction=direction)
    assert outcome(family, target, tmp_path)[0] == code


def test_fern_node_writes_a_response_back_with_the_read_s_leniency_by_default(
    tmp_path: Path,
) -> None:
    """Without a ``response_writer`` detail a response is written back as the harness does:
    the key the reader passed through stays (the SDK never writes a response)."""
    root = write_fern_node(tmp_path / "node")
    target = node_target(root, "@tiny/fern", "fern", request_writer=STRIP)
    wire = {"pet_name": "Rex", "age": 2, "kind": "cat", "tags": [], "colour": "red"}
    family = claim("extra", "Pet", wire, "$.colour", "red", present=False)
    assert outcome(family, target, tmp_path)[0] == 1


@pytest.mark.parametrize(("name", "code"), [("petName", 0), ("pet_name", 1)])
def test_fern_node_names_a_field_as_its_serializer_parses_it(
    name: str, code: int, tmp_path: Path
) -> None:
    """The native key of ``pet_name`` is the serializer's parsed name ``petName``."""
    root = write_fern_node(tmp_path / "node")
    target = node_target(root, "@tiny/fern", "fern")
    wire = {"pet_name": "Rex", "age": 2, "kind": "cat", "tags": []}
    family = claim("naming", "Pet", wire, "$.pet_name", name)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize("direction", ["response", "request"])
@pytest.mark.parametrize(("got", "code"), [("HI", 0), ("hi", 1)])
def test_fern_plain_node_reads_with_the_sdk_s_own_json_reader(
    got: str, code: int, direction: str, tmp_path: Path
) -> None:
    """The newer Fern generation (no serialization/) reads a response with its fetcher's
    getResponseBody and a request with its core/json fromJson (planted: shout upper-cased)."""
    root = write_fern_plain_sdk(tmp_path / "node")
    target = node_target(root, "@tiny/fern-plain", "fern")
    family = claim(
        "value", "Owner", {"name": "a", "shout": "hi"}, "$.shout", got, direction=direction
    )
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("verdict", "code"), [("rejected", 0), ("accepted", 1)])
def test_fern_plain_node_request_its_body_writer_refuses_is_rejected(
    verdict: str, code: int, tmp_path: Path
) -> None:
    """A request body the newer generation's getRequestBody cannot write is one it rejects."""
    root = write_fern_plain_sdk(tmp_path / "node")
    target = node_target(root, "@tiny/fern-plain", "fern")
    wire = {"name": "a", "blob": {"k": 1}}
    family = claim("accept", "Owner", wire, "$", verdict, direction="request")
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("present", "code"), [(True, 0), (False, 1)])
def test_stainless_node_reads_with_its_response_parser_and_writes_with_its_encoder(
    present: bool, code: int, tmp_path: Path
) -> None:
    """The tiny SDK's ``defaultParseResponse`` adds an enumerable ``_request_id``, which its
    ``FallbackEncoder`` then writes: a reader standing in for it would write none."""
    root = write_stainless_node(tmp_path / "node")
    target = node_target(root, "tiny-stainless", "stainless")
    family = claim("extra", "Pet", {"id": "1"}, "$._request_id", None, present=present)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("present", "code"), [(True, 0), (False, 1)])
def test_older_stainless_node_reads_with_its_api_promise_and_writes_with_build_request(
    present: bool, code: int, tmp_path: Path
) -> None:
    """In the older core.js layout the APIPromise's unexported parser adds an enumerable
    ``_request_id`` and the client's ``buildRequest`` writes it: a stand-in would write none."""
    root = write_stainless_core_node(tmp_path / "node")
    target = node_target(root, "tiny-stainless-core", "stainless")
    family = claim("extra", "Owner", {"id": 1}, "$._request_id", None, present=present)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("verdict", "code"), [("rejected", 0), ("accepted", 1)])
def test_older_stainless_node_request_its_build_request_refuses_is_rejected(
    verdict: str, code: int, tmp_path: Path
) -> None:
    """A request body the older client's ``buildRequest`` cannot write is one it rejects."""
    root = write_stainless_core_node(tmp_path / "node")
    target = node_target(root, "tiny-stainless-core", "stainless")
    family = claim("accept", "PetCreateParams", {"blob": {}}, "$", verdict, direction="request")
    assert outcome(family, target, tmp_path)[0] == code


# ---------------------------------------------------------------- duplicate-key

#: A Stainless-shaped response model whose ``to_json`` writes its extra keys a second time.
ECHO = """\
from .._models import BaseModel


class Echo(BaseModel):
    name: str

    def to_json(self, *, indent=2):
        text = super().to_json(indent=None)
        again = "".join(
            f', "{key}": {value!r}' for key, value in (self.__pydantic_extra__ or {}).items()
        )
        return text[:-1] + again + "}"
"""

#: An encoder that writes the body's "more" key a second time.
ECHO_ENCODER = """\
"use strict";
exports.FallbackEncoder = ({ headers, body }) => {
  const text = JSON.stringify(body);
  const again = body && "more" in body ? `,"more":${JSON.stringify(body.more)}}` : "}";
  return { bodyHeaders: {}, body: text.slice(0, -1) + again };
};
"""


@pytest.mark.parametrize(
    ("writes_twice", "times", "code"), [(True, 2, 0), (True, 1, 1), (False, 2, 1), (False, 1, 0)]
)
def test_python_duplicate_key_is_counted_in_the_text_the_sdk_wrote(
    writes_twice: bool, times: int, code: int, tmp_path: Path
) -> None:
    """A ``duplicate-key`` family holds where the SDK's text writes the key that many times
    in one object (a parsed value would show it once)."""
    require_pydantic()
    write_stainless_sdk(tmp_path / "src")
    types = tmp_path / "src" / "stainy" / "types"
    if writes_twice:
        (types / "echo.py").write_text(ECHO)
    else:
        (types / "echo.py").write_text("from .._models import BaseModel as Echo\n")
    target = python_target(tmp_path, "stainy", "stainless")
    family = claim("duplicate-key", "Echo", {"name": "x", "more": 1}, "$.more", times)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(
    ("writes_twice", "times", "code"), [(True, 2, 0), (True, 1, 1), (False, 2, 1), (False, 1, 0)]
)
def test_node_duplicate_key_is_counted_in_the_text_the_sdk_wrote(
    writes_twice: bool, times: int, code: int, tmp_path: Path
) -> None:
    """The Node script counts the key in the encoder's text, where JSON.parse keeps one."""
    root = write_stainless_node(tmp_path / "node")
    if writes_twice:
        encoder = root / "node_modules" / "tiny-stainless" / "internal" / "request-options.js"
        encoder.write_text(ECHO_ENCODER)
    target = node_target(root, "tiny-stainless", "stainless")
    wire = {"id": "1", "nested": {"more": [1, "a,}"]}, "more": {"deep": '\\"}'}}
    family = claim("duplicate-key", "Pet", wire, "$.more", times, direction="request")
    assert outcome(family, target, tmp_path)[0] == code


# ---------------------------------------------------------------- undeclared fields


@pytest.mark.parametrize(
    ("path", "key", "code"), [("$.colour", "colour", 0), ("$.petName", "pet_name", 1)]
)
def test_fern_python_tells_an_undeclared_key_from_a_declared_field(
    path: str, key: str, code: int, tmp_path: Path
) -> None:
    """A naming family whose SDK side is ``{"key": k, "declared": false}`` holds where the
    SDK keeps ``k`` as an extra, not where ``k`` is a field it declares."""
    require_pydantic()
    write_fern_sdk(tmp_path / "src")
    target = python_target(tmp_path, "ferny", "fern")
    got = {"key": key, "declared": False}
    family = claim("naming", "Pet", {"petName": "Rex", "colour": "red"}, path, got)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(
    ("path", "key", "code"), [("$.colour", "colour", 0), ("$.pet_name", "petName", 1)]
)
def test_fern_node_tells_an_undeclared_key_from_a_declared_field(
    path: str, key: str, code: int, tmp_path: Path
) -> None:
    """A key a passthrough schema kept is undeclared; a parsed property name is declared."""
    root = write_fern_node(tmp_path / "node")
    target = node_target(root, "@tiny/fern", "fern")
    wire = {"pet_name": "Rex", "age": 2, "kind": "cat", "tags": [], "colour": "red"}
    family = claim("naming", "Pet", wire, path, {"key": key, "declared": False})
    assert outcome(family, target, tmp_path)[0] == code
