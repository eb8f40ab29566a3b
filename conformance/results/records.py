"""The NDJSON results format: the source of truth every report is rendered from.

Every line is one JSON object with a ``record`` key, in this order: one
``header``; then per case one ``case`` record followed by one ``result`` per
target; ``problem`` records (case files or cases that could not load, docs
pages with problems) where they were met;
``stale`` records for expected failures that did not happen; ``finding`` records, one
per root-cause family of the run's divergences (``results.families``); one ``footer``
with the totals (and the expected failures that did happen, so that shards
merge: an entry is stale only if no shard matched it). ``conformance/schemas/results.schema.json``
describes each record; ``results.reader`` reads a file back, validating every line against it.
Number tokens are written exactly (``conformance.core.jsonwire``). A result line leaves
out what a reader of the file rebuilds exactly (its case's payload, a native view that is
the wire renamed, notes as short arrays: ``results.compact``, ``results.copies``);
``ResultsWriter.write`` returns the record every reader gets back.

This module holds the records: frozen attrs classes converted by one cattrs converter
built here (``record_converter``; ``to_json`` writes one line), separate from the reference
targets' converters, which are built from a user's schema.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from types import UnionType
from typing import Any, Literal, TypeAlias, Union, get_args, get_origin

import cattrs
from attrs import field, frozen
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from conformance.comparison.judge import STATUSES, Status, Verdict
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Implementation, Outcome
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
    "ProblemRecord",
    "Record",
    "ResultRecord",
    "StaleRecord",
    "Status",
    "TargetInfo",
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
    #: (``"wire"``, ``"input"``) renamed by that convention (``copies.restore``);
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
