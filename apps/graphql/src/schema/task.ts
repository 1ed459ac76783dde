import { type AnyTask, problemOf, type TaskOf, type UnreadableField, type Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { fieldProblem } from "../errors.ts";
import { globalId } from "../global-id.ts";
import { AssigneeObject } from "./assignee.ts";
import { PersonRef, personKey } from "./person.ts";
import { TaskActionEnum } from "./task-action.ts";
import { TaskStatusEnum } from "./task-status.ts";
import { VendorEnum } from "./vendor.ts";

/** The object type of each vendor whose tasks have a typed presentation (see vendorTaskRef); others use GenericTask. */
const TYPED_TASKS = new Map<Vendor, string>();
const GENERIC_TASK = "GenericTask";

export const TaskInterface = builder.interfaceRef<AnyTask>("Task").implement({
  description:
    "A task in one vendor's system, in the canonical shape. Vendor-only fields live on the vendor's type. A field marked Unreadable is null, with a VENDOR_CONTRACT_VIOLATION error at its path (extensions `vendor`, `upstreamStatus`, and `field`: the vendor's own field name), when the vendor sent a value the canonical model cannot read; the rest of the task and `raw` still arrive. Only an id that cannot be read, or that is not the one asked for, fails the whole task.",
  resolveType: (task) => TYPED_TASKS.get(task.vendor) ?? GENERIC_TASK,
  fields: (t) => ({
    id: t.id({
      description: "Globally unique, stable id: `<vendor>:<vendorId>` (e.g. `maxai:tsk_…`). Treat it as opaque.",
      resolve: (task) => globalId(task.vendor, task.id),
    }),
    vendor: t.field({ type: VendorEnum, description: "The vendor the task lives in.", resolve: (task) => task.vendor }),
    vendorId: t.exposeString("id", {
      description: "The vendor's own id (Max AI: the v4 prefixed form `tsk_` + 32 hex).",
    }),
    title: t.exposeString("title", {
      nullable: true,
      description: "A short title; null where the vendor's task has none (Max AI's and Cakewalk's have none).",
    }),
    description: t.exposeString("description", {
      nullable: true,
      description: "The longer text, where the vendor has one (Max AI: `notes`, Capy: the prompt); else null.",
    }),
    status: t.field({
      type: TaskStatusEnum,
      description: "The vendor's status mapped onto the canonical set (its own value: `vendorStatus`).",
      resolve: (task) => task.status,
    }),
    vendorStatus: t.exposeString("vendorStatus", { description: "The vendor's status value, exactly as sent." }),
    createdAt: t.field({
      type: "DateTime",
      nullable: true,
      description: `When the task was created. ${UNREADABLE} (Max AI and Capy type timestamps as plain strings).`,
      resolve: (task, _args, ctx) => readable(task, "createdAt", task.createdAt, ctx),
    }),
    updatedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: `When the task last changed. ${UNREADABLE}.`,
      resolve: (task, _args, ctx) => readable(task, "updatedAt", task.updatedAt, ctx),
    }),
    assignedProviders: t.field({
      type: [AssigneeObject],
      nullable: true,
      description: `Who the task is assigned to. Costs no vendor call unless \`person\` is selected for someone the vendor did not embed. Always empty for Capy (its tasks have no assignee). ${UNREADABLE} (Max AI: a provider id in neither id dialect).`,
      resolve: (task, _args, ctx) => {
        const assignees = readable(task, "assignees", task.assignees, ctx);
        const loader = PersonRef.getDataloader(ctx);
        for (const assignee of assignees ?? []) {
          if (assignee.inline) loader.prime(personKey(assignee.vendor, assignee.id), assignee.inline);
        }
        return assignees;
      },
    }),
    raw: t.field({
      type: "JSON",
      description:
        "The vendor's payload as received, for what the canonical model does not cover. A credential of the connection that the vendor echoes in it is `[redacted]`.",
      resolve: (task) => task.raw,
    }),
    version: t.string({
      nullable: true,
      description:
        "The vendor's concurrency token, exactly as sent (Maxsight: `updated_at`): pass it as `expectedVersion` to assignTask / unassignTask. Null where the vendor has no conditional changes.",
      resolve: (task) => task.version ?? null,
    }),
    availableActions: t.field({
      type: [TaskActionEnum],
      description:
        "What a client may do with the task now: the vendor's actions its state allows (Cakewalk approves and declines only a Pending or InProgress task). No vendor call. The vendor has the last word: a state that changed since answers VENDOR_CONFLICT.",
      resolve: (task, _args, ctx) => ctx.tenant.sources.get(task.vendor)?.availableActions?.(task as never) ?? [],
    }),
  }),
});

/** How a field that a vendor's answer can leave unreadable says so, in the API reference. */
export const UNREADABLE =
  "Unreadable: null, with a VENDOR_CONTRACT_VIOLATION error here, when the vendor's value cannot be read";

/**
 * A field a vendor's answer can leave unreadable (a key of the task's `problems`): its value, or the problem as this
 * field's error, so one unreadable value never costs the rest of the task. Every task field that maps a problem
 * resolves through here, in lists as in single reads.
 */
export function readable<T extends AnyTask | TaskOf<Vendor>, V>(
  task: T,
  field: UnreadableField<T>,
  value: V,
  ctx: GraphQLContext,
): V {
  const problem = problemOf(task, field);
  if (problem) throw fieldProblem(ctx.log, problem);
  return value;
}

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
