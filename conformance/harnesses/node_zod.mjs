// Walking zod schemas for the Node harness (see node_harness.mjs): what a
// schema is (`kindOf`) and an object model's wire keys (`wireKeys`), for the
// models listing, and whether its input is the wire shape itself
// (`wireShaped`). Works for zod 3 (`_def`) and zod 4 / zod 4-mini (`_zod.def`)
// schemas.
//
// The harness never undoes a schema (no inverse key map, no Date parsing, no
// union member picking): it only reads whether the SDK's own schema would take
// the wire JSON as its input unchanged.

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
    case "ZodPipeline":
      return { t: "pipe", in: def.in, out: def.out };
    default:
      return describeLeaf(String(def.typeName ?? "").replace(/^Zod/, "").toLowerCase(), def);
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
    default:
      return describeLeaf(def.type, def);
  }
}

/** What zod 3 (type name without "Zod", lower case) and zod 4 (`def.type`) name alike. */
function describeLeaf(type, def) {
  switch (type) {
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
    case "nativeenum":
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

/**
 * The wire keys of an object model, or null when the schema is no object.
 * Inbound, the wire is the schema's input: the object's own keys, under
 * wrappers, lazies and a transform's or pipe's input. Outbound, the wire is
 * its output: a transform over the object (Speakeasy's `remap$` renaming
 * camelCase keys) is run on an object of the keys (each null), and the keys it
 * returns are the wire's; a transform that fails or returns no
 * plain object gives null.
 */
export function wireKeys(schema, inbound, depth = 0) {
  if (depth > 20) return null;
  const d = node(schema);
  switch (d.t) {
    case "object":
      return Object.keys(d.shape ?? {});
    case "wrap":
      return wireKeys(d.inner, inbound, depth + 1);
    case "lazy":
      return wireKeys(d.get(), inbound, depth + 1);
    case "pipe":
      return wireKeys(inbound ? d.in : d.out, inbound, depth + 1);
    case "transformed": {
      const keys = d.inner ? wireKeys(d.inner, inbound, depth + 1) : null;
      if (keys === null || inbound) return keys;
      return renamedKeys(keys, d.fn);
    }
    default:
      return null;
  }
}

function renamedKeys(keys, fn) {
  let out;
  try {
    // null values: a transform that spreads a bucket key (`...v.additionalProperties`) adds nothing
    out = fn(Object.fromEntries(keys.map((key) => [key, null])), { addIssue() {}, issues: [], path: [] });
  } catch {
    return null;
  }
  if (out === null || typeof out !== "object" || Array.isArray(out)) return null;
  if (Object.getPrototypeOf(out) !== Object.prototype) return null; // a Promise, a Date...
  return Object.keys(out);
}

// Schema nodes whose input is the JSON value they describe (zod 3 typeName, zod 4 def.type).
const JSON_LEAVES = new Set([
  "ZodString", "ZodNumber", "ZodBoolean", "ZodNull", "ZodLiteral", "ZodEnum", "ZodNativeEnum",
  "ZodAny", "ZodUnknown", "ZodNever",
  "string", "number", "int", "boolean", "null", "literal", "enum", "any", "unknown", "never",
]);

const shaped = new WeakMap();

/**
 * Whether a schema takes a wire JSON value as its input unchanged: it renames
 * no key and converts no value (no transform, pipe, preprocess or refinement
 * anywhere in it, no Date, bigint, Set, Map or instanceof), so the object a user
 * passes to it has the wire's keys and values. Only then may a request's wire
 * payload be handed to an outbound schema as the user's object. A recursive
 * schema is judged by its other parts (true while it is being judged).
 */
export function wireShaped(schema) {
  if (schema === null || typeof schema !== "object") return false;
  const known = shaped.get(schema);
  if (known !== undefined) return known;
  shaped.set(schema, true);
  let result;
  try {
    const children = childrenOf(schema);
    result = children !== null && children.every((child) => wireShaped(child));
  } catch {
    result = false;
  }
  shaped.set(schema, result);
  return result;
}

/** The schemas a JSON-shaped node is made of, or null when the node is not JSON-shaped. */
function childrenOf(schema) {
  const v4 = schema._zod?.def;
  const def = v4 ?? schema._def;
  if (!def) return null;
  const type = v4 ? def.type : def.typeName;
  if (JSON_LEAVES.has(type)) return [];
  switch (type) {
    case "ZodObject":
    case "object": {
      const shape = typeof def.shape === "function" ? def.shape() : def.shape;
      return [...Object.values(shape), ...(def.catchall ? [def.catchall] : [])];
    }
    case "ZodOptional":
    case "ZodNullable":
    case "ZodDefault":
    case "ZodCatch":
    case "ZodReadonly":
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return [def.innerType];
    case "ZodBranded":
      return [def.type];
    case "ZodLazy":
    case "lazy":
      return [def.getter()];
    case "ZodArray":
      return [def.type];
    case "array":
      return [def.element];
    case "ZodRecord":
    case "record":
      return [def.keyType, def.valueType].filter(Boolean);
    case "ZodUnion":
    case "ZodDiscriminatedUnion":
    case "union":
      return [...(def.options instanceof Map ? def.options.values() : def.options)];
    case "ZodIntersection":
    case "intersection":
      return [def.left, def.right];
    case "ZodTuple":
    case "tuple":
      return [...def.items, ...(def.rest ? [def.rest] : [])];
    default:
      return null;
  }
}
