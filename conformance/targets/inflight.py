"""The ``run`` requests of one harness target: several in flight, answers matched in order.

``HarnessTarget`` (``targets.harness``) keeps its process and its start-up; this
module keeps its cases: the requests queued, sent and not yet answered, and the
outcomes not yet claimed. The rules are in ``targets.harness``'s docstring. Per
request it keeps the case, the request text minus its ``seq`` (written once, sent
again with a new ``seq`` to a restarted process) and when it was sent.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Final, Protocol

from attrs import define, field

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
from conformance.targets.host_numbers import unheld_number
from conformance.targets.process import HarnessProcess, NoAnswer, PipeClosed
from conformance.targets.protocol import answer_problem, excerpt, run_outcome, timeout_hint

__all__ = ["QUIET", "WINDOW", "CaseQueue", "Host", "request_body", "sdk_model"]

#: Requests in flight per harness: enough to keep it busy while the client judges.
WINDOW: Final = 16
#: Cases a harness must answer with a quiet stderr, one at a time, before several are
#: sent at once (while several are in flight, stderr cannot be split between them): at
#: its start, and again after it printed.
QUIET: Final = 32


class Host(Protocol):
    """What the queue needs of its harness target."""

    @property
    def name(self) -> str: ...

    @property
    def timeout(self) -> float: ...

    @property
    def config_key(self) -> str: ...

    @property
    def window(self) -> int: ...

    @property
    def model_names(self) -> Mapping[str, str] | None: ...

    @property
    def gave_up(self) -> str: ...

    @property
    def process(self) -> HarnessProcess | None: ...

    @property
    def implementation(self) -> Implementation | None: ...

    @property
    def interrupted(self) -> bool: ...

    def check_interrupted(self, case_id: str, waiting_for: str = "") -> None:
        """Raise ``HarnessStopped`` once the target was interrupted."""

    def ensure_running(self, case_id: str) -> HarnessProcess:
        """The live process, (re)starting it within the restart budget, or ``HarnessError``."""

    def discard(self, process: HarnessProcess, failure: str, counted: bool = True) -> None:
        """End a failed process, noting why; ``counted``: its restart counts against the limit."""


@define
class Pending:
    """One case's ``run`` request: ``seq`` 0 until sent to the process now running."""

    ticket: int
    case: Case
    body: bytes
    seq: int = 0
    sent: float = 0.0


@define
class Held:
    """An answered case whose outcome waits for the next answer line.

    Read while later requests were in flight: a second answer to it would come
    where the next case's answer is expected, so it is released (or found to
    have a second answer) only once the next line is read.
    """

    pending: Pending
    outcome: Outcome


@define
class CaseQueue:
    """The requests of one harness target not yet answered, and outcomes not yet claimed."""

    host: Host
    _pending: deque[Pending] = field(factory=deque)  # oldest first; ``_sent`` of them sent
    _sent: int = 0
    _held: Held | None = None
    _done: dict[int, Outcome] = field(factory=dict)
    _tickets: int = 0
    _seq: int = 0
    _quiet: int = 0  # a harness's first cases go one at a time, to see whether it prints
    _one_at_a_time: bool = False
    _mark: int = 0  # stderr up to here went to the cases answered
    _clean: int = 0  # ... and up to here surely to them (not to a case still in flight)
    _last_read: float = 0.0

    def started(self, process: HarnessProcess) -> None:
        """A process started: its stderr so far and its handshake are no case's."""
        self._mark = self._clean = process.stderr.mark()
        self._last_read = time.monotonic()

    def forget(self) -> None:
        """Drop every request and outcome not yet claimed (closing, or interrupted)."""
        self._pending.clear()
        self._sent = 0
        self._held = None
        self._done.clear()

    @property
    def idle(self) -> bool:
        """No request is queued or in flight."""
        return not self._pending and self._held is None

    def run_many(self, cases: Iterable[Case]) -> Iterator[Outcome]:
        """The outcome of each case, in order, submitting up to a window ahead."""
        tickets: deque[int] = deque()
        for case in cases:
            tickets.append(self.submit(case))
            if len(tickets) >= max(1, self.host.window):
                yield self.outcome(tickets.popleft())
        while tickets:
            yield self.outcome(tickets.popleft())

    def submit(self, case: Case) -> int:
        """Queue ``case`` (sent at once if the window has room); its ticket."""
        self._tickets += 1
        ticket = self._tickets
        unheld = _unheld(case, self.host.implementation)
        if unheld is not None:
            self._done[ticket] = Outcome("skipped", error=unheld)
            return ticket
        try:
            body = request_body(case, self.host.model_names)
        except (TypeError, ValueError) as bad:
            error = f"case {case.id!r}: wire is not JSON: {bad}"
            self._done[ticket] = Outcome("error", error=error)
            return ticket
        self._pending.append(Pending(ticket, case, body))
        process = self.host.process
        if process is not None:
            # A closed pipe is found again, and blamed, when the answer is awaited.
            with contextlib.suppress(PipeClosed):
                self._top_up(process)
        return ticket

    def outcome(self, ticket: int) -> Outcome:
        """The outcome of a submitted case, reading (and restarting) as needed."""
        while ticket not in self._done:
            self._step()
        return self._done.pop(ticket)

    def drain(self) -> None:
        """Answer every request in flight (before a request that is not a case)."""
        while not self.idle:
            self._step()

    # -- sending and reading ----------------------------------------------------

    def _top_up(self, process: HarnessProcess) -> None:
        """Send queued requests while the window has room (one at a time when it must).

        A wide window is refilled once half of it is answered, in one write: one
        write (and one wake-up of the harness) per half window instead of one per
        case, while the harness still holds half a window of work.
        """
        wide = not self._one_at_a_time and self._quiet >= QUIET
        window = max(1, self.host.window) if wide else 1
        if self._sent > window // 2:
            return
        batch: list[bytes] = []
        now = time.monotonic()
        while self._sent < min(window, len(self._pending)):
            each = self._pending[self._sent]
            self._seq += 1
            each.seq = self._seq
            each.sent = now
            self._sent += 1
            batch.append(f'{{"cmd":"run","seq":{each.seq}'.encode("ascii") + each.body)
        if batch:
            process.queue(b"".join(batch))

    def _step(self) -> None:
        """One step for the oldest unanswered case: start the harness, send, read one line."""
        host = self.host
        head = self._pending[0]
        if host.process is None:
            # Once interrupted, a live (killed) process's answers already written still
            # count: reading them ends at its closed pipe, which raises ``HarnessStopped``.
            host.check_interrupted(head.case.id)
        if host.gave_up:
            for each in self._pending:
                error = HarnessError(host.gave_up, target=host.name, case_id=each.case.id)
                self._done[each.ticket] = Outcome("error", error=str(error), seconds=0.0)
            self._pending.clear()
            self._sent = 0
            return
        try:
            process = host.process or host.ensure_running(head.case.id)
        except HarnessError as failed:
            self._pending.popleft()
            self._sent = 0
            self._done[head.ticket] = _error_outcome(failed, time.monotonic())
            return
        waiting_for = f"case {head.case.id!r} (seq {head.seq})"
        try:
            self._top_up(process)
            began = max(head.sent, self._last_read)
            raw = process.read_line(began + host.timeout, grace=host.timeout)
        except PipeClosed:
            if host.interrupted and self._held is not None:
                self._release_held()  # answered before the interruption: it stands
                return
            host.check_interrupted(head.case.id, waiting_for)
            since = self._release_held()
            returncode = process.returncode_after_close()
            process.stderr.wait_closed(1.0)
            crashed = HarnessCrashed(
                f"harness exited with status {returncode} before answering {waiting_for}",
                hint="the harness's stderr is attached",
                target=host.name,
                case_id=head.case.id,
                stderr=process.stderr.since(since),
                returncode=returncode,
            )
            self._blame(process, head, crashed)
            return
        except NoAnswer:
            if host.interrupted and self._held is not None:
                self._release_held()  # answered before the interruption: it stands
                return
            host.check_interrupted(head.case.id, waiting_for)
            since = self._release_held()
            process.kill()
            process.stderr.wait_closed(1.0)
            timed_out = HarnessTimeout(
                f"no answer to {waiting_for} within {host.timeout:g} s; harness killed",
                hint=timeout_hint("timeout", host.timeout, host.config_key),
                target=host.name,
                case_id=head.case.id,
                stderr=process.stderr.since(since),
            )
            self._blame(process, head, timed_out)
            return
        self._answered(process, head, raw, began, waiting_for)

    def _answered(
        self, process: HarnessProcess, head: Pending, raw: bytes, began: float, waiting_for: str
    ) -> None:
        """Judge one answer line as the answer to ``head`` (see ``targets.harness``)."""
        self._last_read = time.monotonic()
        problem, answer = _run_answer(raw, head.seq, self._seq, waiting_for)
        if problem is not None:
            if self._held is not None:
                # The held case's second answer, or a bad answer of this one: both run
                # again, one at a time, on a new process, which tells which it was.
                self._pending.appendleft(self._held.pending)
                self._held = None
                self._one_at_a_time = True
                self.host.discard(process, problem, counted=False)
                self._requeue()
                return
            self._blame(process, head, self._protocol(process, problem, head.case.id))
            return
        assert answer is not None
        self._release_held()
        process.stderr.settle()
        end = process.stderr.mark()
        start, self._mark = self._mark, end
        stderr = process.stderr.since(start, end)
        self._pending.popleft()
        self._sent -= 1
        others = self._sent > 0  # requests still in flight
        if stderr:
            self._quiet = 0
            if others:
                stderr = _shared_note([self._pending[i] for i in range(self._sent)]) + stderr
        else:
            self._quiet += 1
        if not others or (not stderr and self._clean == start):
            self._clean = end  # everything before is surely an answered case's
        outcome = run_outcome(self.host.name, head.case.id, answer, stderr, self._last_read - began)
        if others:
            self._held = Held(head, outcome)
            return
        # A request has one answer line: anything after it (a second answer) would
        # otherwise be read as the answer to the next request, blaming the wrong case.
        extra = process.unread()
        if extra:
            problem = (
                f"more than one answer to {waiting_for}: after {excerpt(raw)} "
                f"the harness also wrote {excerpt(extra)}"
            )
            self._blame(process, head, self._protocol(process, problem, head.case.id))
            return
        self._done[head.ticket] = outcome

    def _release_held(self) -> int:
        """The held case's answer stands: the line after it was not a second answer.

        Returns where the stderr of a failure of the next case begins: what was
        printed while several cases were in flight may have been that case's, so a
        crash report keeps it too.
        """
        if self._held is not None:
            self._done[self._held.pending.ticket] = self._held.outcome
            self._held = None
        return self._clean

    def _protocol(self, process: HarnessProcess, message: str, case_id: str) -> HarnessError:
        process.stderr.settle()
        return HarnessProtocolError(
            message,
            hint="a harness writes exactly one JSON line per request to stdout; "
            "everything else goes to stderr",
            target=self.host.name,
            case_id=case_id,
            stderr=process.stderr.since(self._mark),
        )

    def _blame(self, process: HarnessProcess, head: Pending, error: HarnessError) -> None:
        """``head`` failed with ``error``: end the process; the cases after it go again."""
        if self._pending and self._pending[0] is head:
            self._pending.popleft()
        self._done[head.ticket] = _error_outcome(error, max(head.sent, self._last_read))
        self.host.discard(process, error.message)
        self._requeue()

    def _requeue(self) -> None:
        """Every request in flight is unsent again: the next process gets it anew."""
        for each in self._pending:
            each.seq = 0
        self._sent = 0


def request_body(case: Case, model_names: Mapping[str, str] | None) -> bytes:
    """The ``run`` request after ``"seq":N``: the case's id, model, direction and text.

    The payload goes once, as text: the case's exact text, unchanged (NaN, escapes,
    duplicate keys), else its wire written as JSON; the harness parses it itself.
    Raise ``TypeError`` or ``ValueError`` for a wire that is not JSON.
    """
    text = case.wire_text if case.wire_text is not None else jsonwire.dumps(case.wire)
    model = sdk_model(case, model_names)
    return (
        f',"case":{{"id":{_string(case.id)},'
        f'"model":{_string(model)},"direction":{_string(case.direction)},'
        f'"wire_text":{_string(text)}}}}}\n'
    ).encode("ascii")


#: A string as a JSON token, ASCII only (lone surrogates escaped): what ``jsonwire.dumps``
#: writes for a string, without its walk.
_string: Callable[[str], str] = json.encoder.encode_basestring_ascii


def sdk_model(case: Case, model_names: Mapping[str, str] | None) -> str:
    """The SDK's name of a case's model: its entry for the case's direction
    (``Model@response``), else for the model, else the model's own name."""
    if not model_names:
        return case.model
    return model_names.get(f"{case.model}@{case.direction}") or model_names.get(
        case.model, case.model
    )


def _shared_note(others: Sequence[Pending]) -> str:
    """The line before a case's stderr read while ``others`` were sent too."""
    names = ", ".join(repr(p.case.id) for p in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return f"[read while the harness also had case(s) {names}{more}: part of it may be theirs]\n"


def _error_outcome(error: HarnessError, began: float) -> Outcome:
    """The ``error`` outcome of a case whose clock (``time.monotonic``) started at ``began``."""
    return Outcome("error", error=str(error), stderr=error.stderr, seconds=time.monotonic() - began)


def _unheld(case: Case, implementation: Implementation | None) -> str | None:
    """Why a request case's user object cannot hold its payload in the harness's language
    (``host_numbers``); None for a response, or when the language is not known yet."""
    if case.direction != "request" or implementation is None:
        return None
    wire = case.wire
    if wire is None and case.wire_text is not None:
        try:
            wire = jsonwire.loads(case.wire_text)
        except ValueError:
            return None  # the harness says what is wrong with it
    return unheld_number(wire, implementation.language)


def _run_answer(
    raw: bytes, seq: int, latest: int, waiting_for: str
) -> tuple[str | None, dict[str, JsonValue] | None]:
    """``raw`` as the answer to request ``seq`` (``latest`` is the last ``seq`` sent):
    (None, the answer) or (what is wrong, None)."""
    try:
        message = jsonwire.loads(raw, jsonwire.MAX_DEPTH + 1)  # wraps the native view
    except ValueError as parse_error:
        return f"answer to {waiting_for} is not JSON ({parse_error}): {excerpt(raw)}", None
    problem = answer_problem("run", message)
    if problem is not None:
        return f"answer to {waiting_for} breaks the protocol: {problem}: {excerpt(raw)}", None
    assert isinstance(message, dict)
    got = message["seq"]
    if got != seq:
        if isinstance(got, int) and 0 < got < seq:
            what = "an earlier case"
        elif isinstance(got, int) and seq < got <= latest:
            what = "a later case: answers come in the order of the requests"
        else:
            what = "never sent"
        return f"expected the answer to seq {seq}, got seq {got} ({what})", None
    return None, message
