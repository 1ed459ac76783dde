export * from "./client.ts";
export * from "./path.ts";
export * from "./policy.ts";
export * from "./redact.ts";
export * from "./retry-after.ts";
