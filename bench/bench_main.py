"""This process's CPU per case of a whole run, with the SDKs' answers replayed: a low-noise
figure to compare two versions of the tool by.

The whole run's figure in ``bench_goals`` is the difference of two runs of four processes,
which moves by a fifth between runs on a small shared machine. Here the two orq.ai SDK
harnesses answer a set of cases once; then this process alone runs the two reference
targets, judges every case (naming and text checks included), encodes its records as the
results writer does and counts them into a summary, five times over; the least CPU time
of the five is the figure (what the work costs when nothing else takes the CPU).

Run: ``nox -s bench -- main`` or ``python bench/bench_main.py [--cases N]``; to compare two
checkouts, run it from each (``PYTHONPATH=<checkout>``) one after the other.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from conformance.comparison.policy import Policy
from conformance.core.outcome import Outcome
from conformance.engine.judging import case_record, result_records
from conformance.oracle.models import build_models
from conformance.results.summary import SummaryBuilder
from conformance.results.writer import LineEncoder
from conformance.sources.cases import Case
from conformance.sources.openapi import load_openapi
from conformance.targets.reference import ReferenceTarget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_goals import SCHEMA_MODEL, SDK_MODEL, make_cases, sdk_targets  # noqa: E402

CONVENTIONS = {
    "reference-python": "python",
    "reference-typescript": "typescript",
    "orq-python": "python",
    "orq-node": "typescript",
}


def answers(cases: list[Case]) -> dict[str, list[Outcome]]:
    """Each installed orq.ai SDK's outcome of every case (its harness runs them once)."""
    out: dict[str, list[Outcome]] = {}
    for make in sdk_targets(16).values():
        target = make()
        target.model_names = {SCHEMA_MODEL: SDK_MODEL}
        target.start()
        try:
            out[target.name] = list(target.run_many(cases))
        finally:
            target.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    schema = load_openapi(ROOT / "cases" / "orq" / "openapi.yaml")
    models = build_models(schema)
    cases, _ = make_cases(args.cases, SCHEMA_MODEL)
    sdks = answers(cases)
    references = [
        ReferenceTarget("reference-python", models, "python"),
        ReferenceTarget("reference-typescript", models, "typescript"),
    ]
    for reference in references:
        reference.start()
    policy = Policy()

    def once() -> float:
        encoder, summary = LineEncoder(), SummaryBuilder()
        encoder.prime(CONVENTIONS)
        began = time.process_time()
        for at, case in enumerate(cases):
            outcomes = [(r.name, r.run(case)) for r in references]
            outcomes += [(name, done[at]) for name, done in sdks.items()]
            results = result_records(case, outcomes, policy, schema, CONVENTIONS)
            for record in [case_record(case), *results]:
                written, _ = encoder.encode(record)
                summary.add(written)
        return (time.process_time() - began) / len(cases)

    once()  # warm: converters, caches
    best = min(once() for _ in range(args.rounds))
    sdk_names = ", ".join(sdks) or "none installed"
    print(
        f"this process per case, the SDKs' answers replayed ({sdk_names}; 2 references):"
        f" {best * 1e3:.3f} ms CPU (the least of {args.rounds} rounds of {len(cases)} cases)"
    )


if __name__ == "__main__":
    main()
