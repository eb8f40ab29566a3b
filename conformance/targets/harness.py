"""SDK targets behind a harness: one persistent subprocess speaking newline-delimited JSON.

The protocol is described by ``conformance/schemas/harness-request.schema.json`` and
``harness-response.schema.json``: ``start`` (handshake), ``models``, ``run`` (one case,
answered with the same ``seq``) and ``stop``. The built-in harness programs live
in ``conformance/harnesses`` (``python_harness.py`` for pydantic SDKs,
``node_harness.mjs`` for zod SDKs); ``python_sdk_target`` and
``node_sdk_target`` build targets for them.

How the client keeps a run honest:

* Only a well-formed ``accepted`` answer with the right ``seq`` makes a case
  ``accepted``; every answer is validated against the response schema.
* A crash (the harness closed stdout), a timeout (no answer within ``timeout``
  seconds: the process is killed), a non-JSON line, an answer that breaks the
  schema or a wrong ``seq`` marks *that* case ``error`` and ends the process; the
  next case starts a new one. After ``max_restarts`` restarts the target gives
  up and every remaining case is ``error``.
* stderr is drained continuously by one thread into a bounded buffer (the last
  64 KiB); each outcome carries what the harness printed while its case ran,
  with a note of how many bytes were dropped.

Stdout is read in the calling thread with a selector (no thread hand-off per
case), which needs POSIX pipes. A target is used by one thread at a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any, Final, NoReturn

import jsonschema
from attrs import define, field, frozen
from jsonschema.protocols import Validator

from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.exceptions import (
    HarnessCrashed,
    HarnessError,
    HarnessProtocolError,
    HarnessTimeout,
)
from conformance.schema import JsonValue
from conformance.sources.cases import Case
from conformance.targets.outcome import Implementation, Outcome

__all__ = [
    "HarnessTarget",
    "ModelEntry",
    "harness_program",
    "node_sdk_target",
    "python_sdk_target",
]

PROTOCOL_VERSION: Final = 1
STDERR_LIMIT: Final = 64 * 1024
_READ_CHUNK: Final = 1 << 20
_STOP_GRACE: Final = 2.0
_SETTLE: Final = 0.05


# -- message schemas --------------------------------------------------------


@cache
@cache
def _answer_validator(definition: str) -> Validator:
    """A compiled validator for one ``$defs`` entry of ``harness-response.schema.json``.

    Local ``$ref``s are inlined first: the schema is not recursive, and a
    validator without references is several times faster, which matters once
    per case.
    """
    root = _resources.schema("harness-response")
    target = _inline(root["$defs"][definition], root["$defs"])
    cls = jsonschema.validators.validator_for(root)
    built: Validator = cls({"$schema": root["$schema"], **target})
    return built


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x"}`` replaced by ``defs["x"]``, recursively."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return {**_inline(defs[ref.removeprefix("#/$defs/")], defs), **_inline(rest, defs)}
        return {key: _inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _run_answer_kind(message: JsonValue) -> str:
    """The one ``run`` answer branch (``accepted``/``rejected``/``skipped``) ``message`` can match.

    The branches exclude each other (``accepted`` is a constant, ``skipped``
    allows no ``accepted``), so validating against the chosen branch is the same
    as validating against their ``oneOf``, at a third of the cost; ``run`` (the
    ``oneOf``) is returned for anything else, to describe what is wrong.
    """
    if isinstance(message, dict):
        if "skipped" in message:
            return "skipped"
        if "accepted" in message:
            return "accepted" if message["accepted"] is True else "rejected"
    return "run"


def _schema_problem(validator: Validator, message: Any) -> str | None:
    """None when ``message`` is valid, else the most relevant error, with its path."""
    if validator.is_valid(message):
        return None
    error = jsonschema.exceptions.best_match(validator.iter_errors(message))
    where = error.json_path if error.path else "$"
    return f"{error.message} at {where}"


# -- stderr -----------------------------------------------------------------


class _StderrSink:
    """Drains a harness's stderr on one thread, keeping the last ``limit`` bytes.

    The thread reads only while holding the lock, so when ``settle`` sees an
    empty pipe under the lock, everything the harness wrote so far is stored.
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

    def since(self, mark: int) -> str:
        """What was printed after ``mark``, noting how many bytes were dropped."""
        with self._changed:
            if mark >= self._total:
                return ""
            dropped = max(0, self._start - mark)
            data = bytes(self._data[max(0, mark - self._start) :])
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


class _Closed(Exception):
    """The harness closed stdout."""


class _NoAnswer(Exception):
    """No complete line before the deadline."""


class _Process:
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
        )
        assert self.popen.stdin is not None
        assert self.popen.stdout is not None
        assert self.popen.stderr is not None
        self._in = self.popen.stdin.fileno()
        self._out = self.popen.stdout.fileno()
        os.set_blocking(self._in, False)
        os.set_blocking(self._out, False)
        self._readable = selectors.DefaultSelector()
        self._readable.register(self._out, selectors.EVENT_READ)
        self._writable = selectors.DefaultSelector()
        self._writable.register(self._in, selectors.EVENT_WRITE)
        self._buffer = bytearray()
        self._scanned = 0
        self.stderr = _StderrSink(self.popen.stderr)

    def send(self, data: bytes, deadline: float) -> None:
        """Write all of ``data`` to stdin; raise ``_Closed`` or ``_NoAnswer`` (deadline)."""
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._in, view)
            except BlockingIOError:
                written = 0
            except (BrokenPipeError, ConnectionResetError) as error:
                raise _Closed from error
            view = view[written:]
            if view:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._writable.select(remaining):
                    raise _NoAnswer

    def read_line(self, deadline: float) -> bytes:
        """The next stdout line; raise ``_Closed`` at end of output, ``_NoAnswer`` at deadline."""
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                self._scanned = 0
                return line
            self._scanned = len(self._buffer)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._readable.select(remaining):
                if time.monotonic() >= deadline:
                    raise _NoAnswer
                continue
            try:
                chunk = os.read(self._out, _READ_CHUNK)
            except BlockingIOError:
                continue
            if not chunk:
                raise _Closed
            self._buffer += chunk

    def returncode_after_close(self, timeout: float = 1.0) -> int | None:
        """The exit status once stdout is closed (killing the process if it lingers)."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.popen.returncode

    def kill(self) -> None:
        """Kill the process and collect its exit status."""
        if self.popen.poll() is None:
            self.popen.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)

    def stop(self, grace: float = _STOP_GRACE) -> None:
        """Ask the harness to exit, kill it if it does not, and release everything."""
        if self.popen.poll() is None:
            try:
                self.send(b'{"cmd":"stop"}\n', time.monotonic() + grace)
                self.popen.wait(grace)
            except (_Closed, _NoAnswer, subprocess.TimeoutExpired):
                pass
        self.release()

    def release(self) -> None:
        """Kill if still running, close pipes and selectors, and let the stderr thread end."""
        self.kill()
        for stream in (self.popen.stdin, self.popen.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._readable.close()
        self._writable.close()
        self.stderr.wait_closed(1.0)
        self.stderr.close()
        if self.popen.stderr is not None:
            self.popen.stderr.close()


# -- the target -------------------------------------------------------------


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@frozen
class ModelEntry:
    """One model a harness can run: its SDK name, directions, and what it is."""

    name: str
    directions: tuple[str, ...]
    kind: str = ""
    alias_of: str = ""


@define
class HarnessTarget:
    """An SDK behind a harness subprocess (see the module docstring for the rules).

    ``command`` starts the harness; ``options`` go in the ``start`` request;
    ``model_names`` maps a schema's model name to the SDK's class name where they
    differ. ``timeout`` bounds one case, ``start_timeout`` the handshake and the
    ``models`` listing. ``env`` adds to (does not replace) the environment.
    """

    name: str
    command: tuple[str, ...] = field(converter=_strings)
    options: Mapping[str, object] | None = None
    convention: str | None = None
    timeout: float = 5.0
    start_timeout: float = 60.0
    max_restarts: int = 3
    cwd: str | None = None
    env: Mapping[str, str] | None = None
    model_names: Mapping[str, str] | None = None
    _process: _Process | None = field(init=False, default=None)
    _implementation: Implementation | None = field(init=False, default=None)
    _seq: int = field(init=False, default=0)
    _restarts: int = field(init=False, default=0)
    _running: bool = field(init=False, default=False)
    _last_failure: str = field(init=False, default="")
    _gave_up: str = field(init=False, default="")

    @property
    def implementation(self) -> Implementation | None:
        """Who the harness said it is at the last successful start."""
        return self._implementation

    @property
    def restarts(self) -> int:
        """How many times the harness was restarted after a failure."""
        return self._restarts

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> Implementation:
        """Spawn the harness and check its handshake; raise ``HarnessError`` if it is not ready."""
        if self._process is not None:
            self.close()
        self._gave_up = ""
        self._restarts = 0
        implementation = self._launch(case_id="")
        self._running = True
        return implementation

    def close(self) -> None:
        """Send ``stop``, wait briefly, kill the harness if needed; safe to call twice."""
        self._running = False
        process, self._process = self._process, None
        if process is not None:
            process.stop()

    def __enter__(self) -> HarnessTarget:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _launch(self, case_id: str) -> Implementation:
        try:
            process = _Process(self.command, self.cwd, self.env)
        except OSError as error:
            raise HarnessError(
                f"cannot run harness command {list(self.command)!r}: {error}",
                hint="check the interpreter path and the harness file",
                target=self.name,
                case_id=case_id,
            ) from error
        self._process = process
        request: dict[str, object] = {"cmd": "start", "version": PROTOCOL_VERSION}
        if self.options is not None:
            request["options"] = dict(self.options)
        text = json.dumps(request, separators=(",", ":"), default=str)
        mark = process.stderr.mark()
        answer = self._exchange(
            text.encode("utf-8") + b"\n",
            "start",
            deadline=time.monotonic() + self.start_timeout,
            case_id=case_id,
            mark=mark,
            waiting_for="the start handshake",
        )
        assert isinstance(answer, dict)
        if answer["ready"] is not True:
            self._discard(process)
            raise HarnessError(
                f"harness is not ready: {answer['error']}",
                hint="check the harness options (modules, package, root)",
                target=self.name,
                case_id=case_id,
                stderr=process.stderr.since(mark),
            )
        facts = answer["implementation"]
        assert isinstance(facts, dict)
        implementation = Implementation(
            name=str(facts["name"]),
            language=str(facts["language"]),
            sdk=str(facts["sdk"]),
            sdk_version=str(facts["sdk_version"]),
        )
        self._implementation = implementation
        return implementation

    def _discard(self, process: _Process) -> None:
        if self._process is process:
            self._process = None
        process.release()

    def _ensure_running(self, case_id: str) -> _Process:
        """The live process, restarting a failed one within the restart budget."""
        if self._process is not None:
            return self._process
        if not self._running:
            # The first start is not a restart; a failed one leaves later attempts counted.
            self._running = True
            self._launch(case_id)
        else:
            if self._restarts >= self.max_restarts:
                self._gave_up = (
                    f"gave up after {self._restarts} restarts; last failure: {self._last_failure}"
                )
                raise HarnessError(
                    self._gave_up,
                    hint="see the stderr of the first failed cases, or raise max_restarts",
                    target=self.name,
                    case_id=case_id,
                )
            self._restarts += 1
            self._launch(case_id)
        assert self._process is not None
        return self._process

    # -- talking --------------------------------------------------------------

    def _exchange(
        self,
        line: bytes,
        definition: str,
        deadline: float,
        case_id: str,
        mark: int,
        waiting_for: str,
    ) -> JsonValue:
        """Send one request line and return its validated answer; on failure, end the process."""
        process = self._process
        assert process is not None
        try:
            process.send(line, deadline)
            raw = process.read_line(deadline)
        except _Closed:
            returncode = process.returncode_after_close()
            process.stderr.wait_closed(1.0)
            error: HarnessError = HarnessCrashed(
                f"harness exited with status {returncode} before answering {waiting_for}",
                hint="the harness's stderr is attached",
                target=self.name,
                case_id=case_id,
                stderr=process.stderr.since(mark),
                returncode=returncode,
            )
            self._fail(process, error)
        except _NoAnswer:
            seconds = self.start_timeout if definition != "run" else self.timeout
            process.kill()
            process.stderr.wait_closed(1.0)
            error = HarnessTimeout(
                f"no answer to {waiting_for} within {seconds:g} s; harness killed",
                hint="raise the timeout if the SDK is slow",
                target=self.name,
                case_id=case_id,
                stderr=process.stderr.since(mark),
            )
            self._fail(process, error)
        try:
            message = jsonwire.loads(raw)
        except ValueError as parse_error:
            self._protocol_error(
                process,
                f"answer to {waiting_for} is not JSON ({parse_error}): {_excerpt(raw)}",
                case_id,
                mark,
            )
        if definition == "run":
            definition = _run_answer_kind(message)
        problem = _schema_problem(_answer_validator(definition), message)
        if problem is not None:
            self._protocol_error(
                process,
                f"answer to {waiting_for} breaks the protocol: {problem}: {_excerpt(raw)}",
                case_id,
                mark,
            )
        return message

    def _protocol_error(self, process: _Process, message: str, case_id: str, mark: int) -> NoReturn:
        process.stderr.settle()
        self._fail(
            process,
            HarnessProtocolError(
                message,
                hint="a harness writes exactly one JSON line per request to stdout; "
                "everything else goes to stderr",
                target=self.name,
                case_id=case_id,
                stderr=process.stderr.since(mark),
            ),
        )

    def _fail(self, process: _Process, error: HarnessError) -> NoReturn:
        self._last_failure = error.message
        self._discard(process)
        raise error

    # -- the Target protocol ----------------------------------------------------

    def run(self, case: Case) -> Outcome:
        """Run one case; every failure of the harness becomes an ``error`` outcome."""
        began = time.perf_counter()
        if self._gave_up:
            return Outcome(
                "error",
                error=str(HarnessError(self._gave_up, target=self.name, case_id=case.id)),
                seconds=0.0,
            )
        try:
            wire_text = jsonwire.dumps(case.wire)
        except (TypeError, ValueError) as bad:
            return Outcome("error", error=f"case {case.id!r}: wire is not JSON: {bad}")
        try:
            process = self._ensure_running(case.id)
        except HarnessError as error:
            return _error_outcome(error, began)
        self._seq += 1
        seq = self._seq
        names = self.model_names
        model = case.model if names is None else names.get(case.model, case.model)
        line = (
            f'{{"cmd":"run","seq":{seq},"case":{{"id":{jsonwire.dumps(case.id)},'
            f'"model":{jsonwire.dumps(model)},"direction":{jsonwire.dumps(case.direction)},'
            f'"wire":{wire_text},"wire_text":{jsonwire.dumps(wire_text)}}}}}\n'
        )
        mark = process.stderr.mark()
        try:
            answer = self._exchange(
                line.encode("ascii"),
                "run",
                deadline=time.monotonic() + self.timeout,
                case_id=case.id,
                mark=mark,
                waiting_for=f"case {case.id!r} (seq {seq})",
            )
        except HarnessError as error:
            return _error_outcome(error, began)
        assert isinstance(answer, dict)
        got = answer["seq"]
        if got != seq:
            sent = isinstance(got, int) and 0 < got < seq
            what = "an earlier case" if sent else "never sent"
            try:
                self._protocol_error(
                    process,
                    f"expected the answer to seq {seq}, got seq {got} ({what})",
                    case.id,
                    mark,
                )
            except HarnessError as error:
                return _error_outcome(error, began)
        process.stderr.settle()
        stderr = process.stderr.since(mark)
        return self._outcome(case, answer, stderr, time.perf_counter() - began)

    def _outcome(
        self, case: Case, answer: dict[str, JsonValue], stderr: str, seconds: float
    ) -> Outcome:
        warnings = answer.get("warnings")
        notes = tuple(str(item) for item in warnings) if isinstance(warnings, list) else ()
        if answer.get("skipped") is True:
            return Outcome("skipped", error=str(answer["reason"]), stderr=stderr, seconds=seconds)
        if answer["accepted"] is not True:
            if answer.get("internal") is True:
                error = HarnessError(
                    f"harness failed on the case: {answer['error']}",
                    hint="a bug of the harness, not of the SDK; its stderr is attached",
                    target=self.name,
                    case_id=case.id,
                    stderr=stderr,
                )
                return Outcome(
                    "error", error=str(error), warnings=notes, stderr=stderr, seconds=seconds
                )
            return Outcome(
                "rejected",
                error=str(answer["error"]),
                warnings=notes,
                stderr=stderr,
                seconds=seconds,
            )
        text = answer.get("wire_text")
        if isinstance(text, str):
            try:
                wire = jsonwire.loads(text)
            except ValueError as parse_error:
                error = HarnessError(
                    f"the SDK wrote text that is not JSON ({parse_error}): {_excerpt(text)}",
                    target=self.name,
                    case_id=case.id,
                    stderr=stderr,
                )
                return Outcome(
                    "error", error=str(error), warnings=notes, stderr=stderr, seconds=seconds
                )
        else:
            wire = answer["wire"]
        return Outcome(
            "accepted",
            wire=wire,
            native=answer.get("native"),
            warnings=notes,
            stderr=stderr,
            seconds=seconds,
        )

    def list_model_entries(self) -> list[ModelEntry]:
        """Every model the harness can run, with its kind (starts the harness if needed)."""
        process = self._ensure_running("")
        mark = process.stderr.mark()
        answer = self._exchange(
            b'{"cmd":"models"}\n',
            "models",
            deadline=time.monotonic() + self.start_timeout,
            case_id="",
            mark=mark,
            waiting_for="the models listing",
        )
        assert isinstance(answer, dict)
        if "error" in answer:
            raise HarnessError(
                f"harness cannot list its models: {answer['error']}",
                target=self.name,
                stderr=process.stderr.since(mark),
            )
        entries = answer["models"]
        assert isinstance(entries, list)
        out: list[ModelEntry] = []
        for entry in entries:
            assert isinstance(entry, dict)
            directions = entry["directions"]
            assert isinstance(directions, list)
            out.append(
                ModelEntry(
                    name=str(entry["name"]),
                    directions=tuple(str(item) for item in directions),
                    kind=str(entry.get("kind", "")),
                    alias_of=str(entry.get("alias_of", "")),
                )
            )
        return out

    def export_schemas(
        self, names: Sequence[str] | None = None, timeout: float = 600.0
    ) -> dict[str, JsonValue]:
        """The harness's JSON Schema of ``names`` (default: every model), via ``schemas``.

        The answer is ``{"schemas": {"$defs": ...}}`` plus ``"failed": {name: error}``
        for models the SDK could not describe. Exporting thousands of models takes
        a while, so ``timeout`` is generous. Raise ``HarnessError`` if the harness
        cannot export at all (older harnesses do not know the command).
        """
        process = self._ensure_running("")
        mark = process.stderr.mark()
        request: dict[str, object] = {"cmd": "schemas"}
        if names is not None:
            request["names"] = list(names)
        answer = self._exchange(
            json.dumps(request, separators=(",", ":")).encode("utf-8") + b"\n",
            "schemas",
            deadline=time.monotonic() + timeout,
            case_id="",
            mark=mark,
            waiting_for="the schemas export",
        )
        assert isinstance(answer, dict)
        if "error" in answer:
            raise HarnessError(
                f"harness cannot export schemas: {answer['error']}",
                target=self.name,
                stderr=process.stderr.since(mark),
            )
        return answer

    def list_models(self) -> list[tuple[str, tuple[str, ...]]]:
        """(name, directions) of every model the harness can run."""
        return [(entry.name, entry.directions) for entry in self.list_model_entries()]


def _error_outcome(error: HarnessError, began: float) -> Outcome:
    return Outcome(
        "error", error=str(error), stderr=error.stderr, seconds=time.perf_counter() - began
    )


def _excerpt(raw: bytes | str, limit: int = 200) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return repr(text if len(text) <= limit else text[:limit] + "...")


# -- built-in harnesses -----------------------------------------------------


def harness_program(filename: str) -> Path:
    """The path of a harness program shipped in ``conformance/harnesses``."""
    return Path(__file__).resolve().parent.parent / "harnesses" / filename


def python_sdk_target(
    name: str,
    python: str,
    modules: Sequence[str],
    package: str,
    *,
    options: Mapping[str, object] | None = None,
    **kw: Any,
) -> HarnessTarget:
    """A pydantic SDK run by ``python_harness.py`` under ``python`` (the SDK's interpreter).

    ``options`` adds to the start options (e.g. ``{"response_writer": "model_dump_json"}``);
    other keywords go to ``HarnessTarget``.
    """
    start: dict[str, object] = {"modules": list(modules), "package": package, **(options or {})}
    command = [python, str(harness_program("python_harness.py"))]
    kw.setdefault("convention", "python")
    return HarnessTarget(name, command, start, **kw)


def node_sdk_target(
    name: str,
    root: str,
    modules: Sequence[str],
    package: str,
    node: str = "node",
    *,
    options: Mapping[str, object] | None = None,
    **kw: Any,
) -> HarnessTarget:
    """A zod SDK run by ``node_harness.mjs``; ``root`` is the folder whose node_modules holds it."""
    start: dict[str, object] = {
        "modules": list(modules),
        "root": str(Path(root).resolve()),
        "package": package,
        **(options or {}),
    }
    command = [node, str(harness_program("node_harness.mjs"))]
    kw.setdefault("convention", "typescript")
    return HarnessTarget(name, command, start, **kw)
