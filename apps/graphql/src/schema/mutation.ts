import { type AnyTask, CreateTaskInput, type IdKind, type TaskSource } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { sourceFor } from "../context.ts";
import { badUserInput, reportFailure } from "../errors.ts";
import type { VendorCallsOf } from "../plugins/vendor-call-plan.ts";
import { KEPT_TEXT, TRIMMED_ID } from "./input-text.ts";
import { canonicalId, checkedIdempotencyKey, keyedWrite } from "./keyed-write.ts";
import { TaskInterface } from "./task.ts";

const MaxAiCreateTaskInput = builder.inputType("MaxAiCreateTaskInput", {
  description: "Max AI `POST /v4/tasks`. Ids may be v4 prefixed ids (nte_/prv_…) or v2 dashed UUIDs.",
  fields: (t) => ({
    noteId: t.id({ required: true, description: `The visit note the task belongs to. ${TRIMMED_ID}` }),
    providerId: t.id({ required: true, description: `A Max AI provider id (Max AI's \`providerId\`). ${TRIMMED_ID}` }),
    notes: t.string({
      required: true,
      description: `The task's text (the task's \`description\`; at most 10,000 characters). ${KEPT_TEXT}`,
    }),
    assigneeIds: t.idList({ required: true, description: `1–50 provider ids. ${TRIMMED_ID}` }),
  }),
});

const CapyCreateTaskInput = builder.inputType("CapyCreateTaskInput", {
  description:
    "Capy `POST /v1/tasks`. The task belongs to no thread (`threadId` null) and Capy lists threads, so `taskList` does not list it: read it with `task`.",
  fields: (t) => ({
    projectId: t.id({ required: true, description: `The Capy project to create it in. ${TRIMMED_ID}` }),
    prompt: t.string({ required: true, description: `What the agent is to do (1–100,000 characters). ${KEPT_TEXT}` }),
    title: t.string({ description: `At most 500 characters. ${KEPT_TEXT}` }),
    labels: t.stringList({ description: `Up to 50 labels. ${KEPT_TEXT}` }),
    model: t.string({ description: `The model the agent is to use (Capy's \`model\`). ${TRIMMED_ID}` }),
    start: t.boolean({ description: "Whether Capy starts the task at once (Capy's `start`)." }),
  }),
});

const CreateTaskInputType = builder.inputType("CreateTaskInput", {
  description: "Exactly one branch: the vendor to create the task in. Only vendors that can create tasks have one.",
  isOneOf: true,
  fields: (t) => ({
    maxAi: t.field({ type: MaxAiCreateTaskInput }),
    capy: t.field({ type: CapyCreateTaskInput }),
  }),
});

const CreateTaskPayload = builder.objectRef<{ task: AnyTask }>("CreateTaskPayload").implement({
  description: "What createTask made.",
  fields: (t) => ({
    task: t.field({ type: TaskInterface, description: "The created task.", resolve: (p) => p.task }),
  }),
});

/** Drops the nulls GraphQL gives for omitted optional fields, so the model's schema sees them as absent. */
function withoutNulls(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** Each branch of CreateTaskInput and the vendor it creates in. */
const BRANCHES = { maxAi: "maxai", capy: "capy" } as const satisfies Record<string, CreateTaskInput["vendor"]>;
type Branch = keyof typeof BRANCHES;

/** The id fields of each vendor's create input and what they name: the fingerprint takes them canonical. */
const ID_FIELDS: { [V in CreateTaskInput["vendor"]]: Record<string, IdKind> } = {
  maxai: { noteId: "note", providerId: "person", assigneeIds: "person" },
  capy: { projectId: "project" },
};

/** The input with its ids canonical (see canonicalId), for the fingerprint. */
function canonicalIds(source: Pick<TaskSource, "canonicalId">, input: CreateTaskInput): CreateTaskInput {
  const out: Record<string, unknown> = { ...input };
  for (const [field, kind] of Object.entries(ID_FIELDS[input.vendor])) {
    const value = out[field];
    const canonical = (id: unknown) => (typeof id === "string" ? canonicalId(source, id, kind) : id);
    out[field] = Array.isArray(value) ? value.map(canonical) : canonical(value);
  }
  return out as CreateTaskInput;
}

/** The branch the caller filled in (@oneOf makes it one at most). */
function branchOf(input: Partial<Record<Branch, object | null>>): Branch | undefined {
  return (Object.keys(BRANCHES) as Branch[]).find((branch) => input[branch] != null);
}

/** GraphQL branch → the model's create input, validated with the model's zod schema before any vendor call. */
function validated(input: Partial<Record<Branch, object | null>>): CreateTaskInput {
  const branch = branchOf(input);
  if (branch === undefined) throw badUserInput("input: give exactly one vendor branch", "input");
  const parsed = CreateTaskInput.safeParse({ ...withoutNulls(input[branch] as object), vendor: BRANCHES[branch] });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: ["input", branch, ...issue.path].join("."), issue }));
    const message = issues.map(({ field, issue }) => `${field}: ${issue.message}`).join("; ");
    throw badUserInput(message, issues[0]?.field);
  }
  return parsed.data;
}

builder.mutationType({
  fields: (t) => ({
    createTask: t.field({
      type: CreateTaskPayload,
      description:
        "Creates a task in the vendor of the input's branch and returns it. Sent to the vendor once, never retried: " +
        "pass an idempotencyKey to make retrying this mutation safe.",
      extensions: {
        vendorCalls: ((args) => {
          const branch = branchOf(args.input as Partial<Record<Branch, object>>);
          return branch ? [{ vendor: BRANCHES[branch] }] : [];
        }) satisfies VendorCallsOf,
      },
      args: {
        input: t.arg({ type: CreateTaskInputType, required: true }),
        idempotencyKey: t.arg.string({
          description:
            "1–200 printable ASCII characters, unique per intended task (e.g. a UUID). The same key with the same " +
            "input returns the first call's task without creating another (kept at least 24 h, per tenant); with a " +
            "different input it fails with IDEMPOTENCY_KEY_REUSED. IDEMPOTENCY_OUTCOME_UNKNOWN: the vendor may " +
            "have created the task; check before using a new key. IDEMPOTENCY_UNAVAILABLE: the records cannot be " +
            "reached, nothing was sent; retry with the same key after retryAfterSeconds. IDEMPOTENCY_RECORDS_FULL: " +
            "the in-memory records are full until older ones expire, nothing was sent; retry with the same key later. " +
            "A call whose client disconnects before the task is sent (while it waits for a rate-budget slot) sends " +
            "nothing and leaves the key free; once sent, the task's creation is seen through and recorded for the key.",
        }),
      },
      resolve: async (_root, args, ctx) => {
        const input = validated(args.input);
        const key = checkedIdempotencyKey(args.idempotencyKey);
        try {
          const source = sourceFor(ctx.tenant, input.vendor);
          if (!source.createTask) throw badUserInput(`${input.vendor} cannot create tasks`, "input");
          const createTask = source.createTask as (i: CreateTaskInput, o: object) => Promise<AnyTask>;
          const create = (signal: AbortSignal | undefined) =>
            ctx.budget.call(input.vendor, () => createTask(input, { signal }));
          const write = { vendor: input.vendor, input: canonicalIds(source, input), done: "created the task" };
          const task = await keyedWrite(ctx, key, write, create);
          return { task };
        } catch (error) {
          throw reportFailure(ctx.log, error);
        }
      },
    }),
  }),
});
