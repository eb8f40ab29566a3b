"""Issue 15's speed goals, each measured in one run beside its baseline, with the ratio.

CPU time per case of every process involved (this one and the harness processes,
read from /proc while they run), as a marginal cost: after a warm-up, over ``--cases``
cases of the same ~1.4 KB completion payloads as bench_harness and bench_reference.

- SDK paths: the tool's round trip of a case through the orq.ai SDK's harness and its
  judging (main + harness CPU), against the SDK's own tight loop over the same texts in
  the SDK's own runtime (Python: ``unmarshal_json`` + ``marshal_json``; Node:
  ``JSON.parse`` + ``X$inboundSchema.parse`` + ``JSON.stringify``). Both with several
  requests in flight (the default) and one at a time (``window=1``, as before).
- Reference check: two reference targets judged with the naming check, against
  ``json.loads`` x2 + ``==``; a divergent case (a key missing; an array one item
  shorter) against an agreeing one.
- A whole run (references + both SDKs through ``execute``, results written): all
  processes' CPU against the two SDKs' own work, and the results' bytes per case
  against the payload's bytes.

Goals it cannot measure here are printed as such. Run: ``nox -s bench -- goals``
or ``python bench/bench_goals.py [--cases N]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.engine.runner import execute
from conformance.oracle.models import build_models
from conformance.results.writer import ResultsWriter
from conformance.sources.cases import Case, LoadedCases
from conformance.sources.openapi import load_openapi
from conformance.targets import Target
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget
from conformance.targets.reference import ReferenceTarget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_reference import payload  # noqa: E402 - the same payloads as the other benches
from goals_runs import jobs_goal, render_goal  # noqa: E402
from goals_table import Row, machine, markdown, write_readme  # noqa: E402

SCHEMA_MODEL = "PostV2ProxyCompletionsData"  # the payload's model in the bundled spec
SDK_MODEL = "CreateCompletionData"  # the same model in the orq.ai SDKs
PYTHON = ROOT / ".sdk" / "python" / "bin" / "python"
NODE_ROOT = ROOT / "sdk" / "node"
NODE_MODULE = "@orq-ai/node/models/operations/index.js"
TICKS = os.sysconf("SC_CLK_TCK")

PY_LOOP = """
import json, sys, time
from orq_ai_sdk.models import {model} as Model
from orq_ai_sdk.utils import marshal_json, unmarshal_json
texts = json.load(open(sys.argv[1]))
for text in texts[:20]:
    marshal_json(unmarshal_json(text, Model), Model)
began = time.process_time()
for text in texts:
    marshal_json(unmarshal_json(text, Model), Model)
print(time.process_time() - began)
"""

NODE_LOOP = """
import {{ readFileSync }} from "node:fs";
const m = await import("{module}");
const schema = m["{model}$inboundSchema"];
const texts = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const text of texts.slice(0, 20)) JSON.stringify(schema.parse(JSON.parse(text)));
const began = process.cpuUsage();
for (const text of texts) JSON.stringify(schema.parse(JSON.parse(text)));
const used = process.cpuUsage(began);
console.log((used.user + used.system) / 1e6);
"""


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process and its reaped children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICKS


def harness_pids(targets: Iterable[Target]) -> list[int]:
    pids = []
    for target in targets:
        process = getattr(target, "process", None)
        if process is not None:
            pids.append(process.popen.pid)
    return pids


def cpu_now(targets: Iterable[Target]) -> float:
    """This process's CPU plus that of the targets' live harness processes."""
    return time.process_time() + sum(proc_cpu(pid) for pid in harness_pids(targets))


def make_cases(count: int, model: str) -> tuple[list[Case], list[str]]:
    texts = [json.dumps(payload(i)) for i in range(count)]
    return [Case(f"c{i}", model, "response", jsonwire.loads(t)) for i, t in enumerate(texts)], texts


def sdk_loop(kind: str, texts: list[str]) -> float | None:
    """Seconds of CPU per case of the SDK's own tight loop (the median of three runs), or
    None when it is not installed."""
    runs = [_sdk_loop_once(kind, texts) for _ in range(3)]
    found = [run for run in runs if run is not None]
    return statistics.median(found) if found else None


def _sdk_loop_once(kind: str, texts: list[str]) -> float | None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "texts.json"
        data.write_text(json.dumps(texts))
        if kind == "python":
            if not PYTHON.exists():
                return None
            script = Path(folder) / "loop.py"
            script.write_text(PY_LOOP.format(model=SDK_MODEL))
            command = [str(PYTHON), str(script), str(data)]
            cwd = None
        else:
            if not shutil.which("node") or not (NODE_ROOT / "node_modules").is_dir():
                return None
            script = NODE_ROOT / f".bench-loop-{os.getpid()}.mjs"
            script.write_text(NODE_LOOP.format(module=NODE_MODULE, model=SDK_MODEL))
            command = ["node", str(script), str(data)]
            cwd = str(NODE_ROOT)
        try:
            out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=cwd)
        finally:
            if kind == "node":
                script.unlink(missing_ok=True)
    return float(out.stdout.strip().splitlines()[-1]) / len(texts)


def sdk_targets(window: int) -> dict[str, Callable[[], HarnessTarget]]:
    made: dict[str, Callable[[], HarnessTarget]] = {}
    if PYTHON.exists():

        def python() -> HarnessTarget:
            target = python_sdk_target(
                "orq-python", str(PYTHON), ["orq_ai_sdk.models"], "orq_ai_sdk"
            )
            target.window = window
            return target

        made["python"] = python
    if shutil.which("node") and (NODE_ROOT / "node_modules").is_dir():

        def node() -> HarnessTarget:
            target = node_sdk_target("orq-node", str(NODE_ROOT), [NODE_MODULE], "@orq-ai/node")
            target.window = window
            return target

        made["node"] = node
    return made


def tool_path(make: Callable[[], HarnessTarget], cases: list[Case]) -> tuple[float, float, float]:
    """(CPU seconds per case of main + harness, wall seconds per case, CPU seconds per case
    of this process alone): run and judge."""
    target = make()
    target.start()
    policy = Policy()
    for outcome in target.run_many(cases[:20]):  # warm: imports, lazy schemas
        assert outcome.state == "accepted", outcome.error
    cpu, wall, main = cpu_now([target]), time.perf_counter(), time.process_time()
    for case, outcome in zip(cases, target.run_many(cases), strict=True):
        judge(case, [(target.name, outcome)], policy)
    cpu, wall = cpu_now([target]) - cpu, time.perf_counter() - wall
    main = time.process_time() - main
    target.close()
    return cpu / len(cases), wall / len(cases), main / len(cases)


def reference_check(count: int) -> tuple[float, float, float, float]:
    """Per case-check seconds: (json.loads x2 + ==, agreeing, key missing, array shorter)."""
    schema = load_openapi(ROOT / "cases" / "orq" / "openapi.yaml")
    models = build_models(schema)
    targets = [
        ReferenceTarget("reference-python", models, "python"),
        ReferenceTarget("reference-typescript", models, "typescript"),
    ]
    conventions = {t.name: t.convention for t in targets}
    cases, texts = make_cases(count, SCHEMA_MODEL)
    policy = Policy()
    checks = len(cases) * len(targets)
    for target in targets:
        target.run(cases[0])
    began = time.process_time()
    for text in texts:
        for _ in targets:
            _ = json.loads(text) == json.loads(text)
    baseline = time.process_time() - began

    def timed(change: Callable[[dict[str, object]], None] | None) -> float:
        # The changed outputs are made before the clock starts. The python-convention
        # reference's is replaced: its native view is its wire, so the change is the only
        # divergence (a typescript one's native would also differ in every name).
        changed = []
        for case in cases:
            wire = copy.deepcopy(case.wire)
            assert isinstance(wire, dict)
            if change is not None:
                change(wire)
            changed.append(wire)
        began = time.process_time()
        for case, wire in zip(cases, changed, strict=True):
            outcomes = [(t.name, t.run(case)) for t in targets]
            if change is not None:
                outcomes[0] = (outcomes[0][0], Outcome("accepted", wire=wire, native=wire))
            judge(case, outcomes, policy, schema, conventions)
        return time.process_time() - began

    def drop_key(wire: dict[str, object]) -> None:
        del wire["usage"]["completion_tokens_details"]["reasoning_tokens"]  # type: ignore[index]

    def shorter(wire: dict[str, object]) -> None:
        wire["choices"].pop()  # type: ignore[attr-defined]

    agreeing = timed(None)
    return baseline / checks, agreeing / checks, timed(drop_key) / checks, timed(shorter) / checks


def whole_run(count: int, window: int = 16) -> tuple[float, float, int, float, float] | None:
    """(CPU s of all processes, wall s, results bytes per case, payload bytes per case, CPU s
    of this process alone: the rest is the harnesses')."""
    makers = sdk_targets(window)
    if len(makers) < 2:
        return None
    schema = load_openapi(ROOT / "cases" / "orq" / "openapi.yaml")
    models = build_models(schema)
    sdks = [make() for make in makers.values()]
    for target in sdks:
        target.model_names = {SCHEMA_MODEL: SDK_MODEL}
    targets: list[Target] = [
        ReferenceTarget("reference-python", models, "python"),
        ReferenceTarget("reference-typescript", models, "typescript"),
        *sdks,
    ]
    cases, texts = make_cases(count, SCHEMA_MODEL)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "results.ndjson"
        began_children = _children_cpu()
        cpu, wall = time.process_time(), time.perf_counter()
        with ResultsWriter(out) as writer:
            execute(LoadedCases(tuple(cases), (), ()), targets, Policy(), writer, schema=schema)
        main = time.process_time() - cpu
        cpu = main + _children_cpu() - began_children
        wall = time.perf_counter() - wall
        size = out.stat().st_size
    return cpu, wall, size // count, sum(map(len, texts)) / count, main


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def verdict(ratio: float, goal: float) -> str:
    return f"{ratio:6.2f}x  goal <= {goal:g}x  {'MET' if ratio <= goal else 'NOT MET'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument(
        "--whole-cases",
        type=int,
        default=3000,
        help="cases of the whole run (its marginal cost over a fifth of them: a harness's"
        " start-up varies by tenths of a second, so the difference needs thousands)",
    )
    parser.add_argument("--render-cases", type=int, default=20_000, help="0: do not measure")
    parser.add_argument("--jobs-generate", type=int, default=300, help="0: do not measure")
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--readme", type=Path, help="also write the table into this README")
    args = parser.parse_args()
    rows: list[Row] = []
    where = machine()
    cases, texts = make_cases(args.cases, SDK_MODEL)
    print(
        f"{args.cases} cases of {sum(map(len, texts)) / len(texts):,.0f} bytes on average;"
        f" {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}"
    )
    print("CPU per case (main + harness), marginal, against the SDK's own tight loop:")
    goals = {"python": 1.3, "node": 2.0}
    loops = {
        "python": "the SDK's own `unmarshal_json` + `marshal_json`",
        "node": "the SDK's own `JSON.parse` + `$inboundSchema.parse` + `JSON.stringify`",
    }
    owns: dict[str, float | None] = {}
    for kind, make in sdk_targets(16).items():
        own = owns[kind] = sdk_loop(kind, texts)
        one = sdk_targets(1)[kind]
        # One run's CPU varies by a tenth and more on a shared machine: the median of three.
        measured = [tool_path(make, cases) for _ in range(3)]
        cpu = statistics.median(m[0] for m in measured)
        wall = statistics.median(m[1] for m in measured)
        main_cpu = statistics.median(m[2] for m in measured)
        cpu1, wall1, _ = tool_path(one, cases)
        assert own is not None
        print(
            f"  {kind:7} SDK own {own * 1e3:6.3f} ms | tool {cpu * 1e3:6.3f} ms"
            f" (wall {wall * 1e3:6.3f} ms; one at a time: CPU {cpu1 * 1e3:6.3f} ms,"
            f" wall {wall1 * 1e3:6.3f} ms, {wall1 / wall:4.2f}x the wall)"
            f" | {verdict(cpu / own, goals[kind])}"
        )
        print(
            f"          of it: this process (request, answer, judging) {main_cpu * 1e3:6.3f} ms,"
            f" the harness (the SDK's work, its reading of the request, its native view and"
            f" answer) {(cpu - main_cpu) * 1e3:6.3f} ms"
        )
        rows.append(
            Row(
                f"{kind.capitalize()} SDK path (main + harness CPU per case)",
                f"{cpu * 1e3:.3f} ms",
                f"{loops[kind]}: {own * 1e3:.3f} ms",
                f"{cpu / own:.2f}x",
                f"<= {goals[kind]:g}x",
                cpu / own <= goals[kind],
            )
        )
    checks = [reference_check(min(args.cases, 2000)) for _ in range(3)]
    base, agree, key, short = (statistics.median(c[i] for c in checks) for i in range(4))
    print("Reference check per case-check (naming check included):")
    print(
        f"  json.loads x2 + == {base * 1e6:7.1f} us | agreeing {agree * 1e6:7.1f} us"
        f" | {verdict(agree / base, 5)}"
    )
    print(f"  key missing {key * 1e6:7.1f} us vs agreeing | {verdict(key / agree, 2)}")
    print(f"  array one shorter {short * 1e6:7.1f} us vs agreeing | {verdict(short / agree, 2)}")
    rows += [
        Row(
            "reference check, agreeing, naming included",
            f"{agree * 1e6:.1f} us",
            f"`json.loads` x2 + `==`: {base * 1e6:.1f} us",
            f"{agree / base:.2f}x",
            "<= 5x",
            agree / base <= 5,
        ),
        Row(
            "a key missing / an array one item shorter",
            f"{key * 1e6:.1f} / {short * 1e6:.1f} us",
            f"agreeing: {agree * 1e6:.1f} us",
            f"{key / agree:.2f}x / {short / agree:.2f}x",
            "<= 2x",
            max(key, short) / agree <= 2,
        ),
    ]
    whole = args.whole_cases
    small = max(20, whole // 5)
    extra = whole - small
    # A marginal cost is the difference of two runs, which doubles their noise: the median
    # of three such differences.
    marginals: list[tuple[float, float, float, float]] = []
    size, bytes_ = 0, 0.0
    for _ in range(3):
        runs = [whole_run(n, w) for n, w in ((small, 16), (whole, 16), (small, 1), (whole, 1))]
        if any(run is None for run in runs):
            break
        (cpu_s, wall_s, _, _, main_s), (cpu, wall, size, bytes_, main), lone_s, lone = [
            run for run in runs if run is not None
        ]
        marginals.append(
            (
                (cpu - cpu_s) / extra,
                (wall - wall_s) / extra,
                (lone[1] - lone_s[1]) / extra,
                (main - main_s) / extra,
            )
        )
    if not marginals:
        print("Whole run: not measured (needs both orq.ai SDKs: `conformance sdk install`)")
    else:
        cpu = statistics.median(m[0] for m in marginals)
        wall = statistics.median(m[1] for m in marginals)
        wall1 = statistics.median(m[2] for m in marginals)
        main_cpu = statistics.median(m[3] for m in marginals)
        own = sum(owns.get(kind) or 0.0 for kind in ("python", "node"))
        print(
            f"Whole run (2 references + 2 SDKs through execute, results written), marginal"
            f" over {small} -> {whole} cases, the median of three:"
        )
        print(
            f"  CPU of all processes {cpu * 1e3:6.3f} ms per case vs both SDKs' own"
            f" {own * 1e3:6.3f} ms | {verdict(cpu / own, 2)}  (bench payloads, not scale)"
        )
        print(
            f"  of it: this process (2 references, judging 4 targets, results)"
            f" {main_cpu * 1e3:6.3f} ms, the two harnesses (the SDKs' own work and the protocol)"
            f" {(cpu - main_cpu) * 1e3:6.3f} ms"
        )
        print(
            f"  wall {wall * 1e3:6.3f} ms per case; one request at a time {wall1 * 1e3:6.3f} ms"
            f" ({wall1 / wall:4.2f}x)"
        )
        print(
            f"  results {size:,} bytes per agreeing case vs payload {bytes_:,.0f}"
            f" | {verdict(size / bytes_, 2)}"
        )
        rows += [
            Row(
                "whole run, CPU of all processes per case (bench payloads)",
                f"{cpu * 1e3:.3f} ms",
                f"both SDKs' own work: {own * 1e3:.3f} ms",
                f"{cpu / own:.2f}x",
                "<= 2x",
                cpu / own <= 2,
            ),
            Row(
                "results per agreeing case",
                f"{size:,} bytes",
                f"the payload: {bytes_:,.0f} bytes",
                f"{size / bytes_:.2f}x",
                "<= 2x",
                size / bytes_ <= 2,
            ),
        ]
    if args.render_cases:
        print("Re-rendering a results file (CPU of the command, start-up included):")
        small = max(1, args.render_cases // 4)
        lines, found = render_goal(args.render_cases, small, args.browser_runs)
        print("\n".join(lines))
        rows += found
    if args.jobs_generate:
        print(f"--jobs 2 against --jobs 1 (wall; `run --generate {args.jobs_generate}`):")
        lines, found = jobs_goal(args.jobs_generate)
        print("\n".join(lines))
        rows += found
    table = markdown(
        rows,
        f"`nox -s bench -- goals` on {where}; {args.cases:,} orq.ai completion payloads of"
        f" {sum(map(len, texts)) / len(texts):,.0f} bytes for the per-case figures (CPU of every"
        f" process, marginal; the whole run's over {whole - max(20, whole // 5):,} cases).",
    )
    print()
    print(table)
    if args.readme is not None:
        write_readme(args.readme, table)
        print(f"wrote the table into {args.readme}")


if __name__ == "__main__":
    main()
