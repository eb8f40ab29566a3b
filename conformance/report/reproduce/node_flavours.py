"""The Fern and Stainless parts of the Node reproducer (``node_script``): how each generator's
SDK reads a payload and writes it back, as its harness does (``node_fern.mjs``,
``node_stainless.mjs``), in the words a user of the SDK would write.

* Fern: ``serializers.X.parseOrThrow(body, READ_OPTIONS)`` on the body its fetcher's
  ``getResponseBody`` read (a request: ``JSON.parse`` and ``WRITE_OPTIONS``), then
  ``jsonOrThrow(native, WRITE_OPTIONS)`` through its ``getRequestBody``. The options are
  the ones the harness used (the results header's details): found in the SDK's client code,
  and for a response's write the request writer's with the reader's leniency.
* Stainless: ``defaultParseResponse`` of its ``internal/parse`` on a fetch Response (a
  request: ``JSON.parse``, its params being plain objects), written with the
  ``FallbackEncoder`` its client installs.
"""

from __future__ import annotations

__all__ = ["FLAVOUR_FUNCTIONS"]

FLAVOUR_FUNCTIONS = r"""
/** A module of the SDK's package: the first of `files` under one of `bases` in its folder. */
async function sdkModule(bases, files) {
  const dir = packageDir(PACKAGE);
  if (dir === null) throw new ScriptError(`cannot find package ${PACKAGE} from ${ROOT}`);
  for (const base of bases) {
    for (const file of files) {
      const full = path.join(dir, base, file);
      if (fs.existsSync(full)) return import(pathToFileURL(full).href);
    }
  }
  return null;
}

/** A fetch Response of the text, as the SDK's HTTP layer hands a JSON body to its reader. */
function jsonResponse(text) {
  return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
}

const FERN_BASES = ["", "dist/", "dist/cjs/", "dist/esm/"];
const both = (file) => [`${file}.mjs`, `${file}.js`];

/** A Fern SDK: serializers.X.parseOrThrow / jsonOrThrow with the options its client passes. */
async function runFern(wireText) {
  const serializers = await sdkModule(FERN_BASES, both("serialization/index"));
  if (serializers === null) throw new ScriptError(`${PACKAGE} has no serialization/index.js`);
  const schema = fernSchema(serializers, MODEL);
  const reader = await sdkModule(FERN_BASES, both("core/fetcher/getResponseBody"));
  const writer = await sdkModule(FERN_BASES, both("core/fetcher/getRequestBody"));
  const getResponseBody = reader?.getResponseBody ?? reader?.default?.getResponseBody;
  const getRequestBody = writer?.getRequestBody ?? writer?.default?.getRequestBody;
  let wire;
  let native;
  try {
    if (DIRECTION === "response") {
      wire = getResponseBody
        ? await getResponseBody(jsonResponse(wireText), undefined)
        : JSON.parse(wireText);
      native = schema.parseOrThrow(wire, READ_OPTIONS);
    } else {
      native = schema.parseOrThrow(JSON.parse(wireText), WRITE_OPTIONS);
    }
  } catch (error) {
    return { accepted: false, error: sdkError(error) };
  }
  let out;
  try {
    out = schema.jsonOrThrow(native, WRITE_OPTIONS);
  } catch (error) {
    // A response the SDK read is accepted even when its writer rejects it.
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: sdkError(error) };
  }
  let body;
  try {
    body = getRequestBody ? await getRequestBody({ body: out, type: "json" }) : JSON.stringify(out);
  } catch (error) {
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: `the SDK's body encoding failed: ${sdkError(error)}` };
  }
  // The parsed names a top-level object schema declares (nested ones are not looked into).
  const declared = (steps) =>
    steps.length === 1 && typeof schema._getParsedProperties === "function"
      ? schema._getParsedProperties().map(String)
      : [];
  return { accepted: true, native, text: body, declared };
}

/** The serializer named `name` ("X", or "v2.X" of a nested namespace), searched level by level. */
function fernSchema(namespace, name) {
  const isSchema = (v) => typeof v?.parseOrThrow === "function";
  const step = (space, key) => space?.[key] ?? space?.default?.[key];
  const dotted = name.split(".").reduce(step, namespace);
  if (isSchema(dotted)) return dotted;
  const queue = [namespace];
  const seen = new Set();
  while (queue.length > 0) {
    const space = queue.shift();
    if (space === null || typeof space !== "object" || seen.has(space)) continue;
    seen.add(space);
    if (isSchema(space[name])) return space[name];
    for (const value of Object.values(space)) if (!isSchema(value)) queue.push(value);
  }
  throw new ScriptError(`model ${MODEL} not found among ${PACKAGE}'s serializers`);
}

/** A Stainless SDK: its response parser, and the request-body encoder its client installs. */
async function runStainless(wireText) {
  const bases = ["", "dist/"];
  const parse = await sdkModule(bases, both("internal/parse"));
  const options = await sdkModule(bases, both("internal/request-options"));
  const defaultParseResponse = parse?.defaultParseResponse ?? parse?.default?.defaultParseResponse;
  const FallbackEncoder = options?.FallbackEncoder ?? options?.default?.FallbackEncoder;
  if (typeof defaultParseResponse !== "function" || typeof FallbackEncoder !== "function") {
    throw new ScriptError(`${PACKAGE} has no defaultParseResponse or FallbackEncoder`);
  }
  let native;
  try {
    native =
      DIRECTION === "response"
        ? await defaultParseResponse({}, {
            response: jsonResponse(wireText),
            options: { method: "post", path: "/reproducer" },
            controller: new AbortController(),
            requestLogID: "reproducer",
            startTime: Date.now(),
          })
        : JSON.parse(wireText);
  } catch (error) {
    return { accepted: false, error: sdkError(error) };
  }
  try {
    return { accepted: true, native, text: FallbackEncoder({ headers: {}, body: native }).body };
  } catch (error) {
    // The SDK never writes a response: its user has what it read (as the harness).
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: `the SDK's request encoder failed: ${sdkError(error)}` };
  }
}
"""
