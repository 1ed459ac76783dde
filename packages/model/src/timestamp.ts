import { z } from "zod";
import { fieldViolation, type VendorContractViolationError } from "./errors.ts";
import type { Vendor } from "./vendor.ts";

const UNREADABLE = "not a timestamp we can read";

/** Thrown when a vendor timestamp cannot be read; names the field and says why, never guesses. */
export class TimestampError extends Error {
  readonly field: string;
  readonly value: string;
  /** Why, without the value. */
  readonly reason: string;
  constructor(field: string, value: string, reason = UNREADABLE) {
    // Only the head of the value goes into the message: a vendor may send anything, of any length.
    super(`${field}: ${reason} (${JSON.stringify(value.slice(0, 40))})`);
    this.name = "TimestampError";
    this.field = field;
    this.value = value;
    this.reason = reason;
  }
}

// ISO 8601 / RFC 3339 and Postgres' text form: date, 'T' or space, time, 0–9 fraction digits, then Z or
// ±HH, ±HHMM, ±HH:MM. The offset is optional here only so a missing one gets its own error message.
// No nested or overlapping quantifiers, so matching is linear in the input length.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The shape normalizeTimestamp returns (`2026-03-20T18:35:10.209Z`); says nothing about the date being real. */
export function isCanonicalTimestamp(value: unknown): value is string {
  return typeof value === "string" && CANONICAL.test(value);
}

/**
 * Reads a vendor timestamp and returns it as ISO 8601 UTC with milliseconds (`2026-03-20T18:35:10.209Z`).
 * Fractions below a millisecond are truncated (the wall-clock digits are cut, not rounded, so an instant
 * never moves into the next millisecond). A value without an offset is rejected rather than guessed.
 *
 * @param field names the value in the error, e.g. `createdAt`.
 * @throws TimestampError when the value is not a real instant in a form listed above.
 */
export function normalizeTimestamp(value: string, field = "timestamp"): string {
  // Wire data is typed by hope: a null or number here must still become a TimestampError.
  const text = typeof value === "string" ? value : String(value);
  const m = TIMESTAMP.exec(text);
  if (!m) throw new TimestampError(field, text);
  const [, y, mo, d, h, mi, s, frac = "", zulu, sign, oh = "0", om = "0"] = m;
  if (!zulu && !sign) throw new TimestampError(field, text, "no UTC offset, so the instant is ambiguous");
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  // Date would silently roll Feb 30 into March and hour 24 into tomorrow; reject instead. Leap second 60
  // cannot be represented by Date at all.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new TimestampError(field, text, "no such date");
  }
  if (hour > 23 || minute > 59 || second > 59) throw new TimestampError(field, text, "no such time of day");
  if (offsetHours > 23 || offsetMinutes > 59) throw new TimestampError(field, text, "no such UTC offset");

  const millis = frac.padEnd(3, "0").slice(0, 3);
  // Already UTC (the usual case): only the form changes, no Date needed.
  if (offsetHours === 0 && offsetMinutes === 0) return `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}Z`;
  const offsetMs = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(millis));
  const utc = new Date(date.getTime() - offsetMs);
  const utcYear = utc.getUTCFullYear();
  // An offset can push 0000-01-01 or 9999-12-31 out of four-digit years, where toISOString writes ±YYYYYY.
  if (utcYear < 0 || utcYear > 9999) throw new TimestampError(field, text, "outside years 0000–9999 in UTC");
  return utc.toISOString();
}

/**
 * The contract violation for a timestamp a vendor sent that cannot be read: it names the field and the reason, never
 * the value. A mapper's field reader (`fieldReader`) sets just that field aside with it.
 */
export function timestampViolation(vendor: Vendor, error: TimestampError): VendorContractViolationError {
  const reason = error.reason === UNREADABLE ? UNREADABLE : `${UNREADABLE}: ${error.reason}`;
  return fieldViolation(vendor, error.field, reason, error);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** A canonical timestamp: ISO 8601 in UTC with a `Z` (what `normalizeTimestamp` returns). */
export const IsoTimestamp = z.iso.datetime({ offset: false });
