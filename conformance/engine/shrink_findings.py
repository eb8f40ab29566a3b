"""Shrunk examples: a family's example payload made minimal before its reproducers are written.

A family's example is its smallest case, as the run found it: a generated payload with
every optional field the generator drew. ``shrink_examples`` shrinks it as ``generate
--save`` does (``engine.shrink``): the oracle the run used and the configured SDK
targets are rebuilt, the example runs through them, and the divergence the family names
is kept while every candidate keeps each target's verdict and, checked against the
schema, the case's own validity. The example then holds the shrunk payload, its case id
ends in ``-min`` (what ``shrink`` names a shrunk case), and the divergence's path, values
and detail are those the shrunk payload shows.

The oracle is the one the results' header names: a ``conformance scale`` run exported
from a Python SDK target is exported again from it; one whose oracle was the API spec,
and every other run, read the configured schema. An example is left as it is (and a
``ShrinkNote`` says why) when it has exact input text (NaN tokens, escapes: the wire
passes cannot keep them), its model is not in the oracle, or it no longer shows the
family's divergence here (another SDK version, say).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

import attrs
from attrs import frozen

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.core.config import Config, TargetConfig
from conformance.core.divergence import Divergence, parse_path_text, path_text
from conformance.core.outcome import Outcome
from conformance.engine.judging import case_record
from conformance.engine.scale import REFERENCES, export_schema
from conformance.engine.shrink import Signature, run_targets, shrink_case
from conformance.engine.signatures import signatures
from conformance.engine.spec_oracle import spec_oracle
from conformance.exceptions import ConformanceError
from conformance.oracle.models import build_models
from conformance.results.families import family_classes
from conformance.results.reader import records_tagged
from conformance.results.records import FindingRecord, Header
from conformance.schema import Schema
from conformance.sources.cases import Case, Direction
from conformance.sources.generate import generalize
from conformance.sources.loading import load_schema
from conformance.targets import Target
from conformance.targets.factory import build_targets

__all__ = ["MAX_STEPS", "ShrinkNote", "oracle_of", "shrink_examples"]

#: Candidates one example may run through the targets.
MAX_STEPS = 300
_SDK_KINDS = ("python-sdk", "node-sdk")

Say = Callable[[str], None]
ShrinkStatus = Literal["shrunk", "minimal", "left"]


@frozen
class ShrinkNote:
    """What shrinking did to one family's example: ``shrunk`` (``before`` and ``after`` are
    the payload's JSON sizes), ``minimal`` (no smaller payload keeps the divergence) or
    ``left`` as it was, with why."""

    finding: str
    status: ShrinkStatus
    message: str
    original: str = ""
    steps: int = 0
    before: int = 0
    after: int = 0


def oracle_of(results: Sequence[Path], config: Config, say: Say) -> Schema | None:
    """The schema the run of ``results`` judged against, rebuilt (None: none configured)."""
    header = next(
        (
            r
            for path in results[:1]
            for r in records_tagged(path, "header")
            if isinstance(r, Header)
        ),
        None,
    )
    settings = header.config if header is not None else {}
    scale = settings.get("scale") if isinstance(settings, dict) else None
    source = scale.get("source") if isinstance(scale, dict) else None
    if isinstance(source, str) and not source.startswith("the API spec"):
        exported = next(
            (t for t in config.targets if t.name == source and t.kind == "python-sdk"), None
        )
        if exported is None:
            say(f"the run's oracle was exported from {source!r}, which is not configured")
            return None
        return export_schema(config, exported, say)[0]
    if isinstance(source, str):
        spec = spec_oracle(config, "spec", say)
        return spec.schema if spec is not None else None
    return load_schema(config.schema) if config.schema else None


def shrink_examples(
    families: Sequence[FindingRecord],
    config: Config,
    schema: Schema,
    *,
    max_steps: int = MAX_STEPS,
) -> tuple[list[FindingRecord], list[ShrinkNote]]:
    """``families`` with shrunk examples where they shrink, and a note per family."""
    # Cross-SDK round trips (``A->B``) run only where a family names one: they cost a read.
    crossing = any("->" in name for f in families for name in (*f.diverging, *f.expectation))
    run_config = attrs.evolve(
        config, targets=(*REFERENCES, *_sdk_targets(config, families)), models={}, cross=crossing
    )
    policy = Policy.from_rules(config.policy)
    out: list[FindingRecord] = []
    notes: list[ShrinkNote] = []
    with _started(build_targets(run_config, build_models(schema))) as targets:
        for family in families:
            shrunk, note = _shrink(family, targets, policy, schema, max_steps)
            out.append(shrunk)
            notes.append(note)
    return out, notes


def _sdk_targets(config: Config, families: Sequence[FindingRecord]) -> list[TargetConfig]:
    """The configured SDK targets, each told the model names the examples say it has."""
    out = []
    for each in config.targets:
        if each.kind not in _SDK_KINDS:
            continue
        names = {
            f.example.model: f.example.names[each.name]
            for f in families
            if each.name in f.example.names
        }
        options = dict(each.options)
        options["models"] = {**config.models, **options.get("models", {}), **names}
        out.append(attrs.evolve(each, options=options))
    return out


@contextlib.contextmanager
def _started(targets: Sequence[Target]) -> Iterator[list[Target]]:
    """The targets that start (one that does not is left out), closed however it ends."""
    started: list[Target] = []
    try:
        for target in targets:
            with contextlib.suppress(ConformanceError):
                target.start()
                started.append(target)
        yield started
    finally:
        for target in started:
            target.close()


def _shrink(
    family: FindingRecord,
    targets: Sequence[Target],
    policy: Policy,
    schema: Schema,
    max_steps: int,
) -> tuple[FindingRecord, ShrinkNote]:
    example = family.example

    def left(why: str) -> tuple[FindingRecord, ShrinkNote]:
        return family, ShrinkNote(family.id, "left", why, example.case)

    if example.wire_text is not None:
        return left("its exact input text (tokens, escapes) is the point; the payload is kept")
    if example.model not in schema:
        return left(f"the oracle has no model {example.model!r}")
    named = {*family.diverging, *family.expectation} - {"input"}
    # A naming family stands against a convention, which is no target.
    if not {n for n in named if not n.endswith(" convention")} <= {t.name for t in targets}:
        return left("a target it names is not configured or did not start")
    conventions = {t.name: t.convention for t in targets}
    direction: Direction = "request" if example.direction == "request" else "response"
    case = Case(example.case, example.model, direction, example.wire, example.valid)
    found = signatures(case, run_targets(case, targets), policy, schema, conventions)
    keep = _matching(found, family, schema, case)
    if keep is None:
        return left("its example does not show the family's divergence here")

    def holds(candidate: Case, outcomes: Sequence[tuple[str, Outcome]]) -> bool:
        # A smaller payload must keep the family's value classes too: 2^53 is no example
        # of a family of integers beyond 2^63, though it may show the same divergence.
        return (
            _of_family(candidate, outcomes, policy, schema, conventions, family, keep) is not None
        )

    result = shrink_case(case, targets, policy, schema, keep=keep, max_steps=max_steps, holds=holds)
    before, after = _size(example.wire), _size(result.case.wire)
    if after >= before:
        note = f"no smaller payload keeps the divergence ({result.steps} candidates)"
        return family, ShrinkNote(family.id, "minimal", note, example.case, result.steps)
    outcomes = run_targets(result.case, targets)
    divergence = _of_family(result.case, outcomes, policy, schema, conventions, family, keep)
    if divergence is None:  # the targets answered otherwise the second time: keep the original
        return left("the shrunk payload did not show the divergence again")
    shrunk = attrs.evolve(
        example,
        case=result.case.id,
        wire=result.case.wire,
        path=path_text(divergence.path),
        expected=attrs.evolve(
            example.expected, value=divergence.left.value, present=divergence.left.present
        ),
        got=attrs.evolve(
            example.got, value=divergence.right.value, present=divergence.right.present
        ),
        detail=divergence.detail,
    )
    said = f"shrunk from {example.case} ({before} to {after} bytes, {result.steps} candidates)"
    done = ShrinkNote(family.id, "shrunk", said, example.case, result.steps, before, after)
    return attrs.evolve(family, example=shrunk), done


def _pattern(schema: Schema, case: Case, path: str) -> str | None:
    parsed = parse_path_text(path)
    if parsed is None:
        return None
    return path_text(generalize(schema, case.model, case.wire, parsed))


def _matching(
    found: Sequence[Signature], family: FindingRecord, schema: Schema, case: Case
) -> Signature | None:
    """The signature of the family's divergence among a case's, if it shows it."""
    pattern = _pattern(schema, case, family.example.path)
    for signature in found:
        if (
            signature.kind == family.kind
            and signature.pattern == pattern
            and set(family.diverging) <= set(signature.right)
            and set(family.expectation) <= set(signature.left)
        ):
            return signature
    return None


def _of_family(
    case: Case,
    outcomes: Sequence[tuple[str, Outcome]],
    policy: Policy,
    schema: Schema,
    conventions: Mapping[str, str | None],
    family: FindingRecord,
    keep: Signature,
) -> Divergence | None:
    """The divergence of ``case`` that the family names: its kind, targets, the kept
    signature's pattern, and the family's value classes and field type."""
    record = case_record(case)
    wanted = (family.input_class, family.output_class, family.field_type)
    for verdict in judge(case, outcomes, policy, schema, conventions):
        for divergence in verdict.failing:
            pattern = path_text(generalize(schema, case.model, case.wire, divergence.path))
            if (
                divergence.kind == family.kind
                and pattern == keep.pattern
                and set(family.diverging) <= set(divergence.right.targets)
                and family_classes(schema, record, divergence) == wanted
            ):
                return divergence
    return None


def _size(wire: object) -> int:
    return len(jsonwire.dumps(wire))  # type: ignore[arg-type]
