import { type ErrorReading, parseResetEpochSeconds, type ResponseInfo } from "@taskbridge/http";
import type { VendorErrorKind } from "@taskbridge/model";
import { z } from "zod";
import { ErrorWire } from "./wire.ts";

/**
 * Max AI's answer for a task or provider that does not exist (`PublicApiNotFoundResponse`, seed 000): any other 404
 * did not come from its API (see withNotFoundShape).
 */
export const NOT_FOUND = ErrorWire.extend({ code: z.literal("not_found") });

/** Max AI's documented error codes. Unknown codes fall back to the HTTP status. */
const KINDS: Readonly<Record<string, VendorErrorKind>> = {
  bad_request: "bad_request",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  rate_limit_exceeded: "rate_limited",
  internal_error: "unavailable",
};

/**
 * Reads `{code, message, trace_id}`.
 * @see https://docs.maxcare.ai/guides/errors
 */
export function readMaxAiError(response: ResponseInfo): ErrorReading {
  const parsed = ErrorWire.safeParse(response.body);
  if (!parsed.success) return {};
  const { code, message, trace_id: traceId } = parsed.data;
  return {
    traceId: traceId || undefined,
    detail: message || undefined,
    kind: code !== undefined && Object.hasOwn(KINDS, code) ? KINDS[code] : undefined,
  };
}

/**
 * `X-RateLimit-Reset` (Unix seconds) as a wait hint when `Retry-After` is absent. Every response carries the
 * header, so it only counts when the window is used up (remaining 0) or the remaining count is not given.
 * @see https://docs.maxcare.ai/guides/rate-limits
 */
export function maxAiRetryAfter(headers: Record<string, string>, now: number): number | undefined {
  const remaining = headers["x-ratelimit-remaining"]?.trim();
  if (remaining !== undefined && /^\d+$/.test(remaining) && Number(remaining) > 0) return undefined;
  return parseResetEpochSeconds(headers["x-ratelimit-reset"], now);
}
