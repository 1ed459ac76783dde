import { createHttpClient, nullOnNotFound, path } from "@taskbridge/http";
import type { CallOptions, MaxsightTask, SourceCapabilities, TaskSource } from "@taskbridge/model";
import { type MaxsightClientOptions, resolveMaxsightConfig } from "./config.ts";
import { legacyRateLimitReset, readMaxsightError } from "./errors.ts";
import { MAXSIGHT_ID_FORMAT, parseMaxsightTaskId } from "./ids.ts";
import { mapMaxsightTask } from "./map.ts";
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
  idFormat: MAXSIGHT_ID_FORMAT,
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

  return {
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

    close: () => http.close(),
  };
}
