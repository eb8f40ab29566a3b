"""Reference targets: the oracle of what a conforming SDK does, built from the schema.

A reference target for a convention runs each case through
wire -> instance -> native view -> instance -> wire, using the attrs classes of
``conformance.oracle.models`` and two converters of ``conformance.oracle.converters`` (one
for wire names, one for the convention's names). A payload the schema does not
admit is rejected with the path of the first problem in wire names. A case's exact
text (``wire_text``), when it has one, is what the reference reads; a text that is not
JSON is rejected. The reference writes values, not text (``Outcome.text`` is None), so
it never has ``text`` divergences of its own making.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import attrs

from conformance import __version__
from conformance.core import jsonwire
from conformance.core.divergence import PathSegment, path_text
from conformance.core.outcome import Implementation, Outcome
from conformance.oracle.converters import (
    StructureError,
    ViewCollision,
    direct_hooks,
    make_converter,
    unknown_key_count,
)
from conformance.oracle.models import EXTRAS, ModelSet, field_info, schema_fields
from conformance.schema import Model
from conformance.sources.cases import Case

__all__ = ["ReferenceTarget"]


class _Hooks(NamedTuple):
    """A model's type and what its round trip calls (``direct_hooks``: no dispatch per case)."""

    type: Any
    read_wire: Any
    write_wire: Any
    read_native: Any
    write_native: Any


@attrs.define
class ReferenceTarget:
    """The schema's own round trip through one naming convention."""

    name: str
    models: ModelSet
    convention: str = "python"
    optional: bool = False
    #: Nothing to install: the reference runs in process.
    install_hint: str = ""
    _wire: Any = attrs.field(init=False, default=None)
    _native: Any = attrs.field(init=False, default=None)
    #: Per model: its type, and the four hooks of the round trip (``_Hooks``).
    _types: dict[str, _Hooks] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self._wire = make_converter(self.models, "wire")
        self._native = make_converter(self.models, self.convention)

    def start(self) -> Implementation:
        """Nothing to start: the reference runs in process."""
        return Implementation(
            name=self.name, language="python", sdk="conformance-reference", sdk_version=__version__
        )

    def run(self, case: Case) -> Outcome:
        """Round-trip one case through the convention."""
        began = time.perf_counter()
        hooks = self._types.get(case.model)
        if hooks is None:
            if case.model not in self.models.schema:
                return Outcome(
                    "error",
                    error=f"model {case.model!r} is not in the schema",
                    seconds=time.perf_counter() - began,
                )
            type_ = self.models.type_of(case.model)
            hooks = self._types[case.model] = _Hooks(
                type_, *direct_hooks(self._wire, type_), *direct_hooks(self._native, type_)
            )
        type_, read_wire, write_wire, read_native, write_native = hooks
        wire = case.wire
        if case.wire_text is not None:
            # The exact text, read as a strict JSON reader reads it (the last of duplicate
            # keys); what is not JSON (NaN, a cut-off text) is refused like any bad payload.
            try:
                wire = jsonwire.loads(case.wire_text)
            except ValueError as error:
                return Outcome(
                    "rejected",
                    error=f"the payload text is not JSON: {error}",
                    seconds=time.perf_counter() - began,
                )
        unknown_before = unknown_key_count(self._wire)
        try:
            instance = read_wire(wire, type_)
        except StructureError as error:
            return Outcome("rejected", error=str(error), seconds=time.perf_counter() - began)
        except RecursionError:
            return Outcome(
                "error",
                error="the payload is nested too deeply for the reference target",
                seconds=time.perf_counter() - began,
            )
        warnings: tuple[str, ...] = ()
        if unknown_key_count(self._wire) != unknown_before:
            warnings = tuple(_unknown_keys(self.models, instance, ()))
        try:
            native = write_native(instance)
            again = read_native(native, type_)
            wire = write_wire(again)
        except RecursionError:
            return Outcome(
                "error",
                error="the payload is nested too deeply for the reference target",
                warnings=warnings,
                seconds=time.perf_counter() - began,
            )
        except ViewCollision as error:
            # The convention cannot say it (an unknown key spelled as a field's name there):
            # no verdict of the reference's, rather than one its own view made up.
            return Outcome(
                "skipped",
                error=f"the {self.convention} view cannot hold this payload: {error}",
                warnings=warnings,
                seconds=time.perf_counter() - began,
            )
        except StructureError as error:
            return Outcome(
                "error",
                error=f"the {self.convention} view does not read back: {error}",
                warnings=warnings,
                seconds=time.perf_counter() - began,
            )
        return Outcome(
            "accepted",
            wire=wire,
            native=native,
            warnings=warnings,
            seconds=time.perf_counter() - began,
        )

    def close(self) -> None:
        """Nothing to stop."""


def _unknown_keys(models: ModelSet, value: Any, path: tuple[PathSegment, ...]) -> list[str]:
    """Where an instance kept keys its model does not declare (and does not allow)."""
    found: list[str] = []
    if isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_unknown_keys(models, item, (*path, index)))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(_unknown_keys(models, item, (*path, key)))
    elif attrs.has(type(value)):
        for attribute in schema_fields(type(value)):
            found.extend(
                _unknown_keys(
                    models, getattr(value, attribute.name), (*path, field_info(attribute).wire_name)
                )
            )
        model = models.schema[type(value).__name__]
        declared = isinstance(model, Model) and model.additional is not None
        for key in () if declared else getattr(value, EXTRAS):
            found.append(
                f"unknown key {key!r} at {path_text(path)} "
                f"(not in {type(value).__name__}; kept and written back)"
            )
    return found
