import { TASK_STATUSES, type TaskStatus } from "@taskbridge/model";
import { builder } from "../builder.ts";

/** What each status means whatever the vendor (the model's STATUS_TABLES map each vendor's values). */
const STATUS_DESCRIPTIONS: Record<TaskStatus, string> = {
  TODO: "Not started yet (drafted, pending, in a backlog or queued).",
  IN_PROGRESS: "Being worked on.",
  BLOCKED: "Cannot go on until something changes (Cakewalk: blocked, or no one to claim it).",
  IN_REVIEW: "Done by its worker, waiting for a person's review (Capy).",
  DONE: "Finished as intended (completed, approved, passed).",
  CANCELLED: "Stopped before it was done (cancelled, declined).",
  FAILED: "Finished without success (an error, a failed check).",
  ARCHIVED: "Deleted or archived by the vendor.",
  UNKNOWN: "A value Taskbridge does not know: the vendor's own is in `vendorStatus`.",
};

export const TaskStatusEnum = builder.enumType("TaskStatus", {
  description:
    "Canonical status. Each vendor's values map onto this set; a value Taskbridge does not know is UNKNOWN and the vendor's own value stays in `vendorStatus`.",
  values: Object.fromEntries(
    TASK_STATUSES.map((status) => [status, { value: status, description: STATUS_DESCRIPTIONS[status] }]),
  ) as Record<TaskStatus, { value: TaskStatus; description: string }>,
});
