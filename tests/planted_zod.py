"""The zod package of ``tests/planted_sdks.py``: ``@acme/sdk``, shaped like a Speakeasy SDK.

Faithful to the reference: strict objects (unknown keys refused), camelCase
native objects renamed by ``remap`` both ways, date-times and dates kept as
validated strings, ``int32`` integers (JavaScript cannot hold ``2^53 + 1``, so
the schema makes such numbers invalid there), and maps read by a helper that
keeps every key (zod's ``z.record`` drops ``__proto__``). ``dist/lib/planted.js``
names the planted differences; each is one condition in the code below, at one field.
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["node_files"]

PLANTED_MODULE = "export const PLANTED = new Set({names});\n"

LIB = r"""import * as z from "zod";
import { PLANTED } from "./planted.js";

// Speakeasy's remap: rename the keys a mapping names, keep the others.
export function remap(inp, mappings) {
  const out = {};
  for (const [k, v] of Object.entries(inp)) {
    const j = mappings[k];
    if (j === null) continue;
    out[j ?? k] = v;
  }
  return out;
}

const T = PLANTED.has("datetime.lowercase") ? "T" : "[Tt]";
const Z = PLANTED.has("datetime.lowercase") ? "Z" : "[Zz]";
const DATE_TIME = new RegExp(
  `^(\\d{4})-(\\d{2})-(\\d{2})${T}(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(${Z}|([+-])(\\d{2}):(\\d{2}))$`,
);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(year, month, day) {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

function isDateTime(value) {
  if (PLANTED.has("datetime.date-only") && isDate(value)) return true;
  const m = DATE_TIME.exec(value);
  if (!m || !realDate(m[1], m[2], m[3])) return false;
  const lastHour = PLANTED.has("datetime.hour-24") ? 24 : 23;
  const lastSecond = PLANTED.has("datetime.leap-second") ? 59 : 60;
  let ok = Number(m[4]) <= lastHour && Number(m[5]) < 60 && Number(m[6]) <= lastSecond;
  if (m[9]) ok = ok && Number(m[10]) < 24 && Number(m[11]) < 60;
  return ok;
}

function isDate(value) {
  const m = DATE.exec(value);
  return m !== null && realDate(m[1], m[2], m[3]);
}

// As a Date keeps it: milliseconds.
function millis(value) {
  if (!PLANTED.has("datetime.microseconds")) return value;
  return value.replace(/\.(\d{3})\d{3}(?!\d)/, ".$1");
}

// Date-times and dates stay the strings they were, checked as RFC 3339 says.
export const dateTime = z
  .string()
  .refine(isDateTime, "not an RFC 3339 date-time")
  .transform(millis);
export const date = z.string().refine(isDate, "not an RFC 3339 full-date");
export const int32 = z.number().int().min(-2147483648).max(2147483647);

// A JSON object used as a map, every own key kept: zod's record drops "__proto__".
export function jsonMap(values) {
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  return z.custom(isObject, "expected an object").transform((input, ctx) => {
    const out = {};
    for (const key of Object.keys(input)) {
      const read = values.safeParse(input[key]);
      if (!read.success) {
        for (const issue of read.error.issues) {
          ctx.addIssue({ code: "custom", message: issue.message, path: [key, ...issue.path] });
        }
        return z.NEVER;
      }
      Object.defineProperty(out, key, {
        value: read.data, enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  });
}
"""

PETS = """\
import * as z from "zod";
import { PLANTED } from "../../lib/planted.js";
import { int32, remap } from "../../lib/schemas.js";

const tag = z.literal("cat");
const cat = PLANTED.has("union.missing-discriminator") ? tag.optional() : tag;

export const Cat$inboundSchema = z.object({ species: cat, lives: int32 }).strict();
export const Cat$outboundSchema = z.object({ species: cat, lives: int32 }).strict();

export const Dog$inboundSchema = z
  .object({ species: z.literal("dog"), good_boy: z.boolean() })
  .strict()
  .transform((v) => remap(v, { good_boy: "goodBoy" }));
export const Dog$outboundSchema = z
  .object({ species: z.literal("dog"), goodBoy: z.boolean() })
  .strict()
  .transform((v) => remap(v, { goodBoy: "good_boy" }));
"""

SHAPES = """\
import * as z from "zod";
import { PLANTED } from "../../lib/planted.js";
import { int32 } from "../../lib/schemas.js";

let label = z.string();
if (PLANTED.has("strings.long")) label = label.max(1000);
if (PLANTED.has("strings.nul")) label = label.transform((v) => v.replaceAll("\\u0000", ""));

// Without .strict() zod strips the keys it does not know, so any object is a Plain.
const plain = (shape) => (PLANTED.has("union.member") ? z.object(shape) : z.object(shape).strict());

export const Plain$inboundSchema = plain({ label });
export const Plain$outboundSchema = plain({ label: z.string() });

export const Rich$inboundSchema = z.object({ label, weight: int32.optional() }).strict();
export const Rich$outboundSchema = z
  .object({ label: z.string(), weight: int32.optional() })
  .strict();
"""

OWNER = """\
import * as z from "zod";
import { PLANTED } from "../../lib/planted.js";
import { remap } from "../../lib/schemas.js";

const name = PLANTED.has("presence.required-removed") ? z.string().optional() : z.string();
const nickname = PLANTED.has("presence.null-optional")
  ? z.string().nullish()
  : z.string().optional();

export const Owner$inboundSchema = z
  .object({ owner_name: name, nickname })
  .strict()
  .transform((v) => remap(v, { owner_name: "ownerName" }));
export const Owner$outboundSchema = z
  .object({ ownerName: name, nickname })
  .strict()
  .transform((v) => remap(v, { ownerName: "owner_name" }));
"""

THING = """\
import * as z from "zod";
import { PLANTED } from "../../lib/planted.js";
import { date, dateTime, int32, jsonMap, remap } from "../../lib/schemas.js";
import { Owner$inboundSchema, Owner$outboundSchema } from "./owner.js";
import {
  Cat$inboundSchema, Cat$outboundSchema, Dog$inboundSchema, Dog$outboundSchema,
} from "./pets.js";
import {
  Plain$inboundSchema, Plain$outboundSchema, Rich$inboundSchema, Rich$outboundSchema,
} from "./shapes.js";

const WIRE = {
  item_count: "itemCount",
  display_name: "displayName",
  page_limit: "pageLimit",
  is_active: "isActive",
  created_at: "createdAt",
  birth_day: "birthDay",
  "Last-Seen": "lastSeen",
};
const NATIVE = Object.fromEntries(Object.entries(WIRE).map(([wire, name]) => [name, wire]));

let count = PLANTED.has("coercion.fraction-for-integer")
  ? z.number().min(-2147483648).max(2147483647)
  : int32;
if (PLANTED.has("numbers.negative-zero")) count = count.positive();
if (PLANTED.has("coercion.decimal-string")) {
  const decimal = (v) => typeof v === "string" && /^\\d+\\.\\d+$/.test(v);
  count = z.preprocess((v) => (decimal(v) ? Number(v) : v), count);
}

let name = z.string();
if (PLANTED.has("strings.non-ascii")) name = name.transform((v) => v.normalize("NFD"));
if (PLANTED.has("coercion.number-for-string")) {
  name = z.preprocess((v) => (typeof v === "number" ? String(v) : v), name);
}

let flag = z.boolean();
if (PLANTED.has("coercion.boolean-number")) {
  flag = z.preprocess((v) => (v === 1 ? true : v === 0 ? false : v), flag);
}

const pageLimit = PLANTED.has("presence.default-absent") ? int32.default(10) : int32.optional();
const color = PLANTED.has("enum.unknown-value") ? z.string() : z.enum(["red", "green", "blue"]);
const tags = PLANTED.has("presence.optional-absent")
  ? z.array(z.string()).default([])
  : z.array(z.string()).optional();

function fields(names, side) {
  const inbound = side === "in";
  const cat = inbound ? Cat$inboundSchema : Cat$outboundSchema;
  const dog = inbound ? Dog$inboundSchema : Dog$outboundSchema;
  const plain = inbound ? Plain$inboundSchema : Plain$outboundSchema;
  const rich = inbound ? Rich$inboundSchema : Rich$outboundSchema;
  const owner = inbound ? Owner$inboundSchema : Owner$outboundSchema;
  const key = (wire) => (names ? names[wire] ?? wire : wire);
  const read = (reader, writer) => (inbound ? reader : writer);
  return {
    [key("item_count")]: read(count, z.number()),
    [key("display_name")]: read(name, z.string()).nullable(),
    [key("ratio")]: z.number().optional(),
    [key("page_limit")]: pageLimit,
    [key("kind")]: z.literal("thing").optional(),
    [key("is_active")]: read(flag, z.boolean()).optional(),
    [key("created_at")]: read(dateTime, z.string()).optional(),
    [key("birth_day")]: date.optional(),
    [key("color")]: color.optional(),
    [key("pet")]: z.union([cat, dog]).optional(),
    [key("shape")]: z.union([plain, rich]).optional(),
    [key("Last-Seen")]: z.string().optional(),
    [key("counts")]: jsonMap(int32).optional(),
    [key("owner")]: owner.optional(),
    [key("tags")]: tags,
  };
}

export const Thing$inboundSchema = z
  .object(fields(null, "in"))
  .strict()
  .transform((v) => remap(v, WIRE));
export const Thing$outboundSchema = z
  .object(fields(WIRE, "out"))
  .strict()
  .transform((v) => remap(v, NATIVE));
"""


def node_files(planted: Collection[str]) -> dict[str, str]:
    """The package's files, by path under its folder in ``node_modules``, with ``planted`` set."""
    components = "dist/models/components"
    names = "[" + ", ".join(f'"{name}"' for name in sorted(planted)) + "]"
    return {
        "package.json": '{"name": "@acme/sdk", "version": "0.1.0", "type": "module",'
        ' "exports": {"./*": "./dist/*"}}\n',
        "dist/lib/planted.js": PLANTED_MODULE.format(names=names),
        "dist/lib/schemas.js": LIB,
        f"{components}/pets.js": PETS,
        f"{components}/shapes.js": SHAPES,
        f"{components}/owner.js": OWNER,
        f"{components}/thing.js": THING,
    }
