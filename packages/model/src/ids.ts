import { fieldViolation, InvalidInputError } from "./errors.ts";
import type { IdKind } from "./source.ts";
import type { Vendor } from "./vendor.ts";

// 8-4-4-4-12 hex digits. No version or variant check: vendors' ids (e.g. .NET Guids) need not be RFC 4122.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a UUID-form id before any request and returns it in lower case, as the vendors print them (UUIDs are
 * case-insensitive, so one thing never gets two canonical ids). Anything else is an InvalidInputError naming
 * `field` and the expected `format`, never the value.
 */
export function parseUuid(value: unknown, field: string, format: string): string {
  if (typeof value !== "string" || !UUID.test(value)) throw new InvalidInputError(field, `expected ${format}`);
  return value.toLowerCase();
}

/**
 * A UUID-form id in a vendor's answer, in lower case as `parseUuid` gives it. Anything else breaks the vendor's
 * contract: a caller handed it could never use it (every read or action refuses it as a malformed id).
 */
export function answeredUuid(vendor: Vendor, value: string, field: string): string {
  if (!UUID.test(value)) throw fieldViolation(vendor, field, "not a UUID");
  return value.toLowerCase();
}

/**
 * `TaskSource.canonicalId` from a vendor's table of id parsers by kind (vendor differences as data): the parser's
 * result, or the id as given where the kind has no parser or the id does not parse.
 */
export function canonicalIdBy(
  parsers: Partial<Record<IdKind, (id: string) => string>>,
  id: string,
  kind: IdKind,
): string {
  const parse = parsers[kind];
  if (!parse) return id;
  try {
    return parse(id);
  } catch (error) {
    if (error instanceof InvalidInputError) return id;
    throw error;
  }
}
