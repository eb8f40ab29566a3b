"""The recorded target: outcomes read from one JSON file per case id."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conformance.core import jsonwire
from conformance.core.outcome import Implementation
from conformance.exceptions import ConfigError
from conformance.sources.cases import Case
from conformance.targets import recorded
from conformance.targets.recorded import RecordedTarget

#: Seconds a guarded read may take before the test calls it hung (generous for a busy machine).
GUARD = 60
#: Runs recorded cases in a fresh interpreter whose address space is capped (2 GiB), so a read
#: that never ends is killed by the guard's timeout and one that fills memory fails fast.
GUARDED = """
import json, resource, sys
from conformance.sources.cases import Case
from conformance.targets.recorded import RecordedTarget
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
target = RecordedTarget("ci", sys.argv[1])
outcomes = [target.run(Case(i, "M", "response", {})) for i in sys.argv[2:]]
print(json.dumps([[o.state, o.error] for o in outcomes]))
"""


def case(case_id: str = "c1") -> Case:
    """A response case with the given id."""
    return Case(id=case_id, model="CreateCompletionData", direction="response", wire={"id": "x"})


def guarded_run(folder: Path, *case_ids: str) -> list[tuple[str, str]]:
    """The state and error of each case, read in a subprocess; fails the test if it hangs."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", GUARDED, str(folder), *case_ids],
            cwd=folder,  # so ``-c`` imports the installed package, whatever the working folder
            capture_output=True,
            text=True,
            timeout=GUARD,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading recorded outcomes {case_ids!r} did not return: it blocks")
    assert done.returncode == 0, done.stderr
    return [(state, error) for state, error in json.loads(done.stdout)]


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


GOOD = '{"accepted": true, "wire": {"id": "x"}}'


def test_symlink_out_of_the_folder_is_refused_unread(tmp_path: Path) -> None:
    """A link out of the folder is an error naming it; the outside content is never read."""
    folder = tmp_path / "records"
    folder.mkdir()
    secret = record(tmp_path, "secret", '{"accepted": false, "error": "TOP SECRET"}')
    (folder / "c1.json").symlink_to(secret)
    outcome = RecordedTarget("ci", folder).run(case("c1"))
    assert outcome.state == "error"
    assert str(folder / "c1.json") in outcome.error
    assert "outside the folder" in outcome.error
    assert "TOP SECRET" not in outcome.error


def test_symlink_within_the_folder_is_read(tmp_path: Path) -> None:
    """A file linking to another file in the same folder is read like that file."""
    record(tmp_path, "original", GOOD)
    (tmp_path / "c1.json").symlink_to(tmp_path / "original.json")
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "accepted"
    assert outcome.wire == {"id": "x"}


def test_dangling_symlink_is_an_error_naming_it(tmp_path: Path) -> None:
    """A link to a file that does not exist is an error, not a silently skipped case."""
    (tmp_path / "c1.json").symlink_to(tmp_path / "gone.json")
    outcome = RecordedTarget("ci", tmp_path).run(case("c1"))
    assert outcome.state == "error"
    assert "does not exist" in outcome.error
    assert str(tmp_path / "c1.json") in outcome.error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_fifo_is_refused_without_blocking_and_other_cases_still_run(tmp_path: Path) -> None:
    """A FIFO named like a recorded outcome is an error at once; the next case is still read."""
    os.mkfifo(tmp_path / "c1.json")
    record(tmp_path, "c2", GOOD)
    (fifo_state, fifo_error), (good_state, _) = guarded_run(tmp_path, "c1", "c2")
    assert fifo_state == "error"
    assert "FIFO" in fifo_error
    assert str(tmp_path / "c1.json") in fifo_error
    assert good_state == "accepted"


def test_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    """A link to ``/dev/zero`` is refused before a byte is read, so memory stays bounded."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    (tmp_path / "c1.json").symlink_to("/dev/zero")
    [(state, error)] = guarded_run(tmp_path, "c1")
    assert state == "error"
    assert "outside the folder" in error


def test_device_inside_the_folder_is_refused(tmp_path: Path) -> None:
    """A character device (here a copy of ``/dev/zero``) in the folder is refused, never read."""
    path = tmp_path / "c1.json"
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (AttributeError, PermissionError):
        pytest.skip("cannot create a device node here (needs root on Linux)")
    [(state, error)] = guarded_run(tmp_path, "c1")
    assert state == "error"
    assert "a character device" in error


def test_file_larger_than_the_limit_is_an_error_naming_the_limit(tmp_path: Path) -> None:
    """A file of ``limit`` bytes is read; one byte more is an error naming the file and limit."""
    path = record(tmp_path, "c1", GOOD)
    size = len(GOOD)
    assert RecordedTarget("ci", tmp_path, limit=size).run(case("c1")).state == "accepted"
    outcome = RecordedTarget("ci", tmp_path, limit=size - 1).run(case("c1"))
    assert outcome.state == "error"
    assert str(path) in outcome.error
    assert f"larger than {size - 1:,} bytes" in outcome.error


def test_default_limit_is_64_mib() -> None:
    """Recorded outcomes are bounded by default, at 64 MiB."""
    assert RecordedTarget("ci", ".").limit == recorded.MAX_RECORD_BYTES == 64 * 1024 * 1024


def test_reads_at_most_one_byte_past_the_limit() -> None:
    """However much a source holds, at most ``limit + 1`` bytes of it are read."""
    reader, writer = os.pipe()
    try:
        os.write(writer, b"x" * 100)
        os.close(writer)
        assert recorded.read_at_most(reader, 10) == b"x" * 11
        assert len(os.read(reader, 1000)) == 89
    finally:
        os.close(reader)


def test_missing_folder_does_not_start_and_names_it(tmp_path: Path) -> None:
    """A target whose folder does not exist fails to start with an error naming the folder."""
    folder = tmp_path / "nowhere"
    with pytest.raises(ConfigError) as raised:
        RecordedTarget("ci", folder).start()
    assert f"recorded folder {str(folder)!r} does not exist" in str(raised.value)
    assert "hint:" in str(raised.value)


def test_missing_folder_makes_each_case_an_error_not_a_skip(tmp_path: Path) -> None:
    """Run without starting, a target whose folder is gone errors each case, naming the folder."""
    folder = tmp_path / "nowhere"
    outcome = RecordedTarget("ci", folder).run(case("c1"))
    assert outcome.state == "error"
    assert f"recorded folder {str(folder)!r} does not exist" in outcome.error


def test_folder_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    """A ``folder`` option naming a file is an error that says it is not a folder."""
    path = record(tmp_path, "c1", GOOD)
    outcome = RecordedTarget("ci", path).run(case("c1"))
    assert outcome.state == "error"
    assert f"recorded folder {str(path)!r} is not a folder" in outcome.error
