// Reading TypeScript declaration files (.d.ts) for the Node harness's
// Stainless flavour (see node_stainless.mjs): the interfaces and type aliases
// a package declares, with their property keys, what each refers to, and the
// parameter and return types of its resource classes' methods.
//
// Not a TypeScript parser: a tokenizer and a reader of the few statement forms
// that tsc emits into declaration files (`interface`, `type`, `namespace`,
// `class` with method signatures); anything else is skipped statement by
// statement. A model's keys are left out (null) where they cannot be told from
// the declarations alone (an `extends` of a generic or unknown type, an index
// signature).

const PUNCT = [
  "=>",
  "...",
  "?.",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "<",
  ">",
  ";",
  ",",
  ":",
  "?",
  "|",
  "&",
  "=",
  ".",
  "*",
  "!",
  "+",
  "-",
  "@",
];

/** The tokens of a declaration file: {t: "id" | "str" | "num" | "tpl" | "p", v}. */
export function tokenize(text) {
  const tokens = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\uFEFF") {
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let value = "";
      while (j < n && text[j] !== c) {
        if (text[j] === "\\") {
          value += unescape(text[j + 1]);
          j += 2;
        } else value += text[j++];
      }
      tokens.push({ t: "str", v: value });
      i = j + 1;
    } else if (c === "`") {
      let j = i + 1;
      let depth = 0;
      while (j < n && !(text[j] === "`" && depth === 0)) {
        if (text[j] === "\\") j++;
        else if (text[j] === "$" && text[j + 1] === "{") depth++;
        else if (text[j] === "}" && depth > 0) depth--;
        j++;
      }
      tokens.push({ t: "tpl", v: text.slice(i + 1, j) });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(text[j])) j++;
      tokens.push({ t: "id", v: text.slice(i, j) });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9a-zA-Z_.]/.test(text[j])) j++;
      tokens.push({ t: "num", v: text.slice(i, j) });
      i = j;
    } else {
      const p = PUNCT.find((item) => text.startsWith(item, i)) ?? c;
      tokens.push({ t: "p", v: p });
      i += p.length;
    }
  }
  return tokens;
}

function unescape(c) {
  return { n: "\n", t: "\t", r: "\r", 0: "\0" }[c] ?? c;
}

const OPEN = { "{": "}", "(": ")", "[": "]", "<": ">" };
const CLOSE = new Set(["}", ")", "]", ">"]);

/** Index after the bracket group opening at `i` (tokens[i] is an opener). */
function skipGroup(tokens, i) {
  const stack = [];
  for (let j = i; j < tokens.length; j++) {
    const tok = tokens[j];
    if (tok.t !== "p") continue;
    if (tok.v in OPEN) stack.push(OPEN[tok.v]);
    else if (CLOSE.has(tok.v)) {
      // `>` closes only a `<`; inside other brackets it is a comparison-free type token
      if (tok.v === ">" && stack[stack.length - 1] !== ">") continue;
      while (stack.length > 0 && stack[stack.length - 1] !== tok.v) stack.pop();
      stack.pop();
      if (stack.length === 0) return j + 1;
    }
  }
  return tokens.length;
}

/** Tokens from `i` up to (not including) a `stop` punctuation at depth 0; returns [slice, index of stop]. */
function until(tokens, i, stops) {
  let j = i;
  while (j < tokens.length) {
    const tok = tokens[j];
    if (tok.t === "p" && stops.includes(tok.v)) break;
    if (tok.t === "p" && tok.v in OPEN) j = skipGroup(tokens, j);
    else if (tok.t === "p" && CLOSE.has(tok.v)) break;
    else j++;
  }
  return [tokens.slice(i, j), j];
}

/** Split a token list at depth-0 `sep` punctuation. */
function splitTop(tokens, sep) {
  const parts = [];
  let current = [];
  for (let j = 0; j < tokens.length;) {
    const tok = tokens[j];
    if (tok.t === "p" && tok.v === sep) {
      parts.push(current);
      current = [];
      j++;
    } else if (tok.t === "p" && tok.v in OPEN) {
      const end = skipGroup(tokens, j);
      current.push(...tokens.slice(j, end));
      j = end;
    } else {
      current.push(tok);
      j++;
    }
  }
  parts.push(current);
  return parts;
}

const NOT_REFS = new Set([
  "string",
  "number",
  "boolean",
  "bigint",
  "symbol",
  "null",
  "undefined",
  "unknown",
  "any",
  "never",
  "object",
  "void",
  "true",
  "false",
  "typeof",
  "keyof",
  "readonly",
  "infer",
  "extends",
  "is",
  "unique",
  "asserts",
  "in",
  "of",
  "new",
]);

/** The type names (dotted) a type's tokens refer to. */
export function typeRefs(tokens) {
  const refs = [];
  for (let j = 0; j < tokens.length; j++) {
    const tok = tokens[j];
    if (tok.t !== "id" || NOT_REFS.has(tok.v)) continue;
    const before = tokens[j - 1];
    if (before && before.t === "p" && before.v === ".") continue;
    let name = tok.v;
    let k = j + 1;
    while (tokens[k]?.v === "." && tokens[k + 1]?.t === "id") {
      name += "." + tokens[k + 1].v;
      k += 2;
    }
    const next = tokens[k];
    const keyOfLiteral =
      next && next.t === "p" && (next.v === ":" || (next.v === "?" && tokens[k + 1]?.v === ":"));
    if (!keyOfLiteral) refs.push(name);
    j = k - 1;
  }
  return refs;
}

/** What a type's tokens are: object, enum, union, literal, array, scalar, intersection or other. */
function typeKind(tokens) {
  let parts = splitTop(tokens, "|").filter((part) => part.length > 0);
  if (parts.length > 1) {
    return parts.every((part) => part.length === 1 && part[0].t === "str") ? "enum" : "union";
  }
  if (splitTop(tokens, "&").length > 1) return "intersection";
  parts = parts[0] ?? [];
  if (parts.length === 1 && (parts[0].t === "str" || parts[0].t === "num")) return "literal";
  if (parts.length === 1 && (parts[0].v === "true" || parts[0].v === "false")) return "literal";
  if (parts.length === 1 && ["string", "number", "boolean", "bigint"].includes(parts[0].v)) return "scalar";
  if (parts[0]?.v === "{" && skipGroup(parts, 0) === parts.length) return "object";
  if (parts[0]?.v === "Array" || parts[0]?.v === "ReadonlyArray") return "array";
  if (parts.length >= 2 && parts[parts.length - 1].v === "]" && parts[parts.length - 2].v === "[")
    return "array";
  return "other";
}

/** The members of an object type body (tokens between its braces): {keys, refs, open}. */
function readMembers(body) {
  const keys = [];
  const refs = [];
  let open = false; // an index signature: keys beyond the listed ones
  for (const member of splitTop(body, ";").flatMap((part) => splitTop(part, ","))) {
    let m = member;
    if (m.length === 0) continue;
    if (m[0].v === "readonly" && m[1] && !(m[1].t === "p" && [":", "?", "("].includes(m[1].v)))
      m = m.slice(1);
    if (m[0].t === "p" && m[0].v === "[") {
      open = true;
      const end = skipGroup(m, 0);
      refs.push(...typeRefs(m.slice(end)));
      continue;
    }
    if (m[0].t !== "id" && m[0].t !== "str" && m[0].t !== "num") continue;
    let k = 1;
    if (m[k]?.v === "?") k++;
    if (m[k]?.v !== ":") continue; // a method or call signature: not a wire key
    keys.push(m[0].v);
    refs.push(...typeRefs(m.slice(k + 1)));
  }
  return { keys, refs, open };
}

/**
 * The declarations of one file: {types: [{name, kind, keys, open, refs, bases, aliasOf}],
 * methods: [{owner, name, params: [refs], returns: [refs]}]}. Names inside
 * `namespace N { ... }` are "N.Name".
 */
export function readDeclarations(text) {
  const tokens = tokenize(text);
  const out = { types: [], methods: [] };
  readBlock(tokens, 0, tokens.length, "", out);
  return out;
}

const MODIFIERS = new Set(["export", "declare", "default", "abstract", "async"]);

function readBlock(tokens, start, end, prefix, out) {
  let i = start;
  while (i < end) {
    while (i < end && tokens[i].t === "id" && MODIFIERS.has(tokens[i].v) && tokens[i + 1]?.t === "id") i++;
    const tok = tokens[i];
    if (tok.t === "id" && tok.v === "interface" && tokens[i + 1]?.t === "id") {
      i = readInterface(tokens, i + 1, prefix, out);
    } else if (tok.t === "id" && tok.v === "type" && tokens[i + 1]?.t === "id" && tokens[i + 2]?.t === "p") {
      i = readAlias(tokens, i + 1, prefix, out);
    } else if (tok.t === "id" && (tok.v === "namespace" || tok.v === "module") && tokens[i + 1]?.t === "id") {
      let name = tokens[i + 1].v;
      let j = i + 2;
      while (tokens[j]?.v === "." && tokens[j + 1]?.t === "id") {
        name += "." + tokens[j + 1].v;
        j += 2;
      }
      if (tokens[j]?.v !== "{") {
        i = j;
        continue;
      }
      const close = skipGroup(tokens, j);
      readBlock(tokens, j + 1, close - 1, `${prefix}${name}.`, out);
      i = close;
    } else if (tok.t === "id" && tok.v === "class" && tokens[i + 1]?.t === "id") {
      i = readClass(tokens, i + 1, prefix, out);
    } else if (tok.t === "id" && tok.v === "enum") {
      let j = i + 1;
      while (j < end && tokens[j].v !== "{") j++;
      i = skipGroup(tokens, j);
    } else if (tok.t === "p" && tok.v === "{") {
      i = skipGroup(tokens, i);
    } else {
      // any other statement: up to its `;` (or a closing brace of this block)
      const [, stop] = until(tokens, i, [";"]);
      i = stop < end && tokens[stop].v === ";" ? stop + 1 : Math.max(stop, i + 1);
    }
  }
}

function readTypeParams(tokens, i) {
  return tokens[i]?.v === "<" ? skipGroup(tokens, i) : i;
}

function readInterface(tokens, i, prefix, out) {
  const name = prefix + tokens[i].v;
  let j = readTypeParams(tokens, i + 1);
  const bases = [];
  if (tokens[j]?.v === "extends") {
    const [list, stop] = until(tokens, j + 1, ["{"]);
    for (const part of splitTop(list, ",")) bases.push(part);
    j = stop;
  }
  if (tokens[j]?.v !== "{") return j + 1;
  const close = skipGroup(tokens, j);
  const members = readMembers(tokens.slice(j + 1, close - 1));
  out.types.push({
    name,
    kind: "object",
    keys: members.keys,
    open: members.open,
    refs: [...members.refs, ...bases.flatMap((base) => typeRefs(base))],
    bases: bases.map((base) =>
      base.length > 0 && base.every((t) => t.t === "id" || t.v === ".")
        ? base.map((t) => t.v).join("")
        : null,
    ),
    aliasOf: null,
  });
  return close;
}

function readAlias(tokens, i, prefix, out) {
  const name = prefix + tokens[i].v;
  let j = readTypeParams(tokens, i + 1);
  if (tokens[j]?.v !== "=") return j + 1;
  const [rhs, stop] = until(tokens, j + 1, [";"]);
  const kind = typeKind(rhs);
  const entry = { name, kind, keys: null, open: false, refs: typeRefs(rhs), bases: [], aliasOf: null };
  if (kind === "object") {
    const members = readMembers(rhs.slice(1, -1));
    entry.keys = members.keys;
    entry.open = members.open;
  } else if (rhs.length > 0 && rhs.every((t) => t.t === "id" || t.v === ".")) {
    entry.aliasOf = rhs.map((t) => t.v).join("");
  }
  out.types.push(entry);
  return stop + 1;
}

function readClass(tokens, i, prefix, out) {
  const owner = prefix + tokens[i].v;
  let j = i + 1;
  while (j < tokens.length && tokens[j].v !== "{") j = tokens[j].v === "<" ? skipGroup(tokens, j) : j + 1;
  const close = skipGroup(tokens, j);
  const body = tokens.slice(j + 1, close - 1);
  for (const member of splitTop(body, ";")) {
    let m = member;
    while (
      m.length > 1 &&
      ["static", "protected", "private", "public", "readonly", "abstract", "async", "get", "set"].includes(
        m[0].v,
      ) &&
      m[1].t === "id"
    )
      m = m.slice(1);
    if (m[0]?.t !== "id" || m[0].v === "constructor") continue;
    let k = 1;
    if (m[k]?.v === "?") k++;
    k = readTypeParams(m, k);
    if (m[k]?.v !== "(") continue;
    const paramsEnd = skipGroup(m, k);
    const params = splitTop(m.slice(k + 1, paramsEnd - 1), ",")
      .map((param) => {
        const colon = param.findIndex((t) => t.v === ":");
        return colon < 0 ? [] : typeRefs(param.slice(colon + 1));
      })
      .flat();
    const returns = m[paramsEnd]?.v === ":" ? typeRefs(m.slice(paramsEnd + 1)) : [];
    out.methods.push({ owner, name: m[0].v, params, returns });
  }
  return close;
}
