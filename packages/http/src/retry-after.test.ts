import { describe, expect, it } from "vitest";
import { parseResetEpochSeconds, parseRetryAfter } from "./retry-after.ts";

const NOW = Date.parse("2025-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", NOW)).toBe(0);
    expect(parseRetryAfter("1.5", NOW)).toBe(1_500);
  });

  it("reads the three HTTP-date forms as GMT", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Wednesday, 01-Jan-25 00:01:00 GMT", NOW)).toBe(60_000);
    expect(parseRetryAfter("Wed Jan  1 00:00:05 2025", NOW)).toBe(5_000);
  });

  it("gives 0 for a date in the past", () => {
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).toBe(0);
  });

  it.each(["", "soon", "-5", "5s", "2025-01-01T00:00:30Z", "1e3", "Wed, 99 Foo 2025 00:00:30 GMT"])(
    "gives undefined for %j",
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it("gives undefined when there is no header", () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe("parseResetEpochSeconds", () => {
  it("reads Unix seconds relative to now, never negative", () => {
    expect(parseResetEpochSeconds(String(NOW / 1000 + 42), NOW)).toBe(42_000);
    expect(parseResetEpochSeconds(String(NOW / 1000 - 42), NOW)).toBe(0);
    expect(parseResetEpochSeconds("later", NOW)).toBeUndefined();
  });
});
