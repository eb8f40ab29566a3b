"""Benchmark: read two SDK docs trees of ~18,000 pages each, then cross-check them.

Generates a Python tree (``docs/models/*.md``) and a TypeScript tree
(``docs/models/{components,operations,errors}/*.md``) in a temporary folder,
shaped like Speakeasy's (padded tables, links between pages, nested model
references, enums, unions, TypeScript examples, a few acronym and ``T``-suffix
names, and a sprinkle of real differences), then times each phase in a fresh
process so that each one's peak memory (``ru_maxrss``) is its own:

``schema``  ``schema_from_docs(py, ts)``: the whole schema (memory grows with it);
``check``   ``check_docs``: the streamed cross-check (memory should stay flat);
``cases``   ``docs_cases``: cases from the TypeScript examples.

Run ``python bench/bench_docs.py [--pages N] [--phases schema,check,cases]``;
``--pages`` is per language (default 18,000). The target is under 30 s for
``schema`` plus ``check`` on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "agent",
    "chat",
    "completion",
    "choice",
    "usage",
    "tool",
    "call",
    "message",
    "content",
    "part",
    "delta",
    "stream",
    "response",
    "request",
    "body",
    "filter",
    "knowledge",
    "chunk",
    "dataset",
    "prompt",
    "model",
    "deployment",
    "evaluator",
    "trace",
    "span",
    "budget",
    "key",
    "owner",
    "scope",
    "status",
    "metadata",
    "config",
    "retry",
    "timeout",
    "fallback",
    "router",
    "provider",
    "invoke",
    "output",
    "input",
    "file",
    "image",
    "audio",
)
DESCRIPTIONS = (
    "A unique identifier for the object.",
    "The list of choices the model generated for the input prompt.",
    "The Unix timestamp (in seconds) of when the object was created.",
    "This fingerprint represents the backend configuration that the model runs with.",
    "Usage statistics for the request.",
    "N/A",
)
PY_LINK_DATE = "[date](https://docs.python.org/3/library/datetime.html#date-objects)"
TS_LINK_DATE = (
    "[Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date)"
)


def camel(words: list[str]) -> str:
    return words[0] + "".join(w.title() for w in words[1:])


def table(rows: list[list[str]], header: list[str]) -> str:
    """A Markdown table padded like Speakeasy's: every column as wide as the widest cell."""
    width = max(len(cell) for row in [header, *rows] for cell in row)
    lines = ["| " + " | ".join(c.ljust(width) for c in header) + " |"]
    lines.append("| " + " | ".join("-" * width for _ in header) + " |")
    lines += ["| " + " | ".join(c.ljust(width) for c in row) + " |" for row in rows]
    return "\n".join(lines)


class Generator:
    """Makes one API of ``pages`` definitions and writes its two docs trees."""

    def __init__(self, pages: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.kinds: list[str] = []
        self.names: list[str] = []
        used: set[str] = set()
        for index in range(pages):
            roll = index % 100
            kind = "model" if roll < 45 else "enum" if roll < 92 else "union"
            while True:
                words = self.rng.sample(WORDS, 3)
                name = "".join(w.title() for w in words) + str(index)
                if name not in used:
                    break
            used.add(name)
            self.kinds.append(kind)
            self.names.append(name)

    def ts_name(self, index: int) -> str:
        name = self.names[index]
        if index % 97 == 5:
            return name.replace(name[:3], name[:3].upper(), 1)
        return name

    def py_name(self, index: int) -> str:
        return self.names[index]

    def namespace(self, index: int) -> str:
        return "components" if index % 20 == 0 else "errors" if index % 101 == 0 else "operations"

    def write(self, root: Path) -> None:
        py_models = root / "python" / "docs" / "models"
        ts_models = root / "typescript" / "docs" / "models"
        py_models.mkdir(parents=True)
        for folder in ("components", "operations", "errors"):
            (ts_models / folder).mkdir(parents=True)
        for index in range(len(self.names)):
            py_text, ts_text = self.page(index)
            (py_models / f"{self.py_name(index).lower()}.md").write_text(py_text)
            ts_file = ts_models / self.namespace(index) / f"{self.ts_name(index).lower()}.md"
            ts_file.write_text(ts_text)

    def ref(self, index: int, kinds: tuple[str, ...]) -> int:
        for _ in range(20):
            other = self.rng.randrange(len(self.names))
            if self.kinds[other] in kinds and other != index:
                return other
        return (index + 1) % len(self.names)

    def links(self, other: int) -> tuple[str, str]:
        py = f"models.{self.py_name(other)}](../models/{self.py_name(other).lower()}.md)"
        ns = self.namespace(other)
        ts_target = f"../../models/{ns}/{self.ts_name(other).lower()}.md"
        return py, f"[{ns}.{self.ts_name(other)}]({ts_target})"

    def field(self, index: int) -> tuple[list[str], list[str], str]:
        """One field: its Python row, TypeScript row, and the example value (JavaScript)."""
        words = self.rng.sample(WORDS, self.rng.choice((1, 1, 2, 2, 3)))
        required = self.rng.random() < 0.4
        flag = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        description = self.rng.choice(DESCRIPTIONS)
        roll = self.rng.random()
        if roll < 0.25:
            py, ts, example = "*str*", "*string*", '"<value>"'
        elif roll < 0.35:
            py, ts, example = "*int*", "*number*", "42"
        elif roll < 0.45:
            py, ts, example = "*float*", "*number*", "4113.95"
        elif roll < 0.5:
            py, ts, example = "*bool*", "*boolean*", "true"
        elif roll < 0.55:
            py, ts, example = PY_LINK_DATE, TS_LINK_DATE, 'new Date("2024-07-09T19:24:40.889Z")'
        elif roll < 0.6:
            py, ts, example = "Dict[str, *Any*]", "Record<string, *any*>", '{ "key": "<value>" }'
        elif roll < 0.7:
            py, ts, example = "List[*str*]", "*string*[]", '["<value>"]'
        elif roll < 0.85:
            py_link, ts_link = self.links(self.ref(index, ("enum",)))
            py, ts, example = f"[{py_link}", ts_link, "undefined"
        elif roll < 0.93:
            py_link, ts_link = self.links(self.ref(index, ("model",)))
            py, ts, example = f"List[[{py_link}]", f"{ts_link}[]", "[]"
        else:
            other = self.ref(index, ("union",))
            py_link, _ = self.links(other)
            ns = self.namespace(other)
            py, ts, example = f"[{py_link}", f"*{ns}.{self.ts_name(other)}*", '"<value>"'
        if not required and not py.startswith(("List", "Dict")):
            py = f"*Optional[{py.strip('*')}]*" if py.startswith("*") else py
        ts_description = description
        if self.rng.random() < 0.01:
            ts_description = description.rstrip(".")
        py_row = [f"`{'_'.join(words)}`", py, flag, description]
        ts_row = [f"`{camel(words)}`", ts, flag, ts_description]
        return py_row, ts_row, f"{camel(words)}: {example}"

    def page(self, index: int) -> tuple[str, str]:
        kind = self.kinds[index]
        py_title, ts_title = f"# {self.py_name(index)}\n\n", f"# {self.ts_name(index)}\n\n"
        ns = self.namespace(index)
        if kind == "enum":
            values = [f"{self.rng.choice(WORDS)}_{n}" for n in range(self.rng.randint(2, 6))]
            ts_values = values if self.rng.random() > 0.01 else values[:-1]
            py = py_title + "\n## Values\n\n" + "\n".join(f'- `"{v}"`' for v in values) + "\n"
            ts = ts_title + "## Values\n\n```typescript\n" + " | ".join(f'"{v}"' for v in ts_values)
            return py, ts + "\n```\n"
        if kind == "union":
            other = self.ref(index, ("model",))
            members = [
                ("str", "string"),
                ("float", "number"),
                (f"models.{self.py_name(other)}", f"{self.namespace(other)}.{self.ts_name(other)}"),
            ]
            py = py_title + "\n## Supported Types\n\n"
            ts = ts_title + "\n## Supported Types\n\n"
            for py_member, ts_member in members:
                py += (
                    f"### `{py_member}`\n\n```python\n"
                    f"value: {py_member} = /* values here */\n```\n\n"
                )
                ts += (
                    f"### `{ts_member}`\n\n```typescript\nconst value: {ts_member} = {{}};\n```\n\n"
                )
            return py, ts
        fields, seen = [], set()
        for _ in range(self.rng.randint(3, 12)):
            made = self.field(index)
            if made[0][0] not in seen:
                seen.add(made[0][0])
                fields.append(made)
        header = ["Field", "Type", "Required", "Description"]
        py = py_title + "\n## Fields\n\n" + table([f[0] for f in fields], header) + "\n"
        example = ",\n".join(f"  {f[2]}" for f in fields)
        ts = (
            ts_title
            + "## Example Usage\n\n```typescript\n"
            + f'import {{ {self.ts_name(index)} }} from "@acme/sdk/models/{ns}";\n\n'
            + f"let value: {self.ts_name(index)} = {{\n{example},\n}};\n```\n\n"
            + "## Fields\n\n"
            + table([f[1] for f in fields], header)
            + "\n"
        )
        return py, ts


def run_phase(phase: str, root: Path) -> dict[str, object]:
    """Run one phase in this process; return its counts, wall time and peak memory."""
    from conformance.comparison.docs_check import PagePairResult, check_docs_roots
    from conformance.sources.sdkdocs.examples import docs_cases
    from conformance.sources.sdkdocs.reader import schema_from_docs

    python, typescript = root / "python", root / "typescript"
    start = time.perf_counter()
    counts: dict[str, int] = {}
    if phase == "schema":
        schema = schema_from_docs(python, typescript)
        counts = {"definitions": len(schema.definitions), "problems": len(schema.problems)}
    elif phase == "check":
        counts = {"pairs": 0, "unpaired": 0, "divergences": 0, "problems": 0}
        for result in check_docs_roots(python, typescript):
            if isinstance(result, PagePairResult):
                counts["pairs"] += 1
                counts["divergences"] += len(result.divergences)
            else:
                counts["unpaired"] += 1
            counts["problems"] += len(result.problems)
    elif phase == "cases":
        counts = {"cases": 0, "problems": 0}
        for page in docs_cases(python, typescript):
            counts["cases"] += len(page.cases)
            counts["problems"] += len(page.problems)
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "phase": phase,
        "seconds": round(elapsed, 2),
        "peak_mib": round(peak_kib / 1024, 1),
        **counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=18_000, help="pages per language")
    parser.add_argument("--phases", default="schema,check,cases")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.root))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-docs-") as folder:
        root = Path(folder)
        start = time.perf_counter()
        Generator(args.pages).write(root)
        print(f"generated {args.pages} pages per language in {time.perf_counter() - start:.1f} s")
        total = 0.0
        for phase in args.phases.split(","):
            out = subprocess.run(
                [sys.executable, __file__, "--phase", phase, "--root", str(root)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout)
            seconds = float(result["seconds"])
            if phase in ("schema", "check"):
                total += seconds
            rate = 2 * args.pages / seconds if seconds else 0.0
            print(f"{phase:7} {seconds:6.2f} s  {rate:8.0f} pages/s  peak {result['peak_mib']} MiB")
            counts = {k: v for k, v in result.items() if k not in ("phase", "seconds", "peak_mib")}
            print(f"        {json.dumps(counts)}")
        print(f"schema + check: {total:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
