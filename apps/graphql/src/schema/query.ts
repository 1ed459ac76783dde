import { type AnyTask, type Vendor, VendorNotFoundError } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { type GraphQLContext, readKey } from "../context.ts";
import { badUserInput, reportFailure } from "../errors.ts";
import { otherVendorsId, vendorIdFrom } from "../global-id.ts";
import type { PlannedCall, VendorCallsOf } from "../plugins/vendor-call-plan.ts";
import { TaskErrorObject, type TaskErrorShape, taskErrorFrom } from "./errors.ts";
import { TaskInterface } from "./task.ts";
import { VendorEnum } from "./vendor.ts";

/** Most refs one `tasks` call may ask for: each can be a vendor call. */
export const MAX_BATCH_REFS = 100;
const MAX_ID_LENGTH = 256;

interface TaskRefShape {
  id: string;
  vendor: Vendor;
}

interface TaskResultShape {
  ref: TaskRefShape;
  task: AnyTask | null;
  error: TaskErrorShape | null;
}

export const TaskRefInput = builder.inputType("TaskRefInput", {
  description: "A task by the vendor's id (or its global id) and vendor.",
  fields: (t) => ({
    id: t.id({ required: true }),
    vendor: t.field({ type: VendorEnum, required: true }),
  }),
});

const TaskRefObject = builder.objectRef<TaskRefShape>("TaskRef").implement({
  description: "The ref a batch item answers, as given.",
  fields: (t) => ({
    id: t.exposeID("id"),
    vendor: t.field({ type: VendorEnum, resolve: (r) => r.vendor }),
  }),
});

const TaskResultObject = builder.objectRef<TaskResultShape>("TaskResult").implement({
  description:
    "One item of a batch read: `task` when found; both `task` and `error` null when the vendor says it does not exist; `error` when the read failed.",
  fields: (t) => ({
    ref: t.field({ type: TaskRefObject, resolve: (r) => r.ref }),
    task: t.field({ type: TaskInterface, nullable: true, resolve: (r) => r.task }),
    error: t.field({ type: TaskErrorObject, nullable: true, resolve: (r) => r.error }),
  }),
});

function checkedId(id: string, field: string, vendor: Vendor): string {
  if (id.trim() === "") throw badUserInput(`${field} must not be empty`, field);
  if (id.length > MAX_ID_LENGTH) throw badUserInput(`${field} is longer than ${MAX_ID_LENGTH} characters`, field);
  const other = otherVendorsId(vendor, id);
  if (other) throw badUserInput(`${field} is a ${other.displayName} id: ask with vendor: ${other.publicName}`, field);
  return id;
}

/** The read of one ref, as the request's task loader keys it. */
function plannedRead({ vendor, id }: TaskRefShape): PlannedCall {
  return { vendor, read: readKey(vendor, vendorIdFrom(vendor, id)) };
}

/** A task through the request's task loader: identical reads in one request share one vendor call. */
async function readTask(ctx: GraphQLContext, vendor: Vendor, id: string): Promise<AnyTask | null> {
  try {
    return await ctx.tasks.load({ vendor, id: vendorIdFrom(vendor, id) });
  } catch (error) {
    if (error instanceof VendorNotFoundError) return null;
    throw error;
  }
}

builder.queryType({
  fields: (t) => ({
    task: t.field({
      type: TaskInterface,
      nullable: true,
      description: "A task by id and vendor; null when the vendor says it does not exist.",
      extensions: { vendorCalls: ((args) => [plannedRead(args as unknown as TaskRefShape)]) satisfies VendorCallsOf },
      args: {
        id: t.arg.id({ required: true, description: "The vendor's id (or the task's global id)." }),
        vendor: t.arg({ type: VendorEnum, required: true }),
      },
      resolve: async (_root, args, ctx) => {
        const id = checkedId(args.id, "id", args.vendor);
        try {
          return await readTask(ctx, args.vendor, id);
        } catch (error) {
          throw reportFailure(ctx.log, error);
        }
      },
    }),
    tasks: t.field({
      type: [TaskResultObject],
      description: `Up to ${MAX_BATCH_REFS} tasks, read concurrently; one result per ref, in order, so one failure does not hide the others. Repeated refs cost one vendor call.`,
      args: { refs: t.arg({ type: [TaskRefInput], required: true }) },
      extensions: {
        // More refs than allowed are refused before any call: then the field costs nothing.
        vendorCalls: ((args) => {
          const refs = args.refs as TaskRefShape[];
          return refs.length > MAX_BATCH_REFS ? [] : refs.map(plannedRead);
        }) satisfies VendorCallsOf,
      },
      resolve: async (_root, { refs }, ctx) => {
        if (refs.length > MAX_BATCH_REFS) {
          throw badUserInput(`refs: at most ${MAX_BATCH_REFS} tasks per call (got ${refs.length})`, "refs");
        }
        return Promise.all(
          refs.map(async (ref): Promise<TaskResultShape> => {
            try {
              // A bad id is its item's error, named like the vendors' own id errors (`id`), not the whole field's.
              return { ref, task: await readTask(ctx, ref.vendor, checkedId(ref.id, "id", ref.vendor)), error: null };
            } catch (error) {
              reportFailure(ctx.log, error);
              return { ref, task: null, error: taskErrorFrom(error, ref.vendor) };
            }
          }),
        );
      },
    }),
  }),
});
