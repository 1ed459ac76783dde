import { InvalidInputError } from "@taskbridge/model";

// The spec's `format: uuid` for taskId; any version, either case.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CAPY_ID_FORMAT = "a Capy task UUID (8-4-4-4-12 hex digits, e.g. 550e8400-e29b-41d4-a716-446655440000)";

/**
 * Checks a task id before any request and returns its canonical form: lower case, as Capy prints ids
 * (UUIDs are case-insensitive, so the same task never gets two canonical ids).
 * Throws InvalidInputError for anything that is not a UUID.
 */
export function parseTaskId(id: string, field = "id"): string {
  if (typeof id !== "string" || !UUID.test(id)) {
    throw new InvalidInputError(field, `expected ${CAPY_ID_FORMAT}`);
  }
  return id.toLowerCase();
}
