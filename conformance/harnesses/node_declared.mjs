// Models declared in an SDK's .d.ts files, for the flavours whose models are plain
// TypeScript types (Stainless; Fern's newer generation): each type with its keys
// (those of the interfaces it extends too), the type it aliases, and its
// directions. A type reachable (through property types, `extends` and alias
// right-hand sides) from a parameter type of a client method is sent; one
// reachable from a return type is read; the flavour's own rule (`directions`)
// turns that into the type's directions, and may name types of its own where
// neither tells.

import fs from "node:fs";
import path from "node:path";

import { readDeclarations } from "./node_dts.mjs";
import { ModelRegistry, acceptedLine, listFiles, rejectedAnswer, skippedAnswer } from "./node_flavours.mjs";
import { caseText } from "./node_json.mjs";

/**
 * The registry of the types declared in `files` (relative to `dir`).
 * `directions(type, sent, read)`: the directions of a type the client methods send
 * and/or read; `clientFile(file)`: a file whose own types are no models (its
 * methods still count).
 */
export function declaredModels(dir, files, { directions, clientFile = () => false }) {
  const types = [];
  const methods = [];
  for (const file of files) {
    const found = readDeclarations(fs.readFileSync(path.join(dir, file), "utf8"));
    if (!clientFile(file)) for (const type of found.types) types.push({ ...type, file });
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
    const target = type.aliasOf ? resolve(type.aliasOf, type) : null;
    registry.add(type.name, type.file, {
      directions: directions(type, sent.has(type), read.has(type)),
      kind: target ? target.kind : type.kind,
      keys: keysOf(type, resolve, new Set()) ?? (target ? keysOf(target, resolve, new Set()) : null),
      aliasOf: target ? target.name : null,
    });
  }
  return registry;
}

/**
 * The declaration files of `folder` (relative to `dir`): the folder's files named like
 * `dts` (default `.d.ts`), below folders not named in `skip`; or the folder itself when
 * it is one file.
 */
export function declarationFiles(dir, folder, { dts = /\.d\.ts$/, skip = undefined } = {}) {
  const full = path.join(dir, folder);
  if (!fs.existsSync(full)) return [];
  if (!folder.endsWith("/") && fs.statSync(full).isFile()) return [folder];
  const prefix = folder.endsWith("/") ? folder : `${folder}/`;
  return listFiles(full, (name) => dts.test(name), skip).map((rel) => prefix + rel);
}

/** A registry entry as the harness's `models` answer lists it. */
export function describeModel(item) {
  const model = { name: item.name, directions: item.directions, kind: item.kind };
  if (item.aliasOf) model.alias_of = item.aliasOf;
  if (item.keys) model.keys = item.keys;
  return model;
}

/**
 * The type a reference names, seen from `from`: a name of the enclosing
 * namespaces (innermost first), of the same file, of any file; else the same
 * without its first segment (an import alias such as `Shared.Metadata`).
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
  for (const base of type.bases) {
    const parent = base === null ? null : resolve(base, type);
    const inherited = parent === null ? null : keysOf(parent, resolve, seen);
    if (inherited === null) return null;
    keys.push(...inherited);
  }
  return [...new Set(keys)];
}

/**
 * One case through a flavour of declared models, as its client reads and sends them:
 * `codec.read(text)` is what the client hands its user for a response body,
 * `codec.readRequest(text)` the user's object of a request, `codec.write(value)` the body
 * text the client sends (a value that is no string: none). A response-only model is
 * accepted, not written; a response the writer fails on is accepted, not written, with a
 * warning (the SDK never writes a response); a request it fails on is rejected, and one it
 * makes no text of is skipped (`codec.noText.skip`) or rejected, saying `codec.noText.why`.
 * `codec.writer` names the writer in a failure.
 */
export async function runDeclared(seq, testCase, registry, codec) {
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
  try {
    native = direction === "response" ? await codec.read(text) : codec.readRequest(text);
  } catch (error) {
    return rejectedAnswer(seq, error);
  }
  if (direction === "response" && !model.directions.includes("request")) {
    return acceptedLine(seq, native, null);
  }
  let wireText;
  try {
    wireText = await codec.write(native);
  } catch (error) {
    const why = `${codec.writer} failed: ${error?.message ?? error}`;
    if (direction === "response") return acceptedLine(seq, native, null, [unwritable(why)]);
    return rejectedAnswer(seq, why);
  }
  if (typeof wireText !== "string") {
    const why = codec.noText.why;
    if (direction === "response") return acceptedLine(seq, native, null, [unwritable(why)]);
    return codec.noText.skip ? skippedAnswer(seq, why) : rejectedAnswer(seq, why);
  }
  return acceptedLine(seq, native, wireText);
}

function unwritable(why) {
  return `the SDK read the response but could not write it back: ${why}`;
}
