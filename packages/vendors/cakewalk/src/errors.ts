import type { ErrorReading, ResponseInfo } from "@taskbridge/http";
import { z } from "zod";
import { ProblemDetailsWire } from "./wire.ts";

/**
 * Cakewalk's answer for a task or user that does not exist: problem details (seed 002's 404 `ProblemDetails`), which
 * ASP.NET Core always gives a `title`. Any other 404 did not come from its API (see withNotFoundShape).
 */
export const NOT_FOUND = ProblemDetailsWire.extend({ title: z.string() });

/**
 * Reads RFC 7807 problem details `{type, title, status, detail, instance}` (seed 002 `ProblemDetails`).
 * - detail: `detail`, else `title`.
 * - trace id: the `traceId` extension member that ASP.NET Core puts into problem details, when present. No
 *   response header is used: Cakewalk documents none (no request-id / correlation-id header).
 * - kind: left to the HTTP status; problem `type` URIs are not documented as a closed set.
 * @see https://docs.getcakewalk.io/open-api/getting-started
 */
export function readCakewalkError(response: ResponseInfo): ErrorReading {
  const parsed = ProblemDetailsWire.safeParse(response.body);
  if (!parsed.success) return {};
  const { title, detail, traceId } = parsed.data;
  return { traceId: traceId || undefined, detail: detail || title || undefined };
}
