"""Systematic probes: every field of every model, one probe per class that applies to it.

Random generation finds a divergence class when luck puts it somewhere; a
probe run puts it everywhere it applies, once. Each model gets one valid base
payload with every optional field present (``max_depth`` objects deep, plain
values: ``"a"``, ``1``, first enum values, the first union member the checker
reads, one array item, one map key); each probe is that payload changed at
exactly one path, and the checker (the reference's rules) says whether the
probed payload is valid.

The count stays bounded by deduplication, per direction: the value classes
(coercion, numbers, dates, strings, enums, unions) run once per distinct type
(the ``TypeRef`` a field or item has), the presence and key classes once per
(model, field), and the object-level key classes once per model. Raw-text
classes carry the exact input text (``wire_text``) as well as its value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from attrs import frozen

from conformance.core import jsonwire
from conformance.core.conventions import get_convention, unique_names
from conformance.core.divergence import path_text
from conformance.core.formats import value_key
from conformance.exceptions import CaseFileError
from conformance.schema import (
    NO_DEFAULT,
    ArrayOf,
    Const,
    EnumOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.cases import Case, Direction
from conformance.sources.generate.case import id_part
from conformance.sources.generate.checker import Checker, Path
from conformance.sources.generate.finite import Infinite, NoPayload, Witnesses, tagged
from conformance.sources.generate.mutations import shown
from conformance.sources.generate.probe_classes import (
    CLASSES,
    ESCAPED,
    SENTINEL,
    BaseBuilder,
    at_parent,
    base_payload,
    case_variant,
    changed,
    enum_probes,
    other_values,
    primitive_probes,
    raw_token,
    replace_once,
    unknown_key,
)
from conformance.sources.generate.seeded import skipped_model

__all__ = ["CLASSES", "ProbeSet", "base_payload", "probe_cases"]

_PROTO_KEYS = ("__proto__", "constructor", "toString")


@frozen
class ProbeSet:
    """The probe cases of a run, how many of each class, and what deduplication saved."""

    cases: tuple[Case, ...]
    counts: tuple[tuple[str, int], ...]  # (class id, cases), classes in ``CLASSES`` order
    model_directions: int  # the (model, direction) pairs probed
    repeats: int  # sites not probed again: their type, field or model was probed already

    @property
    def classes(self) -> int:
        """How many classes have at least one case."""
        return sum(1 for _, count in self.counts if count)

    def line(self, seconds: float) -> str:
        """The one line a run says of its probes, given the time they took."""
        return (
            f"probes: {len(self.cases)} cases over {self.model_directions} model-directions "
            f"({self.classes} classes) in {seconds:.1f} s"
        )


@frozen
class _Probe:
    """One probe before it is a case: the probed payload, and its text when it is raw."""

    class_id: str
    path: Path
    payload: JsonValue
    what: str
    wire_text: str | None = None
    valid: bool | None = None  # None: the checker decides


def probe_cases(
    schema: Schema,
    runs: Sequence[tuple[str, Direction]],
    *,
    max_depth: int = 3,
    problems: list[CaseFileError] | None = None,
) -> ProbeSet:
    """The probes of every (model, direction) of ``runs``, in order: the same for the same schema.

    With ``problems``, a model with no finite valid payload is skipped and added
    to it once; without, ``NoPayload`` is raised.
    """
    checker = Checker(schema)
    witnesses = Witnesses(schema, checker)
    directions: Counter[str] = Counter(model for model, _ in dict.fromkeys(runs))
    seen: set[object] = set()
    skipped: set[str] = set()
    cases: list[Case] = []
    numbers: Counter[tuple[str, str, Direction]] = Counter()
    probed = repeats = 0
    for model, direction in dict.fromkeys(runs):
        if model in skipped:
            continue
        try:
            base = base_payload(schema, model, max_depth, checker, witnesses)
        except (NoPayload, KeyError) as error:
            if problems is None:
                raise
            skipped.add(model)
            reason = error if isinstance(error, NoPayload) else f"unknown model {model!r}"
            problems.append(skipped_model(schema.source, model, "probe", reason))
            continue
        walk = _Walk(schema, _BaseChecker(schema, base), witnesses, direction, seen, max_depth)
        probes = list(walk.value(Ref(model), base, (), top=True))
        probed += 1
        repeats += walk.repeats
        suffix = f"-{direction}" if directions[model] > 1 else ""
        for probe in probes:
            key = (model, probe.class_id, direction)
            number = numbers[key]
            numbers[key] += 1
            valid = probe.valid
            if valid is None:
                valid = walk.checker.accepts(Ref(model), probe.payload)
            cases.append(
                Case(
                    id=f"probe-{id_part(model)}-{id_part(probe.class_id)}-{number}{suffix}",
                    model=model,
                    direction=direction,
                    wire=probe.payload,
                    valid=valid,
                    description=f"probe {probe.class_id} at {path_text(probe.path)}: {probe.what}",
                    source="probe",
                    wire_text=probe.wire_text,
                    probe=probe.class_id,
                    probe_path=path_text(probe.path),
                )
            )
    per_class = Counter(case.probe for case in cases)
    counts = tuple((name, per_class[name]) for name in CLASSES)
    return ProbeSet(tuple(cases), counts, probed, repeats)


class _BaseChecker(Checker):
    """The checker, remembering its verdicts on the containers of one base payload.

    Probes share the base's unchanged containers (only the path to a change is
    copied), so checking a probed payload checks the copied path and reads every
    other verdict: a probe costs its path, not its payload. The base keeps its
    containers alive and the memo keeps the types, so no id is reused meanwhile.
    """

    def __init__(self, schema: Schema, base: JsonValue) -> None:
        super().__init__(schema)
        self.shared = {id(node) for node in _containers(base)}
        self.memo: dict[tuple[int, int], tuple[TypeRef | Model, int]] = {}

    def check(self, type_: TypeRef | Model, value: object) -> int:
        if id(value) not in self.shared:
            return super().check(type_, value)
        key = (id(type_), id(value))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = (type_, super().check(type_, value))
        return found[1]


def _containers(value: JsonValue) -> Iterator[JsonValue]:
    """Every object and array in ``value``, ``value`` first."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            yield node
            stack.extend(node)


class _Walk:
    """The probes of one base payload: it follows the payload with the schema's types."""

    def __init__(
        self,
        schema: Schema,
        checker: Checker,
        witnesses: Witnesses,
        direction: Direction,
        seen: set[object],
        max_depth: int,
    ) -> None:
        self.schema = schema
        self.checker = checker
        self.base_builder = BaseBuilder(schema, checker, witnesses)
        self.direction = direction
        self.seen = seen
        self.max_depth = max_depth
        self.repeats = 0
        self.keys: dict[int, tuple[TypeRef, str]] = {}
        self.base: JsonValue = None

    def first(self, *key: object) -> bool:
        """Whether ``key`` (in this direction) is met for the first time; counts repeats."""
        full = (self.direction, *key)
        if full in self.seen:
            self.repeats += 1
            return False
        self.seen.add(full)
        return True

    def value(
        self, type_: TypeRef, value: JsonValue, path: Path, top: bool = False
    ) -> Iterator[_Probe]:
        """The probes of a value of ``type_`` at ``path`` and of everything inside it."""
        if top:
            self.base = value
        core = self.core(type_)
        if core is None or isinstance(core, Model):
            pass
        elif self.first("type", self.type_key(type_)):
            yield from self.value_probes(core, value, path)
        yield from self.inside(core, value, path)

    def type_key(self, type_: TypeRef) -> str:
        """``repr(type_)``, kept per object: equal types may differ (``1`` and ``True``)."""
        # The type is kept beside its key, so that its id is not reused by another.
        kept = self.keys.get(id(type_))
        if kept is None:
            kept = self.keys[id(type_)] = (type_, repr(type_))
        return kept[1]

    def core(self, type_: TypeRef) -> TypeRef | Model | None:
        """``type_`` through references, aliases and ``Nullable`` (``None`` on an alias cycle)."""
        try:
            resolved = self.schema.resolve(type_)
            while isinstance(resolved, Nullable):
                resolved = self.schema.resolve(resolved.inner)
        except ValueError:
            return None
        return resolved

    def inside(
        self, core: TypeRef | Model | None, value: JsonValue, path: Path
    ) -> Iterator[_Probe]:
        if value is None or core is None:
            return
        if isinstance(core, Model) and type(value) is dict:
            yield from self.model(core, value, path)
        elif isinstance(core, ArrayOf) and type(value) is list and value:
            yield from self.value(core.items, value[0], (*path, 0))
        elif isinstance(core, MapOf) and type(value) is dict and value:
            key = next(iter(value))
            yield from self.value(core.values, value[key], (*path, key))
        elif isinstance(core, UnionOf):
            member = self.checker.member(core, value)
            if member is not None:
                yield from self.value(member, value, path)

    # -- objects and fields --------------------------------------------------------------

    def model(self, model: Model, value: dict[str, JsonValue], path: Path) -> Iterator[_Probe]:
        if self.first("model", model.name):
            yield from self.object_probes(model, value, path)
        for each in model.fields:
            if each.wire_name not in value:
                continue
            where = (*path, each.wire_name)
            if self.first("field", model.name, each.wire_name):
                yield from self.field_probes(model, each, value, where)
            yield from self.value(each.type, value[each.wire_name], where)

    def object_probes(
        self, model: Model, value: dict[str, JsonValue], path: Path
    ) -> Iterator[_Probe]:
        unknown = unknown_key(model, value)
        if unknown is not None:
            yield self.edit("keys.unknown", (*path, unknown), "a", f"unknown key {unknown!r}")
        for key in _PROTO_KEYS:
            if key not in value and model.field_named(key) is None:
                yield self.edit("keys.proto", (*path, key), "a", f"key {key!r}")
        if model.additional is not None and model.additional is not False and unknown is not None:
            try:
                extra = self.base_builder.value(model.additional, self.max_depth - 1)
            except Infinite:
                return
            yield self.edit("keys.additional", (*path, unknown), extra, f"extra key {unknown!r}")

    def field_probes(
        self, model: Model, field: Field, value: dict[str, JsonValue], path: Path
    ) -> Iterator[_Probe]:
        nullable = self.checker.accepts(field.type, None)
        if field.required:
            removed = (
                "presence.required-nullable-removed" if nullable else "presence.required-removed"
            )
        elif field.default is NO_DEFAULT:
            removed = "presence.optional-absent"
        elif isinstance(self.core(field.type), Const):
            removed = "presence.const-default-absent"
        else:
            removed = "presence.default-absent"
        yield self.edit(removed, path, None, "key removed", remove=True)
        if not nullable:
            null = "presence.null-required" if field.required else "presence.null-optional"
            yield self.edit(null, path, None, "null on a non-nullable field")
        wire = field.wire_name
        others = {f.wire_name for f in model.fields}
        wires = [f.wire_name for f in model.fields]
        renames = (
            ("keys.attribute-name", unique_names(wires, get_convention("python"))[wire]),
            ("keys.camel-name", unique_names(wires, get_convention("typescript"))[wire]),
            ("keys.case-variant", case_variant(wire)),
        )
        for class_id, name in renames:
            if name is not None and name != wire and name not in others:
                yield self.rename(class_id, path, name)
        yield self.duplicate(field, path, value[wire])

    # -- values --------------------------------------------------------------------------

    def value_probes(self, core: TypeRef | Model, value: JsonValue, path: Path) -> Iterator[_Probe]:
        if isinstance(core, Primitive):
            for class_id, probe in primitive_probes(core):
                if class_id == "strings.lone-surrogate":
                    yield self.lone_surrogate(path, probe)
                else:
                    yield self.edit(class_id, path, probe, shown(probe))
            if core.kind in ("integer", "number"):
                yield self.raw("text.nan", path, None)
                yield self.raw("text.infinity", path, None)
            elif core.format not in ("date", "date-time"):
                yield self.raw("text.escaped-non-ascii", path, ESCAPED)
                yield self.raw("text.raw-utf8", path, ESCAPED)
        elif isinstance(core, EnumOf):
            for class_id, probe in enum_probes(core):
                yield self.edit(class_id, path, probe, shown(probe))
        elif isinstance(core, MapOf) and type(value) is dict:
            try:
                extra = self.base_builder.value(core.values, self.max_depth - 1)
            except Infinite:
                return
            key = next(k for k in ("extra", "extra_2", "extra_3", "") if k not in value)
            yield self.edit("keys.additional", (*path, key), extra, f"extra map key {key!r}")
        elif isinstance(core, UnionOf):
            yield from self.union_probes(core, value, path)

    def union_probes(self, union: UnionOf, value: JsonValue, path: Path) -> Iterator[_Probe]:
        discriminator = union.discriminator
        if discriminator is not None:
            if type(value) is dict and discriminator.property in value:
                tag = (*path, discriminator.property)
                yield self.edit(
                    "union.unknown-discriminator", tag, "unknown_member", "tag 'unknown_member'"
                )
                yield self.edit(
                    "union.missing-discriminator", tag, None, "tag removed", remove=True
                )
            return
        several: JsonValue = None
        found = False
        for index, member in enumerate(union.members):
            candidates = [
                tagged(self.schema, union, member, v)
                for v in self.base_builder.candidates(member, self.max_depth - 1)
            ]
            if not candidates:
                continue
            yield self.edit(
                "union.member", path, candidates[0], f"member {index} ({shown(candidates[0])})"
            )
            for each in candidates:
                if not found and self.checker.fitting(union, each) > 1:
                    several, found = each, True
        if found:
            fits = self.checker.fitting(union, several)
            yield self.edit(
                "union.fits-several", path, several, f"fits {fits} members ({shown(several)})"
            )

    # -- building a probe ----------------------------------------------------------------

    def edit(
        self, class_id: str, path: Path, new: JsonValue, what: str, *, remove: bool = False
    ) -> _Probe:
        """The base payload with ``new`` at ``path`` (or its key removed)."""
        return _Probe(class_id, path, changed(self.base, path, new, remove), what)

    def rename(self, class_id: str, path: Path, name: str) -> _Probe:
        """The base payload with the key at ``path`` sent as ``name``, in its place."""

        def change(node: Any) -> None:
            items = list(node.items())
            node.clear()
            node.update((name if k == path[-1] else k, v) for k, v in items)

        payload = at_parent(self.base, path, change)
        return _Probe(class_id, path, payload, f"key sent as {name!r}")

    def lone_surrogate(self, path: Path, probe: JsonValue) -> _Probe:
        payload = changed(self.base, path, probe, False)
        return _Probe(
            "strings.lone-surrogate", path, payload, "'\\ud800'", wire_text=jsonwire.dumps(payload)
        )

    def raw(self, class_id: str, path: Path, wire: JsonValue) -> _Probe:
        """A raw-text probe: ``wire`` at ``path`` in the value, the class's token in the text."""
        marked = changed(self.base, path, SENTINEL, False)
        text = replace_once(jsonwire.dumps(marked), jsonwire.dumps(SENTINEL), raw_token(class_id))
        payload = changed(self.base, path, wire, False)
        valid = False if class_id in ("text.nan", "text.infinity") else None
        return _Probe(class_id, path, payload, f"written {raw_token(class_id)}", text, valid)

    def duplicate(self, field: Field, path: Path, current: JsonValue) -> _Probe:
        """``text.duplicate-key``: the key written twice, another value first, this one last."""
        core = self.core(field.type)
        other = current
        for each in other_values(core if isinstance(core, Primitive | EnumOf) else None):
            if value_key(each) != value_key(current) and self.checker.accepts(field.type, each):
                other = each
                break
        marked = changed(self.base, path, SENTINEL, False)
        twice = f"{jsonwire.dumps(other)},{jsonwire.dumps(str(path[-1]))}:{jsonwire.dumps(current)}"
        text = replace_once(jsonwire.dumps(marked), jsonwire.dumps(SENTINEL), twice)
        return _Probe(
            "text.duplicate-key",
            path,
            self.base,
            f"key written twice, first {shown(other)}",
            text,
        )
