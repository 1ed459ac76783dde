import { isTaskOf, readable, TaskInterface, UNREADABLE, vendorTaskRef } from "./task.ts";

export const MaxsightTaskObject = vendorTaskRef("maxsight", "MaxsightTask").implement({
  description: "A Maxsight task (GET /v5/tasks/{task_id}). Assignees are known by id and kind only.",
  interfaces: [TaskInterface],
  isTypeOf: isTaskOf("maxsight"),
  fields: (t) => ({
    stepName: t.string({ nullable: true, resolve: (task) => task.details.stepName }),
    workflowInstanceId: t.string({ nullable: true, resolve: (task) => task.details.workflowInstanceId }),
    assessmentId: t.string({ nullable: true, resolve: (task) => task.details.assessmentId }),
    entityId: t.string({ nullable: true, resolve: (task) => task.details.entityId }),
    institutionId: t.string({ nullable: true, resolve: (task) => task.details.institutionId }),
    lockedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: `When the task was locked; null when it is not. ${UNREADABLE}.`,
      resolve: (task, _args, ctx) => readable(task, "details.lockedAt", task.details.lockedAt, ctx),
    }),
    dataVersion: t.field({
      type: "SafeInt",
      nullable: true,
      description: `Maxsight's \`data_version\`, up to ±(2^53 − 1). ${UNREADABLE} (a larger integer, which cannot be read exactly).`,
      resolve: (task, _args, ctx) => readable(task, "details.dataVersion", task.details.dataVersion, ctx),
    }),
  }),
});
