"""The orq.ai SDK pair (PyPI orq-ai-sdk, npm @orq-ai/node, both 4.15.11) through real harnesses.

The SDKs are installed by the nox ``tests`` session (``install_sdks`` in the
noxfile, cached in ``.sdk/`` and ``sdk/node/node_modules``). Run outside nox
without them, these tests skip; on CI (``CI=true``) a missing install fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.sources.cases import Case
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget

ROOT = Path(__file__).parent.parent
PYTHON = ROOT / ".sdk" / "python" / "bin" / "python"
NODE_ROOT = ROOT / "sdk" / "node"
MODEL = "CreateCompletionData"
MINIMAL = {
    "id": "cmpl-1",
    "choices": [{"finish_reason": "stop", "index": 0, "text": "hi"}],
    "model": "m",
    "object": "text_completion",
}


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    message = f"{what} is not installed: run `nox -s tests` (it installs the pinned SDKs)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


pytestmark = pytest.mark.network


@pytest.fixture
def python_sdk() -> Iterator[HarnessTarget]:
    """The orq-ai-sdk harness target."""
    _require(PYTHON.exists(), "orq-ai-sdk")
    target = python_sdk_target("orq-python", str(PYTHON), ["orq_ai_sdk.models"], "orq_ai_sdk")
    yield target
    target.close()


@pytest.fixture
def node_sdk() -> Iterator[HarnessTarget]:
    """The @orq-ai/node harness target."""
    _require(
        shutil.which("node") is not None and (NODE_ROOT / "node_modules").is_dir(),
        "@orq-ai/node (or Node.js)",
    )
    target = node_sdk_target(
        "orq-node", str(NODE_ROOT), ["@orq-ai/node/models/operations/index.js"], "@orq-ai/node"
    )
    yield target
    target.close()


def test_both_harnesses_report_the_pinned_sdk_version(
    python_sdk: HarnessTarget, node_sdk: HarnessTarget
) -> None:
    """The handshake names each SDK and version 4.15.11."""
    started = [t.start() for t in (python_sdk, node_sdk)]
    found = {(i.sdk, i.sdk_version) for i in started}
    assert found == {("orq-ai-sdk", "4.15.11"), ("@orq-ai/node", "4.15.11")}


def test_python_sdk_reads_a_minimal_payload_and_names_fields_in_snake_case(
    python_sdk: HarnessTarget,
) -> None:
    """orq-ai-sdk accepts the payload; its native view keeps finish_reason."""
    outcome = python_sdk.run(Case("m", MODEL, "response", MINIMAL))
    assert outcome.state == "accepted", outcome.error
    assert outcome.native["choices"][0]["finish_reason"] == "stop"
    assert outcome.wire["id"] == "cmpl-1"


def test_node_sdk_reads_a_minimal_payload_and_names_fields_in_camel_case(
    node_sdk: HarnessTarget,
) -> None:
    """@orq-ai/node reads the response as its users get it (finishReason) and writes nothing:
    the SDK has no outbound schema for a response model."""
    outcome = node_sdk.run(Case("m", MODEL, "response", MINIMAL))
    assert outcome.state == "accepted", outcome.error
    assert outcome.native["choices"][0] == {"finishReason": "stop", "index": 0, "text": "hi"}
    assert (outcome.written, outcome.wire) == (False, None)


def test_node_sdk_reports_json_parse_rounding_as_it_happens(node_sdk: HarnessTarget) -> None:
    """An integer beyond 2^53 is read rounded, as JSON.parse leaves it: never hidden."""
    payload = {**MINIMAL, "usage": {"total_tokens": 9007199254740993}}
    outcome = node_sdk.run(Case("big", MODEL, "response", payload))
    assert outcome.native["usage"]["totalTokens"] == 9007199254740992


def test_bundled_suite_matches_its_expected_failures_exactly(tmp_path: Path) -> None:
    """The orq pair shows exactly the listed divergences: exit 0, nothing stale, nothing skipped."""
    _require(PYTHON.exists() and (NODE_ROOT / "node_modules").is_dir(), "the orq SDK pair")
    out = tmp_path / "results.ndjson"
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--out", str(out), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = json.loads(done.stdout)
    assert (done.returncode, summary["totals"]["skipped"], summary["stale"]) == (0, 0, []), (
        done.stdout[-3000:]
    )
    assert summary["totals"]["expected"] > 0
    assert set(summary["targets"]) == {
        "reference-python",
        "reference-typescript",
        "orq-python",
        "orq-node",
    }


def test_a_new_divergence_fails_the_bundled_suite(tmp_path: Path) -> None:
    """Without the expected-failures file the same run exits 1: the baseline is what hides them."""
    _require(PYTHON.exists() and (NODE_ROOT / "node_modules").is_dir(), "the orq SDK pair")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--no-expected",
            "--out",
            str(tmp_path / "r.ndjson"),
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["totals"]["diverge"] > 0
