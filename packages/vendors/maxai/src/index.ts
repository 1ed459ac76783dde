export { createMaxAiClient, MAXAI_CAPABILITIES, type MaxAiClient } from "./client.ts";
export { DEFAULT_BASE_URL, type MaxAiClientConfig, type MaxAiHttpOptions } from "./config.ts";
export { maxAiRetryAfter, readMaxAiError } from "./errors.ts";
export { ID_FORMAT, ID_PREFIXES, type MaxAiIdKind, toV2Id, toV4Id } from "./ids.ts";
export { listMaxAiTasks, MAXAI_LIST, type MaxAiListFilter, type MaxAiListQuery } from "./list.ts";
export { displayName, mapPerson, mapTask } from "./map.ts";
