import { TASK_STATUSES } from "@taskbridge/model";
import { builder } from "../builder.ts";

export const TaskStatusEnum = builder.enumType("TaskStatus", {
  description:
    "Canonical status. Each vendor's values map onto this set; a value Taskbridge does not know is UNKNOWN and the vendor's own value stays in `vendorStatus`.",
  values: TASK_STATUSES,
});
