import type { TaskActionKind } from "@taskbridge/model";
import { builder } from "../builder.ts";

/** Each action kind, its GraphQL name and what it does. */
const ACTIONS: Record<TaskActionKind, { name: string; description: string }> = {
  approve: { name: "APPROVE", description: "approveTask: approve an access-governance task (Cakewalk)." },
  decline: { name: "DECLINE", description: "declineTask: decline it (Cakewalk)." },
  stop: { name: "STOP", description: "stopTask: stop a running task (Capy)." },
  message: { name: "MESSAGE", description: "messageTask: send the task's agent a follow-up message (Capy)." },
  assign: { name: "ASSIGN", description: "assignTask: assign or reassign, under the task's version (Maxsight)." },
  unassign: { name: "UNASSIGN", description: "unassignTask: remove the assignment, under its version (Maxsight)." },
};

export const TaskActionEnum = builder.enumType("TaskAction", {
  description: "Something a client can do to a task, each with its own mutation.",
  values: Object.fromEntries(
    Object.entries(ACTIONS).map(([kind, { name, description }]) => [name, { value: kind, description }]),
  ) as Record<string, { value: TaskActionKind; description: string }>,
});
