// The Node harness's `fern` flavour (see node_flavours.mjs). A Fern TypeScript
// SDK carries a `serialization/` tree of schemas (`serializers.X`, also in
// nested namespaces such as `serializers.v2.X`) that read wire JSON into
// camelCase objects (`parseOrThrow`) and write them back (`jsonOrThrow`). The
// tree is imported by file path, since the package's exports map may not
// publish it; `modules`, when given, names the serializer modules instead.
//
// The options the SDK passes are read from its own generated client code: the
// object literals next to every `.parseOrThrow(` (how it reads a response) and
// `.jsonOrThrow(` (how it writes a request) outside `serialization/` and
// `core/`. The most common literal of each is used; the details say how many
// call sites had it and how many had another.
//
// - response: the SDK's own body reader (core/fetcher getResponseBody on a
//   fetch Response of the text, as its fetcher reads a JSON body), then
//   `X.parseOrThrow(body, <read options>)`; written back with
//   `X.jsonOrThrow(native, <response write options>)` through the SDK's own body
//   encoding (core/fetcher getRequestBody, type "json"). The SDK never writes a
//   response: writing one back only puts the object it handed its user in wire
//   terms, so the write takes the read's leniency (unknown keys, union members,
//   enum values, validation) over the request writer's, and keeps what the read
//   kept (`responseWriteOptions`). A payload the SDK reads but cannot write back
//   is accepted, not written, with a warning: the response direction is about
//   what the SDK hands its user.
// - request: the user's object is the SDK's own reading of the wire under the
//   options it writes with (`X.parseOrThrow(JSON.parse(text), <write options>)`),
//   then written as above.
// - a discriminated union's member (node_fern_unions.mjs) whose payload carries
//   a discriminant value the union maps to it is read and written through that
//   union, as the SDK reads it; a payload whose value the union maps to another
//   member is skipped (the SDK reads it as that member, never as this one); any
//   other payload goes through the member's own schema.
// - a request payload with a key that is a property's parsed name but not its
//   wire key (clientId for client_id) is skipped: the SDK never sends that key; so is
//   one whose nulls the SDK's reading turns into undefined (no user's object holds them).
// Every serializer schema reads and writes, so every model lists both directions.
// A rejection's error_path is the first error's path (breadcrumbsPrefix taken
// off, "[i]" as index i) when the schema read the wire itself.
// An accepted answer's `undeclared` lists the keys of the native view the schemas
// kept only because the SDK reads with `unrecognizedObjectKeys: "passthrough"`:
// those the SDK's own reading of the same payload under "strip" leaves out (the
// schemas declare no property for them; nested objects too).
// A newer Fern generation has no serialization/ (plain types, the fetcher's body
// reader and writer): node_fern_plain.mjs runs it.

import path from "node:path";
import { fileURLToPath } from "node:url";

import { expandModule } from "./node_discovery.mjs";
import {
  FlavourError,
  acceptedLine,
  firstExisting,
  importFile,
  jsonResponse,
  listFiles,
  packageFolder,
  rejectedAnswer,
  skippedAnswer,
} from "./node_flavours.mjs";
import { readCallOptions } from "./node_fern_options.mjs";
import { plainBase, start as startPlain } from "./node_fern_plain.mjs";
import { caseText } from "./node_json.mjs";
import { mapUnionMembers, serializationFiles, unionFor, unionVocabulary } from "./node_fern_unions.mjs";

// Where Fern packages keep their build: the package root (prepacked), or a dist/ build.
const BASES = ["", "dist/", "dist/cjs/", "dist/esm/"];
const INDEX = ["serialization/index.mjs", "serialization/index.js"];

export async function start(options) {
  const { pkg, root, dir, version } = packageFolder(options, "fern");
  const base = BASES.find(
    (prefix) =>
      firstExisting(
        dir,
        INDEX.map((file) => prefix + file),
      ) !== null && firstExisting(dir, [`${prefix}core/schemas`]) !== null,
  );
  if (base === undefined) {
    // The newer generation: no serialization layer, plain types and the fetcher's body codec.
    const plain = plainBase(dir, BASES);
    if (plain !== undefined) return startPlain(options, { pkg, dir, version }, plain);
    throw new FlavourError(
      `flavor fern: ${pkg} has no Fern serialization layer (serialization/index.js beside core/schemas/)` +
        ` nor a newer generation's core/fetcher/getResponseBody.js beside api/ in its package folder or` +
        ` ${BASES.slice(1).join(", ")}`,
    );
  }
  const calls = readCallOptions(path.join(dir, base));
  for (const [method, found] of [
    ["parseOrThrow", calls.read],
    ["jsonOrThrow", calls.write],
  ]) {
    if (found.chosen === null) {
      throw new FlavourError(
        `flavor fern: no .${method}(value, {...}) call with literal options in ${pkg}'s client code: the harness` +
          " cannot tell which options the SDK passes",
      );
    }
  }
  const models = new Map();
  const warnings = [];
  const sources = Array.isArray(options.modules) && options.modules.length > 0 ? options.modules : null;
  const moduleFiles = [];
  if (sources === null) {
    const rel = firstExisting(
      dir,
      INDEX.map((file) => base + file),
    );
    indexSerializers((await importFile(dir, rel)).namespace, models);
  } else {
    for (const spec of sources) {
      for (const item of expandModule(spec, root).items) {
        try {
          indexSerializers(await import(item.url), models);
          moduleFiles.push(fileURLToPath(item.url));
        } catch (error) {
          warnings.push(`cannot import ${item.spec}: ${error?.message ?? error}`);
        }
      }
    }
  }
  if (models.size === 0)
    warnings.push("no serializer schema (parseOrThrow and jsonOrThrow) found: every case will be skipped");
  const folder = firstExisting(dir, [`${base}serialization`]);
  const vocabulary = unionVocabulary(
    serializationFiles(folder === null ? null : path.join(dir, folder), moduleFiles),
  );
  const unions = mapUnionMembers(models, vocabulary);
  const body = await bodyCodec(dir, base, pkg);
  const readOptions = calls.read.chosen;
  const writeOptions = calls.write.chosen;
  const responseWrite = responseWriteOptions(writeOptions, readOptions);
  const details = {
    flavor: "fern",
    node: process.versions.node,
    response_reader: `${body.readerName}, then X.parseOrThrow(body, ${JSON.stringify(readOptions)})`,
    response_writer: `X.jsonOrThrow(native, ${JSON.stringify(responseWrite)}), then ${body.writerName}`,
    request_reader: `X.parseOrThrow(JSON.parse(text), ${JSON.stringify(writeOptions)})`,
    request_writer: `X.jsonOrThrow(native, ${JSON.stringify(writeOptions)}), then ${body.writerName}`,
    response_validates: readOptions.skipValidation !== true,
    request_validates: writeOptions.skipValidation !== true,
    serialization: `${pkg}/${base}serialization/`,
    union_members:
      `${unions.members} member model(s) of ${unions.unions} discriminated union(s) are read and written` +
      " through the union when their payload carries a discriminant value the union maps to them; a payload" +
      " whose value the union maps to another member is skipped",
    ...siteDetails("read", calls.read),
    ...siteDetails("write", calls.write),
  };
  return {
    details,
    implementation: { name: `${pkg} (javascript)`, language: "javascript", sdk: pkg, sdk_version: version },
    warnings,
    models: () => ({ models: [...models.values()].map(describe) }),
    run: (seq, testCase) =>
      run(seq, testCase, models, { readOptions, writeOptions, responseWrite, body }),
  };
}

/** The options a serializer's `jsonOrThrow(` in Fern's `core/schemas` take that make it lenient. */
const LENIENCY = [
  "unrecognizedObjectKeys",
  "allowUnrecognizedUnionMembers",
  "allowUnrecognizedEnumValues",
  "skipValidation",
];

/**
 * The options a response is written back with: the request writer's, with the read's
 * leniency. The SDK never writes a response, so a write that drops a key the read kept
 * (the request writer's "strip") would report what the SDK does not do.
 */
export function responseWriteOptions(writeOptions, readOptions) {
  const out = { ...writeOptions };
  for (const key of LENIENCY) {
    if (Object.hasOwn(readOptions, key)) out[key] = readOptions[key];
  }
  return out;
}

/** The details of one direction's call sites: how many, and how many passed other options. */
function siteDetails(side, found) {
  const out = {
    [`${side}_option_sites`]: `${found.count} of ${found.total} .${side === "read" ? "parseOrThrow" : "jsonOrThrow"}( call sites`,
  };
  if (found.others.length > 0) {
    out[`${side}_options_disagree`] =
      `the most common options were taken; other call sites pass: ` +
      found.others.map(([text, count]) => `${text} (${count})`).join(", ");
  }
  if (found.nonLiteral > 0) out[`${side}_options_not_literal`] = found.nonLiteral;
  return out;
}

function isSchema(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof value.parseOrThrow === "function" &&
    typeof value.jsonOrThrow === "function"
  );
}

/**
 * Index a serializers namespace: its schemas by name, then its nested
 * namespaces level by level. A schema already indexed (re-exported under a
 * namespace) is not listed again; a different schema under a taken name is
 * listed under its dotted path ("v2.X").
 */
function indexSerializers(namespace, models) {
  const seen = new Set([...models.values()].map((entry) => entry.schema));
  const visited = new Set();
  const queue = [[namespace, []]];
  if (namespace.default && typeof namespace.default === "object") queue.push([namespace.default, []]);
  while (queue.length > 0) {
    const [space, where] = queue.shift();
    if (visited.has(space)) continue;
    visited.add(space);
    for (const key of Object.keys(space)) {
      if (key === "default" && where.length === 0) continue;
      let value;
      try {
        value = space[key];
      } catch {
        continue;
      }
      if (isSchema(value)) {
        if (seen.has(value)) continue;
        seen.add(value);
        const name = models.has(key) ? [...where, key].join(".") : key;
        if (!models.has(name)) models.set(name, { name, schema: value });
      } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        queue.push([value, [...where, key]]);
      }
    }
  }
}

const KINDS = {
  object: "object",
  enum: "enum",
  union: "union",
  undiscriminatedUnion: "union",
  list: "array",
  set: "array",
  record: "record",
  stringLiteral: "literal",
  booleanLiteral: "literal",
  string: "scalar",
  number: "scalar",
  boolean: "scalar",
  bigint: "scalar",
  date: "scalar",
};

function describe(entry) {
  const model = { name: entry.name, directions: ["request", "response"] };
  try {
    model.kind = KINDS[entry.schema.getType()] ?? "other";
  } catch {
    model.kind = "other";
  }
  try {
    // A union member's wire form, as the SDK reads it, also carries the union's discriminant.
    if (typeof entry.schema._getRawProperties === "function")
      model.keys = [
        ...new Set([...entry.schema._getRawProperties().map(String), ...(entry.unions ?? []).map((u) => u.key)]),
      ];
  } catch {
    // a lazy schema that cannot be built: keys unknown
  }
  return model;
}

/** The SDK's own body reader and writer (core/fetcher), else its core/json, else JSON itself. */
async function bodyCodec(dir, base, pkg) {
  const codec = {
    read: async (text) => JSON.parse(text),
    readerName: "JSON.parse(text)",
    write: async (value) => JSON.stringify(value),
    writerName: "JSON.stringify",
  };
  const json = firstExisting(dir, [`${base}core/json.mjs`, `${base}core/json.js`]);
  if (json !== null) {
    const mod = await importFile(dir, json);
    const fromJson = mod.get("fromJson");
    const toJson = mod.get("toJson");
    if (typeof fromJson === "function")
      Object.assign(codec, {
        read: async (text) => fromJson(text),
        readerName: `${pkg}/${json} fromJson(text)`,
      });
    if (typeof toJson === "function")
      Object.assign(codec, { write: async (value) => toJson(value), writerName: `${pkg}/${json} toJson` });
  }
  const reader = firstExisting(dir, [
    `${base}core/fetcher/getResponseBody.mjs`,
    `${base}core/fetcher/getResponseBody.js`,
  ]);
  const getResponseBody =
    reader === null ? undefined : (await importFile(dir, reader)).get("getResponseBody");
  if (typeof getResponseBody === "function") {
    codec.read = (text) => getResponseBody(jsonResponse(text), undefined);
    codec.readerName = `${pkg}/${reader} getResponseBody(new Response(text, 200, application/json), undefined)`;
  }
  const writer = firstExisting(dir, [
    `${base}core/fetcher/getRequestBody.mjs`,
    `${base}core/fetcher/getRequestBody.js`,
  ]);
  const getRequestBody = writer === null ? undefined : (await importFile(dir, writer)).get("getRequestBody");
  if (typeof getRequestBody === "function") {
    codec.write = (value) => getRequestBody({ body: value, type: "json" });
    codec.writerName = `${pkg}/${writer} getRequestBody({body, type: "json"})`;
  }
  return codec;
}

/**
 * A top-level property whose parsed name (not its wire key) is a key of
 * `wire` ({raw, name}), or null. In a user's request object that name is the
 * property, which the SDK sends under its wire key: no object a user can give
 * the SDK sends such a payload (read as a request, the key would land in the
 * property's slot and be sent as the wire key, or fail its type).
 */
function nameClash(schema, wire) {
  if (wire === null || typeof wire !== "object" || Array.isArray(wire)) return null;
  let raws;
  let names;
  try {
    raws = schema._getRawProperties();
    names = schema._getParsedProperties();
  } catch {
    return null;
  }
  if (!Array.isArray(raws) || !Array.isArray(names) || raws.length !== names.length) return null;
  const rawSet = new Set(raws);
  for (const [i, raw] of raws.entries()) {
    const name = names[i];
    if (name !== raw && !rawSet.has(name) && Object.hasOwn(wire, name)) return { raw, name };
  }
  return null;
}

class Rejected extends Error {}

/** The first error's place in the wire payload (prefix taken off, "[i]" as i), or null. */
function errorPath(error, prefix, wire) {
  const first = error?.errors?.[0]?.path;
  if (!Array.isArray(first)) return null;
  const given = Array.isArray(prefix) ? prefix : [];
  if (!given.every((step, i) => first[i] === step)) return null;
  const steps = [];
  let value = wire;
  for (const step of first.slice(given.length)) {
    const index = /^\[(\d+)\]$/.exec(String(step));
    const item = index && Array.isArray(value) ? Number(index[1]) : String(step);
    steps.push(item);
    value = value !== null && typeof value === "object" ? value[item] : undefined;
  }
  return steps;
}

/** An error's class name (Fern's ParseError and JsonError leave `name` as "Error"). */
function errorName(error) {
  const name = error?.constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : (error?.name ?? "Error");
}

function call(fn, prefix = "") {
  try {
    return fn();
  } catch (error) {
    const rejected = new Rejected(`${prefix}${errorName(error)}: ${error?.message ?? error}`);
    rejected.cause = error;
    throw rejected;
  }
}

async function run(seq, testCase, models, { readOptions, writeOptions, responseWrite, body }) {
  const entry = models.get(testCase.model);
  if (entry === undefined)
    return skippedAnswer(seq, `model ${testCase.model} is not a serializer of the SDK`);
  const text = caseText(testCase);
  const response = testCase.direction === "response";
  let wire;
  try {
    wire = response ? await body.read(text) : JSON.parse(text);
  } catch (error) {
    return rejectedAnswer(seq, error);
  }
  const options = response ? readOptions : writeOptions;
  const via = unionFor(entry, wire);
  if (via?.elsewhere) {
    const { key, value, union, member } = via.elsewhere;
    return skippedAnswer(
      seq,
      `the SDK reads a payload whose ${key} is ${JSON.stringify(value)} through ${union.name} as ${member.name},` +
        ` never as ${entry.name}`,
    );
  }
  if (!response) {
    const clash = nameClash(entry.schema, wire);
    if (clash !== null) {
      return skippedAnswer(
        seq,
        `the payload has the key "${clash.name}", the SDK's name for "${clash.raw}": a request object's` +
          ` "${clash.name}" is sent as "${clash.raw}", so no object a user can give the SDK sends this payload`,
      );
    }
  }
  const schema = via?.through.union.schema ?? entry.schema;
  let native;
  try {
    native = call(() => schema.parseOrThrow(wire, options));
  } catch (error) {
    return rejectedAnswer(seq, error.message, errorPath(error.cause, options.breadcrumbsPrefix, wire));
  }
  if (!response && nulls(native) < nulls(wire)) {
    // The user's object is the SDK's own reading of the payload; where that reading turns a
    // null into undefined (a type with no null), no object a user gives the SDK holds it.
    return skippedAnswer(
      seq,
      "the SDK's reader turns a null of the payload into undefined (its type has no null here):" +
        " no object a user can give the SDK holds this payload",
    );
  }
  const undeclared = passedThrough(schema, wire, options, native);
  let out;
  try {
    out = call(
      () => schema.jsonOrThrow(native, response ? responseWrite : writeOptions),
      response ? "the SDK's writer rejects what it read: " : "",
    );
  } catch (error) {
    if (response) return withUndeclared(acceptedLine(seq, native, null, [error.message]), undeclared);
    return rejectedAnswer(seq, error.message);
  }
  let wireText;
  try {
    wireText = await body.write(out);
  } catch (error) {
    const why = `the SDK's body encoding failed: ${error?.message ?? error}`;
    // As the writer's failure above: the user of a response has what the SDK read.
    if (response) return withUndeclared(acceptedLine(seq, native, null, [why]), undeclared);
    return rejectedAnswer(seq, why);
  }
  return withUndeclared(acceptedLine(seq, native, wireText), undeclared);
}

/** How many nulls a value holds, at any depth. */
function nulls(value) {
  if (value === null) return 1;
  if (typeof value !== "object") return 0;
  let count = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) count += nulls(item);
  return count;
}

/**
 * The paths in `native` of keys the schemas passed through undeclared: those the SDK's
 * reading of the same payload with `unrecognizedObjectKeys: "strip"` does not have.
 * Empty when the SDK does not read with "passthrough" (nothing undeclared is kept) or
 * when that reading fails (nothing is claimed then).
 */
function passedThrough(schema, wire, options, native) {
  if (options?.unrecognizedObjectKeys !== "passthrough") return [];
  let declared;
  try {
    declared = schema.parseOrThrow(wire, { ...options, unrecognizedObjectKeys: "strip" });
  } catch {
    return [];
  }
  const found = [];
  keysBeyond(native, declared, [], found);
  return found;
}

/** Adds to `found` the path of each key of `value` that `declared` (its stripped twin) lacks. */
function keysBeyond(value, declared, at, found) {
  if (Array.isArray(value)) {
    if (!Array.isArray(declared)) return;
    value.forEach((item, index) => keysBeyond(item, declared[index], [...at, index], found));
    return;
  }
  if (!isPlainObject(value) || !isPlainObject(declared)) return;
  for (const key of Object.keys(value)) {
    // A kept key's value is the payload as it came: nothing under it is the SDK's model.
    if (!Object.hasOwn(declared, key)) found.push([...at, key]);
    else keysBeyond(value[key], declared[key], [...at, key], found);
  }
}

function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An accepted answer (a line of JSON text or an object) with its `undeclared` paths. */
function withUndeclared(answer, undeclared) {
  if (undeclared.length === 0) return answer;
  if (typeof answer === "string" && answer.endsWith("}")) {
    return `${answer.slice(0, -1)},"undeclared":${JSON.stringify(undeclared)}}`;
  }
  return answer.accepted === true ? { ...answer, undeclared } : answer;
}
