export { CAKEWALK_ACTIONS, cakewalkAvailableActions, DECIDABLE_STATUSES, performCakewalkAction } from "./actions.ts";
export { CAKEWALK_CAPABILITIES, type CakewalkClient, createCakewalkClient } from "./client.ts";
export { type CakewalkClientConfig, type CakewalkHttpOptions, DEFAULT_BASE_URL } from "./config.ts";
export { readCakewalkError } from "./errors.ts";
export { ID_FORMAT, parseCakewalkId } from "./ids.ts";
export { CAKEWALK_LIST, listCakewalkTasks, STATUS_PARAMETER } from "./list.ts";
export { mapTask, mapUser, mapUserSimplified } from "./map.ts";
