import { VendorNotFoundError } from "@taskbridge/model";
import type { z } from "zod";
import type { ErrorReading, ResponseInfo } from "./client.ts";
import { kindForStatus } from "./errors.ts";

/** The call's result, or null when the vendor says the thing does not exist (how reads report a 404). */
export async function nullOnNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof VendorNotFoundError) return null;
    throw error;
  }
}

/** The detail of a 404 that did not come from the vendor's API. */
const FOREIGN_NOT_FOUND = "not the vendor's own not-found answer: does baseUrl lead to its API?";

/**
 * A vendor's `readError` that believes "not found" only when the answer is the vendor's own not-found body
 * (`notFound`, as its docs give it). Any other 404 (another service's, a proxy's page, an empty body) says the base
 * URL does not lead to the vendor's API: it becomes a contract violation, so a misconfigured connection fails loudly
 * instead of every read answering null.
 */
export function withNotFoundShape(
  readError: (response: ResponseInfo) => ErrorReading,
  notFound: z.ZodType,
): (response: ResponseInfo) => ErrorReading {
  return (response) => {
    const reading = readError(response);
    const kind = reading.kind ?? kindForStatus(response.status);
    if (kind !== "not_found" || notFound.safeParse(response.body).success) return reading;
    return { traceId: reading.traceId, kind: "contract_violation", detail: FOREIGN_NOT_FOUND };
  };
}
