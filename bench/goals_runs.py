"""Issue 15's goals that need whole commands: re-rendering a results file, and ``--jobs``.

Each figure is the CPU (or wall) time of a real ``conformance`` command run as a child
process, read with ``os.wait4`` so that only that child counts, beside its baseline in
the same run:

- re-rendering: ``conformance report FILE --html --junit --markdown`` (start-up
  included: it is what a user waits for) against ``json.loads`` of every line of the
  same file; and the report's peak memory for two sizes of file (flat memory: the peak
  grows much more slowly than the file);
- ``--jobs 2`` against ``--jobs 1``: the wall time of ``conformance run`` over generated
  payloads of the bundled orq.ai suite, on one slow target (the Python SDK, whose
  harness does the most work per case) and on fast ones (the two references, in
  process), with each target's start-up from the results header.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from goals_table import Row

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = str(Path(sys.executable).with_name("conformance"))


#: Runs a command and prints its CPU seconds and peak resident KB. A child forked from this
#: process (which may hold a large results file's records) would start with this process's
#: peak as its own, and Linux keeps that peak across exec: the launcher is small when it forks.
_LAUNCH = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def child(command: Sequence[str]) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, peak resident KB) of one command run to its end."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *command],
        capture_output=True,
        cwd=ROOT,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - began
    cpu, peak, code = done.stdout.split()
    if int(code) not in (0, 1):  # 1: the run diverges, which is what it measures
        raise RuntimeError(f"{' '.join(command)} exited {code}: {done.stderr[-2000:]}")
    return float(cpu), wall, int(peak)


def write_results(path: Path, cases: int) -> None:
    """A results file of ``cases`` cases x 3 targets, as bench_report makes it."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_report import records

    from conformance.results.writer import ResultsWriter

    with ResultsWriter(path) as writer:
        writer.write_all(records(cases))


def loads_seconds(path: Path) -> float:
    """CPU seconds of ``json.loads`` of every line of ``path`` (the file read once first)."""
    lines = path.read_bytes().splitlines()
    began = time.process_time()
    for line in lines:
        json.loads(line)
    return time.process_time() - began


def render(path: Path, out: Path) -> tuple[float, float, int]:
    """(CPU s, wall s, peak KB) of ``conformance report`` writing all three reports."""
    return child(
        [
            CONFORMANCE,
            "report",
            str(path),
            "--format",
            "json",
            "--html",
            str(out / "index.html"),
            "--junit",
            str(out / "junit.xml"),
            "--markdown",
            str(out / "summary.md"),
        ]
    )


def render_goal(cases: int, small: int, browser_runs: int) -> tuple[list[str], list[Row]]:
    """Printed lines and table rows: re-rendering ``cases`` cases against json.loads; memory
    at two sizes; Chromium's open time of the page."""
    lines, rows = [], []
    with tempfile.TemporaryDirectory() as folder:
        big, little = Path(folder) / "big.ndjson", Path(folder) / "small.ndjson"
        write_results(big, cases)
        write_results(little, small)
        base = loads_seconds(big)
        cpu, wall, peak = render(big, Path(folder))
        _, _, peak_small = render(little, Path(folder))
        ratio = cpu / base
        lines.append(
            f"  {cases:,} cases x 3 targets ({big.stat().st_size / 1e6:.1f} MB): json.loads of"
            f" every line {base:5.2f} s | `conformance report` with HTML, JUnit and Markdown"
            f" {cpu:5.2f} s CPU ({wall:5.2f} s wall) | {_verdict(ratio, 3)}"
        )
        rows.append(
            Row(
                f"re-rendering {cases:,} cases x 3 targets (`conformance report`, HTML + JUnit"
                " + Markdown, start-up included)",
                f"{cpu:.2f} s CPU",
                f"`json.loads` of every line: {base:.2f} s",
                f"{ratio:.2f}x",
                "<= 3x",
                ratio <= 3,
            )
        )
        grown = big.stat().st_size / little.stat().st_size
        lines.append(
            f"  peak memory {peak_small / 1024:6.1f} MB at {small:,} cases, {peak / 1024:6.1f} MB"
            f" at {cases:,} ({peak / peak_small:4.2f}x the memory for {grown:4.1f}x the file)"
        )
        rows.append(
            Row(
                f"peak memory of that report, {small:,} -> {cases:,} cases",
                f"{peak / 1024:.0f} MB",
                f"{peak_small / 1024:.0f} MB",
                f"{peak / peak_small:.2f}x for {grown:.1f}x the file",
                "flat",
                None,
            )
        )
        page = Path(folder) / "index.html"
        line, row = _browser(page, browser_runs)
        lines.append(line)
        if row is not None:
            rows.append(row)
    return lines, rows


def _browser(page: Path, runs: int) -> tuple[str, Row | None]:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_report import CHROMIUM, browser_times

    if not Path(CHROMIUM).exists():
        return f"  Chromium: not measured ({CHROMIUM} is absent)", None
    ready, opened = browser_times(page, runs)
    median = statistics.median(ready)
    verdict = "MET" if median < 2 else "NOT MET"
    line = (
        f"  Chromium: open until interactive median {median:4.2f} s over {runs} loads"
        f" (goal < 2 s: {verdict}); a click until a case is drawn"
        f" {statistics.median(opened) * 1e3:4.0f} ms"
    )
    row = Row(
        "that page in Chromium: open until interactive (median)",
        f"{median:.2f} s",
        f"a click until a case is drawn: {statistics.median(opened) * 1e3:.0f} ms",
        "",
        "< 2 s",
        median < 2,
    )
    return line, row


def jobs_run(
    targets: Sequence[str], generate: int, jobs: int, out: Path
) -> tuple[float, dict[str, float | None]]:
    """(wall s, {target: start-up s}) of ``conformance run`` over generated payloads."""
    command = [CONFORMANCE, "run", "--generate", str(generate), "--all-models", "--no-expected"]
    for name in targets:
        command += ["--target", name]
    command += ["--jobs", str(jobs), "--out", str(out), "--format", "json", "--no-progress"]
    _, wall, _ = child(command)
    with out.open() as handle:
        header = json.loads(handle.readline())
    startups = {
        info["name"]: info["implementation"]["details"].get("startup_seconds")
        for info in header["targets"]
    }
    return wall, startups


def jobs_goal(generate: int) -> tuple[list[str], list[Row]]:
    """Printed lines: ``--jobs 2`` against ``--jobs 1`` on a slow target and on fast ones.

    "Never slower beyond one start-up" is read as: the extra wall time of ``--jobs 2``
    over ``--jobs 1`` on the full run is at most its extra on a run of one payload per
    model (spawning workers, their imports and their targets' start-ups; the median of
    three runs each).
    """
    lines, rows = [], []
    sets = (
        ("slow: orq-python", ("orq-python",), 1.6),
        ("fast: the references", ("reference-python", "reference-typescript"), 0.0),
    )
    with tempfile.TemporaryDirectory() as folder:
        one_out, two_out = Path(folder) / "one.ndjson", Path(folder) / "two.ndjson"
        for label, targets, goal in sets:
            ones = [jobs_run(targets, generate, 1, one_out) for _ in range(3)]
            one, startups = statistics.median(r[0] for r in ones), ones[0][1]
            two = statistics.median(jobs_run(targets, generate, 2, two_out)[0] for _ in range(3))
            cases = one_out.read_text().count('"record":"case"')
            # The fixed cost is small beside the noise of one run: the median of three each.
            one_tiny = statistics.median(jobs_run(targets, 1, 1, one_out)[0] for _ in range(3))
            two_tiny = statistics.median(jobs_run(targets, 1, 2, two_out)[0] for _ in range(3))
            fixed = max(0.0, two_tiny - one_tiny)
            speedup = one / two
            startup = ", ".join(f"{n} {s or 0.0:.2f} s" for n, s in startups.items())
            if goal:
                met = speedup >= goal
                verdict = f"goal >= {goal:g}x: {'MET' if met else 'NOT MET'}"
            else:
                met = two - one <= fixed
                verdict = (
                    f"goal: no slower than --jobs 1 beyond the {fixed:.2f} s that --jobs 2"
                    f" adds to a one-payload run: {'MET' if met else 'NOT MET'}"
                )
            lines.append(
                f"  {label:22} {cases:,} cases: --jobs 1 {one:6.2f} s, --jobs 2 {two:6.2f} s"
                f" wall, {speedup:4.2f}x | {verdict}  (start-up: {startup})"
            )
            rows.append(
                Row(
                    f"`--jobs 2`, {label} ({cases:,} generated cases, wall)",
                    f"{two:.2f} s",
                    f"`--jobs 1`: {one:.2f} s",
                    f"{speedup:.2f}x faster",
                    f">= {goal:g}x" if goal else f"no slower beyond {fixed:.2f} s (its start-up)",
                    met,
                )
            )
    return lines, rows


def _verdict(ratio: float, goal: float) -> str:
    return f"{ratio:6.2f}x  goal <= {goal:g}x  {'MET' if ratio <= goal else 'NOT MET'}"
