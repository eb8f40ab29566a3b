"""The records of a run besides its header, cases and results: cases that could not load,
expected failures that did not happen, root-cause findings and the footer (re-exported by
``results.records``, which reads and writes them all)."""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from conformance.core.divergence import Side
from conformance.exceptions import CaseFileError
from conformance.schema import JsonValue

__all__ = [
    "FINDING_MODELS",
    "FINDING_PATHS",
    "CoverageRow",
    "EntryKey",
    "FindingExample",
    "FindingRecord",
    "Footer",
    "ProblemRecord",
    "StaleRecord",
]


@frozen
class ProblemRecord:
    """A case file or case that could not load (the others still ran)."""

    message: str
    hint: str = ""
    file: str = ""
    line: int | None = None
    column: int | None = None
    path: str = ""
    case_id: str = ""
    record: Literal["problem"] = "problem"

    @classmethod
    def of(cls, error: CaseFileError) -> ProblemRecord:
        """The record of a case file error."""
        return cls(
            error.message,
            error.hint,
            error.file,
            error.line,
            error.column,
            error.path,
            error.case_id,
        )

    def __str__(self) -> str:
        return str(
            CaseFileError(
                self.message,
                self.hint,
                file=self.file,
                line=self.line,
                column=self.column,
                path=self.path,
                case_id=self.case_id,
            )
        )


@frozen
class StaleRecord:
    """An expected failure that did not happen in this run: fixed, or a wrong entry."""

    case: str
    kind: str
    path: str
    reason: str
    targets: tuple[str, ...] = ()
    link: str = ""
    record: Literal["stale"] = "stale"


#: The most path patterns a finding record lists; the rest are counted in ``more_paths``.
FINDING_PATHS = 20
#: The most model names a finding record lists (all of them up to this many, so that shards
#: of one run merge into the exact count).
FINDING_MODELS = 200


@frozen
class FindingExample:
    """A family's smallest case, with what a reproducer needs: the payload, where it diverges,
    the expectation and what the diverging side did, and each target's own model name."""

    case: str
    model: str
    direction: str
    path: str
    wire: JsonValue
    expected: Side
    got: Side
    valid: bool = True
    detail: str = ""
    names: dict[str, str] = field(factory=dict)
    #: The case's exact input text, when it has one (NaN tokens, escapes): what the SDK read.
    wire_text: str | None = None


@frozen
class FindingRecord:
    """A root-cause family: one behaviour, over every case, model and path it shows at.

    Its key is the divergence ``kind``, the verdict (and ``odd`` SDK), the targets on
    each side, the class of the input value at the path and of what the diverging
    side made of it, and the schema type of the field (``results.families``).
    ``paths`` lists up to ``FINDING_PATHS`` of them; ``more_paths`` counts the rest.
    ``model_names`` lists the models, sorted, when there are at most ``FINDING_MODELS``.
    """

    id: str
    sentence: str
    kind: str
    severity: str
    verdict: str
    odd: str
    diverging: tuple[str, ...]
    expectation: tuple[str, ...]
    input_class: str
    output_class: str
    field_type: str
    cases: int
    models: int
    paths: tuple[str, ...]
    more_paths: int
    example: FindingExample
    model_names: tuple[str, ...] = ()
    record: Literal["finding"] = "finding"


@frozen
class EntryKey:
    """Which expected-failures entry: enough to tell entries apart across shards."""

    case: str
    kind: str
    path: str
    targets: tuple[str, ...] = ()


@frozen
class CoverageRow:
    """One probe class over a run (``results.coverage``): the probe cases of the class, the
    models and fields (model and probed path) they ran on, the cases with a failing or
    expected divergence on any target, those divergences (once each however many targets
    share one), and the diverging cases per target."""

    probe: str
    cases: int
    models: int
    fields: int
    diverging: int
    divergences: int
    targets: dict[str, int] = field(factory=dict)


@frozen
class Footer:
    """The last record: totals per status and how the run ended.

    ``coverage`` (one row per probe class, by class id) is there only for a run with
    probe cases.
    """

    totals: dict[str, int]
    finished: str
    seconds: float
    exit_code: int
    failing: int = 0
    notes: int = 0
    problems: int = 0
    stale: int = 0
    interrupted: bool = False
    matched: tuple[EntryKey, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()
    record: Literal["footer"] = "footer"
