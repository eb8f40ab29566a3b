// JSON text and dates for the Node harness (see node_harness.mjs): exact JSON
// text of native values (bigints as their digits) and Dates as ISO strings.

export function plain(value) {
  return value instanceof Date ? isoString(value) : value;
}

export function isoString(date) {
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString();
}

/** JSON text of a value; bigints as exact digits, Dates as ISO strings. */
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
