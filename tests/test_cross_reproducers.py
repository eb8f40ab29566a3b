"""Cross-SDK reproducers: for a family of ``A->B`` (B reads what A wrote), A's script prints
what A wrote and B's script reads it and checks what B did. Run against tiny SDK-shaped
packages, with a difference between them planted or not."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from conformance.core import jsonwire
from conformance.core.divergence import Side
from conformance.engine.verify_findings import verify
from conformance.report.reproduce import crossed, write_reproducers
from conformance.results.records import FindingExample, FindingRecord
from conformance.results.reproducers import SdkTarget
from tests.tiny_sdks import (
    SDK_PYTHON,
    require_pydantic,
    require_zod,
    write_pydantic_sdk,
    write_zod_sdk,
)

# The Python SDK writes a key the schema does not declare (its own default), or, with
# ``strict``, reads a reading only as a JSON number (a string "1.5" is refused).
PYTHON_METER = """\
import pydantic


class Meter(pydantic.BaseModel):
    reading: {reading}
    kind: str = "meter"
"""
# The Node SDK refuses keys it does not know (``.strict()``, planted) or strips them; it
# writes the reading as a string (planted) or as the number it read.
NODE_METER = """\
import * as z from "zod";

const base = z.object({{ reading: z.number() }}){strict};
export const Meter$inboundSchema = base;
export const Meter$outboundSchema = base.transform((v) => ({{ ...v, reading: {written} }}));
"""


def _python(tmp_path: Path, strict: bool) -> SdkTarget:
    require_pydantic()
    source = write_pydantic_sdk(tmp_path / "src")
    reading = "pydantic.StrictFloat" if strict else "float"
    (source / "vendor" / "client" / "models" / "meter.py").write_text(
        PYTHON_METER.format(reading=reading)
    )
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{source}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    return SdkTarget(
        "tiny-python", "python-sdk", str(python), ("vendor.client.models",), "vendor.client"
    )


def _node(tmp_path: Path, strict: bool, as_string: bool) -> SdkTarget:
    require_zod()
    root = write_zod_sdk(tmp_path / "node")
    components = root / "node_modules" / "@tiny" / "sdk" / "dist" / "models" / "components"
    (components / "meter.js").write_text(
        NODE_METER.format(
            strict=".strict()" if strict else "",
            written="String(v.reading)" if as_string else "v.reading",
        )
    )
    modules = ("@tiny/sdk/models/components/",)
    return SdkTarget("tiny-node", "node-sdk", "node", modules, "@tiny/sdk", str(root))


def _rejected_between(writer: str, reader: str) -> FindingRecord:
    """The family "``reader`` rejects what ``writer`` wrote for a valid Meter"."""
    pair = f"{writer}->{reader}"
    example = FindingExample(
        case="meter-1",
        model="Meter",
        direction="response",
        path="$",
        wire=jsonwire.loads('{"reading":1.5}'),
        expected=Side(("input", writer, reader), "accepted"),
        got=Side((pair,), "rejected"),
        detail="expected accepted, got rejected",
        names={writer: "Meter", reader: "Meter", pair: "Meter"},
    )
    return FindingRecord(
        id="Fcross",
        sentence=f"{pair} rejects object",
        kind="accept",
        severity="fail",
        verdict="odd-sdk",
        odd=pair,
        diverging=(pair,),
        expectation=("input",),
        input_class="object",
        output_class="rejected",
        field_type="object",
        cases=1,
        models=1,
        paths=("$",),
        more_paths=0,
        example=example,
    )


def _statuses(family: FindingRecord, targets: list[SdkTarget], folder: Path) -> dict[str, str]:
    written = write_reproducers([family], targets, folder)
    return {v.target: v.status for v in verify(written)}


@pytest.mark.node
@pytest.mark.parametrize(("planted", "status"), [(True, "verified"), (False, "not reproduced")])
def test_python_to_node_reproducer_runs_python_then_node(
    tmp_path: Path, planted: bool, status: str
) -> None:
    """Node reads what Python wrote (an extra ``kind`` key): a strict Node SDK refuses it."""
    python, node = _python(tmp_path, strict=False), _node(tmp_path, planted, as_string=False)
    family = _rejected_between("tiny-python", "tiny-node")
    statuses = _statuses(family, [python, node], tmp_path / "out")
    # Each SDK alone accepts the payload; the pair is what the family is about.
    assert statuses == {
        "tiny-python": "verified",
        "tiny-node": "verified",
        "tiny-python->tiny-node": status,
    }
    assert (tmp_path / "out" / "Fcross_tiny-python_writes.py").exists()
    assert (tmp_path / "out" / "Fcross_tiny-python-_tiny-node.mjs").exists()


@pytest.mark.node
@pytest.mark.parametrize(("planted", "status"), [(True, "verified"), (False, "not reproduced")])
def test_node_to_python_reproducer_runs_node_then_python(
    tmp_path: Path, planted: bool, status: str
) -> None:
    """Python reads what Node wrote (the reading as a string): a strict Python SDK refuses it."""
    python, node = _python(tmp_path, strict=planted), _node(tmp_path, False, as_string=True)
    family = _rejected_between("tiny-node", "tiny-python")
    statuses = _statuses(family, [python, node], tmp_path / "out")
    assert statuses["tiny-node->tiny-python"] == status
    assert (tmp_path / "out" / "Fcross_tiny-node_writes.mjs").exists()


def test_a_pair_needs_both_sdks_configured(tmp_path: Path) -> None:
    """A pair one of whose SDKs is not configured gets no reproducer."""
    family = _rejected_between("tiny-python", "tiny-node")
    python = SdkTarget("tiny-python", "python-sdk", "python", (), "vendor.client")
    assert crossed(family, [python]) == []
    node = SdkTarget("tiny-node", "node-sdk", "node", (), "@tiny/sdk")
    assert [name for name, _, _ in crossed(family, [python, node])] == ["tiny-python->tiny-node"]


@pytest.mark.node
def test_a_writer_that_writes_nothing_is_an_error_not_a_verdict(tmp_path: Path) -> None:
    """When the writing SDK refuses the payload, the pair's script exits 2 (an error)."""
    python, node = _python(tmp_path, strict=True), _node(tmp_path, False, as_string=False)
    family = _rejected_between("tiny-python", "tiny-node")
    refused = attrs.evolve(
        family, example=attrs.evolve(family.example, wire=jsonwire.loads('{"reading":"1.5"}'))
    )
    statuses = _statuses(refused, [python, node], tmp_path / "out")
    assert statuses["tiny-python->tiny-node"] == "error"
