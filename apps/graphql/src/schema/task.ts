import type { Task } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { globalId } from "../global-id.ts";
import { AssigneeObject } from "./assignee.ts";
import { PersonRef, personKey } from "./person.ts";
import { TaskStatusEnum } from "./task-status.ts";
import { VendorEnum } from "./vendor.ts";

const TYPE_NAMES = {
  maxai: "MaxAiTask",
  cakewalk: "CakewalkTask",
  capy: "CapyTask",
  maxsight: "MaxsightTask",
} as const satisfies Record<Task["vendor"], string>;

export const TaskInterface = builder.interfaceRef<Task>("Task").implement({
  description: "A task in one vendor's system, in the canonical shape. Vendor-only fields live on the vendor's type.",
  resolveType: (task) => TYPE_NAMES[task.vendor],
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

/** The object type of a vendor's tasks implements Task and is picked by `vendor`. */
export function isTaskOf<V extends Task["vendor"]>(vendor: V) {
  return (value: unknown): value is Extract<Task, { vendor: V }> =>
    typeof value === "object" && value !== null && (value as { vendor?: unknown }).vendor === vendor;
}
