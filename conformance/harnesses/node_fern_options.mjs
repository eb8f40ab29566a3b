// The options a Fern SDK's own client code passes to its serializers (see
// node_fern.mjs): the object literal after the first argument of every
// `.parseOrThrow(` and `.jsonOrThrow(` call in the package's JavaScript files,
// outside `serialization/`, `core/`, tests and a nested `dist/` copy.
//
// Only literals are read (strings, numbers, booleans, null, and arrays of
// them): the harness never evaluates the SDK's code. A call whose options are
// not such a literal is counted apart.

import fs from "node:fs";
import path from "node:path";

import { listFiles } from "./node_flavours.mjs";

const SKIP = new Set(["serialization", "core", "dist", "test", "tests", "__tests__"]);
const CALL = /\.(parseOrThrow|jsonOrThrow)\s*\(/g;

/** {read, write}: each {chosen, count, total, others: [[text, count]], nonLiteral}. */
export function readCallOptions(base) {
  const tallies = { parseOrThrow: new Map(), jsonOrThrow: new Map() };
  const nonLiteral = { parseOrThrow: 0, jsonOrThrow: 0 };
  for (const rel of listFiles(base, (name) => /\.(c|m)?js$/.test(name), SKIP)) {
    const text = fs.readFileSync(path.join(base, rel), "utf8");
    for (const match of text.matchAll(CALL)) {
      const method = match[1];
      const options = optionsAfter(text, match.index + match[0].length);
      if (options === undefined) continue; // one argument: the schema's defaults, no options passed
      if (options === null) {
        nonLiteral[method]++;
        continue;
      }
      const key = JSON.stringify(options);
      tallies[method].set(key, (tallies[method].get(key) ?? 0) + 1);
    }
  }
  return {
    read: choose(tallies.parseOrThrow, nonLiteral.parseOrThrow),
    write: choose(tallies.jsonOrThrow, nonLiteral.jsonOrThrow),
  };
}

function choose(tally, nonLiteral) {
  const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const total = ranked.reduce((sum, [, count]) => sum + count, 0) + nonLiteral;
  if (ranked.length === 0) return { chosen: null, count: 0, total, others: [], nonLiteral };
  return {
    chosen: JSON.parse(ranked[0][0]),
    count: ranked[0][1],
    total,
    others: ranked.slice(1),
    nonLiteral,
  };
}

/**
 * The options literal of a call whose argument list starts at `i`: its value,
 * undefined when the call has one argument, null when the second is no literal.
 */
function optionsAfter(text, i) {
  const end = skipExpression(text, i);
  if (text[end] !== ",") return undefined;
  let j = end + 1;
  while (/\s/.test(text[j] ?? "")) j++;
  if (text[j] === ")") return undefined;
  if (text[j] !== "{") return null;
  const reader = new LiteralReader(text, j);
  try {
    const value = reader.value();
    reader.space();
    return text[reader.i] === ")" || text[reader.i] === "," ? value : null;
  } catch {
    return null;
  }
}

/** Index of the `,` or `)` ending the argument that starts at `i` (strings and brackets skipped). */
export function skipExpression(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"' || c === "'" || c === "`") {
      j = skipString(text, j);
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return j;
      depth--;
    } else if (c === "," && depth === 0) return j;
  }
  return text.length;
}

export function skipString(text, i) {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === quote) return j;
  }
  return text.length;
}

/** A reader of JavaScript object literals made of JSON-like values only. */
class LiteralReader {
  constructor(text, i) {
    this.text = text;
    this.i = i;
  }

  space() {
    for (;;) {
      while (/\s/.test(this.text[this.i] ?? "")) this.i++;
      if (this.text.startsWith("//", this.i))
        this.i = this.text.indexOf("\n", this.i) + 1 || this.text.length;
      else if (this.text.startsWith("/*", this.i)) this.i = this.text.indexOf("*/", this.i) + 2;
      else return;
    }
  }

  value() {
    this.space();
    const c = this.text[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"' || c === "'") return this.string();
    const word = /^(true|false|null|-?\d+(\.\d+)?)\b/.exec(this.text.slice(this.i, this.i + 40));
    if (word === null) throw new Error("not a literal");
    this.i += word[0].length;
    return JSON.parse(word[0]);
  }

  object() {
    const out = {};
    this.i++;
    for (;;) {
      this.space();
      if (this.text[this.i] === "}") {
        this.i++;
        return out;
      }
      const c = this.text[this.i];
      let key;
      if (c === '"' || c === "'") key = this.string();
      else {
        const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.i, this.i + 100));
        if (word === null) throw new Error("not a key");
        key = word[0];
        this.i += key.length;
      }
      this.space();
      if (this.text[this.i] !== ":") throw new Error("not a key: value pair");
      this.i++;
      out[key] = this.value();
      this.space();
      if (this.text[this.i] === ",") this.i++;
    }
  }

  array() {
    const out = [];
    this.i++;
    for (;;) {
      this.space();
      if (this.text[this.i] === "]") {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.text[this.i] === ",") this.i++;
    }
  }

  string() {
    const quote = this.text[this.i];
    const end = skipString(this.text, this.i);
    const body = this.text.slice(this.i + 1, end);
    this.i = end + 1;
    return JSON.parse(`"${quote === "'" ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body}"`);
  }
}
