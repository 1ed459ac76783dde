import { parseUuid } from "@taskbridge/model";

export const ID_FORMAT = "a dashed UUID, e.g. 497f6eca-6276-4993-bfeb-53cbbbba6f08";

/** Maxsight task ids are UUIDs. Returns the lowercase form sent to the vendor; throws before any HTTP call. */
export function parseId(id: string, field = "id"): string {
  return parseUuid(id, field, ID_FORMAT);
}
