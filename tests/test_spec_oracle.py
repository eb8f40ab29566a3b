"""The API spec as the oracle: which models are wire JSON and which way each goes.

The wire-model tests load small OpenAPI documents written here. The last test runs
``conformance scale --oracle spec`` over the real orq.ai SDK pair with the bundled
document: outside nox without the SDKs it skips; on CI (``CI=true``) a missing
install fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.core import jsonwire
from conformance.core.config import Config
from conformance.engine.spec_oracle import spec_oracle
from conformance.exceptions import ConfigError
from conformance.schema import Schema
from conformance.sources.openapi import is_json_media, load_openapi
from conformance.sources.wire_models import wire_models
from tests.projects import REFERENCES

ROOT = Path(__file__).parent.parent


def _thing(ref: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{ref}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "things", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": _json(_thing("Thing")),
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"id": {"type": "string"}, "receipt": _thing("Receipt")},
                        }
                    ),
                    "404": _json(_thing("NotFound")),
                },
            },
        },
        "/things/upload": {
            "post": {
                "operationId": "uploadThing",
                "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                "responses": {"204": {"description": "done"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "part": _thing("Part")},
            },
            "Part": {"type": "object", "properties": {"size": {"type": "integer"}}},
            "Receipt": {"type": "object", "properties": {"at": {"type": "string"}}},
            "NotFound": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Orphan": {"type": "object", "properties": {"x": {"type": "string"}}},
        }
    },
}


def _load(tmp_path: Path, document: dict[str, Any]) -> Schema:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document), "utf-8")
    return load_openapi(path)


def test_bodies_and_the_schemas_they_reach_are_the_wire_models(tmp_path: Path) -> None:
    """A request body and what it reaches go out, response bodies and theirs come in."""
    wire = wire_models(_load(tmp_path, SPEC))
    assert wire.from_bodies
    assert wire.runs["Thing"] == ("request",)
    assert wire.runs["Part"] == ("request",)
    assert wire.runs["CreateThingResponseBody"] == ("response",)
    assert wire.runs["Receipt"] == ("response",)
    assert wire.runs["NotFound"] == ("response",)


def test_a_schema_no_json_body_uses_is_counted_not_run(tmp_path: Path) -> None:
    """An unused named schema and a multipart body are left out, and counted."""
    wire = wire_models(_load(tmp_path, SPEC))
    assert "Orphan" not in wire.runs
    assert wire.unreachable == 1
    assert wire.other_media == 1
    assert wire.bodies == 3


def test_a_schema_used_both_ways_runs_both_ways(tmp_path: Path) -> None:
    """A schema sent in one operation and received in another runs in both directions."""
    document = yaml.safe_load(yaml.safe_dump(SPEC))
    document["paths"]["/things"]["get"] = {
        "operationId": "getThing",
        "responses": {"200": _json(_thing("Thing"))},
    }
    wire = wire_models(_load(tmp_path, document))
    assert wire.runs["Thing"] == ("request", "response")
    assert wire.runs["Part"] == ("request", "response")


def test_a_document_without_operations_runs_every_model_both_ways(tmp_path: Path) -> None:
    """A components-only fragment says nothing of directions: every object model goes both
    ways."""
    document = {**SPEC, "paths": {}}
    wire = wire_models(_load(tmp_path, document))
    assert not wire.from_bodies
    assert set(wire.runs) == {"Thing", "Part", "Receipt", "NotFound", "Orphan"}
    assert set(wire.runs.values()) == {("request", "response")}


@pytest.mark.parametrize(
    ("media", "json"),
    [
        ("application/json", True),
        ("application/problem+json; charset=utf-8", True),
        ("Application/JSON", True),
        ("text/event-stream", False),
        ("multipart/form-data", False),
    ],
)
def test_json_media_types_are_told_apart(media: str, json: bool) -> None:
    """``application/json`` and ``+json`` types are JSON; forms and event streams are not."""
    assert is_json_media(media) is json


def _config(tmp_path: Path, schema: Path) -> Config:
    return Config(root=tmp_path, schema=(schema,))


def test_auto_takes_a_spec_with_operations(tmp_path: Path) -> None:
    """``auto`` makes a document with JSON bodies the oracle, and says so."""
    _load(tmp_path, SPEC)
    said: list[str] = []
    oracle = spec_oracle(_config(tmp_path, tmp_path / "openapi.yaml"), "auto", said.append)
    assert oracle is not None
    assert oracle.runs["Thing"] == ("request",)
    assert any("the oracle is the API spec" in line for line in said)


def test_auto_leaves_a_fragment_to_the_sdk_export(tmp_path: Path) -> None:
    """``auto`` does not take a document without operations, and says why."""
    _load(tmp_path, {**SPEC, "paths": {}})
    said: list[str] = []
    oracle = spec_oracle(_config(tmp_path, tmp_path / "openapi.yaml"), "auto", said.append)
    assert oracle is None
    assert any("has no JSON bodies" in line for line in said)


def test_spec_runs_a_fragment_both_ways(tmp_path: Path) -> None:
    """``spec`` takes even a fragment: its models, both ways."""
    _load(tmp_path, {**SPEC, "paths": {}})
    oracle = spec_oracle(_config(tmp_path, tmp_path / "openapi.yaml"), "spec", lambda _: None)
    assert oracle is not None
    assert oracle.runs["Orphan"] == ("request", "response")


def test_sdk_never_reads_the_spec(tmp_path: Path) -> None:
    """``sdk`` leaves the oracle to the SDK export whatever the schema is."""
    _load(tmp_path, SPEC)
    config = _config(tmp_path, tmp_path / "openapi.yaml")
    assert spec_oracle(config, "sdk", lambda _: None) is None


def test_spec_without_an_openapi_document_is_a_usage_error(tmp_path: Path) -> None:
    """``spec`` with a docs folder as the schema says to give an OpenAPI document."""
    with pytest.raises(ConfigError, match="needs one OpenAPI document") as raised:
        spec_oracle(_config(tmp_path, tmp_path), "spec", lambda _: None)
    assert "--schema" in (raised.value.hint or "")


def test_run_all_models_generates_each_wire_model_the_ways_it_goes(tmp_path: Path) -> None:
    """``run --generate N --all-models`` with a spec runs its wire models, each its own ways."""
    _load(tmp_path, SPEC)
    settings = 'schema = "openapi.yaml"\nresults = "results.ndjson"\n'
    (tmp_path / "pyproject.toml").write_text(f"[tool.conformance]\n{settings}{REFERENCES}")
    command = [sys.executable, "-m", "conformance", "run", "--generate", "2", "--all-models"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    lines = (tmp_path / "results.ndjson").read_text("utf-8").splitlines()
    cases = [r for r in map(jsonwire.loads, lines) if r.get("record") == "case"]
    ran = {(case["model"], case["direction"]) for case in cases}
    assert ran == {
        ("Thing", "request"),
        ("Part", "request"),
        ("CreateThingResponseBody", "response"),
        ("Receipt", "response"),
        ("NotFound", "response"),
    }


@pytest.mark.network
def test_scale_with_the_spec_as_oracle_pairs_both_sdks(tmp_path: Path) -> None:
    """``scale --oracle spec`` runs the document's models through both real SDKs, each paired
    with the spec's names (here through ``[tool.conformance.models]``)."""
    python = ROOT / ".sdk" / "python" / "bin" / "python"
    node_ready = shutil.which("node") is not None and (ROOT / "sdk/node/node_modules").is_dir()
    if not (python.exists() and node_ready):
        message = "the orq.ai SDKs are not installed: run `nox -s tests`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "scale.ndjson"
    command = [
        sys.executable,
        "-c",
        "from conformance.cli.scale import scale; scale()",
        "--oracle",
        "spec",
        "--count",
        "3",
        "--out",
        str(out),
        "--format",
        "json",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert "the oracle is the API spec" in done.stderr
    records = [jsonwire.loads(line) for line in out.read_text("utf-8").splitlines()]
    models = {r["model"] for r in records if r.get("record") == "case"}
    assert "PostV2ProxyCompletionsData" in models
    states: dict[str, set[str]] = {}
    for result in (r for r in records if r.get("record") == "result"):
        states.setdefault(result["target"], set()).add(result["outcome"]["state"])
    for target in ("orq-python", "orq-node"):
        assert states.get(target), f"{target} ran no case"
        assert "skipped" not in states[target], f"{target} skipped cases: {done.stderr}"
