import { randomUUID } from "node:crypto";
import { createBodyCache } from "../body-cache.ts";
import { isUuid, prefixedToUuid, toUuid, uuidToPrefixed } from "../ids.ts";
import { createRandom, hashSeed } from "../random.ts";
import { exhaustedState, type RateDecision, retryAfterSeconds, vendorLimiter } from "../rate-limit.ts";
import { createRouter } from "../router.ts";
import {
  bearer,
  header,
  INVALID_JSON,
  type Incoming,
  jsonReply,
  noRoute,
  type Reply,
  readJson,
  type Simulator,
} from "../simulator.ts";
import { postgresText } from "../time.ts";
import type { MaxAiCredentials, RateLimitOption } from "../types.ts";
import { groupIds } from "./group.ts";
import { listMaxAiTasks } from "./maxai-list.ts";
import {
  generateMaxAiData,
  generateMaxAiTask,
  MAXAI_EXAMPLE,
  MAXAI_TASK_STATUSES,
  type MaxAiNote,
  type MaxAiProvider,
  type MaxAiTaskRecord,
  noteFor,
  providerFor,
} from "./maxai-seed.ts";
import { fits, shapeOf } from "./state-params.ts";

const MAXAI_SCOPES = ["read:tasks", "write:tasks", "read:providers"] as const;

/** Ids to try. `taskIds` are dashed v2 UUIDs (GET /v2/tasks/{id}); `personIds` are v4 `prv_` ids (GET /v4/providers/{id}). */
export interface MaxAiSeedIds {
  taskIds: string[];
  personIds: string[];
  /** The same tasks' v4 ids (`tsk_…`), index for index. */
  v4TaskIds: string[];
  /** Providers as the v2 task embeds them (dashed). */
  providerUuids: string[];
  /** `nte_` ids of existing notes, usable in POST /v4/tasks. */
  noteIds: string[];
  byStatus: Record<string, string[]>;
  withoutNote: string[];
  unassigned: string[];
  example: { taskId: string; v4TaskId: string; providerId: string; noteId: string };
}

export interface MaxAiSimulatorOptions {
  credentials: MaxAiCredentials;
  now: () => number;
  /** Default 1,000 requests per 60 s per API key; false turns it off (no X-RateLimit-* headers then). */
  rateLimit: RateLimitOption | false;
  seed: number;
}

/**
 * Max AI marketplace API: GET /v2/tasks/{uuid}, GET and POST /v4/tasks, GET /v4/providers/{prv_id}.
 * @see https://docs.maxcare.ai/api-reference/v2/tasks/get-task-by-id
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/create-a-task
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/list-tasks
 * @see https://docs.maxcare.ai/guides/errors
 * @see https://docs.maxcare.ai/guides/rate-limits
 */
export function createMaxAiSimulator(options: MaxAiSimulatorOptions): Simulator<MaxAiSeedIds> {
  const { credentials, now } = options;
  const limit = options.rateLimit === false ? undefined : options.rateLimit;
  const limiter = vendorLimiter(options.rateLimit, now);
  const rateMessage = `Rate limit exceeded. Maximum ${limit?.limit ?? 1000} requests per ${Math.round((limit?.windowMs ?? 60_000) / 1000)} seconds.`;

  let tasks = new Map<string, MaxAiTaskRecord>();
  let providers = new Map<string, MaxAiProvider>();
  let notes = new Map<string, MaxAiNote>();
  let scopes = new Set<string>(MAXAI_SCOPES);
  let idRandom = createRandom(options.seed ^ 0x7461736b);
  /** Cleared on every data change: tasks embed providers. */
  const bodies = createBodyCache();

  const load = () => {
    const data = generateMaxAiData(options.seed);
    tasks = new Map(data.tasks.map((t) => [t.id, t]));
    providers = new Map(data.providers.map((p) => [p.id, p]));
    notes = new Map(data.notes.map((n) => [n.id, n]));
    scopes = new Set(MAXAI_SCOPES);
    idRandom = createRandom(options.seed ^ 0x7461736b);
    bodies.clear();
    limiter.reset();
    return data;
  };
  const initial = load();

  const error = (status: number, code: string, message: string, headers?: Record<string, string>): Reply =>
    jsonReply(status, JSON.stringify({ code, message, trace_id: randomUUID() }), headers);

  const renderProvider = (p: MaxAiProvider, v4: boolean) => (v4 ? { ...p, id: uuidToPrefixed("prv", p.id) } : p);
  const renderTask = (t: MaxAiTaskRecord, v4: boolean) => {
    const assignedProviders: unknown[] = [];
    for (const id of t.assigneeIds) {
      const p = providers.get(id);
      if (p) assignedProviders.push(renderProvider(p, v4));
    }
    return {
      id: v4 ? uuidToPrefixed("tsk", t.id) : t.id,
      status: t.status,
      syncStatus: t.syncStatus,
      notes: t.notes,
      ...(t.noteId === undefined ? {} : { noteId: v4 ? uuidToPrefixed("nte", t.noteId) : t.noteId }),
      ehrType: t.ehrType,
      assignedProviders,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  };
  const success = (data: unknown) => ({ code: "success", data });

  type Handler = (req: Incoming, params: Record<string, string>, headers: Record<string, string>) => Reply;

  const getTask: Handler = (_req, { id = "" }, headers) => {
    if (!scopes.has("read:tasks")) return error(403, "forbidden", "Insufficient scope", headers);
    if (!isUuid(id)) return error(400, "bad_request", "'id' must be a valid UUID", headers);
    const uuid = id.toLowerCase();
    const body = bodies.get(`task:${uuid}`, () => {
      const task = tasks.get(uuid);
      return task && success(renderTask(task, false));
    });
    return body === undefined ? error(404, "not_found", "Task not found", headers) : jsonReply(200, body, headers);
  };

  const getProvider: Handler = (_req, { id = "" }, headers) => {
    if (!scopes.has("read:providers")) return error(403, "forbidden", "Insufficient scope", headers);
    const uuid = prefixedToUuid("prv", id);
    if (!uuid) return error(400, "bad_request", "'id' must be a valid provider ID (prv_…)", headers);
    const body = bodies.get(`provider:${uuid}`, () => {
      const provider = providers.get(uuid);
      return provider && success(renderProvider(provider, true));
    });
    return body === undefined ? error(404, "not_found", "Provider not found", headers) : jsonReply(200, body, headers);
  };

  const createTask: Handler = (req, _params, headers) => {
    if (!scopes.has("write:tasks")) return error(403, "forbidden", "Insufficient scope", headers);
    const input = readJson(req.body);
    if (input === INVALID_JSON) return error(400, "bad_request", "Request body must be valid JSON", headers);
    const problems = validateCreate(input);
    if (problems.length > 0) return error(400, "bad_request", problems.join("; "), headers);
    const body = input as { noteId: string; providerId: string; notes: string; assigneeIds: string[] };
    const noteId = prefixedToUuid("nte", body.noteId) as string;
    const note = notes.get(noteId);
    if (!note) return error(400, "bad_request", `Note ${body.noteId} not found`, headers);
    for (const id of [body.providerId, ...body.assigneeIds]) {
      if (!providers.has(prefixedToUuid("prv", id) as string)) {
        return error(400, "bad_request", `Provider ${id} not found`, headers);
      }
    }
    let id = idRandom.uuid();
    while (tasks.has(id)) id = idRandom.uuid();
    const stamp = postgresText(now(), (now() % 1000) * 1000 + idRandom.int(0, 999));
    const task: MaxAiTaskRecord = {
      id,
      status: "not_started",
      syncStatus: "synced",
      notes: body.notes,
      noteId,
      ehrType: note.ehrType,
      assigneeIds: [...new Set(body.assigneeIds.map((a) => prefixedToUuid("prv", a) as string))],
      createdAt: stamp,
      updatedAt: stamp,
    };
    tasks.set(id, task);
    bodies.clear();
    return jsonReply(200, JSON.stringify(success(renderTask(task, true))), headers);
  };

  const listTasks: Handler = (req, _params, headers) => {
    if (!scopes.has("read:tasks")) return error(403, "forbidden", "Insufficient scope", headers);
    const page = listMaxAiTasks(new URLSearchParams(req.query), tasks.values(), notes);
    if (typeof page === "string") return error(400, "bad_request", page, headers);
    const body = success({ tasks: page.tasks.map((t) => renderTask(t, true)), pagination: page.pagination });
    return jsonReply(200, JSON.stringify(body), headers);
  };

  const router = createRouter<Handler>([
    { method: "GET", path: "/v2/tasks/:id", handler: getTask },
    { method: "GET", path: "/v4/tasks", handler: listTasks },
    { method: "POST", path: "/v4/tasks", handler: createTask },
    { method: "GET", path: "/v4/providers/:id", handler: getProvider },
  ]);

  const rateHeaders = (d: RateDecision): Record<string, string> | undefined =>
    d.limit === Number.POSITIVE_INFINITY && d.allowed
      ? undefined
      : {
          "x-ratelimit-limit": String(limit?.limit ?? 1000),
          "x-ratelimit-remaining": String(Math.min(d.remaining, limit?.limit ?? 1000)),
          "x-ratelimit-reset": String(Math.ceil(d.resetAt / 1000)),
        };

  const mutate = (fn: () => void) => {
    fn();
    bodies.clear();
  };
  const taskUuid = (params: Record<string, unknown>) => toUuid("tsk", String(params.id ?? MAXAI_EXAMPLE.taskId));
  const providerUuid = (value: unknown) => toUuid("prv", String(value ?? MAXAI_EXAMPLE.providerId));
  const noteUuid = (value: unknown) => toUuid("nte", String(value ?? MAXAI_EXAMPLE.noteId));
  const ensureProvider = (id: string | undefined) => {
    if (id && !providers.has(id)) providers.set(id, providerFor(id));
  };

  return {
    vendor: "maxai",
    handle(req) {
      const route = router.match(req.method, req.path);
      if (!route) return noRoute(req.method, req.path);
      if (
        bearer(req.headers) !== credentials.apiKey ||
        header(req.headers, "x-organization-id") !== credentials.organizationId
      ) {
        return error(401, "unauthorized", "Invalid or missing API key");
      }
      const decision = limiter.take(credentials.apiKey);
      const headers = rateHeaders(decision) ?? {};
      if (!decision.allowed) {
        headers["retry-after"] = String(retryAfterSeconds(decision.retryAfterMs));
        return error(429, "rate_limit_exceeded", rateMessage, headers);
      }
      return route.handler(req, route.params, headers);
    },
    serverError(status) {
      return error(
        status,
        "internal_error",
        status === 500 ? "Internal server error" : "Service temporarily unavailable",
      );
    },
    tooManyRequests(retryAfter) {
      const seconds = /^\d+$/.test(retryAfter)
        ? Number(retryAfter)
        : Math.max(0, (Date.parse(retryAfter) - now()) / 1000);
      return error(429, "rate_limit_exceeded", rateMessage, {
        "x-ratelimit-limit": String(limit?.limit ?? 1000),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(Math.ceil(now() / 1000 + (Number.isFinite(seconds) ? seconds : 60))),
        "retry-after": retryAfter,
      });
    },
    breakSchema(body) {
      const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
      if (!data || typeof data !== "object") return { code: "success", data: { id: 42, status: 7 } };
      const { createdAt: _c, updatedAt: _u, ...rest } = data;
      return { code: "success", data: { ...rest, id: 42, status: 7, assignedProviders: "none" } };
    },
    states: {
      "task {id} exists": (params) => {
        const id = taskUuid(params);
        const shape = shapeOf(params, ["status", "syncStatus"] as const);
        const existing = id === undefined ? undefined : tasks.get(id);
        if (!id || (existing && fits(existing, shape))) return;
        mutate(() => {
          const random = createRandom(hashSeed(id));
          tasks.set(id, generateMaxAiTask(random, id, [...providers.values()], [...notes.values()], shape));
        });
      },
      "task {id} does not exist": (params) => {
        const id = taskUuid(params);
        if (id) mutate(() => tasks.delete(id));
      },
      "provider {id} exists": (params) => mutate(() => ensureProvider(providerUuid(params.id))),
      "provider {id} does not exist": (params) => {
        const id = providerUuid(params.id);
        if (id) mutate(() => providers.delete(id));
      },
      "note {noteId} and provider {providerId} exist": (params) =>
        mutate(() => {
          const noteId = noteUuid(params.noteId);
          if (noteId && !notes.has(noteId)) notes.set(noteId, noteFor(noteId));
          ensureProvider(providerUuid(params.providerId));
        }),
      "note {noteId} does not exist": (params) => {
        const id = noteUuid(params.noteId);
        if (id) mutate(() => notes.delete(id));
      },
      // Exactly `count` tasks with this status assigned to this provider (and to no one else), each with a note.
      "{count} tasks with status {status} are assigned to provider {providerId}": (params) =>
        mutate(() => {
          const provider = providerUuid(params.providerId) as string;
          const status = String(params.status ?? "not_started");
          ensureProvider(provider);
          for (const [id, task] of tasks) {
            if (task.status === status && task.assigneeIds.includes(provider)) tasks.delete(id);
          }
          for (let i = 0; i < Number(params.count ?? 1); i++) {
            const random = createRandom(hashSeed(`${provider}:${status}:${i}`));
            const id = random.uuid();
            const task = generateMaxAiTask(random, id, [...providers.values()], [...notes.values()], { status });
            tasks.set(id, { ...task, assigneeIds: [provider] });
          }
        }),
      "the API key lacks scope {scope}": (params) => {
        scopes.delete(String(params.scope ?? "read:tasks"));
      },
      "the rate limit is exhausted": exhaustedState(limiter),
    },
    seed: seedIds(initial),
    reset() {
      load();
    },
  };
}

function validateCreate(input: unknown): string[] {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return ["Request body must be a JSON object"];
  const body = input as Record<string, unknown>;
  const problems: string[] = [];
  const prefixed = (name: string, prefix: string, value: unknown) => {
    if (typeof value !== "string" || value === "") problems.push(`'${name}' is required`);
    else if (!prefixedToUuid(prefix, value)) problems.push(`'${name}' must be a valid ${prefix}_ ID`);
  };
  prefixed("noteId", "nte", body.noteId);
  prefixed("providerId", "prv", body.providerId);
  if (typeof body.notes !== "string" || body.notes.trim() === "") problems.push("'notes' must be a non-empty string");
  if (!Array.isArray(body.assigneeIds) || body.assigneeIds.length === 0) {
    problems.push("'assigneeIds' must contain at least one provider ID");
  } else if (!body.assigneeIds.every((id) => typeof id === "string" && prefixedToUuid("prv", id))) {
    problems.push("'assigneeIds' must contain valid prv_ IDs");
  }
  return problems;
}

function seedIds(data: ReturnType<typeof generateMaxAiData>): MaxAiSeedIds {
  return {
    taskIds: data.tasks.map((t) => t.id),
    personIds: data.providers.map((p) => uuidToPrefixed("prv", p.id)),
    v4TaskIds: data.tasks.map((t) => uuidToPrefixed("tsk", t.id)),
    providerUuids: data.providers.map((p) => p.id),
    noteIds: data.notes.map((n) => uuidToPrefixed("nte", n.id)),
    byStatus: groupIds(data.tasks, (t) => t.status, MAXAI_TASK_STATUSES),
    withoutNote: data.tasks.filter((t) => t.noteId === undefined).map((t) => t.id),
    unassigned: data.tasks.filter((t) => t.assigneeIds.length === 0).map((t) => t.id),
    example: {
      taskId: MAXAI_EXAMPLE.taskId,
      v4TaskId: uuidToPrefixed("tsk", MAXAI_EXAMPLE.taskId),
      providerId: uuidToPrefixed("prv", MAXAI_EXAMPLE.providerId),
      noteId: uuidToPrefixed("nte", MAXAI_EXAMPLE.noteId),
    },
  };
}
