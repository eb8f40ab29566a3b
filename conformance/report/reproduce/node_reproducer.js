// The body of a Node reproducer (``conformance findings --reproduce``): node_script.py writes
// the finding's constants (FINDING, WIRE_TEXT, EXPECTED, ...) before it and the generators'
// functions where the marked line is. Not a module of its own.

const FORMATS = ["number-format", "datetime-format"];
// The kinds a read-only SDK's native view is checked for (conformance/comparison/views.py).
const VIEW_KINDS = ["value", "type", "missing", "extra"];
const GLOB = /[*?[]/;
const CONDITIONS = ["node", "import", "module", "default", "require"];
const LIB_FOLDERS = ["lib", "esm/lib", "dist/esm/lib", "dist/lib", "dist/commonjs/lib"];

class ScriptError extends Error {}

// ------------------------------------------------------------ finding the SDK's modules

function packageDir(name) {
  let dir = path.resolve(ROOT);
  for (;;) {
    const candidate = path.join(dir, "node_modules", ...name.split("/"));
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function splitSpecifier(spec) {
  const parts = spec.split("/");
  const count = spec.startsWith("@") ? 2 : 1;
  const rest = parts.slice(count).join("/");
  return { name: parts.slice(0, count).join("/"), subpath: rest ? "./" + rest : "." };
}

function pick(target) {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) return target.map(pick).find(Boolean) ?? null;
  if (target && typeof target === "object") {
    for (const condition of CONDITIONS) {
      const picked = condition in target ? pick(target[condition]) : null;
      if (picked) return picked;
    }
  }
  return null;
}

/** A bare specifier through its package's exports map (an ESM-only package's way in). */
function throughExports(spec) {
  const { name, subpath } = splitSpecifier(spec);
  const dir = packageDir(name);
  if (dir === null) throw new ScriptError(`cannot find package ${name} from ${ROOT}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  let map = manifest.exports;
  if (map === undefined) {
    const main = manifest.module || manifest.main || "index.js";
    return path.join(dir, subpath === "." ? main : subpath);
  }
  const bare = typeof map === "string" || Array.isArray(map);
  if (bare || !Object.keys(map).some((k) => k.startsWith("."))) {
    map = { ".": map };
  }
  const exact = subpath in map ? pick(map[subpath]) : null;
  if (exact) return path.join(dir, exact);
  for (const key of Object.keys(map).sort((a, b) => b.length - a.length)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    const fits = subpath.startsWith(prefix) && subpath.endsWith(suffix);
    if (fits && subpath.length >= key.length - 1) {
      const target = pick(map[key]);
      const match = subpath.slice(prefix.length, subpath.length - suffix.length);
      if (target) return path.join(dir, target.replaceAll("*", match));
    }
  }
  throw new ScriptError(`${spec} is not exported by ${name}`);
}

function resolveFile(spec) {
  if (spec.startsWith("file:")) return fileURLToPath(spec);
  if (path.isAbsolute(spec)) return spec;
  if (spec.startsWith("./") || spec.startsWith("../")) return path.resolve(ROOT, spec);
  try {
    return createRequire(path.join(path.resolve(ROOT), "package.json")).resolve(spec);
  } catch {
    return throughExports(spec);
  }
}

function segmentRegExp(glob) {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const end = c === "[" ? glob.indexOf("]", i + 2) : -1;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (end > i) {
      const body = glob.slice(i + 1, end);
      out += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
      i = end;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`, "s");
}

function matches(parts, segments) {
  if (segments.length === 0) return parts.length === 0;
  const [head, ...rest] = segments;
  if (head === "**") return parts.some((_, n) => matches(parts.slice(n + 1), rest));
  return parts.length > 0 && segmentRegExp(head).test(parts[0]) && matches(parts.slice(1), rest);
}

/** The module files of one `modules` entry: a file, a folder's own .js/.mjs files, or a glob. */
function expand(spec) {
  if (!spec.endsWith("/") && !GLOB.test(spec)) return [{ spec, file: resolveFile(spec) }];
  const segments = spec.replace(/\/+$/, "").split("/");
  let count = segments.findIndex((segment) => GLOB.test(segment));
  if (count < 0) count = segments.length;
  const staticSpec = segments.slice(0, count).join("/");
  const rest = segments.slice(count);
  // The folder is where a file in it resolves to (through the package's exports map).
  const base = path.dirname(resolveFile(`${staticSpec}/reproducer-probe.js`));
  const found = [];
  const queue = [[]];
  while (queue.length > 0) {
    const parts = queue.shift();
    let entries = [];
    try {
      entries = fs.readdirSync(path.join(base, ...parts), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const next = [...parts, entry.name];
      const directory = fs.statSync(path.join(base, ...next)).isDirectory();
      if (rest.length === 0) {
        if (!directory && /\.m?js$/.test(entry.name)) found.push(next);
      } else if (directory) {
        queue.push(next);
      } else if (matches(next, rest)) {
        found.push(next);
      }
    }
  }
  return found.map((parts) => ({
    spec: `${staticSpec}/${parts.join("/")}`,
    file: path.join(base, ...parts),
  }));
}

async function findModel() {
  const hash = MODEL.lastIndexOf("#");
  const only = hash > 0 ? MODEL.slice(0, hash) : null;
  const name = hash > 0 ? MODEL.slice(hash + 1) : MODEL;
  for (const entry of MODULES) {
    for (const item of expand(entry)) {
      if (only !== null && item.spec !== only) continue;
      let namespace;
      try {
        namespace = await import(pathToFileURL(item.file).href);
      } catch (error) {
        if (item.spec !== entry) continue;
        throw new ScriptError(`cannot import ${entry}: ${error?.message ?? error}`);
      }
      const schema = (side) => {
        const key = `${name}$${side}Schema`;
        const value = namespace[key] ?? namespace.default?.[key];
        return value && typeof value.parse === "function" ? value : null;
      };
      const inbound = schema("inbound");
      const outbound = schema("outbound");
      if (inbound || outbound) return { inbound, outbound };
    }
  }
  throw new ScriptError(`model ${MODEL} not found in ${MODULES.join(", ")}`);
}

/** The SDK's request-body writer: lib/encodings.js encodeJSON, else JSON.stringify. */
async function sdkWriter() {
  const dir = PACKAGE ? packageDir(PACKAGE) : null;
  for (const folder of dir === null ? [] : LIB_FOLDERS) {
    const file = path.join(dir, folder, "encodings.js");
    if (!fs.existsSync(file)) continue;
    try {
      const lib = await import(pathToFileURL(file).href);
      const encodeJSON = lib.encodeJSON ?? lib.default?.encodeJSON;
      if (typeof encodeJSON === "function") {
        return (value) => encodeJSON("body", value, { explode: true });
      }
    } catch {
      // not the SDK's own module
    }
  }
  return (value) => JSON.stringify(value);
}

// ------------------------------------------------------------ calling the SDK

function sdkError(error) {
  const issues = error?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((i) => `${(i.path ?? []).join(".") || "$"}: ${i.message}`).join("; ");
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function payloadText() {
  if (SOURCE.length === 0) return WIRE_TEXT;
  try {
    return execFileSync(SOURCE[0], [...SOURCE.slice(1), "--write"], {
      encoding: "utf-8",
      timeout: 60000,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const said = String(error.stderr || error.stdout || error.message).trim().slice(-500);
    throw new ScriptError(`the writing SDK wrote nothing to read: ${said}`);
  }
}

async function runSdk() {
  const wireText = payloadText();
  if (FLAVOR === "fern") return runFern(wireText);
  // A Stainless SDK hands its user the object it read under the wire's own keys: a
  // response it never writes is checked there (`view`), as the run compared its view.
  if (FLAVOR === "stainless") {
    return { ...(await runStainless(wireText)), view: DIRECTION === "response" };
  }
  const model = await findModel();
  const write = await sdkWriter();
  if (DIRECTION === "response" && !model.inbound) {
    throw new ScriptError(`${MODEL} has no $inboundSchema: the SDK never reads it`);
  }
  if (DIRECTION === "request" && !model.outbound) {
    throw new ScriptError(`${MODEL} has no $outboundSchema: the SDK never sends it`);
  }
  let wire;
  try {
    // The SDK reads a response's text with JSON.parse: text it refuses is refused there.
    wire = JSON.parse(wireText);
  } catch (error) {
    return { accepted: false, error: `JSON.parse: ${error.message}` };
  }
  let native;
  try {
    native = model.inbound ? model.inbound.parse(wire) : wire;
  } catch (error) {
    return { accepted: false, error: sdkError(error) };
  }
  if (!model.outbound) return { accepted: true, native, text: null };
  try {
    return { accepted: true, native, text: write(model.outbound.parse(native)) };
  } catch (error) {
    const why = sdkError(error);
    // The SDK never writes a response: its user has what it read (as the harness).
    if (DIRECTION === "response") return { accepted: true, native, text: null };
    return { accepted: false, error: `the SDK read the payload but could not write it: ${why}` };
  }
}

// ---- the generators' own functions (node_flavours.FLAVOUR_FUNCTIONS) are put here ----

// ------------------------------------------------------------ comparing

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isNumber = (value) => isObject(value) && Object.keys(value).length === 1 && NUMBER in value;

/** A decimal token as sign, digits and exponent, so that 1.50 and 15e-1 are one key. */
function decimalKey(token) {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(token);
  if (match === null) return token;
  const fraction = match[3] ?? "";
  let digits = (match[2] + fraction).replace(/^0+/, "");
  let exponent = Number(match[4] ?? 0) - fraction.length;
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  return `${match[1]}${digits}e${exponent}`;
}

/**
 * Whether a parsed value is the expectation. A number written by JSON.stringify is compared
 * by its text's decimal value; one the SDK holds (`held`: a view) also equals a token naming
 * exactly that double (2^63 is 9223372036854775808, though JavaScript shows 9223372036854776000).
 */
function same(actual, expected, held = false) {
  if (isNumber(expected)) {
    const wanted = decimalKey(expected[NUMBER]);
    if (typeof actual !== "number") return false;
    return decimalKey(JSON.stringify(actual)) === wanted || (held && exactly(actual, wanted));
  }
  if (Array.isArray(expected)) {
    const sized = Array.isArray(actual) && actual.length === expected.length;
    return sized && expected.every((item, i) => same(actual[i], item, held));
  }
  if (isObject(expected)) {
    const keys = Object.keys(expected);
    return (
      isObject(actual) &&
      keys.length === Object.keys(actual).length &&
      keys.every((key) => Object.hasOwn(actual, key) && same(actual[key], expected[key], held))
    );
  }
  return actual === expected;
}

/** Whether the finite double `x` is exactly the decimal `key` (decimalKey's `digits e exp`). */
function exactly(x, key) {
  const match = /^(-?)(\d+)e(-?\d+)$/.exec(key);
  if (!Number.isFinite(x)) return false;
  if (match === null) return key === "0" && x === 0;
  const exponent = Number(match[3]);
  if (Math.abs(exponent) > 1100 || (match[1] === "-") !== x < 0) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction + (1n << 52n);
  const power = biased === 0 ? -1074 : biased - 1075;
  // mantissa * 2^power === digits * 10^exponent, both sides scaled to integers.
  const left = mantissa * 2n ** BigInt(Math.max(power, 0)) * 10n ** BigInt(Math.max(-exponent, 0));
  const right =
    BigInt(match[2]) * 2n ** BigInt(Math.max(-power, 0)) * 10n ** BigInt(Math.max(exponent, 0));
  return left === right;
}

/** JSON text of the embedded expectation, numbers as their tokens. */
function shown(value) {
  if (isNumber(value)) return value[NUMBER];
  if (Array.isArray(value)) return `[${value.map(shown).join(",")}]`;
  if (isObject(value)) {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${shown(v)}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The value at `steps`; `listed`: only through keys Object.keys lists (as a view shows). */
function at(value, steps, listed = false) {
  const has = listed ? (o, k) => Object.prototype.propertyIsEnumerable.call(o, k) : Object.hasOwn;
  for (const step of steps) {
    const here =
      typeof step === "number"
        ? Array.isArray(value) && step < value.length
        : isObject(value) && has(value, step);
    if (!here) return [false, undefined];
    value = value[step];
  }
  return [true, value];
}

/** The native object's key for the field at wire PATH: the wire key, or one of the same words. */
function nativeKey(native, steps) {
  const plain = (key) => String(key).replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  let node = native;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (typeof step === "number") {
      if (!Array.isArray(node)) return null;
      node = node[step];
      continue;
    }
    if (!isObject(node)) return null;
    const key = Object.hasOwn(node, step)
      ? step
      : Object.keys(node).find((k) => plain(k) === plain(step));
    if (key === undefined) return null;
    if (i === steps.length - 1) return key;
    node = node[key];
  }
  return null;
}

async function check() {
  const run = await runSdk();
  if (KIND === "accept") {
    const did = run.accepted ? "accepted the payload" : `rejected the payload (${run.error})`;
    return [run.accepted === (EXPECTED === "accepted"), did];
  }
  if (!run.accepted) return [false, `rejected the payload (${run.error})`];
  if (KIND === "naming") {
    const key = nativeKey(run.native, PATH);
    const did = key === null ? `has no key for ${WHERE}` : `named it ${JSON.stringify(key)}`;
    if (isObject(EXPECTED) && EXPECTED.declared === false) {
      // The SDK declares no field there: it keeps the key as it came (passed through).
      const declared = run.declared ? run.declared(PATH).includes(key) : false;
      return [key === EXPECTED.key && !declared, declared ? `${did}, a declared field` : did];
    }
    return [key === EXPECTED, did];
  }
  if (typeof run.text !== "string") {
    if (run.view && VIEW_KINDS.includes(KIND)) return checkView(run.native);
    throw new ScriptError(`the SDK reads ${MODEL} but never writes it: only what it accepts shows`);
  }
  if (KIND === "duplicate-key") {
    const times = keyCount(run.text, PATH);
    return [same(times, EXPECTED), `wrote the key ${times} time(s) at ${WHERE}`];
  }
  const written = checkWritten(run.text);
  if (written[0] || !run.view || !VIEW_KINDS.includes(KIND)) return written;
  // A response model the SDK never sends was judged on the object it hands its user (the
  // run wrote nothing back for it); this script writes every model, so it checks both.
  const [held, how] = checkView(run.native);
  return held ? [true, how] : [false, `${written[1]}, and ${how}`];
}

/** What the SDK wrote at PATH, as the finding says. */
function checkWritten(text) {
  const [found, node] = at(JSON.parse(text), PATH);
  const did = found ? `wrote ${JSON.stringify(node)} at ${WHERE}` : `wrote nothing at ${WHERE}`;
  if (!PRESENT || !found) return [found === PRESENT, did];
  if (KIND === "order") {
    const keys = isObject(node) ? Object.keys(node) : null;
    return [same(keys, EXPECTED), `wrote the keys ${JSON.stringify(keys)} at ${WHERE}`];
  }
  if (FORMATS.includes(KIND)) return [JSON.stringify(node) === shown(EXPECTED), did];
  return [same(node, EXPECTED), did];
}

/** What the SDK hands its user at PATH (the keys Object.keys lists; numbers as the doubles
 * they are): the value, or nothing. */
function checkView(native) {
  const [found, node] = at(native, PATH, true);
  const finite = typeof node !== "number" || Number.isFinite(node);
  const text = finite ? JSON.stringify(node) : String(node);
  const did = found ? `hands its user ${text} at ${WHERE}` : `hands its user nothing at ${WHERE}`;
  if (!PRESENT || !found) return [found === PRESENT, did];
  return [same(node, EXPECTED, true), did];
}

/**
 * How often the object at PATH minus its last step writes the key PATH's last step, read
 * from the JSON text itself (JSON.parse keeps one copy of a repeated key).
 */
function keyCount(text, steps) {
  let i = 0;
  const space = () => {
    while (/\s/.test(text[i] ?? "")) i++;
  };
  const string = () => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  // Each object is {pairs: [[key, value], ...]}; scalars are skipped over.
  const value = () => {
    space();
    if (text[i] === "{" || text[i] === "[") {
      const object = text[i++] === "{";
      const items = [];
      space();
      while (text[i] !== "}" && text[i] !== "]") {
        space();
        const key = object ? string() : null;
        if (object) {
          space();
          i++; // the colon
        }
        items.push(object ? [key, value()] : value());
        space();
        if (text[i] === ",") i++;
        space();
      }
      i++;
      return object ? { pairs: items } : items;
    }
    if (text[i] === '"') return string();
    while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
    return null;
  };
  let node = value();
  for (const step of steps.slice(0, -1)) {
    if (typeof step === "number") node = Array.isArray(node) ? node[step] : undefined;
    else node = node?.pairs?.filter(([key]) => key === step).at(-1)?.[1];
  }
  if (!node?.pairs || steps.length === 0) return 0;
  return node.pairs.filter(([key]) => key === steps.at(-1)).length;
}

function expectation() {
  if (KIND === "duplicate-key") return `the key written ${shown(EXPECTED)} time(s) at ${WHERE}`;
  if (KIND === "accept") return `the SDK to ${EXPECTED === "accepted" ? "accept" : "reject"} it`;
  if (KIND === "naming" && isObject(EXPECTED) && EXPECTED.declared === false) {
    return `${WHERE} kept as the undeclared key ${JSON.stringify(EXPECTED.key)}`;
  }
  if (KIND === "naming") return `the key of ${WHERE} named ${shown(EXPECTED)}`;
  if (!PRESENT) return `nothing at ${WHERE}`;
  if (KIND === "order") return `the keys ${shown(EXPECTED)} at ${WHERE}`;
  if (FORMATS.includes(KIND)) return `exactly ${shown(EXPECTED)} at ${WHERE}`;
  return `${shown(EXPECTED)} at ${WHERE}`;
}

async function reproduce() {
  const [ok, did] = await check();
  if (ok) return [true, `REPRODUCED: ${SENTENCE}`];
  return [false, `NOT REPRODUCED: expected ${expectation()}; the SDK ${did}`];
}

async function writeBack() {
  const result = await runSdk();
  if (!result.accepted || result.text === null) {
    throw new ScriptError(`the SDK did not write the payload back: ${result.error ?? "no writer"}`);
  }
  process.stdout.write(result.text);
}

if (process.argv.slice(2).includes("--write")) {
  writeBack().catch((error) => {
    const text = error instanceof ScriptError ? error.message : (error?.stack ?? String(error));
    console.error(`ERROR: ${text}`);
    process.exitCode = 2;
  });
} else if (process.env.NODE_TEST_CONTEXT) {
  test(`finding ${FINDING} on ${TARGET}`, async () => {
    const [ok, message] = await reproduce();
    if (!ok) throw new Error(message);
  });
} else {
  reproduce().then(
    ([ok, message]) => {
      console.log(message);
      process.exitCode = ok ? 0 : 1;
    },
    (error) => {
      const text = error instanceof ScriptError ? error.message : (error?.stack ?? String(error));
      console.error(`ERROR: ${text}`);
      process.exitCode = 2;
    },
  );
}
