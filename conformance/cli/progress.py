"""The progress line of a run on stderr: cases done, time left, and the slowest target.

The estimate starts at the first finished case, so the harnesses' start-up (slow
SDK imports, often seconds) does not inflate it; the slowest target is the one
whose cases took the most time so far, which is where a slow run's time goes.
On a terminal the line is redrawn in place; elsewhere (``--progress`` in a CI
log) a new line is written now and then, so a log is not flooded.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # types only: `conformance report` need not import the engine
    from conformance.engine.runner import Advance, Progress

__all__ = ["ProgressLine", "progress_bar"]

_REDRAW = 0.2  # seconds between redraws on a terminal
_LOG_EVERY = 10.0  # seconds between lines in a log


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class ProgressLine:
    """Draws how far a run of ``total`` cases got (``advance``), then ends its line (``close``)."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        terminal: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.stream = stream
        self.terminal = terminal
        self.clock = clock
        self.spent: dict[str, float] = {}
        self.done = 0
        self._first: tuple[float, int] | None = None
        self._drawn_at: float | None = None
        self._width = 0

    def advance(self, done: int, seconds: Mapping[str, float]) -> None:
        """Case ``done`` finished; ``seconds`` is its time in each target."""
        now = self.clock()
        if self._first is None:
            self._first = (now, done)
        self.done = done
        for name, spent in seconds.items():
            self.spent[name] = self.spent.get(name, 0.0) + spent
        every = _REDRAW if self.terminal else _LOG_EVERY
        if self._drawn_at is not None and now - self._drawn_at < every and done < self.total:
            return
        self._drawn_at = now
        self._draw(self.text(now))

    def text(self, now: float) -> str:
        """The line as it reads at ``now``."""
        share = 100 * self.done // self.total if self.total else 100
        parts = [f"cases {self.done}/{self.total} ({share}%)"]
        if self._first is not None and self.done < self.total:
            since, at = self._first
            if self.done > at and now > since:
                per_case = (now - since) / (self.done - at)
                parts.append(f"about {_duration(per_case * (self.total - self.done))} left")
        if self.spent and self.done:
            name = max(self.spent, key=lambda n: (self.spent[n], n))
            parts.append(
                f"slowest target {name} ({1000 * self.spent[name] / self.done:.1f} ms/case)"
            )
        return ", ".join(parts)

    def _draw(self, line: str) -> None:
        if self.terminal:
            pad = " " * max(0, self._width - len(line))
            self.stream.write(f"\r{line}{pad}")
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the line on a terminal (the summary then starts on a fresh one)."""
        if self.terminal and self._drawn_at is not None:
            self.stream.write("\n")
            self.stream.flush()


def progress_bar(show: bool | None, minimum: int = 0) -> Progress:
    """The progress of a run on stderr, for runs of at least ``minimum`` cases.

    ``show`` is ``--progress/--no-progress``; unset, it is drawn when stderr is a
    terminal, whatever the run's size.
    """
    terminal = sys.stderr.isatty()
    wanted = show if show is not None else terminal

    @contextmanager
    def bar(total: int) -> Iterator[Advance | None]:
        if not wanted or total < minimum or total == 0:
            yield None
            return
        line = ProgressLine(total, sys.stderr, terminal=terminal)
        try:
            yield line.advance
        finally:
            line.close()

    return bar
