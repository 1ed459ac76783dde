import type { ErrorReading, ResponseInfo } from "@taskbridge/http";
import { z } from "zod";
import { CapyErrorWire, CapyTaggedErrorWire } from "./wire.ts";

/**
 * Capy's answer for a task or project that does not exist: its error envelope (seed 003's `NotFound` response is an
 * `ErrorResponse`; the code is not documented), or a `capy/…` tagged error of the later spec. Any other 404 did not
 * come from its API (see withNotFoundShape).
 */
export const NOT_FOUND = z.union([CapyErrorWire, CapyTaggedErrorWire.extend({ _tag: z.string().startsWith("capy/") })]);

/** Capy documents no trace id; if a response carries this common header, it becomes the error's traceId. */
export const CAPY_TRACE_HEADER = "x-request-id";

/**
 * Reads Capy's error envelope: `{error:{code, message, details?}}` (v1 spec), or the tagged form
 * `{"_tag":"capy/TaskNotFound", message?}` of the August 2026 spec. The kind is left to the HTTP status:
 * Capy's error codes are not documented, so guessing from them would be invention. (An echoed token is already
 * gone from the body: the transport takes the connection's secrets out of every answer.)
 */
export function readCapyError(response: ResponseInfo): ErrorReading {
  return { traceId: response.headers[CAPY_TRACE_HEADER] || undefined, detail: describe(response.body) };
}

function describe(body: unknown): string | undefined {
  const enveloped = CapyErrorWire.safeParse(body);
  if (enveloped.success) {
    const { code, message } = enveloped.data.error;
    const text = [code, message].filter(Boolean).join(": ");
    return text || undefined;
  }
  const tagged = CapyTaggedErrorWire.safeParse(body);
  if (tagged.success) {
    const { _tag, message } = tagged.data;
    return message ? `${_tag}: ${message}` : _tag;
  }
  return undefined;
}
