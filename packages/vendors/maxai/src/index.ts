export { availableActions } from "./actions.ts";
export { createClient, type MaxAiClient } from "./client.ts";
export { type ClientOptions, ConnectionConfig, DEFAULT_BASE_URL, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { ID_FORMAT } from "./ids.ts";
export type { ListQuery, VendorFilter } from "./list.ts";
export { mapTask } from "./map.ts";
export { TaskWire } from "./wire.ts";
