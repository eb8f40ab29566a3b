"""Lines kept on disk while a report is built, so its memory does not grow with the run.

The HTML page holds two things per case that together outweigh everything else a report
keeps: its compressed details and its row in the case index; JUnit holds a testcase per
result. They are written here as they are made and read back, in order, when the report
is written out.
"""

from __future__ import annotations

import json
import tempfile
import weakref
from array import array
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["Lines", "RankedRows", "Spans", "Texts"]


class Lines:
    """ASCII lines appended to a temporary file and read back in order (closed with it)."""

    def __init__(self) -> None:
        # Closed with this object (the finalizer below), not at the end of a block.
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="ascii")  # noqa: SIM115
        self.count = 0
        weakref.finalize(self, self._file.close)

    def add(self, line: str) -> None:
        """Append one line (no line break in it)."""
        self._file.write(line)
        self._file.write("\n")
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield line.rstrip("\n")
        self._file.seek(0, 2)  # later lines go after these


class RankedRows:
    """JSON rows kept by rank and read back worst first, in the order they came within a rank
    (what a stable sort by rank gives), without holding them all."""

    def __init__(self) -> None:
        self._ranks: dict[int, Lines] = {}
        self.count = 0

    def add(self, rank: int, row: list[Any]) -> None:
        """Keep ``row`` (JSON values only) under ``rank``."""
        self.add_line(rank, json.dumps(row, ensure_ascii=True, separators=(",", ":")))

    def add_line(self, rank: int, line: str) -> None:
        """Keep a row already written as one ASCII line (read back by ``lines``)."""
        lines = self._ranks.get(rank)
        if lines is None:
            lines = self._ranks[rank] = Lines()
        lines.add(line)
        self.count += 1

    def lines(self) -> Iterator[str]:
        """The rows as their lines, in the order ``__iter__`` gives them."""
        for rank in sorted(self._ranks):
            yield from self._ranks[rank]

    def __iter__(self) -> Iterator[list[Any]]:
        for line in self.lines():
            row: list[Any] = json.loads(line)
            yield row


class Texts:
    """Texts of any content (line breaks, lone surrogates) in one temporary file, read back
    by where they are; several ``Spans`` share one (a file per JUnit suite would be a file
    per model). Texts are written a batch at a time (``BATCH`` bytes): one write and no
    seek per text."""

    BATCH = 1 << 20

    def __init__(self) -> None:
        # Closed with this object (the finalizer below), not at the end of a block.
        self._file: IO[bytes] = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        self._end = 0
        self._batch: list[bytes] = []
        self._batched = 0
        weakref.finalize(self, self._file.close)

    def add(self, text: str) -> tuple[int, int]:
        """Keep ``text``; where it is (offset, size)."""
        data = text.encode("utf-8", "surrogatepass")
        self._batch.append(data)
        self._batched += len(data)
        if self._batched >= self.BATCH:
            self._write()
        start, self._end = self._end, self._end + len(data)
        return start, len(data)

    def _write(self) -> None:
        self._file.seek(0, 2)  # a read may have moved it: texts go after the last one
        self._file.writelines(self._batch)
        self._batch, self._batched = [], 0

    def read(self, start: int, size: int) -> str:
        """The text kept at ``start``."""
        if self._batch:
            self._write()
        self._file.seek(start)
        return self._file.read(size).decode("utf-8", "surrogatepass")


class Spans:
    """A list of texts kept in a ``Texts`` file: append, count and iterate, in order."""

    def __init__(self, texts: Texts | None = None) -> None:
        self._texts = texts if texts is not None else Texts()
        self._starts = array("q")
        self._sizes = array("q")

    def append(self, text: str) -> None:
        start, size = self._texts.add(text)
        self._starts.append(start)
        self._sizes.append(size)

    def __len__(self) -> int:
        return len(self._starts)

    def __iter__(self) -> Iterator[str]:
        for start, size in zip(self._starts, self._sizes, strict=True):
            yield self._texts.read(start, size)
