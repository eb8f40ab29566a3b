// Harness flavours for the Node harness (see node_harness.mjs): how it reads
// and writes with one generator's SDK. `speakeasy` and `zod` are the harness's
// own zod path (node_harness.mjs, node_discovery.mjs); `fern` (node_fern.mjs)
// and `stainless` (node_stainless.mjs) find what they need inside
// `<root>/node_modules/<package>/` themselves. A flavour module's `start`
// returns {details, warnings, models(), run(seq, case)} or throws a
// FlavourError whose message is the start error.
//
// Shared here: the package's folder and files, a registry of models by name
// (the first file that declares a name wins it; a later one is
// "<file>#<name>", as node_discovery.mjs does for modules), and the answer
// lines (exact JSON text of what the SDK made).

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { findPackageDir } from "./node_discovery.mjs";
import { stringifyExact } from "./node_json.mjs";

export const FLAVOURS = ["speakeasy", "zod", "fern", "stainless"];

/** A start error: the harness answers `ready: false` with this message. */
export class FlavourError extends Error {}

/** Start the `fern` or `stainless` flavour for `options` (root, package, modules). */
export async function startFlavour(flavor, options) {
  const module = flavor === "fern" ? await import("./node_fern.mjs") : await import("./node_stainless.mjs");
  return module.start(options);
}

/** The installed package's folder under `root`'s node_modules; a FlavourError when absent. */
export function packageFolder(options, flavor) {
  const pkg = options.package;
  if (typeof pkg !== "string" || pkg === "") {
    throw new FlavourError(`flavor ${flavor}: options.package must name the SDK's npm package`);
  }
  const root = options.root || process.cwd();
  const dir = findPackageDir(pkg, root);
  if (dir === null) throw new FlavourError(`flavor ${flavor}: cannot find package ${pkg} from ${root}`);
  let version = "";
  try {
    version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version || "";
  } catch {
    // no version to report
  }
  return { pkg, root, dir, version };
}

/**
 * Files below `dir` (relative paths, name order, level by level) whose name
 * passes `keep`; folders named in `skip` (and node_modules) are not entered.
 */
export function listFiles(dir, keep, skip = new Set()) {
  const found = [];
  const queue = [""];
  while (queue.length > 0) {
    const rel = queue.shift();
    let entries;
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const next = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !skip.has(next) && !skip.has(entry.name)) queue.push(next);
      } else if (entry.isFile() && keep(entry.name)) {
        found.push(next);
      }
    }
  }
  return found;
}

/** The first of `candidates` (paths relative to `dir`) that exists, or null. */
export function firstExisting(dir, candidates) {
  for (const candidate of candidates) {
    if (fs.existsSync(path.join(dir, candidate))) return candidate;
  }
  return null;
}

/** Import a file of the package by its path (its exports map may not publish it). */
export async function importFile(dir, rel) {
  const namespace = await import(pathToFileURL(path.join(dir, rel)).href);
  return { namespace, get: (name) => namespace[name] ?? namespace.default?.[name] };
}

/** Models by name: the first registration of a name wins it; a later one is "<where>#<name>". */
export class ModelRegistry {
  constructor() {
    this.byName = new Map();
    this.all = [];
  }

  add(name, where, entry) {
    const full = this.byName.has(name) ? `${where}#${name}` : name;
    if (this.byName.has(full)) return;
    const item = { ...entry, name: full };
    this.byName.set(full, item);
    this.all.push(item);
  }

  get(name) {
    return this.byName.get(name);
  }
}

/** An accepted answer's line: the SDK's exact wire text (or written: false) and its native view. */
export function acceptedLine(seq, native, wireText, warnings = []) {
  const nativeText = stringifyExact(native) ?? "null";
  const notes = warnings.length > 0 ? `,"warnings":${JSON.stringify(warnings)}` : "";
  if (wireText === null) {
    return `{"seq":${JSON.stringify(seq)},"accepted":true,"written":false,"native":${nativeText}${notes}}`;
  }
  if (typeof wireText !== "string") {
    return { seq, accepted: false, error: "the SDK's output has no JSON text" };
  }
  return (
    `{"seq":${JSON.stringify(seq)},"accepted":true,"wire_text":${JSON.stringify(wireText)},` +
    `"native":${nativeText}${notes}}`
  );
}

/** A rejected answer; `where` (wire keys and indices) becomes error_path. */
export function rejectedAnswer(seq, error, where = null) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { seq, accepted: false, error: message, ...(where ? { error_path: where } : {}) };
}

/** A skipped answer. */
export function skippedAnswer(seq, reason) {
  return { seq, skipped: true, reason };
}

/** A JSON response as a fetch Response, the way the SDK's own reader receives one. */
export function jsonResponse(text) {
  return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
}
