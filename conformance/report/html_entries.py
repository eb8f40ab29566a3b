"""The HTML report's case data as JSON text: each case's details and index row.

``HtmlCollector`` (``report.html``) writes these for every case of a run, so they are
written directly rather than through ``json.dumps`` of a dict: a case's details up to its
results (``case_head``) and a result's entry but for its time and divergences (``Entries``)
recur case after case, and are kept as text (at most ``_KEPT`` of each, so memory stays
flat). Each text is what ``json.dumps(value, ensure_ascii=True, separators=(",", ":"))``
writes of the same fields; ``Texts`` numbers a case's distinct payload texts, equal values
stored once.
"""

from __future__ import annotations

import json
from typing import Any

from attrs import define, field

from conformance.core import jsonwire
from conformance.core.divergence import Divergence
from conformance.report.html_page import script_json
from conformance.results.records import ResultRecord
from conformance.schema import JsonValue

__all__ = ["Entries", "Texts", "case_head", "index_row"]


@define
class Texts:
    """The distinct JSON texts of one case; equal values are dumped and stored once."""

    values: list[JsonValue] = field(factory=list)
    texts: list[str] = field(factory=list)

    def add(self, value: JsonValue, text: str | None = None) -> int:
        """The number of ``value``'s text (``text``, when given, is ``jsonwire.dumps(value)``)."""
        for number, seen in enumerate(self.values):
            # Most outputs are their case's payload itself (``copies.restore``).
            if seen is value or jsonwire.same(seen, value):
                return number
        self.values.append(value)
        self.texts.append(jsonwire.dumps(value) if text is None else text)
        return len(self.texts) - 1


#: JSON as ``json.dumps(value, ensure_ascii=True, separators=(",", ":"))`` writes it.
_JSON = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
_encode_str = json.encoder.encode_basestring_ascii
#: Texts kept by ``Entries`` and ``case_head`` before they start again (memory stays flat).
_KEPT = 4096
_HEADS: dict[tuple[object, ...], str] = {}


def case_head(
    id_: str,
    model: str,
    direction: str,
    valid: bool,
    description: str,
    source: str,
    wire: int | None,
) -> str:
    """A case's details up to its results: ``_JSON`` of them without the closing brace. All
    but the id recur case after case, and are written once."""
    key = (model, direction, valid, type(valid), description, source, wire, type(wire))
    rest = _HEADS.get(key)
    if rest is None:
        if len(_HEADS) >= _KEPT:
            _HEADS.clear()
        rest = _HEADS[key] = _JSON(
            {
                "model": model,
                "direction": direction,
                "valid": valid,
                "description": description,
                "source": source,
                "wire": wire,
            }
        )[1:-1]
    name = _encode_str(id_) if type(id_) is str else _JSON(id_)
    return f'{{"id":{name},{rest}'


@define
class Entries:
    """A result's entry in its case's details, as ``_JSON`` writes it. An entry without
    error or stderr is the same text case after case but for its time and divergences: that
    text is kept, and the time and divergences are written into it."""

    heads: dict[tuple[object, ...], str] = field(factory=dict)

    def text(
        self, result: ResultRecord, wire: int | None, native: int | None, renamed: str | None
    ) -> str:
        outcome = result.outcome
        group, warnings = result.group, outcome.warnings
        plain = not outcome.error and not outcome.stderr
        if plain and type(group) is tuple and type(warnings) is tuple:
            key = (result.target, result.status, outcome.state, group, wire, native, warnings)
            head = self.heads.get(key)
            if head is None:
                if len(self.heads) >= _KEPT:
                    self.heads.clear()
                head = self.heads[key] = self._head(result, wire, native)
        else:
            head = self._head(result, wire, native)
        seconds = outcome.seconds
        # json writes a finite float as its repr (``s - s`` is NaN for NaN and infinities).
        time = (
            float.__repr__(seconds)
            if type(seconds) is float and seconds - seconds == 0
            else _JSON(seconds)
        )
        listed = _JSON([_divergence(d) for d in result.divergences]) if result.divergences else "[]"
        tail = "}" if renamed is None else f',"renamed":{_JSON(renamed)}}}'
        return f'{head}{time},"divergences":{listed}{tail}'

    @staticmethod
    def _head(result: ResultRecord, wire: int | None, native: int | None) -> str:
        """The entry up to its time's value: ``..."warnings":[...],"seconds":``."""
        outcome = result.outcome
        entry = {
            "target": result.target,
            "status": result.status,
            "state": outcome.state,
            "group": list(result.group),
            "wire": wire,
            "native": native,
            "error": outcome.error,
            "stderr": outcome.stderr,
            "warnings": list(outcome.warnings),
        }
        return _JSON(entry)[:-1] + ',"seconds":'


def index_row(
    id_: str, model: int, chunk: int, position: int, rank: int, statuses: list[int]
) -> str:
    """``script_json([id_, model, chunk, position, rank, statuses])``, written directly: the
    id is the row's only string, and the only text ``script_json`` escapes could be in it."""
    name = _encode_str(id_) if type(id_) is str else _JSON(id_)
    if "<" in name or ">" in name or "&" in name:
        name = str(script_json(id_))
    listed = ",".join(map(str, statuses))
    return f"[{name},{model},{chunk},{position},{rank},[{listed}]]"


def _divergence(each: Divergence) -> list[Any]:
    """A divergence for the page: side values as exact JSON text, ``None`` when absent."""
    left, right = each.left, each.right
    return [
        list(each.path),
        each.kind,
        each.severity,
        list(left.targets),
        jsonwire.dumps(left.value) if left.present else None,
        list(right.targets),
        jsonwire.dumps(right.value) if right.present else None,
        each.detail,
        each.reason,
    ]
