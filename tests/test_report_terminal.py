"""The terminal summary: strings from the results never reach the terminal as raw controls."""

from __future__ import annotations

import re

import pytest

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import result_records
from conformance.report.terminal import render_pretty, terminal_text
from conformance.results.records import (
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    StaleRecord,
    TargetInfo,
)
from conformance.results.summary import summarize
from conformance.sources.cases import Case

#: Characters a terminal acts on rather than shows: CSI and OSC sequences, C0 and C1
#: controls, DEL, the bidi embeddings, overrides and isolates, a lone surrogate.
HOSTILE = (
    "\x1b[2J\x1b[31m"
    "\x1b]0;title\x07"
    "\x00\x08\r\x0b\x0c\x7f\x85\x9b"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\ud800"
)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: What ``render_pretty`` itself paints with when asked for colour.
PAINT = re.compile(r"\x1b\[\d+m")


def hostile_records() -> list[Record]:
    """A run whose case id, targets, error, divergence, problem and stale entry are hostile."""
    h = HOSTILE
    sdk, other = f"sdk{h}", f"other{h}"
    targets = {sdk: "python", other: "typescript"}
    case = Case(f"case{h}", f"Model{h}", "response", jsonwire.loads('{"a": 1}'))
    outcomes = {
        sdk: Outcome("accepted", {f"key{h}": 2}, {f"key{h}": 2}),
        other: Outcome("error", error=f"crashed{h}\nsecond line\tafter a tab", stderr=h),
    }
    return [
        Header(
            "conformance",
            "test",
            "2026-01-01T00:00:00+00:00",
            tuple(TargetInfo(name, "sdk", convention) for name, convention in targets.items()),
        ),
        CaseRecord(case.id, case.model, case.direction, case.wire),
        *result_records(case, list(outcomes.items()), Policy(), None, targets),
        ProblemRecord(f"bad{h}", f"hint{h}", f"cases/{h}.json", 1, 1, "$", f"id{h}"),
        StaleRecord(f"stale{h}", "value", f"$.x{h}", f"reason{h}", (sdk,)),
        Footer({"pass": 0}, "2026-01-01T00:00:09+00:00", 9.0, 1),
    ]


@pytest.mark.parametrize("color", [False, True])
def test_no_raw_control_reaches_the_terminal(color: bool) -> None:
    """Every hostile string is escaped; with colour, the only ESC bytes are the summary's own."""
    text = render_pretty(summarize(hostile_records()), f"out/{HOSTILE}.ndjson", color=color)
    assert RAW.findall(PAINT.sub("", text)) == []
    for shown in ("case", "key", "sdk", "crashed", "bad", "stale", "reason", "out/"):
        assert shown + terminal_text(HOSTILE) in text, shown


def test_controls_are_shown_as_u_escapes() -> None:
    """ESC reads ``\\u001b``, a bidi override ``\\u202e``, a lone surrogate ``\\ud800``."""
    assert terminal_text("\x1b[2J") == "\\u001b[2J"
    assert terminal_text("a\u202eb\u2066c") == "a\\u202eb\\u2066c"
    assert terminal_text("\x9b\x7f\r\ud800") == "\\u009b\\u007f\\u000d\\ud800"


def test_line_feeds_tabs_and_ordinary_text_are_kept() -> None:
    """Newlines and tabs still format output; accents, CJK, emoji and RTL letters are unchanged."""
    ordinary = "café 名前 🚀 שלום\tcolumn\nnext line"
    assert terminal_text(ordinary) == ordinary
    assert terminal_text("windows\r\nline") == "windows\nline"


def test_a_multi_line_error_keeps_its_lines() -> None:
    """An error's own line breaks and tabs still reach the terminal as line breaks and tabs."""
    text = render_pretty(summarize(hostile_records()))
    assert "\nsecond line\tafter a tab" in text


def test_colour_still_paints_the_verdict() -> None:
    """Escaping the results does not touch the summary's own colours."""
    text = render_pretty(summarize(hostile_records()), color=True)
    assert "verdict: \x1b[31mNOT CONFORMANT\x1b[0m (exit 1)" in text
