export { type AcmeApi, type AcmeTicket, startAcmeApi } from "./api.ts";
export { type AcmeClient, createClient, ID_FORMAT } from "./client.ts";
export { type ClientOptions, ConnectionConfig, resolveConfig } from "./config.ts";
export { descriptor } from "./descriptor.ts";
export { mapTask, STATUSES } from "./map.ts";
