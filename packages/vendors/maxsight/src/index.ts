export { createMaxsightClient, MAXSIGHT_CAPABILITIES, type MaxsightClient } from "./client.ts";
export {
  MAXSIGHT_REGION_URLS,
  MAXSIGHT_REGIONS,
  type MaxsightClientOptions,
  MaxsightConfig,
  type MaxsightHttpOptions,
  type MaxsightRegion,
  type ResolvedMaxsightConfig,
  resolveMaxsightConfig,
} from "./config.ts";
export { legacyRateLimitReset, readMaxsightError } from "./errors.ts";
export { MAXSIGHT_ID_FORMAT, parseMaxsightTaskId } from "./ids.ts";
export { mapAssignees as mapMaxsightAssignees, mapMaxsightTask } from "./map.ts";
export { MaxsightAssignmentWire, MaxsightTaskWire } from "./wire.ts";
