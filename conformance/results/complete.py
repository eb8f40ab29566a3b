"""Reading a results file as one whole run: every record in its place, and a footer.

``read_results`` checks each line on its own, which is what a reader of a
partial file (``--resume``) needs. A report needs more: a file that is empty,
lost its footer (a run that was killed, or is still going) or holds records
out of order would otherwise be summarized as if it were a whole run, and a
run that never finished would read as conformant. ``read_complete`` streams
the records of a file and raises ``ResultsError`` (file, line, what is wrong)
at the first record out of place, or at the end when the footer is missing.

The order (``records.py``): one header first; per case a ``case`` record, then
its ``result`` records (one per target the header lists, each at most once);
``problem`` and ``stale`` records anywhere after the header; one footer last.
A footer marked interrupted is a whole file too: the run stopped cleanly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from attrs import define, field

from conformance.exceptions import ResultsError
from conformance.results.reader import numbered_records
from conformance.results.records import CaseRecord, Footer, Header, Record, ResultRecord

__all__ = ["read_complete"]

_RERUN = "results files are written whole by `conformance run`; run it again"


def read_complete(path: str | Path, natives: bool = True) -> Iterator[Record]:
    """Stream the records of a results file that holds one whole run, checking their order
    (``natives``: ``reader.numbered_records``)."""
    order = _Order(str(path))
    for number, record in numbered_records(path, natives):
        order.check(number, record)
        yield record
    order.end()


@define
class _Order:
    """Where a results file is in its record order, and the first record out of it."""

    file: str
    header_line: int = 0
    footer_line: int = 0
    last_line: int = 0
    targets: frozenset[str] = frozenset()
    case: str | None = None
    answered: set[str] = field(factory=set)

    def fail(self, number: int | None, message: str, hint: str = _RERUN) -> ResultsError:
        return ResultsError(message, hint, file=self.file, line=number)

    def check(self, number: int, record: Record) -> None:
        self.last_line = number
        if self.footer_line:
            raise self.fail(
                number,
                f"a {record.record} record after the footer (line {self.footer_line}); "
                "the footer must be the last record",
            )
        if isinstance(record, Header):
            self._header(number, record)
        elif not self.header_line:
            raise self.fail(
                number, f"a {record.record} record before the header; the header comes first"
            )
        elif isinstance(record, CaseRecord):
            self.case = record.id
            self.answered = set()
        elif isinstance(record, ResultRecord):
            self._result(number, record)
        elif isinstance(record, Footer):
            self.footer_line = number

    def _header(self, number: int, header: Header) -> None:
        if self.header_line:
            raise self.fail(
                number,
                f"a second header (the first is at line {self.header_line}); "
                "a results file holds one run",
                "to merge the results of several runs (CI shards), pass each file to "
                "`conformance report` instead of joining them",
            )
        self.header_line = number
        self.targets = frozenset(t.name for t in header.targets)

    def _result(self, number: int, result: ResultRecord) -> None:
        if result.case != self.case:
            after = f"case {self.case!r}" if self.case is not None else "no case"
            raise self.fail(
                number,
                f"a result of case {result.case!r} (target {result.target!r}) after {after}; "
                "each result follows the case record it belongs to",
            )
        if self.targets and result.target not in self.targets:
            raise self.fail(
                number,
                f"a result of case {result.case!r} for target {result.target!r}, "
                "which the header does not list",
            )
        if result.target in self.answered:
            raise self.fail(
                number, f"a second result of case {result.case!r} for target {result.target!r}"
            )
        self.answered.add(result.target)

    def end(self) -> None:
        if not self.header_line:
            raise self.fail(None, "empty: no header, no records", _RERUN)
        if not self.footer_line:
            raise self.fail(
                self.last_line,
                f"no footer after the last record (line {self.last_line}): the run did not "
                "finish (it was killed, or it is still running)",
                "run it again; `conformance run --resume` keeps the cases it finished",
            )
