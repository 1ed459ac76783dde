/** Reads a Retry-After value: delay-seconds or an HTTP date. Returns milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads a reset header given as Unix seconds (Max AI's X-RateLimit-Reset). Milliseconds from `now`. */
export function parseResetEpochSeconds(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value == null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value) * 1000 - now);
}
