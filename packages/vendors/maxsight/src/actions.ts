import { type HttpClient, path } from "@taskbridge/http";
import {
  type ActionOutcome,
  type CallOptions,
  InvalidInputError,
  type MaxsightTask,
  parseTaskAction,
  readAfterAction,
  type TaskActionKind,
  unsupportedAction,
  type VendorAnswer,
  VendorConflictError,
  VendorContractViolationError,
} from "@taskbridge/model";
import { z } from "zod";
import { parseId } from "./ids.ts";
import { mapTask } from "./map.ts";
import { MaxsightTaskWire } from "./wire.ts";

/** `PUT /v5/tasks/{task_id}/update-assignment` with `{update}` or `{unassign}` (docs.maxsight.com/en/update-a-task-assignment). */
export const ACTIONS: readonly TaskActionKind[] = Object.freeze(["assign", "unassign"]);

/** Assigning is always offered (the docs set no condition); removing an assignment only where there is one. */
export function availableActions(task: MaxsightTask): TaskActionKind[] {
  return task.assignees.length > 0 ? ["assign", "unassign"] : ["assign"];
}

/**
 * Assigns, reassigns or unassigns under `If-Match: <expectedVersion>` (the task's `updated_at` as last read), once.
 * A stale version is refused by the vendor with "a version mismatch error" whose status the docs do not give: 409
 * and 412 both read as a conflict, and the VendorConflictError then carries the task's current version, read back
 * (the undocumented error body is not relied on for it). The success answer is not documented either: a task in it
 * is the result, otherwise the task is read back, and a failed read-back gives `task: null`.
 */
export async function performAction(
  http: HttpClient,
  getTask: (id: string, options?: CallOptions) => Promise<MaxsightTask | null>,
  id: string,
  input: unknown,
  options?: CallOptions,
): Promise<ActionOutcome<MaxsightTask>> {
  const action = parseTaskAction(input);
  if (action.kind !== "assign" && action.kind !== "unassign") throw unsupportedAction("maxsight", action.kind);
  const taskId = parseId(id);
  if (action.actorId === undefined) {
    throw new InvalidInputError("action.actorId", "Maxsight records who changes an assignment (assigned_by_id)");
  }
  const assignedBy = parseId(action.actorId, "action.actorId");
  const comment = action.comment ?? null;
  let body: unknown;
  if (action.kind === "assign") {
    const { id: assignee, kind } = action.assignee;
    if (kind !== "USER" && kind !== "TEAM") {
      throw new InvalidInputError("action.assignee.kind", "Maxsight assigns to a USER or a TEAM");
    }
    body = {
      update: {
        assigned_by_id: assignedBy,
        assigned_to_id: parseId(assignee, "action.assignee.id"),
        assigned_to_type: kind,
        assignment_comment: comment,
      },
    };
  } else {
    body = { unassign: { assigned_by_id: assignedBy, assignment_comment: comment } };
  }

  let answer: { json: unknown; status: number; traceId?: string | undefined };
  try {
    const response = await http.request({
      operation: action.kind === "assign" ? "assignTask" : "unassignTask",
      method: "PUT",
      path: path`/v5/tasks/${taskId}/update-assignment`,
      headers: { "if-match": action.expectedVersion },
      body,
      schema: z.unknown(),
      // The assignment changed once the vendor answers 2xx; an answer that is not a task is read back.
      optionalBody: true,
      signal: options?.signal,
      idempotencyKey: options?.idempotencyKey,
    });
    answer = response;
  } catch (error) {
    if (!(error instanceof VendorConflictError)) throw error;
    const current = await readAfterAction(() => getTask(taskId, { signal: options?.signal }));
    throw new VendorConflictError("maxsight", error.message, {
      status: error.status,
      traceId: error.traceId,
      detail: error.detail,
      currentVersion: current?.version,
      cause: error,
    });
  }
  const answered = mappedAnswer(answer);
  if (answered?.id === taskId) return { task: answered };
  return { task: await readAfterAction(() => getTask(taskId, { signal: options?.signal })) };
}

/** The answer as a task when it is a readable task, else null (the task is then read back). */
function mappedAnswer(answer: VendorAnswer & { json: unknown }): MaxsightTask | null {
  const parsed = MaxsightTaskWire.safeParse(answer.json);
  if (!parsed.success) return null;
  try {
    return mapTask(parsed.data, answer.json as Record<string, unknown>, answer);
  } catch (error) {
    if (error instanceof VendorContractViolationError) return null;
    throw error;
  }
}
