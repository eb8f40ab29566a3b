"""The Node reproducer: one standalone ES module run with ``node``.

It imports Node's own modules and the SDK, resolved from the target's ``root``
as the Node harness resolves them (``createRequire`` from the root, else the
package's exports map; folders and globs of modules too). ``node FILE`` exits 0
(``REPRODUCED: ...``), 1 (``NOT REPRODUCED: ...``) or 2 (an error of the script
itself); ``node --test FILE`` runs the same check as a ``node:test`` test. One
file serves both: under ``node --test`` the runner sets ``NODE_TEST_CONTEXT``
in the process it runs the file in, and only then is the test registered.

It calls the SDK as the harness does (``conformance/harnesses/node_harness.mjs``):
a response is ``X$inboundSchema.parse(JSON.parse(text))``; a request's native
object is ``X$inboundSchema.parse(wire)`` when there is one, else the wire
itself; the wire is written back as the SDK's own request-body writer
(``lib/encodings.js`` ``encodeJSON``, else ``JSON.stringify``) of
``X$outboundSchema.parse(native)``. That writer is ``JSON.stringify``, so the
exact text of a number it wrote is ``JSON.stringify`` of the parsed number;
expected numbers are embedded as their tokens and compared by decimal value.
A Fern or Stainless SDK (``FLAVOR``) is called through its generator's own functions
instead (``node_flavours``), with the options its harness reported. A Stainless response
model the SDK never sends was judged on its native view (``comparison.views``): for a
value, type, missing or extra family, what the SDK hands its user at the path (its own
enumerable keys, each number as the double it holds: ``2^63`` is ``9223372036854775808``)
counts where its written text does not show what the family says. ``duplicate-key``
counts the key in the SDK's text with a small lexer (``JSON.parse`` keeps one copy).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from attrs import frozen

from conformance.core import jsonwire
from conformance.report.reproduce.node_flavours import FLAVOUR_FUNCTIONS
from conformance.report.reproduce.python_script import example_line
from conformance.schema import JsonValue

__all__ = ["NUMBER", "NodeScript", "node_script", "tagged"]

#: The key of the object that stands for a number token in the embedded expectation.
NUMBER = "$conformance:number"


@frozen
class NodeScript:
    """What one Node reproducer checks (each value is embedded as a literal)."""

    finding: str
    sentence: str
    target: str
    kind: str
    direction: str
    model: str
    modules: tuple[str, ...]
    package: str
    root: str
    path: tuple[str | int, ...]
    where: str
    wire_text: str
    present: bool
    expected: JsonValue
    #: The example's case id (``-min``: shrunk from the run's case, keeping the divergence).
    case: str = ""
    #: A cross-SDK round trip: the command of another SDK's script that prints what that SDK
    #: wrote for the payload (it is run with ``--write``); this SDK reads that text.
    source: tuple[str, ...] = ()
    #: The SDK's generator: ``fern`` and ``stainless`` are called through their own
    #: functions; anything else through zod's ``X$inboundSchema`` / ``X$outboundSchema``.
    flavor: str = ""
    #: A Fern SDK's options to ``.parseOrThrow(`` (a response) and ``.jsonOrThrow(``.
    read_options: JsonValue = None
    write_options: JsonValue = None


def tagged(value: JsonValue) -> Any:
    """``value`` with each number as ``{NUMBER: its token}`` (JSON.parse would round it)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | Decimal):
        return {NUMBER: jsonwire.token(value)}
    if isinstance(value, list):
        return [tagged(item) for item in value]
    return {key: tagged(item) for key, item in value.items()}


def node_script(script: NodeScript) -> str:
    """The text of the module."""

    def js(value: Any) -> str:
        return json.dumps(value, ensure_ascii=True)

    lines = [
        f"// Reproducer of finding {script.finding} on {script.target}:",
        *(f"//   {line}" for line in script.sentence.splitlines() or [""]),
        "// Written by `conformance findings --reproduce`; it needs only Node and the SDK:",
        "// `node THIS_FILE` exits 0 reproduced, 1 not reproduced, 2 an error of this script;",
        "// `node --test THIS_FILE` runs the same check as a node:test test.",
        *example_line("// ", script.case),
        'import { execFileSync } from "node:child_process";',
        'import fs from "node:fs";',
        'import { createRequire } from "node:module";',
        'import path from "node:path";',
        'import test from "node:test";',
        'import { fileURLToPath, pathToFileURL } from "node:url";',
        "",
        f"const FINDING = {js(script.finding)};",
        f"const SENTENCE = {js(script.sentence)};",
        f"const TARGET = {js(script.target)};",
        f"const KIND = {js(script.kind)};",
        f"const DIRECTION = {js(script.direction)};",
        f"const MODEL = {js(script.model)};",
        f"const MODULES = {js(list(script.modules))};",
        f"const PACKAGE = {js(script.package)};",
        "// The folder whose node_modules holds the SDK.",
        f"const ROOT = {js(script.root)};",
        f"const PATH = {js(list(script.path))};",
        f"const WHERE = {js(script.where)};",
        "// The payload, exactly as the SDK reads it.",
        f"const WIRE_TEXT = {js(script.wire_text)};",
        "// Empty: the SDK reads WIRE_TEXT. Else the command of another SDK's script that prints",
        "// what that SDK wrote for WIRE_TEXT (run with --write): this SDK reads that.",
        f"const SOURCE = {js(list(script.source))};",
        "// What this SDK does at PATH, as the finding says (numbers as exact tokens).",
        f"const PRESENT = {js(script.present)};",
        f"const NUMBER = {js(NUMBER)};",
        f"const EXPECTED = {js(tagged(script.expected))};",
        "// The SDK's generator; a Fern SDK's options as its client code passes them.",
        f"const FLAVOR = {js(script.flavor)};",
        f"const READ_OPTIONS = {js(script.read_options)};",
        f"const WRITE_OPTIONS = {js(script.write_options)};",
    ]
    return "\n".join(lines) + "\n" + _body()


#: The line of ``node_reproducer.js`` that the generators' own functions replace.
_FLAVOURS_LINE = (
    "// ---- the generators' own functions (node_flavours.FLAVOUR_FUNCTIONS) are put here ----\n"
)


@cache
def _body() -> str:
    """The script's code after its constants: ``node_reproducer.js`` (its comment header
    left out) with the generators' functions in place."""
    text = Path(__file__).with_name("node_reproducer.js").read_text("utf-8")
    code = text[text.index("\n\n") + 1 :]  # after the file's own comment header
    if code.count(_FLAVOURS_LINE) != 1:
        raise RuntimeError("node_reproducer.js lost its line for the generators' functions")
    return code.replace(_FLAVOURS_LINE, FLAVOUR_FUNCTIONS)
