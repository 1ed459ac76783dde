import { type IdKind, parseUuid } from "@taskbridge/model";

export const ID_FORMAT = "a dashed UUID, e.g. 497f6eca-6276-4993-bfeb-53cbbbba6f08";

/** Maxsight task ids are UUIDs. Returns the lowercase form sent to the vendor; throws before any HTTP call. */
export function parseId(id: string, field = "id"): string {
  return parseUuid(id, field, ID_FORMAT);
}

/** Canonical ids by kind (TaskSource.canonicalId): tasks, users and teams are UUIDs, in lower case. */
export const CANONICAL_IDS: Partial<Record<IdKind, (id: string) => string>> = {
  task: (id) => parseId(id),
  person: (id) => parseId(id),
};
