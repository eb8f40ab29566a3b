"""Running at scale: shards, parallel workers, interruption and resuming."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conformance.engine.workers import split
from conformance.results.reader import read_results
from conformance.results.records import CaseRecord, Footer, ResultRecord
from conformance.sources.cases import Case

ROOT = Path(__file__).parent.parent
SCHEMA = """
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [count]
      properties:
        count: {type: integer}
        label: {type: string}
"""
# A harness that echoes each case after a pause: slow enough to interrupt mid-run.
SLOW_HARNESS = textwrap.dedent(
    """
    import json, os, sys, time
    log = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seen.log")
    for line in sys.stdin:
        message = json.loads(line)
        if message["cmd"] == "start":
            answer = {"ready": True, "implementation": {
                "name": "slow", "language": "python", "sdk": "slow-fake", "sdk_version": "1"}}
        elif message["cmd"] == "run":
            time.sleep(0.05)
            case = message["case"]
            with open(log, "a") as seen:  # what this harness was asked to run
                seen.write(case["id"] + "\\n")
            answer = {"seq": message["seq"], "accepted": True,
                      "wire_text": case["wire_text"], "native": json.loads(case["wire_text"])}
        else:
            break
        print(json.dumps(answer), flush=True)
    """
)


def _project(tmp_path: Path, cases: int, slow: bool = False) -> Path:
    """A project folder: schema, `cases` cases (every fifth invalid), a pyproject."""
    (tmp_path / "schema.yaml").write_text(SCHEMA)
    (tmp_path / "cases").mkdir()
    tests = []
    for i in range(cases):
        wire: dict[str, object] = {"count": i, "label": f"case {i}"}
        if i % 5 == 0:
            wire = {"count": str(i)}
        tests.append({"id": f"t{i:04d}", "wire": wire, **({"valid": False} if i % 10 == 0 else {})})
    body = {"model": "Thing", "direction": "response", "tests": tests}
    (tmp_path / "cases" / "things.json").write_text(json.dumps(body))
    targets = """
[[tool.conformance.targets]]
name = "reference-python"
kind = "reference"
convention = "python"

[[tool.conformance.targets]]
name = "reference-typescript"
kind = "reference"
convention = "typescript"
"""
    if slow:
        (tmp_path / "slow.py").write_text(SLOW_HARNESS)
        targets += f"""
[[tool.conformance.targets]]
name = "slow"
kind = "harness"
command = [{json.dumps(sys.executable)}, "slow.py"]
"""
    (tmp_path / "pyproject.toml").write_text(
        f"""
[tool.conformance]
schema = "schema.yaml"
cases = ["cases"]
results = "results.ndjson"
expected = "expected.json"
{targets}
"""
    )
    # Cases t0005, t0015, ... are "valid" but carry a string count: every target rejects them.
    expected = {
        "expected": [
            {
                "case": "t00[0-4]5",
                "kind": "accept",
                "path": "$",
                "reason": "strings are not counts",
            },
            {"case": "t0??5", "kind": "accept", "path": "$", "reason": "the same, later"},
        ]
    }
    if slow:
        expected["expected"].append(
            {
                "case": "t???0",
                "targets": ["slow"],
                "kind": "accept",
                "path": "$",
                "reason": "the slow fake echoes every payload, invalid ones too",
            }
        )
    (tmp_path / "expected.json").write_text(json.dumps(expected))
    return tmp_path


def _conformance(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _comparable(path: Path) -> list[dict[str, object]]:
    """The records of a results file without timing, as plain dicts, in case order."""
    out = []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record["record"] in ("header", "footer"):
            continue
        if "outcome" in record:
            record["outcome"].pop("seconds", None)
        out.append(record)
    return out


def test_shards_are_stable_when_a_case_is_added() -> None:
    """Adding a case never moves another case to a different shard."""
    cases = [Case(f"c{i}", "M", "response", i) for i in range(200)]
    before = {c.id: s for s in (1, 2, 3) for c in split(cases, (s, 3))}
    grown = [*cases, Case("new", "M", "response", 0)]
    after = {c.id: s for s in (1, 2, 3) for c in split(grown, (s, 3))}
    assert {k: after[k] for k in before} == before
    assert sorted(c.id for s in (1, 2, 3) for c in split(grown, (s, 3))) == sorted(
        c.id for c in grown
    )


#: Records that sum up a whole file (stale entries, families): each shard has its own, and the
#: merged summary above compares them.
_AGGREGATES = ("stale", "finding")


def test_merged_shards_report_what_one_unsharded_run_reports(tmp_path: Path) -> None:
    """Three shards merged by `conformance report` equal the unsharded run, stale entries too."""
    project = _project(tmp_path, 60)
    whole = _conformance(project, "run", "--out", "whole.ndjson", "--format", "json")
    shards = [
        _conformance(
            project, "run", "--shard", f"{i}/3", "--out", f"s{i}.ndjson", "--format", "json"
        )
        for i in (1, 2, 3)
    ]
    merged = _conformance(
        project, "report", "s1.ndjson", "s2.ndjson", "s3.ndjson", "--format", "json"
    )
    whole_summary, merged_summary = json.loads(whole.stdout), json.loads(merged.stdout)
    for summary in (whole_summary, merged_summary):
        summary.pop("results")
    assert merged_summary == whole_summary
    assert merged.returncode == whole.returncode == 0
    assert all(s.returncode in (0, 1) for s in shards)
    records = sorted(
        (
            json.dumps(r, sort_keys=True)
            for i in (1, 2, 3)
            for r in _comparable(project / f"s{i}.ndjson")
            if r["record"] not in _AGGREGATES
        ),
    )
    expected = sorted(
        json.dumps(r, sort_keys=True)
        for r in _comparable(project / "whole.ndjson")
        if r["record"] not in _AGGREGATES
    )
    assert records == expected


def test_parallel_workers_write_the_same_results_as_one_process(tmp_path: Path) -> None:
    """`--jobs 2` gives the records of `--jobs 1`, in the same order, apart from timing."""
    project = _project(tmp_path, 80)
    # Workers judge with copies of the baseline: an entry only the second worker's chunk
    # matches (t0075, first in the file so it wins) and one that goes stale must come out
    # as one process reports them.
    listed = json.loads((project / "expected.json").read_text())
    listed["expected"][:0] = [
        {"case": "t0075", "kind": "accept", "path": "$", "reason": "matched late"},
        {"case": "t0070", "kind": "missing", "path": "$.nothing", "reason": "never happens"},
    ]
    (project / "expected.json").write_text(json.dumps(listed))
    one = _conformance(project, "run", "--out", "one.ndjson", "--jobs", "1")
    two = _conformance(project, "run", "--out", "two.ndjson", "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stderr  # the stale entry fails the run
    records = _comparable(project / "one.ndjson")
    assert records == _comparable(project / "two.ndjson")
    stale = [r["case"] for r in records if r["record"] == "stale"]
    assert stale == ["t0070"]
    late = [r for r in records if r["record"] == "result" and r["case"] == "t0075"]
    assert all(r["status"] == "expected" for r in late)


def test_parallel_workers_report_a_target_that_did_not_start_as_one_process_does(
    tmp_path: Path,
) -> None:
    """With a harness that dies at start, `--jobs 2` writes what `--jobs 1` writes: every
    case an error, and the harness's stderr on the first case only."""
    project = _project(tmp_path, 80)
    (project / "expected.json").write_text(json.dumps({"expected": []}))
    script = "import sys; sys.stderr.write('cannot import the sdk'); sys.exit(3)"
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            f"""
[[tool.conformance.targets]]
name = "broken"
kind = "harness"
command = [{json.dumps(sys.executable)}, "-c", {json.dumps(script)}]
"""
        )
    one = _conformance(project, "run", "--out", "one.ndjson", "--jobs", "1")
    two = _conformance(project, "run", "--out", "two.ndjson", "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stderr
    records = _comparable(project / "one.ndjson")
    assert records == _comparable(project / "two.ndjson")
    broken = [r for r in records if r["record"] == "result" and r["target"] == "broken"]
    assert len(broken) == 80
    assert all(r["status"] == "error" for r in broken)
    told = [r for r in broken if "cannot import the sdk" in str(r["outcome"].get("stderr", ""))]
    assert [r["case"] for r in told] == [broken[0]["case"]]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_keeps_every_finished_case(tmp_path: Path, signum: int) -> None:
    """A signal mid-run leaves a valid file: every finished case, and an interrupted footer."""
    project = _project(tmp_path, 200, slow=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--format", "json"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    partial = project / "results.ndjson.partial"
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.read_text().count('"record":"case"') >= 10):
        assert time.monotonic() < deadline, "the run wrote no results"
        time.sleep(0.05)
    os.kill(process.pid, signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    records = list(read_results(project / "results.ndjson"))
    footer = records[-1]
    assert isinstance(footer, Footer)
    assert footer.interrupted
    cases = [r.id for r in records if isinstance(r, CaseRecord)]
    results = [r for r in records if isinstance(r, ResultRecord)]
    assert 10 <= len(cases) < 200
    assert len(results) == 3 * len(cases)
    assert not partial.exists()


def test_resume_runs_only_what_an_interrupted_run_left(tmp_path: Path) -> None:
    """`--resume` keeps finished cases and runs the rest: the file ends complete."""
    project = _project(tmp_path, 120, slow=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--format", "json"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    partial = project / "results.ndjson.partial"
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.read_text().count('"record":"case"') >= 20):
        assert time.monotonic() < deadline, "the run wrote no results"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGINT)
    process.communicate(timeout=60)
    first = [r.id for r in read_results(project / "results.ndjson") if isinstance(r, CaseRecord)]
    (project / "seen.log").unlink()
    resumed = _conformance(project, "run", "--resume", "--format", "json")
    assert resumed.returncode == 0, resumed.stdout[-2000:]
    records = list(read_results(project / "results.ndjson"))
    cases = [r.id for r in records if isinstance(r, CaseRecord)]
    assert cases == [f"t{i:04d}" for i in range(120)]
    assert not records[-1].interrupted  # type: ignore[union-attr]
    # The resumed run asked the harness for exactly the cases the first run did not finish.
    seen = (project / "seen.log").read_text().split()
    assert sorted(seen) == sorted(set(cases) - set(first))


# A harness that, when the file ``hang-on`` names the case it is asked to run, marks
# ``hanging`` and does not answer: a case in flight for as long as the test needs.
HANGING_HARNESS = textwrap.dedent(
    """
    import json, os, sys, time
    here = os.path.dirname(os.path.abspath(__file__))
    for line in sys.stdin:
        message = json.loads(line)
        if message["cmd"] == "start":
            answer = {"ready": True, "implementation": {
                "name": "slow", "language": "python", "sdk": "slow-fake", "sdk_version": "1"}}
        elif message["cmd"] == "run":
            case = message["case"]
            hang = os.path.join(here, "hang-on")
            if os.path.exists(hang) and open(hang).read() == case["id"]:
                open(os.path.join(here, "hanging"), "w").close()
                time.sleep(600)
            answer = {"seq": message["seq"], "accepted": True,
                      "wire_text": case["wire_text"], "native": json.loads(case["wire_text"])}
        else:
            break
        print(json.dumps(answer), flush=True)
    """
)


def _interrupted_in_flight(project: Path, case_id: str) -> subprocess.CompletedProcess[str]:
    """Run until the harness hangs on ``case_id``, then Ctrl-C the run's process group."""
    (project / "hang-on").write_text(case_id)
    (project / "hanging").unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--format", "json"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not (project / "hanging").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the harness never reached the case"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_ctrl_c_never_writes_an_error_for_the_case_in_flight(tmp_path: Path) -> None:
    """A case cut off by Ctrl-C has no records (no made-up error); --resume runs it again."""
    project = _project(tmp_path, 60, slow=True)
    (project / "slow.py").write_text(HANGING_HARNESS)
    # A case timeout that a stopped harness could otherwise be blamed with.
    with open(project / "pyproject.toml", "a") as config:
        config.write("timeout = 3\n")
    ids = [f"t{i:04d}" for i in range(60)]
    for cut in ("t0003", "t0017", "t0041"):
        done = _interrupted_in_flight(project, cut)
        assert done.returncode == 130, done.stderr
        text = (project / "results.ndjson").read_text()
        assert "exited with status" not in text
        records = list(read_results(project / "results.ndjson"))
        assert not [r for r in records if isinstance(r, ResultRecord) and r.status == "error"]
        cases = [r.id for r in records if isinstance(r, CaseRecord)]
        # Harnesses run ahead of the judging (several requests in flight), so the run
        # may stop a few cases before the one cut off; never at or after it.
        assert cases == ids[: len(cases)]
        assert len(cases) <= ids.index(cut)
        assert sum(isinstance(r, ResultRecord) for r in records) == 3 * len(cases)
        footer = records[-1]
        assert isinstance(footer, Footer)
        assert footer.interrupted
        (project / "hang-on").unlink()
        resumed = _conformance(project, "run", "--resume", "--format", "json")
        assert resumed.returncode == 0, resumed.stdout[-2000:]
        records = list(read_results(project / "results.ndjson"))
        assert [r.id for r in records if isinstance(r, CaseRecord)] == ids
        assert not [r for r in records if isinstance(r, ResultRecord) and r.status == "error"]
        assert not records[-1].interrupted  # type: ignore[union-attr]


# A harness whose start takes a while and logs when it begins and ends (by its own name).
STARTUP_LOGGER = textwrap.dedent(
    """
    import json, os, sys, time
    name = sys.argv[1]
    log = os.path.join(os.path.dirname(os.path.abspath(__file__)), "starts.log")
    for line in sys.stdin:
        message = json.loads(line)
        if message["cmd"] == "start":
            with open(log, "a") as out:
                out.write("begin " + name + "\\n")
            time.sleep(1.0)
            with open(log, "a") as out:
                out.write("end " + name + "\\n")
            answer = {"ready": True, "implementation": {
                "name": name, "language": "python", "sdk": "fake", "sdk_version": "1"}}
        elif message["cmd"] == "run":
            case = message["case"]
            answer = {"seq": message["seq"], "accepted": True,
                      "wire_text": case["wire_text"], "native": json.loads(case["wire_text"])}
        else:
            break
        print(json.dumps(answer), flush=True)
    """
)


def test_harness_start_ups_overlap_and_are_reported(tmp_path: Path) -> None:
    """Two harnesses start at once (both begin before either is ready); each start is printed."""
    project = _project(tmp_path, 5)
    (project / "starter.py").write_text(STARTUP_LOGGER)
    targets = "".join(
        f"""
[[tool.conformance.targets]]
name = "{name}"
kind = "harness"
command = [{json.dumps(sys.executable)}, "starter.py", "{name}"]
"""
        for name in ("first", "second")
    )
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + targets)
    done = _conformance(project, "run", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    events = (project / "starts.log").read_text().split("\n")
    assert [e.split(" ")[0] for e in events if e] == ["begin", "begin", "end", "end"]
    assert "first: started in " in done.stderr
    assert "second: started in " in done.stderr
