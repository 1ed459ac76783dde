import { type HttpClient, path } from "@taskbridge/http";
import {
  type ActionOutcome,
  type CakewalkTask,
  type CallOptions,
  parseTaskAction,
  readAfterAction,
  type TaskActionKind,
  unsupportedAction,
  type VendorAnswer,
  VendorContractViolationError,
} from "@taskbridge/model";
import { z } from "zod";
import { parseId } from "./ids.ts";
import { mapTask } from "./map.ts";
import { TaskResponseWire } from "./wire.ts";

/** `POST /api/v1/Tasks/{taskId}/Approve` and `/Decline` (api-evangelist/cakewalk llms.txt; docs.getcakewalk.io). */
export const ACTIONS: readonly TaskActionKind[] = Object.freeze(["approve", "decline"]);

/**
 * The statuses a decision can be made in. Not documented: the docs name the transitions, not where they start; a
 * task awaits a decision while Pending and, once someone claimed it, InProgress. The sandbox follows the same rule.
 */
export const DECIDABLE_STATUSES: readonly string[] = Object.freeze(["Pending", "InProgress"]);

/**
 * The request body of Approve / Decline. Not captured (docs.getcakewalk.io/how-to-guides/tasks only says a
 * justification is optional): the field name `justification` is a guess, and an empty object is sent without one
 * so that an endpoint binding a body model still gets one.
 */
function decisionBody(comment: string | undefined): Record<string, string> {
  return comment === undefined ? {} : { justification: comment };
}

/** Approve and decline while the task awaits a decision; nothing otherwise (an approved task is no longer pending). */
export function availableActions(task: CakewalkTask): TaskActionKind[] {
  return DECIDABLE_STATUSES.includes(task.vendorStatus) ? [...ACTIONS] : [];
}

/**
 * Approves or declines, once (a repeated POST could decide twice; the vendor documents no idempotency). The answer
 * is not documented: when it is a task record it is the result, otherwise the task is read back, and a failed read
 * gives `task: null`, never an error for a decision that was made. A decision the task's state does not allow is the
 * vendor's 409 (VendorConflictError).
 */
export async function performAction(
  http: HttpClient,
  getTask: (id: string, options?: CallOptions) => Promise<CakewalkTask | null>,
  id: string,
  input: unknown,
  options?: CallOptions,
): Promise<ActionOutcome<CakewalkTask>> {
  const action = parseTaskAction(input);
  if (action.kind !== "approve" && action.kind !== "decline") throw unsupportedAction("cakewalk", action.kind);
  const taskId = parseId(id, "id");
  const response = await http.request({
    operation: action.kind === "approve" ? "approveTask" : "declineTask",
    method: "POST",
    path: action.kind === "approve" ? path`/api/v1/Tasks/${taskId}/Approve` : path`/api/v1/Tasks/${taskId}/Decline`,
    body: decisionBody(action.comment),
    schema: z.unknown(),
    // The decision is made once the vendor answers 2xx; an answer that is not a task record is read back.
    optionalBody: true,
    signal: options?.signal,
    idempotencyKey: options?.idempotencyKey,
  });
  const answered = mappedAnswer(response.json, response);
  if (answered?.id === taskId) return { task: answered };
  return { task: await readAfterAction(() => getTask(taskId, { signal: options?.signal })) };
}

/** The answer as a task when it is a readable task record, else null (the task is then read back). */
function mappedAnswer(json: unknown, answer: VendorAnswer): CakewalkTask | null {
  const carried = TaskResponseWire.safeParse(json);
  if (!carried.success) return null;
  try {
    return mapTask(carried.data.data, (json as { data: Record<string, unknown> }).data, answer);
  } catch (error) {
    if (error instanceof VendorContractViolationError) return null;
    throw error;
  }
}
