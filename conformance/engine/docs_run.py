"""The docs cross-check as a run: the same NDJSON records, summary and exit codes as ``run``.

Each paired page is a case (``docs:<Python name>``) with one result per docs
tree (``docs-python``, ``docs-typescript``) carrying the divergences that
``conformance.comparison.docs_check`` found, judged by the policy. A page without a
counterpart is a case of its own with a ``missing``/``extra`` divergence.
Problems met while reading pages (broken links, ragged tables, unknown type
expressions) are ``problem`` records with file and line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from conformance import __version__
from conformance.comparison.docs_check import (
    PYTHON_SIDE,
    TYPESCRIPT_SIDE,
    DocsCheckResult,
    PagePairResult,
    check_docs_roots,
)
from conformance.comparison.policy import Policy
from conformance.core.config import load_config
from conformance.core.divergence import Divergence, Side
from conformance.core.outcome import Outcome
from conformance.engine.runner import finish, now
from conformance.exceptions import ConfigError
from conformance.results.records import (
    CaseRecord,
    Header,
    ProblemRecord,
    ResultRecord,
    Status,
    TargetInfo,
)
from conformance.results.summary import Summary, SummaryBuilder
from conformance.results.writer import ResultsWriter
from conformance.schema import JsonValue, Problem

__all__ = ["docs_run", "problem_record", "run_docs_check"]

_LOCATION = re.compile(r"^(?P<file>.*?):(?P<line>\d+)$")
_SIDES = (PYTHON_SIDE[0], TYPESCRIPT_SIDE[0])


def problem_record(problem: Problem, case_id: str = "") -> ProblemRecord:
    """A reading problem as a results record, with file and line split out."""
    match = _LOCATION.match(problem.location)
    if match:
        return ProblemRecord(
            problem.message, problem.hint, match["file"], int(match["line"]), case_id=case_id
        )
    return ProblemRecord(problem.message, problem.hint, problem.location, case_id=case_id)


def docs_run(py_docs: Path, ts_docs: Path, out: Path, config_path: Path | None = None) -> Summary:
    """Cross-check two docs trees under the configured policy, writing the records to ``out``.

    Raises ``ConfigError`` when neither tree has a model page.
    """
    config = load_config(config_path)
    settings: dict[str, JsonValue] = {"python_docs": str(py_docs), "typescript_docs": str(ts_docs)}
    with ResultsWriter(out) as writer:
        summary = run_docs_check(
            check_docs_roots(py_docs, ts_docs), Policy.from_rules(config.policy), writer, settings
        )
    if summary.cases == 0:
        raise ConfigError(
            f"no model pages found in {py_docs} or {ts_docs}",
            "point at an SDK's docs: Markdown model pages under docs/models/",
        )
    return summary


def run_docs_check(
    results: Iterable[DocsCheckResult],
    policy: Policy,
    writer: ResultsWriter,
    config: Mapping[str, JsonValue] | None = None,
) -> Summary:
    """Write the records of a docs cross-check and return its summary."""
    began = time.perf_counter()
    summary = SummaryBuilder()

    def emit(record: CaseRecord | ResultRecord | ProblemRecord | Header) -> None:
        summary.add(writer.write(record))

    emit(
        Header(
            tool="conformance",
            version=__version__,
            started=now(),
            targets=tuple(TargetInfo(name, "docs") for name in _SIDES),
            config=dict(config or {}),
        )
    )
    for result in results:
        if isinstance(result, PagePairResult):
            case_id = f"docs:{result.python_name}"
            source = f"{result.python_path} ~ {result.typescript_path}"
            found = result.divergences
            sides: tuple[str, ...] = _SIDES
        else:
            case_id = f"docs:{result.side}:{result.name}"
            source = result.path
            side = PYTHON_SIDE if result.side == "python" else TYPESCRIPT_SIDE
            sides = side
            found = (_unpaired(result.side, result.name),)
        emit(CaseRecord(case_id, case_id.split(":")[-1], "response", None, True, "", source))
        judged = tuple(policy.judge_all(found))
        failing = any(d.severity == "fail" for d in judged)
        status: Status = "diverge" if failing else "pass"
        for name in sides:
            group = (name,) if failing else sides
            emit(ResultRecord(case_id, name, status, Outcome("accepted"), judged, group))
        for problem in result.problems:
            emit(problem_record(problem, case_id))
    return finish(summary, writer, began)


def _unpaired(side: str, name: str) -> Divergence:
    python = side == "python"
    other = "typescript" if python else "python"
    return Divergence(
        (),
        "missing" if python else "extra",
        Side(PYTHON_SIDE, name if python else None, python),
        Side(TYPESCRIPT_SIDE, None if python else name, not python),
        detail=f"page {name!r} has no counterpart in the {other} docs",
    )
