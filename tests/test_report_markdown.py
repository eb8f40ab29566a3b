"""The Markdown summary: totals, targets, findings, vectors, groups, failures, link, size limit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Outcome
from conformance.engine.runner import result_records
from conformance.report.markdown import FINDINGS_SHOWN, md_code, md_text, render_markdown
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
from conformance.results.summary import Summary, summarize
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case
from tests.family_runs import as_expected, family_run, with_findings
from tests.probe_runs import probe_run

ROOT = Path(__file__).resolve().parent.parent
W = jsonwire.loads
#: Characters that must never reach the Markdown raw: C0 but tab and LF, DEL, C1, bidi
#: embeddings, overrides and isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: One of each kind of unsafe character.
CONTROLS = [
    pytest.param("\x00", id="nul"),
    pytest.param("\x07", id="bell"),
    pytest.param("\x0b", id="vertical-tab"),
    pytest.param("\x0c", id="form-feed"),
    pytest.param("\r", id="lone-cr"),
    pytest.param("\x1b", id="escape"),
    pytest.param("\x1f", id="unit-separator"),
    pytest.param("\x7f", id="del"),
    pytest.param("\x80", id="c1-first"),
    pytest.param("\x85", id="next-line"),
    pytest.param("\x9b", id="c1-csi"),
    pytest.param("\x9f", id="c1-last"),
    pytest.param("\u202a", id="lre"),
    pytest.param("\u202e", id="rlo"),
    pytest.param("\u2066", id="lri"),
    pytest.param("\u2069", id="pdi"),
    pytest.param("\udc80", id="lone-surrogate"),
]


def summary_of(*cases: tuple[Case, dict[str, Outcome]]) -> Summary:
    """The summary of these cases judged as `conformance run` would."""
    records: list[Record] = []
    for case, outcomes in cases:
        records.append(CaseRecord(case.id, case.model, case.direction, case.wire))
        records += result_records(case, list(outcomes.items()), Policy())
    return summarize(records)


def sample() -> Summary:
    """Two targets, one case diverging on a big integer and one errored."""
    return summary_of(
        (
            Case("tokens", "Usage", "response", W('{"big":9007199254740993}')),
            {
                "orq-python": Outcome("accepted", W('{"big":9007199254740993}')),
                "orq-node": Outcome("accepted", W('{"big":9007199254740992}')),
            },
        ),
        (
            Case("crash", "Usage", "response", W("{}")),
            {
                "orq-python": Outcome("accepted", W("{}")),
                "orq-node": Outcome("error", error="harness crashed"),
            },
        ),
    )


def test_verdict_and_totals_come_first() -> None:
    """The heading says the verdict and exit code; the next paragraph the totals."""
    lines = render_markdown(sample()).splitlines()
    assert lines[0] == "## conformance: \u274c NOT CONFORMANT (exit 1)"
    assert lines[2].startswith(
        "**2** case(s) \u00d7 **2** target(s): pass **2** \u00b7 diverge **1**"
    )
    assert "error **1**" in lines[2]
    assert "stale expected failures **0**" in lines[2]


def test_per_target_table() -> None:
    """Each target has a row of counts per status."""
    text = render_markdown(sample())
    header = "| target | " + " | ".join(STATUSES) + " |"
    row = (
        "| orq-node | "
        + " | ".join({"diverge": "1", "error": "1"}.get(s, "0") for s in STATUSES)
        + " |"
    )
    assert header in text
    assert row in text


def test_top_groups_name_path_kind_sides_and_count() -> None:
    """A divergence group shows its path pattern, kind, sides, case count and an example."""
    text = render_markdown(sample())
    assert (
        "| **FAIL** | `$.big` | value | input vs orq-node | 1 | "
        "`tokens`: `9007199254740993 vs 9007199254740992` |"
    ) in text


def test_failing_results_are_listed() -> None:
    """The first failing results name the case, target, status and first divergences or error."""
    text = render_markdown(sample())
    assert (
        "| `tokens` | orq-node | diverge | value `$.big`: `9007199254740993 vs 9007199254740992` |"
        in text
    )
    assert "| `crash` | orq-node | error | harness crashed |" in text


def test_links_the_html_report() -> None:
    """Given the HTML report's location, the summary links to it."""
    assert "Full report: [index.html](index.html)" in render_markdown(sample(), "index.html")


def test_never_links_a_script_url() -> None:
    """A ``javascript:`` report location is shown but not linked."""
    assert "](#)" in render_markdown(sample(), "javascript:alert(1)")


def test_conformant_run_says_so() -> None:
    """A run where everything passes gets a check mark and no failure sections."""
    text = render_markdown(
        summary_of(
            (Case("ok", "Usage", "response", W("{}")), {"orq-python": Outcome("accepted", W("{}"))})
        )
    )
    assert text.startswith("## conformance: \u2705 CONFORMANT (exit 0)")
    assert "First failing results" not in text
    assert "divergence groups" not in text


def test_stays_under_the_limit_and_says_what_it_left_out() -> None:
    """A huge run is cut at the size limit with a note naming what was left out."""
    records: list[Record] = []
    for n in range(400):
        divergence = Divergence(
            (f"field_{n}_" + "x" * 150,),
            "value",
            Side(("input",), 1),
            Side(("t",), 2),
            detail="1 vs 2",
        )
        records.append(CaseRecord(f"case-{n}", "M", "response", {}))
        records.append(
            ResultRecord(f"case-{n}", "t", "diverge", Outcome("accepted", {}), (divergence,))
        )
    text = render_markdown(summarize(records), "index.html", limit=3_000)
    assert len(text) <= 3_000
    assert (
        text.rstrip()
        .splitlines()[-1]
        .startswith("_Truncated to stay under 3,000 characters: left out")
    )


def test_stale_expected_failures_are_listed() -> None:
    """Expected failures that did not happen get a table of their own."""
    records: list[Record] = [
        StaleRecord("big-*", "value", "$.big", "fixed upstream", ("orq-node",))
    ]
    text = render_markdown(summarize(records))
    assert "### Stale expected failures (1)" in text
    assert "| `big-*` | value | `$.big` | orq-node | fixed upstream |" in text


def test_plain_text_cannot_inject_markup() -> None:
    """Markup, pipes and line breaks in data become inert text on one line."""
    assert md_text("<script>a|b</script>\n*x*") == "&lt;script\\>a\\|b&lt;/script\\> \\*x\\*"


def test_code_span_fence_outlasts_backticks_inside() -> None:
    """A code span's fence outlasts any backtick run inside; pipes cannot split a cell."""
    assert md_code("a``b|c") == "```a``b\\|c```"


def test_hostile_target_keeps_table_rows_intact() -> None:
    """A target name with pipes and newlines stays within one table cell."""
    hostile = "a|b\n| c |"
    text = render_markdown(
        summary_of(
            (Case("x", "M", "response", W("{}")), {hostile: Outcome("error", error="<b>x</b>")})
        )
    )
    row = next(line for line in text.splitlines() if line.startswith("| a"))
    assert len(re.findall(r"(?<!\\)\|", row)) == len(STATUSES) + 2
    assert "<b>" not in text


def test_report_command_writes_markdown_linking_the_html(tmp_path: Path) -> None:
    """`conformance report --markdown --html` links the HTML by a path relative to the summary."""
    results = tmp_path / "results.ndjson"
    with ResultsWriter(results) as writer:
        writer.write(Header("conformance", "test", "t", (TargetInfo("t", "sdk"),)))
        writer.write(CaseRecord("ok", "Usage", "response", {}))
        writer.write(ResultRecord("ok", "t", "pass", Outcome("accepted", {})))
        writer.write(Footer(dict.fromkeys(STATUSES, 0) | {"pass": 1}, "t", 1.0, 0))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "report",
            str(results),
            "--markdown",
            str(tmp_path / "summary.md"),
            "--html",
            str(tmp_path / "site" / "index.html"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "[site/index.html](site/index.html)" in (tmp_path / "summary.md").read_text()


@pytest.mark.parametrize("char", CONTROLS)
def test_control_in_plain_text_is_shown_as_an_escape_in_a_code_span(char: str) -> None:
    """A control or bidi character in plain text becomes a visible ``\\uXXXX`` code span."""
    assert md_text(f"a{char}b") == f"a`\\u{ord(char):04x}`b"


@pytest.mark.parametrize("char", CONTROLS)
def test_control_in_a_code_span_is_shown_as_an_escape(char: str) -> None:
    """A control or bidi character inside a code span becomes a visible ``\\uXXXX`` escape."""
    assert md_code(f"a{char}b") == f"`a\\u{ord(char):04x}b`"


def test_ordinary_text_is_unchanged() -> None:
    """Letters, accents, symbols and spaces pass as they are; tabs and line breaks become spaces."""
    text = "caf\u00e9 na\u00efve \u2014 \u2713 \u65e5\u672c x \u200d"
    assert md_text(text) == text
    assert md_code(text) == f"`{text}`"
    assert md_text("a\tb\r\nc\nd") == "a b c d"
    assert md_code("a\tb\r\nc\nd") == "`a b c d`"


def test_no_control_from_results_reaches_the_report() -> None:
    """Controls in case ids, targets, errors, details, problems and stale reasons arrive escaped."""
    esc, rlo = "\x1b[31m", "\u202e"
    divergence = Divergence(
        (f"f{esc}",), "value", Side(("input",), 1), Side(("t",), 2), detail=f"1 vs 2{rlo}"
    )
    records: list[Record] = [
        CaseRecord(f"case{esc}", "M", "response", {}),
        ResultRecord(f"case{esc}", f"t{rlo}", "diverge", Outcome("accepted", {}), (divergence,)),
        CaseRecord(f"crash{rlo}", "M", "response", {}),
        ResultRecord(
            f"crash{rlo}", "t", "error", Outcome("error", error=f"boom{esc}\x00\udc80\x9b")
        ),
        ProblemRecord(f"bad file{esc}", file=f"cases{rlo}.json"),
        StaleRecord(f"old{esc}", "value", f"$.x{rlo}", f"fixed{esc}", (f"t{rlo}",)),
    ]
    text = render_markdown(
        summarize(with_findings(records)), f"report{esc}.html", sources=[f"r{rlo}.ndjson"]
    )
    assert "### Findings (causes)" in text
    assert UNSAFE.findall(text) == []
    assert "`case\\u001b[31m`" in text
    assert "boom`\\u001b`\\[31m`\\u0000\\udc80\\u009b`" in text
    assert "t`\\u202e`" in text
    assert "](report%1B[31m.html)" in text
    text.encode("utf-8")  # no lone surrogate left: the summary encodes strictly


def test_findings_table_comes_before_the_groups() -> None:
    """Each cause is a row: severity, counts, its sentence and its example case and path;
    its families follow in a collapsed block, each a row with its own sentence."""
    text = render_markdown(summarize(family_run()))
    assert text.index("### Findings (causes)") < text.index("### Top divergence groups")
    assert "|  | cases | models | paths | cause | example |" in text
    assert (
        "| **FAIL** | 3 | 2 | 1 | orq-python rounds numbers to the nearest float64"
        " | `big-0` at `$.big` |"
    ) in text
    block = text.index(
        "<details><summary>orq-python rounds numbers to the nearest float64: 1 family</summary>"
    )
    assert block < text.index(
        " | 3 | 2 | 1 | orq-python turns integer beyond 2^53 into the nearest float64;"
        " orq-python alone against the other SDKs | `big-0` at `$.big` |"
    )


def test_expected_families_are_listed_after_failing_ones() -> None:
    """A cause of expected failures is marked as such, below the failing causes."""
    records = [
        as_expected(r) if isinstance(r, FindingRecord) and r.cases == 3 else r for r in family_run()
    ]
    text = render_markdown(summarize(records))
    table = text[text.index("### Findings (causes)") : text.index("<details>")]
    rows = [line for line in table.splitlines() if " at `$." in line]
    assert [row.split(" | ")[0] for row in rows] == ["| **FAIL**", "| expected"]


def test_result_vectors_table() -> None:
    """Cases per result vector: a count, each target's status and an example case."""
    text = render_markdown(summarize(family_run()))
    assert "| cases | orq-python | orq-node | reference-python | example |" in text
    assert "| 4 | diverge | pass | pass | `big-0` |" in text
    assert "| 1 | pass | skipped | pass | `ok` |" in text


def test_findings_stop_at_the_size_limit_and_say_so() -> None:
    """Causes past the size budget are left out, and the note says how many."""
    (first, *_) = [r for r in family_run() if isinstance(r, FindingRecord)]
    # Classes the cause vocabulary does not know: each family is a cause of its own.
    many = [
        evolve(first, id=f"F{n}", input_class=f"{n}" + "s" * 250, output_class="o")
        for n in range(FINDINGS_SHOWN)
    ]
    text = render_markdown(summarize(many), limit=3_000)
    assert len(text) <= 3_000
    assert f"of {FINDINGS_SHOWN} causes" in text.splitlines()[-1]


def test_family_text_is_escaped() -> None:
    """Markup and pipes in a family's sentence, case id and path stay inert in one cell."""
    (first, *_) = [r for r in family_run() if isinstance(r, FindingRecord)]
    example = evolve(first.example, case="a|`b", path="$.x|<y>")
    family = evolve(first, sentence="<img src=x>|*bold*\nnext", example=example)
    text = render_markdown(summarize([family]))
    assert "| &lt;img src=x\\>\\|\\*bold\\* next | ``a\\|`b`` at `$.x\\|<y>` |" in text


def test_probe_coverage_table() -> None:
    """A run with probe cases has a coverage table, one row per probe class, after the findings."""
    text = render_markdown(summarize(probe_run()))
    assert text.index("### Findings") < text.index("### Probe coverage") < text.index("### Result")
    assert (
        "| probe class | cases | models | fields | diverging | divergences | diverging by target |"
    ) in text
    assert "| `numbers.2^53+1` | 2 | 2 | 2 | 2 | 2 | orq-python 2 |" in text
    assert "| `presence.optional-absent` | 1 | 1 | 1 | 0 | 0 |  |" in text


def test_a_run_without_probes_has_no_coverage_table() -> None:
    """Without probe cases there is no coverage section."""
    assert "Probe coverage" not in render_markdown(summarize(family_run()))


def test_probe_class_cannot_split_the_table_row() -> None:
    """A pipe or backtick in a probe class name stays inside its cell."""
    text = render_markdown(summarize(probe_run("a|`b")))
    assert "| ``a\\|`b`` | 2 | 2 | 2 | 2 | 2 | orq-python 2 |" in text
