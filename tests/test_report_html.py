"""The HTML report as text: summary, findings, vectors, self-containment, escaping, details, CLI."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.conventions import CONVENTIONS
from conformance.core.outcome import Implementation, Outcome
from conformance.engine.runner import result_records
from conformance.report.html import CHUNK, render_html, script_json
from conformance.report.outputs import Outputs, write_atomic
from conformance.results.complete import read_complete
from conformance.results.copies import renamed
from conformance.results.records import (
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
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case
from tests.family_runs import family_run, with_findings
from tests.probe_runs import probe_run

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"orq-python": "python", "orq-node": "typescript"}
W = jsonwire.loads


def records_of(
    cases: Iterable[tuple[Case, Mapping[str, Outcome]]], targets: Mapping[str, str] = TARGETS
) -> list[Record]:
    """The records `conformance run` writes for these cases and outcomes."""
    out: list[Record] = [
        Header(
            "conformance",
            "test",
            "2026-01-01T00:00:00+00:00",
            tuple(
                TargetInfo(n, "sdk", c, Implementation(n, c, f"{n}-sdk", "1.0"))
                for n, c in targets.items()
            ),
        )
    ]
    for case, outcomes in cases:
        out.append(CaseRecord(case.id, case.model, case.direction, case.wire, case.valid))
        out += result_records(
            case, [(t, outcomes[t]) for t in targets], Policy(), None, dict(targets)
        )
    out.append(
        Footer(
            {"pass": 0, "diverge": 0, "error": 0, "skipped": 0}, "2026-01-01T00:01:00+00:00", 1.5, 1
        )
    )
    return out


def echo(wire: str, native: str | None = None) -> Outcome:
    """An outcome that accepted the payload and wrote ``wire`` back."""
    return Outcome("accepted", W(wire), W(native if native is not None else wire))


def sample() -> list[Record]:
    """One passing case, one diverging on number tokens and a big integer, one errored."""
    return records_of(
        [
            (
                Case("ok", "Usage", "response", W('{"prompt_tokens":1}')),
                {
                    "orq-python": echo('{"prompt_tokens":1}'),
                    "orq-node": echo('{"prompt_tokens":1}', '{"promptTokens":1}'),
                },
            ),
            *sample_cases(),
        ]
    )


def write(path: Path, records: Iterable[Record]) -> Path:
    """Write records to an NDJSON results file."""
    with ResultsWriter(path) as writer:
        writer.write_all(records)
    return path


def outside_data(page: str) -> str:
    """The page without its JSON data blocks and its script."""
    return re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)


def details(page: str) -> list[dict[str, Any]]:
    """Every case's details, inflated from the page's compressed chunks."""
    block = re.search(r'id="conformance-details">(.*?)</script>', page, re.S)
    assert block is not None
    out: list[dict[str, Any]] = []
    for chunk in json.loads(block.group(1)):
        # The cases' details, the names of renamed native views, then the payload texts, a
        # line each (report.js's ``parseChunk``).
        lines = gzip.decompress(base64.b64decode(chunk)).decode("ascii").split("\n")
        first, names, *texts = lines
        for case in json.loads(first):
            case["texts"], texts = texts[: case["texts"]], texts[case["texts"] :]
            case["names"] = json.loads(names)
            out.append(case)
    return out


def index(page: str) -> dict[str, Any]:
    """The page's case index."""
    block = re.search(r'id="conformance-index">(.*?)</script>', page, re.S)
    assert block is not None
    loaded: dict[str, Any] = json.loads(block.group(1))
    return loaded


def test_summary_is_server_rendered() -> None:
    """Verdict, totals, targets, matrix and groups are in the HTML itself, not built by script."""
    text = re.sub(r"<[^>]+>", " ", outside_data(render_html(sample())))
    text = " ".join(text.split())
    for expected in (
        "NOT CONFORMANT",
        "3 cases",
        "6 results",
        "orq-node",
        "typescript (camelCase)",
        "Usage",
        "Completion",
        "$.big",
        "9007199254740993 vs 9007199254740992",
        "harness crashed",
    ):
        assert expected in text


def test_matrix_counts_each_status_per_model_and_target() -> None:
    """The models x targets matrix links each count to the cases it counts."""
    page = render_html(sample())
    assert 'href="#model=Usage&amp;target=orq-node&amp;status=diverge">1 diverge</a>' in page
    assert 'href="#model=Completion&amp;target=orq-node&amp;status=error">1 error</a>' in page


def test_matrix_has_a_column_for_a_new_status() -> None:
    """A status the renderer does not know yet gets its own counts and filter value."""
    records = sample()
    result = next(r for r in records if isinstance(r, ResultRecord) and r.case == "tokens")
    records[records.index(result)] = ResultRecord(
        result.case, result.target, "flaky", result.outcome, result.divergences
    )
    page = render_html(records)
    assert 'status=flaky">1 flaky</a>' in page
    assert index(page)["statuses"][-1] == "flaky"


def test_expected_failures_count_as_their_own_status() -> None:
    """A result whose divergences are all listed as expected counts as "expected"."""
    records = sample()
    result = next(r for r in records if isinstance(r, ResultRecord) and r.status == "diverge")
    excused = tuple(d.with_severity("expected", "JSON.parse rounds") for d in result.divergences)
    records[records.index(result)] = evolve(result, status="expected", divergences=excused)
    page = render_html(records)
    assert 'status=expected">1 expected</a>' in page
    assert '<span class="sev sev-expected">expected</span>' in page


def test_stale_expected_failures_are_listed() -> None:
    """A stale expected failure is listed; a web link is linked, any other link is text."""
    records = sample()
    records[-1:-1] = [
        StaleRecord(
            "big-*", "value", "$.big", "fixed?", ("orq-node",), "https://example.invalid/1"
        ),
        StaleRecord("x", "missing", "$.a", "typo", (), "javascript:alert(1)"),
    ]
    page = outside_data(render_html(records))
    assert "Stale expected failures (2)" in page
    assert '(<a href="https://example.invalid/1" rel="noreferrer noopener">' in page
    assert "typo (javascript:alert(1))" in page


def test_page_requests_nothing_from_the_network() -> None:
    """No external script, style, font or image, and a policy that forbids fetching any."""
    page = render_html(sample())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert "<link" not in page
    assert "default-src &#39;none&#39;" in page


def test_policy_allows_exactly_the_inline_script_and_style() -> None:
    """The Content-Security-Policy hashes match the page's own script and style."""
    page = render_html(sample())
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script is not None
    assert style is not None

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src &#39;sha256-{digest(script.group(1))}&#39;" in page
    assert f"style-src &#39;sha256-{digest(style.group(1))}&#39;" in page


def test_script_json_cannot_close_its_block() -> None:
    """``</script>``, ``<!--``, ``&``, U+2028/U+2029 are escaped; the JSON means the same."""
    value = {"</script><script>x()</script>": ["<!--", "&amp;", "\u2028\u2029", "]]>"]}
    text = str(script_json(value))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_hostile_names_are_escaped_in_the_summary() -> None:
    """Markup in case ids, model and target names shows as text in the server-rendered summary."""
    hostile = "<img src=x onerror=alert(1)>"
    records = records_of(
        [(Case(hostile, hostile, "response", W('{"a":1}')), {hostile: echo('{"a":2}')})],
        {hostile: "python"},
    )
    page = outside_data(render_html(with_findings(records)))
    assert '<table class="findings"' in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


#: Bidi embeddings, overrides and isolates, and the other controls a page should not act on.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROLS = "\x1b[2J\x07\x7f\x85"
SHOWN_BIDI = "".join(f"\\u{ord(c):04x}" for c in BIDI)


def bidi_records() -> list[Record]:
    """A case whose id, model, target, key, value, error, stderr and problem hold controls."""
    odd = f"x{BIDI}{CONTROLS}y"
    wire = jsonwire.dumps({odd: odd})
    records = records_of(
        [
            (
                Case(f"id-{odd}", f"Model-{odd}", "response", W(wire)),
                {
                    f"sdk-{odd}": Outcome("error", error=f"error-{odd}", stderr=f"stderr-{odd}"),
                    "plain": echo(jsonwire.dumps({odd: "changed"})),
                },
            )
        ],
        {f"sdk-{odd}": "python", "plain": "typescript"},
    )
    records.insert(1, ProblemRecord(f"problem-{odd}", f"hint-{odd}", "cases/a.json", 1, 1))
    return with_findings(records)


def test_bidi_and_control_characters_are_escaped_in_the_summary() -> None:
    """Bidi controls and other controls in ids, names, errors and problems show as escapes."""
    page = outside_data(render_html(bidi_records()))
    assert not set(page) & set(BIDI + CONTROLS.replace("[2J", ""))
    for shown in ("id-", "Model-", "sdk-", "problem-", "error-"):
        # (a failure's text is the error's first line: U+0085 is a line break)
        assert f"{shown}x{SHOWN_BIDI}\\u001b[2J\\u0007\\u007f" in page, shown


def test_summary_text_keeps_line_breaks_and_ordinary_text() -> None:
    """Escaping leaves newlines, tabs, accents, CJK, emoji and right-to-left letters alone."""
    ordinary = "café 名前 🚀 שלום\tcolumn\nnext"
    records = records_of([(Case(ordinary, "M", "response", W("1")), {"a": echo("2")})], {"a": "x"})
    records.insert(1, ProblemRecord(ordinary))
    page = outside_data(render_html(records))
    assert f"<pre>{ordinary}" in page


@pytest.mark.browser
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and os.environ.get("CI") != "true",
    reason="needs Debian's Chromium at /usr/bin/chromium (`nox -s tests` installs it as root)",
)
def test_case_browser_shows_bidi_and_control_characters_as_escapes(tmp_path: Path) -> None:
    """The opened case (ids, keys, values, errors, stderr, tooltips) shows no raw bidi control."""
    from playwright.sync_api import sync_playwright

    report = tmp_path / "index.html"
    report.write_text(render_html(bidi_records()), encoding="utf-8")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(report.as_uri())
            page.wait_for_selector("html[data-ready]", state="attached")
            page.locator(".case-head").first.click()
            page.wait_for_selector(".case[data-loaded]")
            page.locator("details.stderr").evaluate_all("els => els.forEach(e => e.open = true)")
            text: str = page.evaluate(
                "() => document.body.innerText + [...document.querySelectorAll('[title]')]"
                ".map(e => e.title).join(' ')"
            )
        finally:
            browser.close()
    assert errors == []
    assert not set(text) & set(BIDI + CONTROLS.replace("[2J", ""))
    for shown in ("id-x", "sdk-x", "error-x", "stderr-x", '"x'):  # '"x': a key and a value
        assert f"{shown}{SHOWN_BIDI}\\u001b[2J" in text, shown


def test_details_keep_exact_number_tokens() -> None:
    """Payloads travel as JSON text, so ``0.0`` and ``9007199254740993`` stay as written."""
    (_, tokens, _) = details(render_html(sample()))
    texts = tokens["texts"]
    assert texts[tokens["wire"]] == '{"total":0.0,"big":9007199254740993}'
    node = next(r for r in tokens["results"] if r["target"] == "orq-node")
    assert texts[node["wire"]] == '{"total":0,"big":9007199254740992}'


def test_outputs_equal_to_the_input_are_stored_once() -> None:
    """An output that repeats the input points at the input's text instead of copying it."""
    (ok, _, _) = details(render_html(sample()))
    assert [r["wire"] for r in ok["results"]] == [ok["wire"], ok["wire"]]
    assert len(ok["texts"]) == 2  # the payload and the camelCase native view


def test_a_target_that_wrote_nothing_back_has_no_wire_text() -> None:
    """A read-only model's result shows no written wire (not ``null``); its native view stays."""
    unwritten = Outcome("accepted", None, W('{"prompt_tokens":1}'), written=False)
    records = records_of(
        [
            (
                Case("read", "Usage", "response", W('{"prompt_tokens":1}')),
                {"orq-python": echo('{"prompt_tokens":1}'), "orq-node": unwritten},
            )
        ]
    )
    [case] = details(render_html(records))
    python, node = case["results"]
    assert python["wire"] == case["wire"]
    assert node["wire"] is None
    assert node["native"] is not None


def test_divergences_carry_both_sides_as_exact_text() -> None:
    """Each divergence keeps its path, kind, severity and both sides' values as JSON text."""
    (_, tokens, _) = details(render_html(sample()))
    node = next(r for r in tokens["results"] if r["target"] == "orq-node")
    assert ["big"] in [d[0] for d in node["divergences"]]
    big = next(d for d in node["divergences"] if d[0] == ["big"])
    assert big[1:7] == [
        "value",
        "fail",
        ["input"],
        "9007199254740993",
        ["orq-node"],
        "9007199254740992",
    ]


def test_index_lists_the_worst_cases_first() -> None:
    """Cases with errors come first, then divergences, then passes."""
    assert [row[0] for row in index(render_html(sample()))["cases"]] == ["crash", "tokens", "ok"]


def test_details_are_split_into_chunks() -> None:
    """A run larger than one chunk spreads over several; the index says where each case is."""
    cases = [
        (
            Case(f"c{n}", "Usage", "response", W(f'{{"n":{n}}}')),
            {t: echo(f'{{"n":{n}}}') for t in TARGETS},
        )
        for n in range(CHUNK + 5)
    ]
    page = render_html(records_of(cases))
    rows = index(page)["cases"]
    assert {row[2] for row in rows} == {0, 1}
    found = details(page)
    assert all(found[row[2] * CHUNK + row[3]]["id"] == row[0] for row in rows)


def test_merged_shards_count_every_case() -> None:
    """Two results files (CI shards) render as one report of both."""
    first, second = (
        sample(),
        records_of(
            [(Case("more", "Usage", "response", W("{}")), {t: echo("{}") for t in TARGETS})]
        ),
    )
    page = render_html(first + second, ["shard1.ndjson", "shard2.ndjson"])
    assert len(index(page)["cases"]) == 4
    assert "shard1.ndjson, shard2.ndjson (2 files merged)" in page


def test_problems_are_listed() -> None:
    """Cases that did not load show with their file, line and hint."""
    records = sample()
    records.insert(1, ProblemRecord("duplicate case id 'x'", "rename one", "cases/a.json", 7, 3))
    page = outside_data(render_html(records))
    assert "Cases that did not load (1)" in page
    assert "cases/a.json:7:3: duplicate case id &#39;x&#39;" in page


def test_rendering_is_deterministic() -> None:
    """The same records render to the same bytes (compressed chunks included)."""
    assert render_html(sample()) == render_html(sample())


def test_write_atomic_leaves_only_the_file(tmp_path: Path) -> None:
    """The report is moved into place; no temporary file is left beside it."""
    target = tmp_path / "out" / "index.html"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_outputs_link_the_markdown_to_the_html(tmp_path: Path) -> None:
    """With both, the Markdown summary links the HTML report by a path relative to itself."""
    outputs = Outputs(html=tmp_path / "site" / "index.html", markdown=tmp_path / "summary.md")
    outputs.write(sample())
    assert "[site/index.html](site/index.html)" in (tmp_path / "summary.md").read_text()


def test_written_page_streams_every_chunk_as_the_rendered_page_holds_them(tmp_path: Path) -> None:
    """A page written piece by piece (details from the spool) equals the page rendered whole."""
    cases = [Case(f"c{n}", "M", "response", {"n": n}) for n in range(2 * CHUNK + 3)]
    records = records_of(
        (case, {t: echo(f'{{"n": {n}}}') for t in TARGETS}) for n, case in enumerate(cases)
    )
    path = tmp_path / "index.html"
    Outputs(html=path).write(records)
    page = path.read_text(encoding="utf-8")
    assert page == render_html(records)
    assert [d["id"] for d in details(page)] == [f"c{n}" for n in range(2 * CHUNK + 3)]


def conformance(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_report_command_merges_files_into_one_html(tmp_path: Path) -> None:
    """`conformance report a.ndjson b.ndjson --html` writes one page of both files."""
    a = write(tmp_path / "shard1.ndjson", sample())
    b = write(
        tmp_path / "shard2.ndjson",
        records_of(
            [(Case("more", "Usage", "response", W("{}")), {t: echo("{}") for t in TARGETS})]
        ),
    )
    done = conformance(
        "report", str(a), str(b), "--html", str(tmp_path / "index.html"), "--format", "json"
    )
    assert done.returncode == 1, done.stderr
    assert len(index((tmp_path / "index.html").read_text())["cases"]) == 4
    assert f"wrote {tmp_path / 'index.html'}" in done.stderr


def test_run_command_writes_the_html(tmp_path: Path) -> None:
    """`conformance run --html` renders the run's own results file into a page."""
    done = conformance(
        "run",
        *("--target", "reference-python", "--target", "reference-typescript"),
        *("--out", str(tmp_path / "results.ndjson"), "--html", str(tmp_path / "index.html")),
        *("--format", "json"),
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "index.html").read_text()
    assert "<title>conformance: CONFORMANT</title>" in page
    assert len(index(page)["cases"]) == json.loads(done.stdout)["cases"]


def test_unwritable_report_path_is_a_usage_error(tmp_path: Path) -> None:
    """A report path inside a file (not a folder) exits 2 with a message, not a traceback."""
    results = write(tmp_path / "results.ndjson", sample())
    (tmp_path / "file").write_text("")
    done = conformance("report", str(results), "--html", str(tmp_path / "file" / "index.html"))
    assert done.returncode == 2
    assert "cannot write" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("option", ["--html", "--junit", "--markdown"])
def test_both_commands_document_the_report_options(option: str) -> None:
    """`run --help` and `report --help` both list the report file options."""
    for command in ("run", "report"):
        assert option in conformance(command, "--help").stdout


def test_findings_come_before_the_groups_and_link_their_example() -> None:
    """Each cause is a row with its sentence, where the others stood and counts, its example
    case linked to the case browser; its families are rows one click below, each with its
    paths in a details element; the groups table follows."""
    page = outside_data(render_html(family_run()))
    assert page.index('<table class="findings"') < page.index('<table class="groups"')
    cause = re.search(r'<tr id="cause-C\w+">\s*<td>(.*?)</td>\s*<td>(.*?)<details', page, re.S)
    assert cause is not None
    assert cause.group(1) == '<span class="sev sev-fail">fail</span>'
    assert " ".join(cause.group(2).split()) == (
        "orq-python rounds numbers to the nearest float64"
        '<div class="muted">orq-python alone against the other SDKs (3)</div>'
    )
    row = re.search(r'<tr id="finding-(F\w+)">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = [" ".join(c.split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)]
    assert cells == [
        f"<code>{row.group(1)}</code> orq-python turns integer beyond 2^53 into the nearest"
        " float64; orq-python alone against the other SDKs",
        "3",
        "2",
        '<details><summary>1 path(s)</summary><ul class="paths"><li><code>$.big</code></li>'
        "</ul></details>",
        '<a href="#case=big-0">big-0</a> at <code>$.big</code>:'
        ' <code class="detail">9007199254740993 vs 9007199254740992</code>',
    ]
    # The family's row is inside its cause's row, after the cause's own sentence.
    assert page.index(cause.group(2)) < row.start()


def test_a_run_without_finding_records_has_no_findings_section() -> None:
    """Results written before finding records existed render as before, without the section."""
    page = render_html(sample())
    assert "Findings" not in page
    assert 'class="findings"' not in page


def test_result_vectors_table_counts_cases_per_vector() -> None:
    """A row per result vector: its count, each target's status and an example case link."""
    page = outside_data(render_html(family_run()))
    table = re.search(r'<table class="vectors".*?</table>', page, re.S)
    assert table is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", table.group()).split())
    assert text == (
        "cases orq-python orq-node reference-python example"
        " 4 diverge pass pass big-0 1 pass skipped pass ok"
    )
    assert '<a href="#case=ok">ok</a>' in table.group()


def test_hostile_family_text_is_escaped() -> None:
    """Markup in a cause's sentence, a family's sentence, example and paths shows as text."""
    hostile = "<img src=x onerror=alert(1)>"
    (first, *_) = [r for r in family_run() if isinstance(r, FindingRecord)]
    example = evolve(first.example, case=hostile, path=hostile, detail=hostile)
    family = evolve(
        first,
        id=hostile,
        sentence=hostile,
        diverging=(hostile,),
        paths=(hostile,),
        example=example,
    )
    page = outside_data(render_html([family]))
    assert "<img" not in page
    # The cause: its sentence (the diverging target) and example case, path and detail; the
    # family: its id (the row's and shown), sentence, path and example case, path and detail.
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") == 11
    assert 'href="#case=%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"' in page


def test_probe_coverage_table_follows_the_findings() -> None:
    """A run with probe cases has a coverage table, one row per probe class, after the findings."""
    page = outside_data(render_html(probe_run()))
    findings = page.index('<table class="findings"')
    assert findings < page.index('<table class="coverage"') < page.index('<table class="vectors"')
    table = re.search(r'<table class="coverage".*?</table>', page, re.S)
    assert table is not None
    text = " ".join(re.sub(r"<[^>]+>", " ", table.group()).split())
    assert text == (
        "probe class cases models fields diverging divergences diverging by target"
        " numbers.2^53+1 2 2 2 2 2 orq-python 2"
        " presence.optional-absent 1 1 1 0 0"
    )


def test_a_run_without_probes_has_no_coverage_section() -> None:
    """Without probe cases the page has no coverage table."""
    assert '<table class="coverage"' not in render_html(family_run())


def test_hostile_probe_class_is_escaped() -> None:
    """Markup in a probe class name shows as text."""
    hostile = "<img src=x onerror=alert(1)>"
    page = outside_data(render_html(probe_run(hostile)))
    assert "<img" not in page
    assert "<code>&lt;img src=x onerror=alert(1)&gt;</code>" in page


#: Keys a renaming must get right: nested, in arrays, two keys one native name (``fooBar``),
#: quotes, backslashes, braces and non-ASCII; and number tokens it must keep.
RENAMED_PAYLOAD = (
    '{"user_name":"a","items":[{"item_id":1,"sub":{"deep_key":null}}],"foo_bar":1,"fooBar":2,'
    '"we\\"ird_{key,}":0.0,"\\u043a\\u043b\\u044e\\u0447_x":[],"back\\\\slash_k":"v"}'
)


def renamed_natives() -> list[Record]:
    """Native views that a results file holds as renamings: of the wire, and of the input for
    a target that wrote nothing back."""
    camel = jsonwire.dumps(renamed(W(RENAMED_PAYLOAD), CONVENTIONS["typescript"]))
    return records_of(
        [
            (
                Case("wire", "M", "response", W(RENAMED_PAYLOAD)),
                {"orq-python": echo(RENAMED_PAYLOAD), "orq-node": echo(RENAMED_PAYLOAD, camel)},
            ),
            (
                Case("input", "M", "response", W(RENAMED_PAYLOAD)),
                {
                    "orq-python": echo(RENAMED_PAYLOAD),
                    "orq-node": Outcome("accepted", None, W(camel), written=False),
                },
            ),
        ]
    )


def drawn(case: dict[str, Any]) -> dict[str, Any]:
    """A case's details as the page draws them: text indexes resolved, and a native kept as
    its source's text renamed by the case's ``names`` (what report.js's ``renamer`` does)."""
    texts, names = case["texts"], case.get("names", {})

    def rename(value: Any, pairs: dict[str, str]) -> Any:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():  # a repeated name: the later value, first place
                out[pairs.get(key, key)] = rename(item, pairs)
            return out
        if isinstance(value, list):
            return [rename(item, pairs) for item in value]
        return value

    results = []
    for result in case["results"]:
        result = dict(result)
        convention = result.pop("renamed", None)
        for side in ("wire", "native"):
            if result[side] is not None:
                result[side] = texts[result[side]]
        if convention is not None:
            pairs = dict(names[convention])
            result["native"] = jsonwire.dumps(rename(W(result["native"]), pairs))
        results.append(result)
    shown = {k: v for k, v in case.items() if k not in ("texts", "names")}
    wire = case["wire"]
    return {**shown, "wire": None if wire is None else texts[wire], "results": results}


def test_natives_kept_as_renamings_draw_as_those_built_in_memory(tmp_path: Path) -> None:
    """A report of a results file, whose native views stay the text of their source plus
    renamed keys, draws every case as the report of the same records in memory does."""
    records = renamed_natives()
    path = write(tmp_path / "r.ndjson", records)
    assert '"native_renamed":"wire"' in path.read_text()
    Outputs(html=tmp_path / "index.html").write(read_complete(path, natives=False))
    from_file = details((tmp_path / "index.html").read_text(encoding="utf-8"))
    in_memory = details(render_html(records))
    assert [r.get("renamed") for d in from_file for r in d["results"]] == [
        None,
        "typescript",
        None,
        "typescript",
    ]
    assert all("renamed" not in r for d in in_memory for r in d["results"])
    assert [drawn(d) for d in from_file] == [drawn(d) for d in in_memory]
    assert all(d["names"] == {} for d in in_memory)
    names = dict(from_file[0]["names"]["typescript"])
    assert names["foo_bar"] == "fooBar"
    assert "fooBar" not in names  # two keys, one native name
    assert names['we"ird_{key,}'] == "weIrdKey"
    assert names["back\\slash_k"] == "backSlashK"


HOSTILE_PAYLOAD = (
    '{"name":"caf\\u00e9 \\u2028 \\ud800","big":9007199254740993,"zero":0.0,'
    '"e":1E+21,"neg":-0,"nested":[{"a":null,"b":[true,false]}]}'
)


def test_a_report_of_a_file_shows_each_payload_as_its_line_holds_it(tmp_path: Path) -> None:
    """Read for a report, a case's payload is the text of its line, and the page holds
    exactly what it holds when it writes the payload again from the records in memory."""
    records = records_of(
        [
            (
                Case("hostile", "M", "response", W(HOSTILE_PAYLOAD)),
                {"orq-python": echo(HOSTILE_PAYLOAD), "orq-node": echo(HOSTILE_PAYLOAD)},
            ),
            *sample_cases(),
        ]
    )
    path = write(tmp_path / "r.ndjson", records)
    read = list(read_complete(path, natives=False))
    cases = [r for r in read if isinstance(r, CaseRecord)]
    assert [c.wire_json for c in cases] == [jsonwire.dumps(c.wire) for c in cases]
    assert cases[0].wire_json == HOSTILE_PAYLOAD  # the writer's text: ASCII, tokens as read
    from_file = details(render_html(read))
    in_memory = details(render_html(records))
    assert [d["texts"][d["wire"]] for d in from_file] == [d["texts"][d["wire"]] for d in in_memory]
    assert [drawn(d) for d in from_file] == [drawn(d) for d in in_memory]


def sample_cases() -> list[tuple[Case, dict[str, Outcome]]]:
    """The cases of ``sample`` (exact numbers, a big integer, an error)."""
    return [
        (
            Case("tokens", "Usage", "response", W('{"total":0.0,"big":9007199254740993}')),
            {
                "orq-python": echo('{"total":0.0,"big":9007199254740993}'),
                "orq-node": echo('{"total":0,"big":9007199254740992}'),
            },
        ),
        (
            Case("crash", "Completion", "response", W('{"id":"x"}')),
            {
                "orq-python": echo('{"id":"x"}'),
                "orq-node": Outcome("error", error="harness crashed", stderr="boom\n"),
            },
        ),
    ]


ENTRY_OUTCOMES = [
    Outcome("accepted", W("{}"), W("{}"), seconds=0.0004),
    Outcome("accepted", W("{}"), W("{}"), seconds=1e-07),
    Outcome("accepted", W("{}"), W("{}"), seconds=-0.0),
    Outcome("accepted", W("{}"), W("{}"), seconds=5),  # type: ignore[arg-type]
    Outcome("accepted", W("{}"), W("{}"), warnings=("w<1>", "caf\u00e9"), seconds=2.5),
    Outcome("error", error="boom \u2028", stderr="trace\n", seconds=0.1),
    Outcome("skipped", error="no SDK", seconds=0.0),
]


@pytest.mark.parametrize("renamed_by", [None, "typescript"])
def test_a_result_entry_is_the_json_of_its_fields(renamed_by: str | None) -> None:
    """Each result's entry in the page's details is what ``json.dumps`` writes of its fields,
    also when its text is made from one kept for an earlier result with another time."""
    from conformance.core.divergence import Divergence, Side
    from conformance.report.html_entries import Entries, _divergence

    entries = Entries()
    divergence = Divergence(("a", 0), "value", Side(("input",), 1), Side(("t<",), W("1.0")))
    for repeat in range(2):
        for number, outcome in enumerate(ENTRY_OUTCOMES):
            found = (divergence,) if number % 3 == 0 and repeat else ()
            result = ResultRecord("c", "t\u00e9", "pass", outcome, found, ("t\u00e9", "u"))
            wire, native = (0, 1) if outcome.accepted else (None, None)
            entry: dict[str, Any] = {
                "target": result.target,
                "status": result.status,
                "state": outcome.state,
                "group": list(result.group),
                "wire": wire,
                "native": native,
                "error": outcome.error,
                "stderr": outcome.stderr,
                "warnings": list(outcome.warnings),
                "seconds": outcome.seconds,
                "divergences": [_divergence(d) for d in found],
            }
            if renamed_by is not None:
                entry["renamed"] = renamed_by
            expected = json.dumps(entry, ensure_ascii=True, separators=(",", ":"))
            assert entries.text(result, wire, native, renamed_by) == expected
