import { randomUUID } from "node:crypto";
import { createBodyCache } from "../body-cache.ts";
import { isUuid } from "../ids.ts";
import { createRandom, hashSeed } from "../random.ts";
import { exhaustedState, retryAfterSeconds, vendorLimiter } from "../rate-limit.ts";
import { createRouter } from "../router.ts";
import { header, type Incoming, jsonReply, type Reply, reasonPhrase, type Simulator } from "../simulator.ts";
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
}

const PROBLEM_TYPE = "application/problem+json; charset=utf-8";
/** The `type` URIs ASP.NET Core puts in its default problem details. */
const PROBLEM_TYPES: Record<number, string> = {
  400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
  401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
  403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
  404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
  429: "https://tools.ietf.org/html/rfc6585#section-4",
  500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
  502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
  503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
  504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
};

/**
 * Cakewalk Open API (an ASP.NET Core service): GET /api/v1/Tasks/{taskId}, GET /api/v1/Users/{userId}.
 * Paths are case-insensitive and ids carry a `:guid` route constraint, so a non-GUID id is a 404 before auth.
 * @see https://docs.getcakewalk.io/open-api
 * @see https://cakewalk.security/docs/open-api-and-mcp/authentication
 * @see https://docs.getcakewalk.io/open-api/rate-limits
 */
export function createCakewalkSimulator(options: CakewalkSimulatorOptions): Simulator<CakewalkSeedIds> {
  const { credentials, now } = options;
  const limiter = vendorLimiter(options.rateLimit, now);

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

  const router = createRouter<Handler>(
    [
      { method: "GET", path: "/api/v1/Tasks/:id", handler: getTask },
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
      const id = route?.params.id ?? "";
      if (!route || !isUuid(id)) return problem(404, "The requested resource was not found.", req.path);
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
      return route.handler(req, id.toLowerCase());
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
