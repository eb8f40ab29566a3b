"""Loading case files: good cases load, every bad file or case is reported and skipped."""

from __future__ import annotations

import codecs
import json
import subprocess
from pathlib import Path

import pytest

from conformance.sources.cases import Case, load_cases

MODELS = {"Thing", "Other"}


def _write(folder: Path, name: str, content: object | str) -> Path:
    path = folder / name
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_cases_load_with_file_defaults(tmp_path: Path) -> None:
    """model and direction at the top of a file apply to each case."""
    _write(
        tmp_path,
        "a.json",
        {
            "model": "Thing",
            "direction": "response",
            "tests": [{"id": "one", "wire": {"x": 1}, "description": "d"}],
        },
    )
    loaded = load_cases([tmp_path], MODELS)
    assert loaded.cases == (
        Case("one", "Thing", "response", {"x": 1}, True, "d", f"{tmp_path / 'a.json'} $.tests[0]"),
    )
    assert loaded.errors == ()


def test_invalid_json_is_reported_with_line_and_column(tmp_path: Path) -> None:
    """A syntax error names the file, line and column; other files still load."""
    _write(tmp_path, "bad.json", '{"tests": [\n  {"id": "x",, }\n]}')
    _write(
        tmp_path,
        "good.json",
        {"model": "Thing", "direction": "response", "tests": [{"id": "g", "wire": 1}]},
    )
    loaded = load_cases([tmp_path], MODELS)
    assert [c.id for c in loaded.cases] == ["g"]
    (error,) = loaded.errors
    assert (error.file, error.line, error.column) == (str(tmp_path / "bad.json"), 2, 14)
    assert "invalid JSON" in str(error)


def test_unknown_model_suggests_close_names(tmp_path: Path) -> None:
    """An unknown model is reported at its case with the nearest known names."""
    path = _write(
        tmp_path,
        "a.json",
        {
            "direction": "response",
            "tests": [
                {"id": "ok", "model": "Thing", "wire": 1},
                {"id": "typo", "model": "Thimg", "wire": 1},
            ],
        },
    )
    loaded = load_cases([tmp_path], MODELS)
    assert [c.id for c in loaded.cases] == ["ok"]
    (error,) = loaded.errors
    line = path.read_text().splitlines().index('      "id": "typo",') + 1
    assert (error.case_id, error.path, error.line) == ("typo", "$.tests[1].model", line)
    assert error.message == "unknown model 'Thimg'"
    assert "'Thing'" in error.hint


def test_duplicate_ids_across_files_name_the_first(tmp_path: Path) -> None:
    """A repeated id is reported where it repeats, naming the first definition."""
    body = {"model": "Thing", "direction": "response", "tests": [{"id": "same", "wire": 1}]}
    _write(tmp_path, "a.json", body)
    _write(tmp_path, "b.json", body)
    loaded = load_cases([tmp_path], MODELS)
    assert len(loaded.cases) == 1
    (error,) = loaded.errors
    assert error.file == str(tmp_path / "b.json")
    assert f"first defined at {tmp_path / 'a.json'} $.tests[0]" in error.message


@pytest.mark.parametrize(
    ("test", "path", "words"),
    [
        pytest.param({"id": "x"}, "$.tests[0]", "'wire' is a required property", id="no-wire"),
        pytest.param({"wire": 1}, "$.tests[0]", "'id' is a required property", id="no-id"),
        pytest.param(
            {"id": "x", "wire": 1, "valdi": False}, "$.tests[0]", "valdi", id="misspelled-key"
        ),
        pytest.param({"id": "../x", "wire": 1}, "$.tests[0].id", "does not match", id="bad-id"),
        pytest.param(
            {"id": "x", "wire": 1, "valid": "no"},
            "$.tests[0].valid",
            "not of type",
            id="valid-not-bool",
        ),
        pytest.param(
            {"id": "x", "wire": 1, "direction": "sideways"},
            "$.tests[0].direction",
            "is not one of",
            id="bad-direction",
        ),
    ],
)
def test_malformed_case_is_reported_at_its_path(
    tmp_path: Path, test: dict[str, object], path: str, words: str
) -> None:
    """A case that breaks the case schema is reported with its JSON path; the next one loads."""
    _write(
        tmp_path,
        "a.json",
        {"model": "Thing", "direction": "response", "tests": [test, {"id": "fine", "wire": 1}]},
    )
    loaded = load_cases([tmp_path], MODELS)
    assert [c.id for c in loaded.cases] == ["fine"]
    (error,) = loaded.errors
    assert error.path == path
    assert words in error.message
    assert error.hint


def test_missing_model_says_where_to_put_it(tmp_path: Path) -> None:
    """A case with no model (and no file default) says to add one."""
    _write(tmp_path, "a.json", {"direction": "response", "tests": [{"id": "x", "wire": 1}]})
    (error,) = load_cases([tmp_path], MODELS).errors
    assert (error.message, error.path) == ("no 'model' for this case", "$.tests[0]")


def test_not_an_object_file_is_reported(tmp_path: Path) -> None:
    """A file holding an array is not a case file."""
    _write(tmp_path, "a.json", [1, 2])
    (error,) = load_cases([tmp_path], MODELS).errors
    assert "'tests' array" in error.message


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported, not decoded by guess."""
    (tmp_path / "a.json").write_bytes(b'{"tests": ["\xff"]}')
    (error,) = load_cases([tmp_path], MODELS).errors
    assert error.message == "not UTF-8 (byte 12)"


GOOD = b'{"model": "Thing", "direction": "response", "tests": [{"id": "g", "wire": 1}]}'


def test_utf8_bom_is_reported_as_a_bom_with_how_to_remove_it(tmp_path: Path) -> None:
    """A file that starts with a UTF-8 byte-order mark is refused with a message naming the BOM."""
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF8 + GOOD)
    loaded = load_cases([path], MODELS)
    (error,) = loaded.errors
    assert loaded.cases == ()
    assert (error.file, error.line, error.column) == (str(path), 1, 1)
    assert error.message == "the file starts with a UTF-8 byte-order mark (BOM)"
    assert f"sed -i '1s/^\\xEF\\xBB\\xBF//' {path}" in error.hint


def test_utf8_bom_removal_in_the_hint_makes_the_file_load(tmp_path: Path) -> None:
    """The command the hint gives removes the BOM, and the file then loads."""
    path = tmp_path / "a.json"
    path.write_bytes(codecs.BOM_UTF8 + GOOD)
    (error,) = load_cases([path], MODELS).errors
    command = error.hint.partition("e.g. ")[2]
    subprocess.run(["sh", "-c", command], check=True, timeout=60)
    assert [c.id for c in load_cases([path], MODELS).cases] == ["g"]


def test_utf16_bom_is_reported_as_a_bom(tmp_path: Path) -> None:
    """A UTF-16 file (with its byte-order mark) is named as such, not as byte 0 of bad UTF-8."""
    path = tmp_path / "a.json"
    path.write_bytes(GOOD.decode().encode("utf-16"))
    (error,) = load_cases([path], MODELS).errors
    assert error.message == "the file starts with a UTF-16 byte-order mark (BOM)"
    assert "iconv -f UTF-16 -t UTF-8" in error.hint


def _nested_case(depth: int) -> str:
    """A case file whose one payload nests ``depth`` arrays, on a line of its own."""
    return (
        '{"model": "Thing", "direction": "response", "tests": [\n'
        '  {"id": "deep", "wire": ' + "[" * depth + "]" * depth + "}\n]}\n"
    )


def test_payload_nested_128_levels_loads(tmp_path: Path) -> None:
    """A payload 128 levels deep loads: the file's own three wrapping levels do not count."""
    path = _write(tmp_path, "a.json", _nested_case(128))
    loaded = load_cases([path], MODELS)
    assert loaded.errors == ()
    (case,) = loaded.cases
    depth, value = 0, case.wire
    while isinstance(value, list):
        depth, value = depth + 1, value[0] if value else None
    assert depth == 128


def test_payload_nested_129_levels_is_refused_at_its_129th_bracket(tmp_path: Path) -> None:
    """A payload 129 levels deep is a case file error at the line and column of level 129."""
    path = _write(tmp_path, "a.json", _nested_case(129))
    loaded = load_cases([path], MODELS)
    (error,) = loaded.errors
    assert loaded.cases == ()
    column = len('  {"id": "deep", "wire": ') + 129
    assert (error.file, error.line, error.column) == (str(path), 2, column)
    assert error.message == "a value is nested more than 128 levels deep (arrays and objects)"


def test_value_beside_the_payload_may_not_nest_deeper_than_a_payload(tmp_path: Path) -> None:
    """A test's description nested 129 levels is refused like a payload, not read."""
    deep = "[" * 129 + "]" * 129
    text = '{"model": "Thing", "tests": [{"id": "x", "wire": 1, "description": ' + deep + "}]}"
    (error,) = load_cases([_write(tmp_path, "a.json", text)], MODELS).errors
    assert error.message.startswith("a value is nested more than 128 levels deep")


def test_duplicate_json_keys_are_reported(tmp_path: Path) -> None:
    """One key twice in one object is ambiguous and reported."""
    _write(tmp_path, "a.json", '{"model": "Thing", "model": "Other", "tests": []}')
    (error,) = load_cases([tmp_path], MODELS).errors
    assert "'model' appears twice" in error.message


def test_missing_file_is_reported(tmp_path: Path) -> None:
    """A named file that does not exist is an error, not a crash."""
    (error,) = load_cases([tmp_path / "nope.json"], MODELS).errors
    assert error.message.startswith("cannot read the case file")


def test_bundled_default_cases_all_load() -> None:
    """The shipped suite loads without a single problem."""
    from conformance.sources.openapi import load_openapi

    root = Path(__file__).parent.parent / "cases" / "orq"
    schema = load_openapi(root / "openapi.yaml")
    loaded = load_cases([root], schema.definitions, [root / "expected-failures.json"])
    assert loaded.errors == ()
    assert len(loaded.cases) >= 40
