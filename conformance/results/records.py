"""The NDJSON results format: the source of truth every report is rendered from.

Every line is one JSON object with a ``record`` key, in this order: one
``header``; then per case one ``case`` record followed by one ``result`` per
target; ``problem`` records (case files or cases that could not load, docs
pages with problems) where they were met;
``stale`` records for expected failures that did not happen; ``finding`` records, one
per root-cause family of the run's divergences (``results.families``); one ``footer``
with the totals (and the expected failures that did happen, so that shards
merge: an entry is stale only if no shard matched it). ``conformance/schemas/results.schema.json``
describes each record, and ``read_results`` validates every line against it.
Number tokens are written exactly (``conformance.core.jsonwire``).

Records are frozen attrs classes converted by one cattrs converter built here
(``record_converter``), separate from the reference targets' converters, which
are built from a user's schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import UnionType
from typing import IO, Any, Literal, TypeAlias, Union, get_args, get_origin

import cattrs
from attrs import evolve, field, frozen
from cattrs.gen import make_dict_unstructure_fn, override
from fastjsonschema import JsonSchemaValueException

from conformance.comparison.judge import STATUSES, Status, Verdict
from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
from conformance.core.validation import errors_by_path, json_path
from conformance.exceptions import CaseFileError, ResultsError
from conformance.schema import JsonValue

__all__ = [
    "FINDING_MODELS",
    "FINDING_PATHS",
    "STATUSES",
    "CaseRecord",
    "CoverageRow",
    "EntryKey",
    "FindingExample",
    "FindingRecord",
    "Footer",
    "Header",
    "LineReader",
    "ProblemRecord",
    "Record",
    "ResultRecord",
    "ResultsWriter",
    "StaleRecord",
    "Status",
    "TargetInfo",
    "numbered_records",
    "read_results",
    "records_tagged",
]


@frozen
class TargetInfo:
    """A target of the run as the header lists it.

    ``optional`` targets may run no case without failing the run (an SDK that
    is not installed everywhere); ``install_hint`` says how to make the target
    runnable, for the summary of a run in which it ran nothing.
    """

    name: str
    kind: str
    convention: str | None = None
    implementation: Implementation | None = None
    optional: bool = False
    install_hint: str = ""


@frozen
class Header:
    """The first record: what ran, with which configuration, when."""

    tool: str
    version: str
    started: str
    targets: tuple[TargetInfo, ...] = ()
    config: dict[str, JsonValue] = field(factory=dict)
    record: Literal["header"] = "header"


@frozen
class CaseRecord:
    """A case as it ran: its id, model, direction, expectation and input payload."""

    id: str
    model: str
    direction: str
    wire: JsonValue
    valid: bool = True
    description: str = ""
    source: str = ""
    wire_text: str | None = None
    probe: str = ""
    probe_path: str = ""
    record: Literal["case"] = "case"


@frozen
class ResultRecord:
    """One case through one target: status, outcome and divergences.

    ``group`` lists the targets whose outcome is identical to this one (itself
    included); the other targets of the case disagree with it. ``divergences``
    are this target's own, but a diverging side names every target of the case
    that has the same divergence (``judge``), so a results file read alone
    shows one finding where several classes share it. Files written before
    that name only the group there, and read back the same.
    """

    case: str
    target: str
    status: Status
    outcome: Outcome
    divergences: tuple[Divergence, ...] = ()
    group: tuple[str, ...] = ()
    record: Literal["result"] = "result"

    @property
    def failing(self) -> tuple[Divergence, ...]:
        """The divergences that fail the run."""
        return tuple(d for d in self.divergences if d.severity == "fail")

    @classmethod
    def of(cls, case: str, verdict: Verdict) -> ResultRecord:
        """The record of one target's verdict on case ``case``."""
        return cls(
            case,
            verdict.target,
            verdict.status,
            verdict.outcome,
            verdict.divergences,
            verdict.group,
        )


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


Record: TypeAlias = (
    Header | CaseRecord | ResultRecord | ProblemRecord | StaleRecord | FindingRecord | Footer
)
_BY_TAG: dict[str, type[Any]] = {
    "header": Header,
    "case": CaseRecord,
    "result": ResultRecord,
    "problem": ProblemRecord,
    "stale": StaleRecord,
    "finding": FindingRecord,
    "footer": Footer,
}


#: How deep a record nests a payload (``divergences[i].left.value``), over ``MAX_DEPTH``.
_RECORD_DEPTH = 8


def _is_json_value(type_: Any) -> bool:
    """Whether a (resolved) annotation is ``JsonValue``: the only union that admits Decimal."""
    return get_origin(type_) in (Union, UnionType) and Decimal in get_args(type_)


@cache
def record_converter() -> cattrs.Converter:
    """The converter between result records and plain JSON values."""
    converter = cattrs.Converter(omit_if_default=False)
    # JSON values (payloads, outputs) are taken as they were parsed: exact already. Not
    # walking them also keeps a deep payload off the stack (``jsonwire.dumps`` writes it).
    converter.register_structure_hook_func(_is_json_value, lambda v, _: v)
    converter.register_unstructure_hook_func(_is_json_value, lambda v: v)
    # Path segments: object keys and array indexes, already checked by the results schema.
    converter.register_structure_hook_func(lambda t: t == str | int, lambda v, _: v)

    def side(value: Any, _: Any) -> Side:
        return Side(tuple(value["targets"]), value.get("value"), value.get("present", True))

    converter.register_structure_hook(Side, side)
    # Fields newer than the format's first records are left out at their defaults, so a run
    # without them writes what it always wrote, and older files read back the same.
    converter.register_unstructure_hook(
        Outcome,
        make_dict_unstructure_fn(
            Outcome,
            converter,
            error_path=override(omit_if_default=True),
            written=override(omit_if_default=True),
            undeclared=override(omit_if_default=True),
            # The exact text a target wrote is compared in memory (``text`` divergences)
            # and never stored: ``wire`` holds its value, and results files stay as large.
            text=override(omit=True),
        ),
    )
    converter.register_unstructure_hook(
        FindingExample,
        make_dict_unstructure_fn(
            FindingExample, converter, wire_text=override(omit_if_default=True)
        ),
    )
    converter.register_unstructure_hook(
        CaseRecord,
        make_dict_unstructure_fn(
            CaseRecord,
            converter,
            wire_text=override(omit_if_default=True),
            probe=override(omit_if_default=True),
            probe_path=override(omit_if_default=True),
        ),
    )
    converter.register_unstructure_hook(
        Footer,
        make_dict_unstructure_fn(Footer, converter, coverage=override(omit_if_default=True)),
    )
    return converter


def to_json(record: Record) -> str:
    """One record as one NDJSON line (without the newline)."""
    return jsonwire.dumps(record_converter().unstructure(record))


def from_json(line: str, file: str = "", number: int | None = None) -> Record:
    """Parse and validate one NDJSON line into its record.

    A result whose ``wire`` or ``native`` was left out as equal to its case's payload
    (``wire_as_input``, ``native_as_wire``) is read back whole by ``numbered_records``,
    which has the case record before it; read alone, it has no ``wire`` or ``native``.
    """
    return _structure(_raw_record(line, file, number))


def _raw_record(line: str, file: str, number: int | None) -> dict[str, Any]:
    """One NDJSON line as a validated JSON object."""
    try:
        raw = jsonwire.loads(line, jsonwire.MAX_DEPTH + _RECORD_DEPTH)
    except ValueError as error:
        raise ResultsError(
            f"not a JSON line: {error}",
            "results files are written by `conformance run`; was this one cut short?",
            file=file,
            line=number,
        ) from None
    try:
        _resources.fast_check("results")(raw)
        problems = []
    except JsonSchemaValueException:  # the full validator says what and where
        problems = errors_by_path(_resources.validator("results"), raw)
    if problems:
        raise ResultsError(
            f"not a results record: {problems[0].message} at {json_path(problems[0].path)}",
            "see conformance/schemas/results.schema.json",
            file=file,
            line=number,
        )
    assert isinstance(raw, dict)
    return raw


def _structure(raw: dict[str, Any]) -> Record:
    outcome = raw.get("outcome")
    if isinstance(outcome, dict):
        outcome.pop(_WIRE_AS_INPUT, None)
        outcome.pop(_NATIVE_AS_WIRE, None)
    record: Record = record_converter().structure(raw, _BY_TAG[str(raw["record"])])
    return record


def _restore(raw: dict[str, Any], case: dict[str, Any] | None) -> None:
    """Put back a result's ``wire`` and ``native`` left out as equal to its case's payload."""
    outcome = raw.get("outcome")
    if not isinstance(outcome, dict):
        return
    if outcome.get(_WIRE_AS_INPUT) and case is not None and case.get("id") == raw.get("case"):
        outcome["wire"] = case.get("wire")
    if outcome.get(_NATIVE_AS_WIRE):
        outcome["native"] = outcome.get("wire")


def read_results(path: str | Path) -> Iterator[Record]:
    """Stream the records of a results file, validating each line.

    Each line is checked on its own; ``results.complete.read_complete`` also
    checks that the records make one whole run.
    """
    for _, record in numbered_records(path):
        yield record


def records_tagged(path: str | Path, tag: str) -> Iterator[Record]:
    """Stream the records of one kind (``"finding"``) of a results file, parsing and
    validating only the lines that can be one: a file of 200,000 results is read at the
    speed of a text scan, in constant memory."""
    needle = f'"record":"{tag}"'.encode()
    for number, raw in _lines(path):
        if needle in raw:
            record = from_json(raw.decode("utf-8", "replace"), str(path), number)
            if record.record == tag:
                yield record


def _lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except OSError as error:
        raise ResultsError(
            f"cannot read: {error.strerror}", "check the path", file=str(path)
        ) from None
    with handle:
        yield from enumerate(handle, 1)


def numbered_records(path: str | Path) -> Iterator[tuple[int, Record]]:
    """Stream ``(line number, record)`` of a results file, validating each line; results
    get back the ``wire`` and ``native`` the writer left out as equal to their case's."""
    file = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except OSError as error:
        raise ResultsError(f"cannot read: {error.strerror}", "check the path", file=file) from None
    reader = LineReader(file)
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ResultsError(
                    f"not UTF-8 (byte {error.start + 1} of the line)",
                    "results files are UTF-8 NDJSON written by `conformance run`",
                    file=file,
                    line=number,
                ) from None
            if line.strip():
                yield number, reader.read(line, number)


class LineReader:
    """Reads the lines of one results file in order: each result gets back the ``wire`` and
    ``native`` the writer left out as equal to its case's payload (the case record before
    it) or to its own ``wire``."""

    def __init__(self, file: str = "") -> None:
        self.file = file
        self._case: dict[str, Any] | None = None

    def read(self, line: str, number: int | None = None) -> Record:
        """The record of the next line (validated; ``ResultsError`` names file and line)."""
        raw = _raw_record(line, self.file, number)
        if raw.get("record") == "case":
            self._case = raw
        elif raw.get("record") == "result":
            _restore(raw, self._case)
        return _structure(raw)


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


#: Flags of a result's outcome whose ``wire`` / ``native`` is left out as a copy.
_WIRE_AS_INPUT = "wire_as_input"
_NATIVE_AS_WIRE = "native_as_wire"


def _leave_out_copies(plain: dict[str, Any], result: ResultRecord, case: CaseRecord | None) -> None:
    """Leave out of a result's outcome what is exactly its case's payload (``wire``, an
    agreeing SDK's usual output) and what is exactly its ``wire`` (``native``, a target whose
    names are the wire's): a passing case costs its payload once, not twice per target."""
    outcome, written = plain.get("outcome"), result.outcome
    if not isinstance(outcome, dict) or written.state != "accepted" or not written.written:
        return
    if case is not None and case.id == result.case and jsonwire.same(written.wire, case.wire):
        del outcome["wire"]
        outcome[_WIRE_AS_INPUT] = True
    if jsonwire.same(written.native, written.wire):
        del outcome["native"]
        outcome[_NATIVE_AS_WIRE] = True


class ResultsWriter:
    """Writes records to an NDJSON file as they come (memory stays flat).

    The file is written under a temporary name and moved into place by
    ``close``, so a reader never sees half a file under the final name.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._handle: IO[str] | None = None
        self._case: CaseRecord | None = None  # the last case record: its results follow it
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
        converter = record_converter()
        try:
            plain = converter.unstructure(record)
            if isinstance(record, CaseRecord):
                self._case = record
            elif isinstance(record, ResultRecord):
                _leave_out_copies(plain, record, self._case)
            chunks = jsonwire.dumps_chunks(plain)
        except (TypeError, ValueError) as error:
            if not isinstance(record, ResultRecord):
                raise ResultsError(
                    f"cannot write a {record.record} record: {error}",
                    f"a payload must be JSON nested at most {jsonwire.MAX_DEPTH} levels deep",
                    file=str(self.path),
                ) from None
            record = _unwritable(record, error)
            chunks = [to_json(record)]
        # A large record goes out piece by piece, never as one more copy of itself.
        self._handle.writelines(chunks)
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
