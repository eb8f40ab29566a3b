"""Targets started early: an engine's ``begin`` starts its targets in a thread while the run
generates its cases, ``start`` waits for them, and ``close`` after ``begin`` waits for the
start before stopping them, so no harness is left running."""

from __future__ import annotations

import threading
from pathlib import Path

import attrs
import pytest

from conformance.core.outcome import Implementation
from conformance.engine.suite import SuiteRun, run_suite
from conformance.engine.workers import InProcess
from tests.fakes import FakeTarget


@attrs.define
class GatedTarget(FakeTarget):
    """A fake target whose start waits for ``gate`` (a harness importing a large SDK)."""

    gate: threading.Event = attrs.field(factory=threading.Event)
    entered: threading.Event = attrs.field(factory=threading.Event)
    starts: int = 0
    order: list[str] = attrs.field(factory=list)

    def start(self) -> Implementation:
        self.entered.set()
        self.starts += 1
        assert self.gate.wait(10), "the test never opened the gate"
        self.order.append("started")
        return super().start()

    def close(self) -> None:
        self.order.append("closed")
        super().close()


def test_begin_starts_the_targets_while_this_thread_goes_on() -> None:
    """After ``begin`` the target's start runs elsewhere; ``start`` waits and starts it once."""
    target = GatedTarget("slow")
    engine = InProcess([target])
    engine.begin()
    assert target.entered.wait(10)
    assert not target.started  # still starting: this thread was not held up
    target.gate.set()
    assert engine.start() == {"slow": Implementation("slow", "python", "fake", "0")}
    assert target.starts == 1
    engine.close()


def test_close_after_begin_waits_for_the_start_then_stops_the_target() -> None:
    """A run that fails before its cases run closes a target still starting, after its start."""
    target = GatedTarget("slow")
    engine = InProcess([target])
    engine.begin()
    assert target.entered.wait(10)
    closing = threading.Thread(target=engine.close)
    closing.start()
    closing.join(0.2)
    assert closing.is_alive()  # waiting for the start, not closing under it
    target.gate.set()
    closing.join(10)
    assert target.order == ["started", "closed"]


def test_a_run_whose_generation_fails_stops_the_targets_it_began(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Generating cases fails after the targets began starting: they are closed, the error
    goes through."""
    project = tmp_path / "pyproject.toml"
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Pet:\n      type: object\n"
        "      properties: {name: {type: string}}\n",
        encoding="utf-8",
    )
    project.write_text('[tool.conformance]\nschema = "openapi.yaml"\n', encoding="utf-8")
    calls: list[str] = []
    real_begin, real_close = InProcess.begin, InProcess.close

    def begin(self: InProcess) -> None:
        calls.append("begin")
        real_begin(self)

    def close(self: InProcess) -> None:
        calls.append("close")
        real_close(self)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("generation broke")

    monkeypatch.setattr(InProcess, "begin", begin)
    monkeypatch.setattr(InProcess, "close", close)
    monkeypatch.setattr("conformance.engine.suite.generated_cases", broken)
    monkeypatch.setattr("conformance.engine.suite.scale_cases", broken)
    run = SuiteRun(config_path=project, generate=2, all_models=True, out=tmp_path / "r.ndjson")
    with pytest.raises(RuntimeError, match="generation broke"):
        run_suite(run, lambda _: None)
    assert calls == ["begin", "close"]
