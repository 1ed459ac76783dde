export { availableActions, MESSAGE_CLOSED_STATUSES, RUNNING_STATUSES } from "./actions.ts";
export { type CapyClient, createClient } from "./client.ts";
export { type ClientOptions, ConnectionConfig, DEFAULT_BASE_URL, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { CAPY_TRACE_HEADER, readCapyError } from "./errors.ts";
export { ID_FORMAT, parseId } from "./ids.ts";
export type { ListQuery, VendorFilter } from "./list.ts";
export { mapCreatedTask, mapTask } from "./map.ts";
export {
  CapyCreatedTaskWire,
  CapyErrorWire,
  CapySlackThreadWire,
  CapyTaggedErrorWire,
  CapyTaskWire,
  CapyThreadListWire,
  CapyThreadWire,
} from "./wire.ts";
