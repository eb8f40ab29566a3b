// The Node harness's `stainless` flavour (see node_flavours.mjs). A Stainless
// TypeScript SDK has no runtime schema: its models are the interfaces and type
// aliases its `.d.ts` files declare under `resources/` (read by node_dts.mjs),
// whose property keys are the wire keys (Stainless TS keeps wire names), and
// its objects are plain JSON values.
//
// Directions come from the declarations, by one rule: a type reachable (through
// property types, `extends` and alias right-hand sides) from a parameter type of
// a resource class's method is sent (request); one reachable from a method's
// return type is read (response); a type reachable from neither is a request
// type when its name ends in `Param` or `Params` (Stainless's names for
// parameter types), else a response type.
//
// - response: the SDK's own response parser, `defaultParseResponse(client,
//   props)` of its internal/parse module, on a fetch Response holding the text
//   (status 200, content-type application/json): `response.json()` and then
//   `addRequestID` (a non-enumerable `_request_id`, absent from the native
//   view). A model the SDK also sends is written back through the request
//   writer below; a response-only model is `written: false`.
// - request: the user's object is JSON.parse of the text (the wire's keys are
//   the SDK's own names) and the body is the SDK's own request-body encoder,
//   `FallbackEncoder({headers, body}).body` of its internal/request-options
//   module (the encoder its client installs).
// The older generation (openai 4.x: a `core` module beside `_shims/`, no
// internal/) reads with its `defaultParseResponse(props)`, the default parser
// of the `APIPromise` its core exports (the function itself is not exported),
// and writes with its client's `APIClient.buildRequest`, which turns the body
// into text itself (no separate encoder); see coreLayout.
// Neither direction validates anything: both validates flags are false.

import fs from "node:fs";
import path from "node:path";

import { declarationFiles, declaredModels, describeModel, runDeclared } from "./node_declared.mjs";
import {
  FlavourError,
  firstExisting,
  importFile,
  jsonResponse,
  packageFolder,
} from "./node_flavours.mjs";

const BASES = ["", "dist/"];
const PARSE_FILES = ["internal/parse.mjs", "internal/parse.js"];
const ENCODER_FILES = ["internal/request-options.mjs", "internal/request-options.js"];
const CORE_FILES = ["core.mjs", "core.js"];

export async function start(options) {
  const { pkg, dir, version } = packageFolder(options, "stainless");
  const layout = (await currentLayout(pkg, dir)) ?? (await coreLayout(pkg, dir));
  if (layout === null) {
    throw new FlavourError(
      `flavor stainless: ${pkg} has no Stainless response parser (${PARSE_FILES.join(" or ")}` +
        ` exporting defaultParseResponse, or an older ${CORE_FILES.join(" or ")} beside _shims/` +
        " exporting APIPromise and APIClient) in its package folder or dist/",
    );
  }
  const { base } = layout;
  const folders = declarationFolders(options.modules, dir, base);
  const files = folders.flatMap((folder) => declarationFiles(dir, folder));
  if (files.length === 0) {
    throw new FlavourError(
      `flavor stainless: no .d.ts declarations in ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    );
  }
  // Sent or read as the client's methods tell; where they tell neither, by the name (Params).
  const registry = declaredModels(dir, files, { directions: stainlessDirections });
  const warnings = [];
  if (registry.all.length === 0)
    warnings.push(`no interface or type alias declared in ${folders.join(", ")}`);
  const details = {
    flavor: "stainless",
    node: process.versions.node,
    layout: layout.name,
    response_reader: layout.reader,
    response_writer: `${layout.writer} for models the SDK also sends; none for response-only models (accepted, not written)`,
    request_reader: "JSON.parse(text): the SDK's params are plain objects under the wire's keys",
    request_writer: layout.writer,
    response_validates: false,
    request_validates: false,
    declarations: `${files.length} .d.ts files under ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    directions_rule:
      "request: reachable from a resource method's parameter types; response: reachable from its return types;" +
      " neither: request when the name ends in Param or Params, else response",
    client_encoder: layout.clientEncoder,
  };
  return {
    details,
    implementation: { name: `${pkg} (javascript)`, language: "javascript", sdk: pkg, sdk_version: version },
    warnings,
    models: () => ({ models: registry.all.map(describeModel) }),
    run: (seq, testCase) =>
      runDeclared(seq, testCase, registry, {
        read: (text) => layout.read(parseProps(text)),
        readRequest: (text) => JSON.parse(text),
        write: layout.write,
        writer: "the SDK's request encoder",
        // The older client sends no body at all for a falsy value (buildRequest's
        // `options.body ? JSON.stringify(...) : null`): there is no text to compare.
        noText: { skip: true, why: "the SDK's writer made no body text for this value (its client sends no body)" },
      }),
  };
}

/**
 * The current generation: `defaultParseResponse(client, props)` exported by
 * internal/parse and the `FallbackEncoder` of internal/request-options; null
 * when the package has no internal/parse.
 */
async function currentLayout(pkg, dir) {
  const base = BASES.find(
    (prefix) =>
      firstExisting(
        dir,
        PARSE_FILES.map((file) => prefix + file),
      ) !== null,
  );
  if (base === undefined) return null;
  const parseRel = firstExisting(
    dir,
    PARSE_FILES.map((file) => base + file),
  );
  const defaultParseResponse = (await importFile(dir, parseRel)).get("defaultParseResponse");
  if (typeof defaultParseResponse !== "function") {
    throw new FlavourError(`flavor stainless: ${pkg}/${parseRel} exports no defaultParseResponse function`);
  }
  const encoderRel = firstExisting(
    dir,
    ENCODER_FILES.map((file) => base + file),
  );
  const encoder =
    encoderRel === null ? undefined : (await importFile(dir, encoderRel)).get("FallbackEncoder");
  if (typeof encoder !== "function") {
    throw new FlavourError(
      `flavor stainless: ${pkg} has no request-body encoder (FallbackEncoder of ${ENCODER_FILES.join(" or ")})`,
    );
  }
  return {
    name: `current: ${parseRel} and ${encoderRel}`,
    base,
    read: (props) => defaultParseResponse({}, props),
    write: (value) => encoder({ headers: {}, body: value }).body,
    reader: `${pkg}/${parseRel} defaultParseResponse(client, {response: new Response(text, 200, application/json)})`,
    writer: `${pkg}/${encoderRel} FallbackEncoder({headers, body}).body`,
    clientEncoder: clientUsesEncoder(dir, base),
  };
}

/**
 * The older generation (openai 4.x): one core module beside `_shims/`. Its
 * `defaultParseResponse(props)` is not exported; it is the default parser of
 * the exported `APIPromise`, which the client's request methods return, so a
 * response is read by awaiting `new APIPromise(Promise.resolve(props))`. It has
 * no separate body encoder: the client's `APIClient.buildRequest` writes the
 * body itself, so a body is written by calling `buildRequest` on an APIClient
 * whose one abstract method, `defaultQuery()`, answers undefined (what the
 * SDK's client answers when given no defaultQuery option; it shapes the URL,
 * never the body). Null when the package has no such core module.
 */
async function coreLayout(pkg, dir) {
  const base = BASES.find(
    (prefix) =>
      fs.existsSync(path.join(dir, `${prefix}_shims`)) &&
      firstExisting(
        dir,
        CORE_FILES.map((file) => prefix + file),
      ) !== null,
  );
  if (base === undefined) return null;
  const coreRel = firstExisting(
    dir,
    CORE_FILES.map((file) => base + file),
  );
  const core = await importFile(dir, coreRel);
  const APIPromise = core.get("APIPromise");
  const APIClient = core.get("APIClient");
  if (typeof APIPromise !== "function" || typeof APIClient?.prototype?.buildRequest !== "function") {
    throw new FlavourError(
      `flavor stainless: ${pkg}/${coreRel} exports no APIPromise, or no APIClient with buildRequest`,
    );
  }
  const parser = new APIPromise(Promise.resolve(null)).parseResponse;
  if (typeof parser !== "function") {
    throw new FlavourError(`flavor stainless: ${pkg}/${coreRel} APIPromise has no default response parser`);
  }
  class Writer extends APIClient {
    defaultQuery() {
      return undefined;
    }
  }
  const client = new Writer({ baseURL: "http://conformance.invalid/", maxRetries: 0 });
  const request = (body) => ({ method: "post", path: "/conformance", body });
  return {
    name: `older: ${coreRel} and _shims/`,
    base,
    read: async (props) => await new APIPromise(Promise.resolve(props)),
    write: async (value) => (await client.buildRequest(request(value))).req.body,
    reader:
      `${pkg}/${coreRel} await new APIPromise(Promise.resolve({response: new Response(text, 200,` +
      ` application/json), options, controller})): its default parser ${parser.name || "(unnamed)"}(props)`,
    writer: `${pkg}/${coreRel} APIClient.buildRequest({method: "post", path, body}).req.body`,
    clientEncoder: coreBodyWriting(dir, coreRel),
  };
}
/** The folders (relative to the package) whose .d.ts files declare the models. */
function declarationFolders(modules, dir, base) {
  if (Array.isArray(modules) && modules.length > 0) {
    return modules.map((item) => item.replace(/^\.\//, ""));
  }
  return [`${base}resources/`];
}

/** Whether the SDK's client installs FallbackEncoder as its body encoder (a fact for the details). */
function clientUsesEncoder(dir, base) {
  for (const file of ["client.js", "client.mjs"]) {
    try {
      if (fs.readFileSync(path.join(dir, base + file), "utf8").includes("FallbackEncoder")) {
        return `${base}${file} installs FallbackEncoder`;
      }
    } catch {
      // not this file
    }
  }
  return "not found in client.js";
}

/** How the older core's buildRequest turns a JSON body into text (a fact for the details). */
function coreBodyWriting(dir, coreRel) {
  let text = "";
  try {
    text = fs.readFileSync(path.join(dir, coreRel), "utf8");
  } catch {
    return `${coreRel} could not be read`;
  }
  const found = /JSON\.stringify\(options\.body[^)]*\)/.exec(text);
  return found === null
    ? `${coreRel} APIClient.buildRequest writes the body (no JSON.stringify(options.body ...) found in it)`
    : `${coreRel} APIClient.buildRequest writes a JSON body as ${found[0]} (no separate encoder)`;
}

/** Every declared type of the files, with its keys and directions. */
/** A type's directions: as the client's methods send or read it, else by its name. */
function stainlessDirections(type, sent, read) {
  const named = /Params?$/.test(type.name.split(".").pop());
  const directions = [];
  if (sent || (!read && named)) directions.push("request");
  if (read || (!sent && !named)) directions.push("response");
  return directions;
}

/** What the SDK's request machinery hands defaultParseResponse for a plain JSON call. */
function parseProps(text) {
  return {
    response: jsonResponse(text),
    options: { method: "post", path: "/conformance" },
    controller: new AbortController(),
    requestLogID: "conformance",
    retryOfRequestLogID: undefined,
    startTime: Date.now(),
  };
}
