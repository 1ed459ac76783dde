export { availableActions } from "./actions.ts";
export { createClient, type MaxAiClient } from "./client.ts";
export { type ClientOptions, ConnectionConfig, DEFAULT_BASE_URL, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { maxAiRetryAfter, readMaxAiError } from "./errors.ts";
export { ID_FORMAT, ID_PREFIXES, type MaxAiIdKind, toV2Id, toV4Id } from "./ids.ts";
export type { ListQuery, VendorFilter } from "./list.ts";
export { displayName, mapPerson, mapTask } from "./map.ts";
export { ProviderWire, TaskEnvelope, TaskWire } from "./wire.ts";
