"""SDK targets behind a harness: one persistent subprocess speaking newline-delimited JSON.

The protocol (``conformance/schemas/harness-*.schema.json``): ``start``, ``models``,
``schemas``, ``run`` (one case, answered with the same ``seq``) and ``stop``. The process
(pipes, process group, stderr) is ``targets.process``'s, validating answers
``targets.protocol``'s, the queue of requests ``targets.inflight``'s, and
``targets.builtin`` builds the Python and Node harness targets.

Several ``run`` requests are in flight at once (``window``; ``run_many`` and
``submit``/``outcome`` use it, ``run`` is one of them): a harness answers them one by
one in the order sent, so the oldest unanswered request is the case it is working on.
How the client keeps a run honest:

* Only a well-formed ``accepted`` answer with the oldest request's ``seq`` makes a case
  ``accepted``; a case's clock starts when its request is sent and the answer before it
  was read.
* A crash or a timeout (the process group is killed) marks the oldest unanswered case
  ``error`` and ends the process; the cases sent after it are sent again to a new
  process, up to ``max_restarts`` restarts (then every case left is an ``error``).
* A non-JSON line, an answer that breaks the schema, a wrong or out-of-order ``seq``
  or a second answer marks the case whose answer was expected ``error`` (a line after
  the last answer, with nothing else in flight, is that case's second answer). While
  several requests are in flight such a line may be the second answer to the case
  just answered: so an answer read with later requests in flight is held until the
  next line, and when that line is bad both cases run again one at a time on a new
  process, which settles which case it was; one request at a time from then on.
* stderr is drained into a bounded buffer (the last 64 KiB); each outcome carries what
  the harness printed between the answer before it and its own (a failed start:
  everything since the process began). While several cases are in flight that cannot
  be split between them: what is read then carries a line naming the other cases, and
  the client sends one request at a time until ``QUIET`` cases have printed nothing.
* ``interrupt()`` (from a signal handler or another thread) kills the harness; what it
  cut off raises ``HarnessStopped`` instead of becoming an ``error``.

Start-up is measured from spawn to ``ready`` (``startup_seconds``, also in the
implementation's details); start warnings (e.g. a fallback to plain pydantic) are
``start_warnings``. Different targets may start and run in different threads at once:
they share only the read-only protocol schemas, and every pipe is close-on-exec.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import NoReturn

from attrs import Factory, define, evolve, field

from conformance.core import jsonwire
from conformance.core.jsonwire import JsonValue
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import (
    HarnessCrashed,
    HarnessError,
    HarnessProtocolError,
    HarnessTimeout,
)
from conformance.sources.cases import Case
from conformance.targets import discovery
from conformance.targets.discovery import ModelEntry
from conformance.targets.inflight import WINDOW, CaseQueue
from conformance.targets.process import STDERR_LIMIT, HarnessProcess, NoAnswer, PipeClosed
from conformance.targets.protocol import (
    PROTOCOL_VERSION,
    answer_problem,
    excerpt,
    implementation_of,
    timeout_hint,
)

__all__ = [
    "PROTOCOL_VERSION",
    "STDERR_LIMIT",
    "HarnessStopped",
    "HarnessTarget",
    "ModelEntry",
]


class HarnessStopped(Exception):
    """``interrupt()`` stopped the harness before it answered: the request has no outcome.

    Not a ``HarnessError``: nothing is wrong with the harness, so a runner must
    not record the cut-off case as an ``error``; it leaves the case unrecorded
    (a resumed run runs it again).
    """


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@define
class HarnessTarget:
    """An SDK behind a harness subprocess (see the module docstring for the rules).

    ``command`` starts the harness; ``options`` go in the ``start`` request;
    ``model_names`` maps a schema's model name to the SDK's class name where they
    differ. ``timeout`` bounds one case, ``start_timeout`` the handshake and the
    ``models`` listing. ``env`` adds to (does not replace) the environment.
    ``optional`` and ``install_hint`` come from the configuration (see the
    ``Target`` protocol); ``config_key`` is the target's TOML table, which the
    hints of timeouts name. ``window`` bounds the ``run`` requests in flight.
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
    optional: bool = False
    install_hint: str = ""
    config_key: str = ""
    window: int = WINDOW
    _process: HarnessProcess | None = field(init=False, default=None)
    _implementation: Implementation | None = field(init=False, default=None)
    _startup_seconds: float | None = field(init=False, default=None)
    _seq: int = field(init=False, default=0)
    _restarts: int = field(init=False, default=0)
    _running: bool = field(init=False, default=False)
    _last_failure: str = field(init=False, default="")
    _gave_up: str = field(init=False, default="")
    _interrupted: bool = field(init=False, default=False)
    _free_restart: bool = field(init=False, default=False)
    _queue: CaseQueue = field(init=False, default=Factory(CaseQueue, takes_self=True))

    @property
    def implementation(self) -> Implementation | None:
        """Who the harness said it is at the last successful start."""
        return self._implementation

    @property
    def startup_seconds(self) -> float | None:
        """Seconds from spawning the harness to its ``ready`` answer, at the last start."""
        return self._startup_seconds

    @property
    def start_warnings(self) -> tuple[str, ...]:
        """What the harness warned about at the last successful start."""
        return () if self._implementation is None else self._implementation.warnings

    @property
    def restarts(self) -> int:
        """How many times the harness was restarted after a failure."""
        return self._restarts

    # -- what the case queue needs (``targets.inflight.Host``) ------------------

    @property
    def gave_up(self) -> str:
        """Why the harness is not restarted again (empty while it may be)."""
        return self._gave_up

    @property
    def process(self) -> HarnessProcess | None:
        """The running harness process, if any."""
        return self._process

    @property
    def interrupted(self) -> bool:
        """Whether ``interrupt()`` was called."""
        return self._interrupted

    def check_interrupted(self, case_id: str, waiting_for: str = "") -> None:
        """Raise ``HarnessStopped`` (releasing the process) once ``interrupt()`` was called."""
        self._check_interrupted(case_id, waiting_for)

    def ensure_running(self, case_id: str) -> HarnessProcess:
        """The live process, restarting a failed one within the restart budget."""
        return self._ensure_running(case_id)

    def discard(self, process: HarnessProcess, failure: str, counted: bool = True) -> None:
        """End a process that failed with ``failure``; the next case restarts it, a restart
        that counts against ``max_restarts`` unless not ``counted``."""
        self._last_failure = failure
        self._free_restart = not counted
        self._discard(process)

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> Implementation:
        """Spawn the harness and check its handshake; raise ``HarnessError`` if it is not ready."""
        self._check_interrupted("")
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
        self._queue.forget()
        process, self._process = self._process, None
        if process is not None:
            process.stop()

    def interrupt(self) -> None:
        """Kill the harness now, for a run that is shutting down; safe in a signal handler.

        The request in flight, if any, and every later ``start``, ``run`` or
        listing raise ``HarnessStopped``; ``close()`` still cleans up.
        """
        self._interrupted = True
        process = self._process
        if process is not None:
            process.kill_group()

    def __enter__(self) -> HarnessTarget:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_interrupted(self, case_id: str, waiting_for: str = "") -> None:
        """Raise ``HarnessStopped`` (releasing the process) once ``interrupt()`` was called."""
        if not self._interrupted:
            return
        self._queue.forget()
        process, self._process = self._process, None
        if process is not None:
            process.release()
        what = f" while waiting for {waiting_for}" if waiting_for else ""
        where = f" case {case_id!r}" if case_id else ""
        raise HarnessStopped(f"target {self.name!r}{where}: harness stopped{what}")

    def _launch(self, case_id: str) -> Implementation:
        began = time.monotonic()
        try:
            process = HarnessProcess(self.command, self.cwd, self.env)
        except OSError as error:
            raise HarnessError(
                f"cannot run harness command {list(self.command)!r}: {error}",
                hint=self.install_hint or "check the interpreter path and the harness file",
                target=self.name,
                case_id=case_id,
            ) from error
        self._process = process
        self._check_interrupted(case_id, "the start handshake")
        request: dict[str, object] = {"cmd": "start", "version": PROTOCOL_VERSION}
        if self.options is not None:
            request["options"] = dict(self.options)
        text = json.dumps(request, separators=(",", ":"), default=str)
        # Everything since the process began: it may have printed before this line.
        mark = 0
        answer = self._exchange(
            text.encode("utf-8") + b"\n",
            "start",
            seconds=self.start_timeout,
            case_id=case_id,
            mark=mark,
            waiting_for="the start handshake",
            limit="start_timeout",
        )
        if answer["ready"] is not True:
            self._discard(process)
            hint = "check the harness options (modules, package, root)"
            raise HarnessError(
                f"harness is not ready: {answer['error']}",
                hint=f"{hint}; {self.install_hint}" if self.install_hint else hint,
                target=self.name,
                case_id=case_id,
                stderr=process.stderr.since(mark),
            )
        seconds = time.monotonic() - began
        implementation = implementation_of(answer)
        implementation = evolve(
            implementation,
            # A Decimal: JSON numbers are exact here, and milliseconds are enough.
            details={**implementation.details, "startup_seconds": Decimal(f"{seconds:.3f}")},
        )
        self._startup_seconds = seconds
        self._implementation = implementation
        self._queue.started(process)
        return implementation

    def _discard(self, process: HarnessProcess) -> None:
        if self._process is process:
            self._process = None
        process.release()

    def _ensure_running(self, case_id: str) -> HarnessProcess:
        """The live process, restarting a failed one within the restart budget."""
        self._check_interrupted(case_id)
        if self._process is not None:
            return self._process
        if not self._running:
            # The first start is not a restart; a failed one leaves later attempts counted.
            self._running = True
            self._launch(case_id)
        else:
            if self._restarts >= self.max_restarts and not self._free_restart:
                self._gave_up = (
                    f"gave up after {self._restarts} restarts; last failure: {self._last_failure}"
                )
                raise HarnessError(
                    self._gave_up,
                    hint="see the stderr of the first failed cases, or raise max_restarts",
                    target=self.name,
                    case_id=case_id,
                )
            if not self._free_restart:
                self._restarts += 1
            self._free_restart = False
            self._launch(case_id)
        assert self._process is not None
        return self._process

    # -- talking --------------------------------------------------------------

    def _exchange(
        self,
        line: bytes,
        definition: str,
        seconds: float,
        case_id: str,
        mark: int,
        waiting_for: str,
        limit: str = "",
    ) -> dict[str, JsonValue]:
        """Send one request line and return its validated answer; on failure, end the process.

        ``limit`` names the setting that gave ``seconds`` (``timeout``,
        ``start_timeout``), for the hint of a timeout.
        """
        process = self._process
        assert process is not None
        deadline = time.monotonic() + seconds
        try:
            process.send(line, deadline)
            raw = process.read_line(deadline)
        except PipeClosed:
            self._check_interrupted(case_id, waiting_for)
            returncode = process.returncode_after_close()
            process.stderr.wait_closed(1.0)
            self._fail(
                process,
                HarnessCrashed(
                    f"harness exited with status {returncode} before answering {waiting_for}",
                    hint="the harness's stderr is attached",
                    target=self.name,
                    case_id=case_id,
                    stderr=process.stderr.since(mark),
                    returncode=returncode,
                ),
            )
        except NoAnswer:
            self._check_interrupted(case_id, waiting_for)
            process.kill()
            process.stderr.wait_closed(1.0)
            self._fail(
                process,
                HarnessTimeout(
                    f"no answer to {waiting_for} within {seconds:g} s; harness killed",
                    hint=timeout_hint(limit, seconds, self.config_key),
                    target=self.name,
                    case_id=case_id,
                    stderr=process.stderr.since(mark),
                ),
            )
        try:
            message = jsonwire.loads(raw, jsonwire.MAX_DEPTH + 1)  # wraps the native view
        except ValueError as parse_error:
            self._protocol_error(
                process,
                f"answer to {waiting_for} is not JSON ({parse_error}): {excerpt(raw)}",
                case_id,
                mark,
            )
        problem = answer_problem(definition, message)
        if problem is not None:
            self._protocol_error(
                process,
                f"answer to {waiting_for} breaks the protocol: {problem}: {excerpt(raw)}",
                case_id,
                mark,
            )
        # A request has one answer line: anything after it (a second answer) would
        # otherwise be read as the answer to the next request, blaming the wrong case.
        extra = process.unread()
        if extra:
            self._protocol_error(
                process,
                f"more than one answer to {waiting_for}: after {excerpt(raw)} "
                f"the harness also wrote {excerpt(extra)}",
                case_id,
                mark,
            )
        assert isinstance(message, dict)
        return message

    def _protocol_error(
        self, process: HarnessProcess, message: str, case_id: str, mark: int
    ) -> NoReturn:
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

    def _fail(self, process: HarnessProcess, error: HarnessError) -> NoReturn:
        self._last_failure = error.message
        self._discard(process)
        raise error

    def _request(
        self,
        request: Mapping[str, JsonValue],
        timeout: float,
        waiting_for: str,
        refusal: str,
        limit: str = "",
    ) -> dict[str, JsonValue]:
        """One request other than a case (starting the harness if needed), and its answer.

        Raise ``HarnessError`` when the harness answers ``{"error": ...}``:
        "harness cannot <refusal>".
        """
        self._queue.drain()
        process = self._ensure_running("")
        mark = process.stderr.mark()
        answer = self._exchange(
            json.dumps(request, separators=(",", ":")).encode("utf-8") + b"\n",
            str(request["cmd"]),
            seconds=timeout,
            case_id="",
            mark=mark,
            waiting_for=waiting_for,
            limit=limit,
        )
        self._queue.started(process)  # what it printed meanwhile is this request's, no case's
        if "error" in answer:
            raise HarnessError(
                f"harness cannot {refusal}: {answer['error']}",
                target=self.name,
                stderr=process.stderr.since(mark),
            )
        return answer

    # -- the Target protocol ----------------------------------------------------

    def run(self, case: Case) -> Outcome:
        """Run one case (after any in flight); every failure of the harness is an ``error``.

        Raise ``HarnessStopped`` when ``interrupt()`` cut the case off (or came before it).
        """
        return self._queue.outcome(self._queue.submit(case))

    def run_many(self, cases: Iterable[Case]) -> Iterator[Outcome]:
        """The outcome of each case, in order, with up to ``window`` requests in flight.

        Cases are read from ``cases`` ahead of the outcomes yielded, so the harness
        works while the caller judges. Raise ``HarnessStopped`` as ``run`` does.
        """
        return self._queue.run_many(cases)

    def submit(self, case: Case) -> int:
        """Queue ``case`` (sent at once if the window has room); its ticket for ``outcome``."""
        return self._queue.submit(case)

    def outcome(self, ticket: int) -> Outcome:
        """The outcome of a submitted case, reading (and restarting the harness) as needed."""
        return self._queue.outcome(ticket)

    # -- discovery ----------------------------------------------------------------

    def list_model_entries(self) -> list[ModelEntry]:
        """Every model the harness can run, with its kind (starts the harness if needed)."""
        answer = self._request(
            discovery.models_request(),
            self.start_timeout,
            waiting_for="the models listing",
            refusal="list its models",
            limit="start_timeout",
        )
        return discovery.model_entries(answer)

    def list_models(self) -> list[tuple[str, tuple[str, ...]]]:
        """(name, directions) of every model the harness can run."""
        return [(entry.name, entry.directions) for entry in self.list_model_entries()]

    def export_schemas(
        self, names: Sequence[str] | None = None, timeout: float = 600.0
    ) -> dict[str, JsonValue]:
        """The harness's JSON Schema of ``names`` (default: every model), via ``schemas``.

        The answer is ``{"schemas": {"$defs": ...}}`` plus ``"failed": {name: error}``
        for models the SDK could not describe. Exporting thousands of models takes
        a while, so ``timeout`` is generous. Raise ``HarnessError`` if the harness
        cannot export at all (older harnesses do not know the command).
        """
        return self._request(
            discovery.schemas_request(names),
            timeout,
            waiting_for="the schemas export",
            refusal="export schemas",
        )
