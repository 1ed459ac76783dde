import { type IdKind, parseUuid } from "@taskbridge/model";

export const ID_FORMAT = "a UUID (8-4-4-4-12 hex digits, any case), e.g. 3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10";

/** Validates a Cakewalk task or user id (a .NET Guid) and returns its canonical form (lowercase). */
export function parseId(value: unknown, field = "id"): string {
  return parseUuid(value, field, ID_FORMAT);
}

/** Canonical ids by kind (TaskSource.canonicalId): tasks and users are Guids, in lower case. */
export const CANONICAL_IDS: Partial<Record<IdKind, (id: string) => string>> = { task: parseId, person: parseId };
