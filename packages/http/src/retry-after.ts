// The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850, and asctime.
const GMT_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2}) \d{2}:\d{2}:\d{2} GMT$/;
// asctime carries no zone but means GMT; Date.parse would read it as local time.
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Reads a Retry-After value: delay-seconds or an HTTP date. Returns milliseconds from `now`; a date in the past
 * gives 0; anything else (garbage, negative numbers, other date formats) gives undefined.
 * Fractional seconds are accepted because some servers send them.
 */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = GMT_DATE.test(text) ? Date.parse(text) : ASCTIME.test(text) ? Date.parse(`${text} GMT`) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads a reset header given as Unix seconds (Max AI's X-RateLimit-Reset). Milliseconds from `now`. */
export function parseResetEpochSeconds(value: string | undefined | null, now = Date.now()): number | undefined {
  if (value == null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value) * 1000 - now);
}
