import { z } from "zod";

/** Thrown when a vendor timestamp cannot be read; names the field, never guesses. */
export class TimestampError extends Error {
  readonly field: string;
  readonly value: string;
  constructor(field: string, value: string) {
    super(`${field}: not a timestamp we can read (${JSON.stringify(value.slice(0, 40))})`);
    this.name = "TimestampError";
    this.field = field;
    this.value = value;
  }
}

// ISO 8601 / RFC 3339 and Postgres' text form: date, 'T' or space, time, 0–9 fraction digits, and Z or ±HH[[:]MM].
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z|z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Reads a vendor timestamp and returns it as ISO 8601 UTC with milliseconds (`2026-03-20T18:35:10.209Z`).
 * Fractions below a millisecond are truncated; a value without an offset is rejected rather than guessed.
 */
export function normalizeTimestamp(value: string, field = "timestamp"): string {
  const m = TIMESTAMP.exec(value);
  if (!m) throw new TimestampError(field, value);
  const [, y, mo, d, h, mi, s, frac = "", z, sign, oh = "0", om = "0"] = m;
  if (!z && !sign) throw new TimestampError(field, value);
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    throw new TimestampError(field, value);
  }
  const millis = Number(frac.padEnd(3, "0").slice(0, 3));
  const offsetMs = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return new Date(date.getTime() - offsetMs).toISOString();
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** A canonical timestamp: ISO 8601 in UTC with a `Z`. */
export const IsoTimestamp = z.iso.datetime({ offset: false });
