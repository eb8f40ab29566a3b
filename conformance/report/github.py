"""GitHub Actions workflow annotations (``--format github``).

A workflow step's output lines of the form ``::error file=F,line=L,title=T::message`` show
as annotations on the pull request, at the case file and line. One annotation per
root-cause family (at its example case) comes first, then one per failing result
(diverged or errored) in results order, up to ``LIMIT`` in all: GitHub shows only the
first few of a step, and a family already stands for all of its cases. An expected
failure is a ``notice``; a run that could not run a target, or a problem loading a case
file, is an ``error`` without a place. Values are escaped as the workflow command syntax
requires (``%``, CR, LF, and in properties ``:`` and ``,``), so a payload cannot forge
a command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from conformance.results.records import CaseRecord, FindingRecord, Record, ResultRecord
from conformance.results.summary import Summary
from conformance.sources.cases import line_of_case

__all__ = ["LIMIT", "render_github"]

#: Annotations written at most.
LIMIT = 50
_DETAIL = 300


def render_github(summary: Summary, records: Iterable[Record] = ()) -> str:
    """The annotations of a run: its families (from ``summary``), then its failing results
    (from ``records``, the results file read in order)."""
    lines: list[str] = []
    for idle in summary.idle:
        if not idle.optional:
            lines.append(_command("error", f"target {idle.name} ran no case: {idle.reason}"))
    for problem in summary.problems:
        lines.append(_command("error", str(problem), problem.file, problem.line))
    places: dict[str, tuple[str, int | None]] = {}
    results = list(_failing(records, places))
    for family in summary.findings:
        lines.append(_family(family, places))
    lines += results
    return "\n".join(lines[:LIMIT])


def _family(family: FindingRecord, places: dict[str, tuple[str, int | None]]) -> str:
    level = "notice" if family.severity == "expected" else "error"
    file, line = places.get(family.example.case, ("", None))
    title = f"conformance: {family.kind} ({family.cases} cases)"
    message = (
        f"{family.sentence}. e.g. {family.example.case} at {family.example.path}: "
        f"{family.example.detail[:_DETAIL]}"
    )
    return _command(level, message, file, line, title)


def _failing(records: Iterable[Record], places: dict[str, tuple[str, int | None]]) -> Iterator[str]:
    """An annotation per diverged or errored result; ``places`` learns each case's place."""
    place: tuple[str, int | None] = ("", None)
    for record in records:
        if isinstance(record, CaseRecord):
            place = _place(record)
            places[record.id] = place
        elif isinstance(record, ResultRecord) and record.status in ("diverge", "error"):
            what = (
                "; ".join(f"{d.kind} at {d.where}: {d.detail}" for d in record.failing)
                or record.outcome.error
            )
            title = f"conformance: {record.case} [{record.target}] {record.status}"
            yield _command("error", what[:_DETAIL], *place, title)


def _place(case: CaseRecord) -> tuple[str, int | None]:
    """The case file (relative to here when it can be) and the line of the case's id."""
    file, _, _ = case.source.partition(" ")
    if not file:
        return "", None
    path = Path(file)
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = file
    return shown, line_of_case(path, case.id)


def _command(
    level: str, message: str, file: str = "", line: int | None = None, title: str = ""
) -> str:
    properties = []
    if file:
        properties.append(f"file={_property(file)}")
        if line is not None:
            properties.append(f"line={line}")
    if title:
        properties.append(f"title={_property(title)}")
    head = f"::{level} {','.join(properties)}" if properties else f"::{level}"
    return f"{head}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
