"""Hostile names: case ids, model names and target names never escape their folder,
and any wire key works as a field.

Names reach the file system in one place, the recorded target (one file per
case id); everywhere else they are data inside files the user named (results,
reports). Each hostile name is tried against the recorded target, against the
case-file schema that restricts ids, and through every report writer, which
must write the files it was asked for and nothing else.

Wire keys become attributes of generated attrs classes. Keywords, builtins,
``self``, attrs internals, punctuation, non-ASCII and colliding keys are each
round-tripped through both reference targets, one at a time and all at once,
and ``conformance run`` runs a HAL model with a ``self`` link to the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from conformance.core.conventions import get_convention, unique_names
from conformance.core.divergence import Divergence, Side
from conformance.core.jsonwire import JsonValue
from conformance.core.outcome import Implementation, Outcome
from conformance.oracle.models import (
    EXTRAS,
    ModelSet,
    attribute_names,
    build_models,
    field_info,
    schema_fields,
)
from conformance.report.outputs import Outputs
from conformance.results.reader import read_results
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    TargetInfo,
)
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema
from conformance.sources.cases import Case, load_cases
from conformance.targets.recorded import RecordedTarget, recorded_path
from conformance.targets.reference import ReferenceTarget

#: Names that must never become a file name: they leave the folder, or a file system
#: reads them as something else.
REFUSED = [
    pytest.param("", id="empty"),
    pytest.param(".", id="dot"),
    pytest.param("..", id="dot-dot"),
    pytest.param("../escape", id="parent"),
    pytest.param("../../../../../../etc/passwd", id="many-parents"),
    pytest.param("..\\escape", id="parent-backslash"),
    pytest.param("/etc/passwd", id="absolute"),
    pytest.param("a/b", id="slash"),
    pytest.param("a\\b", id="backslash"),
    pytest.param("\\\\server\\share\\x", id="unc"),
    pytest.param("C:\\escape", id="drive-absolute"),
    pytest.param("a\x00b", id="nul-byte"),
    pytest.param("line\nbreak", id="newline"),
    pytest.param("tab\there", id="tab"),
    pytest.param("CON", id="con"),
    pytest.param("nul", id="nul-device"),
    pytest.param("COM1", id="com1"),
    pytest.param("lpt9.txt", id="lpt9-with-extension"),
    pytest.param("Aux .data", id="aux-with-space"),
    pytest.param("com\u00b9", id="com-superscript"),
    pytest.param("trailing.", id="trailing-dot"),
    pytest.param("trailing ", id="trailing-space"),
    pytest.param("a" * 251, id="256-bytes"),
    pytest.param("\u00e9" * 200, id="400-bytes-of-utf8"),
    pytest.param("a" * 10_000, id="10000-characters"),
    pytest.param("\ud800", id="lone-surrogate"),
]
#: Ids the case-file schema allows (and the recorded target takes).
ORDINARY = [
    pytest.param("big-integer-number", id="dashes"),
    pytest.param("a.b_c-d", id="punctuation"),
    pytest.param("x..y", id="inner-dot-dot"),
    pytest.param("consent", id="starts-like-con"),
    pytest.param("COM10", id="com10"),
    pytest.param("a" * 200, id="200-characters"),
]


def case(case_id: str) -> Case:
    """A response case with the given id."""
    return Case(id=case_id, model="Thing", direction="response", wire={"id": "x"})


def tree(root: Path) -> set[Path]:
    """Every file and folder under ``root``."""
    return set(root.rglob("*"))


@pytest.fixture
def arena(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A recorded folder inside a parent that holds tempting files, unchanged afterwards."""
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("escape.json", "passwd.json", "CON.json", "secret.json"):
        (tmp_path / name).write_text('{"accepted": true, "wire": "stolen"}')
    before = tree(tmp_path)
    yield tmp_path, folder
    assert tree(tmp_path) == before


# -- the recorded target ------------------------------------------------------------


@pytest.mark.parametrize("case_id", REFUSED)
def test_recorded_path_refuses_hostile_id(tmp_path: Path, case_id: str) -> None:
    """A hostile case id names no file at all."""
    assert recorded_path(tmp_path, case_id) is None


@pytest.mark.parametrize("case_id", REFUSED)
def test_recorded_target_never_reads_outside_its_folder(
    arena: tuple[Path, Path], case_id: str
) -> None:
    """A hostile case id is an error outcome naming the id; nothing is read or written."""
    _, folder = arena
    outcome = RecordedTarget("ci", folder).run(case(case_id))
    assert outcome.state == "error"
    assert outcome.error.startswith(f"case id {case_id!r} cannot name a file in ")
    assert "stolen" not in outcome.error


@pytest.mark.parametrize("case_id", ORDINARY)
def test_recorded_path_keeps_ordinary_ids_in_the_folder(tmp_path: Path, case_id: str) -> None:
    """An ordinary case id names ``<id>.json`` directly inside the folder."""
    path = recorded_path(tmp_path, case_id)
    assert path == tmp_path / f"{case_id}.json"
    assert path.resolve().parent == tmp_path.resolve()


@pytest.mark.skipif(os.name == "nt", reason="':' names an NTFS stream on Windows")
def test_recorded_path_keeps_colons_on_posix(tmp_path: Path) -> None:
    """A colon (``docs:Thing``, ``C:x``) is an ordinary character of a POSIX file name."""
    assert recorded_path(tmp_path, "C:escape") == tmp_path / "C:escape.json"


# -- the case-file schema ------------------------------------------------------------

#: The hostile names the id pattern (``^[A-Za-z0-9][A-Za-z0-9._:-]*$``, 200 at most) refuses;
#: the others (``CON``, ``trailing.``...) fit it and are refused by the recorded target.
SCHEMA_REFUSED = [
    param
    for param in REFUSED
    if not (
        param.values[0][:1].isascii()
        and param.values[0][:1].isalnum()
        and all(c.isascii() and (c.isalnum() or c in "._:-") for c in param.values[0])
        and len(param.values[0]) <= 200
    )
]


@pytest.mark.parametrize("case_id", SCHEMA_REFUSED)
def test_case_file_schema_refuses_hostile_id(tmp_path: Path, case_id: str) -> None:
    """A case file whose id breaks the id pattern loads no case and names the id's path."""
    path = tmp_path / "cases.json"
    document = {"model": "Thing", "direction": "response", "tests": [{"id": case_id, "wire": 1}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = load_cases([path])
    (error,) = loaded.errors
    assert loaded.cases == ()
    assert (error.file, error.path) == (str(path), "$.tests[0].id")


@pytest.mark.parametrize("case_id", ORDINARY)
def test_case_file_schema_accepts_ordinary_id(tmp_path: Path, case_id: str) -> None:
    """An ordinary id loads."""
    path = tmp_path / "cases.json"
    document = {"model": "Thing", "direction": "response", "tests": [{"id": case_id, "wire": 1}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert [c.id for c in load_cases([path]).cases] == [case_id]


# -- results and reports ----------------------------------------------------------------

#: One name of every hostile kind, as case id, model name and target name at once.
NAMES = (
    "../escape",
    "/etc/passwd",
    "a\\b",
    "CON",
    "a\x00b\x01c",
    "<script>alert(1)</script>",
    "]]><x/>",
    '" onload="x',
    "| col | `tick` *star* [link](javascript:x)",
    "\ud800",
    "n" * 5_000,
)
#: The names a report can show; a lone surrogate cannot be written as UTF-8 (see below).
SHOWN = tuple(name for name in NAMES if name != "\ud800")


def records(names: tuple[str, ...]) -> list[Record]:
    """A run in which every case id, model name and target name is one of ``names``."""
    out: list[Record] = [
        Header(
            "conformance",
            "0.1.0",
            "2024-01-01T00:00:00+00:00",
            tuple(TargetInfo(n, "recorded", None, Implementation(n, n, n, n)) for n in names),
        )
    ]
    for name in names:
        out.append(CaseRecord(name, name, "response", {name: name}, source=name))
        divergence = Divergence((name, 0), "value", Side(("input",), name), Side((name,), 1))
        out.append(
            ResultRecord(
                name,
                name,
                "diverge",
                Outcome("accepted", wire={name: 1}, native={name: 1}),
                (divergence.with_severity("fail"),),
                (name,),
            )
        )
        out.append(ProblemRecord(name, name, name, 1, 1, name, name))
    totals = dict.fromkeys(STATUSES, 0) | {"diverge": len(names)}
    out.append(Footer(totals, "2024-01-01T00:00:01+00:00", 1.0, 1, failing=len(names)))
    return out


def test_results_file_keeps_hostile_names_as_data(tmp_path: Path) -> None:
    """Hostile names are written into the results file and read back unchanged."""
    folder = tmp_path / "out"
    written = records(NAMES)
    with ResultsWriter(folder / "results.ndjson") as writer:
        writer.write_all(written)
    assert list(read_results(folder / "results.ndjson")) == written
    assert tree(tmp_path) == {folder, folder / "results.ndjson"}


def test_reports_write_only_the_files_they_were_given(tmp_path: Path) -> None:
    """HTML, JUnit and Markdown reports of hostile names create exactly their three files."""
    folder = tmp_path / "out"
    outputs = Outputs(folder / "r.html", folder / "r.xml", folder / "r.md")
    outputs.write(records(SHOWN), ["results.ndjson"])
    assert tree(tmp_path) == {folder, *outputs.paths}


def test_html_report_escapes_hostile_names(tmp_path: Path) -> None:
    """No hostile name reaches the HTML report as markup."""
    path = tmp_path / "r.html"
    Outputs(html=path).write(records(SHOWN))
    html = path.read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert '" onload="x' not in html


def test_junit_report_of_hostile_names_is_well_formed_xml(tmp_path: Path) -> None:
    """The JUnit report of hostile names (control characters included) parses as XML."""
    path = tmp_path / "r.xml"
    Outputs(junit=path).write(records(NAMES))
    root = ET.parse(path).getroot()
    assert len(root.findall(".//failure")) == len(NAMES)


def test_html_report_of_a_lone_surrogate_name_is_written(tmp_path: Path) -> None:
    """A name with a lone surrogate is shown escaped in the HTML report."""
    path = tmp_path / "r.html"
    Outputs(html=path).write(records(("\ud800",)))
    assert "\\ud800" in path.read_text("utf-8")


# -- wire keys ----------------------------------------------------------------------

#: (id, key): wire keys that are Python keywords, builtins, names the generated
#: methods bind, attrs internals, or not identifiers at all.
HOSTILE: list[tuple[str, str]] = [
    ("self", "self"),
    ("cls", "cls"),
    ("class", "class"),
    ("from", "from"),
    ("None", "None"),
    ("lambda", "lambda"),
    ("soft-keyword-match", "match"),
    ("builtin-type", "type"),
    ("builtin-id", "id"),
    ("other", "other"),
    ("mro", "mro"),
    ("proto", "__proto__"),
    ("dunder-init", "__init__"),
    ("dunder-class", "__class__"),
    ("dunder-dict", "__dict__"),
    ("dunder-slots", "__slots__"),
    ("dunder-weakref", "__weakref__"),
    ("attrs-attrs", "__attrs_attrs__"),
    ("attrs-init", "__attrs_init__"),
    ("attrs-setattr", "_setattr"),
    ("attrs-cached-setattr-get", "_cached_setattr_get"),
    ("attrs-attr-dict", "attr_dict"),
    ("attrs-nothing", "NOTHING"),
    ("extras-bucket", EXTRAS),
    ("underscore", "_"),
    ("two-underscores", "__"),
    ("leading-digit", "1st"),
    ("dash", "a-b"),
    ("at-type", "@type"),
    ("dollar-ref", "$ref"),
    ("empty", ""),
    ("space", " "),
    ("accented", "caf\u00e9"),
    ("cjk", "\u540d\u524d"),
    ("nfkc-ligature", "\ufb01le"),
    ("10000-characters", "k" * 10_000),
]
#: (id, keys): two keys of one model that some convention gives the same native name.
COLLIDING: list[tuple[str, tuple[str, str]]] = [
    ("case-only", ("id", "ID")),
    ("snake-and-camel", ("error_code", "errorCode")),
    ("self-and-escape", ("self", "self_")),
    ("both-wordless", ("_", "")),
    ("keyword-and-escape", ("from", "from_")),
]
HOSTILE_KEYS = [pytest.param(key, id=name) for name, key in HOSTILE]
COLLIDING_KEYS = [pytest.param(keys, id=name) for name, keys in COLLIDING]
#: Every key above once, in order.
ALL_KEYS: list[str] = list(
    dict.fromkeys([*(k for _, k in HOSTILE), *(k for _, keys in COLLIDING for k in keys)])
)
CONVENTIONS = [pytest.param(c, id=c) for c in ("python", "typescript")]
STRING = Primitive("string")


def models_of(keys: list[str]) -> ModelSet:
    """The models of ``Holder``, one string field per key, every other one required."""
    fields = tuple(Field(key, STRING, required=i % 2 == 0) for i, key in enumerate(keys))
    return build_models(Schema({"Holder": Model("Holder", fields)}))


def round_trip(keys: list[str], convention: str) -> tuple[Outcome, JsonValue, JsonValue]:
    """(outcome without timing, the wire sent, the native view the convention should give)."""
    wire: JsonValue = {key: f"value of {key[:20]!r}" for key in keys}
    names = unique_names(keys, get_convention(convention))
    native: JsonValue = {names[key]: f"value of {key[:20]!r}" for key in keys}
    target = ReferenceTarget(f"reference-{convention}", models_of(keys), convention)
    outcome = target.run(Case("keys", "Holder", "response", wire))
    return attrs.evolve(outcome, seconds=0.0), wire, native


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_wire_key_round_trips_unchanged(key: str, convention: str) -> None:
    """A hostile wire key is written back as sent and named by its convention in the native view."""
    outcome, wire, native = round_trip([key], convention)
    assert outcome == Outcome("accepted", wire=wire, native=native)


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("keys", COLLIDING_KEYS)
def test_colliding_wire_keys_round_trip_unchanged(keys: tuple[str, str], convention: str) -> None:
    """Two keys that share a name in some convention both survive, each under its own name."""
    outcome, wire, native = round_trip(list(keys), convention)
    assert outcome == Outcome("accepted", wire=wire, native=native)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_model_of_every_hostile_key_at_once_round_trips(convention: str) -> None:
    """A model holding every hostile and colliding key builds and round-trips unchanged."""
    outcome, wire, native = round_trip(ALL_KEYS, convention)
    assert outcome == Outcome("accepted", wire=wire, native=native)


def test_every_hostile_key_keeps_its_wire_name_on_a_distinct_attribute() -> None:
    """Each key gets its own attribute, whose metadata holds the key exactly as sent."""
    cls = models_of(ALL_KEYS).classes["Holder"]
    attributes = schema_fields(cls)
    assert (
        sorted(field_info(a).wire_name for a in attributes),
        len({a.name for a in attributes}),
    ) == (sorted(ALL_KEYS), len(ALL_KEYS))


def test_attribute_names_escape_only_unusable_python_names() -> None:
    """Usable Python names are kept; ``self`` and the like get a free underscored name."""
    keys = ["system_fingerprint", "self", "self_", "from", "_", "", "@type", "userID"]
    assert attribute_names(keys) == {
        "system_fingerprint": "system_fingerprint",
        "self": "self_",
        "self_": "self_2",
        "from": "from_",
        "_": "field",
        "": "field_2",
        "@type": "type",
        "userID": "user_id",
    }


HAL_SCHEMA = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Link:
      type: object
      required: [href]
      properties:
        href: {type: string}
    Links:
      type: object
      required: [self]
      properties:
        self: {$ref: '#/components/schemas/Link'}
        next: {$ref: '#/components/schemas/Link'}
    Page:
      type: object
      required: [_links]
      properties:
        _links: {$ref: '#/components/schemas/Links'}
        self: {type: string}
        cls: {type: string}
        class: {type: integer}
        from: {type: string}
"""
HAL_PAGE = {
    "_links": {"self": {"href": "/pages/1"}, "next": {"href": "/pages/2"}},
    "self": "s",
    "cls": "c",
    "class": 1,
    "from": "f",
}


def test_run_of_a_hal_model_with_self_links_completes(tmp_path: Path) -> None:
    """`conformance run` on a model with ``self`` keys exits 0 and writes every target's result."""
    (tmp_path / "schema.yaml").write_text(HAL_SCHEMA)
    (tmp_path / "cases").mkdir()
    tests = [
        {"id": "page", "wire": HAL_PAGE},
        {"id": "no-self-link", "wire": {"_links": {}}, "valid": False},
    ]
    body = {"model": "Page", "direction": "response", "tests": tests}
    (tmp_path / "cases" / "pages.json").write_text(json.dumps(body))
    (tmp_path / "pyproject.toml").write_text(
        """
[tool.conformance]
schema = "schema.yaml"
cases = ["cases"]
results = "results.ndjson"

[[tool.conformance.targets]]
name = "reference-python"
kind = "reference"
convention = "python"

[[tool.conformance.targets]]
name = "reference-typescript"
kind = "reference"
convention = "typescript"
"""
    )
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    results = [r for r in read_results(tmp_path / "results.ndjson") if isinstance(r, ResultRecord)]
    assert sorted((r.case, r.target, r.status) for r in results) == [
        ("no-self-link", "reference-python", "pass"),
        ("no-self-link", "reference-typescript", "pass"),
        ("page", "reference-python", "pass"),
        ("page", "reference-typescript", "pass"),
    ]
    assert {r.target: r.outcome.wire for r in results if r.case == "page"} == {
        "reference-python": HAL_PAGE,
        "reference-typescript": HAL_PAGE,
    }
