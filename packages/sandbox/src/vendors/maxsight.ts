import { createBodyCache } from "../body-cache.ts";
import { isUuid } from "../ids.ts";
import { createPageTokens, keysetPage, type SortKey } from "../paging.ts";
import { createRandom, hashSeed } from "../random.ts";
import { createRouter } from "../router.ts";
import { header, INVALID_JSON, type Incoming, noRoute, type Reply, readJson, type Simulator } from "../simulator.ts";
import { isoSeconds } from "../time.ts";
import type { MaxsightCredentials } from "../types.ts";
import { groupIds } from "./group.ts";
import { compileFilterModel, SORTING_FIELDS, sortKey } from "./maxsight-search.ts";
import {
  generateMaxsightData,
  MAXSIGHT_EXAMPLE,
  MAXSIGHT_TASK_STATUSES,
  type MaxsightAssignment,
  type MaxsightData,
  type MaxsightTask,
  maxsightTaskFor,
} from "./maxsight-seed.ts";
import { fits, shapeOf, stateId } from "./state-params.ts";

/** Ids to try: task UUIDs; personIds are the USER ids tasks are assigned to (there is no people endpoint). */
export interface MaxsightSeedIds {
  taskIds: string[];
  personIds: string[];
  teamIds: string[];
  byStatus: Record<string, string[]>;
  teamAssigned: string[];
  unassigned: string[];
  /** Each task's `updated_at` as seeded: its version, what update-assignment takes in If-Match. */
  versions: Record<string, string>;
  example: { taskId: string };
}

export interface MaxsightSimulatorOptions {
  credentials: MaxsightCredentials;
  now: () => number;
  seed: number;
  /** How long a `next_page_token` stays valid. */
  pageTokenTtlMs: number;
}

/** `max_page_size` when absent (documented); the largest one accepted is not documented: 100 is an assumption. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

const JSON_TYPE = "application/json";

/**
 * Maxsight v5: GET /v5/tasks/{task_id} → the task itself (no envelope); POST /v5/tasks/search;
 * PUT /v5/tasks/{task_id}/update-assignment.
 * Error bodies and rate limits are not documented for v5: `{"message": "..."}` is an assumption.
 * @see https://docs.maxsight.com/en/retrieve-a-task.html
 * @see https://docs.maxsight.com/en/search-tasks.html
 * @see https://docs.maxsight.com/en/update-a-task-assignment
 */
export function createMaxsightSimulator(options: MaxsightSimulatorOptions): Simulator<MaxsightSeedIds> {
  const { credentials, now } = options;
  const pageTokens = createPageTokens({ now, ttlMs: options.pageTokenTtlMs });
  let data: MaxsightData = generateMaxsightData(options.seed);
  let tasks = new Map<string, MaxsightTask>();
  const bodies = createBodyCache();
  const load = () => {
    data = generateMaxsightData(options.seed);
    tasks = new Map(data.tasks.map((t) => [t.id, t]));
    bodies.clear();
  };
  load();
  const initial = data;

  const message = (status: number, text: string, headers?: Record<string, string>): Reply => ({
    status,
    headers: { "content-type": JSON_TYPE, ...headers },
    body: JSON.stringify({ message: text }),
  });

  const ok = (body: string): Reply => ({ status: 200, headers: { "content-type": JSON_TYPE }, body });

  type Handler = (req: Incoming, params: Record<string, string>) => Reply;
  const getTask: Handler = (_req, { task_id = "" }) => {
    // The docs answer a bad id with "404 Task not found", so a malformed id is treated as unknown too.
    if (!isUuid(task_id)) return message(404, "Task not found");
    const id = task_id.toLowerCase();
    const body = bodies.get(id, () => tasks.get(id));
    return body === undefined ? message(404, "Task not found") : ok(body);
  };
  /**
   * `POST /v5/tasks/search` `{filter_model, max_page_size, page_token, sorting_field, sorting_type}` →
   * `{items, next_page_token}`. Sorted by the field, then by id; a page token continues exactly the search (filter
   * and sorting) that issued it.
   */
  const search: Handler = (req) => {
    const body = readJson(req.body) ?? {};
    if (body === INVALID_JSON || typeof body !== "object" || Array.isArray(body)) {
      return message(400, "Request body must be a JSON object");
    }
    const input = body as Record<string, unknown>;
    const size = input.max_page_size ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE) {
      return message(400, `max_page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const field = input.sorting_field ?? "TASK_ID";
    if (typeof field !== "string" || !Object.hasOwn(SORTING_FIELDS, field)) {
      return message(400, `sorting_field must be one of ${Object.keys(SORTING_FIELDS).join(", ")}`);
    }
    const direction = input.sorting_type ?? "ASC";
    if (direction !== "ASC" && direction !== "DESC") return message(400, "sorting_type must be ASC or DESC");
    const matches = compileFilterModel(input.filter_model);
    if (typeof matches === "string") return message(400, matches);
    const query = JSON.stringify([input.filter_model ?? null, field, direction]);
    let after: SortKey | undefined;
    if (input.page_token !== undefined && input.page_token !== null) {
      const reading = typeof input.page_token === "string" ? pageTokens.read(input.page_token, query) : undefined;
      if (!reading || "error" in reading) return message(400, "Invalid or expired page token");
      after = reading.after;
    }
    const keyOf = (t: MaxsightTask) => sortKey(t, field);
    const { page, more } = keysetPage([...tasks.values()].filter(matches), keyOf, {
      size: size as number,
      after,
      descending: direction === "DESC",
    });
    const last = page.at(-1);
    const next = more && last ? pageTokens.issue(query, keyOf(last)) : null;
    return ok(JSON.stringify({ items: page, next_page_token: next }));
  };

  /**
   * `PUT /v5/tasks/{task_id}/update-assignment` with `If-Match: <updated_at>` and `{update: {…}}` or
   * `{unassign: {…}}`. Undocumented, so chosen here: a missing If-Match is 428, a stale one 412, and the answer is
   * the changed task. Every change moves `updated_at` forward (by at least a second: it has no fraction) and bumps
   * `data_version`.
   */
  const updateAssignment: Handler = (req, { task_id = "" }) => {
    const task = isUuid(task_id) ? tasks.get(task_id.toLowerCase()) : undefined;
    if (!task) return message(404, "Task not found");
    const ifMatch = header(req.headers, "if-match");
    if (ifMatch === undefined) return message(428, "If-Match header is required");
    const change = parseAssignmentChange(readJson(req.body));
    if (typeof change === "string") return message(400, change);
    if (ifMatch.replace(/^"|"$/g, "") !== task.updated_at) {
      return message(412, "Version mismatch: the task has changed since it was read");
    }
    task.assignment = change;
    task.updated_at = isoSeconds(Math.max(now(), Date.parse(task.updated_at) + 1000));
    task.data_version += 1;
    bodies.delete(task.id);
    return ok(JSON.stringify(task));
  };

  const router = createRouter<Handler>([
    { method: "GET", path: "/v5/tasks/:task_id", handler: getTask },
    { method: "POST", path: "/v5/tasks/search", handler: search },
    { method: "PUT", path: "/v5/tasks/:task_id/update-assignment", handler: updateAssignment },
  ]);

  return {
    vendor: "maxsight",
    handle(req) {
      const route = router.match(req.method, req.path);
      if (!route) return noRoute(req.method, req.path);
      if (header(req.headers, "apikey") !== credentials.apiKey)
        return message(401, "Unauthorized: missing or invalid API key");
      return route.handler(req, route.params);
    },
    serverError(status) {
      return message(status, status === 500 ? "Internal server error" : "Service unavailable");
    },
    tooManyRequests(retryAfter) {
      return message(429, "Too many requests", { "retry-after": retryAfter });
    },
    breakSchema(body) {
      if (!body || typeof body !== "object") return { id: 42, status: 7 };
      const { created_at: _c, updated_at: _u, ...rest } = body as Record<string, unknown>;
      return { ...rest, id: 42, status: 7, assignment: "nobody" };
    },
    states: {
      "task {id} exists": (params) => {
        const id = stateId(params.id, MAXSIGHT_EXAMPLE.id);
        const { status, assignedToType } = shapeOf(params, ["status", "assignedToType"] as const);
        const existing = tasks.get(id);
        const assignment = existing?.assignment?.assigned_to_type ?? "none";
        if (existing && fits(existing, { status }) && (!assignedToType || assignedToType === assignment)) return;
        const kind = assignedToType === "TEAM" || assignedToType === "none" ? assignedToType : "USER";
        tasks.set(id, maxsightTaskFor(id, data, { status, assignment: kind }));
        bodies.delete(id);
      },
      "task {id} does not exist": (params) => {
        const id = stateId(params.id, MAXSIGHT_EXAMPLE.id);
        tasks.delete(id);
        bodies.delete(id);
      },
      // Exactly `count` tasks with this status (the others are removed), so a search sees exactly them.
      "{count} tasks with status {status} exist": (params) => {
        const status = String(params.status ?? "INCOMPLETE");
        tasks = new Map();
        for (let i = 0; i < Number(params.count ?? 1); i++) {
          const id = createRandom(hashSeed(`maxsight:${status}:${i}`)).uuid();
          tasks.set(id, maxsightTaskFor(id, data, { status, assignment: "USER" }));
        }
        bodies.clear();
      },
    },
    seed: seedIds(initial),
    reset: load,
  };
}

function seedIds(data: MaxsightData): MaxsightSeedIds {
  return {
    taskIds: data.tasks.map((t) => t.id),
    personIds: data.userIds,
    teamIds: data.teamIds,
    byStatus: groupIds(data.tasks, (t) => t.status, MAXSIGHT_TASK_STATUSES),
    teamAssigned: data.tasks.filter((t) => t.assignment?.assigned_to_type === "TEAM").map((t) => t.id),
    unassigned: data.tasks.filter((t) => t.assignment === null).map((t) => t.id),
    versions: Object.fromEntries(data.tasks.map((t) => [t.id, t.updated_at])),
    example: { taskId: MAXSIGHT_EXAMPLE.id },
  };
}

/** The new assignment of an update-assignment body, null for `unassign`, or the message of a 400. */
function parseAssignmentChange(body: unknown): MaxsightAssignment | null | string {
  if (typeof body !== "object" || body === null) return "Request body must be a JSON object";
  const { update, unassign } = body as { update?: Record<string, unknown>; unassign?: Record<string, unknown> };
  if ((update === undefined) === (unassign === undefined)) return "Send exactly one of update and unassign";
  const change = (update ?? unassign) as Record<string, unknown>;
  if (typeof change !== "object" || change === null) return "update / unassign must be an object";
  const comment = change.assignment_comment ?? null;
  if (!isUuid(String(change.assigned_by_id ?? ""))) return "assigned_by_id must be a UUID";
  if (comment !== null && typeof comment !== "string") return "assignment_comment must be a string or null";
  if (unassign !== undefined) return null;
  if (!isUuid(String(change.assigned_to_id ?? ""))) return "assigned_to_id must be a UUID";
  if (change.assigned_to_type !== "USER" && change.assigned_to_type !== "TEAM") {
    return "assigned_to_type must be USER or TEAM";
  }
  return {
    assigned_by_id: String(change.assigned_by_id).toLowerCase(),
    assigned_to_id: String(change.assigned_to_id).toLowerCase(),
    assigned_to_type: change.assigned_to_type,
    assignment_comment: comment,
  };
}
