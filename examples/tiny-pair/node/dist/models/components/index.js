// camelCase properties in the SDK, wire keys on the wire, as generated zod SDKs have them.
import * as z from "zod";

export const Pet$inboundSchema = z
  .object({ pet_name: z.string(), nickname: z.string().optional(), age: z.number().int().optional() })
  .transform((v) => ({ petName: v.pet_name, nickname: v.nickname, age: v.age }));
export const Pet$outboundSchema = z
  .object({ petName: z.string(), nickname: z.string().optional(), age: z.number().int().optional() })
  .transform((v) => ({ pet_name: v.petName, nickname: v.nickname, age: v.age }));

export const Owner$inboundSchema = z.object({ id: z.number().int(), pets: z.array(Pet$inboundSchema).optional() });
export const Owner$outboundSchema = z.object({ id: z.number().int(), pets: z.array(Pet$outboundSchema).optional() });
