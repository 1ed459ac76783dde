import { InvalidInputError } from "@taskbridge/model";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAXSIGHT_ID_FORMAT = "a dashed UUID, e.g. 497f6eca-6276-4993-bfeb-53cbbbba6f08";

/** Maxsight task ids are UUIDs. Returns the lowercase form sent to the vendor; throws before any HTTP call. */
export function parseMaxsightTaskId(id: string, field = "id"): string {
  if (typeof id !== "string" || !UUID.test(id)) throw new InvalidInputError(field, `expected ${MAXSIGHT_ID_FORMAT}`);
  return id.toLowerCase();
}
