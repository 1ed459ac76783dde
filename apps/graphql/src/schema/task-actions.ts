import type { InputFieldBuilder } from "@pothos/core";
import {
  type AnyTask,
  InvalidInputError,
  parseTaskAction,
  type TaskAction,
  type TaskActionKind,
  type TaskSource,
  type Vendor,
} from "@taskbridge/model";
import { type BuilderTypes, builder } from "../builder.ts";
import { type GraphQLContext, sourceFor } from "../context.ts";
import { badUserInput, reportFailure } from "../errors.ts";
import { otherVendorsId, vendorIdFrom } from "../global-id.ts";
import type { VendorCallsOf } from "../plugins/vendor-call-plan.ts";
import { vendorDisplayName } from "../vendor-lookup.ts";
import { KEPT_TEXT, TRIMMED_ID } from "./input-text.ts";
import { canonicalId, checkedIdempotencyKey, keyedWrite } from "./keyed-write.ts";
import { AssigneeKindEnum } from "./person.ts";
import { TaskInterface } from "./task.ts";
import { VendorEnum } from "./vendor.ts";

/**
 * The calls one action makes at most: the action, then one read (the task after it, where the answer is not the
 * task; or, after a version conflict, the task's current version).
 */
const CALLS_PER_ACTION = 2;
const MAX_ID_LENGTH = 256;

const AssigneeInput = builder.inputType("AssigneeInput", {
  description: "Who to assign a task to: the vendor's own id (or global id) and its kind.",
  fields: (t) => ({
    id: t.id({ required: true, description: TRIMMED_ID }),
    kind: t.field({ type: AssigneeKindEnum, required: true }),
  }),
});

type Fields = InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>, "InputObject">;

/** The fields every action input starts with: which task. */
const target = (t: Fields) => ({
  vendor: t.field({ type: VendorEnum, required: true }),
  id: t.id({ required: true, description: "The vendor's id of the task (or its global id)." }),
});
const comment = (t: Fields, what: string) =>
  t.string({ description: `${what} (at most 2,000 characters; the vendor keeps it with the change). ${KEPT_TEXT}` });
const version = (t: Fields) =>
  t.string({
    required: true,
    description:
      "The task's `version` as last read. The vendor refuses the change if the task changed since: VENDOR_CONFLICT with `extensions.currentVersion`.",
  });
const actor = (t: Fields) =>
  t.id({
    description: `Who makes the change, where the vendor records it (Maxsight: required, a user id). ${TRIMMED_ID}`,
  });

interface ActionDefinition {
  kind: TaskActionKind;
  description: string;
  /** What the action does once done, for the idempotency messages. */
  done: string;
  input: ReturnType<typeof builder.inputType>;
}

const ACTIONS: Record<string, ActionDefinition> = {
  approveTask: {
    kind: "approve",
    done: "approved the task",
    description: "Approves a task (Cakewalk: POST /api/v1/Tasks/{taskId}/Approve).",
    input: builder.inputType("ApproveTaskInput", {
      fields: (t) => ({ ...target(t), comment: comment(t, "The justification") }),
    }),
  },
  declineTask: {
    kind: "decline",
    done: "declined the task",
    description: "Declines a task (Cakewalk: POST /api/v1/Tasks/{taskId}/Decline).",
    input: builder.inputType("DeclineTaskInput", {
      fields: (t) => ({ ...target(t), comment: comment(t, "The justification") }),
    }),
  },
  stopTask: {
    kind: "stop",
    done: "stopped the task",
    description: "Stops a running task (Capy: POST /v1/tasks/{taskId}/stop).",
    input: builder.inputType("StopTaskInput", {
      fields: (t) => ({ ...target(t), reason: comment(t, "Why") }),
    }),
  },
  messageTask: {
    kind: "message",
    done: "sent the message",
    description: "Sends the task's agent a follow-up message (Capy: POST /v1/tasks/{taskId}/message).",
    input: builder.inputType("MessageTaskInput", {
      fields: (t) => ({
        ...target(t),
        text: t.string({ required: true, description: `The message (1–100,000 characters). ${KEPT_TEXT}` }),
        attachmentUrls: t.stringList({ description: "Up to 20 http(s) URLs." }),
      }),
    }),
  },
  assignTask: {
    kind: "assign",
    done: "assigned the task",
    description:
      "Assigns or reassigns a task, if it has not changed since `expectedVersion` (Maxsight: PUT /v5/tasks/{task_id}/update-assignment with If-Match).",
    input: builder.inputType("AssignTaskInput", {
      fields: (t) => ({
        ...target(t),
        assignee: t.field({ type: AssigneeInput, required: true }),
        expectedVersion: version(t),
        actorId: actor(t),
        comment: comment(t, "A note on the assignment"),
      }),
    }),
  },
  unassignTask: {
    kind: "unassign",
    done: "unassigned the task",
    description: "Removes a task's assignment, if it has not changed since `expectedVersion` (Maxsight).",
    input: builder.inputType("UnassignTaskInput", {
      fields: (t) => ({
        ...target(t),
        expectedVersion: version(t),
        actorId: actor(t),
        comment: comment(t, "A note on the change"),
      }),
    }),
  },
};

const TaskActionPayload = builder.objectRef<{ task: AnyTask | null }>("TaskActionPayload").implement({
  description: "What an action the vendor accepted left behind.",
  fields: (t) => ({
    task: t.field({
      type: TaskInterface,
      nullable: true,
      description:
        "The task after the action. Null when the action happened but reading the task afterwards failed: the action is never reported as failed for that.",
      resolve: (p) => p.task,
    }),
  }),
});

interface ActionInput {
  vendor: Vendor;
  id: string;
  [field: string]: unknown;
}

builder.mutationFields((t) =>
  Object.fromEntries(
    Object.entries(ACTIONS).map(([name, definition]) => [
      name,
      t.field({
        type: TaskActionPayload,
        description: `${definition.description} Sent once, never retried; with an idempotencyKey a repeat answers the first outcome. BAD_USER_INPUT before any call for bad input or an action the vendor does not offer; VENDOR_CONFLICT when the task's state does not allow it, or for a stale expectedVersion (with extensions.currentVersion).`,
        args: {
          input: t.arg({ type: definition.input as never, required: true }),
          idempotencyKey: t.arg.string({
            description:
              "As createTask's: the same key with the same input answers the first call's outcome without sending the action again (kept at least 24 h, per tenant); with another input IDEMPOTENCY_KEY_REUSED.",
          }),
        },
        extensions: {
          vendorCalls: ((args) => {
            const vendor = (args.input as ActionInput | undefined)?.vendor;
            return vendor ? Array.from({ length: CALLS_PER_ACTION }, () => ({ vendor })) : [];
          }) satisfies VendorCallsOf,
        },
        resolve: (_root, args, ctx) =>
          perform(ctx, name, definition, args.input as ActionInput, checkedIdempotencyKey(args.idempotencyKey)),
      }),
    ]),
  ),
);

async function perform(
  ctx: GraphQLContext,
  name: string,
  definition: ActionDefinition,
  input: ActionInput,
  key: string | undefined,
): Promise<{ task: AnyTask | null }> {
  const { vendor } = input;
  const id = vendorIdFrom(vendor, input.id);
  if (id.trim() === "" || id.length > MAX_ID_LENGTH) throw badUserInput("input.id: 1–256 characters", "input.id");
  const other = otherVendorsId(vendor, id);
  if (other)
    throw badUserInput(`input.id is a ${other.displayName} id: act with vendor: ${other.publicName}`, "input.id");
  try {
    const action = parsedAction(definition.kind, input);
    const source = sourceFor(ctx.tenant, vendor);
    if (!source.performAction || !source.capabilities.actions.includes(definition.kind)) {
      throw badUserInput(`${vendorDisplayName(vendor)} offers no ${definition.kind} action`, "input.vendor");
    }
    const performAction = source.performAction.bind(source);
    const send = async (signal: AbortSignal | undefined) => {
      const act = () => performAction(id, action, { signal }).catch(renamingFields);
      const outcome = await ctx.budget.call(vendor, act, CALLS_PER_ACTION);
      return outcome.task as AnyTask | null;
    };
    const write = {
      vendor,
      input: { operation: name, vendor, id: canonicalId(source, id, "task"), action: canonicalIds(source, action) },
      done: definition.done,
    };
    return { task: await keyedWrite(ctx, key, write, send) };
  } catch (error) {
    throw reportFailure(ctx.log, error);
  }
}

/** The GraphQL input as the model's action, checked by the model's schema (InvalidInputError naming `input.…`). */
function parsedAction(kind: TaskActionKind, input: ActionInput): TaskAction {
  const { vendor, id: _id, ...fields } = input;
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null));
  // Ids may be global ids, as everywhere in this API.
  const assignee = given.assignee as { id: string; kind: string } | undefined;
  if (assignee) given.assignee = { ...assignee, id: vendorIdFrom(vendor, assignee.id) };
  if (typeof given.actorId === "string") given.actorId = vendorIdFrom(vendor, given.actorId);
  try {
    return parseTaskAction({ ...given, kind });
  } catch (error) {
    throw renamed(error);
  }
}

/** The action with its people's ids canonical, for the fingerprint (see canonicalId). */
function canonicalIds(source: Pick<TaskSource, "canonicalId">, action: TaskAction): TaskAction {
  const person = (id: string | undefined) => id && canonicalId(source, id, "person");
  if (action.kind === "assign") {
    const assignee = { ...action.assignee, id: canonicalId(source, action.assignee.id, "person") };
    return { ...action, assignee, actorId: person(action.actorId) };
  }
  return action.kind === "unassign" ? { ...action, actorId: person(action.actorId) } : action;
}

/** The vendor clients name action fields `action.…`; the caller knows them as `input.…`. */
function renamingFields(error: unknown): never {
  throw renamed(error);
}

function renamed(error: unknown): unknown {
  if (!(error instanceof InvalidInputError)) return error;
  const field = `input.${error.field.replace(/^action\./, "")}`;
  return new InvalidInputError(field, error.message.slice(error.message.indexOf(": ") + 2));
}
