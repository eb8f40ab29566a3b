"""Harnesses started while a run is set up, kept open for the run (``scale``'s hand-over).

Listing an SDK's models (``sdk_pairing.listings``) and exporting its schema
(``scale.export_schema``) start its harness, and an SDK of thousands of models
takes seconds to import. ``Kept`` holds those started harness targets until the
run's engine takes them (``hand_over``, when the targets run in this process)
or they are closed (``close``: the run failed before its cases, or worker
processes start harnesses of their own). A kept harness is taken only where the
run's own target of that name would run the same harness with the same settings
(every setting but its model names, which pairing gives); it is then the run's
target, with the fresh one's model names, and its start is the one the listing
made (its restarts after a crash or a timeout count from there, as from a fresh
start; what it printed while listing is no case's). A cross run's SDK targets are
taken inside their ``Remembered`` wrappers. A harness kept after ``close`` (its
listing ended after the run failed) is closed at once, so none is left running.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence

import attrs
from attrs import define, field

from conformance.core.outcome import Implementation
from conformance.targets import Target
from conformance.targets.cross import Remembered
from conformance.targets.harness import HarnessTarget

__all__ = ["Kept", "held"]

#: Set by pairing: the only setting a kept harness takes from the run's own target.
_PAIRED = "model_names"


@define
class Kept:
    """The started harness targets of a run's set-up, by target name (thread-safe)."""

    _targets: dict[str, HarnessTarget] = field(init=False, factory=dict)
    _closed: bool = field(init=False, default=False)
    _lock: threading.Lock = field(init=False, factory=threading.Lock)

    def keep(self, target: HarnessTarget) -> None:
        """Hold the started ``target`` for the run; closed at once after ``close``, or when a
        target of its name is held already."""
        with self._lock:
            if not self._closed and target.name not in self._targets:
                self._targets[target.name] = target
                return
        target.close()

    def hand_over(
        self, targets: Sequence[Target]
    ) -> tuple[list[Target], dict[str, Implementation]]:
        """``targets`` with each harness target replaced by the kept one of its name where that
        one runs the same harness, and the start of each kept one taken, by name; every kept
        harness not taken is closed."""
        started: dict[str, Implementation] = {}
        out: list[Target] = []
        for each in targets:
            if isinstance(each, Remembered):  # a cross run's SDK target, wrapped
                each.target = self._take(each.target, started)
                out.append(each)
            else:
                out.append(self._take(each, started))
        self.close()
        return out, started

    def close(self) -> None:
        """Close every harness not handed over; later ones are closed as they are kept."""
        with self._lock:
            self._closed = True
            left, self._targets = list(self._targets.values()), {}
        for each in left:
            each.close()

    def _take(self, fresh: Target, started: dict[str, Implementation]) -> Target:
        """The kept harness in place of ``fresh`` (its start added to ``started``), or ``fresh``
        where none of its name runs the same harness (that one is closed)."""
        if not isinstance(fresh, HarnessTarget):
            return fresh
        with self._lock:
            kept = self._targets.pop(fresh.name, None)
        if kept is None:
            return fresh
        implementation = kept.implementation
        if implementation is None or not _alive(kept) or not _same_harness(kept, fresh):
            kept.close()
            return fresh
        kept.model_names = fresh.model_names
        started[fresh.name] = implementation
        return kept


@contextlib.contextmanager
def held(target: HarnessTarget, kept: Kept | None) -> Iterator[HarnessTarget]:
    """``target`` for a ``with`` block of set-up work (start, list, export): stopped after it,
    or, when the block succeeds and there is ``kept``, held there for the run."""
    try:
        yield target
    except BaseException:
        target.close()
        raise
    if kept is None:
        target.close()
    else:
        kept.keep(target)


def _alive(target: HarnessTarget) -> bool:
    """Whether the harness still runs (it may have died while the run was set up)."""
    process = target.process
    return process is not None and process.popen.poll() is None and not target.interrupted


def _same_harness(kept: HarnessTarget, fresh: HarnessTarget) -> bool:
    """Whether the two have every setting alike (command, options, cwd, env, timeouts,
    window, convention, ...) but the model names."""
    return all(
        getattr(kept, each.name) == getattr(fresh, each.name)
        for each in attrs.fields(HarnessTarget)
        if each.init and each.name != _PAIRED
    )
