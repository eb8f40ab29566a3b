"""The terminal summary of a run (pretty text) and its JSON twin.

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
from typing import Any

from conformance.core.divergence import path_text
from conformance.results.records import STATUSES
from conformance.results.summary import Summary

__all__ = ["render_json", "render_pretty", "terminal_text"]

GROUPS_SHOWN = 10
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


def _sides(left: tuple[str, ...], right: tuple[str, ...]) -> str:
    return f"{', '.join(left)} vs {', '.join(right)}"


def render_pretty(summary: Summary, results: str | None = None, color: bool = False) -> str:
    """A summary for people: totals, targets, top divergence groups, first failures, verdict."""

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
        lines += ["", "skipped (first reason per target):"]
        lines += [safe(f"  {name}: {reason}") for name, reason in summary.skipped.items()]
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
        "skipped": summary.skipped,
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
