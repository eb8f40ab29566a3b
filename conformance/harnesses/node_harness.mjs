// Conformance harness for TypeScript/JavaScript SDKs with zod schemas
// (`X$inboundSchema`: wire JSON -> camelCase object, `X$outboundSchema`: the
// reverse), as Speakeasy generates them. Plain ESM for Node >= 20, no
// dependencies besides the SDK. Speaks the protocol of
// conformance/schemas/harness-*.json: one JSON request per stdin line, one JSON
// answer per stdout line; everything else (including the SDK's console output)
// goes to stderr.
//
// Start options: `modules` (specifiers such as
// "@orq-ai/node/models/operations/index.js", resolved from `root`, not from this
// file; absolute and ./relative paths are taken relative to `root`), `root` (a
// directory whose node_modules holds the SDK) and `package` (the SDK's package
// name, for its version).
//
// Models are found by name across the modules; the first module listed that
// exports a name wins it, and a model of a later module with the same name is
// "<module specifier>#<name>" (both in the models listing and in a case).
//
// A case:
// - response: `X$inboundSchema.parse(JSON.parse(wire_text))` gives the native
//   (camelCase) object. Back to wire through `X$outboundSchema` when the SDK
//   exports it, else through the inverse of the inbound schema's own key map
//   (see `backward`), then `JSON.stringify`.
// - request: wire -> native through `X$inboundSchema` when it exists, else
//   through the inverse key map of `X$outboundSchema`; then
//   `JSON.stringify(X$outboundSchema.parse(native))`, as `xToJSON` does.
// Numbers are what JSON.parse makes of them (integers above 2^53 lose digits:
// that is the SDK's behaviour and is reported as is). In the native view a Date
// is its ISO string and a bigint its exact digits.
//
// The inverse key map: a zod object's `.transform(v => remap(v, {...}))` is
// probed by calling the transform on an object of markers (one per shape key,
// plus one unknown key to find where extra keys are collected, as
// `collectExtraKeys` does) and seeing where each marker lands. Works for zod 3
// (`_def`) and zod 4 / zod 4-mini (`_zod.def`) schemas; results are cached per
// schema object.

import fs from "node:fs";
import { Console } from "node:console";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";

const PROTOCOL_VERSION = 1;

// The protocol owns stdout; the SDK's output goes to stderr.
const writeOut = process.stdout.write.bind(process.stdout);
const errConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
for (const method of ["log", "info", "debug", "trace", "dir", "table", "warn", "error"]) {
  console[method] = errConsole[method].bind(errConsole);
}
process.stdout.write = process.stderr.write.bind(process.stderr);

function send(message) {
  writeOut(JSON.stringify(message) + "\n");
}

function sendText(text) {
  writeOut(text + "\n");
}

// ---------------------------------------------------------------- zod access

/** A normalized view of one zod schema node, for zod 3 and zod 4. */
function describe(schema) {
  if (schema === null || typeof schema !== "object") return { t: "other" };
  const v4 = schema._zod?.def;
  if (v4) return describeV4(v4);
  const def = schema._def;
  if (!def) return { t: "other" };
  switch (def.typeName) {
    case "ZodObject":
      return {
        t: "object",
        shape: typeof def.shape === "function" ? def.shape() : def.shape,
      };
    case "ZodEffects":
      if (def.effect?.type === "transform") {
        return { t: "transformed", inner: def.schema, fn: def.effect.transform };
      }
      return { t: "wrap", inner: def.schema };
    case "ZodOptional":
    case "ZodNullable":
    case "ZodDefault":
    case "ZodCatch":
    case "ZodReadonly":
      return { t: "wrap", inner: def.innerType };
    case "ZodBranded":
      return { t: "wrap", inner: def.type };
    case "ZodLazy":
      return { t: "lazy", get: def.getter };
    case "ZodArray":
      return { t: "array", element: def.type };
    case "ZodSet":
      return { t: "array", element: def.valueType };
    case "ZodUnion":
    case "ZodDiscriminatedUnion":
      return { t: "union", options: [...(def.options instanceof Map ? def.options.values() : def.options)] };
    case "ZodRecord":
      return { t: "record", value: def.valueType };
    case "ZodPipeline":
      return { t: "pipe", in: def.in, out: def.out };
    case "ZodIntersection":
      return { t: "intersection", left: def.left, right: def.right };
    case "ZodTuple":
      return { t: "tuple", items: def.items };
    case "ZodDate":
      return { t: "date" };
    case "ZodString":
      return { t: "string" };
    case "ZodEnum":
    case "ZodNativeEnum":
      return { t: "enum" };
    case "ZodLiteral":
      return { t: "literal" };
    case "ZodNumber":
    case "ZodBigInt":
    case "ZodBoolean":
    case "ZodNull":
      return { t: "scalar" };
    default:
      return { t: "other" };
  }
}

function describeV4(def) {
  switch (def.type) {
    case "object":
      return { t: "object", shape: def.shape };
    case "pipe": {
      const out = def.out?._zod?.def;
      if (out?.type === "transform") return { t: "transformed", inner: def.in, fn: out.transform };
      return { t: "pipe", in: def.in, out: def.out };
    }
    case "transform":
      return { t: "transformed", inner: null, fn: def.transform };
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
    case "success":
      return { t: "wrap", inner: def.innerType };
    case "lazy":
      return { t: "lazy", get: def.getter };
    case "array":
      return { t: "array", element: def.element };
    case "set":
      return { t: "array", element: def.valueType };
    case "union":
      return { t: "union", options: def.options };
    case "record":
      return { t: "record", value: def.valueType };
    case "intersection":
      return { t: "intersection", left: def.left, right: def.right };
    case "tuple":
      return { t: "tuple", items: def.items };
    case "date":
      return { t: "date" };
    case "string":
      return { t: "string" };
    case "enum":
      return { t: "enum" };
    case "literal":
      return { t: "literal" };
    case "number":
    case "int":
    case "bigint":
    case "boolean":
    case "null":
      return { t: "scalar" };
    default:
      return { t: "other" };
  }
}

const described = new WeakMap();
function node(schema) {
  let d = described.get(schema);
  if (d === undefined) {
    d = describe(schema);
    if (schema !== null && typeof schema === "object") described.set(schema, d);
  }
  return d;
}

/** What a schema is, under wrappers, lazies and transforms. */
function kindOf(schema, depth = 0) {
  if (depth > 20) return "other";
  const d = node(schema);
  switch (d.t) {
    case "wrap":
      return kindOf(d.inner, depth + 1);
    case "lazy":
      return kindOf(d.get(), depth + 1);
    case "transformed":
      return d.inner ? kindOf(d.inner, depth + 1) : "other";
    case "pipe":
      return kindOf(d.out, depth + 1);
    case "string":
    case "date":
      return "scalar";
    default:
      return d.t;
  }
}

/** The keys of the objects a schema produces, or null when it is not an object. */
function outputKeys(schema, depth = 0) {
  if (depth > 20) return null;
  const d = node(schema);
  switch (d.t) {
    case "object":
      return Object.keys(d.shape);
    case "wrap":
      return outputKeys(d.inner, depth + 1);
    case "lazy":
      return outputKeys(d.get(), depth + 1);
    case "transformed": {
      if (!d.inner) return null;
      const keys = outputKeys(d.inner, depth + 1);
      if (keys === null) return null;
      const probe = probeTransform(d, keys);
      if (probe === null) return keys;
      const out = keys.map((k) => probe.map.get(k)).filter((k) => k !== undefined);
      if (probe.extrasKey !== null) out.push(probe.extrasKey);
      return out;
    }
    default:
      return null;
  }
}

const EXTRA_PROBE_KEY = "__conformance_probe_extra__";
const probes = new WeakMap();

/**
 * Where a transform moves each key: {map: inKey -> outKey, inverse: outKey ->
 * inKey, extrasKey}, or null when the transform is not a key remap.
 */
function probeTransform(d, keys) {
  if (probes.has(d)) return probes.get(d);
  let result = null;
  try {
    const markers = new Map();
    const input = {};
    for (const key of keys) {
      const marker = { __conformance_marker__: key };
      markers.set(marker, key);
      input[key] = marker;
    }
    const extraMarker = { __conformance_marker__: EXTRA_PROBE_KEY };
    input[EXTRA_PROBE_KEY] = extraMarker;
    const issues = [];
    const ctx = { addIssue: (i) => issues.push(i), issues, value: input, path: [] };
    const output = d.fn(input, ctx);
    if (output !== null && typeof output === "object" && !(output instanceof Promise)) {
      const map = new Map();
      const inverse = new Map();
      let extrasKey = null;
      for (const [outKey, value] of Object.entries(output)) {
        const inKey = markers.get(value);
        if (inKey !== undefined) {
          map.set(inKey, outKey);
          inverse.set(outKey, inKey);
        } else if (
          value !== null &&
          typeof value === "object" &&
          value[EXTRA_PROBE_KEY] === extraMarker
        ) {
          extrasKey = outKey;
        }
      }
      result = { map, inverse, extrasKey };
    }
  } catch {
    result = null;
  }
  probes.set(d, result);
  return result;
}

function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function unwrapsTo(schema, kind, depth = 0) {
  if (!schema || depth > 20) return false;
  const d = node(schema);
  if (d.t === kind) return true;
  if (d.t === "wrap") return unwrapsTo(d.inner, kind, depth + 1);
  if (d.t === "lazy") return unwrapsTo(d.get(), kind, depth + 1);
  return false;
}

/**
 * Undo a schema: given a value in the schema's output space, the value in its
 * input space that the schema maps to it (key renames undone, Dates back to
 * ISO strings, extras spread back). Used to write wire JSON from a native object
 * through an inbound schema, and to read wire JSON into a native object
 * through an outbound schema.
 */
function backward(schema, value, depth = 0) {
  if (depth > 200) throw new Error("schema nesting deeper than 200");
  if (value === null || value === undefined) return value;
  const d = node(schema);
  switch (d.t) {
    case "object": {
      if (!isPlainObject(value)) return value;
      const out = {};
      for (const [key, item] of Object.entries(value)) {
        const child = Object.prototype.hasOwnProperty.call(d.shape, key) ? d.shape[key] : undefined;
        out[key] = child ? backward(child, item, depth + 1) : plain(item);
      }
      return out;
    }
    case "transformed": {
      if (d.inner && isPlainObject(value)) {
        const keys = outputKeys(d.inner);
        if (keys !== null) {
          const probe = probeTransform(d, keys);
          const renamed = {};
          for (const [key, item] of Object.entries(value)) {
            if (probe && key === probe.extrasKey && isPlainObject(item)) {
              for (const [extraKey, extra] of Object.entries(item)) renamed[extraKey] = extra;
              continue;
            }
            const inKey = probe ? probe.inverse.get(key) ?? key : key;
            renamed[inKey] = item;
          }
          return backward(d.inner, renamed, depth + 1);
        }
      }
      if (value instanceof Date) return isoString(value);
      if (typeof value === "string" && unwrapsTo(d.inner, "date")) return new Date(value);
      return d.inner ? backward(d.inner, value, depth + 1) : plain(value);
    }
    case "wrap":
      return backward(d.inner, value, depth + 1);
    case "lazy":
      return backward(d.get(), value, depth + 1);
    case "array":
      return Array.isArray(value) ? value.map((item) => backward(d.element, item, depth + 1)) : value;
    case "tuple":
      return Array.isArray(value)
        ? value.map((item, i) => (i < d.items.length ? backward(d.items[i], item, depth + 1) : item))
        : value;
    case "record": {
      if (!isPlainObject(value)) return value;
      const out = {};
      for (const [key, item] of Object.entries(value)) out[key] = backward(d.value, item, depth + 1);
      return out;
    }
    case "union":
      return backwardUnion(d.options, value, depth);
    case "pipe":
      return backward(d.in, backward(d.out, value, depth + 1), depth + 1);
    case "intersection":
      return backward(d.right, backward(d.left, value, depth + 1), depth + 1);
    case "date":
      return typeof value === "string" ? new Date(value) : value;
    default:
      return plain(value);
  }
}

/** The first union option whose schema maps the undone value back to `value`. */
function backwardUnion(options, value, depth) {
  let fallback;
  let found = false;
  for (const option of options) {
    let candidate;
    try {
      candidate = backward(option, value, depth + 1);
    } catch {
      continue;
    }
    const parsed = option.safeParse(candidate);
    if (!parsed.success) continue;
    if (sameValue(parsed.data, value)) return candidate;
    if (!found) {
      fallback = candidate;
      found = true;
    }
  }
  return found ? fallback : plain(value);
}

function plain(value) {
  return value instanceof Date ? isoString(value) : value;
}

function isoString(date) {
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString();
}

function sameValue(a, b) {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameValue(a[k], b[k])) return false;
  return true;
}

// ---------------------------------------------------------------- JSON text

/** JSON text of a value; bigints as exact digits, Dates as ISO strings. */
function stringifyExact(value) {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return writeExact(value, new Set());
}

function writeExact(value, seen) {
  if (value === null) return "null";
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    default:
      break;
  }
  if (value instanceof Date) return JSON.stringify(value);
  if (seen.has(value)) throw new TypeError("cyclic value");
  seen.add(value);
  try {
    if (typeof value.toJSON === "function") return writeExact(value.toJSON(), seen);
    if (Array.isArray(value)) {
      return "[" + value.map((item) => writeExact(item, seen) ?? "null").join(",") + "]";
    }
    const parts = [];
    for (const [key, item] of Object.entries(value)) {
      const text = writeExact(item, seen);
      if (text !== undefined) parts.push(JSON.stringify(key) + ":" + text);
    }
    return "{" + parts.join(",") + "}";
  } finally {
    seen.delete(value);
  }
}

// ---------------------------------------------------------------- module loading

function findPackageDir(name, root) {
  let dir = path.resolve(root);
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function splitSpecifier(spec) {
  const parts = spec.split("/");
  const count = spec.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, count).join("/");
  const rest = parts.slice(count).join("/");
  return { name, subpath: rest ? "./" + rest : "." };
}

const CONDITIONS = ["node", "import", "module", "default", "require"];

function pickTarget(target) {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const picked = pickTarget(item);
      if (picked) return picked;
    }
    return null;
  }
  if (target && typeof target === "object") {
    for (const condition of CONDITIONS) {
      if (condition in target) {
        const picked = pickTarget(target[condition]);
        if (picked) return picked;
      }
    }
  }
  return null;
}

/** Resolve a bare specifier through the package's exports map (for ESM-only packages). */
function resolveThroughExports(spec, root) {
  const { name, subpath } = splitSpecifier(spec);
  const dir = findPackageDir(name, root);
  if (dir === null) throw new Error(`cannot find package ${name} from ${root}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  let exportsMap = manifest.exports;
  if (exportsMap === undefined) {
    const file = subpath === "." ? manifest.module || manifest.main || "index.js" : subpath;
    return path.join(dir, file);
  }
  if (typeof exportsMap === "string" || Array.isArray(exportsMap)) exportsMap = { ".": exportsMap };
  else if (!Object.keys(exportsMap).some((k) => k.startsWith("."))) exportsMap = { ".": exportsMap };
  if (subpath in exportsMap) {
    const target = pickTarget(exportsMap[subpath]);
    if (target) return path.join(dir, target);
  }
  let best = null;
  for (const key of Object.keys(exportsMap)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      if (best === null || prefix.length > best.prefix.length) {
        best = { key, prefix, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
      }
    }
  }
  if (best !== null) {
    const target = pickTarget(exportsMap[best.key]);
    if (target) return path.join(dir, target.replaceAll("*", best.match));
  }
  throw new Error(`${spec} is not exported by ${name}`);
}

function resolveModule(spec, root) {
  if (spec.startsWith("file:")) return spec;
  if (path.isAbsolute(spec)) return pathToFileURL(spec).href;
  if (spec.startsWith("./") || spec.startsWith("../")) {
    return pathToFileURL(path.resolve(root, spec)).href;
  }
  const require = createRequire(path.join(path.resolve(root), "__conformance__.js"));
  try {
    return pathToFileURL(require.resolve(spec)).href;
  } catch (error) {
    try {
      return pathToFileURL(resolveThroughExports(spec, root)).href;
    } catch {
      throw error;
    }
  }
}

// ---------------------------------------------------------------- harness state

const state = {
  started: false,
  modules: [],
  schemas: new Map(), // name -> {inbound, outbound, module}: the first module exporting the name
  byModule: new Map(), // module specifier -> Map(name -> {inbound, outbound, module})
};

/** The X$inboundSchema / X$outboundSchema pairs one module exports, by X. */
function moduleSchemas(namespace, spec) {
  const found = new Map();
  const sources = [namespace];
  if (namespace.default && typeof namespace.default === "object") sources.push(namespace.default);
  for (const source of sources) {
    for (const key of Object.keys(source)) {
      let name;
      let side;
      if (key.endsWith("$inboundSchema")) {
        name = key.slice(0, -"$inboundSchema".length);
        side = "inbound";
      } else if (key.endsWith("$outboundSchema")) {
        name = key.slice(0, -"$outboundSchema".length);
        side = "outbound";
      } else {
        continue;
      }
      let entry = found.get(name);
      if (entry === undefined) {
        entry = { inbound: null, outbound: null, module: spec };
        found.set(name, entry);
      }
      if (entry[side] === null) {
        const schema = source[key];
        if (schema && typeof schema.parse === "function") entry[side] = schema;
      }
    }
  }
  return found;
}

/**
 * Index a module's schemas. The two sides of a name always come from one
 * module: modules of one SDK may export different models under one name (orq:
 * components' AgenticRagConfig$inboundSchema vs operations'
 * AgenticRagConfig$outboundSchema). The first module listed wins the plain
 * name; a later module's model is reachable as "<module specifier>#<name>".
 */
function indexExports(namespace, spec) {
  const found = moduleSchemas(namespace, spec);
  state.byModule.set(spec, found);
  for (const [name, entry] of found) {
    if (!state.schemas.has(name)) state.schemas.set(name, entry);
  }
}

function lookup(model) {
  const hash = model.lastIndexOf("#");
  if (hash > 0) return state.byModule.get(model.slice(0, hash))?.get(model.slice(hash + 1));
  return state.schemas.get(model);
}

function readPackageFacts(pkg, root) {
  const facts = { version: "", details: {} };
  const dir = pkg ? findPackageDir(pkg, root) : null;
  if (dir === null) return facts;
  try {
    facts.version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version || "";
  } catch {
    // no version to report
  }
  return facts;
}

async function readSdkMetadata(pkg, root) {
  const dir = pkg ? findPackageDir(pkg, root) : null;
  if (dir === null) return {};
  for (const file of ["lib/config.js", "esm/lib/config.js", "dist/esm/lib/config.js"]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    try {
      const mod = await import(pathToFileURL(full).href);
      const meta = mod.SDK_METADATA ?? mod.default?.SDK_METADATA;
      if (meta && typeof meta === "object") {
        const details = {};
        if (meta.genVersion) details.gen_version = String(meta.genVersion);
        if (meta.sdkVersion) details.sdk_metadata_version = String(meta.sdkVersion);
        if (meta.openapiDocVersion) details.openapi_doc_version = String(meta.openapiDocVersion);
        return details;
      }
    } catch {
      // not a Speakeasy config module
    }
  }
  return {};
}

async function start(request) {
  if (request.version !== PROTOCOL_VERSION) {
    return { ready: false, error: `unsupported protocol version ${JSON.stringify(request.version)}` };
  }
  const options = request.options || {};
  const modules = options.modules;
  const root = options.root || process.cwd();
  if (!Array.isArray(modules) || modules.length === 0 || !modules.every((m) => typeof m === "string")) {
    return { ready: false, error: "options.modules must list module specifiers" };
  }
  const pkg = options.package || splitSpecifier(modules[0]).name;
  try {
    for (const spec of modules) {
      const url = resolveModule(spec, root);
      indexExports(await import(url), spec);
    }
  } catch (error) {
    return { ready: false, error: `cannot import SDK modules: ${error?.message ?? error}` };
  }
  state.modules = modules;
  state.started = true;
  const facts = readPackageFacts(pkg, root);
  const details = {
    node: process.versions.node,
    response_reader: "X$inboundSchema.parse(JSON.parse(text))",
    response_writer: "JSON.stringify(X$outboundSchema.parse(native)), else the inverse key map of X$inboundSchema",
    request_reader: "X$inboundSchema.parse(wire), else the inverse key map of X$outboundSchema",
    request_writer: "JSON.stringify(X$outboundSchema.parse(native))",
    ...(await readSdkMetadata(pkg, root)),
  };
  return {
    ready: true,
    implementation: {
      name: `${pkg} (javascript)`,
      language: "javascript",
      sdk: pkg,
      sdk_version: facts.version || details.sdk_metadata_version || "",
      details,
    },
  };
}

function listModels() {
  if (!state.started) return { error: "models before start" };
  const models = [];
  const describeEntry = (name, entry) => {
    const directions = [];
    if (entry.outbound) directions.push("request");
    if (entry.inbound) directions.push("response");
    let kind;
    try {
      kind = kindOf(entry.inbound ?? entry.outbound);
    } catch {
      kind = "other";
    }
    models.push({ name, directions, kind });
  };
  for (const [name, entry] of state.schemas) describeEntry(name, entry);
  for (const [spec, found] of state.byModule) {
    for (const [name, entry] of found) {
      if (state.schemas.get(name) !== entry) describeEntry(`${spec}#${name}`, entry);
    }
  }
  return { models };
}

/** A zod error as "path: message; ...", else the error's own message. */
function errorMessage(error) {
  const issues = error?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    const text = issues
      .map((issue) => {
        const where = Array.isArray(issue.path) && issue.path.length ? issue.path.join(".") : "$";
        return `${where}: ${issue.message}`;
      })
      .join("; ");
    return `${error.name || "ZodError"}: ${text}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

class Rejected extends Error {}

function runCase(seq, testCase) {
  const entry = lookup(testCase.model);
  const where = state.modules.join(", ");
  if (entry === undefined) {
    return { seq, skipped: true, reason: `model ${testCase.model} not found in ${where}` };
  }
  const text = typeof testCase.wire_text === "string" ? testCase.wire_text : JSON.stringify(testCase.wire);
  let wire;
  try {
    wire = JSON.parse(text);
  } catch (error) {
    return { seq, accepted: false, error: `JSON.parse: ${error.message}` };
  }
  let native;
  let wireText;
  try {
    if (testCase.direction === "response") {
      if (!entry.inbound) {
        return { seq, skipped: true, reason: `model ${testCase.model} has no $inboundSchema in ${where}` };
      }
      native = sdkCall(() => entry.inbound.parse(wire));
      if (entry.outbound) {
        const out = sdkCall(
          () => entry.outbound.parse(native),
          "the SDK read the payload but its $outboundSchema rejected the result",
        );
        wireText = sdkCall(() => JSON.stringify(out), "JSON.stringify of the SDK's output failed");
      } else {
        wireText = stringifyExact(backward(entry.inbound, native));
      }
    } else {
      if (!entry.outbound) {
        return { seq, skipped: true, reason: `model ${testCase.model} has no $outboundSchema in ${where}` };
      }
      native = entry.inbound ? sdkCall(() => entry.inbound.parse(wire)) : backward(entry.outbound, wire);
      const out = sdkCall(() => entry.outbound.parse(native));
      wireText = sdkCall(() => JSON.stringify(out), "JSON.stringify of the SDK's output failed");
    }
  } catch (error) {
    if (error instanceof Rejected) return { seq, accepted: false, error: error.message };
    process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
    return { seq, accepted: false, internal: true, error: `harness failure: ${errorMessage(error)}` };
  }
  if (wireText === undefined) {
    return { seq, accepted: false, error: "the SDK's output has no JSON text (undefined)" };
  }
  const nativeText = stringifyExact(native) ?? "null";
  return (
    `{"seq":${JSON.stringify(seq)},"accepted":true,"wire_text":${JSON.stringify(wireText)},` +
    `"native":${nativeText}}`
  );
}

function sdkCall(fn, prefix) {
  try {
    return fn();
  } catch (error) {
    const message = errorMessage(error);
    throw new Rejected(prefix ? `${prefix}: ${message}` : message);
  }
}

async function handle(request) {
  switch (request.cmd) {
    case "start":
      send(await start(request));
      return true;
    case "models":
      send(listModels());
      return true;
    case "run": {
      const seq = request.seq;
      let answer;
      try {
        if (!state.started) throw new Error("run before start");
        answer = runCase(seq, request.case);
      } catch (error) {
        process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
        answer = { seq, accepted: false, internal: true, error: `harness failure: ${errorMessage(error)}` };
      }
      if (typeof answer === "string") sendText(answer);
      else send(answer);
      return true;
    }
    case "stop":
      return false;
    default:
      process.stderr.write(`node harness: unknown command ${JSON.stringify(request.cmd)}\n`);
      if ("seq" in request) {
        send({ seq: request.seq, accepted: false, internal: true, error: `unknown command ${request.cmd}` });
      }
      return true;
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let request;
    try {
      request = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`node harness: request is not JSON: ${error.message}\n`);
      continue;
    }
    if (request === null || typeof request !== "object") {
      process.stderr.write("node harness: request is not a JSON object\n");
      continue;
    }
    if (!(await handle(request))) break;
  }
  lines.close();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
  process.exit(70);
});
