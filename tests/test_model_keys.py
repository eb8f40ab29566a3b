"""Harness listings carry each model's wire keys, and ``conformance pair`` pairs twins by them.

Tiny SDK-shaped packages (``tests/tiny_sdks.py``, plus a few models written here)
stand in for the real SDKs; a fake harness lists models with keys for the pairing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.engine.pairing_report import pairing_report
from conformance.engine.structure import SCALAR, schema_signatures
from conformance.schema.model import Alias, Field, Model, Primitive, Ref, Schema
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget
from conformance.testing import fake_harness_command
from tests.tiny_sdks import (
    SDK_PYTHON,
    require_pydantic,
    require_zod,
    write_pydantic_sdk,
    write_zod_sdk,
)

ALIASED = """\
import pydantic


class Order(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    order_id: str = pydantic.Field(alias="orderId")
    note: str = ""
"""

# Request-only models: the SDK's transform renames the user's keys to the wire's.
ZOD_ORDERS = """\
import * as z3 from "zod/v3";
import * as z4 from "zod";

export const Order$outboundSchema = z3
  .object({ orderId: z3.string(), note: z3.string().optional() })
  .transform((v) => ({ order_id: v.orderId, note: v.note }));
export const V4Order$outboundSchema = z4
  .object({ orderId: z4.string() })
  .transform((v) => ({ order_id: v.orderId }));
export const Plain$outboundSchema = z3.object({ size: z3.number() }).optional();
export const Broken$outboundSchema = z3.object({ a: z3.string() }).transform(() => {
  throw new Error("not a rename");
});
export const Kind$inboundSchema = z3.enum(["a", "b"]);
"""


@pytest.fixture
def listed() -> Iterator[list[HarnessTarget]]:
    """Targets to close after the test."""
    made: list[HarnessTarget] = []
    yield made
    for target in made:
        target.close()


def test_python_listing_carries_each_models_wire_keys(
    tmp_path: Path, listed: list[HarnessTarget]
) -> None:
    """The Python harness lists each pydantic model's field aliases, else field names."""
    require_pydantic()
    folder = write_pydantic_sdk(tmp_path)
    (folder / "vendor" / "client" / "models" / "order.py").write_text(ALIASED)
    target = python_sdk_target(
        "tiny-python",
        str(SDK_PYTHON),
        ["vendor.client.models"],
        "vendor.client",
        env={"PYTHONPATH": str(folder)},
        start_timeout=60.0,
    )
    listed.append(target)
    target.start()
    keys = {entry.name: entry.keys for entry in target.list_model_entries()}
    assert keys == {
        "Pet": ("pet_name", "nickname"),
        "Owner": ("id",),
        "Order": ("orderId", "note"),
    }


def test_node_listing_carries_each_object_models_wire_keys(
    tmp_path: Path, listed: list[HarnessTarget]
) -> None:
    """The Node harness lists an inbound schema's input keys, else an outbound one's output."""
    require_zod()
    root = write_zod_sdk(tmp_path)
    components = root / "node_modules" / "@tiny" / "sdk" / "dist" / "models" / "components"
    (components / "orders.js").write_text(ZOD_ORDERS)
    target = node_sdk_target(
        "tiny-node", str(root), ["@tiny/sdk/models/components/"], "@tiny/sdk", start_timeout=60.0
    )
    listed.append(target)
    target.start()
    keys = {entry.name: entry.keys for entry in target.list_model_entries()}
    assert keys == {
        "Pet": ("pet_name",),
        "Owner": ("id",),
        "Order": ("order_id", "note"),
        "V4Order": ("order_id",),
        "Plain": ("size",),
        "Broken": (),
        "Kind": (),
    }


def test_schema_signatures_are_object_models_wire_keys() -> None:
    """A signature is a model's wire keys (an alias of a model has its model's); no fields:
    none; a scalar alias has the scalar feature."""
    text = Primitive("string")
    schema = Schema(
        {
            "Foo": Model("Foo", (Field("id", text), Field("created_at", text))),
            "Bar": Alias("Bar", Ref("Foo")),
            "Empty": Model("Empty", ()),
            "Name": Alias("Name", text),
        }
    )
    assert schema_signatures(schema) == {
        "Foo": {"id", "created_at"},
        "Bar": {"id", "created_at"},
        "Name": SCALAR,
    }


SCHEMA = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Foo:
      type: object
      properties: {id: {type: string}, name: {type: string}}
    Foo1:
      type: object
      properties: {id: {type: string}, size: {type: integer}, unit: {type: string}}
"""

TWINS = "@x/sdk/models/operations/index.js#Foo"


def _listed(tmp_path: Path, listing: list[dict[str, object]]) -> Path:
    """A project whose schema has ``Foo`` and ``Foo1`` and whose SDK lists ``listing``."""
    (tmp_path / "models.json").write_text(json.dumps(listing))
    (tmp_path / "schema.yaml").write_text(SCHEMA)
    command = fake_harness_command(models=tmp_path / "models.json")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = "schema.yaml"\n\n[[tool.conformance.targets]]\n'
        f'name = "twins"\nkind = "harness"\ncommand = {json.dumps(command)}\n'
    )
    return tmp_path / "pyproject.toml"


def _project(tmp_path: Path, keys: bool) -> Path:
    """A project whose schema has ``Foo`` and ``Foo1`` and whose SDK lists two twins ``Foo``."""
    listing: list[dict[str, object]] = [
        {"name": "Foo", "directions": ["response"], "keys": ["id", "size", "unit"]},
        {"name": TWINS, "directions": ["response"], "keys": ["id", "name", "label"]},
    ]
    if not keys:
        for entry in listing:
            del entry["keys"]
    return _listed(tmp_path, listing)


def test_pairing_report_pairs_namespace_twins_by_their_wire_keys(tmp_path: Path) -> None:
    """Two SDK twins with different keys pair with the schema models that have their keys."""
    (report,) = pairing_report(_project(tmp_path, keys=True), (), (), lambda _: None)
    assert report.pairing is not None
    assert (report.pairing.pairs, report.pairing.ambiguous, report.scores) == (
        (("Foo", TWINS), ("Foo1", "Foo")),
        (),
        (0.67, 1.0),
    )


def test_pairing_report_leaves_twins_tied_without_keys(tmp_path: Path) -> None:
    """Without wire keys the same twins are one tie, and nothing is paired or scored."""
    (report,) = pairing_report(_project(tmp_path, keys=False), (), (), lambda _: None)
    assert report.pairing is not None
    assert (report.pairing.pairs, len(report.pairing.ambiguous), report.scores) == ((), 1, ())


def _pair(project: Path, fmt: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "pair", "--format", fmt],
        cwd=project.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pair_command_shows_each_pairs_structural_score(tmp_path: Path) -> None:
    """`conformance pair` prints each pair's score and puts it in the JSON output."""
    project = _project(tmp_path, keys=True)
    report = json.loads(_pair(project, "json"))["twins"]
    assert (report["pairs"], report["scores"]) == ([["Foo", TWINS], ["Foo1", "Foo"]], [0.67, 1.0])
    lines = _pair(project, "pretty").splitlines()
    assert f"  Foo -> {TWINS}  0.67" in lines
    assert "  Foo1 -> Foo  1.00" in lines


def test_a_listed_union_is_never_paired_with_an_object_of_its_name(tmp_path: Path) -> None:
    """An SDK's union of values named like a schema object is refused and listed, not paired."""
    listing = [
        {"name": "Foo", "directions": ["request"], "kind": "union"},
        {"name": "Foo1", "directions": ["response"], "keys": ["id", "size", "unit"]},
    ]
    project = _listed(tmp_path, listing)
    report = json.loads(_pair(project, "json"))["twins"]
    assert report["pairs"] == [["Foo1", "Foo1"]]
    assert report["refused"] == [{"schema": "Foo", "sdk": "Foo", "score": 0.0}]
    assert "    Foo -> Foo  0.00" in _pair(project, "pretty").splitlines()


def test_pair_says_which_pairs_were_made_by_wire_keys_alone(tmp_path: Path) -> None:
    """An SDK model named otherwise but with a schema model's keys pairs, marked as such."""
    listing = [
        {"name": "Widget", "directions": ["response"], "keys": ["id", "size", "unit"]},
        {"name": "Foo", "directions": ["response"], "keys": ["id", "name"]},
    ]
    project = _listed(tmp_path, listing)
    report = json.loads(_pair(project, "json"))["twins"]
    assert report["pairs"] == [["Foo", "Foo"], ["Foo1", "Widget"]]
    assert report["by_structure"] == [["Foo1", "Widget"]]
    assert "  Foo1 -> Widget  1.00  (by its wire keys)" in _pair(project, "pretty").splitlines()
