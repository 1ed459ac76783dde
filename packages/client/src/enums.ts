import type { TaskStatus, Vendor } from "./operations.ts";

/** Every value of the schema's Vendor enum, for pickers (enums.test.ts fails when the schema adds one). */
export const VENDORS = ["MAX_AI", "CAKEWALK", "CAPY", "MAXSIGHT"] as const satisfies readonly Vendor[];

/** Every value of the schema's TaskStatus enum, for filters (enums.test.ts fails when the schema adds one). */
export const TASK_STATUSES = [
  "TODO",
  "IN_PROGRESS",
  "IN_REVIEW",
  "BLOCKED",
  "DONE",
  "FAILED",
  "CANCELLED",
  "ARCHIVED",
  "UNKNOWN",
] as const satisfies readonly TaskStatus[];
