export {
  CAPY_ACTIONS,
  capyAvailableActions,
  MESSAGE_CLOSED_STATUSES,
  performCapyAction,
  RUNNING_STATUSES,
} from "./actions.ts";
export { CAPY_CAPABILITIES, type CapyClient, createCapyClient } from "./client.ts";
export { type CapyClientOptions, type CapyHttpOptions, DEFAULT_CAPY_BASE_URL, parseCapyConfig } from "./config.ts";
export { CAPY_TRACE_HEADER, readCapyError } from "./errors.ts";
export { CAPY_ID_FORMAT, parseTaskId } from "./ids.ts";
export { CAPY_LIST, type CapyListFilter, type CapyListQuery, listCapyTasks } from "./list.ts";
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
