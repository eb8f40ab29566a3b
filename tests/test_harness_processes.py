"""Harness processes end with nothing left behind and nothing lost: groups, start-up, interrupts."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from conformance.exceptions import HarnessCrashed, HarnessTimeout
from conformance.sources.cases import Case
from conformance.targets.harness import HarnessStopped, HarnessTarget
from conformance.testing import fake_harness_command

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


def case(number: int) -> Case:
    """A small response case."""
    return Case(id=f"case-{number}", model="Echo", direction="response", wire={"n": number})


@pytest.fixture
def make_target() -> Iterator[Any]:
    """Build harness targets that are closed after the test."""
    made: list[HarnessTarget] = []

    def make(command: Sequence[str], **kw: Any) -> HarnessTarget:
        kw.setdefault("timeout", 2.0)
        kw.setdefault("start_timeout", 10.0)
        target = HarnessTarget("fake", command, **kw)
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


@pytest.fixture
def pids() -> Iterator[list[int]]:
    """Process ids a test reads; any still running at the end is killed, pass or fail."""
    read: list[int] = []
    yield read
    for pid in read:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def read_pid(path: Path, pids: list[int]) -> int:
    """The process id a fake wrote to ``path``, remembered for clean-up."""
    pid = int(path.read_text(encoding="ascii"))
    pids.append(pid)
    return pid


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie is not: it has exited, unreaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed orphan stays a zombie until its new parent reaps it; some inits never do.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return not Path("/proc/self").exists()
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def ended(pid: int) -> bool:
    """Whether ``pid`` stops running: a SIGKILLed process takes a moment to be torn down."""
    for _ in range(200):
        if not running(pid):
            return True
        time.sleep(0.05)
    return False


def shell_wrapped(command: Sequence[str]) -> list[str]:
    """``command`` run by a shell that stays its parent (it has more to do afterwards)."""
    return ["sh", "-c", '"$@"; exit $?', "sh", *command]


# -- orphans ---------------------------------------------------------------------


def test_stop_leaves_no_background_child(make_target: Any, tmp_path: Path, pids: list[int]) -> None:
    """Closing a target kills a child the harness left running in the background."""
    child_file = tmp_path / "child.pid"
    target = make_target(fake_harness_command(child_pidfile=child_file))
    target.start()
    assert target.run(case(1)).state == "accepted"
    child = read_pid(child_file, pids)
    assert running(child)
    target.close()
    assert ended(child)


def test_timeout_kills_the_harness_behind_a_wrapper(
    make_target: Any, tmp_path: Path, pids: list[int]
) -> None:
    """A hung harness started through ``sh -c`` is killed with its wrapper, not orphaned."""
    pid_file = tmp_path / "fake.pid"
    command = shell_wrapped(fake_harness_command("hang", at=1, pidfile=pid_file))
    target = make_target(command, timeout=0.5)
    target.start()
    fake = read_pid(pid_file, pids)
    outcome = target.run(case(1))
    assert outcome.state == "error"
    assert "harness killed" in outcome.error
    assert ended(fake)


def test_restart_leaves_no_child_of_the_failed_harness(
    make_target: Any, tmp_path: Path, pids: list[int]
) -> None:
    """When a crashed harness is replaced, the background child of the old one is killed."""
    child_file = tmp_path / "child.pid"
    target = make_target(fake_harness_command("crash-mid-run", child_pidfile=child_file))
    target.start()
    assert target.run(case(1)).state == "accepted"
    first_child = read_pid(child_file, pids)
    assert target.run(case(2)).state == "error"
    assert ended(first_child)


@pytest.mark.parametrize("exit_watch", ["pidfd", "polling"])
def test_exit_while_a_child_holds_the_pipes_is_a_crash(
    make_target: Any, tmp_path: Path, pids: list[int], monkeypatch: Any, exit_watch: str
) -> None:
    """A harness that exits while its child keeps stdout open is reported as exited, not hung.

    Linux wakes the reader through a pidfd; elsewhere (no ``os.pidfd_open``) it polls.
    """
    if exit_watch == "polling":
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    child_file = tmp_path / "child.pid"
    command = fake_harness_command("crash-mid-run", child_pidfile=child_file)
    target = make_target(command, timeout=10.0)
    target.start()
    read_pid(child_file, pids)
    outcomes = [target.run(case(number)) for number in (1, 2, 3)]
    assert [outcome.state for outcome in outcomes] == ["accepted", "error", "accepted"]
    assert "harness exited with status 3 before answering case 'case-2'" in outcomes[1].error
    assert outcomes[1].stderr == "fake harness: crashing on case case-2\n"


# -- diagnostics -----------------------------------------------------------------

EARLY_WORDS = "harness: cannot load the SDK"


def test_start_up_crash_attaches_what_the_harness_printed(make_target: Any) -> None:
    """A harness that prints and exits before reading the handshake has that text in the outcome.

    The harness is quick, so its text may be read before the client is ready
    to send the handshake; several starts make a lost text show.
    """
    command = ["sh", "-c", f"echo '{EARLY_WORDS}' >&2; exit 1"]
    outcomes = [make_target(command).run(case(1)) for _ in range(5)]
    assert [outcome.state for outcome in outcomes] == ["error"] * 5
    assert all("exited with status 1" in outcome.error for outcome in outcomes)
    assert [outcome.stderr for outcome in outcomes] == [f"{EARLY_WORDS}\n"] * 5


def test_start_up_crash_raises_with_what_the_harness_printed(make_target: Any) -> None:
    """``start()`` of a harness that prints and exits at once raises with that text attached."""
    command = ["sh", "-c", f"echo '{EARLY_WORDS}' >&2; exit 1"]
    for _ in range(5):
        with pytest.raises(HarnessCrashed) as caught:
            make_target(command).start()
        assert caught.value.stderr == f"{EARLY_WORDS}\n"


def test_start_up_hang_raises_with_what_the_harness_printed(make_target: Any) -> None:
    """A harness that prints and then never answers the handshake times out with that text."""
    command = ["sh", "-c", f"echo '{EARLY_WORDS}' >&2; exec sleep 60"]
    for _ in range(3):
        with pytest.raises(HarnessTimeout) as caught:
            make_target(command, start_timeout=0.3).start()
        assert caught.value.stderr == f"{EARLY_WORDS}\n"


def test_second_answer_errors_the_case_that_got_it(make_target: Any) -> None:
    """A harness that answers a case twice makes that case a protocol error, not the next one."""
    target = make_target(fake_harness_command("double-answer"))
    target.start()
    outcomes = [target.run(case(number)) for number in (1, 2, 3)]
    assert [outcome.state for outcome in outcomes] == ["accepted", "error", "accepted"]
    assert "more than one answer to case 'case-2' (seq 2)" in outcomes[1].error
    assert '"seq":2' in outcomes[1].error
    assert target.restarts == 1


# -- interrupting ----------------------------------------------------------------

# A runner in miniature: it notes SIGINT and finishes its case; a timer plays the
# terminal, sending SIGINT to the foreground process group while the case runs.
CTRL_C_DRIVER = """
import os, signal, threading
from conformance.sources.cases import Case
from conformance.targets.harness import HarnessTarget
from conformance.testing import fake_harness_command

asked = []
signal.signal(signal.SIGINT, lambda *_: asked.append(True))
with HarnessTarget("fake", fake_harness_command("slow-run", at=1, delay=2)) as target:
    target.start()
    threading.Timer(0.3, os.killpg, (os.getpgrp(), signal.SIGINT)).start()
    outcome = target.run(Case("c1", "Echo", "response", {"n": 1}))
print(outcome.state, bool(asked))
print(outcome.error)
"""


def test_terminal_ctrl_c_reaches_the_runner_but_not_its_harness() -> None:
    """SIGINT to the runner's process group leaves the harness to finish its case."""
    result = subprocess.run(
        [sys.executable, "-c", CTRL_C_DRIVER],
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,  # its own group, so the test runner is not signalled
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "accepted True", result.stdout


def test_interrupt_from_a_thread_stops_the_case_without_an_outcome(
    make_target: Any, tmp_path: Path, pids: list[int]
) -> None:
    """A case cut off by ``interrupt()`` raises HarnessStopped, and the harness is gone."""
    pid_file = tmp_path / "fake.pid"
    target = make_target(fake_harness_command("hang", at=1, pidfile=pid_file), timeout=30.0)
    target.start()
    fake = read_pid(pid_file, pids)
    timer = threading.Timer(0.2, target.interrupt)
    timer.start()
    try:
        with pytest.raises(HarnessStopped, match="case 'case-1'"):
            target.run(case(1))
    finally:
        timer.cancel()
    assert ended(fake)


def test_interrupt_from_a_signal_handler_stops_the_case_without_an_outcome(
    make_target: Any,
) -> None:
    """``interrupt()`` works from a signal handler that runs while the case waits."""
    target = make_target(fake_harness_command("hang", at=1), timeout=30.0)
    target.start()
    previous = signal.signal(signal.SIGALRM, lambda *_: target.interrupt())
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(HarnessStopped):
            target.run(case(1))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_interrupted_target_runs_and_restarts_nothing(make_target: Any) -> None:
    """After ``interrupt()``, later cases raise HarnessStopped and no harness is started."""
    target = make_target(fake_harness_command())
    target.start()
    assert target.run(case(1)).state == "accepted"
    target.interrupt()
    for number in (2, 3):
        with pytest.raises(HarnessStopped):
            target.run(case(number))
    assert target.restarts == 0
    with pytest.raises(HarnessStopped):
        target.list_models()
