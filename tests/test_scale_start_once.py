"""``scale`` starts each SDK harness once: the harness that listed an SDK's models (or exported
its schema) is the one a one-job run uses; every other one is closed, none is left running.

Each test writes tiny pydantic SDKs whose import appends the harness's process id to the file
``STARTS`` names, so the file counts the harness starts and says which processes to look for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance.core.outcome import Implementation
from conformance.engine.kept import Kept
from conformance.engine.scale import ScaleRun, run_scale
from conformance.engine.workers import InProcess
from conformance.exceptions import ConfigError
from conformance.targets.builtin import python_sdk_target
from conformance.targets.harness import HarnessTarget
from tests.fakes import FakeTarget
from tests.tiny_sdks import SDK_PYTHON, require_pydantic, write_pydantic_sdk

STARTS = "CONFORMANCE_TEST_SDK_STARTS"
#: Prepended to a package's ``__init__``: each import of it is a harness start.
COUNTED = (
    "import os\n"
    f"with open(os.environ[{STARTS!r}], 'a', encoding='utf-8') as _starts:\n"
    "    _starts.write(f'{os.getpid()}\\n')\n"
)
GADGET = """\
import pydantic


class Gadget(pydantic.BaseModel):
    serial: int
    colour: str
"""
# A model every reading of which ends the harness (a crash in the SDK).
CRASH = """\
import os

import pydantic


class Boom(pydantic.BaseModel):
    volts: int

    @pydantic.model_validator(mode="before")
    @classmethod
    def _crash(cls, value):
        os._exit(3)
"""
# A model whose JSON Schema the SDK cannot give: the harness says so on stderr while exporting.
UNDESCRIBED = """\
import pydantic


class Odd(pydantic.BaseModel):
    code: int

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):
        raise ValueError("no schema for Odd")
"""
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "pets", "version": "1"},
    "paths": {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {"pet_name": {"type": "string"}, "nickname": {"type": "string"}},
                "required": ["pet_name"],
            },
            "Owner": {
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            },
        }
    },
}


def _project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    packages: dict[str, str],
    spec: bool,
    extra: dict[str, str] | None = None,
) -> Path:
    """A project of one python-sdk target per ``packages`` entry (target name -> import
    package) over the tiny SDK (``extra``: more model modules, file name -> source), with the
    spec as the oracle or the first target's export; its pyproject.toml."""
    require_pydantic()
    sdk = write_pydantic_sdk(tmp_path / "sdk")
    client = sdk / "vendor" / "client"
    (client / "__init__.py").write_text(COUNTED, encoding="utf-8")
    for name, text in (extra or {}).items():
        (client / "models" / name).write_text(text, encoding="utf-8")
    other = sdk / "vendor" / "other"
    (other / "models").mkdir(parents=True)
    (other / "__init__.py").write_text(COUNTED, encoding="utf-8")
    (other / "models" / "__init__.py").write_text("", encoding="utf-8")
    (other / "models" / "gadget.py").write_text(GADGET, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(sdk))
    monkeypatch.setenv(STARTS, str(tmp_path / "starts.txt"))
    lines = ["[tool.conformance]"]
    if spec:
        (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(SPEC), encoding="utf-8")
        lines.append('schema = "openapi.yaml"')
    for name, package in packages.items():
        lines += [
            "[[tool.conformance.targets]]",
            f'name = "{name}"',
            'kind = "python-sdk"',
            f'python = "{SDK_PYTHON}"',
            f'package = "{package}"',
            f'modules = ["{package}.models"]',
        ]
    project = tmp_path / "pyproject.toml"
    project.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def _starts(tmp_path: Path) -> list[int]:
    """The process id of each harness start, in order."""
    path = tmp_path / "starts.txt"
    return [int(line) for line in path.read_text("utf-8").split()] if path.exists() else []


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, ended but not yet collected, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _results(path: Path) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return [r for r in records if r.get("record") == "result"]


def _scale(project: Path, out: Path, jobs: int = 1) -> list[str]:
    said: list[str] = []
    run_scale(ScaleRun(out=out, config_path=project, count=2, jobs=jobs), said.append)
    return said


def test_a_one_job_run_uses_the_harnesses_that_listed_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two SDK targets paired with the spec each start one harness, which runs their cases
    and is stopped when the run ends."""
    project = _project(
        tmp_path, monkeypatch, {"one": "vendor.client", "two": "vendor.client"}, True
    )
    out = tmp_path / "scale.ndjson"
    _scale(project, out)
    starts = _starts(tmp_path)
    assert len(starts) == 2
    ran = {(r["target"], r["outcome"]["state"]) for r in _results(out)}
    assert {("one", "accepted"), ("two", "accepted")} <= ran
    assert [pid for pid in starts if _running(pid)] == []


def test_a_one_job_run_uses_the_harness_that_exported_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK whose export is the oracle starts one harness, which also runs its cases."""
    project = _project(tmp_path, monkeypatch, {"tiny": "vendor.client"}, False)
    out = tmp_path / "scale.ndjson"
    _scale(project, out)
    starts = _starts(tmp_path)
    assert len(starts) == 1
    assert ("tiny", "accepted") in {(r["target"], r["outcome"]["state"]) for r in _results(out)}
    assert not _running(starts[0])


def test_a_run_of_two_jobs_stops_the_listing_harnesses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With worker processes each starting its own harnesses, the listing's are stopped, and
    no harness is left running when the run ends."""
    project = _project(
        tmp_path, monkeypatch, {"one": "vendor.client", "two": "vendor.client"}, True
    )
    _scale(project, tmp_path / "scale.ndjson", jobs=2)
    starts = _starts(tmp_path)
    assert len(starts) == 2 + 2 * 2  # the listings, then each worker's own
    assert [pid for pid in starts if _running(pid)] == []


def test_a_run_that_pairs_nothing_stops_the_harnesses_it_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SDK that pairs none of the spec's models stops the run before its cases: both
    listing harnesses are stopped."""
    project = _project(tmp_path, monkeypatch, {"one": "vendor.client", "two": "vendor.other"}, True)
    with pytest.raises(ConfigError, match="nothing would run"):
        _scale(project, tmp_path / "scale.ndjson")
    starts = _starts(tmp_path)
    assert len(starts) == 2
    assert [pid for pid in starts if _running(pid)] == []


def test_an_interrupt_before_the_first_case_stops_the_handed_over_harnesses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run interrupted while it generates its cases (the harnesses handed over already)
    leaves none of them running."""
    project = _project(
        tmp_path, monkeypatch, {"one": "vendor.client", "two": "vendor.client"}, True
    )

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("conformance.engine.scale.scale_cases", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _scale(project, tmp_path / "scale.ndjson")
    starts = _starts(tmp_path)
    assert len(starts) == 2
    assert [pid for pid in starts if _running(pid)] == []


def test_a_crashing_harness_is_restarted_within_its_budget_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A harness that crashes on every case of one model is restarted ``max_restarts`` (3)
    times, counted from the start the export made, then given up."""
    project = _project(tmp_path, monkeypatch, {"tiny": "vendor.client"}, False, {"boom.py": CRASH})
    out = tmp_path / "scale.ndjson"
    _scale(project, out)
    starts = _starts(tmp_path)
    assert len(starts) == 1 + 3
    errors = [r["outcome"].get("error", "") for r in _results(out) if r["target"] == "tiny"]
    assert any("harness exited with status 3" in error for error in errors)
    assert any("gave up after 3 restarts" in error for error in errors)
    assert [pid for pid in starts if _running(pid)] == []


def test_what_the_harness_printed_while_exporting_goes_to_no_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export's own stderr (a model without a JSON Schema) is not the first case's,
    though that case runs on the same harness."""
    project = _project(
        tmp_path, monkeypatch, {"tiny": "vendor.client"}, False, {"odd.py": UNDESCRIBED}
    )
    out = tmp_path / "scale.ndjson"
    said = _scale(project, out)
    assert any("have no JSON Schema" in line for line in said)  # the export did print
    assert len(_starts(tmp_path)) == 1
    results = [r for r in _results(out) if r["target"] == "tiny"]
    assert results
    assert [r["outcome"].get("stderr", "") for r in results] == [""] * len(results)


def test_an_engine_takes_a_started_target_as_it_is() -> None:
    """A target handed over started is not started again; its own start is the engine's."""
    given = Implementation("kept", "python", "tiny", "1")
    target, other = FakeTarget("kept"), FakeTarget("fresh")
    engine = InProcess([target, other], started={"kept": given})
    assert engine.start() == {
        "kept": given,
        "fresh": Implementation("fresh", "python", "fake", "0"),
    }
    assert (target.started, other.started) == (False, True)
    engine.close()
    assert (target.closed, other.closed) == (True, True)


def test_an_engine_closed_before_it_started_closes_a_started_target() -> None:
    """A run that fails before its engine starts still stops a target handed over started."""
    target = FakeTarget("kept")
    InProcess([target], started={"kept": Implementation("kept", "python", "tiny", "1")}).close()
    assert target.closed


def _tiny_target(**settings: Any) -> HarnessTarget:
    """A harness target of the tiny SDK (written by ``_project``) with ``settings``."""
    return python_sdk_target(
        "tiny", str(SDK_PYTHON), ["vendor.client.models"], "vendor.client", **settings
    )


def test_a_kept_harness_is_taken_with_the_run_targets_model_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's target of the same settings but its pairing's model names is replaced by the
    kept harness, which takes those names and keeps running."""
    _project(tmp_path, monkeypatch, {}, False)
    listed = _tiny_target()
    started = listed.start()
    kept = Kept()
    kept.keep(listed)
    fresh = _tiny_target(model_names={"Animal": "Pet"})
    try:
        targets, given = kept.hand_over([fresh])
        assert targets == [listed]
        assert given == {"tiny": started}
        assert listed.model_names == {"Animal": "Pet"}
        assert listed.process is not None
    finally:
        listed.close()
    assert len(_starts(tmp_path)) == 1


def test_a_kept_harness_of_other_settings_is_stopped_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run target whose settings differ from the kept harness's (here its window) is left
    as built, to start its own harness, and the kept one is stopped."""
    _project(tmp_path, monkeypatch, {}, False)
    listed = _tiny_target()
    listed.start()
    kept = Kept()
    kept.keep(listed)
    fresh = _tiny_target(window=1)
    assert kept.hand_over([fresh]) == ([fresh], {})
    assert listed.process is None
    assert not _running(_starts(tmp_path)[0])
