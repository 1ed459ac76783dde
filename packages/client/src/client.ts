import { type DocumentNode, Kind, print } from "@0no-co/graphql.web";
import type { DocumentDecoration } from "gql.tada";
import { type ErrorDetail, fromGraphQLError, fromTaskError, TaskbridgeError, withSupportIds } from "./errors.ts";
import type { VariablesOf } from "./graphql.ts";
import {
  type ApproveTaskInput,
  ApproveTaskMutation,
  type Assignee,
  AssigneesQuery,
  type AssignTaskInput,
  AssignTaskMutation,
  CreateTaskMutation,
  type DeclineTaskInput,
  DeclineTaskMutation,
  type MessageTaskInput,
  MessageTaskMutation,
  type StopTaskInput,
  StopTaskMutation,
  type Task,
  type TaskListFilter,
  TaskListQuery,
  TaskQuery,
  TasksQuery,
  type UnassignTaskInput,
  UnassignTaskMutation,
  type Vendor,
} from "./operations.ts";
import { type RetryOptions, retryAfterSeconds, withRetries } from "./retry.ts";

export interface TaskbridgeClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql` (relative URLs resolve against the page). */
  url: string | URL;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Defaults to the global fetch (browsers, Node 20+). */
  fetch?: typeof globalThis.fetch;
  /** How failed requests are retried (defaults in retry.ts). */
  retry?: RetryOptions;
  /**
   * How long one request may go unanswered before it is a NETWORK_ERROR (retried like one); default 30 s, three
   * times the service's own default deadline. Raise it with the service's TASKBRIDGE_REQUEST_TIMEOUT_MS.
   */
  timeoutSeconds?: number;
}

/** The default of `timeoutSeconds`. */
const TIMEOUT_SECONDS = 30;

/** The statuses a gateway in front of the service answers that are worth a retry. */
const GATEWAY_RETRIES = new Set([429, 502, 503, 504]);

export interface CallOptions {
  /** Aborts the request and any wait between retries; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's retry options for this call. */
  retry?: RetryOptions;
}

/** Options of a write (createTask, the actions). */
export interface WriteOptions extends CallOptions {
  /** Defaults to a new random key per call; pass your own to make retries of your own safe too. */
  idempotencyKey?: string;
}

export type CreateTaskInput = VariablesOf<typeof CreateTaskMutation>["input"];
/** An action's mutation: its input, and the task it left behind (null when the task could not be read after). */
type Action<Input> = (input: Input, options?: WriteOptions) => Promise<Task | null>;
export interface TaskRef {
  id: string;
  vendor: Vendor;
}
/** Which page of `taskList` to read. */
export interface TaskListArgs {
  filter?: TaskListFilter;
  /** 1–100 tasks (the service's default: 20). */
  first?: number;
  /** The previous page's `pageInfo.endCursor`, with the same filter; none for the first page. */
  after?: string | null;
}
/** One page of tasks across the tenant's vendors. */
export interface TaskPage {
  /** The page's tasks (the connection's edges' nodes), in the service's order. */
  tasks: Task[];
  /** `endCursor` is the next page's `after`; only `hasNextPage` says whether more follow. */
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Vendors that could not be listed on this page; the next page asks them again. */
  vendorErrors: ErrorDetail[];
  /** Entries a vendor listed that break its contract: skipped, the listing moved past them. */
  unreadable: ErrorDetail[];
}
/** One item of a batch read: `task` when found, both null when the vendor says it does not exist. */
export interface TaskResult {
  ref: TaskRef;
  task: Task | null;
  error: ErrorDetail | null;
}

/**
 * A result as `request` resolves it: any object in it may carry `problems`, the errors of its fields whose vendor
 * value the service could not read (those fields are null), under the fields' names.
 */
export type WithProblems<T> = T extends readonly (infer Item)[]
  ? WithProblems<Item>[]
  : T extends object
    ? { [K in keyof T]: WithProblems<T[K]> } & { problems?: Readonly<Record<string, ErrorDetail>> }
    : T;

/** What a request brought: its data, and the id the service answered it under (`x-request-id`). */
interface Answer<Data = unknown> {
  data: Data;
  requestId: string | undefined;
}

type Document<Result, Variables> = DocumentNode & DocumentDecoration<Result, Variables>;
/** Variables may be left out when the operation has none. */
type VariablesArgs<Variables> = [Variables] extends [{ [name: string]: never }] | [undefined]
  ? [variables?: Variables, options?: CallOptions]
  : [variables: Variables, options?: CallOptions];

export interface TaskbridgeClient {
  /**
   * Runs any operation written with `graphql()`; the result is typed by its selection. Queries are retried on
   * retryable errors; mutations only when their variables carry an `idempotencyKey` (retries reuse it).
   * Rejects with a TaskbridgeError when the answer has errors (its `data` holds any partial result), except a
   * vendor value the service could not read: that field is null and its object's `problems[field]` says why.
   */
  request<Result, Variables>(
    document: Document<Result, Variables>,
    ...args: VariablesArgs<Variables>
  ): Promise<WithProblems<Result>>;
  /** A task with its canonical and vendor fields; null when the vendor says it does not exist. */
  getTask(ref: TaskRef, options?: CallOptions): Promise<Task | null>;
  /** Up to 100 tasks, one result per ref, in order: a failed item has its `error`, the others their task. */
  getTasks(refs: readonly TaskRef[], options?: CallOptions): Promise<TaskResult[]>;
  /** Who a task is assigned to, with each person (this is what may cost the vendor a lookup). */
  getAssignees(ref: TaskRef, options?: CallOptions): Promise<Assignee[] | null>;
  /** Creates a task once: one idempotency key per call, reused by every retry of it. */
  createTask(input: CreateTaskInput, options?: WriteOptions): Promise<Task>;
  /** One page of tasks across the tenant's vendors, with the vendors that failed on it. */
  listTasks(args?: TaskListArgs, options?: CallOptions): Promise<TaskPage>;
  /**
   * Every page from `after` on, until `hasNextPage` is false, or a page brings no task and has vendor errors:
   * a vendor that stays down does not keep the loop going (resume later from that page's `endCursor`).
   */
  taskPages(args?: TaskListArgs, options?: CallOptions): AsyncGenerator<TaskPage, void>;
  // Each action is sent once per call: one idempotency key per call, reused by every retry of it.
  /** Cakewalk: approves a Pending or InProgress task. */
  approveTask: Action<ApproveTaskInput>;
  /** Cakewalk: declines a Pending or InProgress task. */
  declineTask: Action<DeclineTaskInput>;
  /** Capy: stops a running task. */
  stopTask: Action<StopTaskInput>;
  /** Capy: sends the task's agent a message. */
  messageTask: Action<MessageTaskInput>;
  /** Maxsight: assigns the task if it is still at `expectedVersion` (else VENDOR_CONFLICT with `currentVersion`). */
  assignTask: Action<AssignTaskInput>;
  /** Maxsight: removes the assignment if the task is still at `expectedVersion`. */
  unassignTask: Action<UnassignTaskInput>;
}

/**
 * A vendor value the service could not read costs only its field: the field is null and its error sits at the field's
 * path. Such an error is noted in the owning object's `problems` (under the field's name) instead of failing the
 * call; false for any other error, which rejects the call as a whole.
 */
function noteUnreadableField(data: unknown, error: ErrorDetail): boolean {
  const path = error.path;
  if (error.code !== "VENDOR_CONTRACT_VIOLATION" || !path || path.length < 2) return false;
  const owner = path.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string | number, unknown>)?.[key], data);
  const field = path.at(-1) as string | number;
  if (typeof owner !== "object" || owner === null || (owner as Record<string | number, unknown>)[field] !== null) {
    return false;
  }
  const withProblems = owner as { problems?: Record<string, ErrorDetail> };
  withProblems.problems = { ...withProblems.problems, [field]: error };
  return true;
}

export function createTaskbridgeClient(options: TaskbridgeClientOptions): TaskbridgeClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };

  const timeoutSeconds = options.timeoutSeconds ?? TIMEOUT_SECONDS;

  async function send(query: string, variables: unknown, signal: AbortSignal | undefined): Promise<Answer> {
    let response: Response;
    let text: string;
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    try {
      response = await fetchImpl(options.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query, variables }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // Read here too: a connection dropped mid-answer is as much a network error as one that never answered.
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      const message = timeout.aborted
        ? `Taskbridge did not answer within ${timeoutSeconds} s.`
        : "Taskbridge could not be reached, or its answer was cut off.";
      throw new TaskbridgeError([{ code: "NETWORK_ERROR", message }], { status: 0, cause });
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    let body: { data?: unknown; errors?: unknown } | undefined;
    try {
      body = JSON.parse(text);
    } catch {}
    if (!body || typeof body !== "object" || !("data" in body || "errors" in body)) {
      // A gateway in front of the service answered, not the service: retry only what gateways retry, after the
      // wait they ask for.
      const code = GATEWAY_RETRIES.has(response.status) ? "NETWORK_ERROR" : "BAD_RESPONSE";
      const message = `Taskbridge answered HTTP ${response.status} without a GraphQL result.`;
      const wait = retryAfterSeconds(response.headers.get("retry-after"));
      const detail = { code, message, ...(wait === undefined ? {} : { retryAfterSeconds: wait }) } as const;
      throw new TaskbridgeError([withSupportIds(detail, requestId)], { status: response.status });
    }
    const errors = Array.isArray(body.errors) ? body.errors.map((error) => fromGraphQLError(error, requestId)) : [];
    const [first, ...rest] = errors;
    if (first && !errors.every((error) => noteUnreadableField(body.data, error))) {
      throw new TaskbridgeError([first, ...rest], { status: response.status, data: body.data ?? null });
    }
    return { data: body.data, requestId };
  }

  /** Sends an operation, retried as its kind allows; its data and the answer's request id. */
  async function execute<Result, Variables>(
    document: Document<Result, Variables>,
    ...[variables, call = {}]: VariablesArgs<Variables>
  ): Promise<Answer<WithProblems<Result>>> {
    const retrySafe = operationOf(document) === "query" || hasIdempotencyKey(variables);
    const retry = retrySafe ? { ...options.retry, ...call.retry } : { attempts: 1 };
    const query = printed(document);
    const answer = await withRetries((signal) => send(query, variables, signal), retry, call.signal);
    return answer as Answer<WithProblems<Result>>;
  }

  async function request<Result, Variables>(
    document: Document<Result, Variables>,
    ...args: VariablesArgs<Variables>
  ): Promise<WithProblems<Result>> {
    return (await execute(document, ...args)).data;
  }

  /** A keyed mutation whose payload is `{ task }` under the mutation's own field name. */
  const action =
    <Input, Name extends string>(
      document: Document<{ [field in Name]: { task: Task | null } }, { input: Input; idempotencyKey?: string | null }>,
      field: Name,
    ): Action<Input> =>
    async (input, { idempotencyKey = newIdempotencyKey(), ...call } = {}) => {
      // TypeScript cannot resolve WithProblems of a generic result; `Task` declares its problems itself.
      const data = (await request(document, { input, idempotencyKey }, call)) as { [f in Name]: { task: Task | null } };
      return data[field].task;
    };

  async function listTasks({ filter, first, after }: TaskListArgs = {}, call?: CallOptions): Promise<TaskPage> {
    const { data, requestId } = await execute(TaskListQuery, { filter, first, after }, call);
    const { edges, pageInfo, vendorErrors, unreadable } = data.taskList;
    return {
      tasks: edges.map((edge) => edge.node),
      pageInfo,
      vendorErrors: vendorErrors.map((error) => fromTaskError(error, requestId)),
      unreadable: unreadable.map((error) => fromTaskError(error, requestId)),
    };
  }

  return {
    request,
    async getTask(ref, call) {
      return (await request(TaskQuery, { id: ref.id, vendor: ref.vendor }, call)).task;
    },
    async getTasks(refs, call) {
      const { data, requestId } = await execute(
        TasksQuery,
        { refs: refs.map(({ id, vendor }) => ({ id, vendor })) },
        call,
      );
      return data.tasks.map(({ ref, task, error }) => ({ ref, task, error: error && fromTaskError(error, requestId) }));
    },
    async getAssignees(ref, call) {
      return (await request(AssigneesQuery, { id: ref.id, vendor: ref.vendor }, call)).task?.assignedProviders ?? null;
    },
    async createTask(input, { idempotencyKey = newIdempotencyKey(), ...call } = {}) {
      return (await request(CreateTaskMutation, { input, idempotencyKey }, call)).createTask.task;
    },
    listTasks,
    async *taskPages({ after, ...args } = {}, call) {
      for (;;) {
        const page = await listTasks({ ...args, after }, call);
        yield page;
        if (!page.pageInfo.hasNextPage || (!page.tasks.length && page.vendorErrors.length)) return;
        after = page.pageInfo.endCursor;
      }
    },
    approveTask: action(ApproveTaskMutation, "approveTask"),
    declineTask: action(DeclineTaskMutation, "declineTask"),
    stopTask: action(StopTaskMutation, "stopTask"),
    messageTask: action(MessageTaskMutation, "messageTask"),
    assignTask: action(AssignTaskMutation, "assignTask"),
    unassignTask: action(UnassignTaskMutation, "unassignTask"),
  };
}

/** 128 random bits as hex. crypto.randomUUID exists only on secure (https or localhost) pages; this works anywhere. */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const printedCache = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let text = printedCache.get(document);
  if (text === undefined) {
    text = print(document);
    printedCache.set(document, text);
  }
  return text;
}

function operationOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.operation;
  }
  return undefined;
}

function hasIdempotencyKey(variables: unknown): boolean {
  return (
    typeof variables === "object" && variables !== null && "idempotencyKey" in variables && !!variables.idempotencyKey
  );
}
