// Model discovery for the Node harness (see node_harness.mjs): resolving the
// SDK's modules from `root` (through package exports maps for ESM-only
// packages), indexing their X$inboundSchema / X$outboundSchema pairs, listing
// the models, and reading the SDK's version, Speakeasy metadata and its own
// request-body writer (lib/encodings.js `encodeJSON`).
//
// Models are found by name across the modules; the first module listed that
// exports a name wins it, and a model of a later module with the same name is
// "<module specifier>#<name>" (both in the models listing and in a case).
//
// A `modules` entry is a specifier (a file, resolved from `root`), a folder
// ending in "/" (`@scope/pkg/models/components/`: its .js and .mjs files) or a
// glob (`@scope/pkg/models/components/*.js`: `*`, `?` and `[...]` match within
// one path segment, a `**` segment matches one or more). Folders and globs are
// resolved inside the package (through its exports map where a "./x/*" key maps
// folders) or from `root` for ./relative and absolute paths; their files are
// imported in name order, level by level. A folder or glob that matches no file
// is an error; a matched file that cannot be imported is a warning.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { kindOf, wireKeys } from "./node_zod.mjs";

// ---------------------------------------------------------------- module loading

export function findPackageDir(name, root) {
  let dir = path.resolve(root);
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function splitSpecifier(spec) {
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

export function resolveModule(spec, root) {
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

// ---------------------------------------------------------------- folders and globs

const GLOB = /[*?[]/;

/** The files one `modules` entry stands for: {pattern, base, items: [{spec, url}]}. */
export function expandModule(spec, root) {
  const folder = spec.endsWith("/");
  if (!folder && !GLOB.test(spec)) {
    return { pattern: false, base: "", items: [{ spec, url: resolveModule(spec, root) }] };
  }
  const segments = spec.replace(/\/+$/, "").split("/");
  let count = segments.findIndex((segment) => GLOB.test(segment));
  if (count < 0) count = segments.length;
  const staticSpec = segments.slice(0, count).join("/");
  const rest = folder && count === segments.length ? null : segments.slice(count);
  const base = folderOf(staticSpec, root);
  const items = walkFiles(base, rest).map((parts) => ({
    spec: `${staticSpec}/${parts.join("/")}`,
    url: pathToFileURL(path.join(base, ...parts)).href,
  }));
  return { pattern: true, base, items };
}

/** The directory a specifier without globs names. */
function folderOf(spec, root) {
  if (spec.startsWith("file:")) return fileURLToPath(spec);
  if (path.isAbsolute(spec)) return spec;
  if (spec === "." || spec === ".." || spec.startsWith("./") || spec.startsWith("../")) {
    return path.resolve(root, spec);
  }
  const { name, subpath } = splitSpecifier(spec);
  if (GLOB.test(name)) throw new Error(`a glob must name its package: ${spec}`);
  const dir = findPackageDir(name, root);
  if (dir === null) throw new Error(`cannot find package ${name} from ${root}`);
  return exportedFolder(dir, subpath) ?? path.join(dir, subpath);
}

/** Where a package's exports map puts the folder `subpath` ("./*" -> "./dist/*" or "./dist/*.js"). */
function exportedFolder(dir, subpath) {
  let map;
  try {
    map = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).exports;
  } catch {
    return null;
  }
  if (!map || typeof map !== "object" || Array.isArray(map)) return null;
  const wanted = subpath === "." ? "./" : `${subpath}/`;
  let best = null;
  for (const key of Object.keys(map)) {
    if (!key.endsWith("*") || key.indexOf("*") !== key.length - 1) continue;
    const prefix = key.slice(0, -1);
    if (wanted.startsWith(prefix) && (best === null || prefix.length > best.prefix.length)) {
      best = { key, prefix };
    }
  }
  if (best === null) return null;
  const target = pickTarget(map[best.key]);
  // "./dist/*" or "./dist/esm/*.js": a suffix after the star keeps the files' folder.
  const star = target ? target.indexOf("*") : -1;
  if (star < 0 || target.indexOf("*", star + 1) >= 0 || target.slice(star + 1).includes("/")) {
    return null;
  }
  return path.join(dir, target.slice(0, star) + wanted.slice(best.prefix.length));
}

function isDirectory(full, entry) {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(full).isDirectory();
  } catch {
    return false;
  }
}

/** Paths (as segment lists) below `base` matching glob segments `rest`; null: a folder's modules. */
function walkFiles(base, rest) {
  const found = [];
  const queue = [[]];
  while (queue.length > 0) {
    const parts = queue.shift();
    let entries;
    try {
      entries = fs.readdirSync(path.join(base, ...parts), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const next = [...parts, entry.name];
      const directory = isDirectory(path.join(base, ...next), entry);
      if (rest === null) {
        if (!directory && /\.m?js$/.test(entry.name)) found.push(next);
      } else if (directory) {
        if (mayExtend(next, rest)) queue.push(next);
      } else if (matches(next, rest)) {
        found.push(next);
      }
    }
  }
  return found;
}

function matches(parts, segments) {
  if (segments.length === 0) return parts.length === 0;
  const [head, ...rest] = segments;
  if (head === "**") {
    for (let count = 1; count <= parts.length; count++) {
      if (matches(parts.slice(count), rest)) return true;
    }
    return false;
  }
  return parts.length > 0 && segmentRegExp(head).test(parts[0]) && matches(parts.slice(1), rest);
}

function mayExtend(parts, segments) {
  if (parts.length === 0) return segments.length > 0;
  if (segments.length === 0) return false;
  if (segments[0] === "**") return true;
  return segmentRegExp(segments[0]).test(parts[0]) && mayExtend(parts.slice(1), segments.slice(1));
}

const segmentCache = new Map();

/** One path segment's glob as a RegExp: `*`, `?`, `[...]` (`[!...]` negates). */
function segmentRegExp(glob) {
  let cached = segmentCache.get(glob);
  if (cached !== undefined) return cached;
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const end = c === "[" ? glob.indexOf("]", i + 2) : -1;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (end > i) {
      const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
      out += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
      i = end;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  cached = new RegExp(`^${out}$`, "s");
  segmentCache.set(glob, cached);
  return cached;
}

// ---------------------------------------------------------------- the SDK's models

export const state = {
  started: false,
  modules: [],
  writer: null, // {write(value) -> text, name}: the SDK's request-body writer (readSdkWriter)
  flavour: null, // a fern or stainless flavour (node_flavours.mjs): it lists and runs the models
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
export function indexExports(namespace, spec) {
  const found = moduleSchemas(namespace, spec);
  state.byModule.set(spec, found);
  for (const [name, entry] of found) {
    if (!state.schemas.has(name)) state.schemas.set(name, entry);
  }
}

export function lookup(model) {
  const hash = model.lastIndexOf("#");
  if (hash > 0) return state.byModule.get(model.slice(0, hash))?.get(model.slice(hash + 1));
  return state.schemas.get(model);
}

export function readPackageFacts(pkg, root) {
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

// Where Speakeasy packages keep their lib/ folder (CommonJS at the root, or an ESM build).
const LIB_FOLDERS = ["lib", "esm/lib", "dist/esm/lib", "dist/lib", "dist/commonjs/lib"];

/**
 * The export `name` of the SDK's own lib/<file> module, with where it was
 * found, or null when no such module exports it.
 */
async function sdkLibExport(pkg, root, file, name) {
  const dir = pkg ? findPackageDir(pkg, root) : null;
  if (dir === null) return null;
  for (const folder of LIB_FOLDERS) {
    const full = path.join(dir, folder, file);
    if (!fs.existsSync(full)) continue;
    try {
      const mod = await import(pathToFileURL(full).href);
      const value = mod[name] ?? mod.default?.[name];
      if (value !== undefined && value !== null) return { value, where: `${pkg}/${folder}/${file}` };
    } catch {
      // not the SDK's own module
    }
  }
  return null;
}

export async function readSdkMetadata(pkg, root) {
  const meta = (await sdkLibExport(pkg, root, "config.js", "SDK_METADATA"))?.value;
  if (!meta || typeof meta !== "object") return {};
  const details = {};
  if (meta.genVersion) details.gen_version = String(meta.genVersion);
  if (meta.sdkVersion) details.sdk_metadata_version = String(meta.sdkVersion);
  if (meta.openapiDocVersion) details.openapi_doc_version = String(meta.openapiDocVersion);
  return details;
}

/**
 * How the SDK turns an outbound schema's output into a request body: its own
 * `encodeJSON("body", value, {explode: true})` from lib/encodings.js, as
 * Speakeasy's funcs/*.js call it (JSON.stringify with the SDK's replacer, which
 * writes a Uint8Array as base64), else plain `JSON.stringify`.
 */
export async function readSdkWriter(pkg, root) {
  const found = await sdkLibExport(pkg, root, "encodings.js", "encodeJSON");
  const encodeJSON = found?.value;
  if (typeof encodeJSON !== "function") {
    return { write: (value) => JSON.stringify(value), name: "JSON.stringify" };
  }
  return {
    write: (value) => encodeJSON("body", value, { explode: true }),
    name: `${found.where} encodeJSON("body", value, {explode: true})`,
  };
}

/** An object model's wire keys: its inbound schema's input, else its outbound one's output. */
function modelKeys(entry) {
  for (const [schema, inbound] of [[entry.inbound, true], [entry.outbound, false]]) {
    if (!schema) continue;
    try {
      const keys = wireKeys(schema, inbound);
      if (keys !== null) return [...new Set(keys.map(String))];
    } catch {
      // the other side may still tell
    }
  }
  return null;
}

export function listModels() {
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
    const model = { name, directions, kind };
    const keys = modelKeys(entry);
    if (keys !== null) model.keys = keys;
    models.push(model);
  };
  for (const [name, entry] of state.schemas) describeEntry(name, entry);
  for (const [spec, found] of state.byModule) {
    for (const [name, entry] of found) {
      if (state.schemas.get(name) !== entry) describeEntry(`${spec}#${name}`, entry);
    }
  }
  return { models };
}

