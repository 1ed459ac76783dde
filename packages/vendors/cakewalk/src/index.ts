export { availableActions, DECIDABLE_STATUSES } from "./actions.ts";
export { type CakewalkClient, createClient } from "./client.ts";
export { type ClientOptions, ConnectionConfig, DEFAULT_BASE_URL, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { readCakewalkError } from "./errors.ts";
export { ID_FORMAT, parseId } from "./ids.ts";
export { type ListQuery, STATUS_PARAMETER } from "./list.ts";
export { mapTask, mapUser, mapUserSimplified } from "./map.ts";
export { TaskResponseWire, TaskWire, UserSimplifiedWire } from "./wire.ts";
