import { InvalidInputError } from "./errors.ts";

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
