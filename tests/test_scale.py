"""``conformance scale``: the JSON Schema loader, sampling, the schema export and the command.

The loader and sampling tests use a small hand-written document shaped like
pydantic's export. The others run the real orq.ai Python SDK (and, end to end, the Node
SDK): outside nox without them they skip; on CI (``CI=true``) a missing install
fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.core import jsonwire
from conformance.core.config import Config
from conformance.engine.scale import ScalePlan, ScaleRun, run_plan, sample, scale_cases
from conformance.exceptions import CaseFileError
from conformance.report.terminal import render_pretty
from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, Footer, ProblemRecord
from conformance.schema import (
    ArrayOf,
    Const,
    Discriminator,
    EnumOf,
    Field,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.cases import Direction
from conformance.sources.jsonschema_doc import schema_from_json_schema
from conformance.sources.openapi import load_openapi
from conformance.targets.builtin import python_sdk_target
from conformance.targets.harness import HarnessTarget

ROOT = Path(__file__).parent.parent
PYTHON = ROOT / ".sdk" / "python" / "bin" / "python"
NODE_ROOT = ROOT / "sdk" / "node"
SENTINEL = "~?~unset~?~sentinel~?~"

DOCUMENT: dict[str, Any] = {
    "$defs": {
        "Pet": {
            "title": "Pet",
            "type": "object",
            "properties": {
                "name": {"title": "Name", "type": "string"},
                "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
                "nickname": {
                    "anyOf": [{"type": "string"}, {"type": "null"}],
                    "default": None,
                    "title": "Nickname",
                },
                "owner": {"anyOf": [{"$ref": "#/$defs/Tag"}, {"type": "null"}]},
                "size": {"$ref": "#/$defs/Size"},
                "age": {"$ref": "#/$defs/OptionalNullable_int_", "default": SENTINEL},
                "animal": {
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"cat": "#/$defs/Cat", "dog": "#/$defs/Dog"},
                    },
                    "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
                },
            },
            "required": ["name", "owner"],
        },
        "Tag": {"type": "object", "properties": {"label": {"type": "string"}}},
        "Size": {"title": "Size", "type": "string", "enum": ["s", "m", "l"]},
        "Cat": {
            "type": "object",
            "properties": {"kind": {"const": "cat", "type": "string"}},
            "required": ["kind"],
        },
        "Dog": {
            "type": "object",
            "properties": {"kind": {"const": "dog", "type": "string"}},
            "required": ["kind"],
        },
        "Nullable_int_": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "OptionalNullable_int_": {
            "anyOf": [
                {"$ref": "#/$defs/Nullable_int_"},
                {"$ref": "#/$defs/Unset"},
                {"type": "null"},
            ]
        },
        "Unset": {"title": "Unset", "type": "object", "properties": {}},
    }
}


def _pet(**kw: bool) -> Model:
    pet = schema_from_json_schema(DOCUMENT, "pets.json", **kw).definitions["Pet"]
    assert isinstance(pet, Model)
    return pet


def _field_type(name: str, **kw: bool) -> object:
    return next(f.type for f in _pet(**kw).fields if f.wire_name == name)


def test_loader_reports_no_problems() -> None:
    """A pydantic-style document loads without a single problem."""
    assert schema_from_json_schema(DOCUMENT, "pets.json").problems == ()


def test_loader_follows_defs_refs() -> None:
    """``#/$defs/X`` references become references to the definition X."""
    assert _field_type("tags") == ArrayOf(Ref("Tag"))


def test_loader_keeps_required_nullable() -> None:
    """A required ``anyOf [X, null]`` is a nullable X."""
    assert _field_type("owner") == Nullable(Ref("Tag"))


def test_loader_optional_none_is_nullable_by_default() -> None:
    """An optional ``anyOf [X, null]`` defaulting to null stays nullable without the option."""
    assert _field_type("nickname") == Nullable(Primitive("string"))


def test_loader_optional_none_is_absent_with_option() -> None:
    """With ``optional_null_is_absent`` an optional ``anyOf [X, null] = None`` is a plain X."""
    assert _field_type("nickname", optional_null_is_absent=True) == Primitive("string")


def test_loader_reads_enums() -> None:
    """A string ``enum`` definition is an enum of its values."""
    size = schema_from_json_schema(DOCUMENT, "pets.json").definitions["Size"]
    assert getattr(size, "type", None) == EnumOf(("s", "m", "l"))


def test_loader_reads_discriminated_unions() -> None:
    """A ``oneOf`` with a discriminator mapping into ``$defs`` is a tagged union."""
    animal = _field_type("animal")
    assert isinstance(animal, UnionOf)
    assert animal.discriminator == Discriminator("kind", (("cat", "Cat"), ("dog", "Dog")))


def test_loader_reads_const() -> None:
    """A ``const`` property is a constant."""
    cat = schema_from_json_schema(DOCUMENT, "pets.json").definitions["Cat"]
    assert isinstance(cat, Model)
    assert cat.fields[0].type == Const("cat")


def test_loader_drops_unset_sentinel() -> None:
    """The ``Unset`` marker type and its sentinel default leave no trace in the schema."""
    schema = schema_from_json_schema(DOCUMENT, "pets.json")
    age = next(f for f in _pet().fields if f.wire_name == "age")
    assert "Unset" not in schema
    assert age.default != SENTINEL
    assert "Unset" not in repr(schema.definitions["OptionalNullable_int_"])


def test_loader_rejects_document_without_defs() -> None:
    """A document without ``$defs`` is a schema error, not an empty schema."""
    from conformance.exceptions import SchemaError

    with pytest.raises(SchemaError):
        schema_from_json_schema({"type": "object"}, "empty.json")


def test_sample_takes_evenly_spaced_names() -> None:
    """``--max-models K`` runs K names spread over the whole list, in its order."""
    names = [f"M{i}" for i in range(10)]
    assert sample(names, 4) == ["M0", "M2", "M5", "M7"]
    assert sample(names, None) == names
    assert sample(names, 20) == names


def test_scale_cases_run_each_model_in_its_directions() -> None:
    """Each model gets ``count`` cases per direction it runs in, ids ending in the direction."""
    schema = schema_from_json_schema(DOCUMENT, "pets.json")
    cases = scale_cases(schema, {"Pet": ("request", "response"), "Tag": ("response",)}, 2, 0)
    assert [(c.model, c.direction) for c in cases] == [
        ("Pet", "request"),
        ("Pet", "request"),
        ("Pet", "response"),
        ("Pet", "response"),
        ("Tag", "response"),
        ("Tag", "response"),
    ]
    assert all(c.id.endswith(f"-{c.direction}") for c in cases)
    assert len({c.id for c in cases}) == len(cases)


def _with_loop() -> Schema:
    """The planted optional-tag schema plus ``Loop``, which has no finite payload."""
    planted = load_openapi(ROOT / "tests" / "data" / "generate" / "optional-tags.yaml")
    loop = Model("Loop", (Field("next", Ref("Loop"), required=True),))
    return Schema({**planted.definitions, "Loop": loop}, source="exported.json")


def test_scale_cases_skip_a_model_once_and_generate_the_others() -> None:
    """A model that cannot be generated is one problem, not one per direction."""
    problems: list[CaseFileError] = []
    both: tuple[Direction, ...] = ("request", "response")
    cases = scale_cases(_with_loop(), {"Loop": both, "Feed": both}, 2, 0, problems)
    assert [(c.model, c.direction) for c in cases] == [
        ("Feed", "request"),
        ("Feed", "request"),
        ("Feed", "response"),
        ("Feed", "response"),
    ]
    assert [p.message.split(":")[0] for p in problems] == ["model 'Loop' skipped at generate"]


def test_scale_run_with_one_bad_model_writes_results_for_the_others(tmp_path: Path) -> None:
    """The bad model is a problem record and one line; every other model runs to the footer."""
    out = tmp_path / "scale.ndjson"
    said: list[str] = []
    plan = ScalePlan(
        _with_loop(),
        {"Feed": ("response",), "Loop": ("request", "response"), "Large": ("request",)},
        source="fake-sdk",
        skipped=(CaseFileError("model 'Odd' skipped at export: no schema", file="fake-sdk"),),
    )
    summary = run_plan(ScaleRun(out=out, count=3), Config(root=tmp_path), plan, said.append)
    records = list(read_results(out))
    problems = [r.message for r in records if isinstance(r, ProblemRecord)]
    assert problems == [
        "model 'Odd' skipped at export: no schema",
        "model 'Loop' skipped at generate: 'Loop' has no finite payload: every payload of it "
        "holds another one through the required references Loop.next → Loop",
    ]
    cases = [(r.model, r.direction) for r in records if isinstance(r, CaseRecord)]
    assert cases == [("Feed", "response")] * 3 + [("Large", "request")] * 3
    assert isinstance(records[-1], Footer)
    assert summary.totals["pass"] == 12  # 6 cases x 2 reference targets
    assert (summary.problem_count, summary.exit_code) == (2, 1)
    assert [line for line in said if "skipped at" in line] == problems
    shown = [line for line in render_pretty(summary).splitlines() if "skipped at" in line]
    assert shown == [f"  fake-sdk: {problems[0]}", f"  exported.json: {problems[1]}"]


# -- the real SDKs -------------------------------------------------------------


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    message = f"{what} is not installed: run `nox -s tests` (it installs the pinned SDKs)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def python_sdk() -> Iterator[HarnessTarget]:
    """The orq-ai-sdk harness target."""
    _require(PYTHON.exists(), "orq-ai-sdk")
    target = python_sdk_target("orq-python", str(PYTHON), ["orq_ai_sdk.models"], "orq_ai_sdk")
    yield target
    target.close()


@pytest.fixture
def exported(python_sdk: HarnessTarget) -> dict[str, Any]:
    """The export of ``CreateCompletionData`` and what it references."""
    python_sdk.start()
    return python_sdk.export_schemas(["CreateCompletionData"])


@pytest.mark.network
def test_export_holds_model_and_references(exported: dict[str, Any]) -> None:
    """The export of one model holds it and the models it references, keyed by class name."""
    defs = exported["schemas"]["$defs"]
    assert {"CreateCompletionData", "CreateCompletionRouterCompletionsChoices"} <= set(defs)
    assert "failed" not in exported


@pytest.mark.network
def test_export_loads_as_schema(exported: dict[str, Any]) -> None:
    """The exported document loads into a schema with the model's wire fields and no problems."""
    schema: Schema = schema_from_json_schema(
        exported["schemas"], "orq", optional_null_is_absent=True
    )
    model = schema.definitions["CreateCompletionData"]
    assert schema.problems == ()
    assert isinstance(model, Model)
    assert [f.wire_name for f in model.fields if f.required] == ["id", "choices", "model", "object"]


@pytest.mark.network
def test_export_lists_unknown_model_as_failed(python_sdk: HarnessTarget) -> None:
    """A name that is no model is listed under ``failed``, and the export still answers."""
    python_sdk.start()
    answer = python_sdk.export_schemas(["CreateCompletionData", "NoSuchModel"])
    assert "NoSuchModel" in answer["failed"]
    assert "CreateCompletionData" in answer["schemas"]["$defs"]


@pytest.mark.network
def test_scale_command_end_to_end(tmp_path: Path) -> None:
    """``conformance scale --max-models 5 --count 3`` runs the SDK pair and writes its results."""
    _require(PYTHON.exists(), "orq-ai-sdk")
    _require(
        shutil.which("node") is not None and (NODE_ROOT / "node_modules").is_dir(),
        "@orq-ai/node (or Node.js)",
    )
    out = tmp_path / "scale.ndjson"
    command = [
        sys.executable,
        "-c",
        "from conformance.cli.scale import scale; scale()",
        "--max-models",
        "5",
        "--count",
        "3",
        "--out",
        str(out),
        "--format",
        "json",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    records = [jsonwire.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert records[0]["tool"] == "conformance"
    assert sum(1 for r in records if r.get("record") == "case") >= 5
    # The operation wrappers are dropped (counted), and the oracle is named as the SDK's reading.
    assert "model(s) are not wire JSON and are left out" in done.stderr
    assert "the oracle is orq-python's own reading of the API" in done.stderr


def test_scale_stops_when_an_sdk_pairs_no_model(tmp_path: Path) -> None:
    """A Node target whose modules hold no schema pairs none of the exported models: scale
    stops with exit 2 and says so, instead of a CONFORMANT run of no case."""
    _require(PYTHON.exists(), "orq-ai-sdk")
    _require(
        shutil.which("node") is not None and (NODE_ROOT / "node_modules").is_dir(),
        "@orq-ai/node (or Node.js)",
    )
    (tmp_path / "pyproject.toml").write_text(
        "[tool.conformance]\n"
        "[[tool.conformance.targets]]\n"
        f'name = "orq-python"\nkind = "python-sdk"\npython = "{PYTHON}"\n'
        'package = "orq_ai_sdk"\nmodules = ["orq_ai_sdk.models"]\n'
        "[[tool.conformance.targets]]\n"
        f'name = "orq-node"\nkind = "node-sdk"\nroot = "{NODE_ROOT}"\n'
        'package = "@orq-ai/node"\nmodules = ["@orq-ai/node/lib/config.js"]\n'
    )
    command = [sys.executable, "-m", "conformance", "scale", "--max-models", "5"]
    command += ["--out", str(tmp_path / "s.ndjson")]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "is paired by every SDK target: nothing would run" in done.stderr
    assert "CONFORMANT" not in done.stdout
