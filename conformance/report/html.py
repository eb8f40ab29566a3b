"""The HTML report: one self-contained page per run (or per set of merged CI shards).

The page opens on a summary rendered here by Jinja2 (autoescape on), so it
reads without JavaScript: the verdict, the totals, a matrix of models x
targets with a count per status, the root-cause families (each with its
example case linked as ``#case=ID`` and its paths), the probe coverage (per
probe class of a run with probe cases), the result vectors, the
top divergence groups, the cases that did not load and the first failing
results. Below it a case browser (plain JavaScript from ``templates/report.js``,
no framework, no build step) filters cases by target, model, status, divergence
kind and group, searches case ids, and opens a case on demand: its input
payload beside every target's output, each diverging path highlighted in place
with both sides' values, the native views under their own names, errors,
harness stderr and warnings.
``#case=ID`` opens one case; ``#model=M&status=diverge`` sets the filters.

The browser's data travels in two ``<script type="application/json">`` blocks:

* the index: one short row per case (id, model, per-target status and
  divergence kinds, divergence groups), parsed when the page loads;
* the details, ``CHUNK`` cases to a chunk, each chunk gzip-compressed and
  base64-encoded, inflated by the page (``DecompressionStream``) only when one
  of its cases is opened. A chunk is lines: its cases' details as one JSON array
  (each case's ``texts`` the number of its payload texts), the ``names`` of its
  renamed native views as one JSON object, then the payload texts, one a line,
  in order. Payloads are JSON *text* from ``jsonwire.dumps`` (ASCII, no
  line break: strings escape them; a case's payload is its results line's own text of it,
  ``CaseRecord.wire_json``, when the reader kept it), kept out of the JSON array so that they are
  not escaped once more, and parsed in the page by a small parser that keeps
  every number token as written (``0.0``, ``9007199254740993``): ``JSON.parse``
  would turn those into ``0`` and ``9007199254740992``.

Why compressed chunks rather than plain JSON: 20,000 cases with 1.5 KB payloads
are 30 MB of input JSON before a single output or native view; gzip brings the
page to a few MB, and chunks keep the first paint independent of the run's size.
Within a case, equal payloads are stored once (most outputs equal their input). A native
view that a results file holds as a renaming (``ResultRecord.native_from``: its source
renamed by the target's convention) is stored as its source's text, and the page renames
the parsed source when the case is opened, by the chunk's ``names`` (convention ->
``[[key, native key], ...]`` for the keys it renames): it draws what ``copies.renamed``
would have built (a key two keys rename to holds the later value at the earlier place).

Nothing from a results file reaches the page unescaped: the template
autoescapes, JSON blocks escape ``<``, ``>``, ``&`` (U+2028 and U+2029 too),
the script builds DOM with ``textContent`` only, and a Content-Security-Policy
allows no network request and no script or style but the page's own (by hash).
Text shown on the page, by the template (``_visible``, its ``finalize``) and by the
script (its ``visible``), has its control characters (C0 but tab and line feed,
DEL, C1), bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) written as ``\\u202e`` escapes: raw, a bidi override in a case
id or an error would reorder what the reader sees (Trojan Source). Lone
surrogates are escaped too (the template's; the browser shows U+FFFD for the
script's).

``HtmlCollector`` folds records one at a time (memory: the compressed details
plus one index row per case; each case's details and index row are written as JSON text by
``report.html_entries``); ``render_html`` is the pure function around it.
"""

from __future__ import annotations

import base64
import gzip
import json
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from attrs import define, field
from markupsafe import Markup

from conformance import __version__
from conformance.core.divergence import KINDS, Divergence, path_text
from conformance.report.html_entries import Entries, Texts, case_head, index_row
from conformance.report.html_page import asset, csp, environment, script_json
from conformance.report.renamings import NativeNames, keys_of
from conformance.report.spool import Lines, RankedRows
from conformance.report.terminal import by_target
from conformance.results.causes import group_causes
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    ResultRecord,
    StaleRecord,
    TargetInfo,
)
from conformance.results.summary import Summary, SummaryBuilder

__all__ = ["CHUNK", "HtmlCollector", "render_html", "script_json"]

#: Cases per compressed details chunk: small enough to inflate in a few milliseconds.
CHUNK = 200
FINDINGS_SHOWN = 30
VECTORS_SHOWN = 10
GROUPS_SHOWN = 25
FAILURES_SHOWN = 20
#: Cases listed worst first; statuses not named here (added later) rank just after errors.
_WORST_FIRST = ("error", "stale", "diverge", "expected", "skipped", "pass")
#: The naming style each convention stands for, shown beside native views.
STYLES = {
    "python": "snake_case",
    "typescript": "camelCase",
    "pascal": "PascalCase",
    "kebab": "kebab-case",
}
_GroupKey = tuple[str, str, tuple[str, ...], tuple[str, ...], str]


def _rank(status: str) -> int:
    return _WORST_FIRST.index(status) if status in _WORST_FIRST else 1


def _group_key(divergence: Divergence) -> _GroupKey:
    """The key ``SummaryBuilder`` groups divergences by."""
    return (
        divergence.pattern,
        divergence.kind,
        divergence.left.targets,
        divergence.right.targets,
        divergence.severity,
    )


@define
class _Draft:
    """A case whose results are still arriving."""

    id: str
    model: str
    record: CaseRecord | None
    results: list[ResultRecord] = field(factory=list)


@define
class HtmlCollector:
    """Folds result records into what the page needs, one record at a time."""

    targets: dict[str, TargetInfo] = field(factory=dict)
    started: list[str] = field(factory=list)
    footers: list[Footer] = field(factory=list)
    headers: int = 0
    models: dict[str, int] = field(factory=dict)
    statuses: dict[str, int] = field(factory=lambda: {s: i for i, s in enumerate(STATUSES)})
    kinds: dict[str, int] = field(factory=lambda: {k: i for i, k in enumerate(KINDS)})
    target_ids: dict[str, int] = field(factory=dict)
    #: model -> target -> status -> results
    matrix: dict[str, dict[str, Counter[str]]] = field(factory=dict)
    group_ids: dict[_GroupKey, int] = field(factory=dict)
    #: One index row per case and the compressed details chunks (one base64 line each),
    #: kept on disk: memory stays flat however many cases there are.
    rows: RankedRows = field(factory=RankedRows)
    chunks: Lines = field(factory=Lines)
    _pending: list[str] = field(factory=list)
    _pending_texts: list[str] = field(factory=list)
    #: The keys of the chunk's native views kept as renamings, by convention.
    _renamed_keys: dict[str, set[str]] = field(factory=dict)
    _draft: _Draft | None = None
    _names: NativeNames = field(factory=NativeNames)
    _entries: Entries = field(factory=Entries)

    def add(self, record: Record) -> None:
        """Take one record (in results-file order)."""
        if isinstance(record, ResultRecord):
            if self._draft is None or self._draft.id != record.case:
                self._flush_case()
                self._draft = _Draft(record.case, "(unknown model)", None)
            self._draft.results.append(record)
        elif isinstance(record, CaseRecord):
            self._flush_case()
            self._draft = _Draft(record.id, record.model, record)
        elif isinstance(record, Header):
            self._flush_case()
            self.headers += 1
            self.started.append(record.started)
            for info in record.targets:
                self.targets.setdefault(info.name, info)
                self._target(info.name)
        elif isinstance(record, Footer):
            self._flush_case()
            self.footers.append(record)
        elif isinstance(record, ProblemRecord | StaleRecord | FindingRecord):
            self._flush_case()

    def _target(self, name: str) -> int:
        return self.target_ids.setdefault(name, len(self.target_ids))

    def _flush_case(self) -> None:
        draft, self._draft = self._draft, None
        if draft is None:
            return
        model = self.models.setdefault(draft.model, len(self.models))
        per_target = self.matrix.setdefault(draft.model, {})
        texts = Texts()
        case = draft.record
        head = case_head(
            draft.id,
            draft.model,
            case.direction if case else "",
            case.valid if case else True,
            case.description if case else "",
            case.source if case else "",
            # The payload's text as its results line holds it, when the reader kept it.
            texts.add(case.wire, case.wire_json) if case else None,
        )
        results: list[str] = []
        statuses: list[int] = []
        groups: set[int] = set()
        rank = len(_WORST_FIRST)
        for result in draft.results:
            target = self._target(result.target)
            status = self.statuses.setdefault(result.status, len(self.statuses))
            counts = per_target.get(result.target)
            if counts is None:
                counts = per_target[result.target] = Counter()
            counts[result.status] += 1
            rank = min(rank, _rank(result.status))
            mask = 0
            for each in result.divergences:
                kind = self.kinds.setdefault(each.kind, len(self.kinds))
                if kind < 31:
                    mask |= 1 << kind
                key = _group_key(each)
                groups.add(self.group_ids.setdefault(key, len(self.group_ids)))
            statuses += [target, status, mask]
            outcome = result.outcome
            # A target that read the payload and wrote nothing back has no wire to show.
            has_wire = (outcome.accepted and outcome.written) or outcome.wire is not None
            wire = texts.add(outcome.wire) if has_wire else None
            native: int | None = None
            convention: str | None = None
            renaming = result.native_from if outcome.accepted else None
            if renaming is not None:
                source, convention = renaming
                value = outcome.wire if source == "wire" else case.wire if case else None
                native = texts.add(value)
                keys_of(value, self._renamed_keys.setdefault(convention, set()))
            elif outcome.accepted and outcome.native is not None:
                native = texts.add(outcome.native)
            results.append(self._entries.text(result, wire, native, convention))
        # The texts follow the chunk's details, a line each.
        detail = f'{head},"results":[{",".join(results)}],"texts":{len(texts.texts)}}}'
        self._pending_texts += texts.texts
        chunk, position = divmod(self.rows.count, CHUNK)
        # The row as the page gets it but for its groups, which the summary numbers: they
        # follow a tab, as this collector numbers them (``_index_rows``).
        row = index_row(draft.id, model, chunk, position, rank, statuses)
        self.rows.add_line(rank, f"{row}\t{','.join(map(str, sorted(groups)))}")
        self._pending.append(detail)
        if len(self._pending) == CHUNK:
            self._flush_chunk()

    def _flush_chunk(self) -> None:
        if not self._pending:
            return
        names = {c: self._names.renamed(c, keys) for c, keys in self._renamed_keys.items()}
        details = "[" + ",".join(self._pending) + "]"
        listed = json.dumps(names, ensure_ascii=True, separators=(",", ":"))
        text = "\n".join([details, listed, *self._pending_texts])
        # Level 1: a third less CPU than 3 for a page a tenth larger (20,000 cases: 12 MB).
        packed = gzip.compress(text.encode("ascii"), compresslevel=1, mtime=0)
        self.chunks.add(base64.b64encode(packed).decode("ascii"))
        self._pending = []
        self._pending_texts = []
        self._renamed_keys = {}

    def finish(self) -> None:
        """Close the last case and chunk (``render`` calls it; further calls do nothing)."""
        self._flush_case()
        self._flush_chunk()

    def render(self, summary: Summary, sources: Sequence[str] = ()) -> str:
        """The page for these records and their summary."""
        return "".join(self.render_chunks(summary, sources))

    def render_chunks(self, summary: Summary, sources: Sequence[str] = ()) -> Iterator[str]:
        """The page, piece by piece: the index rows and the details come from disk, never
        all in memory."""
        self.finish()
        rows_mark = f"conformance-rows-{secrets.token_hex(16)}"
        details_mark = f"conformance-details-{secrets.token_hex(16)}"
        context = self._context(summary, sources, rows_mark)
        context["details_json"] = Markup(details_mark)
        page = environment().get_template("report.html.j2").render(**context)
        # The marks are random: each occurs once, where it was put (the rows' as a JSON string).
        head, rest = page.split(f'"{rows_mark}"')
        middle, tail = rest.split(details_mark)
        yield head
        yield from self._index_rows(summary)
        yield middle
        yield "["
        for number, line in enumerate(self.chunks):
            # base64 needs no JSON or HTML escaping: it is letters, digits, +, / and =.
            yield f'{"," if number else ""}"{line}"'
        yield "]"
        yield tail

    def _index_rows(self, summary: Summary) -> Iterator[str]:
        """The index's case rows as one JSON array, worst first, groups as the summary's."""
        position = {_summary_key(g): n for n, g in enumerate(summary.groups)}
        remap = {mine: position.get(key, -1) for key, mine in self.group_ids.items()}
        yield "["
        for number, line in enumerate(self.rows.lines()):
            row, _, mine = line.partition("\t")
            groups = sorted(remap[int(g)] for g in mine.split(",") if g and remap[int(g)] >= 0)
            # ``row`` is a JSON array: its last element is followed by the groups.
            yield f"{',' if number else ''}{row[:-1]},[{','.join(map(str, groups))}]]"
        yield "]"

    def _context(self, summary: Summary, sources: Sequence[str], rows: str) -> dict[str, Any]:
        """The template's values; the index's case rows are ``rows`` (a mark they replace)."""
        targets = list(self.target_ids)
        statuses = list(self.statuses)
        conventions = {
            name: info.convention for name, info in self.targets.items() if info.convention
        }
        index = {
            "targets": targets,
            "statuses": statuses,
            "kinds": list(self.kinds),
            "models": list(self.models),
            "groups": [
                [g.pattern, g.kind, ", ".join(g.left), ", ".join(g.right), g.severity, g.cases]
                for g in summary.groups
            ],
            "conventions": conventions,
            "styles": STYLES,
            "cases": rows,
        }
        css, js = asset("report.css"), asset("report.js")
        footers = self.footers
        causes = group_causes(summary.findings)
        return {
            "version": __version__,
            "sources": list(sources),
            "summary": summary,
            "verdict": "CONFORMANT" if summary.exit_code == 0 else "NOT CONFORMANT",
            "started": min(self.started) if self.started else "",
            "finished": max(f.finished for f in footers) if footers else "",
            "seconds": sum(f.seconds for f in footers),
            "files": self.headers,
            "unfinished": max(self.headers - len(footers), 0),
            "interrupted": any(f.interrupted for f in footers),
            "results_total": sum(summary.totals.get(s, 0) for s in statuses),
            "statuses": statuses,
            "targets": [self._target_row(name, summary) for name in targets],
            "matrix": _matrix(self.matrix, targets, statuses),
            "causes": causes[:FINDINGS_SHOWN],
            "causes_total": len(causes),
            "coverage": [{"row": row, "targets": by_target(row)} for row in summary.coverage],
            "vectors": summary.vectors[:VECTORS_SHOWN],
            "vectors_more": sum(v.count for v in summary.vectors[VECTORS_SHOWN:])
            + summary.other_vectors,
            "groups": summary.groups[:GROUPS_SHOWN],
            "failures": [_failure(r) for r in summary.failures[:FAILURES_SHOWN]],
            "stale": [_stale(s) for s in summary.stale],
            "index_json": script_json(index),
            "details_json": "",  # streamed by render_chunks, as the index's rows are
            "css": Markup(css),
            "js": Markup(js),
            "csp": csp(css, js),
        }

    def _target_row(self, name: str, summary: Summary) -> dict[str, Any]:
        info = self.targets.get(name)
        implementation = ""
        if info is not None and info.implementation is not None:
            impl = info.implementation
            parts = [impl.sdk or impl.name, impl.sdk_version, f"({impl.language})"]
            implementation = " ".join(p for p in parts if p)
        return {
            "name": name,
            "kind": info.kind if info else "",
            "convention": (info.convention or "") if info else "",
            "style": STYLES.get(info.convention or "", "") if info else "",
            "implementation": implementation,
            "counts": summary.per_target.get(name, {}),
        }


def _summary_key(group: Any) -> _GroupKey:
    return (group.pattern, group.kind, group.left, group.right, group.severity)


def _failure(result: ResultRecord) -> dict[str, str]:
    if result.status == "error" or not result.failing:
        first = result.outcome.error.splitlines()[0] if result.outcome.error else ""
        text = first or result.status
    else:
        each = result.failing[0]
        text = f"{each.kind} {path_text(each.path)}: {each.detail}"
        if len(result.failing) > 1:
            text += f" (+{len(result.failing) - 1} more)"
    return {"case": result.case, "target": result.target, "status": result.status, "text": text}


def _stale(entry: StaleRecord) -> dict[str, str]:
    """A stale expected failure; its link is a link only when it is a web address."""
    web = entry.link.startswith(("https://", "http://"))
    return {
        "case": entry.case,
        "kind": entry.kind,
        "path": entry.path,
        "targets": ", ".join(entry.targets) or "any target",
        "reason": entry.reason,
        "link": entry.link,
        "href": entry.link if web else "",
    }


def _matrix(
    matrix: dict[str, dict[str, Counter[str]]], targets: list[str], statuses: list[str]
) -> dict[str, Any]:
    """Rows of the models x targets table: models with anything but passes first."""
    rows: list[tuple[int, str, list[list[tuple[str, int]]]]] = []
    for model, per_target in matrix.items():
        cells = []
        for target in targets:
            counts = per_target.get(target, Counter())
            cells.append([(s, counts[s]) for s in statuses if counts.get(s)])
        bad = sum(n for c in per_target.values() for s, n in c.items() if s != "pass")
        rows.append((bad, model, cells))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return {
        "attention": [{"model": m, "cells": c} for bad, m, c in rows if bad],
        "clean": [{"model": m, "cells": c} for bad, m, c in rows if not bad],
    }


def render_html(records: Iterable[Record], sources: Sequence[str] = ()) -> str:
    """The HTML report of a stream of records (one or more results files, concatenated)."""
    collector = HtmlCollector()
    builder = SummaryBuilder()
    for record in records:
        collector.add(record)
        builder.add(record)
    return collector.render(builder.build(), sources)
