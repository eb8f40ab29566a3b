"""Fuzzing every reader of user files: only the tool's own errors come out.

Each reader gets arbitrary bytes, byte-level mutations of a valid file, and
structural mutations of a valid document (one to three values replaced by any
JSON value or a schema fragment, removed, or keys added). Whatever comes in, it answers with a
``ConformanceError`` naming the file and a location, or with the error records
or problems its API returns, never with another exception. The harness client
gets arbitrary answer lines from the ``scripted`` fake harness and must turn
each into an outcome. The command line, run on garbage, exits 1 or 2 with a
message and no traceback.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conformance.comparison.baseline import load_expected
from conformance.core import jsonwire
from conformance.core.config import Config, load_config, parse_config
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import (
    CaseFileError,
    ConfigError,
    HarnessError,
    ResultsError,
    SchemaError,
)
from conformance.oracle.models import build_models
from conformance.results.reader import read_results
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    ResultRecord,
    to_json,
)
from conformance.schema import Schema
from conformance.sources.cases import Case, load_cases
from conformance.sources.openapi import load_openapi
from conformance.sources.sdkdocs.reader import docs_schema, parse_page_bytes, read_docs_tree
from conformance.targets.factory import build_targets
from conformance.targets.harness import HarnessTarget
from conformance.testing import fake_harness_command
from tests.strategies import json_values

REPO = Path(__file__).resolve().parent.parent
CASE_SEED = (REPO / "cases" / "orq" / "completions-data.json").read_bytes()
OPENAPI_SEED = (REPO / "cases" / "orq" / "openapi.yaml").read_bytes()
EXPECTED_SEED = (REPO / "cases" / "orq" / "expected-failures.json").read_bytes()
DOCS = REPO / "tests" / "data" / "docs"
PAGE_SEEDS = tuple(path.read_bytes() for path in sorted(DOCS.rglob("*.md")))
PYPROJECT_SEED = b"""[tool.conformance]
schema = "openapi.yaml"
cases = ["cases"]
results = "out/results.ndjson"
expected = "expected.json"
timeout = 2.5

[tool.conformance.models]
Thing = "ThingModel"

[[tool.conformance.targets]]
name = "reference-python"
kind = "reference"
convention = "python"

[[tool.conformance.targets]]
name = "sdk"
kind = "python-sdk"
python = ".venv/bin/python"
modules = ["sdk.models"]
package = "sdk"

[[tool.conformance.policy]]
kind = "number-format"
path = "$.usage.*"
targets = ["sdk"]
severity = "note"
reason = "counts are compared by value"
"""
SEED_RECORDS = (
    Header("conformance", "0.1.0", "2024-01-01T00:00:00+00:00", config={"cases": ["c"]}),
    CaseRecord("c1", "Thing", "response", {"n": Decimal("1.50"), "big": 9007199254740993}),
    ResultRecord(
        "c1",
        "reference-python",
        "diverge",
        Outcome("accepted", wire={"n": Decimal("1.5")}, native={"n": 1}),
        (
            Divergence(
                ("n",),
                "number-format",
                Side(("input",), Decimal("1.50")),
                Side(("reference-python",), Decimal("1.5")),
            ),
        ),
        ("reference-python",),
    ),
    ProblemRecord("bad id", "rename it", "cases/a.json", 3, 7, "$.tests[0].id", "x y"),
    Footer(
        dict.fromkeys(STATUSES, 0) | {"diverge": 1},
        "2024-01-01T00:00:01+00:00",
        1.0,
        1,
        failing=1,
    ),
)
RESULTS_SEED = "".join(to_json(record) + "\n" for record in SEED_RECORDS).encode()

#: Bytes that matter to the formats read here: JSON, YAML, TOML and Markdown syntax,
#: the JSON constants Python accepts, huge numbers, bad UTF-8 and escapes.
INTERESTING = (
    *(b'"', b"{", b"}", b"[", b"]", b",", b":", b"\\", b"'", b"\n", b"\r", b"\t", b"\x00"),
    *(b"null", b"true", b"NaN", b"-Infinity", b"1e999999", b"-0", b"1" * 5000, b"0x1F"),
    *(b"\\u0000", b"\\ud800", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"),
    *(b"&a ", b"*a", b"!!binary ", b"!!python/object ", b"<<: ", b"- ", b"? ", b"---\n"),
    *(b"[[", b"]]", b"= ", b'"""', b"inf", b"nan", b"1979-05-27T07:32:00Z"),
    *(b"| ", b"# ", b"## Fields\n", b"## Values\n", b"```", b"~~~", b"`", b"*", b"](", b"\\|"),
    *(b"[" * 300, b"{" * 300, b'{"a":' * 300),
)
E = TypeVar("E", bound=Exception)
STATES = ("accepted", "rejected", "error", "skipped")
LOCATED = re.compile(r"line \d+|position \d+|byte \d+|end of document|\$|\[\d+\]")

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- strategies ---------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few byte-level edits: flips, insertions, deletions, cuts, copies."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(("flip", "insert", "delete", "cut", "copy")))
        if edit == "flip" and data:
            data[min(where, len(data) - 1)] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[where:where] = draw(st.sampled_from(INTERESTING) | st.binary(min_size=1))
        elif edit == "delete":
            del data[where : where + draw(st.integers(1, 64))]
        elif edit == "cut":
            del data[where:]
        else:
            data[where:where] = data[where : where + draw(st.integers(1, 256))]
    return bytes(data)


#: Schema fragments that reach the corners of the OpenAPI loader: self references,
#: references to non-schemas, empty unions, type lists, odd discriminators.
SCHEMA_FRAGMENTS = (
    {"$ref": "#"},
    {"$ref": "#/components/schemas"},
    {"$ref": "#/components/schemas/PostV2ProxyCompletionsData"},
    {"$ref": "#/components/schemas/~1..~0%ZZ"},
    {"allOf": [{"$ref": "#/components/schemas/PostV2ProxyCompletionsData"}, {"type": "string"}]},
    {"oneOf": []},
    {"anyOf": [{"required": ["a"]}]},
    {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "x", "mapping": {"a": "#"}}},
    {"type": ["object", "null", "array"]},
    {"type": "array", "items": [{}]},
    {"type": "object", "properties": {"": {}, "a": False}, "required": ["a", "a", 1]},
    {"additionalProperties": {"$ref": "#/components/schemas/PostV2ProxyCompletionsData"}},
    {"enum": []},
    {"enum": [None, {"a": [1]}], "nullable": True},
    {"const": None, "type": "null"},
    {"format": "date-time", "type": "string", "default": Decimal("1E+999999")},
)


def hostile_values() -> st.SearchStrategy[Any]:
    """Any JSON value, and the values a reader of one shape is least ready for."""
    edges = st.sampled_from(
        (None, True, 0, -1, "", [], {}, Decimal("1E+999999"), Decimal("-0"), 2**64, "\ud800")
    )
    return edges | st.sampled_from(SCHEMA_FRAGMENTS) | json_values(max_leaves=8)


@st.composite
def reshaped(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one to three values replaced, keys or items removed, or keys added."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        holder: Any = None
        key: Any = None
        node = document
        while isinstance(node, dict | list) and node and draw(st.integers(0, 4)):
            holder = node
            key = draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
            node = node[key]
        edit = draw(st.sampled_from(("replace", "remove", "add")))
        if holder is None:
            if edit == "replace":
                document = copy.deepcopy(draw(hostile_values()))
        elif edit == "replace":
            holder[key] = copy.deepcopy(draw(hostile_values()))
        elif edit == "remove":
            del holder[key]
        elif isinstance(holder, dict):
            holder[draw(st.text(max_size=12))] = copy.deepcopy(draw(hostile_values()))
        else:
            holder.insert(key, copy.deepcopy(draw(hostile_values())))
    return document


def as_json(document: Any) -> bytes:
    """A document as JSON text, numbers written as their exact tokens."""
    return jsonwire.dumps(document).encode()


# -- helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole module: each example overwrites its file."""
    return tmp_path_factory.mktemp("fuzz")


def written(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/name`` and return the path."""
    path = folder / name
    path.write_bytes(data)
    return path


def located(message: str) -> bool:
    """Whether a message points somewhere: a line, a byte position or a JSON path."""
    return LOCATED.search(message) is not None


def check_cases(data: bytes, folder: Path) -> None:
    """Load one case file: every error is a located ``CaseFileError``; every case writes back."""
    path = written(folder, "cases.json", data)
    loaded = load_cases([path], {"PostV2ProxyCompletionsData", "Thing"})
    for error in loaded.errors:
        assert isinstance(error, CaseFileError)
        assert error.file == str(path)
        assert error.line is not None or error.path, str(error)
        assert str(error).startswith(str(path))
    for case in loaded.cases:
        jsonwire.dumps(case.wire)
    assert len({case.id for case in loaded.cases}) == len(loaded.cases)


def raised(call: Callable[[], object], kind: type[E]) -> E | None:
    """The ``kind`` exception ``call()`` raised, or None if it returned (others propagate)."""
    try:
        call()
    except kind as error:
        return error
    return None


def check_openapi(data: bytes, folder: Path, suffix: str) -> Schema | None:
    """Load an OpenAPI document: a located ``SchemaError``, or a schema whose problems are."""
    path = written(folder, f"openapi{suffix}", data)
    loaded: list[Schema] = []
    error = raised(lambda: loaded.append(load_openapi(path)), SchemaError)
    if error is not None:
        assert error.file == str(path)
        assert error.pointer or located(error.message) or "'openapi' is" in error.message
        return None
    (schema,) = loaded
    for problem in schema.problems:
        assert problem.location.startswith(f"{path}#"), problem
    return schema


def check_page(data: bytes, language: Any) -> None:
    """Parse one docs page: problems only, each at ``path:line``."""
    page = parse_page_bytes(data, path="models/thing.md", language=language)
    for problem in page.problems:
        assert re.fullmatch(r"models/thing\.md:\d+", problem.location), problem


def check_expected(data: bytes, folder: Path) -> None:
    """Read an expected-failures file: entries, or a located ``ConfigError``."""
    path = written(folder, "expected.json", data)
    error = raised(lambda: load_expected(path), ConfigError)
    if error is not None:
        assert error.file == str(path)
        assert error.key or located(error.message), str(error)


def check_results(data: bytes, folder: Path) -> None:
    """Stream a results file: records, then at most one ``ResultsError`` at its line."""
    path = written(folder, "results.ndjson", data)
    error = raised(lambda: list(read_results(path)), ResultsError)
    if error is not None:
        assert error.file == str(path)
        assert error.line is not None
        assert 1 <= error.line <= data.count(b"\n") + 1


def check_config_file(data: bytes, folder: Path) -> None:
    """Read a ``pyproject.toml``: a configuration, or a ``ConfigError`` naming the file."""
    path = written(folder, "pyproject.toml", data)
    error = raised(lambda: load_config(path), ConfigError)
    if error is not None:
        assert error.file == str(path)
        assert error.key or located(error.message) or "nested" in error.message, str(error)


# -- the seeds ------------------------------------------------------------------


def test_seed_files_are_valid(tmp_path: Path) -> None:
    """Every seed file that mutations start from (docs pages aside) reads without an error."""
    assert load_cases([written(tmp_path, "c.json", CASE_SEED)]).errors == ()
    assert load_openapi(written(tmp_path, "openapi.yaml", OPENAPI_SEED)).definitions
    assert load_expected(written(tmp_path, "e.json", EXPECTED_SEED)).entries
    assert load_config(written(tmp_path, "pyproject.toml", PYPROJECT_SEED)).targets
    assert tuple(read_results(written(tmp_path, "r.ndjson", RESULTS_SEED))) == SEED_RECORDS


# -- case files -----------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=400) | st.sampled_from(INTERESTING))
def test_case_loader_reports_arbitrary_bytes(scratch: Path, data: bytes) -> None:
    """Arbitrary bytes in a case file come back as located errors, never raised."""
    check_cases(data, scratch)


@FUZZ
@given(data=mutated(CASE_SEED))
def test_case_loader_reports_mutated_case_files(scratch: Path, data: bytes) -> None:
    """Byte edits of a valid case file come back as located errors, never raised."""
    check_cases(data, scratch)


@FUZZ
@given(document=reshaped(json.loads(CASE_SEED)))
def test_case_loader_reports_reshaped_case_files(scratch: Path, document: Any) -> None:
    """A valid case file with one value replaced, removed or added never raises."""
    check_cases(as_json(document), scratch)


# -- OpenAPI documents ----------------------------------------------------------


@FUZZ
@given(
    data=st.binary(max_size=400) | st.sampled_from(INTERESTING),
    suffix=st.sampled_from([".yaml", ".json"]),
)
def test_openapi_loader_reports_arbitrary_bytes(scratch: Path, data: bytes, suffix: str) -> None:
    """Arbitrary bytes as an OpenAPI document raise a located ``SchemaError``, nothing else."""
    check_openapi(data, scratch, suffix)


@FUZZ
@given(data=mutated(OPENAPI_SEED))
def test_openapi_loader_reports_mutated_documents(scratch: Path, data: bytes) -> None:
    """Byte edits of a valid YAML document give a schema with problems or a ``SchemaError``."""
    check_openapi(data, scratch, ".yaml")


@FUZZ
@given(
    document=reshaped(yaml.safe_load(OPENAPI_SEED)),
    suffix=st.sampled_from((".yaml", ".json")),
)
def test_openapi_loader_reports_reshaped_documents(
    scratch: Path, document: Any, suffix: str
) -> None:
    """A valid document with one value changed loads, and its models build, or it is refused."""
    schema = check_openapi(as_json(document), scratch, suffix)
    if schema is not None and schema.definitions:
        build_models(schema)


# -- SDK docs pages -------------------------------------------------------------


@FUZZ
@given(
    data=st.binary(max_size=400) | st.sampled_from(INTERESTING),
    language=st.sampled_from(("python", "typescript")),
)
def test_docs_page_reports_arbitrary_bytes(data: bytes, language: str) -> None:
    """Arbitrary bytes as a docs page give a page with problems at ``path:line``."""
    check_page(data, language)


@FUZZ
@given(
    data=st.sampled_from(PAGE_SEEDS).flatmap(mutated),
    language=st.sampled_from(("python", "typescript")),
)
@example(data=b"# AndEq\n\n## Supported Types\n", language="python")
def test_docs_page_reports_mutated_pages(data: bytes, language: str) -> None:
    """Byte edits of real docs pages give pages with problems at ``path:line``."""
    check_page(data, language)


@settings(FUZZ, max_examples=25)
@given(pages=st.lists(st.sampled_from(PAGE_SEEDS).flatmap(mutated), min_size=1, max_size=4))
def test_docs_tree_reads_mutated_pages(
    tmp_path_factory: pytest.TempPathFactory, pages: list[bytes]
) -> None:
    """A docs tree of mutated pages reads, indexes and builds a schema without raising."""
    root = tmp_path_factory.mktemp("docs")
    models = root / "docs" / "models"
    models.mkdir(parents=True)
    for index, data in enumerate(pages):
        written(models, f"page{index}.md", data)
    for language in ("python", "typescript"):
        tree = read_docs_tree(root, language)
        for page in tree:
            assert all(p.location.startswith(page.path + ":") for p in page.problems)
    docs_schema(read_docs_tree(root, "python"), read_docs_tree(root, "typescript"))


# -- configuration ------------------------------------------------------------


def toml_values() -> st.SearchStrategy[Any]:
    """Values a TOML document can hold (and ``None``, which a caller may pass)."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=10)
        | st.sampled_from(("", "a\x00b", "../x", "python", "reference", "note", "fail", "*"))
        | st.datetimes()
        | st.dates()
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


def tables(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Tables with some of ``keys`` (and maybe a stranger) holding any TOML value."""
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), toml_values(), max_size=6)


TARGET_KEYS = ("name", "kind", "convention", "python", "modules", "package", "models", "options")
TARGET_KEYS += ("timeout", "root", "node", "folder")
POLICY_KEYS = ("kind", "path", "targets", "severity", "reason")
TOP_KEYS = ("schema", "cases", "results", "expected", "timeout", "models")
CONFIG_SECTIONS = (
    st.fixed_dictionaries(
        {},
        optional={
            **{key: toml_values() for key in TOP_KEYS},
            "targets": st.lists(tables(TARGET_KEYS), max_size=3) | toml_values(),
            "policy": st.lists(tables(POLICY_KEYS), max_size=3) | toml_values(),
        },
    )
    | toml_values()
)


@settings(FUZZ, max_examples=150)
@given(section=CONFIG_SECTIONS)
def test_config_parser_refuses_arbitrary_tables(scratch: Path, section: Any) -> None:
    """Any ``[tool.conformance]`` table gives a configuration or a ``ConfigError`` with a key."""
    configs: list[Config] = []
    error = raised(lambda: configs.append(parse_config(section, scratch, "x.toml")), ConfigError)
    if error is None:
        error = raised(lambda: build_targets(configs[0], build_models(Schema())), ConfigError)
    if error is not None:
        assert error.file == "x.toml"
        assert error.key.startswith("tool.conformance"), str(error)


@FUZZ
@given(data=st.binary(max_size=300) | st.sampled_from(INTERESTING) | mutated(PYPROJECT_SEED))
def test_config_loader_refuses_arbitrary_files(scratch: Path, data: bytes) -> None:
    """Arbitrary or mutated ``pyproject.toml`` bytes give a configuration or a ``ConfigError``."""
    check_config_file(data, scratch)


# -- expected failures ----------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=300) | st.sampled_from(INTERESTING) | mutated(EXPECTED_SEED))
def test_expected_loader_refuses_arbitrary_files(scratch: Path, data: bytes) -> None:
    """Arbitrary or mutated expected-failures bytes give entries or a located ``ConfigError``."""
    check_expected(data, scratch)


@FUZZ
@given(document=reshaped(json.loads(EXPECTED_SEED)))
def test_expected_loader_refuses_reshaped_files(scratch: Path, document: Any) -> None:
    """An expected-failures file with one value changed gives entries or a ``ConfigError``."""
    check_expected(as_json(document), scratch)


# -- results ------------------------------------------------------------------


@FUZZ
@given(
    lines=st.lists(
        st.text(max_size=60) | st.binary(max_size=60).map(lambda b: b.decode("latin-1")), max_size=5
    )
)
def test_results_reader_refuses_arbitrary_lines(scratch: Path, lines: list[str]) -> None:
    """Arbitrary lines in a results file raise a ``ResultsError`` at their line, nothing else."""
    check_results("\n".join(lines).encode("utf-8", "surrogatepass"), scratch)


@FUZZ
@given(data=mutated(RESULTS_SEED) | st.binary(max_size=200))
def test_results_reader_refuses_mutated_files(scratch: Path, data: bytes) -> None:
    """Byte edits of a valid results file raise a ``ResultsError`` at their line, nothing else."""
    check_results(data, scratch)


@FUZZ
@given(
    index=st.integers(0, len(SEED_RECORDS) - 1),
    reshape=st.data(),
)
def test_results_reader_refuses_reshaped_records(
    scratch: Path, index: int, reshape: st.DataObject
) -> None:
    """A valid record with one value changed reads back or raises a ``ResultsError``."""
    lines = [jsonwire.loads(to_json(record)) for record in SEED_RECORDS]
    lines[index] = reshape.draw(reshaped(lines[index]))
    check_results(b"\n".join(as_json(line) for line in lines), scratch)


# -- harness answers ------------------------------------------------------------

SEQ = "@@seq@@"
ANSWER_FIELDS = {
    "seq": st.just(SEQ) | st.integers() | hostile_values(),
    "accepted": st.booleans() | hostile_values(),
    "wire": hostile_values(),
    "wire_text": st.text(max_size=30) | hostile_values().map(jsonwire.dumps),
    "native": hostile_values(),
    "error": st.text(max_size=30) | hostile_values(),
    "skipped": st.booleans() | hostile_values(),
    "reason": st.text(max_size=30) | hostile_values(),
    "warnings": st.lists(st.text(max_size=10), max_size=3) | hostile_values(),
    "internal": st.booleans() | hostile_values(),
}
VALID_ANSWERS = (
    b'{"seq":{seq},"accepted":true,"wire":{"a":1.50},"native":{"a":1.50}}',
    b'{"seq":{seq},"accepted":true,"wire_text":"{\\"a\\":1.50}","warnings":["w"]}',
    b'{"seq":{seq},"accepted":false,"error":"a: expected number"}',
    b'{"seq":{seq},"accepted":false,"internal":true,"error":"bug"}',
    b'{"seq":{seq},"skipped":true,"reason":"no such model"}',
)


def answer_lines() -> st.SearchStrategy[bytes]:
    """Answer scripts: protocol-shaped dictionaries, mutated valid answers, arbitrary bytes."""
    shaped = st.fixed_dictionaries({}, optional=ANSWER_FIELDS).map(
        lambda answer: jsonwire.dumps(answer).replace(f'"{SEQ}"', "{seq}").encode()
    )
    return shaped | st.sampled_from(VALID_ANSWERS).flatmap(mutated) | st.binary(max_size=120)


@pytest.fixture(scope="module")
def scripted(scratch: Path) -> Iterator[tuple[HarnessTarget, Path]]:
    """One scripted fake harness for the module, restarted as often as it breaks."""
    script = scratch / "answer.txt"
    script.write_bytes(VALID_ANSWERS[0])
    command = fake_harness_command("scripted", script=script)
    target = HarnessTarget("fuzz", command, timeout=5.0, start_timeout=10.0, max_restarts=10**6)
    target.start()
    yield target, script
    target.close()


@settings(FUZZ, max_examples=60)
@given(answer=answer_lines())
def test_harness_client_turns_any_answer_into_an_outcome(
    scripted: tuple[HarnessTarget, Path], answer: bytes
) -> None:
    """Whatever a harness answers to a case, the case ends as an outcome, never an exception."""
    target, script = scripted
    script.write_bytes(answer)
    outcome = target.run(Case("fuzz-case", "Echo", "response", {"a": Decimal("1.50")}))
    assert outcome.state in STATES
    if outcome.state == "error":
        assert "target 'fuzz'" in outcome.error


@settings(FUZZ, max_examples=20)
@given(
    answer=st.sampled_from(
        (
            b'{"ready":true,"implementation":{"name":"f","language":"python","sdk":"s","sdk_version":"1"}}',
            b'{"ready":false,"error":"no"}',
        )
    ).flatmap(mutated)
    | st.binary(max_size=80)
)
def test_harness_client_refuses_any_start_answer(scratch: Path, answer: bytes) -> None:
    """Whatever a harness answers to ``start``, the client starts or raises ``HarnessError``."""
    script = written(scratch, "start.txt", answer)
    target = HarnessTarget(
        "fuzz-start", fake_harness_command("scripted-start", script=script), start_timeout=5.0
    )
    started: list[Implementation] = []
    try:
        error = raised(lambda: started.append(target.start()), HarnessError)
    finally:
        target.close()
    if error is not None:
        assert error.target == "fuzz-start"
    else:
        assert len(started) == 1


# -- the command line -----------------------------------------------------------

GARBAGE = b"\xff\xfe{[\x00 NaN ]]\n"
SCHEMA = REPO / "cases" / "orq" / "openapi.yaml"


def conformance(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m conformance`` with ``args`` in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "conformance", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def garbage_run(folder: Path) -> tuple[str | Path, ...]:
    """``run`` with a garbage pyproject.toml."""
    return ("run", "--config", written(folder, "pyproject.toml", GARBAGE))


def garbage_schema(folder: Path) -> tuple[str | Path, ...]:
    """``run`` with a garbage schema."""
    schema = written(folder, "openapi.yaml", b"openapi: [\n" + GARBAGE)
    cases = folder / "cases"
    cases.mkdir()
    written(cases, "a.json", b'{"tests": []}')
    return ("run", "--schema", schema, "--cases", cases, "--out", folder / "r.ndjson")


def garbage_cases(folder: Path) -> tuple[str | Path, ...]:
    """``run`` with case files of garbage, deep nesting and NaN."""
    cases = folder / "cases"
    cases.mkdir()
    written(cases, "garbage.json", GARBAGE)
    written(
        cases,
        "deep.json",
        b'{"tests": [{"id": "d", "wire": ' + b"[" * 20000 + b"]" * 20000 + b"}]}",
    )
    written(
        cases,
        "nan.json",
        b'{"model": "M", "direction": "response", "tests": [{"id": "n", "wire": NaN}]}',
    )
    return (
        "run",
        "--schema",
        SCHEMA,
        "--cases",
        cases,
        "--out",
        folder / "r.ndjson",
        "--format",
        "json",
    )


def garbage_report(folder: Path) -> tuple[str | Path, ...]:
    """``report`` of a garbage results file."""
    return ("report", written(folder, "results.ndjson", GARBAGE), "--format", "json")


def garbage_docs(folder: Path) -> tuple[str | Path, ...]:
    """``docs`` of two trees of garbage pages."""
    roots = []
    for language in ("py", "ts"):
        models = folder / language / "docs" / "models"
        models.mkdir(parents=True)
        written(models, "thing.md", b"# Thing\n## Fields\n| Field |\n|" + GARBAGE)
        roots.append(folder / language)
    return ("docs", *roots, "--out", folder / "docs.ndjson", "--format", "json")


def garbage_naming(folder: Path) -> tuple[str | Path, ...]:
    """``naming`` of a garbage JSON schema."""
    return ("naming", "--schema", written(folder, "openapi.json", GARBAGE), "--format", "json")


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(garbage_run, id="run-config"),
        pytest.param(garbage_schema, id="run-schema"),
        pytest.param(garbage_cases, id="run-cases"),
        pytest.param(garbage_report, id="report"),
        pytest.param(garbage_docs, id="docs"),
        pytest.param(garbage_naming, id="naming"),
    ],
)
def test_cli_on_garbage_exits_with_a_message_and_no_traceback(
    tmp_path: Path, command: Callable[[Path], tuple[str | Path, ...]]
) -> None:
    """Each command given garbage exits 1 or 2 with a message on stderr, never a traceback."""
    done = conformance(*command(tmp_path), cwd=tmp_path)
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() or done.stdout.strip()
