export * from "./create-input.ts";
export * from "./errors.ts";
export * from "./person.ts";
export * from "./source.ts";
export * from "./status.ts";
export * from "./task.ts";
export * from "./timestamp.ts";
export * from "./vendor.ts";
