import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VendorContractViolationError } from "./errors.ts";
import { fieldReader } from "./field-reader.ts";
import { IsoTimestamp, normalizeTimestamp, TimestampError } from "./timestamp.ts";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Asserts that reading `value` fails with a TimestampError that names `field` (and is never "Invalid Date"). */
function expectRejected(value: string, field = "createdAt", reason?: RegExp): TimestampError {
  let caught: unknown;
  try {
    normalizeTimestamp(value, field);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TimestampError);
  const error = caught as TimestampError;
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  expect(error.message).not.toContain("Invalid Date");
  if (reason) expect(error.message).toMatch(reason);
  return error;
}

// Any instant whose local rendering stays within four-digit years for every offset up to ±23:59.
const instantArb = fc.date({
  min: new Date("0001-01-02T00:00:00.000Z"),
  max: new Date("9998-12-30T23:59:59.999Z"),
  noInvalidDate: true,
});

const offsetArb = fc.oneof(
  fc.constant({ text: "Z", minutes: 0 }),
  fc.constant({ text: "z", minutes: 0 }),
  fc
    .record({
      sign: fc.constantFrom(1, -1),
      hours: fc.integer({ min: 0, max: 23 }),
      minutes: fc.integer({ min: 0, max: 59 }),
      style: fc.constantFrom("+HH", "+HH:MM", "+HHMM"),
    })
    .map(({ sign, hours, minutes, style }) => {
      const m = style === "+HH" ? 0 : minutes;
      const head = `${sign === 1 ? "+" : "-"}${pad(hours)}`;
      const text = style === "+HH" ? head : style === "+HH:MM" ? `${head}:${pad(m)}` : `${head}${pad(m)}`;
      return { text, minutes: sign * (hours * 60 + m) };
    }),
);

const representationArb = fc.record({
  instant: instantArb,
  offset: offsetArb,
  separator: fc.constantFrom("T", " ", "t"),
  fractionDigits: fc.integer({ min: 0, max: 9 }),
  // Digits below the millisecond, which must be truncated away.
  subMillis: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 6 }).map((d) => d.join("")),
});

type Representation = typeof representationArb extends fc.Arbitrary<infer T> ? T : never;

/** Writes `instant` as seen at `offset`, and the instant the written text denotes to the millisecond. */
function render({ instant, offset, separator, fractionDigits, subMillis }: Representation) {
  const local = new Date(instant.getTime() + offset.minutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const digits = `${pad(local.getUTCMilliseconds(), 3)}${subMillis}`.slice(0, fractionDigits);
  const text = `${date}${separator}${time}${digits ? `.${digits}` : ""}${offset.text}`;
  // Fewer than three digits written means the lower milliseconds were never in the text.
  const keptMs = Number(digits.slice(0, 3).padEnd(3, "0"));
  const expectedMs = instant.getTime() - instant.getUTCMilliseconds() + keptMs;
  return { text, expectedMs };
}

describe("normalizeTimestamp", () => {
  describe("seed examples", () => {
    it.each([
      ["2026-03-20 18:35:10.209452+00", "2026-03-20T18:35:10.209Z"], // Max AI createdAt (seed 001)
      ["2026-03-23 03:15:47.285+00", "2026-03-23T03:15:47.285Z"], // Max AI updatedAt (seed 001)
      ["2019-08-24T14:15:22Z", "2019-08-24T14:15:22.000Z"], // Maxsight (seed 004)
    ])("%s → %s", (input, expected) => {
      expect(normalizeTimestamp(input, "createdAt")).toBe(expected);
    });
  });

  describe("accepted forms", () => {
    it.each([
      ["2026-03-20 18:35:10+00", "2026-03-20T18:35:10.000Z"], // no fraction
      ["2026-03-20 18:35:10.2+00", "2026-03-20T18:35:10.200Z"], // one digit
      ["2026-03-20 18:35:10.209452+00:00", "2026-03-20T18:35:10.209Z"],
      ["2026-03-20 18:35:10.209452-00", "2026-03-20T18:35:10.209Z"],
      ["2026-03-20 23:35:10+05:30", "2026-03-20T18:05:10.000Z"], // +HH:MM
      ["2026-03-20 23:35:10+0530", "2026-03-20T18:05:10.000Z"], // +HHMM
      ["2026-03-20 13:35:10-05", "2026-03-20T18:35:10.000Z"], // -HH
      ["2026-03-20T18:35:10.123456789Z", "2026-03-20T18:35:10.123Z"], // nine digits, truncated
      ["2026-12-31T23:59:59.999999999Z", "2026-12-31T23:59:59.999Z"], // truncation never rolls over
      ["2026-03-20T18:35:10.209z", "2026-03-20T18:35:10.209Z"],
      ["2026-01-01 01:00:00+02", "2025-12-31T23:00:00.000Z"], // the offset moves the date across a year
      ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"], // leap year
      ["2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"], // divisible by 400: leap
      ["0050-06-15T00:00:00Z", "0050-06-15T00:00:00.000Z"], // two-digit years are not shifted to 19xx
      ["0000-01-01T00:00:00Z", "0000-01-01T00:00:00.000Z"],
      ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    ])("%s → %s", (input, expected) => {
      const output = normalizeTimestamp(input, "updatedAt");
      expect(output).toBe(expected);
      expect(IsoTimestamp.safeParse(output).success).toBe(true);
    });
  });

  describe("rejected values", () => {
    it.each([
      ["", undefined],
      ["garbage", undefined],
      ["2026-03-20", undefined], // date only
      ["18:35:10Z", undefined], // time only
      ["2026-03-20T18:35Z", undefined], // no seconds
      ["2026-3-20T18:35:10Z", undefined], // unpadded month
      ["2026-03-20T18:35:10.Z", undefined], // dot without digits
      ["2026-03-20T18:35:10.1234567890Z", undefined], // ten fraction digits
      ["2026-03-20T18:35:10+5", undefined], // one-digit offset
      ["2026-03-20T18:35:10+05:3", undefined],
      ["2026-03-20T18:35:10+05:30:00", undefined], // offset seconds
      [" 2026-03-20T18:35:10Z", undefined], // surrounding whitespace
      ["2026-03-20T18:35:10Z ", undefined],
      ["2026-03-20T18:35:10Z\n", undefined],
      ["2026-03-20_18:35:10Z", undefined],
      ["+002026-03-20T18:35:10Z", undefined], // expanded years
      ["10000-01-01 00:00:00+00", undefined],
      ["0001-01-01 00:00:00+00 BC", undefined], // Postgres BC dates
      ["infinity", undefined], // Postgres special values
      ["-infinity", undefined],
      ["２０２６-03-20T18:35:10Z", undefined], // non-ASCII digits
      ["2026-03-20T18:35:10", /no UTC offset/], // ambiguous: whose local time?
      ["2026-03-20 18:35:10.209452", /no UTC offset/],
      ["2026-02-30T00:00:00Z", /no such date/],
      ["2023-02-29T00:00:00Z", /no such date/], // not a leap year
      ["1900-02-29T00:00:00Z", /no such date/], // divisible by 100 but not 400
      ["2026-04-31T00:00:00Z", /no such date/],
      ["2026-13-01T00:00:00Z", /no such date/],
      ["2026-00-10T00:00:00Z", /no such date/],
      ["2026-03-00T00:00:00Z", /no such date/],
      ["2026-03-20T24:00:00Z", /no such time/],
      ["2026-03-20T23:60:00Z", /no such time/],
      ["2026-03-20T23:59:60Z", /no such time/], // leap second: Date cannot hold it
      ["2026-03-20T18:35:10+24:00", /no such UTC offset/],
      ["2026-03-20T18:35:10+05:60", /no such UTC offset/],
      ["0000-01-01T00:30:00+01:00", /outside years/], // before year 0 in UTC
      ["9999-12-31T23:30:00-01:00", /outside years/], // after 9999 in UTC
    ])("%j", (input, reason) => {
      expectRejected(input, "createdAt", reason);
    });

    it("rejects a very long input quickly and quotes only its head", () => {
      // Would hang for seconds with a backtracking pattern; vitest's timeout is the guard, not a timer here.
      const long = `2026-03-20T18:35:10.${"1".repeat(1_000_000)}Z`;
      expect(expectRejected(long).message.length).toBeLessThan(200);
      expect(expectRejected("9".repeat(1_000_000)).message.length).toBeLessThan(200);
    });

    it("turns a value that is not a string (untyped wire data) into a TimestampError", () => {
      const untyped = normalizeTimestamp as (value: unknown, field: string) => string;
      for (const value of [null, undefined, 1_700_000_000_000, {}]) {
        expect(() => untyped(value, "snoozedTill")).toThrow(TimestampError);
        expect(() => untyped(value, "snoozedTill")).toThrow(/^snoozedTill: /);
      }
    });

    it("names a default field when none is given", () => {
      expect(() => normalizeTimestamp("nope")).toThrow(/^timestamp: /);
    });
  });

  describe("properties", () => {
    it("reads any instant in any supported form to the same instant, truncated to the millisecond, in UTC", () => {
      fc.assert(
        fc.property(representationArb, (representation) => {
          const { text, expectedMs } = render(representation);
          const output = normalizeTimestamp(text, "createdAt");
          expect(output.endsWith("Z")).toBe(true);
          expect(new Date(output).getTime()).toBe(expectedMs);
          expect(IsoTimestamp.safeParse(output).success).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });

    it("reads Max AI's Postgres form (space, 0–6 fraction digits, +HH / +HH:MM / -HH:MM)", () => {
      const postgresArb = fc.record({
        instant: instantArb,
        offset: fc
          .record({
            sign: fc.constantFrom(1, -1),
            hours: fc.integer({ min: 0, max: 15 }),
            minutes: fc.constantFrom(0, 15, 30, 45),
            withMinutes: fc.boolean(),
          })
          .map(({ sign, hours, minutes, withMinutes }) => {
            const m = withMinutes ? minutes : 0;
            const text = `${sign === 1 ? "+" : "-"}${pad(hours)}${withMinutes ? `:${pad(m)}` : ""}`;
            return { text, minutes: sign * (hours * 60 + m) };
          }),
        separator: fc.constant(" "),
        fractionDigits: fc.integer({ min: 0, max: 6 }),
        subMillis: fc.constant("000000"),
      });
      fc.assert(
        fc.property(postgresArb, (representation) => {
          const { text, expectedMs } = render(representation);
          expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/);
          expect(new Date(normalizeTimestamp(text, "createdAt")).getTime()).toBe(expectedMs);
        }),
        { numRuns: 1_000 },
      );
    });

    it("returns the output unchanged when given its own output (idempotent), and any toISOString()", () => {
      fc.assert(
        fc.property(representationArb, (representation) => {
          const once = normalizeTimestamp(render(representation).text);
          expect(normalizeTimestamp(once)).toBe(once);
          expect(normalizeTimestamp(representation.instant.toISOString())).toBe(representation.instant.toISOString());
        }),
        { numRuns: 1_000 },
      );
    });

    it("reads a canonical-shaped string exactly when Date reads it back unchanged (Feb 30, hour 24, leap years)", () => {
      const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
      const canonicalShaped = fc
        .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
        .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
      const realDate = (text: string) => {
        const time = Date.parse(text);
        return !Number.isNaN(time) && new Date(time).toISOString() === text;
      };
      const edges = [
        "2024-02-29T00:00:00.000Z",
        "2023-02-29T00:00:00.000Z",
        "2000-02-29T23:59:59.999Z",
        "1900-02-29T00:00:00.000Z",
        "2026-04-31T00:00:00.000Z",
        "2026-01-01T24:00:00.000Z",
        "2026-12-31T23:59:60.000Z",
        "0000-01-01T00:00:00.000Z",
      ];
      fc.assert(
        fc.property(fc.oneof(canonicalShaped, fc.constantFrom(...edges)), (text) => {
          if (realDate(text)) expect(normalizeTimestamp(text)).toBe(text);
          else expectRejected(text);
        }),
        { numRuns: 3_000 },
      );
    });

    it("either returns a canonical timestamp or throws a TimestampError naming the field, for any string", () => {
      // Any UTF-16 code unit, lone surrogates included. fast-check's "binary" unit spends over a second building its
      // table: with four busy loops beside it this test took 4–4.5 s of vitest's 5 s timeout (CI failed in this package).
      const anyCodeUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
      const anyString = fc.oneof(
        fc.string(),
        fc.string({ unit: anyCodeUnit }),
        fc.stringMatching(/^[\d\-:.+TZ ]{0,40}$/),
      );
      fc.assert(
        fc.property(anyString, (text) => {
          let output: string | undefined;
          try {
            output = normalizeTimestamp(text, "lockedAt");
          } catch (error) {
            expect(error).toBeInstanceOf(TimestampError);
            expect((error as TimestampError).field).toBe("lockedAt");
            expect((error as Error).message).toMatch(/^lockedAt: /);
            expect((error as Error).message).not.toContain("Invalid Date");
            return;
          }
          expect(IsoTimestamp.safeParse(output).success).toBe(true);
        }),
        { numRuns: 3_000 },
      );
    });

    it("rejects a valid timestamp with one character replaced by a non-digit, or else still reads it", () => {
      const mutationArb = representationArb.chain((representation) => {
        const { text } = render(representation);
        return fc.record({
          text: fc.constant(text),
          at: fc.integer({ min: 0, max: text.length - 1 }),
          char: fc.constantFrom("x", "/", "_", "٣", "", "  ", "\u0000", "-", ":", "."),
        });
      });
      fc.assert(
        fc.property(mutationArb, ({ text, at, char }) => {
          const mutated = text.slice(0, at) + char + text.slice(at + 1);
          let output: string;
          try {
            output = normalizeTimestamp(mutated, "dueAt");
          } catch (error) {
            expect(error).toBeInstanceOf(TimestampError);
            expect((error as TimestampError).field).toBe("dueAt");
            return;
          }
          expect(IsoTimestamp.safeParse(output).success).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });
  });
});

describe("IsoTimestamp", () => {
  it("accepts what normalizeTimestamp returns and rejects offsets and the Postgres form", () => {
    expect(IsoTimestamp.safeParse("2026-03-20T18:35:10.209Z").success).toBe(true);
    expect(IsoTimestamp.safeParse("2026-03-20T18:35:10.209+00:00").success).toBe(false);
    expect(IsoTimestamp.safeParse("2026-03-20 18:35:10.209452+00").success).toBe(false);
    expect(IsoTimestamp.safeParse("2026-02-30T00:00:00.000Z").success).toBe(false);
  });
});

describe("a vendor timestamp read field by field", () => {
  it("returns the canonical form", () => {
    const read = fieldReader("maxai", { status: 200 });
    expect(read.timestamp("createdAt", "2026-03-20 18:35:10.209452+00", "createdAt")).toBe("2026-03-20T18:35:10.209Z");
  });

  it.each([
    ["created_at", "24/08/2019", "not a timestamp we can read"],
    ["updatedAt", "2026-02-30T00:00:00Z", "not a timestamp we can read: no such date"],
    ["lockedAt", "2026-03-20T18:35:10", "not a timestamp we can read: no UTC offset, so the instant is ambiguous"],
  ])("turns an unreadable %s into a contract violation naming the field, not the value", (field, value, reason) => {
    const read = fieldReader("capy", { status: 200 });
    expect(read.timestamp("at", value, field)).toBeNull();
    const error = read.finish({}).problems?.at;
    expect(error).toBeInstanceOf(VendorContractViolationError);
    expect(error).toMatchObject({
      kind: "contract_violation",
      vendor: "capy",
      field,
      message: `capy: the response field ${field} breaks the contract (${reason})`,
      detail: `${field}: ${reason}`,
    });
    expect((error as Error).message).not.toContain(value);
    expect((error as Error).cause).toBeInstanceOf(TimestampError);
  });
});
