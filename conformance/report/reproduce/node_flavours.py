"""The Fern and Stainless parts of the Node reproducer (``node_script``): how each generator's
SDK reads a payload and writes it back, as its harness does (``node_fern.mjs``,
``node_stainless.mjs``), in the words a user of the SDK would write.

* Fern: ``serializers.X.parseOrThrow(body, READ_OPTIONS)`` on the body its fetcher's
  ``getResponseBody`` read (a request: ``JSON.parse`` and ``WRITE_OPTIONS``), then
  ``jsonOrThrow(native, WRITE_OPTIONS)`` through its ``getRequestBody``. The options are
  the ones the harness used (the results header's details): found in the SDK's client code,
  and for a response's write the request writer's with the reader's leniency. The newer
  generation (no ``serialization/``, ``node_fern_plain.mjs``): the body ``getResponseBody``
  read (a request: its ``core/json`` ``fromJson``), written by ``getRequestBody``.
* Stainless: ``defaultParseResponse`` of its ``internal/parse`` on a fetch Response (a
  request: ``JSON.parse``, its params being plain objects), written with the
  ``FallbackEncoder`` its client installs. The older generation (a ``core`` module beside
  ``_shims/``, as openai 4.x) reads by awaiting its ``APIPromise`` (whose default parser is
  core's unexported ``defaultParseResponse(props)``) and writes with its client's
  ``APIClient.buildRequest``, which stringifies the body itself.
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
  if (serializers === null) return runFernPlain(wireText);
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

/**
 * The newer Fern generation (no serialization/): the client hands over the body its
 * fetcher's getResponseBody read and sends a request object (read here by its core/json
 * fromJson) through getRequestBody({body, type: "json"}); nothing is validated or renamed.
 */
async function runFernPlain(wireText) {
  const dir = packageDir(PACKAGE);
  const bases = FERN_BASES.filter(
    (base) => dir !== null && fs.existsSync(path.join(dir, base, "api")),
  );
  const reader = await sdkModule(bases, both("core/fetcher/getResponseBody"));
  const writer = await sdkModule(bases, both("core/fetcher/getRequestBody"));
  const json = await sdkModule(bases, both("core/json"));
  const getResponseBody = reader?.getResponseBody ?? reader?.default?.getResponseBody;
  const getRequestBody = writer?.getRequestBody ?? writer?.default?.getRequestBody;
  const fromJson = json?.fromJson ?? json?.default?.fromJson;
  if ([getResponseBody, getRequestBody, fromJson].some((fn) => typeof fn !== "function")) {
    throw new ScriptError(
      `${PACKAGE} has no serialization/index.js, nor getResponseBody, getRequestBody and fromJson` +
        " of a newer Fern generation's core/ beside api/",
    );
  }
  let native;
  try {
    native =
      DIRECTION === "response"
        ? await getResponseBody(jsonResponse(wireText), undefined)
        : fromJson(wireText);
  } catch (error) {
    return { accepted: false, error: sdkError(error) };
  }
  let text;
  try {
    text = await getRequestBody({ body: native, type: "json" });
  } catch (error) {
    // The SDK never writes a response: its user has what it read (as the harness).
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: `the SDK's body encoding failed: ${sdkError(error)}` };
  }
  if (typeof text !== "string") {
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: "the SDK's body encoding made no JSON text for this value" };
  }
  return { accepted: true, native, text };
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

/** A Stainless SDK: its response parser, and the request-body writer its client uses. */
async function runStainless(wireText) {
  const sdk = (await stainlessCurrent()) ?? (await stainlessCore());
  if (sdk === null) {
    throw new ScriptError(
      `${PACKAGE} has no defaultParseResponse and FallbackEncoder,` +
        " nor an older core with APIPromise and APIClient",
    );
  }
  const props = {
    response: jsonResponse(wireText),
    options: { method: "post", path: "/reproducer" },
    controller: new AbortController(),
    requestLogID: "reproducer",
    startTime: Date.now(),
  };
  let native;
  try {
    native = DIRECTION === "response" ? await sdk.read(props) : JSON.parse(wireText);
  } catch (error) {
    return { accepted: false, error: sdkError(error) };
  }
  let text;
  try {
    text = await sdk.write(native);
  } catch (error) {
    // The SDK never writes a response: its user has what it read (as the harness).
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: `the SDK's request encoder failed: ${sdkError(error)}` };
  }
  if (typeof text !== "string") {
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    throw new ScriptError("the SDK's client sends no body for this value: nothing to compare");
  }
  return { accepted: true, native, text };
}

/** The current generation: defaultParseResponse of internal/parse, FallbackEncoder of
 * internal/request-options; null without internal/parse. */
async function stainlessCurrent() {
  const bases = ["", "dist/"];
  const parse = await sdkModule(bases, both("internal/parse"));
  if (parse === null) return null;
  const options = await sdkModule(bases, both("internal/request-options"));
  const defaultParseResponse = parse?.defaultParseResponse ?? parse?.default?.defaultParseResponse;
  const FallbackEncoder = options?.FallbackEncoder ?? options?.default?.FallbackEncoder;
  if (typeof defaultParseResponse !== "function" || typeof FallbackEncoder !== "function") {
    throw new ScriptError(`${PACKAGE} has no defaultParseResponse or FallbackEncoder`);
  }
  return {
    read: (props) => defaultParseResponse({}, props),
    write: (body) => FallbackEncoder({ headers: {}, body }).body,
  };
}

/**
 * The older generation (a core module beside _shims/): what `await client.x.create(...)`
 * runs. A response is read by the APIPromise's default parser (core's defaultParseResponse,
 * not exported); a body is written by the client's APIClient.buildRequest, on a client
 * whose one abstract method, defaultQuery, answers what a client given none answers.
 */
async function stainlessCore() {
  const dir = packageDir(PACKAGE);
  const bases = ["", "dist/"].filter(
    (base) => dir !== null && fs.existsSync(path.join(dir, base, "_shims")),
  );
  const core = await sdkModule(bases, ["core.mjs", "core.js"]);
  if (core === null) return null;
  const APIPromise = core.APIPromise ?? core.default?.APIPromise;
  const APIClient = core.APIClient ?? core.default?.APIClient;
  const buildRequest = APIClient?.prototype?.buildRequest;
  if (typeof APIPromise !== "function" || typeof buildRequest !== "function") {
    throw new ScriptError(`${PACKAGE}'s core has no APIPromise, or no APIClient.buildRequest`);
  }
  class Client extends APIClient {
    defaultQuery() {
      return undefined;
    }
  }
  const client = new Client({ baseURL: "http://reproducer.invalid/", maxRetries: 0 });
  return {
    read: async (props) => await new APIPromise(Promise.resolve(props)),
    write: async (body) => {
      const built = await client.buildRequest({ method: "post", path: "/reproducer", body });
      return built.req.body;
    },
  };
}
"""
