// Fern discriminated unions, for the `fern` flavour (node_fern.mjs). In Fern
// TypeScript the discriminant belongs to the union serializer
// (`core.serialization.union("type", {text: ChatTextContent, ...})` or
// `union(discriminant("eventType", "event_type"), {...})`), not to its member's
// object schema: the union takes the discriminant off, reads the rest with the
// member's schema and puts it back under its parsed name. Read alone, a member
// passes the discriminant through as an unknown key, which the SDK, reading
// such a payload through the union, never does. So a member payload whose
// discriminant value a union maps to that member is read and written through
// the union, and one whose value the union maps to another member is not this
// member's to read (node_fern.mjs skips it).
//
// Which union maps which value to which member is found in two steps:
// - the candidate (discriminant, value) pairs come from the text of the
//   serialization files: the first argument and the object literal keys of
//   every `union(` call (a wrong or missed reading only loses candidates);
// - the truth comes from the SDK's own union schemas: each serializer whose
//   getType() is "union" reads `{discriminant: value}` while the `parse` of
//   every other serializer is briefly replaced by a spy, and the first one it
//   calls is the member. Nothing is inferred from names.

import fs from "node:fs";
import path from "node:path";

import { listFiles } from "./node_flavours.mjs";
import { skipExpression, skipString } from "./node_fern_options.mjs";

const UNION_CALL = /(?<![\w$])union\s*\(/g;
const DISCRIMINANT = /discriminant\s*\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*,\s*(["'])((?:\\.|(?!\3).)*)\3\s*\)/;
const STRING = /^\s*(["'])((?:\\.|(?!\1).)*)\1\s*$/;

/** Candidate pairs from the `union(` calls in `files`: Map<raw key, Set<value>>. */
export function unionVocabulary(files) {
  const pairs = new Map();
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const match of text.matchAll(UNION_CALL)) {
      const start = match.index + match[0].length;
      const end = skipExpression(text, start);
      if (text[end] !== ",") continue;
      const key = discriminantKey(text.slice(start, end));
      if (key === null) continue;
      let i = end + 1;
      while (/\s/.test(text[i] ?? "")) i++;
      if (text[i] !== "{") continue;
      const values = pairs.get(key) ?? new Set();
      for (const value of literalKeys(text, i)) values.add(value);
      pairs.set(key, values);
    }
  }
  return pairs;
}

/** The wire key of a union's first argument: a string, or discriminant(parsed, raw)'s raw. */
function discriminantKey(argument) {
  const call = DISCRIMINANT.exec(argument);
  if (call !== null) return unquote(call[3], call[4]);
  const plain = STRING.exec(argument);
  return plain === null ? null : unquote(plain[1], plain[2]);
}

function unquote(quote, body) {
  try {
    return JSON.parse(`"${quote === "'" ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body}"`);
  } catch {
    return null;
  }
}

/** The keys (strings or identifiers) of the object literal at `i`; values are skipped. */
function literalKeys(text, i) {
  const keys = [];
  let j = i + 1;
  for (;;) {
    while (/\s/.test(text[j] ?? "")) j++;
    if (text.startsWith("//", j)) {
      j = text.indexOf("\n", j) + 1 || text.length;
      continue;
    }
    if (text.startsWith("/*", j)) {
      const close = text.indexOf("*/", j);
      j = close < 0 ? text.length : close + 2;
      continue;
    }
    const c = text[j];
    if (c === undefined || c === "}") return keys;
    let key;
    if (c === '"' || c === "'") {
      const end = skipString(text, j);
      key = unquote(c, text.slice(j + 1, end));
      j = end + 1;
    } else {
      const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(j, j + 200));
      if (word === null) return keys; // a spread or computed key: stop reading this literal
      key = word[0];
      j += key.length;
    }
    while (/\s/.test(text[j] ?? "")) j++;
    if (text[j] !== ":") return keys;
    if (key !== null) keys.push(key);
    j = skipExpression(text, j + 1);
    if (text[j] !== ",") return keys;
    j++;
  }
}

/** The JavaScript files of a serialization folder (absolute paths), then `extra`. */
export function serializationFiles(folder, extra = []) {
  if (folder === null) return [...extra];
  const files = listFiles(folder, (name) => /\.(c|m)?js$/.test(name));
  return [...files.map((rel) => path.join(folder, rel)), ...extra];
}

function typeOf(schema) {
  try {
    return schema.getType();
  } catch {
    return undefined;
  }
}

class Stop extends Error {}

/**
 * Map each indexed member model to the unions that read it: entry.unions =
 * [{key, value, union}] for every (key, value) a union maps to that entry.
 * Returns {unions, members}: how many union serializers map a value to an
 * indexed model, and how many models are such members.
 */
export function mapUnionMembers(models, vocabulary) {
  const entries = [...models.values()];
  const unions = entries.filter((entry) => typeOf(entry.schema) === "union");
  if (unions.length === 0 || vocabulary.size === 0) return { unions: 0, members: 0 };
  const originals = new Map();
  let hit = null;
  for (const entry of entries) {
    const schema = entry.schema;
    const parse = schema.parse;
    if (typeof parse !== "function" || originals.has(schema)) continue;
    // A union (an alias of another) passes through; any other serializer is the member.
    const spy =
      typeOf(schema) === "union"
        ? parse
        : function spy() {
            hit = entry;
            throw new Stop();
          };
    try {
      schema.parse = spy;
      if (schema.parse === spy) originals.set(schema, parse);
    } catch {
      // a frozen schema cannot be spied on: it is never found as a member
    }
  }
  const mapping = new Map();
  try {
    for (const union of unions) {
      const parse = originals.get(union.schema) ?? union.schema.parse;
      if (typeof parse !== "function") continue;
      for (const [key, values] of vocabulary) {
        for (const value of values) {
          hit = null;
          try {
            parse.call(union.schema, { [key]: value }, {});
          } catch (error) {
            if (!(error instanceof Stop)) continue;
          }
          if (hit === null || hit === union) continue;
          const list = mapping.get(hit) ?? [];
          list.push({ key, value, union });
          mapping.set(hit, list);
          union.mapsTo ??= new Map();
          union.mapsTo.set(pairKey(key, value), hit);
        }
      }
    }
  } finally {
    for (const [schema, parse] of originals) schema.parse = parse;
  }
  const used = new Set();
  for (const [member, list] of mapping) {
    member.unions = list;
    for (const item of list) used.add(item.union);
  }
  return { unions: used.size, members: mapping.size };
}

function pairKey(key, value) {
  return JSON.stringify([key, value]);
}

/**
 * How the SDK reads `wire` for member `entry`: {through: {key, value, union}}
 * when a union of the member maps the payload's discriminant value to it;
 * {elsewhere: {key, value, union, member}} when such a union maps that value to
 * another member (the SDK reads this payload as that one, never as `entry`);
 * null otherwise (no discriminant of its unions, or a value none of them knows).
 */
export function unionFor(entry, wire) {
  if (!Array.isArray(entry.unions) || wire === null || typeof wire !== "object" || Array.isArray(wire))
    return null;
  let elsewhere = null;
  for (const item of entry.unions) {
    if (!Object.hasOwn(wire, item.key)) continue;
    const value = wire[item.key];
    if (value === item.value) return { through: item };
    const member = typeof value === "string" ? item.union.mapsTo?.get(pairKey(item.key, value)) : undefined;
    if (elsewhere === null && member !== undefined && member !== entry)
      elsewhere = { key: item.key, value, union: item.union, member };
  }
  return elsewhere === null ? null : { elsewhere };
}
