import { createHttpClient, describeIssues, nullOnNotFound, path, withNotFoundShape } from "@taskbridge/http";
import {
  type CallOptions,
  canonicalIdBy,
  expectAnsweredId,
  fieldReader,
  type IdKind,
  InvalidInputError,
  MaxAiCreateTaskInput,
  type MaxAiTask,
  type Person,
  parseCreateInput,
  type SourceCapabilities,
  type TaskActionKind,
  type TaskPage,
  type TaskSource,
  VendorContractViolationError,
  VendorError,
} from "@taskbridge/model";
import { z } from "zod";
import { ACTIONS, availableActions } from "./actions.ts";
import { type ClientOptions, resolveConfig } from "./config.ts";
import { maxAiRetryAfter, NOT_FOUND, readMaxAiError } from "./errors.ts";
import { CANONICAL_IDS, ID_FORMAT, toV2Id, toV4Id } from "./ids.ts";
import { LIST_CAPABILITIES, type ListQuery, listTasks } from "./list.ts";
import { mapPerson, mapTask } from "./map.ts";
import { CreatedTaskId, ProviderEnvelope, TaskEnvelope } from "./wire.ts";

export interface MaxAiClient extends TaskSource<"maxai"> {
  createTask(input: MaxAiCreateTaskInput, options?: CallOptions): Promise<MaxAiTask>;
  getPerson(id: string, options?: CallOptions): Promise<Person | null>;
  listTasks(query: ListQuery, options?: CallOptions): Promise<TaskPage<MaxAiTask>>;
  availableActions(task: MaxAiTask): TaskActionKind[];
  canonicalId(id: string, kind: IdKind): string;
  close(): Promise<void>;
}

export const MAXAI_CAPABILITIES: SourceCapabilities = {
  createTask: true,
  personLookup: true,
  assigneeKinds: ["PROVIDER"],
  idFormat: ID_FORMAT,
  list: LIST_CAPABILITIES,
  actions: ACTIONS,
};

/**
 * Max AI marketplace API client. Reads go to v2 (dashed UUIDs), writes and providers to v4 (prefixed ids);
 * callers may use either id form and always get v4 ids back.
 * @see https://docs.maxcare.ai/guides/authentication
 */
export function createClient(options: ClientOptions): MaxAiClient {
  const { baseUrl, apiKey, organizationId } = resolveConfig(options);
  const http = createHttpClient({
    ...options.http,
    vendor: "maxai",
    baseUrl,
    headers: { authorization: `Bearer ${apiKey}`, "x-organization-id": organizationId },
    readError: withNotFoundShape(readMaxAiError, NOT_FOUND),
    retryAfter: maxAiRetryAfter,
  });

  /** A created task read again, or null when that fails: the creation's own answer then decides. */
  async function readBack(id: string, signal: AbortSignal | undefined): Promise<MaxAiTask | null> {
    try {
      return await client.getTask(id, { signal });
    } catch (error) {
      if (error instanceof VendorError || error instanceof InvalidInputError) return null;
      throw error;
    }
  }

  const client: MaxAiClient = {
    vendor: "maxai",
    capabilities: MAXAI_CAPABILITIES,

    /** @see https://docs.maxcare.ai/api-reference/v2/tasks/get-task */
    async getTask(id, options) {
      const uuid = toV2Id("task", id, "id");
      const response = await nullOnNotFound(
        http.request({
          operation: "getTask",
          method: "GET",
          path: path`/v2/tasks/${uuid}`,
          schema: TaskEnvelope,
          signal: options?.signal,
        }),
      );
      if (!response) return null;
      // The answer must be about the task asked for, whichever dialect either id is in.
      return expectAnsweredId(
        mapTask(response.data.data, rawData(response.json), response),
        toV4Id("task", uuid),
        response,
      );
    },

    /**
     * Sent once, never retried: Max AI documents no idempotency header, so a repeated POST could create a second
     * task. Safe retries are the GraphQL layer's idempotency records. A 2xx means the task exists: an answer that
     * breaks the contract is read back by the id it names, so a creation that happened is not reported as failed
     * (which would invite a second one) while the task can be read.
     * @see https://docs.maxcare.ai/api-reference/v4/tasks/create-task
     */
    async createTask(input, options) {
      const { noteId, providerId, notes, assigneeIds } = parseCreateInput(MaxAiCreateTaskInput, input);
      const body = {
        noteId: toV4Id("note", noteId, "noteId"),
        providerId: toV4Id("provider", providerId, "providerId"),
        notes,
        assigneeIds: assigneeIds.map((assignee, i) => toV4Id("provider", assignee, `assigneeIds.${i}`)),
      };
      const response = await http.request({
        operation: "createTask",
        method: "POST",
        path: path`/v4/tasks`,
        body,
        // Any JSON: a task that breaks the contract is read back below.
        schema: z.unknown(),
        idempotencyKey: options?.idempotencyKey,
        signal: options?.signal,
      });
      const created = TaskEnvelope.safeParse(response.json);
      if (created.success) return mapTask(created.data.data, rawData(response.json), response);
      const named = CreatedTaskId.safeParse(response.json);
      const task = named.success ? await readBack(named.data.data.id, options?.signal) : null;
      if (task) return task;
      const detail = describeIssues(created.error.issues);
      throw new VendorContractViolationError(
        "maxai",
        `maxai createTask: HTTP ${response.status} the task was created, but the answer does not match the contract (${detail}) and the task could not be read back`,
        { status: response.status, traceId: response.traceId, detail },
      );
    },

    /** @see https://docs.maxcare.ai/api-reference/v4/providers/get-provider */
    async getPerson(id, options) {
      const providerId = toV4Id("provider", id, "id");
      const response = await nullOnNotFound(
        http.request({
          operation: "getPerson",
          method: "GET",
          path: path`/v4/providers/${providerId}`,
          schema: ProviderEnvelope,
          signal: options?.signal,
        }),
      );
      const person = response && fieldReader("maxai", response).identity(() => mapPerson(response.data.data, "data"));
      return person && expectAnsweredId(person, providerId, response);
    },

    listTasks: (query, options) => listTasks(http, query, options),
    availableActions,
    canonicalId: (id, kind) => canonicalIdBy(CANONICAL_IDS, id, kind),

    close: () => http.close(),
  };
  return client;
}

/** The task object as received, unwrapped from `{code, data}` (the schema already checked it is an object). */
function rawData(json: unknown): Record<string, unknown> {
  return (json as { data: Record<string, unknown> }).data;
}
