import { isTaskOf, readable, TaskInterface, UNREADABLE, vendorTaskRef } from "./task.ts";

export const MaxAiTaskObject = vendorTaskRef("maxai", "MaxAiTask").implement({
  description: "A Max AI task (GET /v2/tasks/{id}, POST /v4/tasks).",
  interfaces: [TaskInterface],
  isTypeOf: isTaskOf("maxai"),
  fields: (t) => ({
    syncStatus: t.string({
      description: "EHR sync state: pending, syncing, synced, failed (open set).",
      resolve: (task) => task.details.syncStatus,
    }),
    ehrType: t.string({ description: "modmed or ezderm (open set).", resolve: (task) => task.details.ehrType }),
    noteId: t.string({
      nullable: true,
      description: `\`nte_\` + 32 hex; null for tasks not anchored to a visit. ${UNREADABLE} (an id in neither dialect).`,
      resolve: (task, _args, ctx) => readable(task, "details.noteId", task.details.noteId, ctx),
    }),
  }),
});
