import { createHttpClient, nullOnNotFound, path, withNotFoundShape } from "@taskbridge/http";
import {
  type ActionOutcome,
  type CallOptions,
  CapyCreateTaskInput,
  type CapyTask,
  canonicalIdBy,
  expectAnsweredId,
  type IdKind,
  parseCreateInput,
  type SourceCapabilities,
  type TaskAction,
  type TaskActionKind,
  type TaskPage,
  type TaskSource,
  VendorError,
} from "@taskbridge/model";
import { ACTIONS, availableActions, performAction } from "./actions.ts";
import { type ClientOptions, resolveConfig } from "./config.ts";
import { CAPY_TRACE_HEADER, NOT_FOUND, readCapyError } from "./errors.ts";
import { CANONICAL_IDS, ID_FORMAT, parseId } from "./ids.ts";
import { LIST_CAPABILITIES, type ListQuery, listTasks } from "./list.ts";
import { mapCreatedTask, mapTask } from "./map.ts";
import { CapyCreatedTaskWire, CapyTaskWire } from "./wire.ts";

export interface CapyClient extends TaskSource<"capy"> {
  createTask(input: CapyCreateTaskInput, options?: CallOptions): Promise<CapyTask>;
  listTasks(query: ListQuery, options?: CallOptions): Promise<TaskPage<CapyTask>>;
  performAction(id: string, action: TaskAction, options?: CallOptions): Promise<ActionOutcome<CapyTask>>;
  availableActions(task: CapyTask): TaskActionKind[];
  canonicalId(id: string, kind: IdKind): string;
  close(): Promise<void>;
}

export const CAPY_CAPABILITIES: SourceCapabilities = Object.freeze({
  createTask: true,
  personLookup: false,
  assigneeKinds: Object.freeze([]),
  idFormat: ID_FORMAT,
  list: LIST_CAPABILITIES,
  actions: ACTIONS,
});

/** A Capy connection. Throws VendorNotConfiguredError when the token or base URL is missing or unusable. */
export function createClient(options: ClientOptions): CapyClient {
  const config = resolveConfig(options);
  const http = createHttpClient({
    ...options.http,
    vendor: "capy",
    baseUrl: config.baseUrl,
    headers: { authorization: `Bearer ${config.token}` },
    readError: withNotFoundShape(readCapyError, NOT_FOUND),
    traceHeader: CAPY_TRACE_HEADER,
  });

  /** @see https://docs.capy.ai/api-reference/tasks/get-task */
  async function getTask(id: string, callOptions?: CallOptions): Promise<CapyTask | null> {
    const taskId = parseId(id);
    const response = await nullOnNotFound(
      http.request({
        operation: "getTask",
        method: "GET",
        path: path`/v1/tasks/${taskId}`,
        schema: CapyTaskWire,
        signal: callOptions?.signal,
        idempotencyKey: callOptions?.idempotencyKey,
      }),
    );
    if (!response) return null;
    // The answer must be about the task asked for; both ids are in lower case by now, whatever Capy's spelling.
    const task = mapTask(response.data, response.json as Record<string, unknown>, response);
    return expectAnsweredId(task, taskId, response);
  }

  /**
   * Creates the task, then reads it back with one GET so the returned Task is Capy's full record (the create
   * response has no prompt, updatedAt, Slack threads…). The POST decides success: if the read-back fails for any
   * reason (not yet visible, timeout, cancelled, rate limited), the Task is built from the create response and
   * the input instead of failing a creation that happened.
   * @see https://docs.capy.ai/api-reference/tasks/create-task
   */
  async function createTask(input: CapyCreateTaskInput, callOptions?: CallOptions): Promise<CapyTask> {
    const parsed = parseCreateInput(CapyCreateTaskInput, input);
    const { vendor: _vendor, ...body } = parsed;
    const created = await http.request({
      operation: "createTask",
      method: "POST",
      path: path`/v1/tasks`,
      body,
      schema: CapyCreatedTaskWire,
      signal: callOptions?.signal,
      idempotencyKey: callOptions?.idempotencyKey,
    });
    const full = await readBack(created.data.id, callOptions?.signal);
    return full ?? mapCreatedTask(created.data, parsed, created.json as Record<string, unknown>, created);
  }

  async function readBack(id: string, signal: AbortSignal | undefined): Promise<CapyTask | null> {
    let taskId: string;
    try {
      taskId = parseId(id);
    } catch {
      return null; // Not a UUID we could ask for; the create response is all we have.
    }
    try {
      return await getTask(taskId, { signal });
    } catch (error) {
      if (error instanceof VendorError) return null;
      throw error;
    }
  }

  return {
    vendor: "capy",
    capabilities: CAPY_CAPABILITIES,
    getTask,
    createTask,
    listTasks: (query, callOptions) => listTasks(http, getTask, query, callOptions),
    performAction: (id, action, callOptions) => performAction(http, getTask, id, action, callOptions),
    availableActions: availableActions,
    canonicalId: (id, kind) => canonicalIdBy(CANONICAL_IDS, id, kind),
    close: () => http.close(),
  };
}
