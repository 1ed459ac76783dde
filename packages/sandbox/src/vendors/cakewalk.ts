import { randomUUID } from "node:crypto";
import { createBodyCache } from "../body-cache.ts";
import { isUuid } from "../ids.ts";
import { createPageTokens, keysetPage } from "../paging.ts";
import { createRandom, hashSeed } from "../random.ts";
import { exhaustedState, retryAfterSeconds, vendorLimiter } from "../rate-limit.ts";
import { createRouter } from "../router.ts";
import {
  header,
  INVALID_JSON,
  type Incoming,
  jsonReply,
  noRoute,
  type Reply,
  readJson,
  reasonPhrase,
  type Simulator,
} from "../simulator.ts";
import { dotnetIso } from "../time.ts";
import type { CakewalkCredentials, RateLimitOption } from "../types.ts";
import {
  CAKEWALK_EXAMPLE_TASK_ID,
  CAKEWALK_TASK_STATUSES,
  CAKEWALK_TASK_TYPES,
  type CakewalkData,
  type CakewalkTaskRecord,
  type CakewalkUser,
  generateCakewalkData,
  generateCakewalkTask,
  userFor,
} from "./cakewalk-seed.ts";
import { groupIds } from "./group.ts";
import { fits, shapeOf, stateId } from "./state-params.ts";

/** Ids to try: task and user UUIDs. */
export interface CakewalkSeedIds {
  taskIds: string[];
  personIds: string[];
  byStatus: Record<string, string[]>;
  byType: Record<string, string[]>;
  /** Tasks whose assignedUser is null. */
  unassigned: string[];
  example: { taskId: string; userId: string };
}

export interface CakewalkSimulatorOptions {
  credentials: CakewalkCredentials;
  now: () => number;
  /** Default 1,000 requests per minute per key; false turns it off. */
  rateLimit: RateLimitOption | false;
  seed: number;
  /** How long a `links.next` cursor stays valid. */
  pageTokenTtlMs: number;
}

/** Tasks per page of `GET /api/v1/Tasks`: the vendor documents no page size (nor a parameter for one). */
const LIST_PAGE_SIZE = 10;
/** Statuses a task can be approved or declined in (the docs list the transitions, not from where). */
const DECIDABLE = new Set(["Pending", "InProgress"]);

const PROBLEM_TYPE = "application/problem+json; charset=utf-8";
/** The `type` URIs ASP.NET Core puts in its default problem details. */
const PROBLEM_TYPES: Record<number, string> = {
  400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
  401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
  403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
  404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
  409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
  429: "https://tools.ietf.org/html/rfc6585#section-4",
  500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
  502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
  503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
  504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
};

/**
 * Cakewalk Open API (an ASP.NET Core service): GET /api/v1/Tasks?userId=, GET /api/v1/Tasks/{taskId},
 * POST /api/v1/Tasks/{taskId}/Approve and /Decline, GET /api/v1/Users/{userId}.
 * Paths are case-insensitive and ids carry a `:guid` route constraint, so a non-GUID id is a 404 before auth.
 * @see https://docs.getcakewalk.io/open-api
 * @see https://cakewalk.security/docs/open-api-and-mcp/authentication
 * @see https://docs.getcakewalk.io/open-api/rate-limits
 */
export function createCakewalkSimulator(options: CakewalkSimulatorOptions): Simulator<CakewalkSeedIds> {
  const { credentials, now } = options;
  const limiter = vendorLimiter(options.rateLimit, now);
  const cursors = createPageTokens({ now, ttlMs: options.pageTokenTtlMs });
  let readOnly = false;

  let data: CakewalkData = generateCakewalkData(options.seed);
  let tasks = new Map<string, CakewalkTaskRecord>();
  let users = new Map<string, CakewalkUser>();
  const bodies = createBodyCache();

  const load = () => {
    data = generateCakewalkData(options.seed);
    tasks = new Map(data.tasks.map((t) => [t.id, t]));
    users = new Map(data.users.map((u) => [u.id, u]));
    bodies.clear();
    limiter.reset();
    readOnly = false;
  };
  load();
  const initial = data;

  const problem = (
    status: number,
    detail: string,
    instance: string | null,
    headers?: Record<string, string>,
  ): Reply => {
    const trace = randomUUID().replaceAll("-", "");
    const body = JSON.stringify({
      type: PROBLEM_TYPES[status] ?? PROBLEM_TYPES[500],
      title: reasonPhrase(status),
      status,
      detail,
      instance,
      traceId: `00-${trace}-${trace.slice(8, 24)}-00`,
    });
    return { status, headers: { "content-type": PROBLEM_TYPE, ...headers }, body };
  };

  const ref = (id: string | null) => {
    const u = id === null ? undefined : users.get(id);
    return u ? { id: u.id, name: u.name, email: u.email, statusId: u.statusId, statusName: u.statusName } : null;
  };
  const renderTask = (t: CakewalkTaskRecord) => ({
    data: {
      id: t.id,
      type: t.type,
      createdAt: t.createdAt,
      status: t.status,
      lastUpdatedAt: t.lastUpdatedAt,
      isAutoprovisioning: t.isAutoprovisioning,
      isActionStep: t.isActionStep,
      assignedUser: ref(t.assignedUserId),
      claimers: t.claimerIds === null ? null : t.claimerIds.map(ref).filter((u) => u !== null),
      executedByUser: ref(t.executedByUserId),
      request: t.request,
      snoozedTill: t.snoozedTill,
      offboardingMetadata: t.offboardingMetadata,
      onboardingMetadata: t.onboardingMetadata,
      rolledOutByUser: ref(t.rolledOutByUserId),
      systemExecutionReason: t.systemExecutionReason,
      closedReason: t.closedReason,
    },
    links: { self: `/api/v1/Tasks/${t.id}`, next: null },
  });
  const renderUser = (u: CakewalkUser) => ({ data: u, links: { self: `/api/v1/Users/${u.id}` } });
  /** `TaskSimplifiedViewModelV1`, seen only in part: the detailed task without its request and metadata. */
  const renderListed = (t: CakewalkTaskRecord) => {
    const {
      request: _r,
      offboardingMetadata: _o,
      onboardingMetadata: _n,
      rolledOutByUser: _u,
      ...listed
    } = renderTask(t).data;
    return listed;
  };

  type Handler = (req: Incoming, id: string) => Reply;
  const getTask: Handler = (req, id) => {
    const body = bodies.get(`task:${id}`, () => {
      const t = tasks.get(id);
      return t && renderTask(t);
    });
    return body === undefined ? problem(404, `Task with id '${id}' was not found.`, req.path) : jsonReply(200, body);
  };
  const getUser: Handler = (req, id) => {
    const body = bodies.get(`user:${id}`, () => {
      const u = users.get(id);
      return u && renderUser(u);
    });
    return body === undefined ? problem(404, `User with id '${id}' was not found.`, req.path) : jsonReply(200, body);
  };

  /**
   * One user's tasks (assigned to them or claimable by them), by id, LIST_PAGE_SIZE a page; `links.next` is a
   * relative path whose `page[cursor]` (older pages: `cursor`) continues after the page's last task.
   */
  const listTasks: Handler = (req) => {
    const query = new URLSearchParams(req.query);
    const userId = query.get("userId") ?? "";
    if (!isUuid(userId)) return problem(400, "The userId field is required and must be a GUID.", req.path);
    const user = userId.toLowerCase();
    const token = query.get("page[cursor]") ?? query.get("cursor");
    let after: readonly (string | number | null)[] | undefined;
    if (token !== null) {
      const reading = cursors.read(token, user);
      if ("error" in reading) return problem(400, "The cursor is invalid or has expired.", req.path);
      after = reading.after;
    }
    const mine = [...tasks.values()].filter((t) => t.assignedUserId === user || t.claimerIds?.includes(user));
    const { page, more } = keysetPage(mine, (t) => [t.id], { size: LIST_PAGE_SIZE, after });
    const last = page.at(-1);
    const self = `/api/v1/Tasks?${req.query}`;
    const next =
      more && last ? `/api/v1/Tasks?userId=${user}&page%5Bcursor%5D=${cursors.issue(user, [last.id])}` : null;
    return jsonReply(200, JSON.stringify({ data: page.map(renderListed), links: { self, next } }));
  };

  const decide =
    (verdict: "Approved" | "Declined"): Handler =>
    (req, id) => {
      if (readOnly) return problem(403, "The API key is read-only.", req.path);
      const body = readJson(req.body);
      if (body === INVALID_JSON) return problem(400, "The request body is not valid JSON.", req.path);
      const task = tasks.get(id);
      if (!task) return problem(404, `Task with id '${id}' was not found.`, req.path);
      if (!DECIDABLE.has(task.status)) {
        return problem(409, `Task '${id}' is ${task.status} and can no longer be ${verdict.toLowerCase()}.`, req.path);
      }
      const justification = (body as { justification?: unknown } | undefined)?.justification;
      const stamp = dotnetIso(Math.max(now(), Date.parse(task.lastUpdatedAt) + 1));
      mutate(() => {
        task.status = verdict;
        task.lastUpdatedAt = stamp;
        task.executedByUserId = task.assignedUserId ?? task.claimerIds?.[0] ?? null;
        task.closedReason = typeof justification === "string" ? justification : null;
        if (task.request)
          task.request = {
            ...task.request,
            requestStatus: verdict === "Approved" ? "Completed" : "Declined",
            updatedAt: stamp,
          };
      });
      return jsonReply(200, JSON.stringify(renderTask(task)));
    };

  const router = createRouter<Handler>(
    [
      { method: "GET", path: "/api/v1/Tasks", handler: listTasks },
      { method: "GET", path: "/api/v1/Tasks/:id", handler: getTask },
      { method: "POST", path: "/api/v1/Tasks/:id/Approve", handler: decide("Approved") },
      { method: "POST", path: "/api/v1/Tasks/:id/Decline", handler: decide("Declined") },
      { method: "GET", path: "/api/v1/Users/:id", handler: getUser },
    ],
    { caseInsensitive: true },
  );

  const mutate = (fn: () => void) => {
    fn();
    bodies.clear();
  };

  return {
    vendor: "cakewalk",
    handle(req) {
      const route = router.match(req.method, req.path);
      const id = route?.params.id;
      if (!route) return noRoute(req.method, req.path);
      if (id !== undefined && !isUuid(id)) return problem(404, "The requested resource was not found.", req.path);
      const key = header(req.headers, "x-api-key");
      if (key !== credentials.apiKey || header(req.headers, "x-api-secret") !== credentials.apiSecret) {
        return problem(401, "Invalid or missing API key or secret.", req.path);
      }
      const decision = limiter.take(key);
      if (!decision.allowed) {
        const seconds = retryAfterSeconds(decision.retryAfterMs);
        return problem(429, `Rate limit exceeded. Try again in ${seconds} seconds.`, req.path, {
          "retry-after": String(seconds),
        });
      }
      return route.handler(req, (id ?? "").toLowerCase());
    },
    serverError(status) {
      return problem(status, "An error occurred while processing your request.", null);
    },
    tooManyRequests(retryAfter) {
      return problem(429, "Rate limit exceeded.", null, { "retry-after": retryAfter });
    },
    breakSchema(body) {
      const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
      if (!data || typeof data !== "object") return { data: { id: 42, status: 7 }, links: null };
      const { createdAt: _c, lastUpdatedAt: _u, ...rest } = data;
      return { data: { ...rest, id: 42, status: 7, type: null }, links: null };
    },
    states: {
      "task {id} exists": (params) => {
        const id = stateId(params.id, CAKEWALK_EXAMPLE_TASK_ID);
        const shape = shapeOf(params, ["status", "type"] as const);
        const existing = tasks.get(id);
        if (existing && fits(existing, shape)) return;
        const random = createRandom(hashSeed(id));
        mutate(() => tasks.set(id, generateCakewalkTask(random, id, [...users.values()], data.apps, shape)));
      },
      "task {id} does not exist": (params) => {
        const id = stateId(params.id, CAKEWALK_EXAMPLE_TASK_ID);
        mutate(() => tasks.delete(id));
      },
      "user {id} exists": (params) => {
        const id = stateId(params.id, initial.users[0]?.id ?? "");
        if (!users.has(id)) mutate(() => users.set(id, userFor(id)));
      },
      "user {id} does not exist": (params) => {
        const id = stateId(params.id, initial.users[0]?.id ?? "");
        mutate(() => users.delete(id));
      },
      // Exactly `count` tasks of this user (assigned to them), all with this status; the user exists.
      "user {userId} has {count} tasks with status {status}": (params) => {
        const user = stateId(params.userId, initial.users[0]?.id ?? "");
        const status = String(params.status ?? "Pending");
        mutate(() => {
          if (!users.has(user)) users.set(user, userFor(user));
          for (const [id, task] of tasks) {
            if (task.assignedUserId === user || task.claimerIds?.includes(user)) tasks.delete(id);
          }
          for (let i = 0; i < Number(params.count ?? 1); i++) {
            const random = createRandom(hashSeed(`${user}:${status}:${i}`));
            const id = random.uuid();
            const task = generateCakewalkTask(random, id, [...users.values()], data.apps, {
              status,
              type: "RequestReviewTask",
            });
            tasks.set(id, { ...task, assignedUserId: user, claimerIds: [user] });
          }
        });
      },
      "the API key is read-only": () => {
        readOnly = true;
      },
      "the rate limit is exhausted": exhaustedState(limiter),
    },
    seed: seedIds(initial),
    reset: load,
  };
}

function seedIds(data: CakewalkData): CakewalkSeedIds {
  return {
    taskIds: data.tasks.map((t) => t.id),
    personIds: data.users.map((u) => u.id),
    byStatus: groupIds(data.tasks, (t) => t.status, CAKEWALK_TASK_STATUSES),
    byType: groupIds(data.tasks, (t) => t.type, CAKEWALK_TASK_TYPES),
    unassigned: data.tasks.filter((t) => t.assignedUserId === null).map((t) => t.id),
    example: { taskId: CAKEWALK_EXAMPLE_TASK_ID, userId: data.users[0]?.id ?? "" },
  };
}
