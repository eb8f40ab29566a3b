"""Reproducers of findings run against tiny SDK-shaped packages, and ``conformance findings``.

Each reproducer is written from a hand-built finding record (the writer of
finding records is another module's) and run as a user would run it: the Python
one with the SDK's interpreter, the Node one with ``node``. A finding that says
what the tiny SDK really does must exit 0; one that claims what it does not do
must exit 1 and say what the SDK did instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from conformance.core import jsonwire
from conformance.core.divergence import Side, path_text
from conformance.exceptions import ResultsError
from conformance.report.reproduce import parse_path, write_reproducers
from conformance.results.findings_merge import PATHS, merge_findings
from conformance.results.records import FindingExample, FindingRecord, Header
from conformance.results.reproducers import SdkTarget
from conformance.results.writer import ResultsWriter
from tests.tiny_sdks import (
    SDK_PYTHON,
    require_pydantic,
    require_zod,
    write_pydantic_sdk,
    write_zod_sdk,
)

# A model the tiny pydantic SDK reads as a float: integers beyond 2^53 lose digits.
METER = """\
import pydantic


class Meter(pydantic.BaseModel):
    reading: float
"""

# The same in the tiny zod SDK: JSON.parse rounds the integer before zod sees it.
ZOD_METER = """\
import * as z from "zod";

export const Meter$inboundSchema = z.object({ reading: z.number() });
export const Meter$outboundSchema = z.object({ reading: z.number() });
"""

# Another model named Meter, in another module: it writes the reading as a string.
ZOD_GAUGE = """\
import * as z from "zod";

export const Meter$inboundSchema = z.object({ reading: z.number() });
export const Meter$outboundSchema = z
  .object({ reading: z.number() })
  .transform((v) => ({ reading: String(v.reading) }));
"""

BIG = 9007199254740993


def finding(
    id: str,
    kind: str,
    model: str,
    wire: Any,
    path: str,
    got: Side,
    expected: Side,
    direction: str = "response",
) -> FindingRecord:
    """A finding record whose example is ``wire`` of ``model``, diverging at ``path``."""
    example = FindingExample(
        case=f"{id}-case",
        model=model,
        direction=direction,
        path=path,
        wire=jsonwire.loads(jsonwire.dumps(wire)),
        expected=expected,
        got=got,
    )
    return FindingRecord(
        id=id,
        sentence=f"the {kind} family {id}",
        kind=kind,
        severity="fail",
        verdict="one-sdk",
        odd=got.targets[0],
        diverging=got.targets,
        expectation=expected.targets,
        input_class="",
        output_class="",
        field_type="",
        cases=1,
        models=1,
        paths=(path,),
        more_paths=0,
        example=example,
    )


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


# ---------------------------------------------------------------- Python


@pytest.fixture
def python_sdk(tmp_path: Path) -> SdkTarget:
    """The tiny pydantic SDK with a float model, behind a wrapper interpreter that finds it."""
    require_pydantic()
    source = write_pydantic_sdk(tmp_path / "src")
    (source / "vendor" / "client" / "models" / "meter.py").write_text(METER)
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{source}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    return SdkTarget(
        "tiny-python", "python-sdk", str(python), ("vendor.client.models",), "vendor.client"
    )


def py(
    id: str,
    kind: str,
    model: str,
    wire: Any,
    path: str,
    got: Any,
    exp: Any,
    *,
    present: bool = True,
    direction: str = "response",
) -> FindingRecord:
    """A finding on ``tiny-python`` against the input."""
    return finding(
        id, kind, model, wire, path,
        Side(("tiny-python",), got, present), Side(("input",), exp), direction,
    )  # fmt: skip


PET = {"pet_name": "Rex"}
PET_COLOUR = {"pet_name": "Rex", "colour": "red"}
PET_NULL = {"pet_name": "Rex", "nickname": None}
ROUNDED = Decimal("9007199254740992.0")

PYTHON_FAMILIES = [
    pytest.param(
        py("rounds", "value", "Meter", {"reading": BIG}, "$.reading", ROUNDED, BIG),
        0, id="rounds-big-integers",
    ),
    pytest.param(
        py("keeps", "value", "Meter", {"reading": BIG}, "$.reading", BIG, BIG),
        1, id="claims-it-keeps-big-integers",
    ),
    pytest.param(
        py("drops", "missing", "Pet", PET_COLOUR, '$["colour"]', None, "red", present=False),
        0, id="drops-an-unknown-key",
    ),
    pytest.param(
        py("drops-null", "missing", "Pet", PET_NULL, "$.nickname", None, None, present=False,
           direction="request"),
        0, id="drops-null-from-a-request",
    ),
    pytest.param(
        py("keeps-name", "missing", "Pet", PET, "$.pet_name", None, "Rex", present=False),
        1, id="claims-it-drops-a-declared-key",
    ),
    pytest.param(
        py("lax", "accept", "Owner", {"id": "7"}, "$", "accepted", "rejected"),
        0, id="accepts-a-numeric-string",
    ),
    pytest.param(
        py("strict", "accept", "Owner", {"id": "seven"}, "$", "accepted", "rejected"),
        1, id="claims-it-accepts-a-word",
    ),
    pytest.param(
        py("int-text", "number-format", "Owner", {"id": Decimal("1.0")}, "$.id", 1,
           Decimal("1.0")),
        0, id="writes-1.0-as-1",
    ),
    pytest.param(
        py("float-text", "number-format", "Meter", {"reading": 1}, "$.reading", 1, 1),
        1, id="claims-1-stays-1-in-a-float-field",
    ),
    pytest.param(
        py("snake", "naming", "Pet", PET, "$.pet_name", "pet_name", "pet_name"),
        0, id="names-pet_name-pet_name",
    ),
    pytest.param(
        py("camel", "naming", "Pet", PET, "$.pet_name", "petName", "pet_name"),
        1, id="claims-pet_name-is-petName",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("family", "code"), PYTHON_FAMILIES)
def test_python_reproducer_exits_by_whether_the_sdk_does_it(
    family: FindingRecord, code: int, python_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A Python reproducer exits 0 where the SDK does what the family says, 1 where not."""
    (written,) = write_reproducers([family], [python_sdk], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    verdict = "REPRODUCED: " if code == 0 else "NOT REPRODUCED: expected "
    assert (done.returncode, done.stdout.startswith(verdict)) == (code, True), done


def test_python_reproducer_says_what_the_sdk_did_instead(
    python_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A family the SDK does not reproduce names the value it wrote at the path."""
    family = py("keeps", "value", "Meter", {"reading": BIG}, "$.reading", BIG, BIG)
    (written,) = write_reproducers([family], [python_sdk], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    assert done.stdout.strip() == (
        f"NOT REPRODUCED: expected {BIG} at $.reading;"
        " the SDK wrote 9007199254740992.0 at $.reading"
    )


def test_python_reproducer_exits_2_naming_the_module_it_cannot_import(
    python_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A module that cannot be imported is the script's error (2), and says which."""
    target = SdkTarget(
        "tiny-python", "python-sdk", python_sdk.program, ("vendor.absent",), "vendor.client"
    )
    family = py("rounds", "value", "Meter", {"reading": BIG}, "$.reading", BIG, BIG)
    (written,) = write_reproducers([family], [target], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert "ERROR: cannot import vendor.absent: ModuleNotFoundError" in done.stderr


@pytest.mark.parametrize(("claim", "passes"), [(Decimal("9007199254740992.0"), True), (BIG, False)])
def test_python_reproducer_has_a_test_function_with_the_same_check(
    claim: object, passes: bool, python_sdk: SdkTarget, tmp_path: Path
) -> None:
    """The script's ``test_<id>`` passes or fails an assertion as the script exits 0 or 1."""
    family = py("f-1", "value", "Meter", {"reading": BIG}, "$.reading", claim, BIG)
    (written,) = write_reproducers([family], [python_sdk], tmp_path / "out")
    # The SDK's interpreter has no pytest: call the test function as pytest would.
    call = f"import runpy; runpy.run_path({str(written.file)!r})['test_f_1']()"
    done = run([python_sdk.program, "-c", call], tmp_path)
    assert (done.returncode == 0, "AssertionError: NOT REPRODUCED" in done.stderr) == (
        passes,
        not passes,
    ), done.stderr


# ---------------------------------------------------------------- Node


@pytest.fixture
def node_sdk(tmp_path: Path) -> SdkTarget:
    """The tiny zod SDK, its modules listed as a folder of per-model files."""
    require_zod()
    root = write_zod_sdk(tmp_path / "node")
    components = root / "node_modules" / "@tiny" / "sdk" / "dist" / "models" / "components"
    (components / "meter.js").write_text(ZOD_METER)
    modules = ("@tiny/sdk/models/components/",)
    return SdkTarget("tiny-node", "node-sdk", "node", modules, "@tiny/sdk", str(root))


def nd(
    id: str,
    kind: str,
    model: str,
    wire: Any,
    path: str,
    got: Any,
    exp: Any,
    *,
    present: bool = True,
) -> FindingRecord:
    """A finding on ``tiny-node`` against the input."""
    got_side = Side(("tiny-node",), got, present)
    return finding(id, kind, model, wire, path, got_side, Side(("input",), exp))


NODE_FAMILIES = [
    pytest.param(
        nd("rounds", "value", "Meter", {"reading": BIG}, "$.reading", BIG - 1, BIG),
        0, id="rounds-big-integers",
    ),
    pytest.param(
        nd("keeps", "value", "Meter", {"reading": BIG}, "$.reading", BIG, BIG),
        1, id="claims-it-keeps-big-integers",
    ),
    pytest.param(
        nd("unsafe", "accept", "Owner", {"id": BIG}, "$", "rejected", "accepted"),
        0, id="rejects-an-unsafe-integer",
    ),
    pytest.param(
        nd("strips", "missing", "Pet", PET_COLOUR, "$.colour", None, "red", present=False),
        0, id="strips-an-unknown-key",
    ),
    pytest.param(
        nd("rejects", "accept", "Owner", {"id": Decimal("1.5")}, "$", "rejected", "accepted"),
        0, id="rejects-a-fraction",
    ),
    pytest.param(
        nd("accepts", "accept", "Owner", {"id": 2}, "$", "rejected", "accepted"),
        1, id="claims-it-rejects-2",
    ),
    pytest.param(
        nd("camel", "naming", "Pet", PET, "$.pet_name", "petName", "pet_name"),
        0, id="names-it-petName",
    ),
    pytest.param(
        nd("snake", "naming", "Pet", PET, "$.pet_name", "pet_name", "pet_name"),
        1, id="claims-pet_name",
    ),
]  # fmt: skip


@pytest.mark.node
@pytest.mark.parametrize(("family", "code"), NODE_FAMILIES)
def test_node_reproducer_exits_by_whether_the_sdk_does_it(
    family: FindingRecord, code: int, node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A Node reproducer exits 0 where the SDK does what the family says, 1 where not."""
    (written,) = write_reproducers([family], [node_sdk], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    verdict = "REPRODUCED: " if code == 0 else "NOT REPRODUCED: expected "
    assert (done.returncode, done.stdout.startswith(verdict)) == (code, True), done


@pytest.mark.node
def test_node_reproducer_takes_the_model_of_the_module_its_name_gives(
    node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A ``<module>#Name`` model is that module's, though an earlier module has the name too."""
    components = Path(node_sdk.root) / "node_modules" / "@tiny" / "sdk" / "dist" / "models"
    (components / "components" / "gauge.js").write_text(ZOD_GAUGE)
    family = nd("rounds", "value", "Meter", {"reading": BIG}, "$.reading", BIG - 1, BIG)
    files = tuple(f"@tiny/sdk/models/components/{name}.js" for name in ("gauge", "meter"))
    target = SdkTarget("tiny-node", "node-sdk", "node", files, "@tiny/sdk", node_sdk.root)
    codes = []
    for name in ("Meter", "@tiny/sdk/models/components/meter.js#Meter"):
        example = attrs.evolve(family.example, names={"tiny-node": name})
        (written,) = write_reproducers(
            [attrs.evolve(family, example=example)], [target], tmp_path / "out"
        )
        codes.append(run(list(written.command), tmp_path).returncode)
    assert codes == [1, 0]


@pytest.mark.node
@pytest.mark.parametrize(("claim", "passes"), [(BIG - 1, True), (BIG, False)])
def test_node_reproducer_runs_under_node_test(
    claim: int, passes: bool, node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """``node --test FILE`` passes or fails as ``node FILE`` exits 0 or 1."""
    family = nd("f-1", "value", "Meter", {"reading": BIG}, "$.reading", claim, BIG)
    (written,) = write_reproducers([family], [node_sdk], tmp_path / "out")
    done = run(["node", "--test", str(written.file)], tmp_path)
    assert (done.returncode == 0, "# pass 1" in done.stdout) == (passes, passes), done.stdout


@pytest.mark.node
def test_node_reproducer_exits_2_for_a_model_it_cannot_find(
    node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A model that no listed module exports is the script's error (2), and says so."""
    family = nd("lost", "value", "Nothing", {"id": 1}, "$.id", 1, 1)
    (written,) = write_reproducers([family], [node_sdk], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert "ERROR: model Nothing not found in @tiny/sdk/models/components/" in done.stderr


# ---------------------------------------------------------------- which targets, paths


def test_each_sdk_the_family_names_gets_a_reproducer_of_its_own_side(tmp_path: Path) -> None:
    """An SDK on the expectation side gets a reproducer that checks the expected side."""
    family = finding(
        "split", "value", "Owner", {"id": BIG}, "$.id",
        Side(("tiny-node",), BIG - 1), Side(("input", "tiny-python"), BIG),
    )  # fmt: skip
    targets = [
        SdkTarget("tiny-python", "python-sdk", "python", ("m",), "p"),
        SdkTarget("tiny-node", "node-sdk", "node", ("m",), "p", "/root"),
        SdkTarget("other", "node-sdk", "node", ("m",), "p", "/root"),
    ]
    written = write_reproducers([family], targets, tmp_path)
    assert [(w.target, w.file.name) for w in written] == [
        ("tiny-node", "split_tiny-node.mjs"),
        ("tiny-python", "split_tiny-python.py"),
    ]
    python_text = written[1].file.read_text()
    assert f"EXPECTED_TEXT = '{BIG}'" in python_text


@pytest.mark.parametrize(
    "path", [(), ("a",), ("a", 0, "b"), ("self-harm/intent",), ('qu"o\\te', 3), ("", "é")]
)
def test_parse_path_reads_what_path_text_writes(path: tuple[str | int, ...]) -> None:
    """Every path ``path_text`` writes parses back to its segments."""
    assert parse_path(path_text(path)) == path


@pytest.mark.parametrize("text", ["a.b", "$.", "$[x]", '$["open', "$.a b"])
def test_parse_path_refuses_what_is_no_path(text: str) -> None:
    """A path that is not in ``path_text``'s form is a ResultsError naming it."""
    with pytest.raises(ResultsError, match="cannot be read"):
        parse_path(text)


# ---------------------------------------------------------------- merging shards


def test_merge_findings_adds_counts_unites_paths_and_keeps_the_smaller_example() -> None:
    """Two shards' records of one family merge into one; other families stay apart."""
    wire = {"a": 1, "b": [1, 2, 3]}
    big = finding("f", "value", "M", wire, "$.a", Side(("x",), 2), Side(("input",), 1))
    small = finding("f", "value", "M", {"a": 1}, "$.c", Side(("x",), 2), Side(("input",), 1))
    other = finding("g", "extra", "M", {}, "$.z", Side(("x",), 2), Side(("input",), None))
    first = _with(big, cases=3, models=2, paths=("$.a", "$.b"))
    second = _with(small, cases=4, models=1, paths=("$.b", "$.c"))
    merged = merge_findings([first, other, second])
    assert [m.id for m in merged] == ["f", "g"]
    assert (merged[0].cases, merged[0].models, merged[0].paths, merged[0].more_paths) == (
        7,
        3,
        ("$.a", "$.b", "$.c"),
        0,
    )
    assert merged[0].example == small.example
    assert merged[1] == other


def test_merge_findings_caps_the_paths_and_counts_the_rest() -> None:
    """Paths beyond the cap are counted in ``more_paths``, with each shard's own count."""
    one = _with(finding("f", "value", "M", {}, "$", Side(("x",)), Side(("y",))),
                paths=tuple(f"$.a{n}" for n in range(PATHS)), more_paths=2)  # fmt: skip
    two = _with(one, paths=("$.a0", "$.b"), more_paths=1)
    (merged,) = merge_findings([one, two])
    assert (len(merged.paths), merged.more_paths) == (PATHS, 2 + 1 + 1)


def _with(record: FindingRecord, **changes: Any) -> FindingRecord:
    return attrs.evolve(record, **changes)


# ---------------------------------------------------------------- the command


def _conformance(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "conformance", *args], cwd)


def _results(path: Path, *records: FindingRecord) -> Path:
    with ResultsWriter(path) as writer:
        writer.write(Header("conformance", "0", "2024-01-01T00:00:00Z"))
        for record in records:
            writer.write(record)
    return path


def test_findings_command_refuses_results_without_findings(tmp_path: Path) -> None:
    """A results file with no finding records exits 2, saying that runs write them."""
    results = _results(tmp_path / "results.ndjson")
    done = _conformance("findings", str(results), cwd=tmp_path)
    assert done.returncode == 2
    assert "no finding records in" in done.stderr
    assert "`conformance run` writes one finding record per root-cause family" in done.stderr


@pytest.mark.node
def test_findings_verify_marks_each_family_and_target(
    python_sdk: SdkTarget, node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """--verify runs every reproducer: verified where the SDK does it, else not reproduced."""
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.conformance.targets]]\n"
        'name = "tiny-python"\nkind = "python-sdk"\n'
        f'python = "{python_sdk.program}"\n'
        'modules = ["vendor.client.models"]\npackage = "vendor.client"\n'
        "[[tool.conformance.targets]]\n"
        'name = "tiny-node"\nkind = "node-sdk"\n'
        f'root = "{node_sdk.root}"\n'
        'modules = ["@tiny/sdk/models/components/"]\npackage = "@tiny/sdk"\n'
    )
    rounds = finding(
        "rounds", "value", "Meter", {"reading": BIG}, "$.reading",
        Side(("tiny-node",), BIG - 1), Side(("input",), BIG),
    )  # fmt: skip
    meter = py("meter", "value", "Meter", {"reading": BIG}, "$.reading", BIG, BIG)
    shard = _with(rounds, cases=5)
    results = [
        _results(tmp_path / "a.ndjson", rounds, meter),
        _results(tmp_path / "b.ndjson", shard),
    ]
    done = _conformance(
        "findings", *map(str, results), "--reproduce", "out", "--verify", "--format", "pretty",
        cwd=tmp_path,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert lines[0] == "2 cause(s) over 2 root-cause families"
    # Each cause, with what its families' reproducers showed, then its families.
    assert lines[1].endswith("[verified (1 reproducer)]")
    assert lines[2] == "  rounds  6 cases  2 models  the value family rounds"
    assert lines[3].endswith("[not reproduced (1 of 1 reproducers)]")
    assert lines[4] == "  meter  1 case  1 model  the value family meter"
    assert lines[5:7] == [
        "wrote out/rounds_tiny-node.mjs",
        "wrote out/meter_tiny-python.py",
    ]
    assert [line.split("  ")[:3] for line in lines[7:]] == [
        ["rounds", "tiny-node", "verified"],
        ["meter", "tiny-python", "not reproduced"],
    ]


def test_findings_verify_exits_0_when_every_family_is_verified(
    python_sdk: SdkTarget, tmp_path: Path
) -> None:
    """When every reproducer is verified, the command exits 0 (JSON lists each verdict)."""
    (tmp_path / "pyproject.toml").write_text(
        "[[tool.conformance.targets]]\n"
        'name = "tiny-python"\nkind = "python-sdk"\n'
        f'python = "{python_sdk.program}"\n'
        'modules = ["vendor.client.models"]\npackage = "vendor.client"\n'
    )
    meter = py("meter", "value", "Meter", {"reading": BIG}, "$.reading", ROUNDED, BIG)
    results = _results(tmp_path / "a.ndjson", meter)
    done = _conformance("findings", str(results), "--verify", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [(v["finding"], v["status"]) for v in document["verifications"]] == [
        ("meter", "verified")
    ]
    assert [(c["families"], c["verification"]) for c in document["causes"]] == [
        (["meter"], "verified (1 reproducer)")
    ]
    assert document["reproducers"] == []


@pytest.mark.node
def test_node_reproducer_reads_the_exact_text_and_counts_json_parse_as_the_sdk(
    node_sdk: SdkTarget, tmp_path: Path
) -> None:
    """A family whose case is a NaN token feeds that text to the SDK: JSON.parse refusing it
    is the SDK rejecting the payload, not an error of the script."""
    family = nd("nan", "accept", "Owner", {"id": None}, "$", "rejected", "accepted")
    family = attrs.evolve(family, example=attrs.evolve(family.example, wire_text='{"id":NaN}'))
    (written,) = write_reproducers([family], [node_sdk], tmp_path / "out")
    done = run(list(written.command), tmp_path)
    assert (done.returncode, done.stdout.startswith("REPRODUCED: ")) == (0, True), done
    assert "NaN" in written.file.read_text()
