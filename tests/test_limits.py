"""Limits: deep, huge, long and wide inputs are handled or refused clearly, in bounded memory.

Decisions, as ``conformance.core.jsonwire`` documents them: documents nest at most
``MAX_DEPTH`` (128) arrays and objects, and anything deeper is a
``NestingError`` with its line and column (a case file error, a protocol
error, a schema error...); an integer token of any length is valid JSON and
is read exactly, as an integral ``Decimal`` beyond Python's 4,300-digit
``int`` conversion limit. Memory is measured in a subprocess, as the peak
resident size above the resident size before the operation (Linux ``/proc``),
so that the figures are the operation's own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conformance.comparison.baseline import load_expected
from conformance.core import jsonwire
from conformance.core.config import load_config
from conformance.core.outcome import Outcome
from conformance.exceptions import ConfigError, ResultsError, SchemaError
from conformance.oracle.models import ModelSet, build_models
from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, ResultRecord
from conformance.results.writer import ResultsWriter
from conformance.schema import Alias, AnyValue, EnumOf, Model
from conformance.sources.cases import Case, load_cases
from conformance.sources.openapi import load_openapi
from conformance.targets.harness import HarnessTarget
from conformance.targets.recorded import RecordedTarget
from conformance.targets.reference import ReferenceTarget
from conformance.testing import fake_harness_command

DEEP = 10_000
MB = 1 << 20
BOX = """\
openapi: 3.1.0
info: {title: limits, version: "1"}
paths: {}
components:
  schemas:
    Box:
      type: object
      properties:
        data: {}
        count: {type: integer}
        amount: {type: number}
"""
#: Measures one operation in a fresh interpreter (Linux): the peak resident size above the
#: resident size before it (KiB). The kernel's peak is reset first (``clear_refs``), so the
#: figure is the operation's own, not the importer's or the parent process's.
MEASURE = """
import json, sys
from pathlib import Path
from conformance.sources.cases import load_cases
from conformance.results.reader import read_results
from conformance.results.records import CaseRecord
from conformance.results.writer import ResultsWriter

def status(key):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(key + ":"))

def start():
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    return status("VmRSS")

def grown(since):
    return status("VmHWM") - since

operation, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
before = start()
if operation == "load":
    loaded = load_cases([source])
    facts = {"cases": len(loaded.cases), "errors": [str(e) for e in loaded.errors]}
elif operation == "write":
    (case,) = load_cases([source]).cases
    facts = {"loading_kib": grown(before)}
    before = start()
    with ResultsWriter(target) as writer:
        writer.write(CaseRecord(case.id, case.model, case.direction, case.wire))
else:
    facts = {"records": sum(1 for _ in read_results(source))}
print(json.dumps({"grown_kib": grown(before), **facts}))
"""


def measure(operation: str, source: Path, target: Path | None = None) -> dict[str, Any]:
    """Run ``operation`` (load, write, read) in a subprocess; its facts and peak growth (KiB)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, operation, str(source), str(target or source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    facts: dict[str, Any] = json.loads(done.stdout)
    return facts


def case_file(path: Path, wire_text: str, case_id: str = "c") -> Path:
    """Write a case file of one response case of model ``Box`` with ``wire_text`` as its wire."""
    path.write_text(
        f'{{"model": "Box", "direction": "response", "tests": '
        f'[{{"id": "{case_id}", "wire": {wire_text}}}]}}',
        encoding="utf-8",
    )
    return path


def nested(depth: int, leaf: str = "") -> str:
    """Arrays nested ``depth`` deep around ``leaf``."""
    return "[" * depth + leaf + "]" * depth


def deep_value(depth: int) -> Any:
    """A parsed value of arrays nested ``depth`` deep (built without recursion)."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> ModelSet:
    """The models of the ``Box`` schema."""
    path = tmp_path_factory.mktemp("box") / "openapi.yaml"
    path.write_text(BOX, encoding="utf-8")
    return build_models(load_openapi(path))


# -- depth ----------------------------------------------------------------------


def test_deeply_nested_case_file_is_a_case_file_error(tmp_path: Path) -> None:
    """A wire nested 10,000 levels deep is a case file error at the first bracket too deep."""
    path = case_file(tmp_path / "deep.json", nested(DEEP))
    loaded = load_cases([path])
    (error,) = loaded.errors
    assert loaded.cases == ()
    wire = path.read_text().index(": [[") + 2
    # The file's object, its tests array and the test's object do not count: the
    # error is at the payload's own 129th bracket.
    column = wire + jsonwire.MAX_DEPTH + 1
    assert (error.file, error.line, error.column) == (str(path), 1, column)
    assert error.message == "a value is nested more than 128 levels deep (arrays and objects)"


REPORTS = ("--html", "out/r.html", "--junit", "out/r.xml", "--markdown", "out/r.md")


def _run_with_reports(project: Path) -> tuple[subprocess.CompletedProcess[str], Any]:
    """``conformance run`` in ``project`` with every report, and its JSON summary."""
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--format", "json", *REPORTS],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done, json.loads(done.stdout)


def test_deepest_admitted_payload_runs_end_to_end(tmp_path: Path) -> None:
    """A payload at the depth limit runs through every target, comparison and report."""
    inner = jsonwire.MAX_DEPTH - 5  # file object, tests, test object, wire object, data array
    (tmp_path / "openapi.yaml").write_text(BOX)
    cases = tmp_path / "cases"
    cases.mkdir()
    case_file(cases / "deep.json", f'{{"data": [{nested(inner, "1.50")}, 1]}}', "deep")
    recorded = tmp_path / "recorded"
    recorded.mkdir()
    (recorded / "deep.json").write_text(
        f'{{"accepted": true, "wire": {{"data": [{nested(inner, "1.5")}]}}}}'
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = "openapi.yaml"\ncases = ["cases"]\n'
        'results = "out/results.ndjson"\n'
        '[[tool.conformance.targets]]\nname = "reference-python"\nkind = "reference"\n'
        'convention = "python"\n'
        '[[tool.conformance.targets]]\nname = "sdk-ci"\nkind = "recorded"\nfolder = "recorded"\n'
    )
    done, summary = _run_with_reports(tmp_path)
    assert (done.returncode, summary["problems"]) == (1, [])
    assert summary["targets"]["reference-python"]["pass"] == 1
    assert summary["targets"]["sdk-ci"]["diverge"] == 1
    records = list(read_results(tmp_path / "out" / "results.ndjson"))
    (case,) = [r for r in records if isinstance(r, CaseRecord)]
    assert jsonwire.same(case.wire, jsonwire.loads(f'{{"data": [{nested(inner, "1.50")}, 1]}}'))


def test_payload_at_the_readme_depth_limit_runs_end_to_end(tmp_path: Path) -> None:
    """A payload of exactly 128 levels runs through the reference targets and every report."""
    inner = jsonwire.MAX_DEPTH - 2  # the wire object and its data array are the other two
    wire = f'{{"data": {nested(inner, "1.50")}}}'
    (tmp_path / "openapi.yaml").write_text(BOX)
    (tmp_path / "cases").mkdir()
    case_file(tmp_path / "cases" / "deep.json", wire, "deep")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = "openapi.yaml"\ncases = ["cases"]\n'
        'results = "out/results.ndjson"\n'
        '[[tool.conformance.targets]]\nname = "reference-python"\nkind = "reference"\n'
        'convention = "python"\n'
        '[[tool.conformance.targets]]\nname = "reference-ts"\nkind = "reference"\n'
        'convention = "typescript"\n'
    )
    done, summary = _run_with_reports(tmp_path)
    assert (done.returncode, summary["problems"]) == (0, [])
    assert summary["targets"]["reference-python"]["pass"] == 1
    assert summary["targets"]["reference-ts"]["pass"] == 1
    (case,) = [
        r for r in read_results(tmp_path / "out" / "results.ndjson") if isinstance(r, CaseRecord)
    ]
    assert jsonwire.same(case.wire, jsonwire.loads(wire))
    assert all((tmp_path / name).stat().st_size for name in REPORTS[1::2])


def test_dumps_refuses_a_too_deep_value_with_value_error() -> None:
    """Writing a value nested 10,000 levels deep raises ``ValueError``, not ``RecursionError``."""
    with pytest.raises(ValueError, match="nested too deeply"):
        jsonwire.dumps(deep_value(DEEP))


def test_results_writer_writes_an_unwritable_outcome_as_an_error(tmp_path: Path) -> None:
    """A result whose outcome is too deep to write becomes an ``error`` result; the file goes on."""
    path = tmp_path / "results.ndjson"
    deep = ResultRecord("c", "sdk", "pass", Outcome("accepted", wire=deep_value(DEEP)))
    with ResultsWriter(path) as writer:
        writer.write(deep)
        writer.write(CaseRecord("d", "Box", "response", {"data": 1}))
    written, after = read_results(path)
    assert isinstance(written, ResultRecord)
    assert (written.case, written.status, written.outcome.state) == ("c", "error", "error")
    assert "cannot be written as JSON: the value is nested too deeply" in written.outcome.error
    assert after == CaseRecord("d", "Box", "response", {"data": 1})


def test_results_writer_refuses_an_unwritable_case_record(tmp_path: Path) -> None:
    """A case record too deep to write raises ``ResultsError`` naming the results file."""
    path = tmp_path / "results.ndjson"
    with ResultsWriter(path) as writer, pytest.raises(ResultsError) as caught:
        writer.write(CaseRecord("c", "Box", "response", deep_value(DEEP)))
    assert caught.value.file == str(path)
    assert "cannot write a case record" in caught.value.message


def test_results_line_nested_too_deeply_is_a_results_error(tmp_path: Path) -> None:
    """A results line nested 10,000 levels deep raises ``ResultsError`` at its line."""
    path = tmp_path / "results.ndjson"
    path.write_text("\n" + nested(DEEP) + "\n")
    with pytest.raises(ResultsError, match="nested more than") as caught:
        list(read_results(path))
    assert (caught.value.file, caught.value.line) == (str(path), 2)


def test_harness_answer_nested_too_deeply_is_an_error_outcome(tmp_path: Path) -> None:
    """A harness answer nested 10,000 levels deep is a protocol error outcome, not a crash."""
    script = tmp_path / "answer.txt"
    script.write_text('{"seq":{seq},"accepted":true,"wire":' + nested(DEEP) + "}")
    with HarnessTarget("deep", fake_harness_command("scripted", script=script)) as target:
        target.start()
        outcome = target.run(Case("c", "Echo", "response", {"a": 1}))
    assert outcome.state == "error"
    # The answer wraps the payload in one object: 129 levels of answer, 128 of payload.
    assert "nested more than 129 levels deep" in outcome.error


def test_payloads_of_128_levels_pass_through_harness_and_recorded_targets(tmp_path: Path) -> None:
    """A payload nested 128 levels deep comes back from a harness and a recorded outcome."""
    payload = jsonwire.loads(nested(128))
    with HarnessTarget("deep", fake_harness_command()) as target:
        target.start()
        echoed = target.run(Case("c", "Echo", "response", payload))
    (tmp_path / "c.json").write_text('{"accepted": true, "wire": ' + nested(128) + "}")
    recorded = RecordedTarget("ci", tmp_path).run(Case("c", "Box", "response", payload))
    assert (echoed.state, echoed.wire, recorded.state, recorded.wire) == (
        "accepted",
        payload,
        "accepted",
        payload,
    )


def test_recorded_outcome_nested_too_deeply_is_an_error_outcome(tmp_path: Path) -> None:
    """A recorded outcome nested 10,000 levels deep is an error outcome naming the file."""
    (tmp_path / "c.json").write_text('{"accepted": true, "wire": ' + nested(DEEP) + "}")
    outcome = RecordedTarget("ci", tmp_path).run(Case("c", "Box", "response", {}))
    assert outcome.state == "error"
    assert str(tmp_path / "c.json") in outcome.error
    assert "nested more than 129 levels deep" in outcome.error


def _deep_yaml(depth: int) -> str:
    """BOX plus a schema ``Deep`` whose document nests ``depth`` mappings in all."""
    inner = depth - 4  # the document, components, schemas and Deep's own mapping
    return BOX + "    Deep: " + "{type: array, items: " * inner + "{}" + "}" * inner + "\n"


@pytest.mark.parametrize("depth", [129, DEEP])
def test_yaml_schema_nested_too_deeply_is_a_schema_error(tmp_path: Path, depth: int) -> None:
    """A YAML document nested deeper than 128 levels is a ``SchemaError`` naming where."""
    path = tmp_path / "openapi.yaml"
    path.write_text(_deep_yaml(depth))
    with pytest.raises(SchemaError, match=r"line \d+, column \d+: nested more than 128") as caught:
        load_openapi(path)
    assert caught.value.file == str(path)


def test_yaml_schema_nested_128_levels_loads(tmp_path: Path) -> None:
    """A YAML document nested exactly 128 levels loads, with the deep schema intact."""
    path = tmp_path / "openapi.yaml"
    path.write_text(_deep_yaml(128))
    schema = load_openapi(path)
    assert isinstance(schema["Box"], Model)
    assert "Deep" in schema


def test_yaml_schema_that_contains_itself_is_a_problem(tmp_path: Path) -> None:
    """A schema that contains itself through a YAML alias is a problem, not a crash."""
    path = tmp_path / "openapi.yaml"
    path.write_text(BOX + "    Loop: &loop\n      allOf: [*loop]\n")
    schema = load_openapi(path)
    assert schema["Loop"] == Alias("Loop", AnyValue(), "", f"{path}#/components/schemas/Loop")
    assert any("YAML alias" in p.message for p in schema.problems)


def alias_bomb(levels: int = 9) -> str:
    """BOX plus the "billion laughs": ``levels`` anchors of ten aliases each, used as an enum."""
    lines = ["x-laughs:", "  l0: &l0 [" + ", ".join(['"lol"'] * 10) + "]"]
    lines += [f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, levels)]
    enum = f"    Laugh: {{type: array, items: {{}}, enum: *l{levels - 1}}}"
    return "\n".join([*lines, BOX.rstrip("\n"), enum]) + "\n"


def test_yaml_alias_bomb_is_a_schema_error_at_an_alias(tmp_path: Path) -> None:
    """An alias bomb is refused with the line and column of the alias that crossed the limit."""
    path = tmp_path / "openapi.yaml"
    path.write_text(alias_bomb(6))  # a million strings: over the limit, yet finite without it
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    error = caught.value
    found = re.match(r"line (\d+), column (\d+): the aliases up to \*l\d expand", error.message)
    assert found, error.message
    line, column = int(found[1]), int(found[2])
    assert path.read_text().splitlines()[line - 1][column - 1 :].startswith("*l")
    assert "1,000,000 nodes" in error.message
    assert error.file == str(path)
    assert "$ref" in error.hint


def test_naming_on_an_alias_bomb_ends_with_the_schema_error(tmp_path: Path) -> None:
    """``conformance naming`` on a billion-laughs enum exits 2 with the alias error, no hang."""
    (tmp_path / "openapi.yaml").write_text(alias_bomb())
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "naming", "--schema", "openapi.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only: the limit stops the walk long before
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "openapi.yaml: line " in done.stderr
    assert "expand the document by more than 1,000,000 nodes" in done.stderr


def test_yaml_aliases_reused_reasonably_load(tmp_path: Path) -> None:
    """Snippets reused through aliases (an alias inside an anchor too) still load."""
    uses = "\n".join(
        f"    Use{n}: {{type: object, properties: {{id: *id, page: *page}}}}" for n in range(40)
    )
    path = tmp_path / "openapi.yaml"
    path.write_text(
        "x-snippets:\n"
        "  id: &id {type: string, description: an id, examples: [a, b, c]}\n"
        "  page: &page {type: object, properties: {next: *id, size: {type: integer}}}\n"
        + BOX
        + uses
        + "\n"
        + alias_bomb(4).partition("openapi:")[0].replace("x-laughs", "x-small-laughs")
    )
    schema = load_openapi(path)
    assert "Use39" in schema


def _deep_alias(levels: int) -> str:
    """BOX plus an enum whose one value, an alias, makes the document ``levels`` deep."""
    inner = levels - 5  # document, components, schemas, Deep's mapping, the enum's array
    return (
        "x-deep: &deep " + "[" * inner + "]" * inner + "\n"
        f"{BOX}    Deep: {{type: array, items: {{}}, enum: [*deep]}}\n"
    )


def test_yaml_alias_nesting_too_deep_once_expanded_is_a_schema_error(tmp_path: Path) -> None:
    """An alias that makes the document 129 levels deep where it is used is refused there."""
    path = tmp_path / "openapi.yaml"
    path.write_text(_deep_alias(129))
    with pytest.raises(SchemaError) as caught:
        load_openapi(path)
    line = path.read_text().splitlines().index("    Deep: {type: array, items: {}, enum: [*deep]}")
    column = "    Deep: {type: array, items: {}, enum: [".__len__() + 1
    assert caught.value.message == (
        f"line {line + 1}, column {column}: the alias *deep nests the document more than "
        "128 levels deep once expanded"
    )


def test_yaml_alias_nesting_128_levels_once_expanded_loads(tmp_path: Path) -> None:
    """An alias that makes the document exactly 128 levels deep where it is used loads."""
    path = tmp_path / "openapi.yaml"
    path.write_text(_deep_alias(128))
    assert "Deep" in load_openapi(path)


def test_json_schema_nested_too_deeply_is_a_schema_error(tmp_path: Path) -> None:
    """A JSON OpenAPI document nested 10,000 levels deep is a ``SchemaError`` with its line."""
    path = tmp_path / "openapi.json"
    path.write_text('{"openapi": "3.1.0",\n"components": ' + nested(DEEP) + "}")
    with pytest.raises(SchemaError, match=r"line 2, column \d+: nested more than 128"):
        load_openapi(path)


def test_expected_file_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    """An expected-failures file nested 10,000 levels deep is a ``ConfigError`` with its line."""
    path = tmp_path / "expected.json"
    path.write_text('{"expected": ' + nested(DEEP) + "}")
    with pytest.raises(ConfigError, match="line 1 column 141: nested more than 128"):
        load_expected(path)


def test_config_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    """A ``pyproject.toml`` with arrays nested 10,000 deep is a ``ConfigError``, not a crash."""
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.conformance]\ntimeout = " + nested(DEEP) + "\n")
    with pytest.raises(ConfigError, match="nested too deeply") as caught:
        load_config(path)
    assert caught.value.file == str(path)


# -- huge numbers -----------------------------------------------------------------

HUGE_INTEGER = "9" * 100_000


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(HUGE_INTEGER, id="100000-digit-integer"),
        pytest.param("-" + HUGE_INTEGER, id="negative-100000-digit-integer"),
        pytest.param("1e999999", id="exponent-999999"),
        pytest.param("-1.5E-999999", id="exponent-minus-999999"),
    ],
)
def test_huge_number_tokens_are_read_and_written_exactly(token: str) -> None:
    """A huge number token is read as an exact ``Decimal`` and written back as its token."""
    value = jsonwire.loads(token)
    assert value == Decimal(token)
    assert jsonwire.dumps(value) == str(Decimal(token))
    assert jsonwire.loads(jsonwire.dumps(value)) == value


def test_huge_numbers_in_a_case_file_load(tmp_path: Path) -> None:
    """A case file with a 100,000-digit integer and ``1e999999`` loads them exactly."""
    path = case_file(tmp_path / "huge.json", f'{{"count": {HUGE_INTEGER}, "amount": 1e999999}}')
    (case,) = load_cases([path]).cases
    assert case.wire == {"count": Decimal(HUGE_INTEGER), "amount": Decimal("1E+999999")}


@pytest.mark.parametrize("convention", ["python", "typescript"])
def test_reference_target_round_trips_huge_numbers(box: ModelSet, convention: str) -> None:
    """The reference targets accept a 100,000-digit integer and ``1e999999`` and keep them."""
    wire = jsonwire.loads(f'{{"count": {HUGE_INTEGER}, "amount": 1e999999}}')
    outcome = ReferenceTarget("ref", box, convention).run(Case("c", "Box", "response", wire))
    assert outcome.state == "accepted"
    assert jsonwire.same(outcome.wire, wire)


def test_huge_numbers_survive_the_results_file(tmp_path: Path) -> None:
    """A case with huge numbers is written to a results file and read back exactly."""
    path = tmp_path / "results.ndjson"
    record = CaseRecord("c", "Box", "response", {"count": Decimal(HUGE_INTEGER)})
    with ResultsWriter(path) as writer:
        writer.write(record)
    (back,) = read_results(path)
    assert isinstance(back, CaseRecord)
    assert jsonwire.same(back.wire, record.wire)


def test_yaml_huge_integer_is_read_exactly(tmp_path: Path) -> None:
    """A 100,000-digit integer in a YAML schema (an enum value) is read as an exact ``Decimal``."""
    path = tmp_path / "openapi.yaml"
    path.write_text(BOX + f"    Big: {{type: integer, enum: [{HUGE_INTEGER}]}}\n")
    schema = load_openapi(path)
    assert schema["Big"] == Alias(
        "Big", EnumOf((Decimal(HUGE_INTEGER),)), "", f"{path}#/components/schemas/Big"
    )


def test_yaml_infinity_and_nan_are_problems_not_values(tmp_path: Path) -> None:
    """YAML's ``.inf`` and ``.nan`` (no JSON form) as default, enum or const are problems."""
    path = tmp_path / "openapi.yaml"
    path.write_text(
        BOX + "    Odd:\n      type: object\n      properties:\n"
        "        a: {type: number, default: .nan}\n"
        "        b: {type: number, enum: [.inf, 1.5]}\n"
        "        c: {const: -.inf}\n"
    )
    schema = load_openapi(path)
    at = f"{path}#/components/schemas/Odd/properties/"
    assert sorted(p.location for p in schema.problems) == [at + "a", at + "b", at + "c"]
    models = build_models(schema)
    wire = {"b": Decimal("1.5"), "c": 1}
    outcome = ReferenceTarget("ref", models, "python").run(Case("c", "Odd", "response", wire))
    assert outcome.state == "accepted"


# -- size: memory and time --------------------------------------------------------

ITEM = '{"id":"cmpl-123","index":7,"price":1.50,"text":"hello world, this is text","ok":true}'


@pytest.fixture(scope="module")
def huge_case_file(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 50 MB case file (one payload of 600,000 small objects), deleted afterwards."""
    path = tmp_path_factory.mktemp("huge") / "huge.json"
    count = 50 * MB // (len(ITEM) + 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"model": "Box", "direction": "response", "tests": [{"id": "huge", "wire": [')
        out.write(",".join([ITEM] * count))
        out.write("]}]}")
    yield path
    path.unlink()


def test_huge_case_file_loads_within_ten_times_its_size(huge_case_file: Path) -> None:
    """A 50 MB case file loads with a peak below 10x its size."""
    facts = measure("load", huge_case_file)
    size = huge_case_file.stat().st_size
    assert (facts["cases"], facts["errors"]) == (1, [])
    assert facts["grown_kib"] * 1024 < 10 * size, facts


@pytest.fixture(scope="module")
def huge_results(huge_case_file: Path) -> Any:
    """The 50 MB case written to a results file, and the figures of writing it."""
    path = huge_case_file.with_name("results.ndjson")
    facts = measure("write", huge_case_file, path)
    yield path, facts
    path.unlink()


def test_huge_case_is_written_without_another_copy_in_memory(
    huge_case_file: Path, huge_results: tuple[Path, dict[str, Any]]
) -> None:
    """Writing a 50 MB case to a results file costs less than twice its size on top of it."""
    _, facts = huge_results
    assert facts["grown_kib"] * 1024 < 2 * huge_case_file.stat().st_size, facts


def test_huge_results_file_reads_within_ten_times_its_size(
    huge_results: tuple[Path, dict[str, Any]],
) -> None:
    """A results file with a 50 MB record reads back with a peak below 10x its size."""
    path, _ = huge_results
    facts = measure("read", path)
    assert facts["records"] == 1
    assert facts["grown_kib"] * 1024 < 10 * path.stat().st_size, facts


def test_long_string_loads_within_ten_times_its_size(tmp_path: Path) -> None:
    """A case with a 10 MB string loads with a peak below 10x the file size."""
    path = case_file(tmp_path / "long.json", '"' + "x" * (10 * MB) + '"')
    facts = measure("load", path)
    assert (facts["cases"], facts["errors"]) == (1, [])
    assert facts["grown_kib"] * 1024 < 10 * path.stat().st_size, facts


def test_many_keys_load_within_twenty_times_their_size(tmp_path: Path) -> None:
    """An object of 200,000 keys loads with a peak below 20x the file size.

    Python needs about 10x for such a dict even with ``json.loads`` (short keys,
    small ints); the duplicate-key check holds each object's pairs once more.
    """
    keys = ",".join(f'"key{i}": {i}' for i in range(200_000))
    path = case_file(tmp_path / "keys.json", "{" + keys + "}")
    facts = measure("load", path)
    assert (facts["cases"], facts["errors"]) == (1, [])
    assert facts["grown_kib"] * 1024 < 20 * path.stat().st_size, facts


def test_many_keys_with_a_duplicate_name_the_line(tmp_path: Path) -> None:
    """A duplicate among 200,000 keys is reported at the line of its second occurrence."""
    keys = ",\n".join(f'"key{i}": {i}' for i in range(200_000))
    path = case_file(tmp_path / "keys.json", "{" + keys + ',\n"key7": 0}')
    (error,) = load_cases([path]).errors
    assert error.message == "key 'key7' appears twice in one object"
    assert error.line == 200_001
