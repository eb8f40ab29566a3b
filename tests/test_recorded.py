"""The recorded target: outcomes read from one JSON file per case id."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conformance.core import jsonwire
from conformance.sources.cases import Case
from conformance.targets.outcome import Implementation
from conformance.targets.recorded import RecordedTarget


def case(case_id: str = "c1") -> Case:
    """A response case with the given id."""
    return Case(id=case_id, model="CreateCompletionData", direction="response", wire={"id": "x"})


def record(folder: Path, case_id: str, text: str) -> Path:
    """Write a recorded outcome file and return its path."""
    path = folder / f"{case_id}.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_accepted_file_gives_an_accepted_outcome(tmp_path: Path) -> None:
    """An accepted record keeps its wire and native views with exact numbers."""
    record(
        tmp_path,
        "c1",
        '{"accepted": true, "wire": {"index": 0.0, "big": 9007199254740993},'
        ' "native": {"index": 0.0}, "warnings": ["unknown key"]}',
    )
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "accepted"
    assert jsonwire.same(outcome.wire, {"index": Decimal("0.0"), "big": 9007199254740993})
    assert jsonwire.same(outcome.native, {"index": Decimal("0.0")})
    assert outcome.warnings == ("unknown key",)


def test_rejected_file_gives_a_rejected_outcome(tmp_path: Path) -> None:
    """A rejected record keeps the SDK's error."""
    record(tmp_path, "c1", '{"accepted": false, "error": "id: Expected string"}')
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "rejected"
    assert outcome.error == "id: Expected string"


def test_missing_file_skips_the_case(tmp_path: Path) -> None:
    """A case without a recorded file is skipped, naming the file it looked for."""
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "skipped"
    assert str(tmp_path / "c1.json") in outcome.error


def test_invalid_json_is_an_error_naming_the_file(tmp_path: Path) -> None:
    """A file that is not JSON makes the case an error that names the file and the position."""
    path = record(tmp_path, "c1", '{"accepted": true,')
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "error"
    assert str(path) in outcome.error
    assert "line 1" in outcome.error


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("[]", "expected a JSON object", id="not-object"),
        pytest.param('{"wire": {}}', '"accepted" must be true or false', id="no-accepted"),
        pytest.param('{"accepted": true}', 'needs "wire"', id="accepted-without-wire"),
        pytest.param('{"accepted": false}', 'needs "error"', id="rejected-without-error"),
        pytest.param(
            '{"accepted": true, "wire": 1, "eror": "x"}', "unexpected keys ['eror']", id="typo"
        ),
        pytest.param(
            '{"accepted": true, "wire": 1, "warnings": [1]}', '"warnings" must be', id="warnings"
        ),
    ],
)
def test_wrong_shape_is_an_error_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    """A JSON file that is not a recorded outcome makes the case an error saying why."""
    path = record(tmp_path, "c1", text)
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "error"
    assert str(path) in outcome.error
    assert problem in outcome.error


def test_unreadable_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    """A path that cannot be read as a file makes the case an error naming it."""
    (tmp_path / "c1.json").mkdir()
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "error"
    assert str(tmp_path / "c1.json") in outcome.error


@pytest.mark.parametrize(
    "case_id",
    [
        pytest.param("..", id="dot-dot"),
        pytest.param(".", id="dot"),
        pytest.param("", id="empty"),
        pytest.param("../secret", id="parent"),
        pytest.param("a/b", id="slash"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("/etc/passwd", id="absolute"),
        pytest.param("a\0b", id="nul"),
    ],
)
def test_case_id_that_could_escape_the_folder_is_refused(tmp_path: Path, case_id: str) -> None:
    """A case id that could name a file outside the folder is an error, and nothing is read."""
    folder = tmp_path / "records"
    folder.mkdir()
    record(tmp_path, "secret", '{"accepted": true, "wire": 1}')
    outcome = RecordedTarget("ci", folder).run(case(case_id))
    assert outcome.state == "error"
    assert "cannot name a file" in outcome.error


def test_start_names_the_folder(tmp_path: Path) -> None:
    """The implementation of a recorded target is the folder it reads."""
    target = RecordedTarget("ci", str(tmp_path), convention="python")
    assert target.start() == Implementation(name="ci", language="recorded", sdk=str(tmp_path))
    assert target.convention == "python"
    target.close()
