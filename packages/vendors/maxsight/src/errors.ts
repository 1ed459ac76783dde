import type { ErrorReading, ResponseInfo } from "@taskbridge/http";
import { z } from "zod";

/**
 * Maxsight does not document the v5 error body, so nothing about its shape is assumed: a top-level
 * `message` / `detail` / `error` string is taken when present (or a bare JSON string), otherwise nothing.
 * The kind always follows the HTTP status.
 */
export function readMaxsightError(response: ResponseInfo): ErrorReading {
  return { detail: errorText(response.body) };
}

/**
 * Maxsight's answer for a task that does not exist. Its body is not documented; the docs call it "404 Task not
 * found" (retrieve-a-task, Troubleshooting), so an error whose text says that, in any form readMaxsightError reads,
 * is taken for it. Any other 404 did not come from its API (see withNotFoundShape).
 */
export const NOT_FOUND = z.unknown().refine((body) => /\btask not found\b/i.test(errorText(body) ?? ""));

function errorText(body: unknown): string | undefined {
  if (typeof body === "string") return nonEmpty(body);
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ["message", "detail", "error"]) {
    const value = record[key];
    if (typeof value === "string" && nonEmpty(value)) return value.trim();
  }
  return undefined;
}

function nonEmpty(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/**
 * `X-RateLimit-Reset-Secs` (seconds from now) is a header of Maxsight's legacy (PassFort) API; v5 documents no
 * rate-limit headers. Honoured as a cheap tolerance when no Retry-After is sent. Like `X-RateLimit-Remaining` it comes
 * on every answer, so it is a wait only once the window is used up (remaining 0) or the remaining count is not given:
 * otherwise a 5xx would read as "wait until the window resets" and not be retried. Milliseconds from now.
 */
export function legacyRateLimitReset(headers: Record<string, string>): number | undefined {
  const remaining = headers["x-ratelimit-remaining"]?.trim();
  if (remaining !== undefined && /^\d+$/.test(remaining) && Number(remaining) > 0) return undefined;
  const value = headers["x-ratelimit-reset-secs"]?.trim();
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}
