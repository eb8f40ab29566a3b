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
Number tokens are written exactly (``conformance.core.jsonwire``). A result line leaves
out what a reader of the file rebuilds exactly (its case's payload, a native view that is
the wire renamed, notes as short arrays: ``results.compact``); ``ResultsWriter.write``
returns the record every reader gets back.

Records are frozen attrs classes converted by one cattrs converter built here
(``record_converter``), separate from the reference targets' converters, which
are built from a user's schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Any, Literal, TypeAlias, Union, get_args, get_origin

import cattrs
from attrs import field, frozen
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from fastjsonschema import JsonSchemaValueException
from jsonschema.exceptions import ValidationError

from conformance.comparison.judge import STATUSES, Status, Verdict
from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
from conformance.core.validation import errors_by_path, json_path
from conformance.exceptions import ResultsError
from conformance.results import compact
from conformance.results.quick_check import plain_record
from conformance.results.run_records import (
    FINDING_MODELS,
    FINDING_PATHS,
    CoverageRow,
    EntryKey,
    FindingExample,
    FindingRecord,
    Footer,
    ProblemRecord,
    StaleRecord,
)
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
    #: Set only by a reader for renderers (``LineReader(natives=False)``): ``wire`` as the
    #: text its line holds (``payload_text``: ``jsonwire.dumps`` of it, as the writer wrote
    #: the line), so that a page shows it without writing it again. Never written, and no
    #: part of equality.
    wire_json: str | None = field(default=None, eq=False)


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
    #: Set only by a reader asked to leave native views out (``LineReader(natives=False)``):
    #: ``(source, convention)`` when the native view was left out of the line as ``source``
    #: (``"wire"``, ``"input"``) renamed by that convention (``compact.restore``);
    #: ``outcome.native`` is None then. Never written, and no part of equality.
    native_from: tuple[str, str] | None = field(default=None, eq=False)

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


#: Bytes read from a results file at a time.
_BUFFER = 1 << 20
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
    # A result's short divergences are read back as records already (``results.compact``).
    divergence = make_dict_structure_fn(Divergence, converter)
    converter.register_structure_hook(
        Divergence, lambda v, t: v if isinstance(v, Divergence) else divergence(v, t)
    )
    # Fields newer than the format's first records are left out at their defaults, so a run
    # without them writes what it always wrote, and older files read back the same.
    converter.register_unstructure_hook(
        Outcome,
        make_dict_unstructure_fn(
            Outcome,
            converter,
            wire=override(omit_if_default=True),
            native=override(omit_if_default=True),
            error_path=override(omit_if_default=True),
            written=override(omit_if_default=True),
            # Empty, these say nothing; the reader puts the defaults back.
            error=override(omit_if_default=True),
            warnings=override(omit_if_default=True),
            stderr=override(omit_if_default=True),
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
            valid=override(omit_if_default=True),
            description=override(omit_if_default=True),
            source=override(omit_if_default=True),
            probe=override(omit_if_default=True),
            probe_path=override(omit_if_default=True),
            wire_json=override(omit=True),
        ),
    )
    converter.register_structure_hook(
        CaseRecord,
        make_dict_structure_fn(CaseRecord, converter, wire_json=override(omit=True)),
    )
    converter.register_unstructure_hook(
        ResultRecord,
        make_dict_unstructure_fn(
            ResultRecord,
            converter,
            divergences=override(omit_if_default=True),
            native_from=override(omit=True),
        ),
    )
    # ``native_from`` is the reader's own note, never read from a line.
    converter.register_structure_hook(
        ResultRecord,
        make_dict_structure_fn(ResultRecord, converter, native_from=override(omit=True)),
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

    A result's compact divergences are read back whole. Its ``wire`` or ``native``, when
    the writer left them out (``results.compact``: ``wire_as_input``, ``wire_from_input``,
    ``native_as_wire``, ``native_renamed``), are read back by ``LineReader`` and
    ``numbered_records``, which have the header and the case record before it; read
    alone, such a result has ``wire`` and ``native`` None.
    """
    return _structure(_raw_record(line, file, number), file, number)


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
        if not plain_record(raw):  # most results and cases: a quicker pass
            _resources.fast_check("results")(raw)
        problems = []
    except JsonSchemaValueException:  # the full validator says what and where
        problems = _problems(raw)
    if problems:
        raise ResultsError(
            f"not a results record: {problems[0].message} at {json_path(problems[0].path)}",
            "see conformance/schemas/results.schema.json",
            file=file,
            line=number,
        )
    assert isinstance(raw, dict)
    return raw


def _problems(raw: Any) -> list[ValidationError]:
    """What is wrong with a line the fast check refused, by the full validator: of the
    definition its ``record`` names, so that the path leads to the value at fault
    (``$.status``) rather than stopping at the root's "none of the record kinds fits"."""
    tag = raw.get("record") if isinstance(raw, dict) else None
    if isinstance(tag, str) and tag in _BY_TAG:
        found = errors_by_path(_resources.validator("results", tag), raw)
        if found:
            return found
    return errors_by_path(_resources.validator("results"), raw)


def _structure(
    raw: dict[str, Any],
    file: str = "",
    number: int | None = None,
    case: CaseRecord | None = None,
    conventions: Mapping[str, str | None] | None = None,
    natives: bool = True,
) -> Record:
    """The record of a validated line; a result gets back what the writer left out as far as
    the case record before it and the header's conventions (by target) allow (without
    ``natives``, a native view left out as a renaming stays out: ``native_from``)."""
    tag = raw.get("record")
    if tag == "case":
        return _case(raw)
    if tag != "result":
        record: Record = record_converter().structure(raw, _BY_TAG[str(tag)])
        return record
    converter = record_converter()
    try:
        native_from = compact.expand(raw, case, conventions or {}, converter, natives)
    except ValueError as error:
        raise ResultsError(
            f"not a results record: {error}",
            "see conformance/schemas/results.schema.json (compact_divergence)",
            file=file,
            line=number,
        ) from None
    return _result(raw, native_from, converter)


def _case(raw: dict[str, Any], wire_json: str | None = None) -> CaseRecord:
    """The record of a validated case line: what ``record_converter().structure(raw,
    CaseRecord)`` makes of it, built directly (a run has a case line per case), with the
    reader's ``wire_json``."""
    wire_text = raw.get("wire_text")
    return CaseRecord(
        raw["id"],
        raw["model"],
        raw["direction"],
        raw["wire"],
        bool(raw["valid"]) if "valid" in raw else True,
        raw.get("description", ""),
        raw.get("source", ""),
        None if wire_text is None else str(wire_text),
        raw.get("probe", ""),
        raw.get("probe_path", ""),
        "case",
        wire_json,
    )


def _result(
    raw: dict[str, Any], native_from: tuple[str, str] | None, converter: cattrs.Converter
) -> ResultRecord:
    """The record of a validated, expanded result line: what ``converter.structure(raw,
    ResultRecord)`` makes of it, built directly (every line of a run is a result, and
    cattrs's generated code checks again, field by field, what the schema checked)."""
    o = raw["outcome"]
    error_path, undeclared, text = o.get("error_path"), o.get("undeclared"), o.get("text")
    outcome = Outcome(
        o["state"],
        o.get("wire"),
        o.get("native"),
        o.get("error", ""),
        tuple(o["warnings"]) if "warnings" in o else (),
        o.get("stderr", ""),
        float(o["seconds"]) if "seconds" in o else 0.0,
        None if error_path is None else tuple(error_path),
        bool(o["written"]) if "written" in o else True,
        None if text is None else str(text),
        () if undeclared is None else tuple(tuple(path) for path in undeclared),
    )
    divergences: tuple[Divergence, ...] = ()
    if raw.get("divergences"):
        divergences = tuple(
            each if type(each) is Divergence else converter.structure(each, Divergence)
            for each in raw["divergences"]
        )
    group = tuple(raw["group"]) if "group" in raw else ()
    return ResultRecord(
        raw["case"],
        raw["target"],
        raw["status"],
        outcome,
        divergences,
        group,
        "result",
        native_from,
    )


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
    if tag == "result":  # a result is read whole only after its header and case record
        yield from (record for _, record in numbered_records(path) if record.record == tag)
        return
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


def numbered_records(path: str | Path, natives: bool = True) -> Iterator[tuple[int, Record]]:
    """Stream ``(line number, record)`` of a results file, validating each line; results
    get back the ``wire`` and ``native`` the writer left out as equal to their case's
    (without ``natives``, a native view left out as a renaming stays out: ``LineReader``)."""
    file = str(path)
    try:
        # A larger buffer than the default 8 KB: a third less time splitting the lines.
        handle = open(path, "rb", buffering=_BUFFER)  # noqa: SIM115 - closed by the generator
    except OSError as error:
        raise ResultsError(f"cannot read: {error.strerror}", "check the path", file=file) from None
    reader = LineReader(file, natives)
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
            if line and not line.isspace():  # (no copy of each line, as strip() makes)
                yield number, reader.read(line, number)


_encode_str = json.encoder.encode_basestring_ascii


def payload_text(line: str, raw: dict[str, Any]) -> str | None:
    """The text of the ``wire`` of a case ``line`` (parsed and validated as ``raw``) as the
    line holds it, when the line's other members are each written as the writer writes them
    (``to_json``: compact, in ``raw``'s order) and the text is ASCII; None otherwise.

    Of a line this tool wrote, that is ``jsonwire.dumps(raw["wire"])``. A payload that
    someone wrote otherwise inside (spaces, ``1e5`` for ``1E+5``) is taken as written: the
    same value, token for token. The text taken is one JSON value, so the line's object has
    no key twice and the value is ``raw["wire"]``; a line that repeats a key (the last one
    counts) holds more there, and gives None.
    """
    members: list[str] = []
    wire = -1
    for key, value in raw.items():
        if key == "wire":
            wire = len(members)
            members.append('"wire":')
        else:  # (most are strings: ``jsonwire.dumps`` would write them as ``_encode_str``)
            text = _encode_str(value) if type(value) is str else jsonwire.dumps(value)
            members.append(f"{_encode_str(key)}:{text}")
    if wire < 0:
        return None
    prefix = "{" + ",".join(members[: wire + 1])
    suffix = "".join("," + member for member in members[wire + 1 :]) + "}"
    start = len(prefix)
    end = len(line) - 1 if line.endswith("\n") else len(line)
    if end - len(suffix) <= start or not line.startswith(prefix):
        return None
    if not line.endswith(suffix, start, end):
        return None
    text = line[start : end - len(suffix)]
    return text if text.isascii() and _one_value(text) else None


#: Finds where a JSON value ends (the values it makes are dropped: no number hooks needed).
_SCAN = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _one_value(text: str) -> bool:
    """Whether ``text`` is exactly one JSON value (with whitespace around it)."""
    try:
        _, stop = _SCAN.raw_decode(text, _SPACE.match(text).end())  # type: ignore[union-attr]
    except ValueError:
        return False
    return _SPACE.match(text, stop).end() == len(text)  # type: ignore[union-attr]


class LineReader:
    """Reads the lines of one results file in order: each result gets back the ``wire`` and
    ``native`` the writer left out (``results.compact``), from the case record before it,
    its own divergences and the convention the header gives its target.

    ``natives=False`` is for renderers that draw a native view from the text of its source
    (the HTML page): a native view left out as the renaming of the result's wire or of its
    case's payload is not rebuilt, and the result's ``native_from`` says how to; a case
    record carries its payload's text as well (``CaseRecord.wire_json``: ``payload_text``).
    """

    def __init__(self, file: str = "", natives: bool = True) -> None:
        self.file = file
        self.natives = natives
        self._case: CaseRecord | None = None
        self._conventions: dict[str, str | None] = {}

    def read(self, line: str, number: int | None = None) -> Record:
        """The record of the next line (validated; ``ResultsError`` names file and line)."""
        raw = _raw_record(line, self.file, number)
        tag = raw.get("record")
        if tag == "case":
            self._case = _case(raw, None if self.natives else payload_text(line, raw))
            return self._case
        if tag != "result":
            record = _structure(raw)
            if isinstance(record, Header):
                self._conventions = {t.name: t.convention for t in record.targets}
            return record
        return _structure(raw, self.file, number, self._case, self._conventions, self.natives)
