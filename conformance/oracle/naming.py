"""Naming reports: each model's wire keys under each convention, with collisions and
lossy names (``conformance naming``). The conventions themselves are in
``conformance.core.conventions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import attrs
from attrs import frozen

from conformance.core.conventions import Convention
from conformance.schema import Model


@frozen
class Collision:
    """Two or more wire keys of one model that share a native name in one convention."""

    model: str
    convention: str
    native: str
    wire_keys: tuple[str, ...]


@frozen
class LossyName:
    """A native name that, re-cased like its wire key, gives ``back`` and not the key."""

    model: str
    convention: str
    wire_key: str
    native: str
    back: str


@frozen
class NamingRow:
    """One wire key and its native name in each convention, as (convention, name) pairs."""

    wire_key: str
    names: tuple[tuple[str, str], ...]


@frozen
class NamingReport:
    """The names of one model's fields, with their collisions and lossy names."""

    model: str
    rows: tuple[NamingRow, ...]
    collisions: tuple[Collision, ...] = ()
    lossy: tuple[LossyName, ...] = ()

    @property
    def flagged(self) -> bool:
        """Whether anything needs attention."""
        return bool(self.collisions or self.lossy)


def naming_report(model: Model, conventions: Sequence[Convention]) -> NamingReport:
    """Name every field of a model in each convention and flag collisions and lossy names."""
    keys = [each.wire_name for each in model.fields]
    rows = tuple(
        NamingRow(key, tuple((c.name, c.native(key)) for c in conventions)) for key in keys
    )
    collisions: list[Collision] = []
    lossy: list[LossyName] = []
    for convention in conventions:
        by_name: defaultdict[str, list[str]] = defaultdict(list)
        for key in keys:
            native = convention.native(key)
            by_name[native].append(key)
            if convention.is_lossy(key):
                back = convention.restyle(native, like=key)
                lossy.append(LossyName(model.name, convention.name, key, native, back))
        collisions.extend(
            Collision(model.name, convention.name, native, tuple(claimants))
            for native, claimants in by_name.items()
            if len(claimants) > 1
        )
    return NamingReport(model.name, rows, tuple(collisions), tuple(lossy))


def _shown(key: str) -> str:
    """A key as printed in a table: as it is, or quoted when blank or not printable."""
    return key if key.isprintable() and key.strip() == key and key else repr(key)


def _table(header: Sequence[str], body: Sequence[Sequence[str]], indent: str) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    return [
        indent
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *body)
    ]


def render_naming(reports: Sequence[NamingReport]) -> str:
    """Plain text for a terminal: per model, a table of names, then what is flagged.

    The table has a column for the wire key and one per convention but ``wire``
    (which would repeat the key); blank or unprintable keys are shown quoted.
    """
    blocks: list[str] = []
    for report in reports:
        lines = [report.model]
        if not report.rows:
            lines.append("  (no fields)")
            blocks.append("\n".join(lines))
            continue
        shown = [name for name, _ in report.rows[0].names if name != "wire"]
        body = [
            [_shown(row.wire_key), *(_shown(n) for c, n in row.names if c != "wire")]
            for row in report.rows
        ]
        lines.extend(_table(["wire key", *shown], body, indent="  "))
        if report.collisions:
            lines.append("  collisions:")
            lines.extend(
                f"    {c.convention}: {_shown(c.native)} <- "
                + ", ".join(_shown(k) for k in c.wire_keys)
                for c in report.collisions
            )
        if report.lossy:
            lines.append("  lossy names (wire key -> native -> re-cased back):")
            lines.extend(
                f"    {n.convention}: {_shown(n.wire_key)} -> {_shown(n.native)}"
                f" -> {_shown(n.back)}"
                for n in report.lossy
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _json_value(instance: type, attribute: attrs.Attribute[object] | None, value: object) -> object:
    """Turn (convention, name) pairs into an object and other tuples into lists."""
    if not isinstance(value, tuple):
        return value
    if attribute is not None and attribute.name == "names":
        return dict(value)
    return list(value)


def naming_as_json(reports: Sequence[NamingReport]) -> list[dict[str, object]]:
    """The reports as JSON-able dicts; each row's ``names`` is a convention -> name object."""
    return [attrs.asdict(report, value_serializer=_json_value) for report in reports]
