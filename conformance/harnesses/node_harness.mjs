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
// name, for its version).
//
// A case:
// - response: `X$inboundSchema.parse(JSON.parse(wire_text))` gives the native
//   (camelCase) object. Back to wire through `X$outboundSchema` when the SDK
//   exports it, else through the inverse of the inbound schema's own key map
//   (see `backward`), then `JSON.stringify`.
// - request: wire -> native through `X$inboundSchema` when it exists, else
//   through the inverse key map of `X$outboundSchema`; then
//   `JSON.stringify(X$outboundSchema.parse(native))`, as `xToJSON` does.
// Numbers are what JSON.parse makes of them (integers above 2^53 lose digits:
// that is the SDK's behaviour and is reported as is). In the native view a Date
// is its ISO string and a bigint its exact digits.
//
// The harness is split by concept into sibling modules, imported by relative
// path: node_discovery.mjs (the SDK's modules and models), node_zod.mjs (walking
// zod schemas: `backward` and the inverse key map) and node_json.mjs (JSON text
// and dates).

import { Console } from "node:console";
import readline from "node:readline";

import {
  expandModule,
  indexExports,
  listModels,
  lookup,
  readPackageFacts,
  readSdkMetadata,
  splitSpecifier,
  state,
} from "./node_discovery.mjs";
import { stringifyExact } from "./node_json.mjs";
import { backward } from "./node_zod.mjs";

const PROTOCOL_VERSION = 1;

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
  state.started = true;
  const facts = readPackageFacts(pkg, root);
  const details = {
    node: process.versions.node,
    response_reader: "X$inboundSchema.parse(JSON.parse(text))",
    response_writer: "JSON.stringify(X$outboundSchema.parse(native)), else the inverse key map of X$inboundSchema",
    request_reader: "X$inboundSchema.parse(wire), else the inverse key map of X$outboundSchema",
    request_writer: "JSON.stringify(X$outboundSchema.parse(native))",
    ...(await readSdkMetadata(pkg, root)),
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
  const where = state.modules.join(", ");
  if (entry === undefined) {
    return { seq, skipped: true, reason: `model ${testCase.model} not found in ${where}` };
  }
  const text = typeof testCase.wire_text === "string" ? testCase.wire_text : JSON.stringify(testCase.wire);
  let wire;
  try {
    wire = JSON.parse(text);
  } catch (error) {
    return { seq, accepted: false, error: `JSON.parse: ${error.message}` };
  }
  let native;
  let wireText;
  try {
    if (testCase.direction === "response") {
      if (!entry.inbound) {
        return { seq, skipped: true, reason: `model ${testCase.model} has no $inboundSchema in ${where}` };
      }
      native = sdkCall(() => entry.inbound.parse(wire));
      if (entry.outbound) {
        const out = sdkCall(
          () => entry.outbound.parse(native),
          "the SDK read the payload but its $outboundSchema rejected the result",
        );
        wireText = sdkCall(() => JSON.stringify(out), "JSON.stringify of the SDK's output failed");
      } else {
        wireText = stringifyExact(backward(entry.inbound, native));
      }
    } else {
      if (!entry.outbound) {
        return { seq, skipped: true, reason: `model ${testCase.model} has no $outboundSchema in ${where}` };
      }
      native = entry.inbound ? sdkCall(() => entry.inbound.parse(wire)) : backward(entry.outbound, wire);
      const out = sdkCall(() => entry.outbound.parse(native));
      wireText = sdkCall(() => JSON.stringify(out), "JSON.stringify of the SDK's output failed");
    }
  } catch (error) {
    if (error instanceof Rejected) return { seq, accepted: false, error: error.message };
    process.stderr.write(`node harness: ${error?.stack ?? error}\n`);
    return { seq, accepted: false, internal: true, error: `harness failure: ${errorMessage(error)}` };
  }
  if (wireText === undefined) {
    return { seq, accepted: false, error: "the SDK's output has no JSON text (undefined)" };
  }
  const nativeText = stringifyExact(native) ?? "null";
  return (
    `{"seq":${JSON.stringify(seq)},"accepted":true,"wire_text":${JSON.stringify(wireText)},` +
    `"native":${nativeText}}`
  );
}

function sdkCall(fn, prefix) {
  try {
    return fn();
  } catch (error) {
    const message = errorMessage(error);
    throw new Rejected(prefix ? `${prefix}: ${message}` : message);
  }
}

async function handle(request) {
  switch (request.cmd) {
    case "start":
      send(await start(request));
      return true;
    case "models":
      send(listModels());
      return true;
    case "run": {
      const seq = request.seq;
      let answer;
      try {
        if (!state.started) throw new Error("run before start");
        answer = runCase(seq, request.case);
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