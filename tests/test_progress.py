"""The progress line: its estimate leaves harness start-up out, and it names the slowest target."""

from __future__ import annotations

import io

from conformance.cli.progress import ProgressLine


class _Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_starts_at_the_first_finished_case() -> None:
    """Start-up before the first case does not count: 1 s per case after it gives 8 s left of 10."""
    clock, out = _Clock(), io.StringIO()
    line = ProgressLine(10, out, terminal=False, clock=clock)
    clock.now += 60.0  # a slow SDK import before the first case finishes
    line.advance(1, {"py": 0.5})
    clock.now += 1.0
    line.advance(2, {"py": 0.5})
    assert "cases 2/10 (20%)" in line.text(clock.now)
    assert "about 8s left" in line.text(clock.now)


def test_the_slowest_target_is_the_one_that_spent_most_time_per_case() -> None:
    """The target whose cases took longest so far is named with its milliseconds per case."""
    clock, out = _Clock(), io.StringIO()
    line = ProgressLine(4, out, terminal=False, clock=clock)
    line.advance(1, {"node": 0.001, "python": 0.004})
    line.advance(2, {"node": 0.001, "python": 0.002})
    assert "slowest target python (3.0 ms/case)" in line.text(clock.now)


def test_a_log_gets_a_line_now_and_then_and_the_last_one() -> None:
    """Off a terminal, lines are written at most every ten seconds, and always for the last case."""
    clock, out = _Clock(), io.StringIO()
    line = ProgressLine(3, out, terminal=False, clock=clock)
    line.advance(1, {"t": 0.0})
    line.advance(2, {"t": 0.0})
    line.advance(3, {"t": 0.0})
    lines = out.getvalue().splitlines()
    assert [each.split(",")[0] for each in lines] == ["cases 1/3 (33%)", "cases 3/3 (100%)"]


def test_a_terminal_line_is_redrawn_in_place_and_ended() -> None:
    """On a terminal the line is redrawn with a carriage return and ended by close()."""
    clock, out = _Clock(), io.StringIO()
    line = ProgressLine(2, out, terminal=True, clock=clock)
    line.advance(1, {"t": 0.0})
    clock.now += 1.0
    line.advance(2, {"t": 0.0})
    line.close()
    text = out.getvalue()
    assert text.count("\r") == 2
    assert text.endswith("\n")
