"""The Node harness does what the SDK does, through its own schemas, or says it cannot.

Each case runs through the shipped ``node_harness.mjs`` over a Speakeasy-shaped
zod package (``tests/tiny_sdks.py``, ``faithful=True``) and, beside it, through a
direct call of that package's schemas with the object a user would pass; the two
must answer alike. The harness is spoken to on its own protocol lines, so these
tests pin what it answers (including ``"written": false`` for a model the SDK
only reads) whatever the client does with it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.comparison.naming_check import naming_divergences
from conformance.core.conventions import get_convention
from conformance.schema import Field, Model, Primitive, Ref, Schema, UnionOf
from conformance.targets.builtin import harness_program
from tests.tiny_sdks import ROOT, require, require_zod, write_zod_sdk

pytestmark = pytest.mark.node

MODULE = "@tiny/sdk/models/faithful/index.js"

# Direct calls of the tiny SDK: what a user reads (``native``) or sends (``wire_text``).
DIRECT = """\
import * as m from "@tiny/sdk/models/faithful/index.js";
import { encodeJSON } from "@tiny/sdk/lib/encodings.js";

const send = (schema, user) => ({
  wire_text: encodeJSON("body", schema.parse(user), { explode: true }),
});
const read = (schema, text) => ({ native: schema.parse(JSON.parse(text)) });
const calls = {
  listing: () => read(m.Listing$inboundSchema, '{"item_count": 1, "item": {"model_db_id": "e5"}}'),
  chunking: () =>
    send(m.Chunking$outboundSchema, {
      strategy: "recursive", minCharactersPerChunk: 1329905606522029, returnType: "bogus",
    }),
  size: () => send(m.Size$outboundSchema, { sizeB: 5 }),
  choiceDefault: () => send(m.Choice$outboundSchema, { kind: "a" }),
  choiceSize: () => send(m.Choice$outboundSchema, { size: 5 }),
  v4Choice: () => send(m.V4Choice$outboundSchema, { kind: "a", level: 1329905606522029 }),
  hour24: () => read(m.Event$inboundSchema, '{"at": "2024-01-01T24:00:00Z"}'),
  feb30: () => read(m.Event$inboundSchema, '{"at": "2024-02-30T00:00:00Z"}'),
  offset: () => send(m.Event$outboundSchema, { at: new Date("2024-01-01T10:00:00+02:00") }),
  bagRead: () => read(m.Bag$inboundSchema, '{"bag_name": "b", "colour": "red"}'),
  bagSend: () =>
    send(m.Bag$outboundSchema, { bagName: "b", additionalProperties: { colour: "red" } }),
  note: () => read(m.Note$inboundSchema, '{"title": "t", "x": 1}'),
  countRead: () => read(m.Count$inboundSchema, '{"item_total": 1.5}'),
  upload: () => send(m.Upload$outboundSchema, { content: new Uint8Array([104, 105]) }),
};
const out = {};
for (const [id, call] of Object.entries(calls)) {
  try {
    out[id] = { accepted: true, ...call() };
  } catch (error) {
    out[id] = { accepted: false, error: String(error?.issues?.[0]?.message ?? error) };
  }
}
console.log(JSON.stringify(out));
"""


class RawHarness:
    """``node_harness.mjs`` spoken to line by line, its answers returned as parsed JSON."""

    def __init__(self, root: Path, modules: list[str], package: str) -> None:
        self.process = subprocess.Popen(
            ["node", str(harness_program("node_harness.mjs"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        options = {"root": str(root), "modules": modules, "package": package}
        self.started = self.ask({"cmd": "start", "version": 2, "options": options})
        self.seq = 0

    def ask(self, message: dict[str, Any]) -> Any:
        """Send one request line and read the one answer line."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def run(self, model: str, direction: str, wire: Any) -> Any:
        """The harness's answer to one case, without its ``seq``."""
        self.seq += 1
        text = json.dumps(wire)
        case = {"id": f"c{self.seq}", "model": model, "direction": direction, "wire_text": text}
        answer = self.ask({"cmd": "run", "seq": self.seq, "case": case})
        assert answer.pop("seq") == self.seq
        return answer

    def close(self) -> None:
        """Stop the harness and wait for it."""
        assert self.process.stdin is not None
        self.process.stdin.write('{"cmd": "stop"}\n')
        self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RawHarness, dict[str, Any]]]:
    """The harness over the faithful tiny SDK, and the direct calls' results by id."""
    require_zod()
    root = write_zod_sdk(tmp_path_factory.mktemp("tiny"), faithful=True)
    (root / "direct.mjs").write_text(DIRECT, encoding="utf-8")
    done = subprocess.run(
        ["node", "direct.mjs"], cwd=root, capture_output=True, text=True, timeout=60, check=True
    )
    harness = RawHarness(root, [MODULE], "@tiny/sdk")
    assert harness.started["ready"] is True, harness.started
    yield harness, json.loads(done.stdout)
    harness.close()


def wire_of(answer: dict[str, Any]) -> Any:
    """The wire JSON a harness answer carries."""
    return json.loads(answer["wire_text"])


LISTING = Schema(
    {
        "Listing": Model(
            "Listing",
            (
                Field("item_count", Primitive("integer"), required=True),
                Field("item", UnionOf((Ref("Ref"), Ref("Embedding"))), required=True),
            ),
        ),
        "Ref": Model("Ref", (Field("ref_name", Primitive("string")),)),
        "Embedding": Model("Embedding", (Field("model_db_id", Primitive("string")),)),
    }
)


def test_inbound_only_model_is_accepted_unwritten_with_the_sdks_own_reading(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """A model the SDK only reads gets its native view and no wire the harness made up."""
    harness, direct = tiny
    answer = harness.run("Listing", "response", {"item_count": 1, "item": {"model_db_id": "e5"}})
    assert answer == {"accepted": True, "written": False, "native": direct["listing"]["native"]}
    assert answer["native"] == {"itemCount": 1, "item": {"modelDbId": "e5"}}


def test_inbound_only_model_shows_no_naming_divergence_of_the_harness_making(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """The SDK's own reading, union member included, breaks no TypeScript naming rule."""
    harness, _ = tiny
    answer = harness.run("Listing", "response", {"item_count": 1, "item": {"model_db_id": "e5"}})
    typescript = get_convention("typescript")
    assert naming_divergences(LISTING, "Listing", answer["native"], typescript, "n") == []
    # The check does see a wire key left in a native view in place of the camelCase name.
    leaked = {k: v for k, v in answer["native"].items() if k != "itemCount"} | {"item_count": 1}
    assert naming_divergences(LISTING, "Listing", leaked, typescript, "n")


def test_request_without_the_sdks_reading_is_skipped_not_guessed(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """A renamed request union with no inbound schema is skipped: no member picked, no default."""
    harness, direct = tiny
    wire = {
        "strategy": "recursive",
        "min_characters_per_chunk": 1329905606522029,
        "return_type": "bogus",
    }
    answer = harness.run("Chunking", "request", wire)
    assert answer["skipped"] is True
    assert "cannot build the SDK's input" in answer["reason"]
    # Called as a user would, the SDK rejects it; it never wrote the default 24.
    assert direct["chunking"]["accepted"] is False


def test_a_union_the_sdk_reads_keeps_the_member_the_sdk_chose(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """The SDK's own first-match union drops size_b; the harness shows that, as a user sees it."""
    harness, direct = tiny
    for direction in ("request", "response"):
        answer = harness.run("Size", direction, {"size_b": 5})
        assert (answer["accepted"], answer["native"]) == (True, {})
        assert answer["wire_text"] == direct["size"]["wire_text"] == "{}"


@pytest.mark.parametrize(
    ("model", "wire", "call"),
    [
        ("Choice", {"kind": "a"}, "choiceDefault"),
        ("Choice", {"size": 5}, "choiceSize"),
        ("V4Choice", {"kind": "a", "level": 1329905606522029}, "v4Choice"),
    ],
)
def test_a_request_whose_input_is_the_wire_goes_to_the_sdk_as_is(
    tiny: tuple[RawHarness, dict[str, Any]], model: str, wire: Any, call: str
) -> None:
    """An outbound schema that renames nothing takes the wire itself; defaults are the SDK's."""
    harness, direct = tiny
    answer = harness.run(model, "request", wire)
    assert (answer["accepted"], answer["native"]) == (True, wire)
    assert answer["wire_text"] == direct[call]["wire_text"]


def test_hour_24_and_february_30_get_the_sdks_verdict(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """The SDK's zod datetime check rejects them in either direction; no lenient new Date()."""
    harness, direct = tiny
    assert direct["hour24"]["accepted"] is direct["feb30"]["accepted"] is False
    for direction in ("request", "response"):
        for at in ("2024-01-01T24:00:00Z", "2024-02-30T00:00:00Z"):
            answer = harness.run("Event", direction, {"at": at})
            assert answer["accepted"] is False, (direction, at, answer)
            assert "Invalid datetime" in answer["error"]


def test_a_valid_offset_is_written_as_the_sdk_writes_dates(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """An offset date-time comes back as the SDK's toISOString() in UTC."""
    harness, direct = tiny
    answer = harness.run("Event", "request", {"at": "2024-01-01T10:00:00+02:00"})
    assert answer["wire_text"] == direct["offset"]["wire_text"]
    assert wire_of(answer) == {"at": "2024-01-01T08:00:00.000Z"}


@pytest.mark.parametrize("model", ["Stamp", "V4Stamp"])
def test_a_date_request_without_the_sdks_reading_is_skipped(
    tiny: tuple[RawHarness, dict[str, Any]], model: str
) -> None:
    """The harness never makes the Date a user would pass (zod 3 and zod 4 schemas)."""
    harness, _ = tiny
    answer = harness.run(model, "request", {"at": "2024-01-01T24:00:00Z"})
    assert answer["skipped"] is True


def test_extra_keys_stay_in_the_sdks_own_bucket(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """additionalProperties holds the extras as the SDK reads them; the SDK spreads them back."""
    harness, direct = tiny
    answer = harness.run("Bag", "response", {"bag_name": "b", "colour": "red"})
    assert answer["native"] == direct["bagRead"]["native"]
    assert answer["native"] == {"bagName": "b", "additionalProperties": {"colour": "red"}}
    assert answer["wire_text"] == direct["bagSend"]["wire_text"]
    note = harness.run("Note", "response", {"title": "t", "x": 1})
    assert note == {"accepted": True, "written": False, "native": direct["note"]["native"]}
    assert note["native"] == {"title": "t", "additionalProperties": {"x": 1}}


def test_request_bodies_are_written_by_the_sdks_own_encoder(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """Bytes go out as base64 through the SDK's lib/encodings.js, named in the details."""
    harness, direct = tiny
    answer = harness.run("Upload", "request", {"content": "aGk="})
    assert answer["wire_text"] == direct["upload"]["wire_text"] == '{"content":"aGk="}'
    details = harness.started["implementation"]["details"]
    assert details["request_writer"].startswith("@tiny/sdk/dist/lib/encodings.js encodeJSON")


def test_a_rejection_of_the_wire_names_the_wire_path(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """A schema that read the wire itself locates its rejection in wire keys."""
    harness, _ = tiny
    listing = harness.run("Listing", "response", {"item_count": "x", "item": {"model_db_id": "e"}})
    event = harness.run("Event", "request", {"at": "2024-01-01T24:00:00Z"})
    assert (listing["accepted"], listing["error_path"]) == (False, ["item_count"])
    assert (event["accepted"], event["error_path"]) == (False, ["at"])


def test_a_rejection_under_the_users_keys_names_no_wire_path(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """The writer rejects itemTotal 1.5 under the user's key: no wire path is claimed."""
    harness, _ = tiny
    answer = harness.run("Count", "request", {"item_total": 1.5})
    assert answer["accepted"] is False
    assert "itemTotal" in answer["error"]
    assert "error_path" not in answer


def test_a_response_read_but_not_writable_is_accepted_unwritten_with_a_warning(
    tiny: tuple[RawHarness, dict[str, Any]],
) -> None:
    """The SDK reads item_total 1.5 for its user and never writes a response: accepted."""
    harness, direct = tiny
    answer = harness.run("Count", "response", {"item_total": 1.5})
    assert direct["countRead"]["native"] == {"itemTotal": 1.5}
    assert answer["accepted"] is True
    assert answer["written"] is False
    assert answer["native"] == direct["countRead"]["native"]
    [warning] = answer["warnings"]
    assert warning.startswith("the SDK read the response but could not write it back: ")
    assert "itemTotal" in warning


# -- the orq.ai SDK ---------------------------------------------------------------------

ORQ_ROOT = ROOT / "sdk" / "node"
ORQ_MODULES = [
    "@orq-ai/node/models/operations/index.js",
    "@orq-ai/node/models/components/index.js",
]
ORQ_PACKAGE = ORQ_ROOT / "node_modules" / "@orq-ai" / "node"
# Direct calls of @orq-ai/node, as a user makes them: ``read`` is how its lib/matchers.js reads a
# body (``X$inboundSchema.parse``), ``send`` how its funcs/*.js write one (``encodeJSON`` of
# ``X$outboundSchema.parse`` of the user's object).
ORQ_DIRECT = """\
const { pathToFileURL } = await import("node:url");
const pkg = process.argv[2];
const load = (file) => import(pathToFileURL(`${pkg}/${file}`).href);
const ops = await load("models/operations/index.js");
const comps = await load("models/components/index.js");
const { encodeJSON } = await load("lib/encodings.js");
const read = (schema, wire) => ({ native: JSON.parse(JSON.stringify(schema.parse(wire))) });
const send = (schema, user) => ({
  wire_text: encodeJSON("body", schema.parse(user), { explode: true }),
});
const calls = {
  completion: () =>
    read(ops.CreateCompletionData$inboundSchema, {
      id: "c", choices: [{ finish_reason: "stop", index: 0, text: "hi" }], model: "m",
      object: "text_completion", usage: { total_tokens: 9007199254740993 },
    }),
  hour24: () =>
    read(comps.QueryReportRequest$inboundSchema, {
      metric: "genai.requests", from: "2024-01-01T24:00:00Z", to: "2024-01-02T00:00:00Z",
    }),
  offset: () =>
    send(comps.QueryReportRequest$outboundSchema, {
      metric: "genai.requests", from: new Date("2024-01-01T10:00:00+02:00"),
      to: new Date("2024-01-02T00:00:00Z"), groupBy: ["model"],
    }),
  embeddings: () => send(comps.EmbeddingsConfig$outboundSchema, { modelDbId: "db-1" }),
  chunking: () =>
    send(ops.ParseChunkingRequest$outboundSchema, {
      text: "t", strategy: "recursive", minCharactersPerChunk: 1329905606522029,
      returnType: "bogus",
    }),
};
const out = {};
for (const [id, call] of Object.entries(calls)) {
  try {
    out[id] = { accepted: true, ...call() };
  } catch (error) {
    out[id] = { accepted: false, error: String(error?.issues?.[0]?.message ?? error) };
  }
}
console.log(JSON.stringify(out));
"""
COMPONENTS = "@orq-ai/node/models/components/index.js#"


@pytest.mark.network
def test_orq_node_answers_as_its_schemas_do_when_called_directly(tmp_path: Path) -> None:
    """@orq-ai/node through the harness answers as its own schemas do when called directly."""
    require(ORQ_PACKAGE.is_dir(), "@orq-ai/node")
    script = tmp_path / "direct.mjs"
    script.write_text(ORQ_DIRECT, encoding="utf-8")
    done = subprocess.run(
        ["node", str(script), str(ORQ_PACKAGE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    direct = json.loads(done.stdout)
    harness = RawHarness(ORQ_ROOT, ORQ_MODULES, "@orq-ai/node")
    report = {"metric": "genai.requests", "to": "2024-01-02T00:00:00Z"}
    try:
        completion = harness.run("CreateCompletionData", "response", ORQ_COMPLETION)
        hour24 = harness.run(
            COMPONENTS + "QueryReportRequest",
            "request",
            {**report, "from": "2024-01-01T24:00:00Z"},
        )
        offset = harness.run(
            COMPONENTS + "QueryReportRequest",
            "request",
            {**report, "from": "2024-01-01T10:00:00+02:00", "group_by": ["model"]},
        )
        embeddings = harness.run(
            COMPONENTS + "EmbeddingsConfig", "request", {"model_db_id": "db-1"}
        )
        chunking = harness.run("ParseChunkingRequest", "request", ORQ_CHUNKING)
    finally:
        harness.close()
    assert completion == {
        "accepted": True,
        "written": False,
        "native": direct["completion"]["native"],
    }
    assert completion["native"]["usage"]["totalTokens"] == 9007199254740992
    assert hour24["accepted"] is direct["hour24"]["accepted"] is False
    assert offset["wire_text"] == direct["offset"]["wire_text"]
    assert (embeddings["native"], embeddings["wire_text"]) == (
        {"modelDbId": "db-1"},
        direct["embeddings"]["wire_text"],
    )
    # The harness used to answer accepted with min_characters_per_chunk 24; the SDK rejects it.
    assert direct["chunking"]["accepted"] is False
    assert chunking["skipped"] is True


ORQ_COMPLETION = {
    "id": "c",
    "choices": [{"finish_reason": "stop", "index": 0, "text": "hi"}],
    "model": "m",
    "object": "text_completion",
    "usage": {"total_tokens": 9007199254740993},
}
ORQ_CHUNKING = {
    "text": "t",
    "strategy": "recursive",
    "min_characters_per_chunk": 1329905606522029,
    "return_type": "bogus",
}
