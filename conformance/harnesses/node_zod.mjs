// Walking zod schemas for the Node harness (see node_harness.mjs): what a
// schema is (`kindOf`), and `backward`, which undoes a schema (key renames,
// Dates) to go from its output space back to its input space.
//
// The inverse key map: a zod object's `.transform(v => remap(v, {...}))` is
// probed by calling the transform on an object of markers (one per shape key,
// plus one unknown key to find where extra keys are collected, as
// `collectExtraKeys` does) and seeing where each marker lands. Works for zod 3
// (`_def`) and zod 4 / zod 4-mini (`_zod.def`) schemas; results are cached per
// schema object.

import { isoString, plain } from "./node_json.mjs";

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
export function kindOf(schema, depth = 0) {
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
export function backward(schema, value, depth = 0) {
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
