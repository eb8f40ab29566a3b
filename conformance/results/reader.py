"""Reading results files: each NDJSON line parsed, validated and built into its record.

``read_results`` and ``numbered_records`` stream a file's records, validating every line
against ``conformance/schemas/results.schema.json``; ``records_tagged`` reads only the
lines of one kind. A ``LineReader`` reads a file's lines in order, so that a result gets
back what the writer left out (``results.compact``, ``results.copies``) from the header
and the case record before it; ``payload_text`` keeps a case payload's text as its line
holds it, for the HTML page. The record classes and their converter are
``results.records``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import cattrs
from fastjsonschema import JsonSchemaValueException
from jsonschema.exceptions import ValidationError

from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.divergence import Divergence
from conformance.core.outcome import Outcome
from conformance.core.validation import errors_by_path, json_path
from conformance.exceptions import ResultsError
from conformance.results import compact
from conformance.results.quick_check import plain_record
from conformance.results.records import (
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
    record_converter,
)

__all__ = [
    "LineReader",
    "from_json",
    "numbered_records",
    "payload_text",
    "read_results",
    "records_tagged",
]

#: The record class of each ``record`` tag.
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
    ``native`` the writer left out (``results.copies``), from the case record before it,
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
