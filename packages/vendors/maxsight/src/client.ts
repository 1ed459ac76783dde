import { createHttpClient, nullOnNotFound, path, withNotFoundShape } from "@taskbridge/http";
import {
  type ActionOutcome,
  type CallOptions,
  canonicalIdBy,
  expectAnsweredId,
  type IdKind,
  type MaxsightTask,
  type SourceCapabilities,
  type TaskAction,
  type TaskActionKind,
  type TaskPage,
  type TaskSource,
} from "@taskbridge/model";
import { ACTIONS, availableActions, performAction } from "./actions.ts";
import { type ClientOptions, resolveConfig } from "./config.ts";
import { legacyRateLimitReset, NOT_FOUND, readMaxsightError } from "./errors.ts";
import { CANONICAL_IDS, ID_FORMAT, parseId } from "./ids.ts";
import { LIST_CAPABILITIES, type ListQuery, listTasks } from "./list.ts";
import { mapTask } from "./map.ts";
import { MaxsightTaskWire } from "./wire.ts";

export interface MaxsightClient extends TaskSource<"maxsight"> {
  getTask(id: string, options?: CallOptions): Promise<MaxsightTask | null>;
  listTasks(query: ListQuery, options?: CallOptions): Promise<TaskPage<MaxsightTask>>;
  performAction(id: string, action: TaskAction, options?: CallOptions): Promise<ActionOutcome<MaxsightTask>>;
  availableActions(task: MaxsightTask): TaskActionKind[];
  canonicalId(id: string, kind: IdKind): string;
  close(): Promise<void>;
}

/** Maxsight documents no task creation and no person lookup; assignees are id + type references. */
export const MAXSIGHT_CAPABILITIES: SourceCapabilities = Object.freeze({
  createTask: false,
  personLookup: false,
  assigneeKinds: Object.freeze(["USER", "TEAM"] as const),
  idFormat: ID_FORMAT,
  list: LIST_CAPABILITIES,
  actions: ACTIONS,
});

export function createClient(options: ClientOptions): MaxsightClient {
  const config = resolveConfig(options);
  const http = createHttpClient({
    ...options.http,
    vendor: "maxsight",
    baseUrl: config.baseUrl,
    headers: { apikey: config.apiKey },
    readError: withNotFoundShape(readMaxsightError, NOT_FOUND),
    retryAfter: legacyRateLimitReset,
    // Not documented by Maxsight; read when present so support tickets can quote it.
    traceHeader: "x-request-id",
  });

  const client: MaxsightClient = {
    vendor: "maxsight",
    capabilities: MAXSIGHT_CAPABILITIES,

    /** @see https://docs.maxsight.com/en/retrieve-a-task.html */
    async getTask(id, callOptions) {
      const taskId = parseId(id);
      const response = await nullOnNotFound(
        http.request({
          operation: "getTask",
          method: "GET",
          path: path`/v5/tasks/${taskId}`,
          schema: MaxsightTaskWire,
          signal: callOptions?.signal,
          idempotencyKey: callOptions?.idempotencyKey,
        }),
      );
      if (!response) return null;
      // Maxsight's UUIDs are read in any case; the answer must be about the task asked for.
      const task = mapTask(response.data, response.json as Record<string, unknown>, response);
      return expectAnsweredId(task, taskId, response, (asked, answered) => asked === answered.toLowerCase());
    },

    listTasks: (query, callOptions) => listTasks(http, query, callOptions),
    performAction: (id, action, callOptions) => performAction(http, client.getTask, id, action, callOptions),
    availableActions: availableActions,
    canonicalId: (id, kind) => canonicalIdBy(CANONICAL_IDS, id, kind),

    close: () => http.close(),
  };
  return client;
}
