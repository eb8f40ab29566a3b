"""Size and speed of the HTML report at scale: render time, file size, Chromium load time.

Generates a results file of ``--cases`` cases (default 20,000) through three
targets (two SDKs, python and typescript conventions, and a reference), about
1.5 KB per payload with varied text, ~10% of the cases diverging on one SDK
with a few divergences each (judged by the real runner, so the records are what
``conformance run`` writes). Then prints:

- read: streaming and validating the results file alone, as ``conformance report`` reads
  it (``read_complete`` with native views left as renamings for the page to draw);
- render: the HTML (and, for comparison, JUnit and Markdown) from those records,
  read time excluded;
- the HTML file's size;
- Chromium (Debian's, ``/usr/bin/chromium``): from ``page.goto`` until the page
  sets ``data-ready`` (index parsed, filters filled, first rows listed), and
  from a click on a case until its details are drawn.

Targets: file < 30 MB; open and interactive < 2 s.
Run: ``python bench/bench_report.py [--cases N] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Implementation, Outcome
from conformance.engine.runner import result_records
from conformance.report.html import HtmlCollector
from conformance.report.junit import JunitCollector
from conformance.report.markdown import render_markdown
from conformance.results.complete import read_complete
from conformance.results.records import CaseRecord, Footer, Header, Record, TargetInfo
from conformance.results.summary import SummaryBuilder, summarize
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGETS = (("orq-python", "python"), ("orq-node", "typescript"), ("reference-python", "python"))
MODELS = ("PostV2ProxyCompletionsData", "ChatCompletionChunk", "CreateEmbeddingResponse")
SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "pe", "da", "zo", "ul", "an", "is")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(n)
    )


def payload(rng: random.Random, seed: int) -> dict[str, Any]:
    """A completion-like payload of about 1.5 KB with varied text and exact number tokens."""
    return {
        "id": f"cmpl-{seed:08d}-{rng.getrandbits(48):012x}",
        "choices": [
            {
                "finish_reason": rng.choice(["stop", "length", "content_filter", "tool_calls"]),
                "index": i,
                "logprobs": None,
                "text": _words(rng, rng.randint(24, 34)),
            }
            for i in range(4)
        ],
        "created": 1718000000 + seed,
        "model": rng.choice(["openai/gpt-4o", "anthropic/claude-3-5-sonnet", "mistral/large"]),
        "system_fingerprint": f"fp_{rng.getrandbits(40):010x}",
        "object": "text_completion",
        "temperature": jsonwire.loads(f"{rng.randint(0, 20) / 10:.1f}"),
        "usage": {
            "completion_tokens": rng.randint(1, 4000),
            "prompt_tokens": rng.randint(1, 4000),
            "total_tokens": rng.randint(1, 8000),
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "metadata": {"trace_id": f"{rng.getrandbits(128):032x}", "region": "eu-west-1"},
    }


def camel(value: Any) -> Any:
    """The typescript native view: every key in camelCase."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            head, *rest = key.split("_")
            out[head + "".join(p[:1].upper() + p[1:] for p in rest)] = camel(item)
        return out
    if isinstance(value, list):
        return [camel(item) for item in value]
    return value


def diverge(rng: random.Random, wire: dict[str, Any]) -> dict[str, Any]:
    """An SDK's output with two to four realistic divergences."""
    out = copy.deepcopy(wire)
    changes = rng.sample(["number", "missing", "extra", "datetime", "value"], rng.randint(2, 4))
    if "number" in changes:
        for choice in out["choices"]:
            choice["index"] = jsonwire.loads(f"{choice['index']}.0")
    if "missing" in changes:
        del out["choices"][0]["finish_reason"]
    if "extra" in changes:
        out["service_tier"] = "default"
    if "datetime" in changes:
        out["created"] = "2024-06-10T06:13:20Z"
    if "value" in changes:
        out["usage"]["total_tokens"] = out["usage"]["total_tokens"] + 1
    return out


def records(count: int, seed: int = 7) -> Iterator[Record]:
    """A run's records: header, case and results per case, footer."""
    rng = random.Random(seed)
    policy = Policy()
    conventions = dict(TARGETS)
    yield Header(
        "conformance",
        "bench",
        "2026-01-01T00:00:00+00:00",
        tuple(
            TargetInfo(name, "sdk", convention, Implementation(name, convention, name, "1.0.0"))
            for name, convention in TARGETS
        ),
    )
    builder = SummaryBuilder()
    for number in range(count):
        wire = payload(rng, number)
        case = Case(f"case-{number:05d}", MODELS[number % len(MODELS)], "response", wire)
        outcomes = []
        bad = rng.random() < 0.1
        for name, convention in TARGETS:
            out = diverge(rng, wire) if bad and name == "orq-node" else copy.deepcopy(wire)
            native = camel(out) if convention == "typescript" else copy.deepcopy(out)
            outcomes.append((name, Outcome("accepted", out, native, seconds=0.0004)))
        case_record = CaseRecord(case.id, case.model, case.direction, wire)
        yield case_record
        builder.add(case_record)
        for record in result_records(case, outcomes, policy, None, conventions):
            builder.add(record)
            yield record
    partial = builder.build()
    yield Footer(partial.totals, "2026-01-01T00:10:00+00:00", 600.0, partial.exit_code)


def browser_times(page_path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to ``data-ready`` after ``goto``, and from a click to a drawn case."""
    from playwright.sync_api import sync_playwright

    ready, opened = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            began = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector("html[data-ready]", state="attached", timeout=60_000)
            ready.append(time.perf_counter() - began)
            began = time.perf_counter()
            page.locator(".case-head").nth(3).click()
            page.wait_for_selector(".case[data-loaded] .json", timeout=60_000)
            opened.append(time.perf_counter() - began)
            page.close()
        browser.close()
    return ready, opened


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3, help="browser loads to time")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp dir")
    options = parser.parse_args()

    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "results.ndjson"
    began = time.perf_counter()
    with ResultsWriter(results) as writer:
        writer.write_all(records(options.cases))
    print(
        f"generated {options.cases:,} cases x {len(TARGETS)} targets in "
        f"{time.perf_counter() - began:.1f} s: {results.stat().st_size / 1e6:.1f} MB of NDJSON"
    )

    began = time.perf_counter()
    read = sum(1 for _ in read_complete(results, natives=False))
    read_seconds = time.perf_counter() - began
    print(f"read:   {read:,} records in {read_seconds:.2f} s (validated, streamed)")

    html, junit = HtmlCollector(), JunitCollector()
    html_seconds = junit_seconds = 0.0

    def tee() -> Iterator[Record]:
        nonlocal html_seconds, junit_seconds
        for record in read_complete(results, natives=False):
            began = time.perf_counter()
            html.add(record)
            html_seconds += time.perf_counter() - began
            began = time.perf_counter()
            junit.add(record)
            junit_seconds += time.perf_counter() - began
            yield record

    summary = summarize(tee())
    began = time.perf_counter()
    page = html.render(summary, [str(results)])
    html_seconds += time.perf_counter() - began
    began = time.perf_counter()
    xml = junit.render()
    junit_seconds += time.perf_counter() - began
    began = time.perf_counter()
    markdown = render_markdown(summary, "index.html", [str(results)])
    markdown_seconds = time.perf_counter() - began
    page_path = folder / "index.html"
    page_path.write_text(page, encoding="utf-8")
    (folder / "junit.xml").write_text(xml, encoding="utf-8")
    (folder / "summary.md").write_text(markdown, encoding="utf-8")
    size = page_path.stat().st_size
    print(
        f"render: html {html_seconds:.2f} s, junit {junit_seconds:.2f} s, "
        f"markdown {markdown_seconds * 1000:.1f} ms (read time excluded)"
    )
    print(
        f"size:   html {size / 1e6:.2f} MB (target < 30 MB), junit {len(xml) / 1e6:.2f} MB, "
        f"markdown {len(markdown) / 1e3:.1f} KB"
    )
    print(f"totals: {summary.totals}  groups: {len(summary.groups)}")

    if not Path(CHROMIUM).exists():
        print(f"chromium: skipped ({CHROMIUM} is absent; apt-get install -y chromium)")
        return 0 if size < 30e6 else 1
    ready, opened = browser_times(page_path, options.runs)
    print(
        f"chromium: goto -> data-ready median {statistics.median(ready):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in ready)}; target < 2 s)"
    )
    print(
        f"chromium: click -> case drawn median {statistics.median(opened) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{s * 1000:.0f}' for s in opened)})"
    )
    print(f"files in {folder}")
    ok = size < 30e6 and statistics.median(ready) < 2.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
