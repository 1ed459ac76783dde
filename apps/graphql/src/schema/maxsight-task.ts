import { isTaskOf, TaskInterface, vendorTaskRef } from "./task.ts";

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
    lockedAt: t.field({ type: "DateTime", nullable: true, resolve: (task) => task.details.lockedAt }),
    dataVersion: t.int({ nullable: true, resolve: (task) => task.details.dataVersion }),
  }),
});
