import { createBodyCache } from "../body-cache.ts";
import { isUuid } from "../ids.ts";
import { createPageTokens, keysetPage, type SortKey } from "../paging.ts";
import { createRandom, hashSeed } from "../random.ts";
import { createRouter } from "../router.ts";
import { bearer, INVALID_JSON, type Incoming, noRoute, type Reply, readJson, type Simulator } from "../simulator.ts";
import { isoMillis } from "../time.ts";
import type { CapyCredentials } from "../types.ts";
import {
  CAPY_EXAMPLE_TASK_ID,
  CAPY_TASK_STATUSES,
  type CapyData,
  type CapyProject,
  type CapyTask,
  generateCapyData,
  generateCapyTask,
  projectFor,
} from "./capy-seed.ts";
import { CAPY_THREAD_STATUSES, type CapyThread, capyThreads } from "./capy-threads.ts";
import { groupIds } from "./group.ts";
import { fits, shapeOf, stateId } from "./state-params.ts";

/** Ids to try: task UUIDs (personIds is empty: Capy tasks have no assignee). */
export interface CapySeedIds {
  taskIds: string[];
  personIds: string[];
  projectIds: string[];
  identifiers: string[];
  byStatus: Record<string, string[]>;
  example: { taskId: string; projectId: string };
}

export interface CapySimulatorOptions {
  credentials: CapyCredentials;
  now: () => number;
  seed: number;
  /** How long a `nextCursor` stays valid. */
  pageTokenTtlMs: number;
}

/** The statuses of a running task, the only ones stop applies to ("Stop a running task"). */
const RUNNING = new Set(["in_progress"]);
/** What a stopped task becomes: not documented (the stop answer's enum lacks completed and error); an assumption. */
const STOPPED_STATUS = "needs_review";

const JSON_TYPE = "application/json";

/**
 * Capy v1 (served under the base path `/api`): GET /api/v1/tasks/{taskId}, POST /api/v1/tasks, GET /api/v1/threads,
 * POST /api/v1/tasks/{taskId}/stop and /message.
 * No published rate limit, so none is enforced (fault bursts still produce a 429).
 * @see https://docs.capy.ai/api-reference/tasks/get-task
 * @see https://docs.capy.ai/api-reference/tasks/create-task
 * @see https://docs.capy.ai/api-reference/threads/list-threads
 * @see https://docs.capy.ai/api-reference/tasks/stop-task
 * @see https://docs.capy.ai/api-reference/tasks/send-message
 */
export function createCapySimulator(options: CapySimulatorOptions): Simulator<CapySeedIds> {
  const { credentials, now } = options;
  let data: CapyData = generateCapyData(options.seed);
  let tasks = new Map<string, CapyTask>();
  let projects = new Map<string, CapyProject>();
  let denied = new Set<string>();
  let idRandom = createRandom(options.seed ^ 0x6e6577);
  const bodies = createBodyCache();
  const cursors = createPageTokens({ now, ttlMs: options.pageTokenTtlMs });

  const load = () => {
    data = generateCapyData(options.seed);
    tasks = new Map(data.tasks.map((t) => [t.id, t]));
    projects = new Map(data.projects.map((p) => [p.id, p]));
    denied = new Set();
    idRandom = createRandom(options.seed ^ 0x6e6577);
    bodies.clear();
  };
  load();
  const initial = data;

  const error = (
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers?: Record<string, string>,
  ): Reply => ({
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
    body: JSON.stringify({ error: details === undefined ? { code, message } : { code, message, details } }),
  });
  const ok = (body: string): Reply => ({ status: 200, headers: { "content-type": JSON_TYPE }, body });

  type Handler = (req: Incoming, params: Record<string, string>) => Reply;
  const getTask: Handler = (_req, { taskId = "" }) => {
    if (!isUuid(taskId)) {
      return error(422, "validation_error", "Invalid task ID", [{ path: "taskId", message: "Expected a UUID" }]);
    }
    const id = taskId.toLowerCase();
    if (denied.has(id)) return error(403, "forbidden", "You do not have access to this task");
    const body = bodies.get(id, () => tasks.get(id));
    return body === undefined ? error(404, "not_found", "Task not found") : ok(body);
  };

  const createTask: Handler = (req) => {
    const input = readJson(req.body);
    if (input === INVALID_JSON) return error(422, "validation_error", "Request body must be valid JSON");
    const issues = validateCreate(input);
    if (issues.length > 0) return error(422, "validation_error", "Invalid request body", issues);
    const body = input as { projectId: string; prompt: string; title?: string; start?: boolean };
    const project = projects.get(body.projectId);
    if (!project) {
      return error(422, "validation_error", "Project not found", [{ path: "projectId", message: "Project not found" }]);
    }
    let id = idRandom.uuid();
    while (tasks.has(id)) id = idRandom.uuid();
    const stamp = isoMillis(now());
    const task: CapyTask = {
      id,
      projectId: project.id,
      threadIndex: null,
      identifier: `${project.key}-${project.next++}`,
      title: body.title ?? titleFrom(body.prompt),
      prompt: body.prompt,
      status: body.start === true ? "queued" : "backlog",
      pullRequest: null,
      slackThreads: [],
      currentJamId: null,
      createdAt: stamp,
      updatedAt: stamp,
      threadId: null,
    };
    tasks.set(id, task);
    const { identifier, title, status, createdAt, projectId } = task;
    return ok(JSON.stringify({ id, projectId, identifier, title, status, createdAt }));
  };

  const invalid = (path: string, message: string) =>
    error(422, "validation_error", "Invalid request", [{ path, message }]);

  /**
   * A project's threads, newest first (by creation; the docs give no order), `limit` (1–100, default 20) a page.
   * Filters: status (the thread's), prNumber and branch (no sandbox thread has a pull request, so they match
   * none), slackThreadTs.
   */
  const listThreads: Handler = (req) => {
    const query = new URLSearchParams(req.query);
    const projectId = query.get("projectId");
    if (!projectId) return invalid("projectId", "Required");
    const limitText = query.get("limit") ?? "20";
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100)
      return invalid("limit", "Expected an integer from 1 to 100");
    const status = query.get("status");
    if (status !== null && !(CAPY_THREAD_STATUSES as readonly string[]).includes(status)) {
      return invalid("status", `Expected one of ${CAPY_THREAD_STATUSES.join(", ")}`);
    }
    const prNumber = query.get("prNumber");
    if (prNumber !== null && !/^-?\d+$/.test(prNumber)) return invalid("prNumber", "Expected an integer");
    if (!projects.has(projectId)) return error(404, "not_found", "Project not found");
    // A cursor continues exactly the query that issued it.
    const filters = ["projectId", "status", "prNumber", "branch", "slackThreadTs"].map((k) => query.get(k));
    const key = JSON.stringify(filters);
    const cursor = query.get("cursor");
    let after: SortKey | undefined;
    if (cursor !== null) {
      const reading = cursors.read(cursor, key);
      if ("error" in reading) return invalid("cursor", "Invalid or expired cursor");
      after = reading.after;
    }
    const slackTs = query.get("slackThreadTs");
    const threads = capyThreads(tasks.values()).filter(
      (t) =>
        t.projectId === projectId &&
        (status === null || t.status === status) &&
        prNumber === null &&
        query.get("branch") === null &&
        (slackTs === null || t.slackThreads.some((s) => s.threadTs === slackTs)),
    );
    const keyOf = (t: CapyThread): SortKey => [t.createdAt, t.id];
    const { page, more } = keysetPage(threads, keyOf, { size: limit, after, descending: true });
    const last = page.at(-1);
    const nextCursor = more && last ? cursors.issue(key, keyOf(last)) : null;
    return ok(JSON.stringify({ items: page, nextCursor, hasMore: nextCursor !== null }));
  };

  /** A task by UUID or identifier (`SCO-123`), as the action routes accept both. */
  const lookup = (ref: string): CapyTask | undefined =>
    isUuid(ref) ? tasks.get(ref.toLowerCase()) : [...tasks.values()].find((t) => t.identifier === ref);
  const touch = (task: CapyTask) => {
    task.updatedAt = isoMillis(Math.max(now(), Date.parse(task.updatedAt) + 1));
    bodies.delete(task.id);
  };

  const stopTask: Handler = (req, { taskId = "" }) => {
    const body = readJson(req.body);
    const reason = (body as { reason?: unknown } | undefined)?.reason;
    if (
      body === INVALID_JSON ||
      (body !== undefined && typeof body !== "object") ||
      (reason !== undefined && typeof reason !== "string")
    ) {
      return invalid("reason", "Expected a string");
    }
    const task = lookup(taskId);
    if (!task) return error(404, "not_found", "Task not found");
    if (denied.has(task.id)) return error(403, "forbidden", "You do not have access to this task");
    if (!RUNNING.has(task.status)) return error(409, "conflict", `Task is not running (${task.status})`);
    task.status = STOPPED_STATUS;
    task.currentJamId = null;
    touch(task);
    return ok(JSON.stringify({ id: task.id, identifier: task.identifier, status: task.status }));
  };

  const messageTask: Handler = (req, { taskId = "" }) => {
    const body = readJson(req.body) as { message?: unknown; attachmentUrls?: unknown } | undefined;
    if (typeof body?.message !== "string" || body.message.trim() === "") {
      return invalid("message", "Expected a non-empty string");
    }
    const urls = body.attachmentUrls;
    if (
      urls !== undefined &&
      !(Array.isArray(urls) && urls.every((u) => typeof u === "string" && /^https?:\/\/\S+$/.test(u)))
    ) {
      return invalid("attachmentUrls", "Expected an array of URLs");
    }
    const task = lookup(taskId);
    if (!task) return error(404, "not_found", "Task not found");
    if (denied.has(task.id)) return error(403, "forbidden", "You do not have access to this task");
    if (task.status === "archived") return error(409, "conflict", "Task is archived");
    touch(task);
    return ok(JSON.stringify({ id: idRandom.uuid(), status: "sent" }));
  };

  const router = createRouter<Handler>(
    // Each route also without the base path, so a Pact verifier given only the origin still reaches it.
    (
      [
        ["GET", "/v1/tasks/:taskId", getTask],
        ["POST", "/v1/tasks", createTask],
        ["GET", "/v1/threads", listThreads],
        ["POST", "/v1/tasks/:taskId/stop", stopTask],
        ["POST", "/v1/tasks/:taskId/message", messageTask],
      ] as const
    ).flatMap(([method, path, handler]) => [
      { method, path: `/api${path}`, handler },
      { method, path, handler },
    ]),
  );

  const ensureTask = (id: string, shape: { status?: string } = {}) => {
    const existing = tasks.get(id);
    if (existing && fits(existing, shape)) return;
    const project = data.projects[0] ?? projectFor(id);
    tasks.set(id, generateCapyTask(createRandom(hashSeed(id)), id, project, shape.status));
    bodies.delete(id);
  };

  return {
    vendor: "capy",
    handle(req) {
      const route = router.match(req.method, req.path);
      if (!route) return noRoute(req.method, req.path);
      if (bearer(req.headers) !== credentials.token) return error(401, "unauthorized", "Invalid or missing API token");
      return route.handler(req, route.params);
    },
    serverError(status) {
      return error(status, "internal_error", status === 500 ? "Internal server error" : "Service unavailable");
    },
    tooManyRequests(retryAfter) {
      return error(429, "rate_limited", "Too many requests", undefined, { "retry-after": retryAfter });
    },
    breakSchema(body) {
      if (!body || typeof body !== "object") return { id: 42, status: 7 };
      const { createdAt: _c, ...rest } = body as Record<string, unknown>;
      return { ...rest, id: 42, status: 7, unexpectedField: true };
    },
    states: {
      "task {id} exists": (params) =>
        ensureTask(stateId(params.id, CAPY_EXAMPLE_TASK_ID), shapeOf(params, ["status"] as const)),
      "task {id} does not exist": (params) => {
        const id = stateId(params.id, CAPY_EXAMPLE_TASK_ID);
        tasks.delete(id);
        denied.delete(id);
        bodies.delete(id);
      },
      "project {projectId} exists": (params) => {
        const id = String(params.projectId ?? initial.projects[0]?.id);
        if (!projects.has(id)) projects.set(id, projectFor(id));
      },
      // The project exists and has exactly `count` threads, each with one running task.
      "project {projectId} has {count} threads": (params) => {
        const id = String(params.projectId ?? initial.projects[0]?.id);
        if (!projects.has(id)) projects.set(id, projectFor(id));
        const project = projects.get(id) as CapyProject;
        for (const [taskId, task] of tasks) if (task.projectId === id) tasks.delete(taskId);
        for (let i = 0; i < Number(params.count ?? 1); i++) {
          const random = createRandom(hashSeed(`${id}:thread:${i}`));
          const task = generateCapyTask(random, random.uuid(), project, "in_progress");
          tasks.set(task.id, { ...task, threadIndex: 0 });
        }
        bodies.clear();
      },
      "project {projectId} does not exist": (params) => {
        projects.delete(String(params.projectId ?? initial.projects[0]?.id));
      },
      "the token lacks access to task {id}": (params) => {
        const id = stateId(params.id, CAPY_EXAMPLE_TASK_ID);
        ensureTask(id);
        denied.add(id);
      },
    },
    seed: seedIds(initial),
    reset: load,
  };
}

/** The title Capy shows for a task created without one: the prompt's first line, shortened. */
function titleFrom(prompt: string): string {
  const line = prompt.trim().split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function validateCreate(input: unknown): { path: string; message: string }[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return [{ path: "", message: "Expected an object" }];
  }
  const body = input as Record<string, unknown>;
  const issues: { path: string; message: string }[] = [];
  const str = (name: string, required: boolean) => {
    const value = body[name];
    if (value === undefined && !required) return;
    if (typeof value !== "string" || value.trim() === "")
      issues.push({ path: name, message: "Expected a non-empty string" });
  };
  str("projectId", true);
  str("prompt", true);
  str("title", false);
  str("model", false);
  if (body.labels !== undefined && !(Array.isArray(body.labels) && body.labels.every((l) => typeof l === "string"))) {
    issues.push({ path: "labels", message: "Expected an array of strings" });
  }
  if (body.repos !== undefined && !Array.isArray(body.repos))
    issues.push({ path: "repos", message: "Expected an array" });
  if (body.start !== undefined && typeof body.start !== "boolean")
    issues.push({ path: "start", message: "Expected a boolean" });
  return issues;
}

function seedIds(data: CapyData): CapySeedIds {
  return {
    taskIds: data.tasks.map((t) => t.id),
    personIds: [],
    projectIds: data.projects.map((p) => p.id),
    identifiers: data.tasks.map((t) => t.identifier),
    byStatus: groupIds(data.tasks, (t) => t.status, CAPY_TASK_STATUSES),
    example: { taskId: CAPY_EXAMPLE_TASK_ID, projectId: data.projects[0]?.id ?? "" },
  };
}
