"""The terminal summary of a run (pretty text) and its JSON twin.

The root-cause families (``finding`` records) come first, failing ones before
expected ones: one behaviour each, with its counts and an example. A run with
probe cases then has its coverage table: per probe class, the cases, models and
fields it ran on and what it found. Then the
result vectors (cases by every target's status), then the divergence groups,
one row per path pattern, a level below the families.

Every string from the results (case ids, target names, errors, details, paths)
passes through ``terminal_text`` before it is printed: control characters (C0
but tab and line feed, DEL, C1), the bidirectional embeddings, overrides and
isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates are shown as
``\\u001b`` escapes. Raw, ``\\x1b[2J`` would clear the screen, other ESC and CSI
sequences restyle the terminal or rewrite what it shows, a carriage return
overwrites the line and bidi controls reorder what the reader sees. Line feeds
and tabs stay, as they format multi-line errors; ordinary text is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conformance.core.divergence import path_text
from conformance.results.causes import Cause, group_causes
from conformance.results.records import STATUSES, CoverageRow, FindingRecord
from conformance.results.summary import Summary

__all__ = ["cause_counts", "contexts_text", "render_json", "render_pretty", "terminal_text"]

FINDINGS_SHOWN = 30
COVERAGE_SHOWN = 80
VECTORS_SHOWN = 10
GROUPS_SHOWN = 10
#: Characters of an example's detail shown beside a family.
DETAIL_SHOWN = 160
FAILURES_SHOWN = 10
#: Shown as escapes: C0 controls but tab and line feed, DEL, C1, bidi controls, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_text(text: object) -> str:
    """``text`` safe to print on a terminal: controls escaped as ``\\u001b``, the rest as is.

    A CR LF pair is a line feed; line feeds and tabs are kept.
    """
    return _CONTROL.sub(_escape, str(text).replace("\r\n", "\n"))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def failing_first(findings: tuple[FindingRecord, ...]) -> list[FindingRecord]:
    """The families that fail the run, then the expected ones (each in the summary's order)."""
    return sorted(findings, key=lambda f: f.severity != "fail")


def _findings(summary: Summary, paint: Callable[[str, str], str]) -> list[str]:
    if not summary.findings:
        return []
    causes = group_causes(summary.findings)
    lines = [
        "",
        f"findings: {len(causes)} cause(s) over {len(summary.findings)} root-cause"
        f" famil{'y' if len(summary.findings) == 1 else 'ies'}"
        " (`conformance findings` lists the families):",
    ]
    for cause in causes[:FINDINGS_SHOWN]:
        mark = paint("FAIL", "31") if cause.severity == "fail" else paint("EXPECTED", "36")
        example = cause.example
        lines.append(f"  {mark}  " + terminal_text(f"{cause_counts(cause)}  {cause.sentence}"))
        if cause.contexts:
            lines.append("        " + terminal_text(contexts_text(cause)))
        lines.append(
            "        "
            + terminal_text(
                f"e.g. {example.case} at {example.path}: {_clip(example.detail, DETAIL_SHOWN)}"
            )
        )
    hidden = len(causes) - FINDINGS_SHOWN
    if hidden > 0:
        lines.append(f"  ... and {hidden} more cause(s)")
    return lines


def cause_counts(cause: Cause) -> str:
    """A cause's counts in words: ``up to`` where they add up several families."""
    bound = "" if cause.exact else "up to "
    models = "" if cause.exact or cause.models_exact else "up to "
    families = len(cause.families)
    return (
        f"{bound}{cause.cases} case(s), {models}{cause.models} model(s),"
        f" {bound}{cause.paths} path(s),"
        f" {families} famil{'y' if families == 1 else 'ies'}"
    )


def contexts_text(cause: Cause) -> str:
    """Where the other targets stood, with the cases of each: ``the SDKs agree (12); ...``."""
    return "; ".join(f"{text} ({cases})" for text, cases in cause.contexts)


#: The coverage table's count columns (``coverage_counts``).
COVERAGE_COLUMNS = ("cases", "models", "fields", "diverging", "divergences")


def coverage_counts(row: CoverageRow) -> tuple[int, ...]:
    """A probe class's counts, in ``COVERAGE_COLUMNS`` order."""
    return (row.cases, row.models, row.fields, row.diverging, row.divergences)


def by_target(row: CoverageRow) -> str:
    """The diverging cases of a probe class per target: ``orq-python 3, orq-node 1``."""
    return ", ".join(f"{target} {count}" for target, count in row.targets.items())


def _coverage(summary: Summary) -> list[str]:
    if not summary.coverage:
        return []
    shown = summary.coverage[:COVERAGE_SHOWN]
    names = [terminal_text(row.probe) for row in shown]
    width = max([len("probe class")] + [len(name) for name in names])
    lines = [
        "",
        "probe coverage (what each probe class ran on, and what it found):",
        f"  {'probe class':<{width}}  " + "  ".join(COVERAGE_COLUMNS),
    ]
    for name, row in zip(names, shown, strict=True):
        counts = "  ".join(
            f"{n:>{len(column)}}"
            for n, column in zip(coverage_counts(row), COVERAGE_COLUMNS, strict=True)
        )
        targets = f"  ({terminal_text(by_target(row))})" if row.targets else ""
        lines.append(f"  {name:<{width}}  {counts}{targets}")
    hidden = len(summary.coverage) - len(shown)
    if hidden > 0:
        lines.append(f"  ... and {hidden} more probe class(es)")
    return lines


def _vectors(summary: Summary) -> list[str]:
    if not summary.vectors:
        return []
    names = [terminal_text(t) for t in summary.vector_targets]
    shown = summary.vectors[:VECTORS_SHOWN]
    widths = [
        max([len(name)] + [len(terminal_text(v.statuses[n])) for v in shown])
        for n, name in enumerate(names)
    ]
    count = max([len("cases")] + [len(str(v.count)) for v in shown])
    lines = ["", "result vectors (cases by each target's status):"]
    head = "  ".join(f"{name:<{w}}" for name, w in zip(names, widths, strict=True))
    lines.append(f"  {'cases':>{count}}  {head}".rstrip())
    for vector in shown:
        row = "  ".join(
            f"{terminal_text(s):<{w}}" for s, w in zip(vector.statuses, widths, strict=True)
        )
        lines.append(f"  {vector.count:>{count}}  {row}  e.g. {terminal_text(vector.example)}")
    hidden = len(summary.vectors) - len(shown)
    if hidden > 0 or summary.other_vectors:
        more = sum(v.count for v in summary.vectors[VECTORS_SHOWN:]) + summary.other_vectors
        lines.append(f"  ... and {more} more case(s) in other vectors")
    return lines


def _sides(left: tuple[str, ...], right: tuple[str, ...]) -> str:
    return f"{', '.join(left)} vs {', '.join(right)}"


def render_pretty(summary: Summary, results: str | None = None, color: bool = False) -> str:
    """A summary for people: totals, targets, root-cause families, probe coverage, result
    vectors, top divergence groups, first failures, verdict."""

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    safe = terminal_text
    totals = summary.totals
    targets = len(summary.per_target)
    seconds = f" in {summary.footer.seconds:.2f} s" if summary.footer else ""
    lines = [
        f"conformance: {summary.cases} case(s) x {targets} target(s){seconds}",
        "  "
        + "  ".join(f"{status} {totals[status]}" for status in STATUSES)
        + f"  problems {totals.get('problems', 0)}  stale {totals.get('stale', 0)}",
    ]
    if summary.per_target:
        lines += ["", "targets:"]
        width = max(len(safe(name)) for name in summary.per_target)
        for name, counts in summary.per_target.items():
            lines.append(
                f"  {safe(name):<{width}}  "
                + safe("  ".join(f"{s} {n}" for s, n in counts.items()))
            )
    if summary.skipped:
        lines += ["", "skipped (each reason, most cases first):"]
        for name, first in summary.skipped.items():
            reasons = summary.skip_reasons.get(name) or ((first, 0),)
            for reason, count in reasons:
                cases = f" ({count} case{'s' if count != 1 else ''})" if count else ""
                lines.append(safe(f"  {name}: {reason}{cases}"))
    if summary.problems:
        lines += ["", "problems (case files that did not load, docs pages not fully read):"]
        lines += [safe(f"  {problem}") for problem in summary.problems]
    if summary.stale:
        lines += ["", "stale expected failures (listed, but they did not happen; fails the run):"]
        lines += [
            safe(
                f"  {s.case} {s.kind} {s.path} ({', '.join(s.targets) or 'any target'}): {s.reason}"
            )
            for s in summary.stale
        ]
    lines += _findings(summary, paint)
    lines += _coverage(summary)
    lines += _vectors(summary)
    if summary.groups:
        lines += ["", "divergence groups (path x kind x sides):"]
        for group in summary.groups[:GROUPS_SHOWN]:
            mark = {
                "fail": paint("FAIL", "31"),
                "expected": paint("xfail", "36"),
            }.get(group.severity, paint("note", "33"))
            lines.append(
                f"  {mark}  "
                + safe(
                    f"{group.pattern}  {group.kind}  {_sides(group.left, group.right)}"
                    + (f"  [{group.verdict_text}]" if group.verdict_text else "")
                    + f"  ({group.cases} case(s), e.g. {group.example}: {group.detail})"
                )
            )
        if len(summary.groups) > GROUPS_SHOWN:
            lines.append(f"  ... and {len(summary.groups) - GROUPS_SHOWN} more group(s)")
    shown = summary.failures[:FAILURES_SHOWN]
    if shown:
        lines += ["", "first failing results:"]
        for result in shown:
            lines.append(safe(f"  {result.case}  {result.target}  {result.status}"))
            if result.status == "error":
                lines.append(safe(f"      {result.outcome.error}"))
            for each in result.failing[:5]:
                lines.append(safe(f"      {each.kind} {path_text(each.path)}: {each.detail}"))
    verdict = "CONFORMANT" if summary.exit_code == 0 else "NOT CONFORMANT"
    if summary.interrupted:
        verdict = "INTERRUPTED (the results file holds every finished case; rerun with --resume)"
    painted = paint(verdict, "32" if summary.exit_code == 0 else "31")
    tail = f"  results: {safe(results)}" if results else ""
    lines += ["", f"verdict: {painted} (exit {summary.exit_code}){tail}"]
    # Lone surrogates (valid in JSON, not in UTF-8) from SDK errors are shown as escapes.
    return "\n".join(lines).encode("utf-8", "backslashreplace").decode("utf-8")


def render_json(summary: Summary, results: str | None = None) -> dict[str, Any]:
    """The same summary as a JSON-able object."""
    return {
        "cases": summary.cases,
        "totals": summary.totals,
        "targets": summary.per_target,
        "failing": summary.failing,
        "notes": summary.notes,
        "exit_code": summary.exit_code,
        "results": results,
        "groups": [
            {
                "pattern": g.pattern,
                "kind": g.kind,
                "left": list(g.left),
                "right": list(g.right),
                "severity": g.severity,
                "verdict": g.verdict,
                "verdict_text": g.verdict_text,
                "cases": g.cases,
                "example": g.example,
                "detail": g.detail,
            }
            for g in summary.groups
        ],
        "causes": [_cause_json(c) for c in group_causes(summary.findings)],
        "findings": [_finding_json(f) for f in failing_first(summary.findings)],
        "coverage": [
            {
                "probe": row.probe,
                "cases": row.cases,
                "models": row.models,
                "fields": row.fields,
                "diverging": row.diverging,
                "divergences": row.divergences,
                "targets": dict(row.targets),
            }
            for row in summary.coverage
        ],
        "vectors": {
            "targets": list(summary.vector_targets),
            "rows": [
                {"statuses": list(v.statuses), "cases": v.count, "example": v.example}
                for v in summary.vectors
            ],
            "other": summary.other_vectors,
        },
        "skipped": summary.skipped,
        "skip_reasons": {
            name: [{"reason": reason, "cases": count} for reason, count in reasons]
            for name, reasons in summary.skip_reasons.items()
        },
        "problems": [str(p) for p in summary.problems],
        "stale": [
            {
                "case": s.case,
                "kind": s.kind,
                "path": s.path,
                "targets": list(s.targets),
                "reason": s.reason,
            }
            for s in summary.stale
        ],
    }


def _cause_json(cause: Cause) -> dict[str, Any]:
    return {
        "id": cause.id,
        "sentence": cause.sentence,
        "severity": cause.severity,
        "subject": list(cause.subject),
        "expectation": list(cause.expectation),
        "behaviour": cause.behaviour,
        "field_types": list(cause.field_types),
        "cases": cause.cases,
        "models": cause.models,
        "paths": cause.paths,
        "exact": cause.exact,
        "models_exact": cause.models_exact,
        "contexts": [{"verdict": text, "cases": cases} for text, cases in cause.contexts],
        "families": list(cause.family_ids),
        "example": {
            "case": cause.example.case,
            "path": cause.example.path,
            "detail": cause.example.detail,
        },
    }


def _finding_json(family: FindingRecord) -> dict[str, Any]:
    return {
        "id": family.id,
        "sentence": family.sentence,
        "kind": family.kind,
        "severity": family.severity,
        "verdict": family.verdict,
        "odd": family.odd,
        "diverging": list(family.diverging),
        "expectation": list(family.expectation),
        "cases": family.cases,
        "models": family.models,
        "paths": list(family.paths),
        "more_paths": family.more_paths,
        "example": {
            "case": family.example.case,
            "path": family.example.path,
            "detail": family.example.detail,
        },
    }
