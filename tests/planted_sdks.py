"""A project of one schema and two small SDKs that implement it, faithfully or with planted faults.

``write_project`` writes into a folder: ``schema.yaml`` (an OpenAPI 3.1
components document: ``Thing`` and the models it reaches), the pydantic package
``acme.client`` (``tests/planted_pydantic.py``), the zod package ``@acme/sdk``
(``tests/planted_zod.py``) and a ``pyproject.toml`` whose ``[tool.conformance]``
runs the Python-convention reference and both SDKs.

``Thing`` has a field for each probe class to act on: a required integer, a
required nullable string, an optional number, an optional field with a default,
a const tag with a default, a boolean, a date-time, a date, a closed enum, a
discriminated union, an ``anyOf`` whose members can both fit one payload, a
field whose wire key (``Last-Seen``) is neither its Python nor its camelCase
name, a map of integers, a nested object and an array of strings. OpenAPI has no
open enums, so there is none.

Faithful means: what the reference accepts the SDK accepts, and it writes back
exactly what it read. Every model forbids unknown keys (``additionalProperties:
false``): an unknown key may hold any number, and JavaScript cannot keep
``2^53 + 1``. For the same reason integers are ``int32``, where such numbers are
invalid. The ``number`` field ``ratio`` is a double in the zod SDK and exact in
the reference: the project's policy makes the zod SDK's value and accept
differences there notes (one rule per kind, each with its reason).

``PLANTED`` lists the planted differences: each is one change (named by the
probe class that finds it) in one package at one field, and what the probes of
a class report for it. A change can show in the probes of a second class too
(a plant that strips unknown keys from ``Plain`` is found by ``union.member``
and by ``keys.unknown``): such rows name the change in ``plant``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from attrs import frozen

from tests.planted_pydantic import python_files
from tests.planted_zod import node_files
from tests.tiny_sdks import SDK_PYTHON, ZOD

__all__ = [
    "NODE_TARGET",
    "PLANTED",
    "PLANTS",
    "PYTHON_TARGET",
    "REFERENCE_TARGET",
    "UNPLANTED",
    "Planted",
    "write_project",
]

REFERENCE_TARGET = "reference-python"
PYTHON_TARGET = "acme-python"
NODE_TARGET = "acme-node"

SCHEMA = """\
openapi: 3.1.0
info: {title: planted, version: "1"}
paths: {}
components:
  schemas:
    Thing:
      type: object
      additionalProperties: false
      required: [item_count, display_name]
      properties:
        item_count: {type: integer, format: int32}
        display_name: {type: [string, "null"]}
        ratio: {type: number}
        page_limit: {type: integer, format: int32, default: 10}
        kind: {type: string, const: thing, default: thing}
        is_active: {type: boolean}
        created_at: {type: string, format: date-time}
        birth_day: {type: string, format: date}
        color: {type: string, enum: [red, green, blue]}
        pet:
          oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
          discriminator:
            propertyName: species
            mapping: {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}
        shape:
          anyOf: [{$ref: "#/components/schemas/Plain"}, {$ref: "#/components/schemas/Rich"}]
        Last-Seen: {type: string}
        counts:
          type: object
          additionalProperties: {type: integer, format: int32}
        owner: {$ref: "#/components/schemas/Owner"}
        tags: {type: array, items: {type: string}}
    Cat:
      type: object
      additionalProperties: false
      required: [species, lives]
      properties:
        species: {type: string, const: cat}
        lives: {type: integer, format: int32}
    Dog:
      type: object
      additionalProperties: false
      required: [species, good_boy]
      properties:
        species: {type: string, const: dog}
        good_boy: {type: boolean}
    Plain:
      type: object
      additionalProperties: false
      required: [label]
      properties:
        label: {type: string}
    Rich:
      type: object
      additionalProperties: false
      required: [label]
      properties:
        label: {type: string}
        weight: {type: integer, format: int32}
    Owner:
      type: object
      additionalProperties: false
      required: [owner_name]
      properties:
        owner_name: {type: string}
        nickname: {type: string}
"""


@frozen
class Planted:
    """What the probes of one class report for one planted change.

    ``path`` is where the probe changed the payload (the case's ``probe_path``)
    and the planted change is; ``at`` is the path of the divergence when it is
    not ``path``: ``$`` where an SDK accepted an invalid probe (the input side
    names no path), the path the SDK's own error names where it refused a valid
    one, a key below ``path`` where a value was written differently.
    """

    probe: str
    target: str
    path: str
    kind: str
    at: str = ""
    plant: str = ""

    @property
    def change(self) -> str:
        """The name of the change in the packages (the class it is planted for)."""
        return self.plant or self.probe

    @property
    def reported(self) -> tuple[str, str, str, str, str]:
        """(probe class, target, probe path, divergence path, kind), as a result shows it."""
        return (self.probe, self.target, self.path, self.at or self.path, self.kind)


_P, _Z = PYTHON_TARGET, NODE_TARGET
_OWNER, _SHAPE, _PET = "$.owner.owner_name", "$.shape", "$.pet.species"

#: Every planted difference, as the probes report it (changes named by their class).
PLANTED: tuple[Planted, ...] = (
    # zod: owner_name is .optional()
    Planted("presence.required-removed", _Z, _OWNER, "accept", "$"),
    # pydantic: display_name defaults to None
    Planted("presence.required-nullable-removed", _P, "$.display_name", "accept", "$"),
    # zod: tags .default([])
    Planted("presence.optional-absent", _Z, "$.tags", "extra"),
    # zod: page_limit .default(10)
    Planted("presence.default-absent", _Z, "$.page_limit", "extra"),
    # pydantic: the const kind always counts as set, so it is always written
    Planted("presence.const-default-absent", _P, "$.kind", "extra"),
    # pydantic: item_count is Optional
    Planted("presence.null-required", _P, "$.item_count", "accept", "$"),
    # zod: nickname .nullish()
    Planted("presence.null-optional", _Z, "$.owner.nickname", "accept", "$"),
    # pydantic: a digits-only string becomes an int
    Planted("coercion.numeric-string", _P, "$.item_count", "accept", "$"),
    # zod: "5.0" preprocessed into a number
    Planted("coercion.decimal-string", _Z, "$.item_count", "accept", "$"),
    # zod: a number preprocessed into a string
    Planted("coercion.number-for-string", _Z, "$.display_name", "accept", "$"),
    # pydantic: "true"/"yes"/"false"/"no" read as booleans
    Planted("coercion.boolean-string", _P, "$.is_active", "accept", "$"),
    # zod: 1 and 0 preprocessed into booleans
    Planted("coercion.boolean-number", _Z, "$.is_active", "accept", "$"),
    # pydantic: an integer must be an integer token (1.0 refused)
    Planted("coercion.integral-float", _P, "$.item_count", "accept"),
    # zod: item_count is z.number() without .int()
    Planted("coercion.fraction-for-integer", _Z, "$.item_count", "accept", "$"),
    # pydantic: item_count bounded as int64, not int32
    Planted("numbers.2^53+1", _P, "$.item_count", "accept", "$"),
    # pydantic: ratio integers in [2^63, 2^64) overflow a signed int64
    Planted("numbers.2^63", _P, "$.ratio", "value"),
    # pydantic: ratio integers from 2^64 wrap around as a uint64
    Planted("numbers.2^64+1", _P, "$.ratio", "value"),
    # zod: item_count .positive() (refuses -0)
    Planted("numbers.negative-zero", _Z, "$.item_count", "accept"),
    # pydantic: a ratio beyond double range becomes inf, written null
    Planted("numbers.1e400", _P, "$.ratio", "type"),
    # pydantic: ratio kept to 15 significant digits
    Planted("numbers.17-digits", _P, "$.ratio", "value"),
    # pydantic: an integral ratio with an exponent is written as an integer (a note)
    Planted("numbers.1E+21", _P, "$.ratio", "number-format"),
    # pydantic: created_at offsets converted to Z
    Planted("datetime.offset", _P, "$.created_at", "datetime-format"),
    # zod: six fractional digits cut to milliseconds
    Planted("datetime.microseconds", _Z, "$.created_at", "value"),
    # pydantic: more than six fractional digits cut to microseconds
    Planted("datetime.nanoseconds", _P, "$.created_at", "value"),
    # zod: T and Z must be upper case
    Planted("datetime.lowercase", _Z, "$.created_at", "accept"),
    # pydantic: the offset is optional
    Planted("datetime.naive", _P, "$.created_at", "accept", "$"),
    # zod: a date alone is a date-time
    Planted("datetime.date-only", _Z, "$.created_at", "accept", "$"),
    # pydantic: an integer is read as epoch seconds
    Planted("datetime.epoch", _P, "$.created_at", "accept", "$"),
    # zod: hour 24 allowed
    Planted("datetime.hour-24", _Z, "$.created_at", "accept", "$"),
    # pydantic: days checked against 31, not the month
    Planted("datetime.feb-30", _P, "$.created_at", "accept", "$"),
    # zod: second 60 refused
    Planted("datetime.leap-second", _Z, "$.created_at", "accept"),
    # pydantic: a date-time is a date too
    Planted("date.as-date-time", _P, "$.birth_day", "accept", "$"),
    # zod: color is any string
    Planted("enum.unknown-value", _Z, "$.color", "accept", "$"),
    # pydantic: Cat's species is any string, the union tried member by member
    Planted("union.unknown-discriminator", _P, _PET, "accept", "$"),
    # zod: Cat's species .optional()
    Planted("union.missing-discriminator", _Z, _PET, "accept", "$"),
    # zod: Plain is not .strict(), so it strips Rich's weight
    Planted("union.member", _Z, _SHAPE, "missing", "$.shape.weight"),
    # pydantic: Thing populates fields by their Python names
    Planted("keys.attribute-name", _P, '$["Last-Seen"]', "accept", "$"),
    # pydantic: owner_name also read from ownerName
    Planted("keys.camel-name", _P, _OWNER, "accept", "$"),
    # pydantic: tags also read from TAGS
    Planted("keys.case-variant", _P, "$.tags", "accept", "$"),
    # pydantic: counts read as a model of the key its example had
    Planted("keys.additional", _P, "$.counts.extra", "missing"),
    # zod: display_name normalized to NFD
    Planted("strings.non-ascii", _Z, "$.display_name", "value"),
    # pydantic: astral characters dropped from display_name
    Planted("strings.astral", _P, "$.display_name", "value"),
    # zod: NUL dropped from labels
    Planted("strings.nul", _Z, "$.shape.label", "value"),
    # pydantic: U+2028 in labels becomes a newline
    Planted("strings.u2028", _P, "$.shape.label", "value"),
    # pydantic: display_name refuses lone surrogates
    Planted("strings.lone-surrogate", _P, "$.display_name", "accept"),
    # zod: labels .max(1000)
    Planted("strings.long", _Z, "$.shape.label", "accept", _SHAPE),
    # pydantic: the reader takes NaN, ratio allows it, the writer writes null
    Planted("text.nan", _P, "$.ratio", "accept", "$"),
    # pydantic: the reader takes Infinity, ratio allows it, the writer writes null
    Planted("text.infinity", _P, "$.ratio", "accept", "$"),
    # pydantic: the reader keeps the first of duplicate "color" keys
    Planted("text.duplicate-key", _P, "$.color", "value"),
    # pydantic: the writer escapes non-ASCII (a text note)
    Planted("text.raw-utf8", _P, "$.display_name", "text"),
    Planted("text.raw-utf8", _P, "$.shape.label", "text"),
    # The same changes, found by a second class.
    Planted("presence.required-removed", _Z, _PET, "accept", "$", "union.missing-discriminator"),
    Planted("coercion.number-for-string", _P, "$.created_at", "accept", "$", "datetime.epoch"),
    Planted(
        "numbers.17-digits", _Z, "$.item_count", "accept", "$", "coercion.fraction-for-integer"
    ),
    Planted("keys.unknown", _Z, '$.shape["x-unknown"]', "accept", "$", "union.member"),
    Planted("keys.proto", _Z, "$.shape.__proto__", "accept", "$", "union.member"),
    Planted("keys.proto", _Z, "$.shape.constructor", "accept", "$", "union.member"),
    Planted("keys.proto", _Z, "$.shape.toString", "accept", "$", "union.member"),
    Planted("text.escaped-non-ascii", _Z, "$.display_name", "value", "", "strings.non-ascii"),
    Planted("text.raw-utf8", _Z, "$.display_name", "value", "", "strings.non-ascii"),
)

#: The changes ``write_project(planted=...)`` knows.
PLANTS = frozenset(each.change for each in PLANTED)

#: Probe classes with no planted change of their own, and why.
UNPLANTED: Mapping[str, str] = {
    "union.fits-several": "its payload is Thing's base payload itself (shape {label: 'a'} fits"
    " both members of the anyOf), so what it shows every valid Thing probe shows",
    "keys.unknown": "found by the union.member change (zod's Plain strips unknown keys)",
    "keys.proto": "found by the union.member change (zod's Plain strips unknown keys)",
    "text.escaped-non-ascii": "found by the strings.non-ascii change; both faithful SDKs"
    " already write the escaped input back as raw UTF-8 (a text note)",
}

# -- the project --------------------------------------------------------------------

PROJECT = f"""\
[tool.conformance]
schema = "schema.yaml"
cases = ["cases"]
results = "out/results.ndjson"
start_timeout = 90

[[tool.conformance.targets]]
name = "{REFERENCE_TARGET}"
kind = "reference"
convention = "python"

[[tool.conformance.targets]]
name = "{PYTHON_TARGET}"
kind = "python-sdk"
python = "bin/python"
modules = ["acme.client.models"]
package = "acme.client"

[[tool.conformance.targets]]
name = "{NODE_TARGET}"
kind = "node-sdk"
root = "web"
modules = ["@acme/sdk/models/components/*.js"]
package = "@acme/sdk"

[[tool.conformance.policy]]
kind = "value"
path = "$.ratio"
targets = "{NODE_TARGET}"
severity = "note"
reason = "JavaScript holds a JSON number as a double; the reference keeps every digit"

[[tool.conformance.policy]]
kind = "accept"
path = "$.ratio"
targets = "{NODE_TARGET}"
severity = "note"
reason = "JSON.parse reads 1e400 as Infinity, which no zod number accepts"
"""


def _write(files: Mapping[str, str], under: Path) -> None:
    for name, text in files.items():
        path = under / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_project(folder: Path, planted: Collection[str] = ()) -> Path:
    """Write the schema, both SDKs and ``pyproject.toml`` into ``folder``; return the config.

    ``planted`` names changes of ``PLANTS`` that the packages get.
    """
    unknown = sorted(set(planted) - PLANTS)
    if unknown:
        raise ValueError(f"no planted difference named {unknown!r}")
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "schema.yaml").write_text(SCHEMA, encoding="utf-8")
    source = folder / "src"
    _write(python_files(planted), source)
    python = folder / "bin" / "python"
    python.parent.mkdir(parents=True, exist_ok=True)
    # The SDK's interpreter: the venv with pydantic, seeing the package.
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{source}" exec "{SDK_PYTHON}" "$@"\n')
    python.chmod(0o755)
    modules = folder / "web" / "node_modules"
    _write(node_files(planted), modules / "@acme" / "sdk")
    (modules / "zod").symlink_to(ZOD, target_is_directory=True)
    config = folder / "pyproject.toml"
    config.write_text(PROJECT, encoding="utf-8")
    return config
