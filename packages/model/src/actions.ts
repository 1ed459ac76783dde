import { z } from "zod";
import { InvalidInputError, VendorError } from "./errors.ts";
import { idText, keptText } from "./input-text.ts";
import { AssigneeKind } from "./person.ts";
import type { AnyTask } from "./task.ts";
import { isWireText, wireTextExpected } from "./wire-text.ts";

// Taskbridge's own bound on a note; no vendor documents one. Ids are trimmed, text is kept as given (input-text.ts).
const note = keptText.max(2_000);
// A version goes back to the vendor in a header (Maxsight's If-Match), so it is refused, never trimmed, unless it
// can travel there exactly as given.
const version = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => isWireText(value, "header"), wireTextExpected("header"));

/**
 * Everything a caller can ask a vendor to do to a task, one variant per kind. A vendor offers the kinds in
 * `capabilities.actions`; `availableActions(task)` says which of them the task's state allows now.
 */
export const TaskAction = z.discriminatedUnion("kind", [
  /** Cakewalk: approve an access-governance task. `comment` is the optional justification. */
  z.object({ kind: z.literal("approve"), comment: note.optional() }),
  /** Cakewalk: decline it. */
  z.object({ kind: z.literal("decline"), comment: note.optional() }),
  /** Capy: stop a running task. */
  z.object({ kind: z.literal("stop"), reason: note.optional() }),
  /** Capy: send the task's agent a follow-up message. */
  z.object({
    kind: z.literal("message"),
    text: keptText.max(100_000),
    attachmentUrls: z
      .array(z.url({ protocol: /^https?$/ }))
      .max(20)
      .optional(),
  }),
  /**
   * Maxsight: assign or reassign. `expectedVersion` is the task's `version` as last read; the vendor refuses the
   * change when the task has changed since (VendorConflictError with the current version). `actorId` is who makes
   * the change, where the vendor records one (Maxsight requires it).
   */
  z.object({
    kind: z.literal("assign"),
    assignee: z.object({ id: idText.max(200), kind: AssigneeKind }),
    expectedVersion: version,
    actorId: idText.max(200).optional(),
    comment: note.optional(),
  }),
  /** Maxsight: remove the assignment, under the same version check. */
  z.object({
    kind: z.literal("unassign"),
    expectedVersion: version,
    actorId: idText.max(200).optional(),
    comment: note.optional(),
  }),
]);
export type TaskAction = z.infer<typeof TaskAction>;
export type TaskActionKind = TaskAction["kind"];
export const TASK_ACTION_KINDS = [
  "approve",
  "decline",
  "stop",
  "message",
  "assign",
  "unassign",
] as const satisfies readonly TaskActionKind[];

/** What an action that the vendor accepted leaves behind. */
export interface ActionOutcome<T extends AnyTask = AnyTask> {
  /**
   * The task after the action: from the vendor's answer, else read back. null when that read failed: the action
   * still happened (it is never reported as failed because the read after it did).
   */
  task: T | null;
}

/** The parsed action, or an InvalidInputError naming the first bad field, thrown before any vendor call. */
export function parseTaskAction(input: unknown): TaskAction {
  const parsed = TaskAction.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(issue?.path.join(".") || "action", issue?.message ?? "invalid action");
}

/** The error for an action a vendor does not offer, thrown before any call. */
export function unsupportedAction(vendor: string, kind: string): InvalidInputError {
  return new InvalidInputError("action.kind", `${vendor} offers no ${JSON.stringify(kind)} action`);
}

/**
 * The task after an action the vendor accepted, read by `read`; null when that read fails for any reason (not yet
 * visible, timeout, cancelled, rate limited): the action happened, and a failed read must not say otherwise.
 */
export async function readAfterAction<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof VendorError) return null;
    throw error;
  }
}
