// Conformance harness for TypeScript/JavaScript SDKs with zod schemas
// (`X$inboundSchema`: wire JSON -> camelCase object, `X$outboundSchema`: the
// reverse), as Speakeasy generates them. Plain ESM for Node >= 20, no
// dependencies besides the SDK. Speaks the protocol of
// conformance/schemas/harness-*.json: one JSON request per stdin line, one JSON
// answer per stdout line; everything else (including the SDK's console output)
// goes to stderr.
//
// Start options: `modules` (specifiers such as
// "@orq-ai/node/models/operations/index.js", resolved from `root`, not from this
// file; absolute and ./relative paths are taken relative to `root`; folders and
// globs too, see node_discovery.mjs), `root` (a
// directory whose node_modules holds the SDK) and `package` (the SDK's package
// name, for its version). `flavor` (node_flavours.mjs): absent, "speakeasy" or
// "zod", the zod path below (a declared one adds `flavor` and both validates
// flags, true, to the start details); "fern" (node_fern.mjs) or "stainless"
// (node_stainless.mjs), the harness finds the SDK's models and its own readers
// and writers inside `<root>/node_modules/<package>/` (`modules` may be empty)
// and runs every case through that flavour.
//
// A case is run exactly as the SDK runs it, through its own schemas; where the
// SDK has no path for it, the harness says so and never stands in for the SDK
// (no inverse key map, no union member picking, no Date parsing, no moving of
// extra keys: whatever the schemas do with those is the SDK's behaviour).
// - response: `X$inboundSchema.parse(JSON.parse(wire_text))`, as the SDK's
//   lib/matchers.js reads a body, gives the native (camelCase) object. When the
//   SDK also has `X$outboundSchema` (a shared component it also sends), the
//   wire written back is that schema's output through the SDK's own request-body
//   writer (see `readSdkWriter`). A model with only `X$inboundSchema` is never
//   written by the SDK: the answer is `accepted` with `"written": false` and the
//   native view, and no wire.
// - request: the object a user passes is the SDK's own reading of the wire
//   (`X$inboundSchema.parse`) when it has one; else the wire object itself when
//   `X$outboundSchema` renames and converts nothing (`wireShaped`: its input is
//   the wire's shape); else the case is `skipped`, since building the user's
//   object would mean renaming keys or parsing values on the SDK's behalf. Then
//   `X$outboundSchema.parse(native)` through the SDK's writer, as funcs/*.js do.
// A rejection carries `error_path`, the first zod issue's path, when the schema
// that rejected read the wire payload itself (so its path is in wire keys).
// Numbers are what JSON.parse makes of them (integers above 2^53 lose digits:
// that is the SDK's behaviour and is reported as is). In the native view a Date
// is its ISO string and a bigint its exact digits.
//
// The harness is split by concept into sibling modules, imported by relative
// path: node_discovery.mjs (the SDK's modules, models and writer), node_zod.mjs
// (reading zod schemas: their kind, and whether their input is the wire shape)
// and node_json.mjs (exact JSON text).

import { Console } from "node:console";
import readline from "node:readline";

import {
  expandModule,
  indexExports,
  listModels,
  lookup,
  readPackageFacts,
  readSdkMetadata,
  readSdkWriter,
  splitSpecifier,
  state,
} from "./node_discovery.mjs";
import { FLAVOURS, FlavourError, startFlavour } from "./node_flavours.mjs";
import { caseText, stringifyExact } from "./node_json.mjs";
import { wireShaped } from "./node_zod.mjs";

const PROTOCOL_VERSION = 2;

// The protocol owns stdout; the SDK's output goes to stderr.
const writeOut = process.stdout.write.bind(process.stdout);
const errConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
for (const method of ["log", "info", "debug", "trace", "dir", "table", "warn", "error"]) {
  console[method] = errConsole[method].bind(errConsole);
}
process.stdout.write = process.stderr.write.bind(process.stderr);

function send(message) {
  writeOut(JSON.stringify(message) + "\n");
}

function sendText(text) {
  writeOut(text + "\n");
}

async function start(request) {
  if (request.version !== PROTOCOL_VERSION) {
    return { ready: false, error: `unsupported protocol version ${JSON.stringify(request.version)}` };
  }
  const options = request.options || {};
  const flavor = options.flavor;
  if (flavor !== undefined && !FLAVOURS.includes(flavor)) {
    const known = FLAVOURS.join(", ");
    return { ready: false, error: `options.flavor must be one of ${known}, not ${JSON.stringify(flavor)}` };
  }
  if (flavor === "fern" || flavor === "stainless") return startOwnFlavour(flavor, options);
  const modules = options.modules;
  const root = options.root || process.cwd();
  if (!Array.isArray(modules) || modules.length === 0 || !modules.every((m) => typeof m === "string")) {
    return { ready: false, error: "options.modules must list module specifiers" };
  }
  const pkg = options.package || splitSpecifier(modules[0]).name;
  const warnings = [];
  try {
    for (const spec of modules) {
      const expanded = expandModule(spec, root);
      if (expanded.pattern && expanded.items.length === 0) {
        return { ready: false, error: `modules entry ${JSON.stringify(spec)} matches no module file in ${expanded.base}` };
      }
      for (const item of expanded.items) {
        try {
          indexExports(await import(item.url), item.spec);
        } catch (error) {
          if (!expanded.pattern) throw error;
          warnings.push(`cannot import ${item.spec}: ${error?.message ?? error}`);
        }
      }
    }
  } catch (error) {
    return { ready: false, error: `cannot import SDK modules: ${error?.message ?? error}` };
  }
  if (state.schemas.size === 0) {
    warnings.push(
      `no X$inboundSchema or X$outboundSchema found in ${modules.join(", ")}: every case will be skipped`,
    );
  }
  state.modules = modules;
  state.writer = await readSdkWriter(pkg, root);
  state.started = true;
  const facts = readPackageFacts(pkg, root);
  const writer = `${state.writer.name} of X$outboundSchema.parse(native)`;
  const details = {
    node: process.versions.node,
    response_reader: "X$inboundSchema.parse(JSON.parse(text))",
    response_writer: `${writer}; none without X$outboundSchema (accepted, not written)`,
    request_reader:
      "X$inboundSchema.parse(JSON.parse(text)); else the wire itself when X$outboundSchema renames and converts nothing; else skipped",
    request_writer: writer,
    ...(await readSdkMetadata(pkg, root)),
    // a declared flavour is reported with what its readers do: zod schemas always validate
    ...(flavor === undefined ? {} : { flavor, response_validates: true, request_validates: true }),
  };
  return {
    ready: true,
    implementation: {
      name: `${pkg} (javascript)`,
      language: "javascript",
      sdk: pkg,
      sdk_version: facts.version || details.sdk_metadata_version || "",
      details,
    },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Start a flavour that finds its models itself (node_flavours.mjs); its cases run through it. */
async function startOwnFlavour(flavor, options) {
  const modules = options.modules;
  if (modules !== undefined && !(Array.isArray(modules) && modules.every((m) => typeof m === "string"))) {
    return { ready: false, error: "options.modules must list module specifiers" };
  }
  let started;
  try {
    started = await startFlavour(flavor, options);
  } catch (error) {
    if (error instanceof FlavourError) return { ready: false, error: error.message };
    process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
    return { ready: false, error: `flavor ${flavor}: cannot start: ${error?.message ?? error}` };
  }
  state.flavour = started;
  state.started = true;
  return {
    ready: true,
    implementation: { ...started.implementation, details: started.details },
    ...(started.warnings.length > 0 ? { warnings: started.warnings } : {}),
  };
}

/** A zod error as "path: message; ...", else the error's own message. */
function errorMessage(error) {
  const issues = error?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    const text = issues
      .map((issue) => {
        const where = Array.isArray(issue.path) && issue.path.length ? issue.path.join(".") : "$";
        return `${where}: ${issue.message}`;
      })
      .join("; ");
    return `${error.name || "ZodError"}: ${text}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

class Rejected extends Error {}

function runCase(seq, testCase) {
  const entry = lookup(testCase.model);
  if (entry === undefined) {
    const where = state.modules.join(", ");
    return { seq, skipped: true, reason: `model ${testCase.model} not found in ${where}` };
  }
  const response = testCase.direction === "response";
  const writes = response ? entry.inbound : entry.outbound;
  if (!writes) {
    const side = response ? "$inboundSchema" : "$outboundSchema";
    const where = state.modules.join(", ");
    return { seq, skipped: true, reason: `model ${testCase.model} has no ${side} in ${where}` };
  }
  if (!response && !entry.inbound && !wireShaped(entry.outbound)) {
    return {
      seq,
      skipped: true,
      reason:
        `model ${testCase.model} has no $inboundSchema and its $outboundSchema renames keys or` +
        " converts values: the harness cannot build the SDK's input (the object a user passes)" +
        " without renaming keys or parsing values itself",
    };
  }
  const text = caseText(testCase);
  let wire;
  try {
    wire = JSON.parse(text);
  } catch (error) {
    return { seq, accepted: false, error: `JSON.parse: ${error.message}` };
  }
  let native;
  let wireText;
  // A response the SDK read but cannot write back is accepted, not written, with a
  // warning: the SDK never writes a response, so its user has what it read (the native
  // view); a request it cannot write is one it cannot send, and is rejected.
  let unwritable = null;
  try {
    native = entry.inbound ? sdkCall(() => entry.inbound.parse(wire), "", true) : wire;
    if (entry.outbound) {
      try {
        const out = sdkCall(
          () => entry.outbound.parse(native),
          response ? "the SDK read the response but its $outboundSchema rejected the result" : "",
          native === wire,
        );
        wireText = sdkCall(() => state.writer.write(out), `${state.writer.name} of the SDK's output failed`);
        if (wireText === undefined) throw new Rejected("the SDK's output has no JSON text (undefined)");
      } catch (error) {
        if (!(response && error instanceof Rejected)) throw error;
        unwritable = `the SDK read the response but could not write it back: ${error.message}`;
      }
    }
  } catch (error) {
    if (error instanceof Rejected) {
      const located = error.path ? { error_path: error.path } : {};
      return { seq, accepted: false, error: error.message, ...located };
    }
    process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
    return { seq, accepted: false, internal: true, error: `harness failure: ${errorMessage(error)}` };
  }
  const nativeText = stringifyExact(native) ?? "null";
  if (!entry.outbound || unwritable !== null) {
    // The SDK only reads this model (or read it and cannot write it back): it accepted the
    // payload and has nothing to write.
    const notes = unwritable === null ? "" : `,"warnings":${JSON.stringify([unwritable])}`;
    return `{"seq":${JSON.stringify(seq)},"accepted":true,"written":false,"native":${nativeText}${notes}}`;
  }
  return (
    `{"seq":${JSON.stringify(seq)},"accepted":true,"wire_text":${JSON.stringify(wireText)},` +
    `"native":${nativeText}}`
  );
}

/**
 * Call the SDK; its error becomes a Rejected. `located`: the call read the wire
 * payload itself, so the first zod issue's path is in wire keys and becomes the
 * answer's error_path (an outbound schema's path names the user's keys: not kept).
 */
function sdkCall(fn, prefix, located = false) {
  try {
    return fn();
  } catch (error) {
    const message = errorMessage(error);
    const rejected = new Rejected(prefix ? `${prefix}: ${message}` : message);
    rejected.path = located ? issuePath(error) : null;
    throw rejected;
  }
}

/** The path of a zod error's first issue (keys and array indices), or null. */
function issuePath(error) {
  const path = error?.issues?.[0]?.path;
  if (!Array.isArray(path)) return null;
  const ok = path.every((step) => typeof step === "string" || Number.isInteger(step));
  return ok ? path : null;
}

async function handle(request) {
  switch (request.cmd) {
    case "start":
      send(await start(request));
      return true;
    case "models":
      send(state.flavour ? state.flavour.models() : listModels());
      return true;
    case "run": {
      const seq = request.seq;
      let answer;
      try {
        if (!state.started) throw new Error("run before start");
        answer = state.flavour ? await state.flavour.run(seq, request.case) : runCase(seq, request.case);
      } catch (error) {
        process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
        answer = { seq, accepted: false, internal: true, error: `harness failure: ${errorMessage(error)}` };
      }
      if (typeof answer === "string") sendText(answer);
      else send(answer);
      return true;
    }
    case "stop":
      return false;
    default:
      process.stderr.write(`node harness: unknown command ${JSON.stringify(request.cmd)}\n`);
      if ("seq" in request) {
        send({ seq: request.seq, accepted: false, internal: true, error: `unknown command ${request.cmd}` });
      }
      return true;
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let request;
    try {
      request = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`node harness: request is not JSON: ${error.message}\n`);
      continue;
    }
    if (request === null || typeof request !== "object") {
      process.stderr.write("node harness: request is not a JSON object\n");
      continue;
    }
    if (!(await handle(request))) break;
  }
  lines.close();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
  process.exit(70);
});