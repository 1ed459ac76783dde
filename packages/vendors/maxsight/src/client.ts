import { createHttpClient, nullOnNotFound, path } from "@taskbridge/http";
import type {
  ActionOutcome,
  CallOptions,
  MaxsightTask,
  SourceCapabilities,
  TaskAction,
  TaskActionKind,
  TaskPage,
  TaskSource,
} from "@taskbridge/model";
import { MAXSIGHT_ACTIONS, maxsightAvailableActions, performMaxsightAction } from "./actions.ts";
import { type MaxsightClientOptions, resolveMaxsightConfig } from "./config.ts";
import { legacyRateLimitReset, readMaxsightError } from "./errors.ts";
import { MAXSIGHT_ID_FORMAT, parseMaxsightTaskId } from "./ids.ts";
import { listMaxsightTasks, MAXSIGHT_LIST, type MaxsightListQuery } from "./list.ts";
import { mapMaxsightTask } from "./map.ts";
import { MaxsightTaskWire } from "./wire.ts";

export interface MaxsightClient extends TaskSource<"maxsight"> {
  getTask(id: string, options?: CallOptions): Promise<MaxsightTask | null>;
  listTasks(query: MaxsightListQuery, options?: CallOptions): Promise<TaskPage<MaxsightTask>>;
  performAction(id: string, action: TaskAction, options?: CallOptions): Promise<ActionOutcome<MaxsightTask>>;
  availableActions(task: MaxsightTask): TaskActionKind[];
  close(): Promise<void>;
}

/** Maxsight documents no task creation and no person lookup; assignees are id + type references. */
export const MAXSIGHT_CAPABILITIES: SourceCapabilities = Object.freeze({
  createTask: false,
  personLookup: false,
  assigneeKinds: Object.freeze(["USER", "TEAM"] as const),
  idFormat: MAXSIGHT_ID_FORMAT,
  list: MAXSIGHT_LIST,
  actions: MAXSIGHT_ACTIONS,
});

export function createMaxsightClient(options: MaxsightClientOptions): MaxsightClient {
  const config = resolveMaxsightConfig(options);
  const http = createHttpClient({
    ...options.http,
    vendor: "maxsight",
    baseUrl: config.baseUrl,
    headers: { apikey: config.apiKey },
    readError: readMaxsightError,
    retryAfter: legacyRateLimitReset,
    // Not documented by Maxsight; read when present so support tickets can quote it.
    traceHeader: "x-request-id",
  });

  const client: MaxsightClient = {
    vendor: "maxsight",
    capabilities: MAXSIGHT_CAPABILITIES,

    /** @see https://docs.maxsight.com/en/retrieve-a-task.html */
    async getTask(id, callOptions) {
      const taskId = parseMaxsightTaskId(id);
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
      return response && mapMaxsightTask(response.data, response.json as Record<string, unknown>);
    },

    listTasks: (query, callOptions) => listMaxsightTasks(http, query, callOptions),
    performAction: (id, action, callOptions) => performMaxsightAction(http, client.getTask, id, action, callOptions),
    availableActions: maxsightAvailableActions,

    close: () => http.close(),
  };
  return client;
}
