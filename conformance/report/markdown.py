"""The Markdown summary: sized for a GitHub step summary or a pull-request comment.

Verdict and totals, a per-target table, the root-cause families (one row per
behaviour, failing ones first, with an example), the probe coverage (one row per
probe class, for a run with probe cases), the result vectors (cases by
every target's status), the top divergence groups (with who
stands where: SDKs against each other, then the references), the first
failing results, the cases that did not load, the stale expected failures, and
where the HTML report is.
GitHub caps a step summary at 1 MiB and a comment at 65,536 characters, so the
summary stops adding rows at ``LIMIT`` characters and says what it left out.

Every string from the results is escaped: plain text with backslashes and
HTML entities, code spans with a fence longer than any backtick run inside,
and ``|`` escaped everywhere so table cells cannot be split. Control
characters (C0 but tab and line breaks, DEL, C1), the bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and lone
surrogates are shown as ``\\u001b`` escapes, inside a code span in plain
text: raw, they could restyle a terminal that prints the file or reorder
what a reader sees. Line breaks and tabs become spaces (one line per cell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from conformance.core.divergence import path_text
from conformance.report.terminal import (
    COVERAGE_COLUMNS,
    by_target,
    coverage_counts,
)
from conformance.results.causes import Cause, group_causes
from conformance.results.records import STATUSES
from conformance.results.summary import Summary

__all__ = ["LIMIT", "md_code", "md_text", "render_markdown"]

#: Characters of Markdown at most (a PR comment holds 65,536).
LIMIT = 60_000
FINDINGS_SHOWN = 15
#: Families listed under one cause.
FAMILIES_PER_CAUSE = 10
COVERAGE_SHOWN = 80
VECTORS_SHOWN = 10
GROUPS_SHOWN = 15
FAILURES_SHOWN = 10
DIVERGENCES_PER_FAILURE = 3
PROBLEMS_SHOWN = 10
CELL = 160
#: Totals that count something other than results.
_NOT_STATUSES = ("problems", "stale")
_SEVERITY = {"fail": "**FAIL**", "expected": "xfail", "note": "note"}
_FAMILY_SEVERITY = {"fail": "**FAIL**", "expected": "expected"}

_SPECIAL = re.compile(r"([\\`*_\[\]|~>])")
#: Shown as escapes: C0 controls but tab and LF (CR too before LF), DEL, C1, bidi controls,
#: lone surrogates.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL = re.compile(f"[{_CONTROLS}]")
#: Percent-encoded in a link target: the controls, tab and LF.
_LINK_UNSAFE = re.compile(f"[\t\n{_CONTROLS}]")
#: Whitespace folded into one space: Unicode whitespace less the controls above.
_SPACE = re.compile("[^\\S\x0b-\x0d\x1c-\x1f\x85]+")


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\r\n", "\n")).strip(" ")


def _escape(match: re.Match[str]) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in match.group())


def _clip(text: str, limit: int = CELL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def md_text(text: str, limit: int = CELL) -> str:
    """Plain text in Markdown (a table cell too): one line, no markup, no HTML."""
    out = []
    for n, part in enumerate(_split_controls(_clip(_one_line(text), limit))):
        if n % 2:
            out.append(f"`{_CONTROL.sub(_escape, part)}`")
        else:
            out.append(_SPECIAL.sub(r"\\\1", part.replace("&", "&amp;").replace("<", "&lt;")))
    return "".join(out)


def md_code(text: str, limit: int = CELL) -> str:
    """A code span that shows ``text`` as is (one line), safe inside a table cell."""
    text = _CONTROL.sub(_escape, _clip(_one_line(text), limit)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _split_controls(text: str) -> list[str]:
    """``text`` split into ordinary runs (even indexes) and control runs (odd indexes)."""
    return re.split(f"((?:{_CONTROL.pattern})+)", text)


class _Budget:
    """Lines of Markdown that stop growing at a size limit."""

    def __init__(self, limit: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.limit = limit
        self.cut: list[str] = []

    def add(self, line: str) -> bool:
        if self.size + len(line) + 1 > self.limit:
            return False
        self.lines.append(line)
        self.size += len(line) + 1
        return True

    def table(
        self,
        what: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: Sequence[str] = (),
    ) -> None:
        rule = "|".join("---:" if name in numeric else "---" for name in header)
        head = ["| " + " | ".join(header) + " |", f"|{rule}|"]
        if not all(self.add(line) for line in head):
            self.cut.append(what)
            return
        for shown, row in enumerate(rows):
            if not self.add("| " + " | ".join(row) + " |"):
                self.cut.append(f"{len(rows) - shown} of {len(rows)} {what}")
                return


def render_markdown(
    summary: Summary,
    html: str | None = None,
    sources: Sequence[str] = (),
    limit: int = LIMIT,
) -> str:
    """The summary in Markdown; ``html`` is the link (or path) of the HTML report."""
    tail_room = 400
    out = _Budget(limit - tail_room)
    totals = summary.totals
    statuses = list(STATUSES) + [s for s in totals if s not in STATUSES and s not in _NOT_STATUSES]
    _header(out, summary, statuses, html, sources)
    _targets(out, summary, statuses)
    _findings(out, summary)
    _coverage(out, summary)
    _vectors(out, summary)
    _groups(out, summary)
    _failures(out, summary)
    _problems(out, summary)
    _stale(out, summary)
    lines = out.lines
    if out.cut:
        lines.append(
            f"_Truncated to stay under {limit:,} characters: left out {', '.join(out.cut)}."
            + (" See the HTML report for everything._" if html else "_")
        )
    return "\n".join(lines).rstrip() + "\n"


def _header(
    out: _Budget,
    summary: Summary,
    statuses: Sequence[str],
    html: str | None,
    sources: Sequence[str],
) -> None:
    verdict = "\u2705 CONFORMANT" if summary.exit_code == 0 else "\u274c NOT CONFORMANT"
    out.add(f"## conformance: {verdict} (exit {summary.exit_code})")
    out.add("")
    totals = summary.totals
    counts = " \u00b7 ".join(f"{md_text(s)} **{totals.get(s, 0)}**" for s in statuses)
    out.add(
        f"**{summary.cases}** case(s) \u00d7 **{len(summary.per_target)}** target(s): {counts}"
        f" \u00b7 did not load **{summary.problem_count}**"
        f" \u00b7 stale expected failures **{summary.stale_count}**"
        f" \u00b7 failing divergences **{summary.failing}** \u00b7 notes **{summary.notes}**"
    )
    out.add("")
    where = []
    if html:
        where.append(f"Full report: [{md_text(html)}]({_href(html)})")
    if sources:
        where.append("results: " + ", ".join(md_code(s) for s in sources))
    if where:
        out.add(" \u00b7 ".join(where))
        out.add("")


def _targets(out: _Budget, summary: Summary, statuses: Sequence[str]) -> None:
    if not summary.per_target:
        return
    out.add("### Targets")
    out.add("")
    out.table(
        "targets",
        ["target", *(md_text(s) for s in statuses)],
        [
            [md_text(name), *(str(counts.get(s, 0)) for s in statuses)]
            for name, counts in summary.per_target.items()
        ],
        numeric=[md_text(s) for s in statuses],
    )
    out.add("")


def _findings(out: _Budget, summary: Summary) -> None:
    if not summary.findings:
        return
    causes = group_causes(summary.findings)
    out.add("### Findings (causes)")
    out.add("")
    out.add(
        f"{len(causes)} cause(s) over {len(summary.findings)} root-cause famil"
        f"{'y' if len(summary.findings) == 1 else 'ies'}: one behaviour of one set of SDKs"
        " each; its families (by field type, value class and where the other targets stood)"
        " are one click below. Counts marked \u2264 add up several families (a bound)."
    )
    out.add("")
    shown = causes[:FINDINGS_SHOWN]
    out.table(
        "causes",
        ["", "cases", "models", "paths", "cause", "example"],
        [
            [
                _FAMILY_SEVERITY.get(c.severity, md_text(c.severity)),
                _bounded(c.cases, c.exact),
                _bounded(c.models, c.exact or c.models_exact),
                _bounded(c.paths, c.exact),
                md_text(c.sentence, 300),
                f"{md_code(c.example.case, 60)} at {md_code(c.example.path, 80)}",
            ]
            for c in shown
        ],
        numeric=["cases", "models", "paths"],
    )
    if len(causes) > len(shown):
        hidden = len(causes) - len(shown)
        out.add("")
        out.add(f"\u2026 and {hidden} more cause(s) in the results.")
    out.add("")
    for cause in shown:
        if not _cause_families(out, cause):
            out.cut.append("the families of the causes")
            break
    out.add("")


def _bounded(count: int, exact: bool) -> str:
    return str(count) if exact else f"\u2264{count}"


def _cause_families(out: _Budget, cause: Cause) -> bool:
    """A cause's families in a collapsed block; false when the budget ran out."""
    lines = [
        "<details><summary>"
        + md_text(
            f"{cause.sentence}: {len(cause.families)} famil"
            f"{'y' if len(cause.families) == 1 else 'ies'}",
            300,
        )
        + "</summary>",
        "",
        "| | cases | models | paths | family | example |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in cause.families[:FAMILIES_PER_CAUSE]:
        lines.append(
            "| "
            + " | ".join(
                [
                    md_code(f.id),
                    str(f.cases),
                    str(f.models),
                    str(len(f.paths) + f.more_paths),
                    md_text(f.sentence, 300),
                    f"{md_code(f.example.case, 60)} at {md_code(f.example.path, 80)}",
                ]
            )
            + " |"
        )
    if len(cause.families) > FAMILIES_PER_CAUSE:
        lines += ["", f"\u2026 and {len(cause.families) - FAMILIES_PER_CAUSE} more."]
    lines += ["", "</details>"]
    return all(out.add(line) for line in lines)


def _coverage(out: _Budget, summary: Summary) -> None:
    if not summary.coverage:
        return
    out.add("### Probe coverage")
    out.add("")
    out.add(
        "Per probe class: the cases, models and fields (model and probed path) it ran on,"
        " the cases it found diverging (failing or expected) and their divergences."
    )
    out.add("")
    shown = summary.coverage[:COVERAGE_SHOWN]
    out.table(
        "probe classes",
        ["probe class", *COVERAGE_COLUMNS, "diverging by target"],
        [
            [
                md_code(row.probe, 80),
                *(str(n) for n in coverage_counts(row)),
                md_text(by_target(row)),
            ]
            for row in shown
        ],
        numeric=COVERAGE_COLUMNS,
    )
    if len(summary.coverage) > len(shown):
        out.add("")
        out.add(f"\u2026 and {len(summary.coverage) - len(shown)} more probe class(es).")
    out.add("")


def _vectors(out: _Budget, summary: Summary) -> None:
    if not summary.vectors:
        return
    out.add("### Result vectors (cases by each target's status)")
    out.add("")
    shown = summary.vectors[:VECTORS_SHOWN]
    out.table(
        "result vectors",
        ["cases", *(md_text(t) for t in summary.vector_targets), "example"],
        [[str(v.count), *(md_text(s) for s in v.statuses), md_code(v.example, 60)] for v in shown],
        numeric=["cases"],
    )
    more = sum(v.count for v in summary.vectors[VECTORS_SHOWN:]) + summary.other_vectors
    if more:
        out.add("")
        out.add(f"\u2026 and {more} more case(s) in other vectors.")
    out.add("")


def _groups(out: _Budget, summary: Summary) -> None:
    if not summary.groups:
        return
    out.add("### Top divergence groups")
    out.add("")
    groups = summary.groups[:GROUPS_SHOWN]
    # Who stands where (SDKs against each other, then the references) when the header
    # said which targets are SDKs; a run without SDK targets has no such column.
    verdicts = any(g.verdict_text for g in groups)
    out.table(
        "divergence groups",
        [
            "",
            "path pattern",
            "kind",
            "sides",
            *(["verdict"] if verdicts else []),
            "cases",
            "example",
        ],
        [
            [
                _SEVERITY.get(g.severity, md_text(g.severity)),
                md_code(g.pattern),
                md_text(g.kind),
                f"{md_text(', '.join(g.left))} vs {md_text(', '.join(g.right))}",
                *([md_text(g.verdict_text)] if verdicts else []),
                str(g.cases),
                f"{md_code(g.example, 60)}: {md_code(g.detail, 100)}",
            ]
            for g in groups
        ],
        numeric=["cases"],
    )
    if len(summary.groups) > len(groups):
        out.add("")
        out.add(f"\u2026 and {len(summary.groups) - len(groups)} more group(s) in the report.")
    out.add("")


def _failures(out: _Budget, summary: Summary) -> None:
    failures = summary.failures[:FAILURES_SHOWN]
    if not failures:
        return
    out.add("### First failing results")
    out.add("")
    rows = []
    for result in failures:
        if result.status == "error" or not result.failing:
            what = md_text(result.outcome.error or result.status)
        else:
            shown = result.failing[:DIVERGENCES_PER_FAILURE]
            what = "; ".join(
                f"{md_text(d.kind)} {md_code(path_text(d.path), 60)}: {md_code(d.detail, 80)}"
                for d in shown
            )
            if len(result.failing) > len(shown):
                what += f" (+{len(result.failing) - len(shown)} more)"
        rows.append(
            [md_code(result.case, 60), md_text(result.target), md_text(result.status), what]
        )
    out.table("failing results", ["case", "target", "status", "divergences"], rows)
    out.add("")


def _problems(out: _Budget, summary: Summary) -> None:
    if not summary.problems:
        return
    out.add(f"### Cases that did not load ({summary.problem_count})")
    out.add("")
    for problem in summary.problems[:PROBLEMS_SHOWN]:
        text = str(problem).replace("\n", " \u00b7 ")
        if not out.add(f"- {md_text(text, 300)}"):
            out.cut.append("cases that did not load")
            break
    out.add("")


def _stale(out: _Budget, summary: Summary) -> None:
    if not summary.stale:
        return
    out.add(f"### Stale expected failures ({summary.stale_count})")
    out.add("")
    out.table(
        "stale expected failures",
        ["case", "kind", "path", "targets", "reason"],
        [
            [
                md_code(s.case, 60),
                md_text(s.kind),
                md_code(s.path, 80),
                md_text(", ".join(s.targets) or "any target"),
                md_text(s.reason),
            ]
            for s in summary.stale
        ],
    )
    out.add("")


def _href(link: str) -> str:
    """A link target that cannot close the Markdown link or start a script."""
    if re.match(r"^\s*(javascript|data|vbscript):", link, re.IGNORECASE):
        return "#"
    link = _LINK_UNSAFE.sub(
        lambda m: quote(m.group().encode("utf-8", "backslashreplace"), safe=""), link
    )
    return link.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
