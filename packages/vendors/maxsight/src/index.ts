export { MAXSIGHT_ACTIONS, maxsightAvailableActions, performMaxsightAction } from "./actions.ts";
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
export { listMaxsightTasks, MAXSIGHT_LIST, type MaxsightListQuery, STATUS_COLUMN } from "./list.ts";
export { mapAssignees as mapMaxsightAssignees, mapMaxsightTask } from "./map.ts";
export { MaxsightAssignmentWire, MaxsightSearchWire, MaxsightTaskWire } from "./wire.ts";
