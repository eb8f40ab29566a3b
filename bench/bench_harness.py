"""Cases per second through each SDK harness: one persistent process vs one process per case.

Same payloads (the bundled schema's model, about 1.5 KB each) through the real
orq.ai SDKs installed by ``conformance sdk install``. The persistent harness serves every
case from one process, as ``conformance run`` does; the spawning baseline
starts a fresh harness (interpreter, SDK import, handshake) for each case, as a
naive runner would. Spawning is slow, so it runs the first ``--spawn`` cases of
the same list and its rate is per case.

Run: ``nox -s bench -- harness`` or ``python bench/bench_harness.py [--cases N] [--spawn M]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conformance.core import jsonwire
from conformance.sources.cases import Case
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_reference import payload  # noqa: E402 - the same payloads as the reference bench

MODEL = "CreateCompletionData"


def persistent(make: Callable[[], HarnessTarget], cases: list[Case]) -> float:
    target = make()
    target.start()
    target.run(cases[0])  # warm: imports the model module
    began = time.perf_counter()
    for case in cases:
        outcome = target.run(case)
        assert outcome.state == "accepted", outcome.error
    elapsed = time.perf_counter() - began
    target.close()
    return len(cases) / elapsed


def spawning(make: Callable[[], HarnessTarget], cases: list[Case]) -> float:
    began = time.perf_counter()
    for case in cases:
        target = make()
        target.start()
        outcome = target.run(case)
        assert outcome.state == "accepted", outcome.error
        target.close()
    return len(cases) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--spawn", type=int, default=10)
    args = parser.parse_args()
    cases = [
        Case(f"c{i}", MODEL, "response", jsonwire.loads(jsonwire.dumps(payload(i))))  # type: ignore[arg-type]
        for i in range(args.cases)
    ]
    size = sum(len(jsonwire.dumps(c.wire)) for c in cases) / len(cases)
    harnesses: dict[str, Callable[[], HarnessTarget]] = {}
    python = ROOT / ".sdk" / "python" / "bin" / "python"
    if python.exists():
        harnesses["python (orq-ai-sdk)"] = lambda: python_sdk_target(
            "orq-python", str(python), ["orq_ai_sdk.models"], "orq_ai_sdk"
        )
    if shutil.which("node") and (ROOT / "sdk" / "node" / "node_modules").is_dir():
        harnesses["node (@orq-ai/node)"] = lambda: node_sdk_target(
            "orq-node",
            str(ROOT / "sdk" / "node"),
            ["@orq-ai/node/models/operations/index.js"],
            "@orq-ai/node",
        )
    if not harnesses:
        sys.exit("no SDK installed: run `conformance sdk install` first")
    print(f"payload: {size:,.0f} bytes on average")
    for label, make in harnesses.items():
        kept = persistent(make, cases)
        spawned = spawning(make, cases[: args.spawn])
        print(
            f"{label:22} persistent {kept:8,.0f} cases/s ({len(cases):,} cases)   "
            f"spawn per case {spawned:6.2f} cases/s ({args.spawn} cases)   "
            f"speed-up {kept / spawned:8,.0f}x"
        )


if __name__ == "__main__":
    main()
