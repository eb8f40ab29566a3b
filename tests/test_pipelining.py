"""Several requests in flight per harness: faults keyed to one case, and nothing lost."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.core.outcome import Outcome
from conformance.engine.workers import InProcess
from conformance.sources.cases import Case
from conformance.targets.harness import HarnessTarget
from conformance.targets.inflight import QUIET

# A harness that reads ahead: it answers what it holds once it holds three requests, or
# when no request came for 0.05 s, in order, so it can see how many were in flight. It
# logs each case it runs and the most requests it ever held; ``FAULT`` and ``AT`` (a
# case id) choose a fault that hits that case in every process.
READ_AHEAD = textwrap.dedent(
    """
    import json, os, select, sys, time
    here = os.path.dirname(os.path.abspath(__file__))
    fault, at = sys.argv[1], sys.argv[2]
    log = open(os.path.join(here, "ran.log"), "a")
    held, depth, buffer = [], 0, b""
    out = sys.stdout.buffer

    def answer(request):
        case, seq = request["case"], request["seq"]
        log.write(case["id"] + "\\n"); log.flush()
        line = {"seq": seq, "accepted": True, "wire_text": case["wire_text"]}
        text = json.dumps(line).encode() + b"\\n"
        if case["id"] == at:
            if fault == "crash":
                sys.stderr.write("read-ahead: crashing on " + at + "\\n"); sys.stderr.flush()
                os._exit(3)
            if fault == "hang":
                sys.stderr.write("read-ahead: hanging on " + at + "\\n"); sys.stderr.flush()
                time.sleep(600)
            if fault == "double":
                text = text + text
            if fault == "wrong-seq":
                text = json.dumps({**line, "seq": seq - 1}).encode() + b"\\n"
            if fault == "stderr":
                sys.stderr.write("read-ahead: printing on " + at + "\\n"); sys.stderr.flush()
        out.write(text); out.flush()

    def flush():
        if fault == "swap" and len(held) >= 2 and held[0]["case"]["id"] == at:
            held[0], held[1] = held[1], held[0]
        while held:
            answer(held.pop(0))

    while True:
        ready, _, _ = select.select([0], [], [], 0.05)
        if not ready:
            flush()
            continue
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        buffer += chunk
        while b"\\n" in buffer:
            line, buffer = buffer.split(b"\\n", 1)
            message = json.loads(line)
            if message["cmd"] == "start":
                print(json.dumps({"ready": True, "implementation": {
                    "name": "read-ahead", "language": "python", "sdk": "fake",
                    "sdk_version": "1"}}), flush=True)
            elif message["cmd"] == "run":
                held.append(message)
                depth = max(depth, len(held))
                with open(os.path.join(here, "depth"), "w") as note:
                    note.write(str(depth))
                if len(held) >= 3:
                    flush()
            else:
                sys.exit(0)
    """
)

COUNT = QUIET + 18  # past the first cases a harness runs one at a time


@pytest.fixture
def read_ahead(tmp_path: Path) -> Iterator[Any]:
    """Build read-ahead harness targets (with a fault at one case) closed after the test."""
    (tmp_path / "harness.py").write_text(READ_AHEAD)
    made: list[HarnessTarget] = []

    def make(fault: str = "none", at: str = "", **kw: Any) -> HarnessTarget:
        kw.setdefault("timeout", 2.0)
        kw.setdefault("window", 4)
        command = [sys.executable, str(tmp_path / "harness.py"), fault, at]
        target = HarnessTarget("read-ahead", command, **kw)
        made.append(target)
        target.start()
        return target

    yield make
    for target in made:
        target.close()


def cases(count: int = COUNT) -> list[Case]:
    """Cases whose wire names them, so an answer given to the wrong case shows."""
    return [Case(f"c{i:03d}", "Echo", "response", {"id": f"c{i:03d}"}) for i in range(count)]


def ran(tmp_path: Path) -> list[str]:
    """The case ids the harness processes ran, in order, over every process."""
    return (tmp_path / "ran.log").read_text().split()


def depth(tmp_path: Path) -> int:
    """The most requests a harness process held at once."""
    return int((tmp_path / "depth").read_text())


def check_own(outcomes: list[Outcome], given: list[Case]) -> None:
    """Each accepted outcome is the answer to its own case (none lost, none swapped)."""
    assert len(outcomes) == len(given)
    for case, outcome in zip(given, outcomes, strict=True):
        if outcome.state == "accepted":
            assert outcome.wire == case.wire


def test_requests_are_pipelined_up_to_the_window(read_ahead: Any, tmp_path: Path) -> None:
    """A quiet harness gets several requests at once (up to the window) and answers all."""
    target = read_ahead(window=4)
    given = cases()
    outcomes = list(target.run_many(given))
    assert [o.state for o in outcomes] == ["accepted"] * COUNT
    check_own(outcomes, given)
    assert depth(tmp_path) >= 3
    assert ran(tmp_path) == [c.id for c in given]


def test_a_window_of_one_sends_one_request_at_a_time(read_ahead: Any, tmp_path: Path) -> None:
    """With ``window=1`` the harness never holds two requests."""
    target = read_ahead(window=1)
    outcomes = list(target.run_many(cases(QUIET + 3)))
    assert {o.state for o in outcomes} == {"accepted"}
    assert depth(tmp_path) == 1


def test_crash_with_cases_in_flight_names_its_case_and_reruns_the_others(
    read_ahead: Any, tmp_path: Path
) -> None:
    """A crash with three cases in flight errors the crashed case; the others run again."""
    at = f"c{QUIET + 5:03d}"
    target = read_ahead("crash", at, max_restarts=1)
    given = cases()
    outcomes = list(target.run_many(given))
    states = {c.id: o.state for c, o in zip(given, outcomes, strict=True)}
    assert [i for i, s in states.items() if s != "accepted"] == [at]
    crashed = outcomes[QUIET + 5]
    assert "exited with status 3" in crashed.error
    assert f"read-ahead: crashing on {at}" in crashed.stderr
    check_own(outcomes, given)
    log = ran(tmp_path)
    # The cases sent with it were answered only by the new process: each ran once.
    assert sorted(set(log) - {at}) == sorted(set(states) - {at})
    assert len(log) == len(set(log))
    assert target.restarts == 1


def test_hang_with_cases_in_flight_names_its_case_and_reruns_the_others(
    read_ahead: Any,
) -> None:
    """A hung case is timed out and named; the cases in flight behind it still pass."""
    at = f"c{QUIET + 6:03d}"
    target = read_ahead("hang", at, timeout=1.0)
    given = cases()
    outcomes = list(target.run_many(given))
    failed = [(c.id, o) for c, o in zip(given, outcomes, strict=True) if o.state != "accepted"]
    assert [case_id for case_id, _ in failed] == [at]
    assert f"no answer to case '{at}'" in failed[0][1].error
    assert f"read-ahead: hanging on {at}" in failed[0][1].stderr
    check_own(outcomes, given)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        pytest.param("double", "more than one answer to case", id="double-answer"),
        pytest.param("wrong-seq", "(an earlier case)", id="wrong-seq"),
    ],
)
def test_a_bad_answer_in_flight_is_blamed_on_its_own_case(
    read_ahead: Any, fault: str, words: str
) -> None:
    """A second answer or a wrong seq, ambiguous in flight, is settled one at a time."""
    at = f"c{QUIET + 5:03d}"
    target = read_ahead(fault, at)
    given = cases()
    outcomes = list(target.run_many(given))
    failed = [(c.id, o) for c, o in zip(given, outcomes, strict=True) if o.state != "accepted"]
    assert [case_id for case_id, _ in failed] == [at]
    assert words in failed[0][1].error
    assert f"'{at}'" in failed[0][1].error or at in failed[0][1].error
    check_own(outcomes, given)


def test_answers_out_of_order_are_refused_then_run_one_at_a_time(
    read_ahead: Any, tmp_path: Path
) -> None:
    """An answer to a later case first is never taken for the earlier one's."""
    at = f"c{QUIET + 5:03d}"
    target = read_ahead("swap", at)
    given = cases()
    outcomes = list(target.run_many(given))
    check_own(outcomes, given)
    # Run again one at a time, the harness cannot swap: every case passes on its own.
    assert {o.state for o in outcomes} == {"accepted"}
    assert at in ran(tmp_path)


def test_stderr_in_flight_goes_to_one_case_and_says_so(read_ahead: Any) -> None:
    """What a harness prints while several cases are in flight is kept once, with a note."""
    at = f"c{QUIET + 5:03d}"
    target = read_ahead("stderr", at)
    given = cases()
    outcomes = list(target.run_many(given))
    assert {o.state for o in outcomes} == {"accepted"}
    line = f"read-ahead: printing on {at}"
    holders = [(c.id, o.stderr) for c, o in zip(given, outcomes, strict=True) if line in o.stderr]
    assert len(holders) == 1
    case_id, text = holders[0]
    assert case_id == at or (text.startswith("[read while") and repr(at) in text)


def test_in_process_engine_streams_harnesses_in_case_order(tmp_path: Path) -> None:
    """Two harness targets stream ahead; the engine still gives each case both outcomes."""
    (tmp_path / "harness.py").write_text(READ_AHEAD)
    targets = [
        HarnessTarget(name, [sys.executable, str(tmp_path / "harness.py"), "none", ""], window=4)
        for name in ("a", "b")
    ]
    engine = InProcess(targets)
    engine.start()
    try:
        given = cases()
        got = list(engine.outcomes(given))
    finally:
        engine.close()
    assert [case.id for case, _ in got] == [c.id for c in given]
    for case, outcomes in got:
        assert [name for name, _ in outcomes] == ["a", "b"]
        assert all(o.state == "accepted" and o.wire == case.wire for _, o in outcomes)
    assert depth(tmp_path) >= 3


def test_run_between_streamed_cases_waits_its_turn(read_ahead: Any) -> None:
    """A single ``run`` while other cases are in flight gets its own answer, they theirs."""
    target = read_ahead()
    given = cases()
    tickets = [target.submit(case) for case in given[:10]]
    extra = Case("extra", "Echo", "response", {"id": "extra"})
    assert target.run(extra).wire == extra.wire
    outcomes = [target.outcome(ticket) for ticket in tickets]
    check_own(outcomes, given[:10])
    assert json.dumps([o.state for o in outcomes]).count("accepted") == 10
