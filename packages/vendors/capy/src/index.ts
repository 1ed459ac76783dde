export { CAPY_CAPABILITIES, type CapyClient, createCapyClient } from "./client.ts";
export { type CapyClientOptions, type CapyHttpOptions, DEFAULT_CAPY_BASE_URL, parseCapyConfig } from "./config.ts";
export { CAPY_TRACE_HEADER, readCapyError } from "./errors.ts";
export { CAPY_ID_FORMAT, parseTaskId } from "./ids.ts";
export { mapCreatedTask, mapTask } from "./map.ts";
export { CapyCreatedTaskWire, CapyErrorWire, CapySlackThreadWire, CapyTaggedErrorWire, CapyTaskWire } from "./wire.ts";
