import { createHttpClient, nullOnNotFound, path } from "@taskbridge/http";
import type { CallOptions, MaxsightTask, SourceCapabilities, TaskSource } from "@taskbridge/model";
import { type ClientOptions, resolveConfig } from "./config.ts";
import { legacyRateLimitReset, readMaxsightError } from "./errors.ts";
import { ID_FORMAT, parseId } from "./ids.ts";
import { mapTask } from "./map.ts";
import { MaxsightTaskWire } from "./wire.ts";

export interface MaxsightClient extends TaskSource<"maxsight"> {
  getTask(id: string, options?: CallOptions): Promise<MaxsightTask | null>;
  close(): Promise<void>;
}

/** Read-only: Maxsight documents no task creation and no person lookup; assignees are id + type references. */
export const MAXSIGHT_CAPABILITIES: SourceCapabilities = Object.freeze({
  createTask: false,
  personLookup: false,
  assigneeKinds: Object.freeze(["USER", "TEAM"] as const),
  idFormat: ID_FORMAT,
});

export function createClient(options: ClientOptions): MaxsightClient {
  const config = resolveConfig(options);
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

  return {
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
      return response && mapTask(response.data, response.json as Record<string, unknown>);
    },

    close: () => http.close(),
  };
}
