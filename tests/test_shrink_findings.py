"""Shrunk examples: ``conformance findings --reproduce`` shrinks a family's example through the
run's oracle and the configured targets (a tiny pydantic SDK), keeping its divergence, and
the reproducer written from it still shows what the SDK does."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conformance.core import jsonwire
from conformance.core.divergence import Side
from conformance.results.records import FindingExample, FindingRecord, Header
from conformance.results.writer import ResultsWriter
from tests.tiny_sdks import SDK_PYTHON, require_pydantic, write_pydantic_sdk

BIG = 9007199254740993
# The tiny SDK's Meter: a float reading (integers beyond 2^53 lose digits), or, faithful,
# an integer one that keeps them.
METER = """\
from typing import List, Optional

import pydantic


class Meter(pydantic.BaseModel):
    reading: {reading}
    label: Optional[str] = None
    tags: Optional[List[str]] = None
"""
SCHEMA = """\
openapi: 3.1.0
info: {title: meters, version: "1"}
paths: {}
components:
  schemas:
    Meter:
      type: object
      required: [reading]
      properties:
        reading: {type: number}
        label: {type: string}
        tags: {type: array, items: {type: string}}
"""
PAYLOAD = {"label": "the meter in the hall by the door", "reading": BIG, "tags": ["a", "bb", "c"]}


def _project(tmp_path: Path, reading: str, family: FindingRecord | None = None) -> Path:
    """A project: the schema, the tiny SDK (its Meter's reading of type ``reading``), a
    config naming both, and a results file with one family: the SDK rounds the reading
    (or ``family``)."""
    require_pydantic()
    source = write_pydantic_sdk(tmp_path / "src")
    (source / "vendor" / "client" / "models" / "meter.py").write_text(METER.format(reading=reading))
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{source}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    (tmp_path / "schema.yaml").write_text(SCHEMA)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = "schema.yaml"\n'
        "[[tool.conformance.targets]]\n"
        'name = "tiny-python"\nkind = "python-sdk"\n'
        f'python = "{python}"\n'
        'modules = ["vendor.client.models"]\npackage = "vendor.client"\n'
    )
    rounds = _family(
        "Frounds",
        "value",
        ("integer beyond 2^53", "the nearest float64"),
        PAYLOAD,
        (BIG, Decimal("9007199254740992.0")),
    )
    results = tmp_path / "results.ndjson"
    with ResultsWriter(results) as writer:
        writer.write(Header("conformance", "0", "2024-01-01T00:00:00Z"))
        writer.write(rounds if family is None else family)
    return results


def _family(
    name: str, kind: str, classes: tuple[str, str], wire: object, values: tuple[object, object]
) -> FindingRecord:
    """Family ``name``: tiny-python alone at ``$.reading`` of a Meter, ``kind``, the input and
    output ``classes``, its example ``wire`` with each side's value there."""
    example = FindingExample(
        case="gen-Meter-0-7-response",
        model="Meter",
        direction="response",
        path="$.reading",
        wire=jsonwire.loads(jsonwire.dumps(wire)),
        expected=Side(("input",), values[0]),
        got=Side(("tiny-python",), values[1]),
        names={"tiny-python": "Meter"},
    )
    return FindingRecord(
        id=name,
        sentence=f"tiny-python {kind}",
        kind=kind,
        severity="fail",
        verdict="odd-sdk",
        odd="tiny-python",
        diverging=("tiny-python",),
        expectation=("input",),
        input_class=classes[0],
        output_class=classes[1],
        field_type="number",
        cases=1,
        models=1,
        paths=("$.reading",),
        more_paths=0,
        example=example,
    )


def _findings(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", "findings", "results.ndjson", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _payload_of(script: Path) -> object:
    """The payload a Python reproducer feeds the SDK (its ``WIRE_TEXT`` literal)."""
    text = script.read_text()
    line = next(x for x in text.splitlines() if x.startswith("WIRE_TEXT = "))
    return jsonwire.loads(ast.literal_eval(line.removeprefix("WIRE_TEXT = ")))


def test_a_shrunk_example_keeps_the_divergence_and_its_reproducer_verifies(
    tmp_path: Path,
) -> None:
    """The example loses the label and tags; the reading stays the smallest integer the SDK
    still rounds; the reproducer of the shrunk payload is verified."""
    _project(tmp_path, "float")
    done = _findings(tmp_path, "--reproduce", "out", "--verify", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    (note,) = document["shrinking"]
    assert (note["finding"], note["status"], note["original"]) == (
        "Frounds",
        "shrunk",
        "gen-Meter-0-7-response",
    )
    assert note["after"] < note["before"]
    assert [v["status"] for v in document["verifications"]] == ["verified"]
    assert _payload_of(tmp_path / "out" / "Frounds_tiny-python.py") == {"reading": BIG}
    assert "gen-Meter-0-7-response-min" in (tmp_path / "out" / "Frounds_tiny-python.py").read_text()


def test_an_example_the_sdk_does_not_diverge_on_is_left_and_not_reproduced(
    tmp_path: Path,
) -> None:
    """Where the SDK keeps the reading (no planted rounding), shrinking finds no divergence
    to keep: the example is left as it was, and its reproducer is not reproduced."""
    _project(tmp_path, "int")
    done = _findings(tmp_path, "--reproduce", "out", "--verify", "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    (note,) = document["shrinking"]
    assert note["status"] == "left"
    assert "does not show the family's divergence" in note["message"]
    assert [v["status"] for v in document["verifications"]] == ["not reproduced"]
    assert _payload_of(tmp_path / "out" / "Frounds_tiny-python.py") == PAYLOAD


@pytest.mark.parametrize("option", ["--no-shrink"])
def test_no_shrink_keeps_the_runs_example(tmp_path: Path, option: str) -> None:
    """``--no-shrink`` writes the reproducer from the run's own example."""
    _project(tmp_path, "float")
    done = _findings(tmp_path, "--reproduce", "out", option, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["shrinking"] == []
    assert _payload_of(tmp_path / "out" / "Frounds_tiny-python.py") == PAYLOAD


def test_a_shrunk_example_stays_in_its_family_s_value_class(tmp_path: Path) -> None:
    """A family of integers beyond 2^53 that the SDK rejects (it takes readings below 1000)
    keeps an example beyond 2^53: 1000 is rejected too, but is another family's example."""
    wire = {**PAYLOAD, "reading": 2**60}
    classes = ("integer beyond 2^53", "rejected")
    family = _family("Frejects", "accept", classes, wire, ("accepted", "rejected"))
    _project(tmp_path, "pydantic.conint(lt=1000)", family)
    done = _findings(tmp_path, "--reproduce", "out", "--verify", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    (note,) = document["shrinking"]
    assert note["status"] == "shrunk"
    assert [v["status"] for v in document["verifications"]] == ["verified"]
    payload = _payload_of(tmp_path / "out" / "Frejects_tiny-python.py")
    assert isinstance(payload, dict)
    assert set(payload) == {"reading"}
    assert payload["reading"] > 2**53
