"""Issue 15's goals as one Markdown table, printed and (``--readme``) put into the README.

The README's table sits between two marker comments; ``write_readme`` replaces what is
between them and nothing else, so the table there is always one run's output.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

from attrs import frozen

BEGIN = "<!-- bench goals: begin (nox -s bench -- goals --readme README.md writes this) -->"
END = "<!-- bench goals: end -->"


@frozen
class Row:
    """One goal: what was measured, its figure, the baseline beside it, and the verdict."""

    goal: str
    figure: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: measured but no verdict (a figure given for context)


def machine() -> str:
    """The machine the figures come from, in one line."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), {platform.system()},"
        f" Python {platform.python_version()}, load {load:.2f} at start"
    )


def markdown(rows: list[Row], header: str) -> str:
    """The table with a line saying where and how it was measured."""
    lines = [
        header,
        "",
        "| goal | figure | baseline (same run) | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = "" if row.met is None else ("met" if row.met else "not met")
        lines.append(
            f"| {row.goal} | {row.figure} | {row.baseline} | {row.ratio} | {row.target}"
            f" | {verdict} |"
        )
    return "\n".join(lines)


def write_readme(path: Path, table: str) -> None:
    """Replace the text between the README's markers with ``table``."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path}: no {BEGIN!r} ... {END!r} markers to write the table between")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
