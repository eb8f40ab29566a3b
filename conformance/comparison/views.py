"""A read-only target's native view compared with the input, where the view is the wire.

A target that reads a payload but writes nothing back (``written: false``: a Stainless
TypeScript response-only model) has no wire output, but its native view is the object
the SDK hands its user. Where the target's convention is ``wire`` (the SDK keeps the
wire's own keys, as Stainless TypeScript does), that view stands at the input's own
paths, and what it shows faithfully is compared with the input (``judge``): a number
rounded by ``JSON.parse`` (``9007199254740993`` handed over as ``9007199254740992``),
a key dropped, a value the reader changed. Other conventions are not compared: renaming
their keys back would be a guess.

A view is a value the harness wrote as JSON text for the SDK (``node_json.mjs``
``stringifyExact``), not text the SDK wrote, so these differences are no finding:

- number text (``1.0`` vs ``1``, ``1E+2`` vs ``100``, ``-0`` vs ``0``): a JavaScript number
  has no text of its own; a view number that is the very double the input names
  (``2^63`` shown as ``9223372036854776000``) is the input's value too;
- key order: a JavaScript object lists integer-like keys (``"1"``) first;
- a date-time in another form of the same instant (a reader's ``Date`` shown as its
  ``toJSON``);
- a number shown as ``null``: ``stringifyExact`` writes a non-finite number (``1E+400``
  read as ``Infinity``) as ``null``, so the view cannot tell what the SDK holds there;
- keys the view has and the input lacks: what a reader adds to its objects is its own
  (Stainless's ``_request_id`` is not enumerable and absent from the view; a reader's
  enumerable metadata would be no wire data).

A request's native view is not compared: it is the user's own object (the harness
builds it), not something an SDK read.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from attrs import evolve

from conformance.comparison.compare import diff
from conformance.core import jsonwire
from conformance.core.divergence import Divergence
from conformance.schema import JsonValue

__all__ = ["VIEW_KINDS", "VIEW_NOTE", "is_view_divergence", "view_divergences", "view_shows"]

#: Said in the detail of each divergence seen in a view (there is no written wire).
VIEW_NOTE = "seen in the SDK's native view (the object it hands its user; it writes nothing back)"
#: The kinds a view comparison reports.
VIEW_KINDS = frozenset({"value", "type", "missing"})

Reading = Literal["same", "real", "blind"]


def view_divergences(
    wire: JsonValue,
    view: JsonValue,
    left_targets: Sequence[str],
    right_targets: Sequence[str],
) -> list[Divergence]:
    """The real differences of ``view`` from the input ``wire`` (see the module doc)."""
    return [
        evolve(d, detail=f"{d.detail}; {VIEW_NOTE}" if d.detail else VIEW_NOTE)
        for d in diff(wire, view, left_targets, right_targets)
        if _reading(d) == "real"
    ]


def view_shows(expected: JsonValue, view: JsonValue) -> bool | None:
    """Whether a view's value is ``expected`` (True), another value (False), or cannot be
    told from the view (None: a number it shows as ``null``, keys it adds)."""
    readings = {_reading(d) for d in diff(expected, view)}
    if "real" in readings:
        return False
    return None if "blind" in readings else True


def is_view_divergence(divergence: Divergence, written: bool) -> bool:
    """Whether a divergence of a target comes from its native view: it wrote nothing back,
    and the divergence is of a kind only a view comparison gives such a target."""
    return not written and divergence.kind in VIEW_KINDS


def _reading(divergence: Divergence) -> Reading:
    """What one raw difference of a view from the input is (see the module doc)."""
    kind, left, right = divergence.kind, divergence.left.value, divergence.right.value
    if kind in ("order", "number-format", "datetime-format"):
        return "same"
    if kind == "extra":
        return "blind"
    if kind == "type" and jsonwire.is_number(left) and right is None:
        return "blind"
    if kind == "value" and jsonwire.is_number(left) and jsonwire.is_number(right):
        return "same" if _the_same_double(left, right) else "real"
    return "real"


def _the_same_double(given: object, shown: object) -> bool:
    """Whether ``shown`` (a double's shortest text) is the double whose exact value ``given`` is."""
    if not isinstance(shown, int | Decimal | float) or not isinstance(given, int | Decimal | float):
        return False
    try:
        exact = Decimal(float(shown))
    except OverflowError:
        return False
    return exact == given
