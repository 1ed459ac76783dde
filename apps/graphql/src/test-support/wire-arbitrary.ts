/**
 * Test support: fast-check arbitraries of vendor payloads, generated from a vendor client's wire schema (zod), with
 * the vendor's documented field types laid over it where the schema is looser than the document (a timestamp is a
 * plain string in the schema whether the vendor documents a plain string or an RFC 3339 date-time).
 */
import fc from "fast-check";
import type { z } from "zod";

/** An integer as JSON text, for integers a double cannot hold (the vendor can send them; JSON.stringify cannot). */
export class JsonInteger {
  readonly text: string;
  constructor(value: bigint) {
    this.text = value.toString();
  }
}

/** JSON text of a generated payload, JsonInteger values written as their digits. */
export function jsonText(value: unknown): string {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof JsonInteger ? raw(v.text) : v));
}

/** Documented field types, by path in the payload: `a.b` for a field of an object, `a[]` for an array's items. */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values `schema` accepts, of every type it names, with `overrides` where the vendor's document says more. */
export function wireArbitrary(schema: z.ZodType, overrides: Overrides = {}, path = ""): fc.Arbitrary<unknown> {
  const own = overrides[path];
  if (own) return own;
  const def = defOf(schema);
  const inner = (next: z.ZodType, at = path) => wireArbitrary(next, overrides, at);
  switch (def.type) {
    case "object": {
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const fields = Object.fromEntries(
        keys.map((key) => [key, inner(shape[key] as z.ZodType, path ? `${path}.${key}` : key)]),
      );
      const requiredKeys = keys.filter((key) => defOf(shape[key] as z.ZodType).type !== "optional");
      return fc.record(fields, { requiredKeys });
    }
    case "optional":
      return inner(def.innerType as z.ZodType);
    case "nullable":
      return fc.option(inner(def.innerType as z.ZodType), { nil: null });
    case "array":
      return fc.array(inner(def.element as z.ZodType, `${path}[]`), { maxLength: 3 });
    case "union":
      return fc.oneof(...(def.options ?? []).map((option) => inner(option)));
    case "literal":
      return fc.constantFrom(...(def.values ?? []));
    case "string":
      return oddString;
    case "number":
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case "boolean":
      return fc.boolean();
    case "unknown":
    case "any":
      return fc.jsonValue({ maxDepth: 3 });
    default:
      throw new Error(`wireArbitrary: no generator for a zod ${def.type} at ${path || "(root)"}`);
  }
}

/** Any string, and the strings that break naive readers: empty, blank, control characters, lone surrogates, long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "null", "\ud800", "x".repeat(10_000)),
);

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * RFC 3339 `date-time` (OpenAPI `format: date-time`), odd forms included: lower-case `t` and `z`, a leap second,
 * years 0000 and 9999, fractions of any length, offsets up to ±23:59.
 */
export const rfc3339: fc.Arbitrary<string> = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 9999, 1970, 2026)),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: 0, max: 59 }) },
      { weight: 1, arbitrary: fc.constant(60) },
    ),
    fraction: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
    t: fc.constantFrom("T", "t"),
    offset: fc.oneof(
      fc.constantFrom("Z", "z", "+00:00", "-00:00"),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map(({ year, month, day, hour, minute, second, fraction, t, offset }) => {
    const lastDay = month === 2 && !leap(year) ? 28 : (DAYS[month - 1] ?? 28);
    const frac = fraction === undefined ? "" : `.${fraction}`;
    return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(day, lastDay))}${t}${pad(hour)}:${pad(minute)}:${pad(second)}${frac}${offset}`;
  });

/** Postgres' text form, as Max AI sends it: `2026-03-20 18:35:10.209452+00`. */
const postgres: fc.Arbitrary<string> = rfc3339.map((iso) =>
  iso.replace(/[Tt]/, " ").replace(/[Zz]$/, "+00").replace(/:00$/, ""),
);

/**
 * A timestamp documented as a plain `string` (Max AI, Capy): any string is valid, so besides real instants in the
 * forms vendors use, the ones a reader cannot take: no offset, impossible dates, other notations.
 */
export const plainStringTimestamp: fc.Arbitrary<string> = fc.oneof(
  rfc3339,
  postgres,
  rfc3339.map((iso) => iso.replace(/([Zz]|[+-]\d{2}:\d{2})$/, "")),
  fc.constantFrom("yesterday", "2026-02-30T10:00:00Z", "20/03/2026 18:35", "1750000000", "2026-03-20T24:00:00Z"),
  oddString,
);

/** An integer documented without bounds: small, near the 32- and 53-bit edges, and past what a double holds. */
export const anyInteger: fc.Arbitrary<number | JsonInteger> = fc.oneof(
  fc.integer(),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1)),
  fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map((value) => new JsonInteger(value)),
  fc.constantFrom(new JsonInteger(2n ** 53n + 1n), new JsonInteger(-(2n ** 63n))),
);

/** A UUID in either case (OpenAPI `format: uuid`). */
export const uuid: fc.Arbitrary<string> = fc
  .tuple(fc.uuid(), fc.boolean())
  .map(([value, upper]) => (upper ? value.toUpperCase() : value));
