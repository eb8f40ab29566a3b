"""The terminal summary: findings and result vectors first; no raw control reaches the terminal."""

from __future__ import annotations

import re

import pytest
from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import result_records
from conformance.report.terminal import (
    FINDINGS_SHOWN,
    render_json,
    render_pretty,
    terminal_text,
)
from conformance.results.records import (
    CaseRecord,
    FindingRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    StaleRecord,
    TargetInfo,
)
from conformance.results.summary import summarize
from conformance.sources.cases import Case
from tests.family_runs import as_expected, family_run
from tests.probe_runs import probe_run

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


def _findings_line(lines: list[str]) -> int:
    """Where the findings section starts."""
    return next(n for n, line in enumerate(lines) if line.startswith("findings: "))


def findings_of(records: list[Record]) -> list[FindingRecord]:
    """The finding records of a run."""
    return [r for r in records if isinstance(r, FindingRecord)]


def test_findings_come_first_with_counts_and_an_example() -> None:
    """Each cause is a line of counts and its sentence, where the others stood, then its
    example, before the groups."""
    lines = render_pretty(summarize(family_run())).splitlines()
    start = lines.index(
        "findings: 2 cause(s) over 2 root-cause families (`conformance findings` lists the"
        " families):"
    )
    assert start < lines.index("divergence groups (path x kind x sides):")
    assert lines[start + 1 : start + 7] == [
        "  FAIL  3 case(s), 2 model(s), 1 path(s), 1 family  orq-python rounds numbers to"
        " the nearest float64",
        "        orq-python alone against the other SDKs (3)",
        "        e.g. big-0 at $.big: 9007199254740993 vs 9007199254740992",
        "  FAIL  1 case(s), 1 model(s), 1 path(s), 1 family  orq-python drops integer",
        "        orq-python alone against the other SDKs (1)",
        "        e.g. unknown at $.surprise: 1 vs (absent)",
    ]


def test_a_cause_of_several_families_shows_its_counts_as_bounds() -> None:
    """Counts added up over several families say ``up to``: a case may be in two of them."""
    (first, *_) = findings_of(family_run())
    other = evolve(first, id="Fother", field_type="union", cases=2)
    text = render_pretty(summarize([first, other]))
    assert (
        "up to 5 case(s), 2 model(s), up to 2 path(s), 2 families  orq-python rounds numbers"
        " to the nearest float64, in union fields"
    ) in text


def test_expected_families_follow_the_failing_ones() -> None:
    """A family of expected failures shows as EXPECTED after every failing family."""
    records = [
        as_expected(r) if isinstance(r, FindingRecord) and r.cases == 3 else r for r in family_run()
    ]
    marks = [
        line.split()[0]
        for line in render_pretty(summarize(records)).splitlines()
        if "case(s), " in line and "model(s)" in line
    ]
    assert marks == ["FAIL", "EXPECTED"]


@pytest.mark.parametrize("extra", [1, 5])
def test_causes_past_the_limit_are_counted(extra: int) -> None:
    """Past ``FINDINGS_SHOWN`` causes the summary says how many more there are."""
    (first, *_) = findings_of(family_run())
    # Classes the cause vocabulary does not know: each family is a cause of its own.
    many = [
        evolve(first, id=f"F{n:03d}", input_class=f"class {n}", output_class=f"other {n}")
        for n in range(FINDINGS_SHOWN + extra)
    ]
    text = render_pretty(summarize(many))
    assert text.count("  e.g. big-0 at $.big") == FINDINGS_SHOWN
    assert f"  ... and {extra} more cause(s)" in text


def test_result_vectors_follow_the_findings() -> None:
    """Cases are counted per result vector under the targets' names, with an example each."""
    lines = render_pretty(summarize(family_run())).splitlines()
    start = lines.index("result vectors (cases by each target's status):")
    assert start > _findings_line(lines)
    assert lines[start + 1 : start + 4] == [
        "  cases  orq-python  orq-node  reference-python",
        "      4  diverge     pass      pass              e.g. big-0",
        "      1  pass        skipped   pass              e.g. ok",
    ]


def test_json_lists_findings_and_vectors() -> None:
    """The JSON summary carries every family with its example, and the result vectors."""
    out = render_json(summarize(family_run()))
    first = out["findings"][0]
    assert {k: first[k] for k in ("severity", "cases", "models", "paths", "more_paths")} == {
        "severity": "fail",
        "cases": 3,
        "models": 2,
        "paths": ["$.big"],
        "more_paths": 0,
    }
    assert first["diverging"] == ["orq-python"]
    assert first["example"] == {
        "case": "big-0",
        "path": "$.big",
        "detail": "9007199254740993 vs 9007199254740992",
    }
    assert out["vectors"] == {
        "targets": ["orq-python", "orq-node", "reference-python"],
        "rows": [
            {"statuses": ["diverge", "pass", "pass"], "cases": 4, "example": "big-0"},
            {"statuses": ["pass", "skipped", "pass"], "cases": 1, "example": "ok"},
        ],
        "other": 0,
    }


def test_hostile_family_text_is_escaped() -> None:
    """A cause's targets and classes, example case, path and detail reach the terminal
    escaped."""
    (first, *_) = findings_of(family_run())
    h = HOSTILE
    example = evolve(first.example, case=f"c{h}", path=f"$.p{h}", detail=f"d{h}")
    family = evolve(
        first, diverging=(f"t{h}",), input_class=f"s{h}", output_class=f"o{h}", example=example
    )
    text = render_pretty(summarize([family]))
    assert RAW.findall(text) == []
    for shown in ("t", "s", "o", "c", "$.p", "d"):
        assert shown + terminal_text(h) in text, shown


def test_probe_coverage_follows_the_findings() -> None:
    """A run with probe cases has a coverage row per probe class after the findings."""
    lines = render_pretty(summarize(probe_run())).splitlines()
    start = lines.index("probe coverage (what each probe class ran on, and what it found):")
    assert _findings_line(lines) < start
    assert start < lines.index("result vectors (cases by each target's status):")
    assert lines[start + 1 : start + 4] == [
        "  probe class               cases  models  fields  diverging  divergences",
        "  numbers.2^53+1                2       2       2          2            2  (orq-python 2)",
        "  presence.optional-absent      1       1       1          0            0",
    ]


def test_a_run_without_probes_has_no_coverage_table() -> None:
    """Without probe cases the summary shows no coverage table and the JSON an empty list."""
    summary = summarize(family_run())
    assert "probe coverage" not in render_pretty(summary)
    assert render_json(summary)["coverage"] == []


def test_json_lists_the_probe_coverage() -> None:
    """The JSON summary carries every coverage row."""
    assert render_json(summarize(probe_run()))["coverage"] == [
        {
            "probe": "numbers.2^53+1",
            "cases": 2,
            "models": 2,
            "fields": 2,
            "diverging": 2,
            "divergences": 2,
            "targets": {"orq-python": 2},
        },
        {
            "probe": "presence.optional-absent",
            "cases": 1,
            "models": 1,
            "fields": 1,
            "diverging": 0,
            "divergences": 0,
            "targets": {},
        },
    ]


def test_hostile_probe_class_is_escaped() -> None:
    """A control character in a probe class name reaches the terminal as an escape."""
    text = render_pretty(summarize(probe_run(f"numbers.{HOSTILE}")))
    assert not RAW.search(text)
    assert "numbers.\\u001b[2J" in text


def _skipping_run(reasons: list[str]) -> list[Record]:
    """A run of one target that skips one case per reason given."""
    records: list[Record] = [Header("conformance", "0", "t0", (TargetInfo("sdk", "sdk"),))]
    for number, reason in enumerate(reasons):
        case = Case(f"c{number}", "M", "response", jsonwire.loads('{"a": 1}'))
        records.append(CaseRecord(case.id, case.model, case.direction, case.wire))
        outcome = Outcome("skipped", error=reason)
        records.extend(result_records(case, [("sdk", outcome)], Policy()))
    return records


def test_every_skip_reason_of_a_target_is_listed_with_its_cases() -> None:
    """Two reasons of one target both show, most cases first, in text and in JSON; reasons
    past the fifth are counted together."""
    reasons = ["no writer"] * 3 + ["model M not found"] * 2 + [f"odd {n}" for n in range(6)]
    summary = summarize(_skipping_run(reasons))
    text = render_pretty(summary)
    assert "  sdk: no writer (3 cases)\n  sdk: model M not found (2 cases)" in text
    assert "  sdk: (other reasons) (3 cases)" in text
    document = render_json(summary)
    assert document["skip_reasons"]["sdk"][:2] == [
        {"reason": "no writer", "cases": 3},
        {"reason": "model M not found", "cases": 2},
    ]
    assert sum(r["cases"] for r in document["skip_reasons"]["sdk"]) == len(reasons)
