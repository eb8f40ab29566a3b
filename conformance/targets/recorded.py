"""Recorded targets: outcomes an SDK's own CI wrote, one JSON file per case id.

``<folder>/<case id>.json`` holds ``{"accepted": true, "wire": ..., "native": ...}``
(``native`` optional) or ``{"accepted": false, "error": "..."}``; either may add
``"warnings": [...]``. A case without a file is ``skipped``; a file that cannot
be read or does not have that shape makes the case ``error``, naming the file.
Case ids name files directly, so an id that could leave the folder (``..``, a
path separator, an absolute path, NUL) or that a file system would read as
something else (a Windows device name such as ``CON``, a trailing dot) is
refused: the case is an ``error`` (see ``recorded_path``).

Only regular files that really are inside the folder are read, and at most
``MAX_RECORD_BYTES`` (64 MiB) of each: a symbolic link that resolves outside
the folder, a FIFO, a device, a socket or a directory named ``<id>.json``, and
a larger file, make that case an ``error`` saying why; the other cases still
run. Files are opened non-blocking and checked with ``fstat`` before a byte is
read, so a FIFO cannot hang the run, and reads stop at the limit plus one byte,
so ``/dev/zero`` cannot fill memory. A folder that does not exist is a
configuration mistake, not a run of skipped cases: ``start`` raises
``ConfigError`` naming it, and ``run`` makes each case an ``error`` naming it.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from attrs import define, field

from conformance.core import jsonwire
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import ConfigError
from conformance.schema import JsonValue
from conformance.sources.cases import Case

__all__ = ["MAX_RECORD_BYTES", "RecordedTarget", "read_at_most", "recorded_path"]

#: The largest recorded outcome read, in bytes: one case's output, with room to spare.
MAX_RECORD_BYTES = 64 << 20

_KEYS = {True: {"accepted", "wire", "native", "warnings"}, False: {"accepted", "error", "warnings"}}
#: Open without following a final symbolic link, without blocking on a FIFO, and not inherited.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20
_FIX = "the SDK's CI must write each outcome as a regular JSON file in the folder"


#: Windows device names: ``CON.json`` is the console there, whatever its extension.
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {
        f"{port}{n}"
        for port in ("COM", "LPT")
        for n in (*"0123456789", "\u00b9", "\u00b2", "\u00b3")
    }
)
#: Characters Windows does not allow in file names (besides separators and control characters).
_WINDOWS_FORBIDDEN = frozenset('<>:"|?*')
#: The longest file name most file systems take, in bytes.
_NAME_MAX = 255


def recorded_path(folder: Path, case_id: str) -> Path | None:
    """The file of ``case_id`` inside ``folder``, or None when the id could escape it.

    Refused: ``.`` and ``..``, path separators, absolute and drive paths,
    control characters (NUL included), Windows device names (``CON``,
    ``com1.txt``), a trailing dot or space (Windows drops them, so two ids
    would share a file), names longer than 255 bytes, text that is not
    encodable, and on Windows the characters ``<>:"|?*``.
    """
    separators = {"/", "\\", os.sep, os.altsep or "/"}
    try:
        size = len(f"{case_id}.json".encode())
    except UnicodeEncodeError:
        return None
    if (
        not case_id
        or case_id in (".", "..")
        or any(ord(char) < 32 for char in case_id)
        or any(sep in case_id for sep in separators)
        or os.path.isabs(case_id)
        or Path(case_id).drive
        or case_id.split(".")[0].rstrip(" ").upper() in _DEVICES
        or case_id.endswith((".", " "))
        or size > _NAME_MAX
        or (os.name == "nt" and not _WINDOWS_FORBIDDEN.isdisjoint(case_id))
    ):
        return None
    return folder / f"{case_id}.json"


def read_at_most(fd: int, limit: int) -> bytes:
    """What ``fd`` holds up to its end, but never more than ``limit + 1`` bytes.

    A result longer than ``limit`` means the source is larger than the limit.
    """
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Refused(Exception):
    """A recorded file that is not read; the message says why and what to do."""


@define
class RecordedTarget:
    """Outcomes read from a folder instead of computed; ``limit`` bounds each file in bytes."""

    name: str
    folder: Path = field(converter=Path)
    convention: str | None = None
    limit: int = MAX_RECORD_BYTES
    optional: bool = False
    install_hint: str = ""

    def start(self) -> Implementation:
        """The implementation, named after the folder; a folder that is not there cannot start."""
        problem = self._folder_problem()
        if problem is not None:
            raise ConfigError(
                problem,
                "create it (the SDK's CI writes one <case id>.json per case there),"
                " or fix the target's folder option",
                key=f"tool.conformance.targets.{self.name}",
            )
        return Implementation(name=self.name, language="recorded", sdk=str(self.folder))

    def run(self, case: Case) -> Outcome:
        """The recorded outcome of ``case``."""
        began = time.perf_counter()
        path = recorded_path(self.folder, case.id)
        if path is None:
            return Outcome(
                "error",
                error=f"case id {case.id!r} cannot name a file in {str(self.folder)!r}",
                seconds=time.perf_counter() - began,
            )
        try:
            text = self._read(path)
        except (FileNotFoundError, NotADirectoryError) as error:
            problem = self._folder_problem()
            if problem is not None:
                return Outcome(
                    "error",
                    error=f"{problem}: no case of target {self.name!r} can run;"
                    " create the folder or fix the target's folder option",
                    seconds=time.perf_counter() - began,
                )
            if isinstance(error, NotADirectoryError):
                return self._unreadable(path, f"cannot read it: {error.strerror}", began)
            return Outcome(
                "skipped",
                error=f"no recorded outcome {str(path)!r}",
                seconds=time.perf_counter() - began,
            )
        except _Refused as refused:
            return self._unreadable(path, str(refused), began)
        except OSError as error:
            return self._unreadable(path, f"cannot read it: {error.strerror or error}", began)
        try:
            record = jsonwire.loads(text, jsonwire.MAX_DEPTH + 1)  # the outcome wraps the wire
        except ValueError as error:
            return self._unreadable(path, f"not JSON: {error}", began)
        problem = _shape_problem(record)
        if problem is not None:
            return self._unreadable(path, problem, began)
        assert isinstance(record, dict)
        warnings = record.get("warnings") or []
        assert isinstance(warnings, list)
        notes = tuple(str(item) for item in warnings)
        seconds = time.perf_counter() - began
        if record["accepted"] is True:
            return Outcome(
                "accepted",
                wire=record["wire"],
                native=record.get("native"),
                warnings=notes,
                seconds=seconds,
            )
        return Outcome("rejected", error=str(record["error"]), warnings=notes, seconds=seconds)

    def close(self) -> None:
        """Nothing to release."""

    def _folder_problem(self) -> str | None:
        """Why the folder cannot hold recorded outcomes, or None."""
        if self.folder.is_dir():
            return None
        what = "is not a folder" if self.folder.exists() else "does not exist"
        return f"recorded folder {str(self.folder)!r} {what}"

    def _read(self, path: Path) -> bytes:
        """The bytes of ``path`` if it is a regular file inside the folder of at most ``limit``."""
        real = Path(os.path.realpath(path))
        linked = path.is_symlink()
        if not real.is_relative_to(os.path.realpath(self.folder)):
            raise _Refused(
                f"it is a symbolic link to {str(real)!r}, outside the folder, so it is not read;"
                " copy the file into the folder instead of linking to it"
            )
        try:
            info = os.stat(real)
        except FileNotFoundError:
            if linked:
                raise _Refused(
                    f"it is a symbolic link to {str(real)!r}, which does not exist; {_FIX}"
                ) from None
            raise
        # Checked before opening, so that no FIFO or device is ever opened, and again after.
        _check_regular(info, linked, self.limit)
        fd = os.open(real, _OPEN_FLAGS)
        try:
            _check_regular(os.fstat(fd), linked, self.limit)
            data = read_at_most(fd, self.limit)
        finally:
            os.close(fd)
        if len(data) > self.limit:
            raise _Refused(_too_large(self.limit))
        return data

    def _unreadable(self, path: Path, problem: str, began: float) -> Outcome:
        return Outcome(
            "error",
            error=f"recorded outcome {str(path)!r} is unusable: {problem}",
            seconds=time.perf_counter() - began,
        )


def _check_regular(info: os.stat_result, linked: bool, limit: int) -> None:
    """Refuse anything but a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "something other than a file")
        via = " (through a symbolic link)" if linked else ""
        raise _Refused(f"it is {kind}{via}, not a regular file, so it is not read; {_FIX}")
    if info.st_size > limit:
        raise _Refused(_too_large(limit))


_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _too_large(limit: int) -> str:
    return (
        f"it is larger than {limit:,} bytes, the most read of one recorded outcome"
        " (MAX_RECORD_BYTES); check what wrote it: one outcome is one case's output"
    )


def _shape_problem(record: JsonValue) -> str | None:
    """Why ``record`` is not a recorded outcome, or None."""
    if not isinstance(record, dict):
        return "expected a JSON object"
    accepted = record.get("accepted")
    if not isinstance(accepted, bool):
        return f'"accepted" must be true or false, not {accepted!r}'
    unknown = sorted(set(record) - _KEYS[accepted])
    if unknown:
        return f"unexpected keys {unknown!r} (allowed: {sorted(_KEYS[accepted])!r})"
    if accepted and "wire" not in record:
        return 'an accepted outcome needs "wire"'
    if not accepted and not isinstance(record.get("error"), str):
        return 'a rejected outcome needs "error" as a string'
    warnings = record.get("warnings", [])
    if not isinstance(warnings, list) or not all(isinstance(item, str) for item in warnings):
        return '"warnings" must be a list of strings'
    return None
