import type { AnyTask, TaskOf, Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { globalId } from "../global-id.ts";
import { AssigneeObject } from "./assignee.ts";
import { PersonRef, personKey } from "./person.ts";
import { TaskStatusEnum } from "./task-status.ts";
import { VendorEnum } from "./vendor.ts";

/** The object type of each vendor whose tasks have a typed presentation (see vendorTaskRef); others use GenericTask. */
const TYPED_TASKS = new Map<Vendor, string>();
const GENERIC_TASK = "GenericTask";

export const TaskInterface = builder.interfaceRef<AnyTask>("Task").implement({
  description: "A task in one vendor's system, in the canonical shape. Vendor-only fields live on the vendor's type.",
  resolveType: (task) => TYPED_TASKS.get(task.vendor) ?? GENERIC_TASK,
  fields: (t) => ({
    id: t.id({
      description: "Globally unique, stable id: `<vendor>:<vendorId>` (e.g. `maxai:tsk_…`). Treat it as opaque.",
      resolve: (task) => globalId(task.vendor, task.id),
    }),
    vendor: t.field({ type: VendorEnum, resolve: (task) => task.vendor }),
    vendorId: t.exposeString("id", {
      description: "The vendor's own id (Max AI: the v4 prefixed form `tsk_` + 32 hex).",
    }),
    title: t.exposeString("title", { nullable: true }),
    description: t.exposeString("description", { nullable: true }),
    status: t.field({ type: TaskStatusEnum, resolve: (task) => task.status }),
    vendorStatus: t.exposeString("vendorStatus", { description: "The vendor's status value, exactly as sent." }),
    createdAt: t.field({ type: "DateTime", resolve: (task) => task.createdAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (task) => task.updatedAt }),
    assignedProviders: t.field({
      type: [AssigneeObject],
      description:
        "Who the task is assigned to. Costs no vendor call unless `person` is selected for someone the vendor did not embed. Always empty for Capy (its tasks have no assignee).",
      resolve: (task, _args, ctx) => {
        const loader = PersonRef.getDataloader(ctx);
        for (const assignee of task.assignees) {
          if (assignee.inline) loader.prime(personKey(assignee.vendor, assignee.id), assignee.inline);
        }
        return task.assignees;
      },
    }),
    raw: t.field({
      type: "JSON",
      description: "The vendor's payload, untouched: for what the canonical model does not cover.",
      resolve: (task) => task.raw,
    }),
  }),
});

/**
 * The object type presenting one vendor's tasks with typed details: the Task interface resolves that vendor's
 * tasks to it. Give it `interfaces: [TaskInterface]` and `isTypeOf: isTaskOf(vendor)` when implementing it.
 */
export function vendorTaskRef<V extends Vendor>(vendor: V, name: string) {
  TYPED_TASKS.set(vendor, name);
  return builder.objectRef<TaskOf<V>>(name);
}

/** The object type of a vendor's tasks implements Task and is picked by `vendor`. */
export function isTaskOf<V extends Vendor>(vendor: V) {
  return (value: unknown): value is TaskOf<V> =>
    typeof value === "object" && value !== null && (value as { vendor?: unknown }).vendor === vendor;
}

/** Tasks of the vendors without a typed presentation: the common fields, and the vendor's own as JSON. */
export const GenericTaskObject = builder.objectRef<AnyTask>(GENERIC_TASK).implement({
  description:
    "A task of a vendor that has no task type of its own in this API: the common fields, and the vendor's own fields in `details`.",
  interfaces: [TaskInterface],
  isTypeOf: (value) =>
    typeof value === "object" && value !== null && !TYPED_TASKS.has((value as { vendor?: unknown }).vendor as Vendor),
  fields: (t) => ({
    details: t.field({
      type: "JSON",
      description: "The vendor's own fields, as its client maps them.",
      resolve: (task) => task.details,
    }),
  }),
});
