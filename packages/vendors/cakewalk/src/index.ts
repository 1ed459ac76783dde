export { CAKEWALK_CAPABILITIES, type CakewalkClient, createCakewalkClient } from "./client.ts";
export { type CakewalkClientConfig, type CakewalkHttpOptions, DEFAULT_BASE_URL } from "./config.ts";
export { readCakewalkError } from "./errors.ts";
export { ID_FORMAT, parseCakewalkId } from "./ids.ts";
export { mapTask, mapUser, mapUserSimplified } from "./map.ts";
