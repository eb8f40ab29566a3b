"""Systematic probes: every field of every model changed at one path per probe class."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conformance.core import jsonwire
from conformance.core.config import Config
from conformance.engine.scale import ScalePlan, ScaleRun, run_plan
from conformance.exceptions import CaseFileError
from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, Header
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Discriminator,
    EnumOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.cases import Case, Direction
from conformance.sources.generate import ProbeSet, accepts, base_payload, probe_cases
from conformance.sources.generate.probe_classes import CLASSES
from tests.projects import REFERENCES, THING_SCHEMA
from tests.test_generate import RICH

ROOT = Path(__file__).parent.parent
STRING = Primitive("string")
INTEGER = Primitive("integer")

#: One model per kind of site: every probe class applies somewhere in it.
EVERY = Schema(
    {
        "Root": Model(
            "Root",
            (
                Field("userId", STRING, required=True),
                Field("total_count", INTEGER),
                Field("small", Primitive("integer", "int32")),
                Field("ratio", Primitive("number")),
                Field("flag", Primitive("boolean")),
                Field("at", Primitive("string", "date-time"), required=True),
                Field("day", Primitive("string", "date")),
                Field("note", Nullable(STRING), required=True),
                Field("mode", EnumOf(("fast", "slow")), default="fast"),
                Field("version", Const("v1"), default="v1"),
                Field("tags", ArrayOf(STRING)),
                Field("labels", MapOf(STRING)),
                Field("pet", Ref("Pet")),
                Field("size", UnionOf((Ref("Small"), Ref("Big")), mode="anyOf")),
                Field("extra", AnyValue()),
                Field("meta", Ref("Meta")),
            ),
        ),
        "Pet": Alias(
            "Pet",
            UnionOf(
                (Ref("Cat"), Ref("Dog")),
                discriminator=Discriminator("pet_type", (("cat", "Cat"), ("dog", "Dog"))),
            ),
        ),
        "Cat": Model("Cat", (Field("pet_type", STRING, required=True), Field("lives", INTEGER))),
        "Dog": Model("Dog", (Field("pet_type", STRING, required=True),)),
        "Small": Model("Small", (Field("a", INTEGER, required=True),)),
        "Big": Model("Big", (Field("a", INTEGER, required=True), Field("b", STRING))),
        "Meta": Model("Meta", (), additional=INTEGER),
    },
    source="every.json",
)


def _at(probes: ProbeSet, class_id: str) -> list[str]:
    return [c.probe_path for c in probes.cases if c.probe == class_id]


def _one(probes: ProbeSet, class_id: str, path: str) -> Case:
    found = [c for c in probes.cases if c.probe == class_id and c.probe_path == path]
    assert len(found) == 1, (class_id, path, found)
    return found[0]


def _wire(case: Case) -> dict[str, JsonValue]:
    assert isinstance(case.wire, dict)
    return case.wire


def _text(case: Case) -> str:
    assert case.wire_text is not None
    return case.wire_text


def test_every_probe_class_applies_somewhere_in_a_schema_built_for_it() -> None:
    """A schema with each kind of field gets at least one case of every probe class."""
    probes = probe_cases(EVERY, [("Root", "response")])
    empty = [name for name, count in probes.counts if count == 0]
    assert empty == []
    assert probes.classes == len(CLASSES)
    assert sum(count for _, count in probes.counts) == len(probes.cases)


def test_every_field_of_a_small_schema_gets_its_presence_probes() -> None:
    """Each field gets the removal that fits it and, where it is not nullable, null."""
    probes = probe_cases(EVERY, [("Root", "response")])
    assert _at(probes, "presence.required-removed")[:2] == ["$.userId", "$.at"]
    assert _at(probes, "presence.required-nullable-removed") == ["$.note"]
    assert _at(probes, "presence.default-absent") == ["$.mode"]
    assert _at(probes, "presence.const-default-absent") == ["$.version"]
    assert "$.total_count" in _at(probes, "presence.optional-absent")
    assert "$.note" not in _at(probes, "presence.null-required")
    assert "$.userId" in _at(probes, "presence.null-required")
    removed = {c.probe_path for c in probes.cases if c.probe.endswith(("removed", "absent"))}
    fields = {f"$.{f.wire_name}" for f in EVERY.models[0].fields}
    assert fields <= removed


def test_a_probe_changes_the_base_payload_at_exactly_its_path() -> None:
    """The probed payload equals the base everywhere but at the probed key."""
    base = base_payload(EVERY, "Root")
    assert isinstance(base, dict)
    probe = _one(probe_cases(EVERY, [("Root", "response")]), "numbers.2^53+1", "$.total_count")
    assert isinstance(probe.wire, dict)
    assert probe.wire["total_count"] == 2**53 + 1
    assert {k: v for k, v in probe.wire.items() if k != "total_count"} == {
        k: v for k, v in base.items() if k != "total_count"
    }


def test_the_base_payload_holds_every_optional_field_and_is_valid() -> None:
    """Every field is present in the base payload, and the checker accepts it."""
    base = base_payload(EVERY, "Root")
    assert isinstance(base, dict)
    assert list(base) == [f.wire_name for f in EVERY.models[0].fields]
    assert accepts(EVERY, "Root", base)


def test_value_probes_run_once_per_type_across_models() -> None:
    """Two models sharing a field type get its value probes once, and their own presence probes."""
    schema = Schema(
        {
            "A": Model("A", (Field("n", INTEGER, required=True),)),
            "B": Model("B", (Field("m", INTEGER, required=True),)),
        }
    )
    probes = probe_cases(schema, [("A", "response"), ("B", "response")])
    assert _at(probes, "numbers.2^53+1") == ["$.n"]
    assert [c.model for c in probes.cases if c.probe == "numbers.2^53+1"] == ["A"]
    assert [c.model for c in probes.cases if c.probe == "presence.required-removed"] == ["A", "B"]
    assert probes.repeats == 1


def test_validity_comes_from_the_checker() -> None:
    """``"5"`` where an integer goes is invalid, 2^53+1 valid, and invalid again for int32."""
    probes = probe_cases(EVERY, [("Root", "response")])
    assert not _one(probes, "coercion.numeric-string", "$.total_count").valid
    assert _one(probes, "numbers.2^53+1", "$.total_count").valid
    assert not _one(probes, "numbers.2^53+1", "$.small").valid
    assert _wire(_one(probes, "coercion.integral-float", "$.total_count"))["total_count"] == (
        Decimal("1.0")
    )
    for case in probes.cases:
        if case.wire_text is None or case.probe not in ("text.nan", "text.infinity"):
            assert case.valid == accepts(EVERY, "Root", case.wire), case.id


def test_validity_matches_the_checker_on_the_whole_payload_of_a_rich_schema() -> None:
    """Nested unions, recursion and maps: each probe is valid exactly when the checker says so."""
    runs: list[tuple[str, Direction]] = [(m.name, "response") for m in RICH.models]
    probes = probe_cases(RICH, runs)
    assert len(probes.cases) > 100
    for case in probes.cases:
        if case.probe not in ("text.nan", "text.infinity"):
            assert case.valid == accepts(RICH, case.model, case.wire), case.id


def test_raw_text_probes_read_back_to_their_wire() -> None:
    """Each wire_text parses to its wire, except NaN and Infinity, which JSON refuses."""
    probes = probe_cases(EVERY, [("Root", "response")])
    raw = [c for c in probes.cases if c.wire_text is not None]
    assert {c.probe for c in raw} == {
        "text.nan",
        "text.infinity",
        "text.duplicate-key",
        "text.escaped-non-ascii",
        "text.raw-utf8",
        "strings.lone-surrogate",
    }
    for case in raw:
        assert case.wire_text is not None
        if case.probe in ("text.nan", "text.infinity"):
            with pytest.raises(json.JSONDecodeError):
                jsonwire.loads(case.wire_text)
            assert not case.valid
        else:
            assert jsonwire.same(jsonwire.loads(case.wire_text), case.wire), case.id
    assert '"userId":"\\u00e9"' in _text(_one(probes, "text.escaped-non-ascii", "$.userId"))
    assert '"userId":"\u00e9"' in _text(_one(probes, "text.raw-utf8", "$.userId"))
    assert '"userId":"\\ud800"' in _text(_one(probes, "strings.lone-surrogate", "$.userId"))


def test_a_duplicate_key_is_written_twice_with_the_base_value_last() -> None:
    """The key appears twice in the text, first with another value; the value read is the base."""
    case = _one(probe_cases(EVERY, [("Root", "response")]), "text.duplicate-key", "$.userId")
    assert case.wire_text is not None
    assert '"userId":"b","userId":"a"' in case.wire_text
    duplicates: list[str] = []
    jsonwire.loads_pairs(case.wire_text, duplicates.append, jsonwire.MAX_DEPTH)
    assert duplicates == ["userId"]
    assert case.valid


def test_nan_is_written_where_a_number_goes_and_its_wire_holds_null() -> None:
    """``text.nan`` writes the NaN token in the text; its value holds null there."""
    case = _one(probe_cases(EVERY, [("Root", "response")]), "text.nan", "$.total_count")
    assert case.wire_text is not None
    assert '"total_count":NaN,' in case.wire_text
    assert isinstance(case.wire, dict)
    assert case.wire["total_count"] is None


def test_attribute_name_probes_only_where_the_python_name_differs() -> None:
    """``userId`` is sent as ``user_id``; ``total_count`` has no other Python name, but camel."""
    probes = probe_cases(EVERY, [("Root", "response")])
    assert "$.userId" in _at(probes, "keys.attribute-name")
    assert "$.total_count" not in _at(probes, "keys.attribute-name")
    renamed = _one(probes, "keys.attribute-name", "$.userId").wire
    assert isinstance(renamed, dict)
    assert "user_id" in renamed
    assert "userId" not in renamed
    assert next(iter(renamed)) == "user_id"  # in the key's place
    camel = _one(probes, "keys.camel-name", "$.total_count").wire
    assert isinstance(camel, dict)
    assert "totalCount" in camel
    assert "$.userId" not in _at(probes, "keys.camel-name")


def test_unions_get_member_several_and_discriminator_probes() -> None:
    """Each member of an undiscriminated union, a value fitting two, and the tag's two probes."""
    probes = probe_cases(EVERY, [("Root", "response")])
    assert _at(probes, "union.member") == ["$.size", "$.size"]
    several = _one(probes, "union.fits-several", "$.size")
    assert _wire(several)["size"] == {"a": 1}
    unknown = _one(probes, "union.unknown-discriminator", "$.pet.pet_type")
    assert _wire(unknown)["pet"] == {"pet_type": "unknown_member", "lives": 1}
    assert not _one(probes, "union.missing-discriminator", "$.pet.pet_type").valid


def test_probe_ids_are_deterministic_unique_and_name_model_class_and_direction() -> None:
    """The same schema gives the same cases; ids carry the direction when a model has two."""
    runs: list[tuple[str, Direction]] = [
        ("Root", "request"),
        ("Root", "response"),
        ("Small", "response"),
    ]
    first, again = (probe_cases(EVERY, runs) for _ in range(2))
    assert first == again
    ids = [c.id for c in first.cases]
    assert len(set(ids)) == len(ids)
    assert "probe-Root-numbers.2_53_1-0-request" in ids
    assert "probe-Root-numbers.2_53_1-0-response" in ids
    assert all(not i.endswith(("-request", "-response")) for i in ids if "-Small-" in i)
    assert first.model_directions == 3


def test_a_model_without_a_payload_is_one_problem_and_the_others_are_probed() -> None:
    """A model that holds itself through a required field is skipped and said once."""
    schema = Schema(
        {
            "Loop": Model("Loop", (Field("next", Ref("Loop"), required=True),)),
            "Ok": Model("Ok", (Field("n", INTEGER, required=True),)),
        },
        source="loop.json",
    )
    problems: list[CaseFileError] = []
    probes = probe_cases(
        schema, [("Loop", "request"), ("Loop", "response"), ("Ok", "response")], problems=problems
    )
    assert [p.message.split(":")[0] for p in problems] == ["model 'Loop' skipped at probe"]
    assert {c.model for c in probes.cases} == {"Ok"}
    assert probes.model_directions == 1


def _conformance(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the one-model schema, the reference targets and one case."""
    (tmp_path / "schema.yaml").write_text(THING_SCHEMA)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = ["schema.yaml"]\ncases = ["cases"]\n' + REFERENCES
    )
    (tmp_path / "cases").mkdir()
    body = {"model": "Thing", "direction": "request", "tests": [{"id": "t", "wire": {"count": 1}}]}
    (tmp_path / "cases" / "things.json").write_text(json.dumps(body))
    return tmp_path


def test_run_probes_writes_probe_case_records_counted_by_the_summary(project: Path) -> None:
    """``run --probes`` adds the probes of the suite's models in their directions, and says so."""
    out = project / "results.ndjson"
    done = _conformance("run", "--probes", "--out", str(out), "--format", "json", cwd=project)
    assert done.returncode in (0, 1), done.stderr
    records = list(read_results(out))
    header = records[0]
    assert isinstance(header, Header)
    assert header.config["probes"] is True
    cases = [r for r in records if isinstance(r, CaseRecord)]
    probed = [r for r in cases if r.probe]
    assert [r.id for r in cases if not r.probe] == ["t"]
    assert probed
    assert all(r.direction == "request" and r.probe_path for r in probed)
    assert json.loads(done.stdout)["cases"] == len(cases)
    line = f"probes: {len(probed)} cases over 1 model-directions ("
    assert line in done.stderr


def test_run_probes_with_all_models_needs_no_generate(project: Path) -> None:
    """``--all-models`` goes with ``--probes`` alone; a run without either refuses it."""
    out = project / "results.ndjson"
    done = _conformance("run", "--probes", "--all-models", "--out", str(out), cwd=project)
    assert done.returncode in (0, 1), done.stderr
    assert any(isinstance(r, CaseRecord) and r.probe for r in read_results(out))
    refused = _conformance("run", "--all-models", "--out", str(out), cwd=project)
    assert refused.returncode == 2
    assert "--probes" in refused.stderr


def test_scale_probes_run_beside_the_generated_cases(tmp_path: Path) -> None:
    """``scale --probes`` adds the probes of each planned model and direction, and one line."""
    schema = Schema({"Small": EVERY["Small"], "Big": EVERY["Big"]}, source="two.json")
    plan = ScalePlan(schema, {"Small": ("request", "response"), "Big": ("response",)}, "spec")
    out = tmp_path / "scale.ndjson"
    said: list[str] = []
    run_plan(ScaleRun(out=out, count=2, probes=True), Config(root=tmp_path), plan, said.append)
    records = list(read_results(out))
    cases = [r for r in records if isinstance(r, CaseRecord)]
    assert len([r for r in cases if not r.probe]) == 6
    probed = [(r.model, r.direction) for r in cases if r.probe]
    assert set(probed) == {("Small", "request"), ("Small", "response"), ("Big", "response")}
    assert any(line.startswith("probes: ") and "over 3 model-directions" in line for line in said)
    header = records[0]
    assert isinstance(header, Header)
    assert header.config["probes"] is True
