"""Writing results files: records become NDJSON lines, one after another.

A result is written against the header and the case record before it (``compact`` and
``copies`` leave out what a reader of the file rebuilds exactly). ``LineEncoder`` makes the lines;
``ResultsWriter`` puts them in a file that appears under its name only when whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from attrs import evolve

from conformance.core import jsonwire
from conformance.core.conventions import Convention
from conformance.core.divergence import Divergence
from conformance.core.outcome import Outcome
from conformance.exceptions import ResultsError
from conformance.results import compact, copies
from conformance.results.records import (
    CaseRecord,
    Header,
    Record,
    ResultRecord,
    record_converter,
    to_json,
)

__all__ = ["LineEncoder", "ResultsWriter"]


def _unwritable(result: ResultRecord, error: Exception) -> ResultRecord:
    """``result`` as an ``error`` result saying why its outcome could not be written."""
    outcome = Outcome(
        "error",
        error=f"the outcome of target {result.target!r} cannot be written as JSON: {error}",
        warnings=result.outcome.warnings,
        stderr=result.outcome.stderr,
        seconds=result.outcome.seconds,
    )
    return evolve(result, status="error", outcome=outcome, divergences=(), group=())


class LineEncoder:
    """Turns records into the lines of a results file, one after another: a result is written
    against the case record and the header before it (``compact``, ``copies``). A worker
    process that judged a case encodes its lines with an encoder of its own, primed with the
    run's header (``prime``), and the writer appends them (``ResultsWriter.write_encoded``)."""

    def __init__(self) -> None:
        self._case: CaseRecord | None = None  # the last case record: its results follow it
        self._conventions: dict[str, Convention | None] = {}  # by target, from the header

    def prime(self, conventions: Mapping[str, str | None]) -> None:
        """Take each target's convention, as writing the header that lists them would."""
        self._conventions = {name: copies.convention_of(c) for name, c in conventions.items()}

    def saw(self, record: Record) -> None:
        """Follow a record written without this encoder (``ResultsWriter.write_encoded``)."""
        if isinstance(record, CaseRecord):
            self._case = record
        elif isinstance(record, Header):
            self.prime({t.name: t.convention for t in record.targets})

    def encode(self, record: Record, file: str = "") -> tuple[Record, list[str]]:
        """The record as written (an unwritable outcome as an ``error`` result) and its
        line in pieces, without the newline."""
        try:
            converter = record_converter()
            if isinstance(record, ResultRecord) and record.divergences:
                # Divergences go last in the line, as the converter writes them (a field
                # left out when empty is added after the others).
                plain = converter.unstructure(evolve(record, divergences=()))
                plain["divergences"] = compact.compact_divergences(
                    record, lambda each: converter.unstructure(each, Divergence)
                )
            else:
                plain = converter.unstructure(record)
            if isinstance(record, CaseRecord):
                self._case = record
            elif isinstance(record, Header):
                self.saw(record)
            elif isinstance(record, ResultRecord):
                convention = self._conventions.get(record.target)
                copies.leave_out_copies(plain, record, self._case, convention)
            return record, jsonwire.dumps_chunks(plain)
        except (TypeError, ValueError) as error:
            if not isinstance(record, ResultRecord):
                raise ResultsError(
                    f"cannot write a {record.record} record: {error}",
                    f"a payload must be JSON nested at most {jsonwire.MAX_DEPTH} levels deep",
                    file=file,
                ) from None
            record = _unwritable(record, error)
            return record, [to_json(record)]


class ResultsWriter:
    """Writes records to an NDJSON file as they come (memory stays flat).

    The file is written under a temporary name and moved into place by
    ``close``, so a reader never sees half a file under the final name.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._handle: IO[str] | None = None
        self._encoder = LineEncoder()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._partial = self.path.with_name(self.path.name + ".partial")
            self._handle = open(self._partial, "w", encoding="utf-8")  # noqa: SIM115

    def write(self, record: Record) -> Record:
        """Append one record; return the record written (which readers will see).

        A result whose outcome cannot be written as JSON (nested too deeply, a
        value that is not JSON) is written as an ``error`` result saying so, so
        the run and the rest of the file go on; any other unwritable record
        raises ``ResultsError``.
        """
        if self._handle is None:
            return record
        record, chunks = self._encoder.encode(record, str(self.path))
        # A large record goes out piece by piece, never as one more copy of itself.
        self._handle.writelines(chunks)
        self._handle.write("\n")
        return record

    def write_encoded(self, record: Record, line: str) -> Record:
        """Append a record a ``LineEncoder`` encoded elsewhere (``line``, as it encoded it,
        after the header and case record this file holds before it); return ``record``."""
        if self._handle is not None:
            self._encoder.saw(record)  # results written here after it are written against it
            self._handle.write(line)
            self._handle.write("\n")
        return record

    def flush(self) -> None:
        """Hand what was written to the operating system (a kill loses nothing before it)."""
        if self._handle is not None:
            self._handle.flush()

    def write_all(self, records: Iterable[Record]) -> None:
        """Append several records."""
        for record in records:
            self.write(record)

    def close(self) -> None:
        """Flush and move the file into place."""
        if self._handle is not None and self.path is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None
            os.replace(self._partial, self.path)

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
