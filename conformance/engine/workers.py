"""Where outcomes come from: targets in this process, or in N worker processes.

An engine starts its targets, turns cases into ``(case, [(target, outcome)])``
in case order, and stops its targets. Judging stays in the main process (the
runner), so ``--jobs N`` changes how fast outcomes arrive, never what is
written: records are identical to ``--jobs 1`` apart from timing.

Workers are spawned (not forked: the main process may hold threads) and each
builds its own targets from the picklable ``TargetRecipe``, so every worker
has its own harness processes. Workers ignore SIGINT and SIGTERM; the main
process decides when to stop and cancels what has not started.

A target that does not start gives each case an ``error`` outcome saying so
(``skipped`` if its configuration marks it ``optional``); what the target
printed while failing (a harness's stderr) goes on its first such outcome
only, in case order, so ``--jobs N`` writes it where ``--jobs 1`` does.
``interrupt`` stops the harnesses of this process at once (the run is being
interrupted): the case they were running raises ``HarnessStopped`` out of
``outcomes`` and gets no outcome at all.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from multiprocessing import util
from typing import Protocol

import attrs
from attrs import define, field, frozen

from conformance.core.config import Config
from conformance.core.outcome import Implementation, Outcome, State
from conformance.engine.judging import (
    Encoded,
    Judging,
    encoded_records,
    lenient_targets,
    result_records,
)
from conformance.exceptions import ConformanceError
from conformance.results.records import ResultRecord
from conformance.results.writer import LineEncoder
from conformance.schema import Schema
from conformance.sources.cases import Case
from conformance.targets import Target
from conformance.targets.harness import HarnessStopped

__all__ = ["Engine", "InProcess", "Pool", "TargetRecipe", "split"]

Outcomes = list[tuple[str, Outcome]]
CHUNK = 64  # cases per task: enough to amortise pickling and fill a harness window; to balance
_DID_NOT_START = "target did not start: "


@frozen
class TargetRecipe:
    """How to build the run's targets anywhere: picklable configuration and schema; with
    ``judging``, workers judge the cases they run (``Pool.judged``)."""

    config: Config
    schema: Schema
    judging: Judging | None = None

    def build(self) -> list[Target]:
        """Fresh, unstarted targets."""
        from conformance.oracle.models import build_models
        from conformance.targets.factory import build_targets

        return build_targets(self.config, build_models(self.schema))


class Engine(Protocol):
    """Something that runs cases through the targets."""

    def start(self) -> dict[str, Implementation | None]:
        """Start the targets; a target that fails to start maps to ``None``."""
        ...

    def outcomes(self, cases: Sequence[Case]) -> Iterator[tuple[Case, Outcomes]]:
        """Each case with every target's outcome, in case order.

        Raises ``HarnessStopped`` for a case that ``interrupt`` cut off.
        """
        ...

    def interrupt(self) -> None:
        """Stop what is running now, for a run being interrupted; safe in a signal handler."""
        ...

    def close(self) -> None:
        """Stop the targets (and workers); safe to call more than once."""
        ...


@define
class _LiveTargets:
    """The started targets of one process, and why some of them cannot run (both engines').

    Runs one case through each target, turning a target's failure into an
    ``error`` outcome of that case; ``HarnessStopped`` (an interrupted run) is
    not a failure of the target and goes through.
    """

    targets: list[Target]
    broken: dict[str, Outcome] = field(factory=dict)
    started: Mapping[str, Implementation] = field(factory=dict)

    def start(self) -> dict[str, Implementation | None]:
        # Harness start-ups (an SDK importing thousands of models) overlap: each target
        # starts in a thread of its own, so a run waits for the slowest, not for the sum.
        if len(self.targets) < 2:
            return {t.name: self._start(t) for t in self.targets}
        with concurrent.futures.ThreadPoolExecutor(len(self.targets)) as threads:
            futures = [threads.submit(self._start, t) for t in self.targets]
            return {t.name: f.result() for t, f in zip(self.targets, futures, strict=True)}

    def _start(self, target: Target) -> Implementation | None:
        given = self.started.get(target.name)
        if given is not None:
            return given  # started already (a harness the run's set-up handed over)
        try:
            return target.start()
        except HarnessStopped:
            return None  # its first case raises HarnessStopped again
        except ConformanceError as error:
            state: State = "skipped" if getattr(target, "optional", False) else "error"
            stderr = getattr(error, "stderr", "")
            self.broken[target.name] = Outcome(
                state, error=f"{_DID_NOT_START}{error}", stderr=stderr
            )
            return None

    def run(self, case: Case) -> Outcomes:
        return [(t.name, self._one(t, case)) for t in self.targets]

    def run_all(self, cases: Sequence[Case]) -> Iterator[Outcomes]:
        """Every target's outcome of each case, in case order, each target streaming.

        A target with ``run_many`` (a harness) gets cases ahead of the outcomes
        taken, so every harness works while this process judges or waits on another.
        """
        streams = [self._stream(t, cases) for t in self.targets]
        for _ in cases:
            yield [(t.name, next(s)) for t, s in zip(self.targets, streams, strict=True)]

    def _stream(self, target: Target, cases: Sequence[Case]) -> Iterator[Outcome]:
        many = getattr(target, "run_many", None)
        if many is None or target.name in self.broken:
            for case in cases:
                yield self._one(target, case)
            return
        outcomes: Iterator[Outcome] = many(cases)
        for index in range(len(cases)):
            try:
                yield next(outcomes)
            except HarnessStopped:
                raise
            except Exception as error:  # one case's failure must not stop the run
                yield Outcome("error", error=f"internal error in target {target.name!r}: {error!r}")
                # The stream is broken: the cases after it run one by one.
                for rest in cases[index + 1 :]:
                    yield self._one(target, rest)
                return

    def _one(self, target: Target, case: Case) -> Outcome:
        broken = self.broken.get(target.name)
        if broken is not None:
            return broken
        try:
            return target.run(case)
        except HarnessStopped:
            raise
        except ConformanceError as error:
            return Outcome("error", error=str(error))
        except Exception as error:  # one case's failure must not stop the run
            return Outcome("error", error=f"internal error in target {target.name!r}: {error!r}")

    def interrupt(self) -> None:
        for target in self.targets:
            stop = getattr(target, "interrupt", None)
            if stop is not None:
                stop()

    def close(self) -> None:
        for target in self.targets:
            target.close()


@define
class _FirstStartFailure:
    """Keeps a failed start's stderr on the first outcome of each target that did not start."""

    given: set[str] = field(factory=set)

    def __call__(self, outcomes: Outcomes) -> Outcomes:
        return [(name, self._one(name, outcome)) for name, outcome in outcomes]

    def _one(self, name: str, outcome: Outcome) -> Outcome:
        if not (outcome.stderr and outcome.error.startswith(_DID_NOT_START)):
            return outcome
        if name in self.given:
            return attrs.evolve(outcome, stderr="")
        self.given.add(name)
        return outcome


Started = dict[str, Implementation | None]


def _in_thread(start: Callable[[], Started]) -> concurrent.futures.Future[Started]:
    """``start()`` run in a thread of its own; its result (or error) in the future."""
    future: concurrent.futures.Future[Started] = concurrent.futures.Future()

    def run() -> None:
        try:
            future.set_result(start())
        except BaseException as error:
            future.set_exception(error)

    threading.Thread(target=run, name="conformance-start", daemon=True).start()
    return future


@define
class _Begun:
    """An engine's start, run at once or begun early in a thread (``begin``): ``start``
    waits for a begun one, ``settle`` lets it end (its error is its waiter's) before a close."""

    future: concurrent.futures.Future[Started] | None = None

    def begin(self, start: Callable[[], Started]) -> None:
        if self.future is None:
            self.future = _in_thread(start)

    def start(self, start: Callable[[], Started]) -> Started:
        return self.future.result() if self.future is not None else start()

    def settle(self) -> None:
        if self.future is not None:
            concurrent.futures.wait([self.future])


@define
class InProcess:
    """The targets run here, one case after another; ``started``: the implementations of
    those started already, by name (their start is not made again)."""

    targets: Sequence[Target]
    started: Mapping[str, Implementation] = field(factory=dict)
    _live: _LiveTargets | None = field(init=False, default=None)
    _begun: _Begun = field(init=False, factory=_Begun)

    def begin(self) -> None:
        """Start the targets in a thread while this process does other work (generating
        cases): their start-ups overlap it, and ``start`` waits for them."""
        self._begun.begin(self._start)

    def start(self) -> dict[str, Implementation | None]:
        return self._begun.start(self._start)

    def _start(self) -> Started:
        live = _LiveTargets(list(self.targets), started=self.started)
        self._live = live
        return live.start()

    def outcomes(self, cases: Sequence[Case]) -> Iterator[tuple[Case, Outcomes]]:
        assert self._live is not None, "start() first"
        first = _FirstStartFailure()
        for case, outcomes in zip(cases, self._live.run_all(cases), strict=True):
            yield case, first(outcomes)

    def interrupt(self) -> None:
        if self._live is not None:
            self._live.interrupt()

    def close(self) -> None:
        self._begun.settle()
        # Never started, it still owns its targets: one handed over (``started``) runs already.
        (self._live or _LiveTargets(list(self.targets))).close()


_WORKER: _LiveTargets | None = None
_STARTED: dict[str, Implementation | None] = {}
_RECIPE: TargetRecipe | None = None


def _init_worker(recipe: TargetRecipe) -> None:
    global _WORKER, _RECIPE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _RECIPE = recipe
    _WORKER = _LiveTargets(recipe.build())
    _STARTED.update(_WORKER.start())
    # Worker processes leave through os._exit, which skips atexit; Finalize still runs.
    util.Finalize(None, _WORKER.close, exitpriority=10)


def _implementations() -> dict[str, Implementation | None]:
    """Who the targets of this worker said they are when it started them."""
    return dict(_STARTED)


def _run_chunk(cases: list[Case]) -> list[Outcomes]:
    assert _WORKER is not None
    return list(_WORKER.run_all(cases))


#: What a worker sends back for a chunk it ran and judged: each case's records with their
#: lines (the case record, then one result per target in target order, each holding its
#: outcome), and what its copy of the baseline has seen so far.
_Judged = tuple[list[Encoded], tuple[frozenset[int], frozenset[int]]]


def _judge_chunk(cases: list[Case]) -> _Judged:
    assert _WORKER is not None
    assert _RECIPE is not None
    assert _RECIPE.judging is not None
    judging, schema = _RECIPE.judging, _RECIPE.schema
    conventions = {t.name: t.convention for t in _WORKER.targets}
    lenient = lenient_targets(_STARTED)
    encoder = LineEncoder()
    encoder.prime(conventions)  # the run's header lists these targets with these conventions
    done = []
    for case, outcomes in zip(cases, _WORKER.run_all(cases), strict=True):
        results = result_records(
            case, outcomes, judging.policy, schema, conventions, judging.baseline, lenient
        )
        done.append(encoded_records(encoder, case, results))
    seen = judging.baseline.seen() if judging.baseline is not None else (frozenset(), frozenset())
    return done, seen


@define
class Pool:
    """The targets run in ``jobs`` worker processes, each with its own targets."""

    recipe: TargetRecipe
    jobs: int
    _executor: concurrent.futures.ProcessPoolExecutor | None = field(init=False, default=None)
    _begun: _Begun = field(init=False, factory=_Begun)

    def begin(self) -> None:
        """Spawn the workers (and their targets) in a thread while this process does other
        work: their start-ups overlap it, and ``start`` waits for them."""
        self._begun.begin(self._start)

    def start(self) -> dict[str, Implementation | None]:
        return self._begun.start(self._start)

    def _start(self) -> Started:
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.recipe,),
        )
        # One task per worker at once: each is spawned now, so their start-ups overlap
        # (the executor starts a worker only when a task finds none idle).
        asked = [self._executor.submit(_implementations) for _ in range(self.jobs)]
        return asked[0].result()

    def outcomes(self, cases: Sequence[Case]) -> Iterator[tuple[Case, Outcomes]]:
        assert self._executor is not None, "start() first"
        chunks = _chunks(cases)
        first = _FirstStartFailure()
        for chunk, results in zip(chunks, self._executor.map(_run_chunk, chunks), strict=True):
            for case, outcomes in zip(chunk, results, strict=True):
                yield case, first(outcomes)

    def judged(self, cases: Sequence[Case]) -> Iterator[tuple[Case, Outcomes, Encoded | None]]:
        """Each case with every target's outcome and its records with their lines, judged and
        encoded by the worker that ran it (``recipe.judging`` must be set), in case order; the
        run's baseline takes in what the workers' copies saw."""
        assert self._executor is not None, "start() first"
        judging = self.recipe.judging
        assert judging is not None, "judged() needs recipe.judging"
        chunks = _chunks(cases)
        first = _FirstStartFailure()
        for chunk, (done, seen) in zip(
            chunks, self._executor.map(_judge_chunk, chunks), strict=True
        ):
            if judging.baseline is not None:
                judging.baseline.absorb(seen)
            for case, encoded in zip(chunk, done, strict=True):
                # The judge gives one verdict per outcome, in order: the results hold them all.
                results = [r for r, _ in encoded[1:] if isinstance(r, ResultRecord)]
                outcomes = [(r.target, r.outcome) for r in results]
                kept = first(outcomes)
                if kept != outcomes:  # a failed start's stderr stays on its first outcome only
                    yield case, kept, None  # judged again here, by the run's own judge
                    continue
                yield case, outcomes, encoded

    def interrupt(self) -> None:
        """Nothing to do at once: the workers ignore signals and their harnesses run in
        sessions of their own, so what is running finishes; ``close`` cancels the rest."""

    def close(self) -> None:
        self._begun.settle()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _chunks(cases: Sequence[Case]) -> list[list[Case]]:
    """The cases in tasks of ``CHUNK``, in order."""
    return [list(cases[i : i + CHUNK]) for i in range(0, len(cases), CHUNK)]


def split(cases: Iterable[Case], shard: tuple[int, int] | None) -> list[Case]:
    """The cases of shard ``(i, n)`` (1-based), by a hash of each id (stable as cases change)."""
    if shard is None:
        return list(cases)
    index, count = shard
    return [c for c in cases if _bucket(c.id, count) == index - 1]


def _bucket(case_id: str, count: int) -> int:
    digest = hashlib.sha256(case_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count
