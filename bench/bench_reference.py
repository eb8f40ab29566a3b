"""Case-checks per second of the reference targets, beside json.loads + == of the same payloads.

A *case-check* is one case through one target, judged: the target's round trip
(wire -> instance -> native view -> instance -> wire) and the comparison of its
output with the input. Three figures, all on the bundled default schema and the
same 1-2 KB payloads, in one process:

- baseline: ``json.loads`` of the input and of the output text, then ``==``;
- agreeing: two reference targets (python, typescript) that write the input back;
- diverging: the same, plus the comparison of an output with one structural
  divergence (a key missing deep inside), which takes the deepdiff path.

Run: ``nox -s bench`` or ``python bench/bench_reference.py [--cases N]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path
from typing import Any

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.oracle.models import build_models
from conformance.sources.cases import Case
from conformance.sources.openapi import load_openapi
from conformance.targets.reference import ReferenceTarget

ROOT = Path(__file__).resolve().parent.parent
MODEL = "PostV2ProxyCompletionsData"


def payload(seed: int) -> dict[str, Any]:
    """A realistic completion payload of about 1.5 KB, varied by seed."""
    reasons = ["stop", "length", "content_filter", "tool_calls"]
    return {
        "id": f"cmpl-{seed:08d}-9f8e7d6c5b4a",
        "choices": [
            {
                "finish_reason": reasons[(seed + i) % 4],
                "index": i,
                "text": f"Choice {i} of case {seed}: the capital of France is Paris. " * 2,
            }
            for i in range(6)
        ],
        "created": 1718000000 + seed,
        "model": "openai/gpt-4o-2024-08-06",
        "system_fingerprint": f"fp_{seed:010x}",
        "object": "text_completion",
        "usage": {
            "completion_tokens": 120 + seed % 7,
            "prompt_tokens": 87,
            "total_tokens": 207 + seed % 7,
            "prompt_tokens_details": {
                "cached_tokens": 0,
                "cache_creation_tokens": 0,
                "audio_tokens": None,
            },
            "completion_tokens_details": {
                "reasoning_tokens": 64,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
                "audio_tokens": 0,
            },
        },
    }


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    args = parser.parse_args()

    schema = load_openapi(ROOT / "cases" / "orq" / "openapi.yaml")
    models = build_models(schema)
    targets = [
        ReferenceTarget("reference-python", models, "python"),
        ReferenceTarget("reference-typescript", models, "typescript"),
    ]
    texts = [json.dumps(payload(i)) for i in range(args.cases)]
    cases = [Case(f"c{i}", MODEL, "response", jsonwire.loads(t)) for i, t in enumerate(texts)]
    size = sum(len(t) for t in texts) / len(texts)
    policy = Policy()
    checks = len(cases) * len(targets)

    # Warm-up: converters build their hooks lazily on first use.
    for target in targets:
        target.run(cases[0])

    began = time.perf_counter()
    for text in texts:
        for _ in targets:
            _ = json.loads(text) == json.loads(text)
    baseline = time.perf_counter() - began

    began = time.perf_counter()
    for case in cases:
        outcomes = [(t.name, t.run(case)) for t in targets]
        records = judge(case, outcomes, policy)
        assert all(r.status == "pass" for r in records), records
    agreeing = time.perf_counter() - began

    broken = []
    for case in cases:
        wire = copy.deepcopy(case.wire)
        assert isinstance(wire, dict)
        del wire["usage"]["completion_tokens_details"]["reasoning_tokens"]
        broken.append(wire)
    began = time.perf_counter()
    for case, wire in zip(cases, broken, strict=True):
        outcomes = [(t.name, t.run(case)) for t in targets]
        outcomes[-1] = (outcomes[-1][0], Outcome("accepted", wire=wire, native=wire))
        records = judge(case, outcomes, policy)
        assert records[-1].status == "diverge", records[-1]
    diverging = time.perf_counter() - began

    print(f"payload: {size:,.0f} bytes on average; {len(cases):,} cases x {len(targets)} targets")
    print(f"baseline  json.loads x2 + ==        {rate(checks, baseline)}  case-checks")
    print(f"agreeing  reference round trip+judge {rate(checks, agreeing)}  case-checks")
    print(f"diverging one divergence per case    {rate(checks, diverging)}  case-checks")
    print(f"agreeing / baseline cost: {agreeing / baseline:5.1f}x (target <= 20x)")
    print(f"diverging / agreeing cost: {diverging / agreeing:5.1f}x (target <= 10x)")


if __name__ == "__main__":
    main()
