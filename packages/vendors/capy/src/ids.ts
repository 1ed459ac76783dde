import { canonicalIdBy, type IdKind, parseUuid } from "@taskbridge/model";

export const ID_FORMAT = "a Capy task UUID (8-4-4-4-12 hex digits, e.g. 550e8400-e29b-41d4-a716-446655440000)";

/**
 * Checks a task id before any request (the spec's `format: uuid`) and returns it in lower case, as Capy prints ids.
 * Throws InvalidInputError for anything that is not a UUID.
 */
export function parseId(id: string, field = "id"): string {
  return parseUuid(id, field, ID_FORMAT);
}

/** Canonical ids by kind (TaskSource.canonicalId): task UUIDs in lower case; project ids as given (no format known). */
export const CANONICAL_IDS: Partial<Record<IdKind, (id: string) => string>> = { task: (id) => parseId(id) };

/**
 * A task id in Capy's answer as Taskbridge returns it: canonical (a UUID in lower case), so the id a caller is given
 * is the one reads, actions and idempotency fingerprints use. An id that is not a UUID, which no read could take, is
 * kept as sent.
 */
export function answeredTaskId(id: string): string {
  return canonicalIdBy(CANONICAL_IDS, id, "task");
}
