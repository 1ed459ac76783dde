import { z } from "zod";

/**
 * Wire shapes for exactly the fields we read. Objects are loose (unknown fields pass), enums are plain strings
 * (the canonical mapping handles new values), and required-ness follows the vendor's spec.
 * @see https://docs.maxcare.ai/api-reference/v2/tasks/get-task
 */

/** `ExternalTaskAssignedProvider` (v2) and the v4 Provider: names and username are nullable but present. */
export const ProviderWire = z.looseObject({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  displayFirstName: z.string().nullable(),
  displayLastName: z.string().nullable(),
  username: z.string().nullable(),
  roles: z.array(z.string()),
});
export type ProviderWire = z.infer<typeof ProviderWire>;

/** `ExternalTaskResponse` (v2, dashed UUIDs) and the v4 task (prefixed ids): same fields. */
export const TaskWire = z.looseObject({
  id: z.string(),
  status: z.string(),
  syncStatus: z.string(),
  notes: z.string(),
  // Absent for tasks anchored to a non-visit entity; null tolerated as the same thing.
  noteId: z.string().nullish(),
  ehrType: z.string(),
  assignedProviders: z.array(ProviderWire),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TaskWire = z.infer<typeof TaskWire>;

/** Every success body is `{code: "success", data}`. */
function envelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ code: z.string(), data });
}

export const TaskEnvelope = envelope(TaskWire);
/** The least of `POST /v4/tasks`'s answer that names the created task, to read it back when the rest breaks the contract. */
export const CreatedTaskId = z.looseObject({ data: z.looseObject({ id: z.string().min(1) }) });
export const ProviderEnvelope = envelope(ProviderWire);

/** `{code, message, trace_id}` on every error; read leniently since it only enriches the error. */
export const ErrorWire = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  trace_id: z.string().optional(),
});

/**
 * `GET /v4/tasks` 200: `{code, data: {tasks, pagination}}`. The entries are checked one by one (TaskWire) so one
 * unreadable task does not cost the page.
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/list-tasks
 */
export const TaskListEnvelope = envelope(
  z.looseObject({
    tasks: z.array(z.unknown()),
    pagination: z.looseObject({
      page: z.number().int(),
      pageSize: z.number().int(),
      totalCount: z.number().int(),
      totalPages: z.number().int(),
    }),
  }),
);
