import { InvalidInputError, VendorError, VendorRateLimitedError } from "@taskbridge/model";
import { CircuitOpenError, UnsentRequestError } from "./errors.ts";

/** Transport failures that happen before a request can reach the vendor: nothing was delivered. */
const UNSENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Errors that ended a client call before any of its requests was handed to the transport. */
const unsent = new WeakSet<object>();

/**
 * Marks `error` as the end of a call that sent nothing (client.ts): whatever its kind (the caller gone, the deadline
 * passed while a policy waited), provenNotApplied() is then true. Only for an error made for that call alone.
 */
export function markUnsent(error: unknown): void {
  if (typeof error === "object" && error !== null) unsent.add(error);
}

/**
 * True only when the error proves the vendor did not carry out the request: it answered with a 4xx (it
 * refused, 429 included), or the request never left us (invalid input, a request undici refused to send, our rate
 * budget, the vendor's Retry-After pause, an open circuit, a refused or timed-out connect, a call that ended before
 * sending anything). Everything else (a reset or timeout after sending, a 5xx, a 2xx we could not read) is
 * ambiguous: the vendor may have acted on it. Callers use this to decide whether a write may be sent again without
 * risking a duplicate.
 */
export function provenNotApplied(error: unknown): boolean {
  if (error instanceof InvalidInputError || error instanceof UnsentRequestError || error instanceof CircuitOpenError) {
    return true;
  }
  if (typeof error === "object" && error !== null && unsent.has(error)) return true;
  if (!(error instanceof VendorError)) return false;
  if (error.status !== undefined) return error.status >= 400 && error.status <= 499;
  if (error instanceof VendorRateLimitedError) return true; // raised by our own policies, before sending
  if (error.kind === "not_configured") return true;
  if (error.kind === "timeout") return error.detail === "connect timeout";
  if (error.kind === "network") return error.detail !== undefined && UNSENT_CODES.has(error.detail);
  return false;
}
