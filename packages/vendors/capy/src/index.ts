export { type CapyClient, createClient } from "./client.ts";
export { type ClientOptions, ConnectionConfig, DEFAULT_BASE_URL, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { CAPY_TRACE_HEADER, readCapyError } from "./errors.ts";
export { ID_FORMAT, parseId } from "./ids.ts";
export { mapCreatedTask, mapTask } from "./map.ts";
export { CapyCreatedTaskWire, CapyErrorWire, CapySlackThreadWire, CapyTaggedErrorWire, CapyTaskWire } from "./wire.ts";
