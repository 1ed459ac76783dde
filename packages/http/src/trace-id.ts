/** What a trace or request id looks like: up to 128 letters, digits and `_ . : / + = -` (UUIDs, traceparent, AWS). */
const TRACE_ID = /^[\w.:/+=-]{1,128}$/;
/** A trace id this long that a secret contains may be a piece of the secret. */
const PIECE = 8;

/**
 * A vendor's trace id as callers may see it, or undefined: kept only when it looks like an id and holds none of
 * `secrets` (a vendor may echo our credential in x-request-id), nor is a piece of one.
 */
export function safeTraceId(value: unknown, secrets: readonly string[]): string | undefined {
  if (typeof value !== "string" || !TRACE_ID.test(value)) return undefined;
  for (const secret of secrets) {
    if (secret.length >= 4 && value.includes(secret)) return undefined;
    if (value.length >= PIECE && secret.includes(value)) return undefined;
  }
  return value;
}
