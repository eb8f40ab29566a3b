"""Reproducers of findings: one standalone script per family and SDK target.

A finding (``results.records.FindingRecord``) says what some targets do with
one payload at one path, where the others (or the input) do something else. A
reproducer calls one SDK directly, as its users do, with that payload, and
checks that the SDK does what the finding says *of that SDK*: a target on the
diverging side must do what ``example.got`` says; an SDK on the expectation
side what ``example.expected`` says. So a family reproduces when every SDK it
names behaves as observed, with no harness in between.

What is checked at the example's path, by kind: ``accept``: accepted or
rejected; ``naming``: the SDK's own name of the field (a Python attribute, a
Node native key); ``order``: the object's keys in order; ``number-format`` and
``datetime-format``: the exact text written; every other kind: the JSON value
written there (numbers by value), or that nothing is written there where the
side is absent (``missing``, ``extra``).

Python targets get ``<family id>_<target>.py`` (``python_script``), Node
targets ``<family id>_<target>.mjs`` (``node_script``). A cross-SDK round trip ``A->B``
(``targets.cross``: B reads what A wrote) gets two: ``<id>_A_writes`` (A's script; with
``--write`` it prints what A wrote for the payload) and ``<id>_A-_B`` in B's language,
which runs the first, reads its text with B as B's users do, and checks what the family
says ``A->B`` did; it is the pair's reproducer. The engine resolves
each configured SDK target to an ``SdkTarget`` (its interpreter, modules and
model names) and runs the scripts (``engine.verify_findings``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from conformance.core import jsonwire
from conformance.core.divergence import PathSegment, Side, parse_path_text
from conformance.exceptions import ResultsError
from conformance.report.outputs import write_atomic
from conformance.report.reproduce.flavours import call_options, flavour_of, python_reader
from conformance.report.reproduce.node_script import NodeScript, node_script
from conformance.report.reproduce.python_script import PythonScript, python_script
from conformance.results.records import FindingRecord
from conformance.results.reproducers import Reproducer, SdkTarget

__all__ = [
    "CROSS",
    "concerned",
    "crossed",
    "file_name",
    "parse_path",
    "reproducer_text",
    "write_reproducers",
]

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")
#: What joins a cross target's writer and reader: ``A->B`` (``targets.cross``).
CROSS = "->"


def parse_path(text: str) -> tuple[PathSegment, ...]:
    """The segments of a wire path as ``divergence.path_text`` writes it; ``ResultsError``
    for anything else."""
    path = parse_path_text(text)
    if path is None:
        raise ResultsError(
            f"the finding's path {text!r} cannot be read",
            'paths are written as $.key, $["odd key"] and $.list[0]',
        )
    return path


def concerned(finding: FindingRecord, targets: Sequence[SdkTarget]) -> list[SdkTarget]:
    """The SDK targets a family names, diverging ones first: each gets a reproducer."""
    example = finding.example
    names = (
        *finding.diverging,
        *example.got.targets,
        *finding.expectation,
        *example.expected.targets,
    )
    by_name = {target.name: target for target in targets}
    return [by_name[name] for name in dict.fromkeys(names) if name in by_name]


def _side(finding: FindingRecord, target: str) -> Side:
    """What the finding says ``target`` does: the diverging side's, else the expected one."""
    got = finding.example.got
    if target in got.targets or target in finding.diverging:
        return got
    return finding.example.expected


def file_name(finding: FindingRecord, target: SdkTarget) -> str:
    """``<family id>_<target>.py`` or ``.mjs``, with unsafe characters as ``_``."""
    suffix = ".py" if target.kind == "python-sdk" else ".mjs"
    return f"{_SAFE.sub('_', finding.id)}_{_SAFE.sub('_', target.name)}{suffix}"


def reproducer_text(
    finding: FindingRecord,
    target: SdkTarget,
    *,
    name: str | None = None,
    source: tuple[str, ...] = (),
) -> str:
    """The script that checks, with ``target``'s SDK alone, what ``finding`` says of it.

    For a cross-SDK round trip, ``name`` is the pair's target (``A->B``, ``target`` is B)
    and ``source`` the command of A's script, whose ``--write`` prints what A wrote.
    """
    example = finding.example
    name = name or target.name
    side = _side(finding, name)
    model = (
        example.names.get(target.name)
        or target.models.get(f"{example.model}@{example.direction}")
        or target.models.get(example.model, example.model)
    )
    flavor = flavour_of(target)
    path = parse_path(example.path)
    # The exact text the SDK read, where the case had one (a NaN token is no JSON value).
    wire_text = example.wire_text if example.wire_text is not None else jsonwire.dumps(example.wire)
    if target.kind == "python-sdk":
        return python_script(
            PythonScript(
                finding.id,
                finding.sentence,
                name,
                finding.kind,
                example.direction,
                model,
                target.modules,
                target.package,
                target.writer,
                path,
                example.path,
                wire_text,
                side.present,
                jsonwire.dumps(side.value),
                example.case,
                source,
                flavor,
                python_reader(target) if flavor == "fern" else "",
            )
        )
    return node_script(
        NodeScript(
            finding.id,
            finding.sentence,
            name,
            finding.kind,
            example.direction,
            model,
            target.modules,
            target.package,
            target.root,
            path,
            example.path,
            wire_text,
            side.present,
            side.value,
            example.case,
            source,
            flavor,
            call_options(target, "parseOrThrow") if flavor == "fern" else None,
            call_options(target, "jsonOrThrow", example.direction) if flavor == "fern" else None,
        )
    )


def write_reproducers(
    findings: Iterable[FindingRecord], targets: Sequence[SdkTarget], folder: Path
) -> list[Reproducer]:
    """Write every family's reproducers into ``folder``; return them in the order written."""
    written: list[Reproducer] = []
    for finding in findings:
        for target in concerned(finding, targets):
            file = folder / file_name(finding, target)
            write_atomic(file, reproducer_text(finding, target), "--reproduce")
            command = (target.program, str(file.absolute()))
            written.append(Reproducer(finding.id, target.name, file, command))
        for pair, writer, reader in crossed(finding, targets):
            written.append(_write_cross(finding, pair, writer, reader, folder))
    return written


def crossed(
    finding: FindingRecord, targets: Sequence[SdkTarget]
) -> list[tuple[str, SdkTarget, SdkTarget]]:
    """The cross-SDK round trips (``A->B``) a family names whose SDKs are both configured:
    the pair's name, A (the writer) and B (the reader)."""
    example = finding.example
    names = (*finding.diverging, *example.got.targets, *finding.expectation)
    by_name = {target.name: target for target in targets}
    out = []
    for name in dict.fromkeys((*names, *example.expected.targets)):
        writer, arrow, reader = name.partition(CROSS)
        if arrow and writer in by_name and reader in by_name:
            out.append((name, by_name[writer], by_name[reader]))
    return out


def _write_cross(
    finding: FindingRecord, pair: str, writer: SdkTarget, reader: SdkTarget, folder: Path
) -> Reproducer:
    """A's script (run with ``--write`` it prints what A wrote for the payload) and B's,
    which reads that and checks what the family says ``A->B`` did."""
    source_file = folder / f"{_SAFE.sub('_', finding.id)}_{_SAFE.sub('_', writer.name)}_writes"
    source_file = source_file.with_name(source_file.name + _suffix(writer))
    write_atomic(source_file, reproducer_text(finding, writer), "--reproduce")
    source = (writer.program, str(source_file.absolute()))
    file = folder / f"{_SAFE.sub('_', finding.id)}_{_SAFE.sub('_', pair)}{_suffix(reader)}"
    write_atomic(file, reproducer_text(finding, reader, name=pair, source=source), "--reproduce")
    return Reproducer(finding.id, pair, file, (reader.program, str(file.absolute())))


def _suffix(target: SdkTarget) -> str:
    return ".py" if target.kind == "python-sdk" else ".mjs"
