"""One harness process: spawning, pipes, deadlines, stderr capture and killing.

Each harness starts in a session (so a process group) of its own:

* a terminal's Ctrl-C (SIGINT to the foreground process group) reaches the
  runner only, which stops its harnesses itself;
* stopping, restarting or timing out a harness kills its whole group, so a
  wrapper (``sh -c ...``) and the harness behind it, or a background child of
  the harness, are not left running.

The harness is the process that was started: once it has exited, a child that
still holds its stdout open does not keep the reader waiting for an end of
output that will not come. On Linux a pidfd wakes the reader when the harness
exits; elsewhere the reader checks every ``_EXIT_POLL`` seconds.

Stdout is read in the calling thread with a selector (no thread hand-off per
case), which needs POSIX pipes; stderr is drained by one thread per process.
Requests are written by the same thread without ever blocking the reading: what
stdin cannot take yet waits in a buffer and is written whenever the pipe has
room while the reader waits for a line. A client may so queue many requests
while the harness writes many answers, and neither side can fill its pipe and
wait for the other forever.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO, Final

__all__ = ["STDERR_LIMIT", "HarnessProcess", "NoAnswer", "PipeClosed", "StderrSink"]

STDERR_LIMIT: Final = 64 * 1024
_READ_CHUNK: Final = 1 << 20
_STOP_GRACE: Final = 2.0
_SETTLE: Final = 0.05
_EXIT_POLL: Final = 0.1


class PipeClosed(Exception):
    """The harness closed stdout, or exited, without a complete answer line."""


class NoAnswer(Exception):
    """No complete line before the deadline."""


# -- stderr -----------------------------------------------------------------


class StderrSink:
    """Drains a harness's stderr on one thread, keeping the last ``limit`` bytes.

    The thread reads only while holding the lock, so when ``settle`` sees an
    empty pipe under the lock, everything the harness wrote so far is stored.
    Positions count every byte since the process started: position 0 is
    everything, whenever the thread happened to read it.
    """

    def __init__(self, stream: IO[bytes], limit: int = STDERR_LIMIT) -> None:
        self._fd = stream.fileno()
        os.set_blocking(self._fd, False)
        self._limit = limit
        self._changed = threading.Condition()
        self._data = bytearray()
        self._start = 0
        self._total = 0
        self._closed = False
        self._stopping = False
        self._pending = selectors.DefaultSelector()
        self._pending.register(self._fd, selectors.EVENT_READ)
        self._thread = threading.Thread(
            target=self._pump,
            args=(selectors.DefaultSelector(),),
            name="harness-stderr",
            daemon=True,
        )
        self._thread.start()

    def _pump(self, readable: selectors.BaseSelector) -> None:
        readable.register(self._fd, selectors.EVENT_READ)
        try:
            while not self._stopping:
                if not readable.select(0.25):
                    continue
                with self._changed:
                    try:
                        chunk = os.read(self._fd, 65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        chunk = b""
                    if not chunk:
                        self._closed = True
                        return
                    self._data += chunk
                    self._total += len(chunk)
                    excess = len(self._data) - self._limit
                    if excess > 0:
                        del self._data[:excess]
                        self._start += excess
                    self._changed.notify_all()
        finally:
            readable.close()
            with self._changed:
                self._closed = True
                self._changed.notify_all()

    def mark(self) -> int:
        """The position of everything printed so far."""
        with self._changed:
            return self._total

    def settle(self, timeout: float = _SETTLE) -> None:
        """Wait briefly until the pipe holds nothing unread, so a case's output is all in."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._closed and self._pending.select(0):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._changed.wait(min(remaining, 0.01))

    def wait_closed(self, timeout: float) -> None:
        """Wait until the harness's end of the pipe is closed and everything is read."""
        self._thread.join(timeout)

    def since(self, mark: int, until: int | None = None) -> str:
        """What was printed after ``mark`` (up to ``until``), noting how many bytes were dropped."""
        with self._changed:
            end = self._total if until is None else min(until, self._total)
            if mark >= end:
                return ""
            dropped = max(0, self._start - mark)
            data = bytes(self._data[max(0, mark - self._start) : end - self._start])
        text = data.decode("utf-8", "replace")
        if dropped:
            return f"[{dropped} bytes of stderr dropped; the last {len(data)} follow]\n{text}"
        return text

    def close(self) -> None:
        """Stop the thread (even if another process still holds the pipe open)."""
        self._stopping = True
        self._thread.join(1.0)
        self._pending.close()


# -- one harness process ----------------------------------------------------


def _exit_watch(pid: int) -> int | None:
    """A file descriptor that becomes readable when ``pid`` exits, where the OS offers one."""
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is None:
        return None
    try:
        fd: int = pidfd_open(pid)
    except OSError:  # an old kernel, or a sandbox that forbids it
        return None
    return fd


class HarnessProcess:
    """A running harness: its pipes, a line reader over stdout and its stderr sink."""

    def __init__(
        self,
        command: Sequence[str],
        cwd: str | None,
        env: Mapping[str, str] | None,
    ) -> None:
        full_env = None if env is None else {**os.environ, **env}
        self.popen = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=full_env,
            bufsize=0,
            start_new_session=True,
        )
        # The harness leads its own session, so its process group has its pid.
        self.group = self.popen.pid
        assert self.popen.stdin is not None
        assert self.popen.stdout is not None
        assert self.popen.stderr is not None
        self._in = self.popen.stdin.fileno()
        self._out = self.popen.stdout.fileno()
        os.set_blocking(self._in, False)
        os.set_blocking(self._out, False)
        self._exit_fd = _exit_watch(self.popen.pid)
        self._poll = None if self._exit_fd is not None else _EXIT_POLL
        self._readable = selectors.DefaultSelector()
        self._readable.register(self._out, selectors.EVENT_READ)
        self._duplex: selectors.BaseSelector | None = None
        if self._exit_fd is not None:
            self._readable.register(self._exit_fd, selectors.EVENT_READ)
        self._buffer = bytearray()
        self._outgoing = bytearray()
        self._scanned = 0
        self._eof = False
        self.stderr = StderrSink(self.popen.stderr)

    def _exited(self) -> bool:
        return self.popen.poll() is not None

    def _wait_time(self, deadline: float) -> float:
        """How long one select may block: until the deadline, or the next exit check."""
        remaining = deadline - time.monotonic()
        return remaining if self._poll is None else min(remaining, self._poll)

    def send(self, data: bytes, deadline: float) -> None:
        """Write all of ``data`` (after what is queued); raise ``PipeClosed`` or ``NoAnswer``.

        Stdout is read into the line buffer while stdin is full, so a harness
        blocked on writing answers can go on reading.
        """
        self.queue(data)
        while self._outgoing:
            if self._exited():
                raise PipeClosed
            if time.monotonic() >= deadline:
                raise NoAnswer
            self._wait(deadline)

    def queue(self, data: bytes) -> None:
        """Write what stdin takes of ``data`` now; the rest goes while lines are awaited.

        Raise ``PipeClosed`` when the harness closed stdin.
        """
        self._outgoing += data
        self._flush()

    def _flush(self) -> None:
        """Write what stdin takes of the queued bytes, without waiting."""
        while self._outgoing:
            try:
                written = os.write(self._in, self._outgoing)
            except BlockingIOError:
                return
            except (BrokenPipeError, ConnectionResetError) as error:
                raise PipeClosed from error
            del self._outgoing[:written]

    def _wait(self, deadline: float) -> None:
        """Block until stdout has data, stdin has room for queued bytes, the harness exits
        or the deadline (or the next exit check) comes; read and write what is ready."""
        events = self._readable if not self._outgoing else self._both()
        ready = events.select(self._wait_time(deadline))
        for key, mask in ready:
            if key.fd == self._out:
                self._read_available()
            elif key.fd == self._in and mask & selectors.EVENT_WRITE:
                self._flush()

    def _both(self) -> selectors.BaseSelector:
        """A selector for stdout, stdin's room and the exit watch (made once)."""
        if self._duplex is None:
            self._duplex = selectors.DefaultSelector()
            self._duplex.register(self._out, selectors.EVENT_READ)
            self._duplex.register(self._in, selectors.EVENT_WRITE)
            if self._exit_fd is not None:
                self._duplex.register(self._exit_fd, selectors.EVENT_READ)
        return self._duplex

    def read_line(self, deadline: float, grace: float = 1.0) -> bytes:
        """The next stdout line; raise ``PipeClosed`` at end of output or exit, ``NoAnswer``.

        At the deadline, what stdout holds is read first: answers a client left
        unread while it was busy are not a timeout; a harness caught writing a
        line just then gets ``grace`` seconds more, once.
        """
        extended = False
        while True:
            line = self._next_line()
            if line is not None:
                return line
            if self._eof:
                raise PipeClosed
            if self._exited():
                # All it wrote is in the pipe now (a pipe holds at most one chunk),
                # even if a child of it keeps the pipe open.
                self._read_available()
                line = self._next_line()
                if line is None:
                    raise PipeClosed
                return line
            if time.monotonic() >= deadline:
                if self._read_available():
                    if self._buffer.find(b"\n", self._scanned) >= 0:
                        continue  # a whole line was waiting
                    if not extended:
                        extended = True
                        deadline = time.monotonic() + grace
                        continue
                raise NoAnswer
            self._wait(deadline)

    def unread(self) -> bytes:
        """Output after the last line read: what is buffered or has arrived, without waiting."""
        if not self._eof:
            self._read_available()
        return bytes(self._buffer)

    def _next_line(self) -> bytes | None:
        end = self._buffer.find(b"\n", self._scanned)
        if end < 0:
            self._scanned = len(self._buffer)
            return None
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        self._scanned = 0
        return line

    def _read_available(self) -> bool:
        """Read one chunk if there is one; False when nothing was there or output ended."""
        try:
            chunk = os.read(self._out, _READ_CHUNK)
        except BlockingIOError:
            return False
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def returncode_after_close(self, timeout: float = 1.0) -> int | None:
        """The exit status once stdout is closed (killing the process if it lingers)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)
        self.kill()
        return self.popen.returncode

    def kill_group(self) -> None:
        """SIGKILL every process of the harness's group; safe in a signal handler."""
        # Gone already, or a member that changed its user: nothing more to do.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.group, signal.SIGKILL)

    def kill(self) -> None:
        """Kill the harness's whole process group and collect the harness's exit status."""
        self.kill_group()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)

    def stop(self, grace: float = _STOP_GRACE) -> None:
        """Ask the harness to exit, kill it if it does not, and release everything."""
        if self.popen.poll() is None:
            try:
                self.send(b'{"cmd":"stop"}\n', time.monotonic() + grace)
                self.popen.wait(grace)
            except (PipeClosed, NoAnswer, subprocess.TimeoutExpired):
                pass
        self.release()

    def release(self) -> None:
        """Kill the group (children a harness leaves behind too), close pipes, end the thread."""
        self.kill()
        for stream in (self.popen.stdin, self.popen.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._readable.close()
        if self._duplex is not None:
            self._duplex.close()
        if self._exit_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._exit_fd)
            self._exit_fd = None
        self.stderr.wait_closed(1.0)
        self.stderr.close()
        if self.popen.stderr is not None:
            self.popen.stderr.close()
