"""Write the report files a command was asked for (``--html``, ``--junit``, ``--markdown``).

One pass over the records feeds the summary (``summary.summarize``, as the
terminal summary is made) and every requested renderer, so results files are
read once however many reports are written. Each file is
written under a temporary name in its own folder and moved into place with
``os.replace``: a reader (a browser, a CI upload step) sees the old file or the
new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from attrs import frozen

from conformance.exceptions import ConfigError
from conformance.report.html import HtmlCollector
from conformance.report.junit import JunitCollector
from conformance.report.markdown import render_markdown
from conformance.results.records import Record
from conformance.results.summary import Summary, summarize

__all__ = ["Outputs", "write_atomic"]


@frozen
class Outputs:
    """Where to write each report; ``None`` means that report is not wanted."""

    html: Path | None = None
    junit: Path | None = None
    markdown: Path | None = None

    @property
    def wanted(self) -> bool:
        """Whether any report file was asked for."""
        return any(p is not None for p in (self.html, self.junit, self.markdown))

    @property
    def paths(self) -> tuple[Path, ...]:
        """The files that ``write`` writes."""
        return tuple(p for p in (self.html, self.junit, self.markdown) if p is not None)

    def write(self, records: Iterable[Record], sources: Sequence[str] = ()) -> Summary:
        """Render the records into every wanted file; return their summary."""
        html = HtmlCollector() if self.html is not None else None
        junit = JunitCollector() if self.junit is not None else None

        def tee() -> Iterator[Record]:
            for record in records:
                if html is not None:
                    html.add(record)
                if junit is not None:
                    junit.add(record)
                yield record

        summary = summarize(tee())
        if self.html is not None and html is not None:
            write_atomic(self.html, html.render_chunks(summary, sources), "--html")
        if self.junit is not None and junit is not None:
            write_atomic(self.junit, junit.chunks(), "--junit")
        if self.markdown is not None:
            link = None
            if self.html is not None:
                link = Path(os.path.relpath(self.html, self.markdown.parent)).as_posix()
            write_atomic(self.markdown, render_markdown(summary, link, sources), "--markdown")
        return summary


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str | Iterable[str], option: str = "") -> None:
    """Write ``text`` (or its pieces, in order) to ``path`` through a temporary file in the
    same folder and ``os.replace``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise ConfigError(
            f"cannot write {str(path)!r}: {error.strerror}",
            "choose a path in a folder you can write to",
            key=option,
        ) from None
    try:
        # A lone surrogate (valid in JSON strings, not in UTF-8) is written as its escape,
        # \ud800, so a hostile name can neither stop a report nor pass unseen.
        with os.fdopen(
            handle, "w", encoding="utf-8", errors="backslashreplace", newline="\n"
        ) as out:
            out.writelines([text] if isinstance(text, str) else text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ConfigError(
                f"cannot write {str(path)!r}: {error.strerror}",
                "choose a path in a folder you can write to",
                key=option,
            ) from None
        raise
