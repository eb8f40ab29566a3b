"""Tiny Fern- and Stainless-shaped npm packages, written into a test's folder.

``write_fern_sdk`` writes ``@tiny/fern`` (CommonJS, an exports map that publishes
only ``.``): a ``serialization/`` tree of schemas built by its own ``core/schemas``
(a few lines of object/property/string/number/list/enum and discriminated union, whose
``parse``/``json`` and ``parseOrThrow``/``jsonOrThrow`` take the options Fern's take, the
union calling its member's ``parse`` as Fern's does), a ``Client.js`` whose calls pass the
options the harness must find, and ``core/fetcher`` body reader and writer. Planted,
so that a harness that stands in for the SDK shows: the body writer indents by one
space, the body reader answers an object for a text that is not JSON (as Fern's
does), and one ``parseOrThrow`` call site passes other options than the rest.

``write_stainless_sdk`` writes ``tiny-stainless``: ``.d.ts`` declarations under
``resources/`` (a resource class whose methods take params and return models, a
namespace, a shared file, an index signature, a name declared twice), and the
core: ``internal/parse.js`` (``response.json()`` and an enumerable ``_request_id``,
planted where the real SDK's is hidden) and ``internal/request-options.js`` (an
encoder that indents by one space, planted).

``write_stainless_core_sdk`` writes ``tiny-stainless-core``, the older Stainless layout
(openai 4.x): no ``internal/``, a ``core.js`` beside ``_shims/`` whose
``defaultParseResponse(props)`` is not exported but is the default parser of its exported
``APIPromise`` (planted: an enumerable ``_request_id``), and whose ``APIClient.buildRequest``
writes the body itself (planted: indented by one space; a body with an object under
``blob`` cannot be written; a falsy body, as the real one, is not sent) and calls the
abstract ``defaultQuery()`` the SDK's client defines.

``write_fern_plain_sdk`` writes ``@tiny/fern-plain``, the newer Fern generation (no
``serialization/``, as ``@vapi-ai/server-sdk`` 2.x), built under ``dist/cjs/``: plain
``.d.ts`` types under ``api/types/``, ``api/resources/pets/types/`` and
``api/resources/pets/client/requests/`` (wire keys), a ``Client.d.ts`` whose namespace
declares its options and whose class's methods take a request and return models, an error
class under ``api/errors/``, and ``core/fetcher`` ``getResponseBody``/``getRequestBody``
over ``core/json`` ``fromJson``/``toJson``, as the real ones. Planted, so that a harness
that stands in for the SDK shows: ``toJson`` indents by one space, ``fromJson`` upper-cases
a string under the key ``shout``, and ``toJson`` throws for an object under ``blob``.

All need only Node (no registry, no dependency).
"""

from __future__ import annotations

import json
from pathlib import Path

FERN_SCHEMAS = """\
"use strict";
// Like Fern's core/schemas: every schema's parse/json answer {ok, value} or {ok, errors}.
function fail(path, message) { return { ok: false, errors: [{ path, message }] }; }
const start = (o) => [...(o.breadcrumbsPrefix || [])];
function run(schema, how, value, opts) {
  const o = opts || {};
  const out = schema[how](value, o, start(o));
  if (!out.ok && o.skipValidation) return { ok: true, value };
  return out;
}
function utils(schema) {
  const thrower = (how, Cls) => (value, opts) => {
    const out = run(schema, how, value, opts);
    if (out.ok) return out.value;
    throw new Cls(out.errors);
  };
  return Object.assign(schema, {
    parseOrThrow: thrower("parse", ParseError),
    jsonOrThrow: thrower("json", JsonError),
  });
}
class ParseError extends Error {
  constructor(errors) {
    super(errors.map((e) => `${e.path.join(" -> ")}: ${e.message}`).join("; "));
    this.errors = errors;
  }
}
class JsonError extends ParseError {}
function leaf(type, check) {
  const one = (v, o = {}, path = start(o)) =>
    check(v, o) ? { ok: true, value: v } : fail(path, `Expected ${type}.`);
  return utils({ getType: () => type, parse: one, json: one });
}
const string = () => leaf("string", (v) => typeof v === "string");
const number = () => leaf("number", (v) => typeof v === "number");
const enum_ = (values) =>
  leaf("enum", (v, o) =>
    values.includes(v) || (o.allowUnrecognizedEnumValues && typeof v === "string"));
function list(item) {
  const each = (how) => (v, o = {}, path = start(o)) => {
    if (!Array.isArray(v)) return fail(path, "Expected list.");
    const value = [];
    for (const [i, x] of v.entries()) {
      const r = item[how](x, o, [...path, `[${i}]`]);
      if (!r.ok) return r;
      value.push(r.value);
    }
    return { ok: true, value };
  };
  return utils({ getType: () => "list", parse: each("parse"), json: each("json") });
}
const property = (rawKey, schema) => ({ rawKey, schema, isProperty: true });
function object(props) {
  const fields = Object.entries(props).map(([key, p]) =>
    p.isProperty ? { key, raw: p.rawKey, schema: p.schema } : { key, raw: key, schema: p });
  const walk = (how) => (v, o = {}, path = start(o)) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      return fail(path, "Expected object.");
    }
    const value = {};
    const known = new Set();
    for (const f of fields) {
      const [from, to] = how === "parse" ? [f.raw, f.key] : [f.key, f.raw];
      known.add(from);
      if (v[from] === undefined) continue;
      const r = f.schema[how](v[from], o, [...path, from]);
      if (!r.ok) return r;
      value[to] = r.value;
    }
    for (const k of Object.keys(v)) {
      if (known.has(k)) continue;
      if (o.unrecognizedObjectKeys === "passthrough") value[k] = v[k];
      else if (o.unrecognizedObjectKeys !== "strip") {
        return fail([...path, k], `Unexpected key "${k}"`);
      }
    }
    return { ok: true, value };
  };
  return utils({
    getType: () => "object", parse: walk("parse"), json: walk("json"),
    _getRawProperties: () => fields.map((f) => f.raw),
    _getParsedProperties: () => fields.map((f) => f.key),
  });
}
// A discriminated union, as Fern's: the discriminant is the union's, the member
// (looked up when it reads) reads the rest, and the discriminant goes back in front.
const discriminant = (parsed, raw) => ({ parsed, raw });
function union(which, members) {
  const { parsed, raw } = typeof which === "string" ? { parsed: which, raw: which } : which;
  const walk = (how) => (v, o = {}, path = start(o)) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      return fail(path, "Expected object.");
    }
    const [from, to] = how === "parse" ? [raw, parsed] : [parsed, raw];
    const tag = v[from];
    if (tag == null) return fail(path, `Missing discriminant ("${from}")`);
    const rest = {};
    for (const k of Object.keys(v)) if (k !== from) rest[k] = v[k];
    if (!Object.hasOwn(members, tag)) {
      if (o.allowUnrecognizedUnionMembers) return { ok: true, value: { [to]: tag, ...rest } };
      return fail([...path, from], "Unexpected discriminant value");
    }
    const r = members[tag][how](rest, o, path);
    return r.ok ? { ok: true, value: { [to]: tag, ...r.value } } : r;
  };
  return utils({ getType: () => "union", parse: walk("parse"), json: walk("json") });
}
// As Fern's optional(): reading null or undefined gives undefined; writing null keeps it.
function optional(inner) {
  const read = (v, o = {}, path = start(o)) =>
    v == null ? { ok: true, value: undefined } : inner.parse(v, o, path);
  const write = (v, o = {}, path = start(o)) =>
    v == null ? { ok: true, value: v === null ? null : undefined } : inner.json(v, o, path);
  return utils({ getType: () => "optional", parse: read, json: write });
}
module.exports = { object, property, string, number, list, enum_, union, discriminant, optional };
"""

FERN_SERIALIZATION = """\
"use strict";
const s = require("../core/schemas");
const Tag = s.object({ label: s.string() });
const Pet = s.object({
  petName: s.property("pet_name", s.string()),
  age: s.number(),
  kind: s.enum_(["cat", "dog"]),
  tags: s.list(Tag),
});
const Owner = s.object({ ownerId: s.property("owner_id", s.number()), pets: s.list(Pet) });
// A namespace of its own, re-exporting Owner and defining another Pet.
const admin = { Owner, Pet: s.object({ badge: s.string() }) };
// Union members: their discriminants are the unions'. PetSold is named otherwise in
// the union's literal, and the "gone" member is inline (no serializer of its own).
const PetBorn = s.object({ petName: s.property("pet_name", s.string()) });
const PetSold = s.object({ price: s.number() });
const Sold = PetSold;
const PetEvent = s.union(s.discriminant("eventType", "event_type"), {
  "pet-born": PetBorn,
  // a comment between members
  'pet-sold': Sold,
  gone: s.object({}),
});
const Shape = s.union("kind", { born: PetBorn });
const Collar = s.object({ colour: s.optional(s.string()), size: s.number() });
module.exports = { Tag, Pet, Owner, admin, PetBorn, PetSold, PetEvent, Shape, Collar };
"""

FERN_FETCHER_READ = """\
"use strict";
exports.getResponseBody = async function getResponseBody(response, responseType) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return { ok: false, error: { reason: "non-json", rawBody: text } };
  }
};
"""

FERN_FETCHER_WRITE = """\
"use strict";
exports.getRequestBody = async function getRequestBody({ body, type }) {
  return type.includes("json") ? JSON.stringify(body, null, 1) : body;
};
"""


def _fern_client(read: str, write: str, other_read: str) -> str:
    """A client whose call sites pass ``read`` twice, ``other_read`` once and ``write``."""
    return f"""\
"use strict";
const serializers = require("./serialization");
class Client {{
  async createPet(request) {{
    const body = serializers.Pet.jsonOrThrow(request, {write});
    const raw = await this.send(body);
    return serializers.Pet.parseOrThrow(raw, {read});
  }}
  async getOwner() {{
    const raw = await this.send(undefined);
    return serializers.Owner.parseOrThrow(raw, {read});
  }}
  async putOwner(request) {{
    const raw = await this.send(serializers.Owner.jsonOrThrow(request, {write}));
    return serializers.Tag.parseOrThrow(raw, {other_read});
  }}
}}
module.exports = {{ Client }};
"""


FERN_READ = (
    '{ unrecognizedObjectKeys: "passthrough", allowUnrecognizedEnumValues: true,'
    ' skipValidation: true, breadcrumbsPrefix: ["response"] }'
)
FERN_WRITE = '{ unrecognizedObjectKeys: "strip", allowUnrecognizedEnumValues: true }'
FERN_OTHER_READ = '{ unrecognizedObjectKeys: "strip" }'


def write_fern_sdk(root: Path, read: str = FERN_READ, write: str = FERN_WRITE) -> Path:
    """Write ``@tiny/fern`` into ``root/node_modules`` (its client passes ``read``/``write``)."""
    package = root / "node_modules" / "@tiny" / "fern"
    manifest = {"name": "@tiny/fern", "version": "2.0.1", "exports": {".": "./Client.js"}}
    files = {
        "package.json": json.dumps(manifest),
        "Client.js": _fern_client(read, write, FERN_OTHER_READ),
        "core/schemas/index.js": FERN_SCHEMAS,
        "core/fetcher/getResponseBody.js": FERN_FETCHER_READ,
        "core/fetcher/getRequestBody.js": FERN_FETCHER_WRITE,
        "serialization/index.js": FERN_SERIALIZATION,
    }
    _write(package, files)
    return root


STAINLESS_PETS = """\
import { APIResource } from "../core/resource.js";
import * as Shared from "./shared.js";
/**
 * A comment that mentions interface Fake { x: string } and 'quotes // inside'.
 */
export declare class Pets extends APIResource {
    create(body: PetCreateParams, options?: RequestOptions): APIPromise<Pet>;
    list(query?: PetListParams | null, options?: RequestOptions): PagePromise<PetsPage, Pet>;
    retrieve(petID: string, options?: RequestOptions): APIPromise<Pet>;
}
export interface Pet {
    id: string;
    pet_name: string;
    /** who has it: see https://example.com/a//b */
    owner: Shared.Owner;
    tags?: Array<Pet.Tag> | null;
    'kind-of'?: PetKind;
}
export declare namespace Pet {
    interface Tag {
        label: string;
    }
}
export type PetKind = 'cat' | 'dog';
export type PetsPage = CursorPage<Pet>;
export interface PetBase {
    kind: PetKind;
}
export interface PetCreateParams extends PetBase {
    pet_name: string;
    owner?: Shared.Owner;
    extra?: Loose;
}
export interface PetListParams {
    limit?: number;
}
export type Loose = { [key: string]: unknown };
export interface OrphanParams {
    q: string;
}
export interface Orphan {
    x: number;
}
"""

STAINLESS_SHARED = """\
export interface Owner {
    id: number;
    'display-name'?: string;
}
"""

STAINLESS_OTHER = """\
export interface Pet {
    other: boolean;
}
"""

STAINLESS_PARSE = """\
"use strict";
exports.defaultParseResponse = async function defaultParseResponse(client, props) {
  const json = await props.response.json();
  if (json && typeof json === "object" && !Array.isArray(json)) {
    json._request_id = props.response.headers.get("x-request-id");
  }
  return json;
};
"""

STAINLESS_ENCODER = """\
"use strict";
// Stricter than the parser (planted): a body holding a key "blob" with a non-string value
// cannot be encoded.
exports.FallbackEncoder = ({ headers, body }) => {
  if (body && typeof body.blob === "object") throw new TypeError("cannot encode a blob");
  const headersOut = { "content-type": "application/json" };
  return { bodyHeaders: headersOut, body: JSON.stringify(body, null, 1) };
};
"""


def write_stainless_sdk(root: Path, parser: bool = True) -> Path:
    """Write ``tiny-stainless`` into ``root/node_modules``; ``parser=False``: no core parser."""
    package = root / "node_modules" / "tiny-stainless"
    manifest = {"name": "tiny-stainless", "version": "6.0.0", "exports": {".": "./index.js"}}
    files = {
        "package.json": json.dumps(manifest),
        "index.js": "module.exports = {};\n",
        "client.js": 'const Opts = require("./internal/request-options.js");\n'
        "// the client's body encoder: Opts.FallbackEncoder\n",
        "internal/request-options.js": STAINLESS_ENCODER,
        "resources/pets.d.ts": STAINLESS_PETS,
        "resources/pets.js": "",
        "resources/shared.d.ts": STAINLESS_SHARED,
        "resources/other/other.d.ts": STAINLESS_OTHER,
    }
    if parser:
        files["internal/parse.js"] = STAINLESS_PARSE
    _write(package, files)
    return root


STAINLESS_CORE = """\
"use strict";
const { kind } = require("./_shims/index.js");
// Not exported, as the older generation's: the APIPromise's default parser.
async function defaultParseResponse(props) {
  const json = await props.response.json();
  if (json && typeof json === "object" && !Array.isArray(json)) {
    json._request_id = props.response.headers.get("x-request-id");
  }
  return json;
}
class APIPromise extends Promise {
  constructor(responsePromise, parseResponse = defaultParseResponse) {
    super((resolve) => resolve(null));
    this.responsePromise = responsePromise;
    this.parseResponse = parseResponse;
  }
  parse() {
    if (!this.parsedPromise) this.parsedPromise = this.responsePromise.then(this.parseResponse);
    return this.parsedPromise;
  }
  then(onfulfilled, onrejected) { return this.parse().then(onfulfilled, onrejected); }
  catch(onrejected) { return this.parse().catch(onrejected); }
  finally(onfinally) { return this.parse().finally(onfinally); }
}
class APIClient {
  constructor({ baseURL, maxRetries = 2 }) {
    this.baseURL = baseURL;
    this.maxRetries = maxRetries;
  }
  // defaultQuery() is abstract: the SDK's client defines it.
  buildURL(path) {
    const query = this.defaultQuery();
    return this.baseURL + path + (query ? `?${new URLSearchParams(query)}` : "");
  }
  async buildRequest(options) {
    const url = this.buildURL(options.path);
    if (options.body && typeof options.body.blob === "object") {
      throw new TypeError("cannot write a blob");
    }
    const body = options.body ? JSON.stringify(options.body, null, 1) : null;
    const req = { method: options.method, ...(body && { body }), headers: { "x-shims": kind } };
    return { req, url, timeout: 1000 };
  }
  post(path, opts) {
    return new APIPromise(this.makeRequest({ method: "post", path, ...opts }));
  }
  async makeRequest(options) {
    const { req, url } = await this.buildRequest(options);
    return { response: await this.fetch(url, req), options, controller: new AbortController() };
  }
}
module.exports = { APIPromise, APIClient };
"""

STAINLESS_CORE_CLIENT = """\
"use strict";
const Core = require("./core.js");
class Tiny extends Core.APIClient {
  constructor(opts) {
    super({ baseURL: "https://tiny.invalid/", ...opts });
    this._options = opts;
    this.fetch = opts.fetch;
  }
  defaultQuery() { return this._options.defaultQuery; }
}
module.exports = { Tiny, default: Tiny };
"""

STAINLESS_CORE_PETS = """\
import * as Core from "../core";
import { APIResource } from "../resource";
import * as Shared from "./shared";
export declare class Pets extends APIResource {
    create(body: PetCreateParams, options?: Core.RequestOptions): Core.APIPromise<Pet>;
}
export interface Pet {
    id: string;
    pet_name: string;
    owner: Shared.Owner;
}
export interface PetCreateParams {
    pet_name: string;
    owner?: Shared.Owner;
    kind?: PetKind;
}
export type PetKind = 'cat' | 'dog';
"""


def write_stainless_core_sdk(root: Path) -> Path:
    """Write ``tiny-stainless-core`` (the older ``core.js`` + ``_shims/`` layout) into
    ``root/node_modules``."""
    package = root / "node_modules" / "tiny-stainless-core"
    manifest = {"name": "tiny-stainless-core", "version": "4.0.0", "main": "./index.js"}
    files = {
        "package.json": json.dumps(manifest),
        "index.js": STAINLESS_CORE_CLIENT,
        "_shims/index.js": 'exports.kind = "node";\n',
        "core.js": STAINLESS_CORE,
        "resources/pets.d.ts": STAINLESS_CORE_PETS,
        "resources/pets.js": "",
        "resources/shared.d.ts": STAINLESS_SHARED,
    }
    _write(package, files)
    return root


FERN_PLAIN_JSON = """\
"use strict";
// Planted: fromJson upper-cases a string under "shout"; toJson indents by one space and
// refuses an object under "blob".
exports.fromJson = function fromJson(text) {
  return JSON.parse(text, (key, value) =>
    key === "shout" && typeof value === "string" ? value.toUpperCase() : value,
  );
};
exports.toJson = function toJson(value) {
  return JSON.stringify(value, (key, item) => {
    if (key === "blob" && item !== null && typeof item === "object") throw new TypeError("blob");
    return item;
  }, 1);
};
"""

FERN_PLAIN_READ = """\
"use strict";
const { fromJson } = require("../json.js");
exports.getResponseBody = async function getResponseBody(response, responseType) {
  if (responseType === "text") return await response.text();
  const text = await response.text();
  if (text.length > 0) {
    try {
      return fromJson(text);
    } catch (_err) {
      const error = { reason: "non-json", statusCode: response.status, rawBody: text };
      return { ok: false, error };
    }
  }
  return undefined;
};
"""

FERN_PLAIN_WRITE = """\
"use strict";
const { toJson } = require("../json.js");
exports.getRequestBody = async function getRequestBody({ body, type }) {
  return type.includes("json") ? toJson(body) : body;
};
"""

FERN_PLAIN_TYPES = {
    "api/types/Pet.d.ts": """\
import type * as Tiny from "../index.js";
/** A comment that mentions interface Fake { x: string }. */
export interface Pet {
    id: string;
    pet_name: string;
    "kind-of"?: Tiny.PetKind;
    owner?: Tiny.Owner;
}
""",
    "api/types/Owner.d.ts": (
        "export interface Owner {\n    name: string;\n    shout?: string;\n    blob?: unknown;\n}\n"
    ),
    "api/types/PetKind.d.ts": 'export type PetKind = "cat" | "dog";\n',
    "api/types/Orphan.d.ts": "export interface Orphan {\n    note?: string;\n}\n",
    "api/types/index.d.ts": 'export * from "./Pet.js";\nexport * from "./Owner.js";\n',
    "api/resources/pets/client/requests/CreatePetRequest.d.ts": """\
import type * as Tiny from "../../../../index.js";
export interface CreatePetRequest {
    pet_name: string;
    owner?: Tiny.Owner;
}
""",
    "api/resources/pets/client/Client.d.ts": """\
import * as core from "../../../../core/index.js";
import type * as Tiny from "../../../index.js";
export declare namespace PetsClient {
    interface Options {
        token: string;
    }
    interface RequestOptions {
        timeoutInSeconds?: number;
    }
}
export declare class PetsClient {
    protected readonly _options: PetsClient.Options;
    constructor(options: PetsClient.Options);
    create(request: Tiny.CreatePetRequest, requestOptions?: PetsClient.RequestOptions):
        core.HttpResponsePromise<Tiny.Pet>;
    private __create;
    owners(requestOptions?: PetsClient.RequestOptions): core.HttpResponsePromise<Tiny.Owner[]>;
}
""",
    "api/errors/NotFoundError.d.ts": """\
export declare class NotFoundError extends Error {
    body: unknown;
}
export interface ErrorBody {
    message: string;
}
""",
}


def write_fern_plain_sdk(root: Path) -> Path:
    """Write ``@tiny/fern-plain`` (the newer Fern generation) into ``root/node_modules``."""
    package = root / "node_modules" / "@tiny" / "fern-plain"
    manifest = {
        "name": "@tiny/fern-plain",
        "version": "2.0.1",
        "main": "./dist/cjs/index.js",
        "exports": {".": "./dist/cjs/index.js"},
    }
    files = {
        "package.json": json.dumps(manifest),
        "dist/cjs/index.js": "module.exports = {};\n",
        "dist/cjs/api/index.js": "module.exports = {};\n",
        "dist/cjs/core/json.js": FERN_PLAIN_JSON,
        "dist/cjs/core/fetcher/getResponseBody.js": FERN_PLAIN_READ,
        "dist/cjs/core/fetcher/getRequestBody.js": FERN_PLAIN_WRITE,
        **{f"dist/cjs/{name}": text for name, text in FERN_PLAIN_TYPES.items()},
    }
    _write(package, files)
    return root


def _write(package: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
