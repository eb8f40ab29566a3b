"""Every error the tool reports to a user.

Each exception carries its data (file, location, case id, target) as fields and
a ``hint`` that says what to do; ``str()`` composes them into one message. The
CLI prints ``str(error)`` and never a traceback for these.
"""

from __future__ import annotations

from attrs import define


@define(auto_exc=True, str=False)
class ConformanceError(Exception):
    """Base of all errors the tool reports; ``str()`` is the user-facing message."""

    message: str
    hint: str = ""

    def where(self) -> str:
        """Where the problem is, or an empty string."""
        return ""

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@define(auto_exc=True, str=False)
class ConfigError(ConformanceError):
    """The configuration (``[tool.conformance]`` or command-line options) is unusable."""

    file: str = ""
    key: str = ""

    def where(self) -> str:
        if self.file and self.key:
            return f"{self.file} [{self.key}]"
        return self.file or self.key


@define(auto_exc=True, str=False)
class SchemaError(ConformanceError):
    """A schema source cannot be read at all (as opposed to a ``Problem`` inside it)."""

    file: str = ""
    pointer: str = ""

    def where(self) -> str:
        return f"{self.file}#{self.pointer}" if self.pointer else self.file


@define(auto_exc=True, str=False)
class CaseFileError(ConformanceError):
    """A case file, or one case in it, is invalid; the other files and cases still run."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    path: str = ""
    case_id: str = ""

    def where(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            where += f" at {self.path}"
        if self.case_id:
            where += f" (case {self.case_id!r})"
        return where


@define(auto_exc=True, str=False)
class ResultsError(ConformanceError):
    """A results (NDJSON) file cannot be read back."""

    file: str = ""
    line: int | None = None

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@define(auto_exc=True, str=False)
class HarnessError(ConformanceError):
    """A harness broke the protocol, crashed or hung; the case is marked ``error``."""

    target: str = ""
    case_id: str = ""
    stderr: str = ""

    def where(self) -> str:
        where = f"target {self.target!r}" if self.target else ""
        if self.case_id:
            where += f" case {self.case_id!r}"
        return where.strip()


@define(auto_exc=True, str=False)
class HarnessProtocolError(HarnessError):
    """The harness answered something the protocol does not allow."""


@define(auto_exc=True, str=False)
class HarnessTimeout(HarnessError):
    """The harness gave no answer within the case timeout."""


@define(auto_exc=True, str=False)
class HarnessCrashed(HarnessError):
    """The harness process exited while a case was running (or before it was ready)."""

    returncode: int | None = None
