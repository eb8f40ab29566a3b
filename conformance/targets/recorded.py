"""Recorded targets: outcomes an SDK's own CI wrote, one JSON file per case id.

``<folder>/<case id>.json`` holds ``{"accepted": true, "wire": ..., "native": ...}``
(``native`` optional) or ``{"accepted": false, "error": "..."}``; either may add
``"warnings": [...]``. A case without a file is ``skipped``; a file that cannot
be read or does not have that shape makes the case ``error``, naming the file.
Case ids name files directly, so an id that could leave the folder (``..``, a
path separator, an absolute path, NUL) or that a file system would read as
something else (a Windows device name such as ``CON``, a trailing dot) is
refused: the case is an ``error`` (see ``recorded_path``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from attrs import define, field

from conformance.core import jsonwire
from conformance.schema import JsonValue
from conformance.sources.cases import Case
from conformance.targets.outcome import Implementation, Outcome

__all__ = ["RecordedTarget", "recorded_path"]

_KEYS = {True: {"accepted", "wire", "native", "warnings"}, False: {"accepted", "error", "warnings"}}


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


@define
class RecordedTarget:
    """Outcomes read from a folder instead of computed."""

    name: str
    folder: Path = field(converter=Path)
    convention: str | None = None

    def start(self) -> Implementation:
        """Nothing to start; the implementation is named after the folder."""
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
            text = path.read_bytes()
        except FileNotFoundError:
            return Outcome(
                "skipped",
                error=f"no recorded outcome {str(path)!r}",
                seconds=time.perf_counter() - began,
            )
        except OSError as error:
            return self._unreadable(path, f"cannot read it: {error.strerror or error}", began)
        try:
            record = jsonwire.loads(text)
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

    def _unreadable(self, path: Path, problem: str, began: float) -> Outcome:
        return Outcome(
            "error",
            error=f"recorded outcome {str(path)!r} is unusable: {problem}",
            seconds=time.perf_counter() - began,
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
