"""The harness client against fake harnesses that speak the real protocol."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.core import jsonwire
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import HarnessCrashed, HarnessError, HarnessTimeout
from conformance.sources.cases import Case
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import STDERR_LIMIT, HarnessTarget
from conformance.testing import fake_harness_command

NODE_FAKE = Path(__file__).parent / "fake_harness.mjs"


def node_fake_command(fault: str | None = None, at: int = 2) -> list[str]:
    """The command line of the Node fake harness."""
    command = ["node", str(NODE_FAKE)]
    if fault is not None:
        command.append(fault)
    return [*command, "--at", str(at)]


def case(number: int, model: str = "Echo") -> Case:
    """A small response case whose numbers must survive exactly."""
    return Case(
        id=f"case-{number}",
        model=model,
        direction="response",
        wire={"n": number, "price": Decimal("1.50"), "big": 9007199254740993, "text": "é\u2028"},
    )


@pytest.fixture
def make_target() -> Iterator[Any]:
    """Build harness targets that are closed after the test."""
    made: list[HarnessTarget] = []

    def make(command: Sequence[str], **kw: Any) -> HarnessTarget:
        kw.setdefault("timeout", 2.0)
        kw.setdefault("start_timeout", 10.0)
        target = HarnessTarget("fake", command, **kw)
        made.append(target)
        return target

    yield make
    for target in made:
        target.close()


def run_all(target: HarnessTarget, count: int) -> list[Outcome]:
    """Start ``target`` and run cases 1..count through it."""
    target.start()
    return [target.run(case(number)) for number in range(1, count + 1)]


# Per-case faults: (fault, expected error text, whether the process is replaced).
PYTHON_FAULTS = [
    pytest.param("crash-mid-run", "exited with status 3", True, id="crash-mid-run"),
    pytest.param("exit-zero-mid-run", "exited with status 0", True, id="exit-zero-mid-run"),
    pytest.param("hang", "no answer to case 'case-2' (seq 2) within 0.5 s", True, id="hang"),
    pytest.param("non-json", "is not JSON", True, id="non-json"),
    pytest.param("wrong-seq", "got seq 1 (an earlier case)", True, id="wrong-seq"),
    pytest.param("unknown-case", "got seq 1002 (never sent)", True, id="unknown-case"),
    pytest.param("invalid-answer", "breaks the protocol", True, id="invalid-answer"),
    pytest.param("internal-error", "harness failed on the case: fake bug", False, id="internal"),
]
NODE_FAKES = [
    pytest.param("crash-mid-run", "exited with status 3", id="crash-mid-run"),
    pytest.param("hang", "no answer to case 'case-2' (seq 2) within 0.5 s", id="hang"),
    pytest.param("non-json", "is not JSON", id="non-json"),
    pytest.param("wrong-seq", "got seq 1 (an earlier case)", id="wrong-seq"),
]


def test_happy_path_echoes_every_case_exactly(make_target: Any) -> None:
    """Every case of a healthy harness is accepted with its wire and native views intact."""
    outcomes = run_all(make_target(fake_harness_command()), 3)
    assert [outcome.state for outcome in outcomes] == ["accepted"] * 3
    for number, outcome in enumerate(outcomes, start=1):
        assert jsonwire.same(outcome.wire, case(number).wire)
        assert jsonwire.same(outcome.native, case(number).wire)
        assert outcome.error == ""
        assert outcome.seconds > 0


def test_start_returns_the_harness_implementation(make_target: Any) -> None:
    """The handshake's implementation facts and details, with the start-up time, are kept."""
    target = make_target(fake_harness_command())
    started = target.start()
    assert target.startup_seconds is not None
    expected = Implementation(
        name="fake",
        language="python",
        sdk="fake-sdk",
        sdk_version="0.0.0",
        details={"fault": "none", "startup_seconds": Decimal(f"{target.startup_seconds:.3f}")},
    )
    assert started == expected
    assert target.implementation == expected


def test_list_models_returns_names_and_directions(make_target: Any) -> None:
    """The models command lists each model with its directions."""
    target = make_target(fake_harness_command())
    target.start()
    assert target.list_models() == [("Echo", ("request", "response"))]


def test_schema_export_timeout_is_its_own(make_target: Any) -> None:
    """A schemas export is bounded by the timeout it was given, and its error says so."""
    target = make_target(fake_harness_command())  # the fake never answers ``schemas``
    target.start()
    with pytest.raises(HarnessTimeout, match=r"no answer to the schemas export within 0\.3 s"):
        target.export_schemas(["Echo"], timeout=0.3)


@pytest.mark.parametrize(("fault", "message", "restarted"), PYTHON_FAULTS)
def test_python_fault_errors_only_the_failing_case(
    make_target: Any, fault: str, message: str, restarted: bool
) -> None:
    """A per-case fault makes that case an error naming the fault; the other cases still run."""
    target = make_target(fake_harness_command(fault), timeout=0.5)
    outcomes = run_all(target, 3)
    assert [outcome.state for outcome in outcomes] == ["accepted", "error", "accepted"]
    assert message in outcomes[1].error
    assert "case-2" in outcomes[1].error
    assert jsonwire.same(outcomes[2].wire, case(3).wire)
    assert target.restarts == (1 if restarted else 0)


@pytest.mark.parametrize(("fault", "message"), NODE_FAKES)
@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_fault_errors_only_the_failing_case(
    make_target: Any, fault: str, message: str
) -> None:
    """A per-case fault of the Node fake makes that case an error; the harness restarts."""
    target = make_target(node_fake_command(fault), timeout=0.5)
    outcomes = run_all(target, 3)
    assert [outcome.state for outcome in outcomes] == ["accepted", "error", "accepted"]
    assert message in outcomes[1].error
    assert target.restarts == 1


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_happy_path_echoes_every_case_exactly(make_target: Any) -> None:
    """The Node fake's answers are accepted with the wire intact."""
    outcomes = run_all(make_target(node_fake_command()), 3)
    assert [outcome.state for outcome in outcomes] == ["accepted"] * 3
    assert jsonwire.same(outcomes[0].wire, case(1).wire)


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_crash_on_start_raises(make_target: Any) -> None:
    """A Node harness that dies during the handshake makes start() raise with its stderr."""
    target = make_target(node_fake_command("crash-on-start"))
    with pytest.raises(HarnessCrashed) as caught:
        target.start()
    assert caught.value.returncode == 3
    assert "crashing on start" in caught.value.stderr


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_stderr_flood_is_bounded(make_target: Any) -> None:
    """Megabytes on the Node fake's stderr are bounded per case, with a note of what was dropped.

    Node writes to a stderr pipe asynchronously, so the flood may spread over
    the answers of later cases (on a busy machine): the bound is checked on
    every case, and the note wherever more than the bound arrived.
    """
    outcomes = run_all(make_target(node_fake_command("stderr-flood")), 3)
    assert [outcome.state for outcome in outcomes] == ["accepted"] * 3
    assert any("x" * 1000 in outcome.stderr for outcome in outcomes[1:])
    for outcome in outcomes:
        header, _, tail = outcome.stderr.partition("\n")
        if "bytes of stderr dropped" in header:
            assert len(tail.encode()) <= STDERR_LIMIT
        else:
            assert len(outcome.stderr.encode()) <= STDERR_LIMIT


def test_crash_attaches_the_harness_stderr(make_target: Any) -> None:
    """The case that crashed the harness carries what the harness printed before dying."""
    outcomes = run_all(make_target(fake_harness_command("crash-mid-run")), 2)
    assert outcomes[1].stderr == "fake harness: crashing on case case-2\n"
    assert "exited with status 3" in outcomes[1].error


def test_timeout_kills_the_harness_and_keeps_its_stderr(make_target: Any) -> None:
    """A hung case is an error that says the harness was killed, with what it printed."""
    target = make_target(fake_harness_command("hang", at=1), timeout=0.5)
    target.start()
    outcome = target.run(case(1))
    assert outcome.state == "error"
    assert "no answer to case 'case-1' (seq 1) within 0.5 s; harness killed" in outcome.error
    assert "hanging on case case-1" in outcome.stderr


def test_stderr_is_attached_to_its_own_case(make_target: Any) -> None:
    """Each outcome carries exactly what the harness printed while that case ran."""
    outcomes = run_all(make_target(fake_harness_command("stderr-per-case")), 3)
    assert [outcome.stderr for outcome in outcomes] == [
        f"fake harness: running case case-{number}\n" for number in (1, 2, 3)
    ]


def test_stderr_flood_is_bounded(make_target: Any) -> None:
    """Megabytes on stderr keep only the last 64 KiB, with a note of how much was dropped."""
    outcomes = run_all(make_target(fake_harness_command("stderr-flood", bytes=2 << 20)), 3)
    assert [outcome.state for outcome in outcomes] == ["accepted"] * 3
    flood = outcomes[1].stderr
    header, _, tail = flood.partition("\n")
    assert header.startswith("[")
    assert "bytes of stderr dropped" in header
    assert len(tail.encode()) == STDERR_LIMIT
    assert tail.endswith("fake harness: end of flood\n")
    assert outcomes[2].stderr == ""


def test_rejected_answer_is_a_rejected_outcome(make_target: Any) -> None:
    """A rejection keeps the SDK's message and is not an error."""
    outcome = run_all(make_target(fake_harness_command("reject-all")), 1)[0]
    assert outcome == Outcome(
        "rejected", error="fake harness rejects everything", seconds=outcome.seconds
    )


def test_skipped_answer_is_a_skipped_outcome(make_target: Any) -> None:
    """A skip keeps the harness's reason."""
    outcome = run_all(make_target(fake_harness_command("skip-all")), 1)[0]
    assert outcome.state == "skipped"
    assert outcome.error == "fake harness skips model Echo"


def test_model_names_map_schema_names_to_sdk_names(make_target: Any) -> None:
    """The model-name mapping renames the model sent to the harness."""
    target = make_target(fake_harness_command("skip-all"), model_names={"Echo": "EchoT"})
    outcome = run_all(target, 1)[0]
    assert outcome.error == "fake harness skips model EchoT"


def test_run_request_matches_the_request_schema(make_target: Any) -> None:
    """The run request the client writes is valid under harness-request.schema.json."""
    outcome = run_all(make_target(fake_harness_command("echo-request")), 1)[0]
    schema_file = files("conformance").joinpath("schemas", "harness-request.schema.json")
    schema_text = schema_file.read_text()
    jsonschema.validate(json.loads(jsonwire.dumps(outcome.native)), json.loads(schema_text))
    assert isinstance(outcome.native, dict)
    assert outcome.native["case"] == {
        "id": "case-1",
        "model": "Echo",
        "direction": "response",
        "wire_text": jsonwire.dumps(case(1).wire),
    }


def test_crash_on_start_raises_with_stderr(make_target: Any) -> None:
    """A harness that dies during the handshake makes start() raise HarnessCrashed."""
    target = make_target(fake_harness_command("crash-on-start"))
    with pytest.raises(HarnessCrashed) as caught:
        target.start()
    assert caught.value.returncode == 3
    assert caught.value.stderr == "fake harness: crashing on start\n"


def test_not_ready_raises_with_the_reason(make_target: Any) -> None:
    """A harness that answers ready: false makes start() raise with its reason."""
    target = make_target(fake_harness_command("not-ready"))
    with pytest.raises(HarnessError, match="fake harness is never ready"):
        target.start()


def test_slow_start_within_the_start_timeout_succeeds(make_target: Any) -> None:
    """A handshake slower than the case timeout is fine within the start timeout."""
    target = make_target(fake_harness_command("slow-start", delay=0.7), timeout=0.2)
    assert target.start().sdk == "fake-sdk"


def test_slow_start_past_the_start_timeout_raises(make_target: Any) -> None:
    """A handshake slower than the start timeout raises HarnessTimeout."""
    target = make_target(fake_harness_command("slow-start", delay=5), start_timeout=0.5)
    with pytest.raises(HarnessTimeout, match="start handshake"):
        target.start()


def test_start_up_time_covers_the_whole_handshake(make_target: Any) -> None:
    """startup_seconds runs from spawning to the ready answer, so it holds the harness's delay."""
    target = make_target(fake_harness_command("slow-start", delay=0.4))
    assert target.startup_seconds is None
    target.start()
    assert target.startup_seconds is not None
    assert target.startup_seconds >= 0.4


def test_start_timeout_hint_names_start_timeout_at_the_targets_key(make_target: Any) -> None:
    """A slow start points at start_timeout in the target's own table, not the per-case timeout."""
    target = make_target(
        fake_harness_command("slow-start", delay=5),
        start_timeout=0.5,
        config_key="tool.conformance.targets[2]",
    )
    with pytest.raises(HarnessTimeout) as caught:
        target.start()
    assert caught.value.hint == (
        "the SDK may be slow to import (start-up and model listing): raise start_timeout"
        " (now 0.5 s) at tool.conformance.targets[2].start_timeout,"
        " or tool.conformance.start_timeout for every target"
    )


def test_case_timeout_hint_names_the_per_case_timeout(make_target: Any) -> None:
    """A case that hangs points at the per-case timeout setting."""
    target = make_target(fake_harness_command("hang", at=1), timeout=0.3)
    target.start()
    outcome = target.run(case(1))
    assert "hint: the SDK may be slow on this case: raise the target's timeout (now 0.3 s)" in (
        outcome.error
    )


def test_start_warnings_reach_the_target_and_its_implementation(
    make_target: Any, tmp_path: Path
) -> None:
    """Warnings on the ready answer are kept: start_warnings and Implementation.warnings."""
    script = tmp_path / "start.json"
    script.write_text(
        '{"ready": true, "warnings": ["plain pydantic stands in"], "implementation":'
        ' {"name": "f", "language": "python", "sdk": "s", "sdk_version": "1"}}'
    )
    target = make_target(fake_harness_command("scripted-start", script=script))
    implementation = target.start()
    assert target.start_warnings == ("plain pydantic stands in",)
    assert implementation.warnings == ("plain pydantic stands in",)


def test_targets_start_from_several_threads_at_once(make_target: Any) -> None:
    """Different targets started concurrently each get their own harness, ready and timed."""
    targets = [make_target(fake_harness_command("slow-start", delay=0.3)) for _ in range(3)]
    with ThreadPoolExecutor(len(targets)) as pool:
        started = list(pool.map(lambda target: target.start(), targets))
    assert [implementation.sdk for implementation in started] == ["fake-sdk"] * 3
    assert all(t.startup_seconds is not None and t.startup_seconds >= 0.3 for t in targets)
    outcomes = [target.run(case(number)) for number, target in enumerate(targets, start=1)]
    assert [outcome.state for outcome in outcomes] == ["accepted"] * 3


def test_restart_limit_errors_every_remaining_case(make_target: Any) -> None:
    """After max_restarts restarts, every remaining case is an error that says so."""
    target = make_target(fake_harness_command("crash-mid-run", at=1), max_restarts=2)
    outcomes = run_all(target, 5)
    assert [outcome.state for outcome in outcomes] == ["error"] * 5
    assert all("exited with status 3" in outcome.error for outcome in outcomes[:3])
    assert all("gave up after 2 restarts" in outcome.error for outcome in outcomes[3:])
    assert target.restarts == 2


def test_failing_restart_counts_against_the_limit(make_target: Any) -> None:
    """A harness that never starts errors each case and stops retrying at the limit."""
    target = make_target(fake_harness_command("crash-on-start"), max_restarts=1)
    outcomes = [target.run(case(number)) for number in (1, 2, 3)]
    assert [outcome.state for outcome in outcomes] == ["error"] * 3
    assert "before answering the start handshake" in outcomes[0].error
    assert "before answering the start handshake" in outcomes[1].error
    assert "gave up after 1 restarts" in outcomes[2].error


def test_missing_command_raises_harness_error(make_target: Any) -> None:
    """A harness command that cannot be executed raises a HarnessError naming it."""
    target = make_target(["/nonexistent/harness"])
    with pytest.raises(HarnessError, match="cannot run harness command"):
        target.start()


def test_close_twice_is_harmless(make_target: Any) -> None:
    """close() stops the harness and may be called again."""
    target = make_target(fake_harness_command())
    run_all(target, 1)
    target.close()
    target.close()
    assert target.implementation is not None


# -- the shipped harness programs, without a real SDK ------------------------------

TINY_SDK = """
export const Echo$inboundSchema = {
  parse(v) {
    if (typeof v.id !== "string") throw new TypeError("id: Expected string");
    return { id: v.id, fooBar: v.foo_bar };
  },
};
export const Echo$outboundSchema = { parse: (v) => ({ id: v.id, foo_bar: v.fooBar }) };
export const OnlyIn$inboundSchema = { parse: (v) => v };
"""


@pytest.fixture
def tiny_node_sdk(tmp_path: Path) -> Iterator[HarnessTarget]:
    """The shipped Node harness over a hand-written SDK module (no zod needed)."""
    module = tmp_path / "sdk.mjs"
    module.write_text(TINY_SDK, encoding="utf-8")
    with node_sdk_target("tiny", str(tmp_path), [str(module)], "tiny-sdk") as target:
        yield target


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_harness_reads_and_writes_through_the_sdk_schemas(
    tiny_node_sdk: HarnessTarget,
) -> None:
    """The shipped Node harness parses with $inboundSchema and writes with $outboundSchema."""
    tiny_node_sdk.start()
    wire = {"id": "a", "foo_bar": 1}
    outcome = tiny_node_sdk.run(Case(id="c1", model="Echo", direction="response", wire=wire))
    assert outcome.state == "accepted"
    assert outcome.wire == {"id": "a", "foo_bar": 1}
    assert outcome.native == {"id": "a", "fooBar": 1}
    assert tiny_node_sdk.convention == "typescript"


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_harness_reports_the_sdk_rejection(tiny_node_sdk: HarnessTarget) -> None:
    """An exception from the SDK's schema is a rejection carrying its message."""
    tiny_node_sdk.start()
    outcome = tiny_node_sdk.run(Case(id="c1", model="Echo", direction="response", wire={"id": 1}))
    assert outcome.state == "rejected"
    assert outcome.error == "TypeError: id: Expected string"


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_harness_skips_what_the_sdk_cannot_do(tiny_node_sdk: HarnessTarget) -> None:
    """A model without an outbound schema cannot be a request; an unknown model is skipped."""
    tiny_node_sdk.start()
    request = tiny_node_sdk.run(Case(id="c1", model="OnlyIn", direction="request", wire={}))
    unknown = tiny_node_sdk.run(Case(id="c2", model="Nope", direction="response", wire={}))
    assert request.state == "skipped"
    assert "OnlyIn has no $outboundSchema" in request.error
    assert unknown.state == "skipped"
    assert "model Nope not found" in unknown.error


@pytest.mark.node
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on PATH")
def test_node_harness_lists_models_with_directions(tiny_node_sdk: HarnessTarget) -> None:
    """The Node harness lists each schema pair with the directions it supports."""
    tiny_node_sdk.start()
    assert tiny_node_sdk.list_models() == [
        ("Echo", ("request", "response")),
        ("OnlyIn", ("response",)),
    ]


def test_python_harness_reports_an_unimportable_module() -> None:
    """The shipped Python harness answers not-ready when a configured module cannot be imported."""
    target = python_sdk_target("py", sys.executable, ["no_such_sdk.models"], "no_such_sdk")
    with target, pytest.raises(HarnessError, match="No module named"):
        target.start()
    assert target.convention == "python"
