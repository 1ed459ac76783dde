import { type HttpClient, path } from "@taskbridge/http";
import {
  type ActionOutcome,
  type CallOptions,
  type CapyTask,
  parseTaskAction,
  readAfterAction,
  type TaskActionKind,
  unsupportedAction,
} from "@taskbridge/model";
import { z } from "zod";
import { parseId } from "./ids.ts";

/** `POST /v1/tasks/{taskId}/stop` and `/message` (docs.capy.ai/api-reference/tasks/stop-task, /send-message). */
export const ACTIONS: readonly TaskActionKind[] = Object.freeze(["stop", "message"]);

/**
 * "Stop a running task": the statuses a task runs in. `queued` is waiting to run, so it is not among them. The
 * answer's status (backlog, queued, in_progress, needs_review, archived) is where a stop leaves a task, not where
 * one may start.
 */
export const RUNNING_STATUSES: readonly string[] = Object.freeze(["in_progress"]);

/**
 * Statuses a follow-up message is not offered in. Not documented (the page says only "Send a follow-up message to a
 * task"); an archived task is put away, so nothing is offered there.
 */
export const MESSAGE_CLOSED_STATUSES: readonly string[] = Object.freeze(["archived"]);

export function availableActions(task: CapyTask): TaskActionKind[] {
  const actions: TaskActionKind[] = [];
  if (RUNNING_STATUSES.includes(task.vendorStatus)) actions.push("stop");
  if (!MESSAGE_CLOSED_STATUSES.includes(task.vendorStatus)) actions.push("message");
  return actions;
}

/**
 * Stops a task or sends it a message, once (no idempotency is documented). The answers (`{id, identifier, status}`,
 * `{id, status: "sent"}`) are not the task, so it is read back; a failed read-back gives `task: null`, never an
 * error for an action that happened. A task that is not running answers stop with the vendor's 409
 * (VendorConflictError; 409 is in Capy's later spec).
 */
export async function performAction(
  http: HttpClient,
  getTask: (id: string, options?: CallOptions) => Promise<CapyTask | null>,
  id: string,
  input: unknown,
  options?: CallOptions,
): Promise<ActionOutcome<CapyTask>> {
  const action = parseTaskAction(input);
  const taskId = parseId(id);
  const common = {
    method: "POST" as const,
    // Anything 2xx: the action happened, and its answer is not read (the task is read back).
    schema: z.unknown(),
    optionalBody: true,
    signal: options?.signal,
    idempotencyKey: options?.idempotencyKey,
  };
  if (action.kind === "stop") {
    const body = action.reason === undefined ? {} : { reason: action.reason };
    await http.request({ ...common, operation: "stopTask", path: path`/v1/tasks/${taskId}/stop`, body });
  } else if (action.kind === "message") {
    const { text: message, attachmentUrls } = action;
    const body = attachmentUrls === undefined ? { message } : { message, attachmentUrls };
    await http.request({ ...common, operation: "messageTask", path: path`/v1/tasks/${taskId}/message`, body });
  } else {
    throw unsupportedAction("capy", action.kind);
  }
  return { task: await readAfterAction(() => getTask(taskId, { signal: options?.signal })) };
}
