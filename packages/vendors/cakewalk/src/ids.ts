import { InvalidInputError } from "@taskbridge/model";

// Cakewalk ids are .NET Guids: 8-4-4-4-12 hex. No version/variant check: Guids need not be RFC 4122 v4.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ID_FORMAT = "a UUID (8-4-4-4-12 hex digits, any case), e.g. 3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10";

/** Validates a Cakewalk task or user id and returns its canonical form (lowercase). */
export function parseCakewalkId(value: unknown, field: string): string {
  if (typeof value !== "string" || !GUID.test(value)) {
    throw new InvalidInputError(field, `expected ${ID_FORMAT}`);
  }
  return value.toLowerCase();
}
