"""The HTML report in a real browser: Debian's Chromium driven by Playwright (never a download).

Covers the summary (with and without JavaScript), the filters, a case opened
with its diverging paths highlighted, deep links, screenshots, that the page
fetches nothing, and that hostile strings from cases, outputs and stderr run
nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.conventions import CONVENTIONS
from conformance.core.outcome import Implementation, Outcome
from conformance.engine.runner import result_records
from conformance.report.html import render_html
from conformance.report.outputs import Outputs
from conformance.results.complete import read_complete
from conformance.results.copies import renamed
from conformance.results.records import (
    CaseRecord,
    Footer,
    Header,
    ProblemRecord,
    Record,
    TargetInfo,
)
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case
from tests.family_runs import with_findings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
W = jsonwire.loads

pytestmark = [
    pytest.mark.browser,
    # On CI the noxfile installs Chromium, so a missing browser there fails instead of skipping.
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason="needs Debian's Chromium at /usr/bin/chromium (`nox -s tests` installs it as root)",
    ),
]

FILLERS = 230
HOSTILE = (
    "<script>window.__pwned = 'script'</script>",
    "</script><img src=x onerror=\"window.__pwned='img'\">",
    "javascript:window.__pwned='href'",
    "<!--<script>document.title='pwned'</script>-->",
    "\u2028</script><svg onload=alert('svg')>",
    '"><iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
    "' onmouseover='window.__pwned=1' x='",
)


def records_of(
    targets: dict[str, str], cases: list[tuple[Case, dict[str, Outcome]]]
) -> list[Record]:
    """A run's records for these cases and outcomes, judged by the real runner, with findings."""
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
        out.append(
            CaseRecord(case.id, case.model, case.direction, case.wire, case.valid, "a description")
        )
        out += result_records(case, [(t, outcomes[t]) for t in targets], Policy(), None, targets)
    out.append(Footer({"pass": 0}, "2026-01-01T00:00:09+00:00", 9.0, 1))
    return with_findings(out)


def echo(wire: str, native: str | None = None, **more: Any) -> Outcome:
    """An outcome that accepted the payload and wrote ``wire`` back."""
    return Outcome("accepted", W(wire), W(native if native is not None else wire), **more)


def sample() -> list[Record]:
    """An error, two divergences, a pass, and enough passing cases for two chunks."""
    targets = {"orq-python": "python", "orq-node": "typescript"}
    cases = [
        (
            Case("tokens", "Usage", "response", W('{"total":0.0,"big":9007199254740993}')),
            {
                "orq-python": echo('{"total":0.0,"big":9007199254740993}'),
                "orq-node": echo('{"total":0,"big":9007199254740992}', stderr="coerced big\n"),
            },
        ),
        (
            Case("missing", "Completion", "response", W('{"id":"x","finish_reason":"stop"}')),
            {
                "orq-python": echo('{"id":"x","finish_reason":"stop"}'),
                "orq-node": echo('{"id":"x"}', '{"id":"x"}'),
            },
        ),
        (
            Case("crash", "Completion", "response", W('{"id":"y"}')),
            {
                "orq-python": echo('{"id":"y"}'),
                "orq-node": Outcome(
                    "error", error="harness crashed (exit 3)", stderr="TypeError: boom\n"
                ),
            },
        ),
        (
            Case("ok", "Usage", "response", W('{"prompt_tokens":1}')),
            {
                "orq-python": echo('{"prompt_tokens":1}'),
                "orq-node": echo('{"prompt_tokens":1}', '{"promptTokens":1}'),
            },
        ),
    ]
    cases += [
        (
            Case(f"filler-{n:03d}", "Usage", "response", W(f'{{"n":{n}}}')),
            {t: echo(f'{{"n":{n}}}') for t in targets},
        )
        for n in range(FILLERS)
    ]
    return records_of(targets, cases)


def hostile() -> list[Record]:
    """Markup and script URLs in keys, values, ids, models, targets, errors and stderr."""
    h = HOSTILE
    targets = {h[0]: "python", h[2]: "typescript"}
    wire = jsonwire.dumps({h[0]: h[1], "list": [h[3], h[4]], h[2]: {h[5]: 1}, "keep": h[6]})
    changed = jsonwire.dumps({h[0]: h[4], "list": [h[3]], h[2]: {h[5]: 2}, h[1]: True})
    cases = [
        (
            Case(h[i], h[(i + 1) % len(h)], "response", W(wire)),
            {
                h[0]: echo(wire, warnings=(h[5],), stderr=h[3]),
                h[2]: echo(changed, stderr=h[1])
                if i % 2
                else Outcome("error", error=h[4], stderr=h[6]),
            },
        )
        for i in range(len(h))
    ]
    records = records_of(targets, cases)
    records.insert(1, ProblemRecord(h[1], h[0], h[3], 1, 1, h[2], h[4]))
    return records


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report as a file."""
    path = tmp_path_factory.mktemp("report") / "index.html"
    path.write_text(render_html(sample(), ["results.ndjson"]), encoding="utf-8")
    return path


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no shared state between tests)."""
    made = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield made
    made.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught script error."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert errors == []


def load(page: Page, report: Path, fragment: str = "") -> None:
    """Open the report and wait until its script is ready."""
    page.goto(report.as_uri() + fragment)
    page.wait_for_selector("html[data-ready]", state="attached")


def listed(page: Page) -> list[str]:
    """The ids of the cases listed, in order."""
    ids: list[str] = page.locator("#case-list .case").evaluate_all(
        "els => els.map(e => e.dataset.case)"
    )
    return ids


def test_summary_renders(page: Page, report: Path) -> None:
    """The page opens on the verdict, the totals, the target table, the matrix, and the
    causes above the groups, each cause's families folded until opened, and each family's
    paths folded until opened in turn."""
    load(page, report)
    expect(page.locator("#verdict")).to_have_text("NOT CONFORMANT exit 1")
    expect(page.locator(".totals li").first).to_have_text("234 cases")
    expect(page.locator("table.matrix tbody th")).to_have_text(["Completion", "Usage"])
    causes = page.locator("table.findings > tbody > tr")
    expect(causes).to_have_count(2)
    expect(causes.filter(has_text="orq-node rounds numbers to the nearest float64")).to_have_count(
        1
    )
    dropped = causes.filter(has_text="orq-node drops")
    above = page.evaluate(
        "document.querySelector('table.findings').compareDocumentPosition("
        "document.querySelector('table.groups')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert above
    family = dropped.locator("table.families tbody tr")
    expect(family).to_be_hidden()
    dropped.locator("details.families > summary").click()
    expect(family).to_contain_text("orq-node drops")
    path = family.locator("details code")
    expect(path).to_be_hidden()
    family.locator("details summary").click()
    expect(path).to_have_text("$.finish_reason")
    expect(page.locator("table.vectors tbody tr").first.locator("td").first).to_have_text("231")


def test_summary_reads_without_javascript(browser: Browser, report: Path) -> None:
    """With scripts off, the summary is all there and the case browser says it needs JavaScript."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri())
    expect(page.locator("#verdict")).to_contain_text("NOT CONFORMANT")
    expect(page.locator("table.groups")).to_contain_text("$.big")
    expect(page.get_by_text("The case browser needs JavaScript")).to_be_visible()
    expect(page.locator("#filters")).to_be_hidden()
    context.close()


def test_cases_are_listed_worst_first_a_page_at_a_time(page: Page, report: Path) -> None:
    """Errors come first, then divergences; 100 cases show until "show more" adds the next 100."""
    load(page, report)
    assert listed(page)[:4] == ["crash", "tokens", "missing", "ok"]
    assert len(listed(page)) == 100
    page.click("#case-more")
    expect(page.locator("#case-list .case")).to_have_count(200)


def test_status_filter(page: Page, report: Path) -> None:
    """Choosing a status lists only cases with a result of that status."""
    load(page, report)
    page.select_option("#f-status", label="diverge")
    expect(page.locator("#case-list .case")).to_have_count(2)
    assert listed(page) == ["tokens", "missing"]


def test_target_and_status_filters_combine(page: Page, report: Path) -> None:
    """Target and status together select the cases where that target had that status."""
    load(page, report)
    page.select_option("#f-target", label="orq-python")
    page.select_option("#f-status", label="error")
    expect(page.locator("#case-list .case")).to_have_count(0)
    page.select_option("#f-target", label="orq-node")
    expect(page.locator("#case-list .case")).to_have_count(1)
    assert listed(page) == ["crash"]


def test_model_filter(page: Page, report: Path) -> None:
    """Choosing a model lists only its cases."""
    load(page, report)
    page.select_option("#f-model", label="Completion")
    expect(page.locator("#case-list .case")).to_have_count(2)
    assert listed(page) == ["crash", "missing"]


def test_kind_filter(page: Page, report: Path) -> None:
    """Choosing a divergence kind lists only cases with a divergence of that kind."""
    load(page, report)
    page.select_option("#f-kind", label="number-format")
    expect(page.locator("#case-list .case")).to_have_count(1)
    assert listed(page) == ["tokens"]


def test_search_by_case_id(page: Page, report: Path) -> None:
    """Typing in the search box keeps the cases whose id contains the text."""
    load(page, report)
    page.fill("#f-q", "filler-01")
    expect(page.locator("#case-list .case")).to_have_count(10)
    expect(page.locator("#case-count")).to_contain_text("Showing 10 of 10 matching")


def test_filters_are_kept_in_the_address(page: Page, report: Path) -> None:
    """The filters show in the URL fragment, so the filtered view can be shared."""
    load(page, report)
    page.select_option("#f-status", label="error")
    expect(page.locator("#case-list .case")).to_have_count(1)
    assert page.evaluate("location.hash") == "#status=error"


def test_matrix_link_sets_the_filters(page: Page, report: Path) -> None:
    """A count in the models x targets matrix opens the cases it counts."""
    load(page, report)
    page.locator("table.matrix a.chip", has_text="1 error").click()
    expect(page.locator("#case-list .case")).to_have_count(1)
    assert listed(page) == ["crash"]
    assert page.locator("#f-status option:checked").text_content() == "error"


def test_case_expands_with_diverging_paths_highlighted(page: Page, report: Path) -> None:
    """Opening a case marks each diverging path in place, with the other side's value."""
    load(page, report)
    page.locator(".case[data-case='tokens'] .case-head").click()
    node = page.locator(".case[data-case='tokens'] .pane").nth(2)
    big = node.locator(".hl-fail[data-path='$.big']")
    expect(big).to_contain_text('"big": 9007199254740992')
    expect(big.locator(".badge")).to_have_text("value: input has 9007199254740993")
    expect(node.locator(".hl-note[data-path='$.total'] .badge")).to_have_text(
        "number-format: input has 0.0"
    )


def test_number_tokens_show_exactly(page: Page, report: Path) -> None:
    """The input pane shows ``0.0`` and ``9007199254740993`` as written, not as JS numbers."""
    load(page, report, "#case=tokens")
    expect(page.locator(".case.target .pane").first).to_contain_text('"total": 0.0')
    expect(page.locator(".case.target .pane").first).to_contain_text('"big": 9007199254740993')


def test_missing_key_shows_where_it_should_be(page: Page, report: Path) -> None:
    """A key the output lacks shows as an absent line in the output, with the input's value."""
    load(page, report, "#case=missing")
    ghost = page.locator(".case.target .pane").nth(2).locator(".ghost[data-path='$.finish_reason']")
    expect(ghost).to_contain_text('"finish_reason": (absent)')
    expect(ghost.locator(".badge")).to_have_text('missing: input has "stop"')


def test_native_views_are_labelled_with_their_names(page: Page, report: Path) -> None:
    """Each target's native view shows under its naming style."""
    load(page, report, "#case=ok")
    natives = page.locator(".case.target .panes").nth(1)
    expect(natives).to_contain_text("native names: camelCase")
    expect(natives).to_contain_text('"promptTokens": 1')


def test_errors_and_stderr_show(page: Page, report: Path) -> None:
    """An errored result shows its error in its pane and its stderr, open, below."""
    load(page, report, "#case=crash")
    case = page.locator(".case.target")
    expect(case.locator(".errbox")).to_have_text("error: harness crashed (exit 3)")
    expect(case.locator("details.stderr[open] pre")).to_have_text("TypeError: boom\n")


def test_deep_link_opens_and_scrolls_to_its_case(page: Page, report: Path) -> None:
    """``#case=ID`` opens that case, even past the first page and chunk, and scrolls to it."""
    load(page, report, "#case=filler-229")
    case = page.locator(".case.target[data-loaded]")
    expect(case).to_have_attribute("data-case", "filler-229")
    expect(case.locator(".pane").first).to_contain_text('"n": 229')
    expect(case).to_be_in_viewport()


def test_in_page_case_link_opens_the_case(page: Page, report: Path) -> None:
    """The example link of a divergence group, and of a cause, opens its case."""
    load(page, report)
    page.locator("table.groups a", has_text="tokens").first.click()
    expect(page.locator(".case.target[data-loaded]")).to_have_attribute("data-case", "tokens")
    # A cause's own example link (its families' links are folded below it).
    page.locator("table.findings > tbody > tr > td > a", has_text="missing").first.click()
    expect(page.locator(".case.target[data-loaded]")).to_have_attribute("data-case", "missing")


def test_screenshot(page: Page, report: Path, tmp_path: Path) -> None:
    """A full-page screenshot of an opened case can be saved (CI keeps it as an artifact)."""
    load(page, report, "#case=tokens")
    shot = tmp_path / "screenshot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_makes_no_network_request(context: BrowserContext, report: Path) -> None:
    """Loading the report and opening a case requests nothing but the file itself."""
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    load(page, report, "#case=tokens")
    page.locator(".case.target[data-loaded]").wait_for()
    assert requested == [report.as_uri()]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose every string tries to run script."""
    path = tmp_path_factory.mktemp("hostile") / "index.html"
    path.write_text(render_html(hostile(), [HOSTILE[2]]), encoding="utf-8")
    return path


def open_everything(page: Page, report: Path) -> tuple[list[str], list[str]]:
    """Open every case and deep-link to a hostile id; return the ids listed and any dialogs."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    load(page, report)
    heads = page.locator(".case-head")
    for n in range(heads.count()):
        heads.nth(n).click()
    with contextlib.suppress(AssertionError):  # the caller's assertions say what went wrong
        expect(page.locator(".case[data-loaded]")).to_have_count(len(HOSTILE))
    ids = page.locator(".case .cid").all_text_contents()
    page.goto(report.as_uri() + "#case=" + quote(HOSTILE[1], safe=""))
    page.wait_for_selector(".case.target")
    page.mouse.move(300, 300)
    return ids, dialogs


def test_hostile_strings_run_nothing_even_without_the_policy(
    browser: Browser, hostile_report: Path
) -> None:
    """With the CSP bypassed, escaping alone stops every payload, and each shows as text."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    ids, dialogs = open_everything(page, hostile_report)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.title() == "conformance: NOT CONFORMANT"
    assert page.locator("img, svg, iframe").count() == 0
    assert page.locator("script").count() == 3
    hrefs: list[str] = page.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert all(href.startswith("#") for href in hrefs)
    assert sorted(ids) == sorted(HOSTILE)
    expect(page.locator(".case[data-loaded]")).to_have_count(1)
    expect(page.locator(".case.target .cid")).to_have_text(HOSTILE[1])
    expect(page.locator(".case.target .pane").first).to_contain_text(f'"{HOSTILE[0]}": ')
    context.close()


def test_hostile_strings_trip_no_policy_violation(
    context: BrowserContext, hostile_report: Path
) -> None:
    """Under the page's own policy nothing even tries to load or run; its own script may."""
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective));"
    )
    page = context.new_page()
    _, dialogs = open_everything(page, hostile_report)
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


#: Keys a renaming must get right: nested, in arrays, two keys one native name (``fooBar``),
#: quotes, braces, backslashes and non-ASCII; and number tokens it must keep.
RENAMED = (
    '{"user_name":"a","items":[{"item_id":1,"sub":{"deep_key":null}}],"foo_bar":1,"fooBar":2,'
    '"we\\"ird_{key,}":0.0,"\\u043a\\u043b\\u044e\\u0447_x":[],"big_n":9007199254740993}'
)


def test_natives_from_a_results_file_draw_as_those_built_in_memory(
    page: Page, tmp_path: Path
) -> None:
    """A native view that a results file holds as a renaming, renamed by the page when the case
    opens, draws exactly as the same view built in memory."""
    camel = jsonwire.dumps(renamed(W(RENAMED), CONVENTIONS["typescript"]))
    targets = {"orq-python": "python", "orq-node": "typescript"}
    records = records_of(
        targets,
        [
            (
                Case("wire", "M", "response", W(RENAMED)),
                {"orq-python": echo(RENAMED), "orq-node": echo(RENAMED, camel)},
            ),
            (
                Case("input", "M", "response", W(RENAMED)),
                {
                    "orq-python": echo(RENAMED),
                    "orq-node": Outcome("accepted", None, W(camel), written=False),
                },
            ),
        ],
    )
    totals = {"pass": 4, "diverge": 0, "error": 0, "skipped": 0}  # a footer a file can hold
    records = [
        Footer(totals, "2026-01-01T00:00:09+00:00", 9.0, 0) if isinstance(r, Footer) else r
        for r in records
    ]
    results = tmp_path / "r.ndjson"
    with ResultsWriter(results) as writer:
        writer.write_all(records)
    assert '"native_renamed":"input"' in results.read_text()
    from_file, in_memory = tmp_path / "file.html", tmp_path / "memory.html"
    Outputs(html=from_file).write(read_complete(results, natives=False))
    in_memory.write_text(render_html(records), encoding="utf-8")
    drawn: dict[str, list[str]] = {}
    for report in (from_file, in_memory):
        for case in ("wire", "input"):
            load(page, report, f"#case={case}")
            natives = page.locator(".case.target .panes").nth(1)
            expect(natives).to_contain_text('"fooBar": 2')
            drawn.setdefault(case, []).append(natives.inner_text())
    assert all(a == b for a, b in drawn.values())
    assert '"weIrdKey": 0.0' in drawn["wire"][0]
    assert "9007199254740993" in drawn["input"][0]
