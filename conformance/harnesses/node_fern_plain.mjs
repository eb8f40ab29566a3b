// The Node harness's `fern` flavour for the newer Fern TypeScript generation (see
// node_fern.mjs): no serialization layer. Its models are plain TypeScript types
// (`.d.ts` under `api/`: `api/types/`, `api/resources/**/types/`,
// `api/resources/**/client/requests/`) whose keys are the wire's keys, and its
// client hands the user the body its fetcher read and sends the object it is given:
//
// - response: the SDK's own body reader, core/fetcher `getResponseBody(response,
//   undefined)` on a fetch Response of the text (status 200, application/json), as
//   its fetcher reads a JSON body (core/json `fromJson`); the client returns that
//   body as `data` (for text that is not JSON, the reader's {ok: false, error}
//   object). A model the SDK also sends is written back through the request
//   writer below; a response-only model is `written: false`. A response the SDK
//   reads but cannot write back is accepted, not written, with a warning.
// - request: the user's object is the SDK's own JSON reading of the text (core/json
//   `fromJson`) and the body is its own encoding, core/fetcher
//   `getRequestBody({body, type: "json"})` (core/json `toJson`), as its fetcher
//   writes a body the client marks `requestType: "json"`.
// Neither direction validates or renames anything: both validates flags are false.
//
// Directions come from the declarations: a type reachable (through property types,
// `extends` and alias right-hand sides) from a parameter type of a client class's
// method is sent (request); one reachable from a method's return type is read
// (response); one reachable from neither lists both (nothing in the SDK tells).

import { declarationFiles, declaredModels, describeModel, runDeclared } from "./node_declared.mjs";
import {
  FlavourError,
  firstExisting,
  importFile,
  jsonResponse,
} from "./node_flavours.mjs";

const READER = ["core/fetcher/getResponseBody.mjs", "core/fetcher/getResponseBody.js"];
const WRITER = ["core/fetcher/getRequestBody.mjs", "core/fetcher/getRequestBody.js"];
const JSON_FILES = ["core/json.mjs", "core/json.js"];
// api/errors/ declares the SDK's error classes, not wire types.
const ERRORS = new Set(["errors"]);

/** The base (of `bases`) holding the newer generation's fetcher and api/, or undefined. */
export function plainBase(dir, bases) {
  return bases.find(
    (prefix) =>
      firstExisting(
        dir,
        READER.map((file) => prefix + file),
      ) !== null && firstExisting(dir, [`${prefix}api`]) !== null,
  );
}

export async function start(options, { pkg, dir, version }, base) {
  const readerRel = firstExisting(
    dir,
    READER.map((file) => base + file),
  );
  const writerRel = firstExisting(
    dir,
    WRITER.map((file) => base + file),
  );
  const jsonRel = firstExisting(
    dir,
    JSON_FILES.map((file) => base + file),
  );
  const getResponseBody = (await importFile(dir, readerRel)).get("getResponseBody");
  const getRequestBody =
    writerRel === null ? undefined : (await importFile(dir, writerRel)).get("getRequestBody");
  const fromJson = jsonRel === null ? undefined : (await importFile(dir, jsonRel)).get("fromJson");
  if ([getResponseBody, getRequestBody, fromJson].some((fn) => typeof fn !== "function")) {
    throw new FlavourError(
      `flavor fern: ${pkg} (a Fern generation without serialization/) lacks its body reader or writer:` +
        ` getResponseBody of ${READER.join(" or ")}, getRequestBody of ${WRITER.join(" or ")} and fromJson of` +
        ` ${JSON_FILES.join(" or ")} under ${base || "the package folder"} are all needed`,
    );
  }
  const folders = declarationFolders(options.modules, base);
  const files = folders.flatMap((folder) => declarationFiles(dir, folder, { dts: /\.d\.m?ts$/, skip: ERRORS }));
  if (files.length === 0) {
    throw new FlavourError(
      `flavor fern: no .d.ts declarations in ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    );
  }
  // A client file's own types are its options, not wire types; its methods give directions.
  const registry = declaredModels(dir, files, {
    directions: (type, sent, read) => {
      // Neither sent nor read by a client method: nothing in the SDK tells, so both.
      const neither = !sent && !read;
      return [...(sent || neither ? ["request"] : []), ...(read || neither ? ["response"] : [])];
    },
    clientFile: (file) => /(^|\/)Client\.d\.m?ts$/.test(file),
  });
  const warnings = [];
  if (registry.all.length === 0) warnings.push(`no interface or type alias declared in ${folders.join(", ")}`);
  const writerName = `${pkg}/${writerRel} getRequestBody({body, type: "json"})`;
  const details = {
    flavor: "fern",
    generation: "newer, without serialization/: plain types under the wire's keys",
    node: process.versions.node,
    response_reader:
      `${pkg}/${readerRel} getResponseBody(new Response(text, 200, application/json), undefined)`,
    response_writer:
      `${writerName} for models the SDK also sends; none for response-only models (accepted, not written)`,
    request_reader:
      `${pkg}/${jsonRel} fromJson(text): the SDK's requests are plain objects under the wire's keys`,
    request_writer: writerName,
    response_validates: false,
    request_validates: false,
    declarations: `${files.length} .d.ts files under ${folders.map((f) => `${pkg}/${f}`).join(", ")}`,
    directions_rule:
      "request: reachable from a client method's parameter types; response: reachable from its return types;" +
      " neither: both",
  };
  const body = {
    read: (text) => getResponseBody(jsonResponse(text), undefined),
    readRequest: (text) => fromJson(text),
    write: (value) => getRequestBody({ body: value, type: "json" }),
  };
  return {
    details,
    implementation: { name: `${pkg} (javascript)`, language: "javascript", sdk: pkg, sdk_version: version },
    warnings,
    models: () => ({ models: registry.all.map(describeModel) }),
    run: (seq, testCase) =>
      runDeclared(seq, testCase, registry, {
        ...body,
        writer: "the SDK's body encoding",
        noText: { skip: false, why: "the SDK's body encoding made no JSON text for this value" },
      }),
  };
}

/** The folders (relative to the package) whose .d.ts files declare the models and clients. */
function declarationFolders(modules, base) {
  if (Array.isArray(modules) && modules.length > 0) return modules.map((item) => item.replace(/^\.\//, ""));
  return [`${base}api/`];
}

