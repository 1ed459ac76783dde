import { createBodyCache } from "../body-cache.ts";
import { isUuid } from "../ids.ts";
import { createRouter } from "../router.ts";
import { header, type Incoming, type Reply, type Simulator } from "../simulator.ts";
import type { MaxsightCredentials } from "../types.ts";
import { groupIds } from "./group.ts";
import {
  generateMaxsightData,
  MAXSIGHT_EXAMPLE,
  MAXSIGHT_TASK_STATUSES,
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
  example: { taskId: string };
}

export interface MaxsightSimulatorOptions {
  credentials: MaxsightCredentials;
  seed: number;
}

const JSON_TYPE = "application/json";

/**
 * Maxsight v5: GET /v5/tasks/{task_id} → the task itself (no envelope).
 * Error bodies and rate limits are not documented for v5: `{"message": "..."}` is an assumption.
 * @see https://docs.maxsight.com/en/retrieve-a-task.html
 */
export function createMaxsightSimulator(options: MaxsightSimulatorOptions): Simulator<MaxsightSeedIds> {
  const { credentials } = options;
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

  type Handler = (req: Incoming, params: Record<string, string>) => Reply;
  const getTask: Handler = (_req, { task_id = "" }) => {
    // The docs answer a bad id with "404 Task not found", so a malformed id is treated as unknown too.
    if (!isUuid(task_id)) return message(404, "Task not found");
    const id = task_id.toLowerCase();
    const body = bodies.get(id, () => tasks.get(id));
    return body === undefined
      ? message(404, "Task not found")
      : { status: 200, headers: { "content-type": JSON_TYPE }, body };
  };
  const router = createRouter<Handler>([{ method: "GET", path: "/v5/tasks/:task_id", handler: getTask }]);

  return {
    vendor: "maxsight",
    handle(req) {
      const route = router.match(req.method, req.path);
      if (!route) return message(404, "Not found");
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
    example: { taskId: MAXSIGHT_EXAMPLE.id },
  };
}
