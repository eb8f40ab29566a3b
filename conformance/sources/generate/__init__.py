"""Cases generated from the schema: valid and deliberately invalid payloads, biased to edges.

Hand-written cases find what their authors thought of; SDKs diverge at the
edges: integers beyond 2**53, ``-0.0`` and ``1E+21``, ``1.0`` where an integer
goes, astral-plane and empty strings, date-times with offsets, ``z`` or nine
fractional digits, ``null`` on optional fields, absent optionals and defaults,
unknown keys and enum values, payloads that fit several union members. This
package draws payloads of one definition of a neutral ``Schema`` with those
values over-represented, and breaks some of them at one place on purpose.

One module per concept:

* ``source``: where choices come from (``Source``, the SplitMix64 ``SeededSource``);
* ``edges``: the edge values;
* ``checker``: validity (``accepts``), the reference targets' rules without running them;
* ``paths``: where a payload path points in the schema (``type_at``, ``generalize``);
* ``finite``: which definitions have a finite valid payload, one of each
  (``Witnesses``), and why not (the cycle of required references);
* ``plain``: the plainest valid payload of a type (``minimal``);
* ``generator``: valid payloads; ``mutations``: one-place breakages of them;
* ``case``: one case from a stream of choices, and case ids;
* two drivers of the same generator: ``seeded`` (``generate_cases``: the same
  payloads for the same seed everywhere; ``generated_cases`` skips and reports a
  model that cannot be generated) and ``strategies`` (``payloads`` and ``cases``:
  Hypothesis strategies, for its search and shrinking);
* ``document``: a case file holding generated cases;
* ``probes`` (with ``probe_classes``: the class vocabulary, values and base payloads):
  systematic probes, every field of every model changed one class at a time
  (``probe_cases``, ``ProbeSet``).
"""

from __future__ import annotations

from conformance.sources.generate.case import case_id
from conformance.sources.generate.checker import accepts
from conformance.sources.generate.document import case_document
from conformance.sources.generate.finite import Witnesses
from conformance.sources.generate.paths import generalize, type_at
from conformance.sources.generate.plain import NoPayload, minimal
from conformance.sources.generate.probes import ProbeSet, base_payload, probe_cases
from conformance.sources.generate.seeded import generate_cases, generated_cases, skipped_model
from conformance.sources.generate.source import SeededSource, Source
from conformance.sources.generate.strategies import cases, payloads

__all__ = [
    "NoPayload",
    "ProbeSet",
    "SeededSource",
    "Source",
    "Witnesses",
    "accepts",
    "base_payload",
    "case_document",
    "case_id",
    "cases",
    "generalize",
    "generate_cases",
    "generated_cases",
    "minimal",
    "payloads",
    "probe_cases",
    "skipped_model",
    "type_at",
]
