import type { Random } from "./random.ts";

/** Seeded data lives around this instant (2026-03-01T00:00:00Z) so every run produces the same timestamps. */
export const SEED_EPOCH_MS = Date.UTC(2026, 2, 1);

/** A whole-second instant `0..days` days after `fromMs`. */
export function randomInstant(random: Random, fromMs: number, days: number): number {
  return Math.floor(fromMs / 1000) * 1000 + random.int(0, days * 86_400) * 1000;
}

/** Microseconds 0..999999 with exactly `digits` significant fraction digits (0 → none). */
export function randomMicros(random: Random, digits = random.int(0, 6)): number {
  if (digits <= 0) return 0;
  let value = random.int(1, 10 ** digits - 1);
  if (value % 10 === 0) value += 1;
  return value * 10 ** (6 - digits);
}

/** Postgres `timestamptz::text` in UTC: `2026-03-20 18:35:10.209452+00` (trailing fraction zeros trimmed, no minutes in the offset). */
export function postgresText(ms: number, micros = (ms % 1000) * 1000): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-03-20T18:35:10.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction(micros, 6)}+00`;
}

/** ISO 8601 UTC with `ticks` (0..9999999, 100 ns units) as .NET's System.Text.Json writes it: 0–7 digits, zeros trimmed. */
export function dotnetIso(ms: number, ticks = (ms % 1000) * 10_000): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 19)}${fraction(ticks, 7)}Z`;
}

/** ISO 8601 UTC without a fraction: `2019-08-24T14:15:22Z`, as Maxsight's documented example. */
export function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** JavaScript's `toISOString()`: milliseconds, `Z`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

function fraction(value: number, width: number): string {
  if (value <= 0) return "";
  return `.${String(value).padStart(width, "0").replace(/0+$/, "")}`;
}

/** Milliseconds of a Postgres text timestamp in UTC (`2026-03-20 18:35:10.209452+00`), as this sandbox writes them. */
export function postgresMs(text: string): number {
  return Date.parse(`${text.replace(" ", "T").replace(/\+00$/, "Z")}`);
}
