export { availableActions } from "./actions.ts";
export { createClient, type MaxsightClient } from "./client.ts";
export {
  type ClientOptions,
  ConnectionConfig,
  DEFAULT_BASE_URL,
  MAXSIGHT_REGION_URLS,
  MAXSIGHT_REGIONS,
  type MaxsightRegion,
  type ResolvedConfig,
  resolveConfig,
} from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { legacyRateLimitReset, readMaxsightError } from "./errors.ts";
export { ID_FORMAT, parseId } from "./ids.ts";
export { type ListQuery, STATUS_COLUMN, type VendorFilter } from "./list.ts";
export { mapAssignees, mapTask } from "./map.ts";
export { MaxsightAssignmentWire, MaxsightSearchWire, MaxsightTaskWire } from "./wire.ts";
