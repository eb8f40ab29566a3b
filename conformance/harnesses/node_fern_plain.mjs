// The Node harness's `fern` flavour for the newer Fern TypeScript generation (see
// node_fern.mjs): no serialization layer. Its models are plain TypeScript types
// (`.d.ts` under `api/`: `api/types/`, `api/resources/**/types/`,
// `api/resources/**/client/requests/`) whose keys are the wire's keys, and its
// client hands the user the body its fetcher read and sends the object it is given:
//
// - response: the SDK's own body reader, core/fetcher `getResponseBody(response,
//   undefined)` on a fetch Response of the text (status 200, application/json), as
//   its fetcher reads a JSON body (core/json `fromJson`); the client returns that
//   body as `data` (for text that is not JSON, the reader's {ok: false, error}
//   object). A model the SDK also sends is written back through the request
//   writer below; a response-only model is `written: false`. A response the SDK
//   reads but cannot write back is accepted, not written, with a warning.
// - request: the user's object is the SDK's own JSON reading of the text (core/json
//   `fromJson`) and the body is its own encoding, core/fetcher
//   `getRequestBody({body, type: "json"})` (core/json `toJson`), as its fetcher
//   writes a body the client marks `requestType: "json"`.
// Neither direction validates or renames anything: both validates flags are false.
//
// Directions come from the declarations: a type reachable (through property types,
// `extends` and alias right-hand sides) from a parameter type of a client class's
// method is sent (request); one reachable from a method's return type is read
// (response); one reachable from neither lists both (nothing in the SDK tells).

import fs from "node:fs";
import path from "node:path";

import { readDeclarations } from "./node_dts.mjs";
import {
  FlavourError,
  ModelRegistry,
  acceptedLine,
  firstExisting,
  importFile,
  jsonResponse,
  listFiles,
  rejectedAnswer,
  skippedAnswer,
} from "./node_flavours.mjs";
import { caseText } from "./node_json.mjs";

const READER = ["core/fetcher/getResponseBody.mjs", "core/fetcher/getResponseBody.js"];
const WRITER = ["core/fetcher/getRequestBody.mjs", "core/fetcher/getRequestBody.js"];
const JSON_FILES = ["core/json.mjs", "core/json.js"];

/** The base (of `bases`) holding the newer generation's fetcher and api/, or undefined. */
export function plainBase(dir, bases) {
  return bases.find(
    (prefix) =>
      firstExisting(
        dir,
        READER.map((file) => prefix + file),
      ) !== null && firstExisting(dir, [`${prefix}api`]) !== null,
  );
}

export async function start(options, { pkg, dir, version }, base) {
  const readerRel = firstExisting(
    dir,
    READER.map((file) => base + file),
  );
  const writerRel = firstExisting(
    dir,
    WRITER.map((file) => base + file),
  );
  const jsonRel = firstExisting(
    dir,
    JSON_FILES.map((file) => base + file),
  );
  const getResponseBody = (await importFile(dir, readerRel)).get("getResponseBody");
  const getRequestBody =
    writerRel === null ? undefined : (await importFile(dir, writerRel)).get("getRequestBody");
  const fromJson = jsonRel === null ? undefined : (await importFile(dir, jsonRel)).get("fromJson");
  if ([getResponseBody, getRequestBody, fromJson].some((fn) => typeof fn !== "function")) {
    throw new FlavourError(
      `flavor fern: ${pkg} (a Fern generation without serialization/) lacks its body reader or writer:` +
        ` getResponseBody of ${READER.join(" or ")}, getRequestBody of ${WRITER.join(" or ")} and fromJson of` +
        ` ${JSON_FILES.join(" or ")} under ${base || "the package folder"} are all needed`,
    );
  }
  const folders = declarationFolders(options.modules, base);
  const files = folders.flatMap((folder) => declarationFiles(dir, folder));
  if (files.length === 0) {
    throw new FlavourError(
      `flavor fern: no .d.ts declarations in ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    );
  }
  const registry = readModels(dir, files);
  const warnings = [];
  if (registry.all.length === 0) warnings.push(`no interface or type alias declared in ${folders.join(", ")}`);
  const writerName = `${pkg}/${writerRel} getRequestBody({body, type: "json"})`;
  const details = {
    flavor: "fern",
    generation: "newer, without serialization/: plain types under the wire's keys",
    node: process.versions.node,
    response_reader:
      `${pkg}/${readerRel} getResponseBody(new Response(text, 200, application/json), undefined)`,
    response_writer:
      `${writerName} for models the SDK also sends; none for response-only models (accepted, not written)`,
    request_reader:
      `${pkg}/${jsonRel} fromJson(text): the SDK's requests are plain objects under the wire's keys`,
    request_writer: writerName,
    response_validates: false,
    request_validates: false,
    declarations: `${files.length} .d.ts files under ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    directions_rule:
      "request: reachable from a client method's parameter types; response: reachable from its return types;" +
      " neither: both",
  };
  const body = {
    read: (text) => getResponseBody(jsonResponse(text), undefined),
    readRequest: (text) => fromJson(text),
    write: (value) => getRequestBody({ body: value, type: "json" }),
  };
  return {
    details,
    implementation: { name: `${pkg} (javascript)`, language: "javascript", sdk: pkg, sdk_version: version },
    warnings,
    models: () => ({ models: registry.all.map(describe) }),
    run: (seq, testCase) => run(seq, testCase, registry, body),
  };
}

/** The folders (relative to the package) whose .d.ts files declare the models and clients. */
function declarationFolders(modules, base) {
  if (Array.isArray(modules) && modules.length > 0) return modules.map((item) => item.replace(/^\.\//, ""));
  return [`${base}api/`];
}

function declarationFiles(dir, folder) {
  const full = path.join(dir, folder);
  if (!fs.existsSync(full)) return [];
  if (!folder.endsWith("/") && fs.statSync(full).isFile()) return [folder];
  const prefix = folder.endsWith("/") ? folder : `${folder}/`;
  // errors/ declares the SDK's error classes, not wire types.
  return listFiles(full, (name) => /\.d\.m?ts$/.test(name), new Set(["errors"])).map((rel) => prefix + rel);
}

/** Every declared type (outside the client files), with its keys and directions. */
function readModels(dir, files) {
  const types = [];
  const methods = [];
  for (const file of files) {
    const found = readDeclarations(fs.readFileSync(path.join(dir, file), "utf8"));
    // A client file's own types are its options, not wire types; its methods give directions.
    const client = /(^|\/)Client\.d\.m?ts$/.test(file);
    if (!client) for (const type of found.types) types.push({ ...type, file });
    for (const method of found.methods) methods.push({ ...method, file });
  }
  const byName = new Map();
  const byFile = new Map();
  for (const type of types) {
    if (!byName.has(type.name)) byName.set(type.name, type);
    byFile.set(`${type.file}#${type.name}`, type);
  }
  const resolve = (ref, from) => resolveRef(ref, from, byName, byFile);
  const reach = (roots) => {
    const seen = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
      const type = queue.shift();
      if (type === null || seen.has(type)) continue;
      seen.add(type);
      for (const ref of type.refs) queue.push(resolve(ref, type));
    }
    return seen;
  };
  const roots = (side) =>
    methods.flatMap((m) => m[side].map((ref) => resolve(ref, { file: m.file, name: m.owner })));
  const sent = reach(roots("params"));
  const read = reach(roots("returns"));
  const registry = new ModelRegistry();
  for (const type of types) {
    const neither = !sent.has(type) && !read.has(type);
    const directions = [];
    if (sent.has(type) || neither) directions.push("request");
    if (read.has(type) || neither) directions.push("response");
    const target = type.aliasOf ? resolve(type.aliasOf, type) : null;
    registry.add(type.name, type.file, {
      directions,
      kind: target ? target.kind : type.kind,
      keys: keysOf(type, resolve, new Set()) ?? (target ? keysOf(target, resolve, new Set()) : null),
      aliasOf: target ? target.name : null,
    });
  }
  return registry;
}

/**
 * The type a reference names, seen from `from`: a name of the enclosing namespaces
 * (innermost first), of the same file, of any file; else the same without its first
 * segment (an import alias such as `Vapi.Call`).
 */
function resolveRef(ref, from, byName, byFile) {
  let name = ref;
  for (;;) {
    const scopes = from.name.split(".").slice(0, -1);
    for (let count = scopes.length; count >= 0; count--) {
      const full = [...scopes.slice(0, count), name].join(".");
      const found = byFile.get(`${from.file}#${full}`) ?? (count === 0 ? byName.get(full) : undefined);
      if (found !== undefined) return found;
    }
    const dot = name.indexOf(".");
    if (dot < 0) return null;
    name = name.slice(dot + 1);
  }
}

/** An object type's keys with those of the interfaces it extends; null when they cannot be told. */
function keysOf(type, resolve, seen) {
  if (type.keys === null || type.open || seen.has(type)) return null;
  seen.add(type);
  const keys = [...type.keys];
  for (const parent of type.bases) {
    const found = parent === null ? null : resolve(parent, type);
    const inherited = found === null ? null : keysOf(found, resolve, seen);
    if (inherited === null) return null;
    keys.push(...inherited);
  }
  return [...new Set(keys)];
}

function describe(item) {
  const model = { name: item.name, directions: item.directions, kind: item.kind };
  if (item.aliasOf) model.alias_of = item.aliasOf;
  if (item.keys) model.keys = item.keys;
  return model;
}

async function run(seq, testCase, registry, body) {
  const model = registry.get(testCase.model);
  if (model === undefined)
    return skippedAnswer(seq, `model ${testCase.model} is not declared in the SDK's .d.ts files`);
  const direction = testCase.direction;
  if (!model.directions.includes(direction)) {
    return skippedAnswer(
      seq,
      `model ${testCase.model} is not a ${direction} type of the SDK` +
        ` (its declarations make it ${model.directions.join(" and ")})`,
    );
  }
  const text = caseText(testCase);
  let native;
  if (direction === "response") {
    try {
      native = await body.read(text);
    } catch (error) {
      return rejectedAnswer(seq, error);
    }
    if (!model.directions.includes("request")) return acceptedLine(seq, native, null);
  } else {
    try {
      native = body.readRequest(text);
    } catch (error) {
      return rejectedAnswer(seq, error);
    }
  }
  let wireText;
  try {
    wireText = await body.write(native);
  } catch (error) {
    const why = `the SDK's body encoding failed: ${error?.message ?? error}`;
    // The SDK never writes a response: its user has what it read (accepted, not written).
    if (direction === "response") return acceptedLine(seq, native, null, [unwritable(why)]);
    return rejectedAnswer(seq, why);
  }
  if (typeof wireText !== "string") {
    const why = "the SDK's body encoding made no JSON text for this value";
    if (direction === "response") return acceptedLine(seq, native, null, [unwritable(why)]);
    return rejectedAnswer(seq, why);
  }
  return acceptedLine(seq, native, wireText);
}

function unwritable(why) {
  return `the SDK read the response but could not write it back: ${why}`;
}
