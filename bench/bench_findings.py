"""Benchmark: `conformance findings` on large results files keeps memory flat.

Writes results files of N and 4N result records (cases of four targets, a quarter of
the results diverging, the families written before the footer as a run writes them),
then reads the finding records of each in a fresh process, so each phase's peak memory
(``ru_maxrss``) is its own:

``findings``  ``engine.verify_findings.read_findings``: the tagged scan;
``baseline``  every record parsed and validated (``results.reader.read_results``), as a
              reader that does not know where the findings are would.

Run ``python bench/bench_findings.py [--results N]`` (default 50,000 and 200,000).
Figures are ratios against the baseline in the same run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Outcome
from conformance.results.families import FamilyCollector
from conformance.results.records import (
    STATUSES,
    CaseRecord,
    Footer,
    Header,
    ResultRecord,
    TargetInfo,
)
from conformance.results.writer import ResultsWriter
from conformance.schema import Field, Model, Primitive, Schema

TARGETS = (("ref", "reference"), ("py", "python-sdk"), ("node", "node-sdk"), ("go", "harness"))
SCHEMA = Schema(
    {
        f"M{m}": Model(f"M{m}", tuple(Field(f"f{i}", Primitive("integer")) for i in range(8)))
        for m in range(50)
    }
)


def write(path: Path, results: int) -> None:
    """A results file of about ``results`` result records."""
    kinds = dict(TARGETS)
    families = FamilyCollector(SCHEMA, kinds)
    with ResultsWriter(path) as writer:
        writer.write(
            Header("conformance", "bench", "now", tuple(TargetInfo(n, k) for n, k in TARGETS))
        )
        for number in range(results // len(TARGETS)):
            model, field = f"M{number % 50}", f"f{number % 8}"
            wire = {f"f{i}": 2**53 + number + i for i in range(8)}
            case = CaseRecord(f"c{number}", model, "response", wire)
            writer.write(case)
            rounded = {k: float(v) for k, v in wire.items()}
            records = []
            for name, _ in TARGETS:
                if name == "node":
                    divergence = Divergence(
                        (field,),
                        "value",
                        Side(("input",), wire[field]),
                        Side((name,), rounded[field]),
                    )
                    outcome = Outcome("accepted", wire=rounded, native=rounded)
                    records.append(
                        ResultRecord(case.id, name, "diverge", outcome, (divergence,), (name,))
                    )
                else:
                    outcome = Outcome("accepted", wire=wire, native=wire)
                    group = tuple(n for n, _ in TARGETS if n != "node")
                    records.append(ResultRecord(case.id, name, "pass", outcome, (), group))
            for record in records:
                writer.write(record)
            families.add(case, records)
        for finding in families.records():
            writer.write(finding)
        totals = dict.fromkeys(STATUSES, 0) | {"problems": 0, "stale": 0}
        writer.write(Footer(totals, "now", 0.0, 1))


PHASE = """
import resource, sys, time
from pathlib import Path
began = time.perf_counter()
if sys.argv[1] == "findings":
    from conformance.engine.verify_findings import read_findings
    count = len(read_findings([Path(sys.argv[2])]))
else:
    from conformance.results.reader import read_results
    from conformance.results.records import FindingRecord
    count = sum(isinstance(r, FindingRecord) for r in read_results(sys.argv[2]))
seconds = time.perf_counter() - began
print(count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def phase(name: str, path: Path) -> tuple[int, float, int]:
    done = subprocess.run(
        [sys.executable, "-c", PHASE, name, str(path)], capture_output=True, text=True, check=True
    )
    count, seconds, peak = done.stdout.split()
    return int(count), float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=int, default=50_000, help="the smaller file's results")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (args.results, 4 * args.results):
            path = Path(folder) / f"r{size}.ndjson"
            began = time.perf_counter()
            write(path, size)
            written = time.perf_counter() - began
            found, seconds, peak = phase("findings", path)
            _, base_seconds, base_peak = phase("baseline", path)
            rows.append(
                {
                    "results": size,
                    "megabytes": round(path.stat().st_size / 2**20, 1),
                    "families": found,
                    "written_s": round(written, 1),
                    "findings_s": round(seconds, 2),
                    "findings_peak_mib": round(peak / 1024, 1),
                    "baseline_s": round(base_seconds, 2),
                    "baseline_peak_mib": round(base_peak / 1024, 1),
                    "speedup_vs_baseline": round(base_seconds / seconds, 1),
                }
            )
    small, large = rows
    print(json.dumps(rows, indent=2))
    print(
        f"findings: {large['results']:,} results in {large['findings_s']} s "
        f"({large['speedup_vs_baseline']}x the full read); peak memory "
        f"{small['findings_peak_mib']} MiB at {small['results']:,} results, "
        f"{large['findings_peak_mib']} MiB at {large['results']:,}"
    )


if __name__ == "__main__":
    main()
