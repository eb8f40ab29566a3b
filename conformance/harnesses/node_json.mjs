// JSON text for the Node harness (see node_harness.mjs): exact JSON text of the
// SDK's native values (bigints as their digits, Dates through their toJSON).
// It only shows what the SDK made; it never converts a value on the SDK's behalf.

/** JSON text of a value; bigints as exact digits, Dates as their toJSON (ISO) strings. */
export function stringifyExact(value) {
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

/** The payload text of a run request's case (its one copy of the payload). */
export function caseText(testCase) {
  const text = testCase?.wire_text;
  if (typeof text !== "string") throw new Error("the case has no wire_text (the payload's text)");
  return text;
}
