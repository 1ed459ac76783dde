import {
  InvalidInputError,
  type MaxAiTask,
  MaxAiTask as MaxAiTaskSchema,
  normalizeTimestamp,
  type Person,
  STATUS_TABLES,
  VendorBadRequestError,
  VendorContractViolationError,
  type VendorError,
  VendorForbiddenError,
  VendorNetworkError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { type FaultKind, type FaultSpec, type Sandbox, type SandboxVendor, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMaxAiClient, type MaxAiClient } from "./client.ts";
import getTaskV2 from "./fixtures/get-task-v2.json" with { type: "json" };
import { toV2Id } from "./ids.ts";

// Short deadlines so hang and slow-body faults end quickly; loopback answers take a few milliseconds.
const TIMEOUTS = { connectMs: 500, headersMs: 300, bodyMs: 300, totalMs: 800 };

const EXAMPLE_UUID = "a1b2c3d4-5678-4abc-9def-0123456789ab";
const EXAMPLE_V4 = "tsk_a1b2c3d456784abc9def0123456789ab";
const WILSON = "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a";
const EXAMPLE_NOTE = "nte_3cc73cb69c59403ca9108af6c5693b25";
const UNKNOWN_UUID = "0f0e0d0c-0b0a-4909-8807-060504030201";

let sandbox: Sandbox;
let v: SandboxVendor<"maxai">;
let maxai: MaxAiClient;
const clients: MaxAiClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  v = sandbox.vendors.maxai;
  maxai = client();
});
beforeEach(() => sandbox.reset());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sandbox.close();
});

function client(overrides: Partial<Parameters<typeof createMaxAiClient>[0]> = {}): MaxAiClient {
  const created = createMaxAiClient({ baseUrl: v.url, ...v.credentials, http: { timeouts: TIMEOUTS }, ...overrides });
  clients.push(created);
  return created;
}

async function failure(call: Promise<unknown>): Promise<VendorError> {
  try {
    await call;
  } catch (thrown) {
    return thrown as VendorError;
  }
  throw new Error("expected the call to fail");
}

/** The body the sandbox serves, read without the client (so the client's mapping is checked against it). */
async function served(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${v.url}${path}`, {
    headers: { authorization: `Bearer ${v.credentials.apiKey}`, "x-organization-id": v.credentials.organizationId },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}

const v4 = (prefix: string, uuid: string) => `${prefix}_${uuid.replaceAll("-", "").toLowerCase()}`;

describe("reads of seeded data", () => {
  it("maps the documented example task (seeds 000/001) at its documented id", async () => {
    const task = await maxai.getTask(EXAMPLE_UUID);
    const wilson = {
      vendor: "maxai",
      id: WILSON,
      kind: "PROVIDER",
      displayName: "Dr. James Wilson, MD",
      firstName: "James",
      lastName: "Wilson",
      email: null,
      username: "jwilson",
      roles: ["Physician"],
    } satisfies Person;
    expect(task).toStrictEqual({
      vendor: "maxai",
      id: EXAMPLE_V4,
      title: null,
      description: "Review missing plan for Impression #3",
      status: "TODO",
      vendorStatus: "not_started",
      createdAt: "2026-03-20T18:35:10.209Z",
      updatedAt: "2026-03-23T03:15:47.285Z",
      assignees: [{ vendor: "maxai", id: WILSON, kind: "PROVIDER", inline: wilson }],
      details: { syncStatus: "synced", ehrType: "modmed", noteId: EXAMPLE_NOTE },
      raw: getTaskV2.data,
    } satisfies MaxAiTask);
  });

  it("reads the same task through the dashed UUID, the v4 id and either case", async () => {
    const byUuid = await maxai.getTask(EXAMPLE_UUID);
    const byV4 = await maxai.getTask(EXAMPLE_V4);
    const byUpper = await maxai.getTask(EXAMPLE_UUID.toUpperCase());
    expect(byV4).toStrictEqual(byUuid);
    expect(byUpper).toStrictEqual(byUuid);
    expect(v.requests.count({ method: "GET", path: `/v2/tasks/${EXAMPLE_UUID}` })).toBe(3);
  });

  it("every seeded task parses, matches what the sandbox serves, and has a known status", async () => {
    const seen = new Set<string>();
    for (const [i, uuid] of v.seed.taskIds.entries()) {
      const task = await maxai.getTask(uuid);
      const raw = await served(`/v2/tasks/${uuid}`);
      expect(task, uuid).not.toBeNull();
      const t = task as MaxAiTask;
      expect(MaxAiTaskSchema.parse(t)).toStrictEqual(t);
      expect(t.id).toBe(v.seed.v4TaskIds[i]);
      expect(t.raw).toStrictEqual(raw);
      expect(t.vendorStatus).toBe(raw.status);
      expect(t.status).not.toBe("UNKNOWN");
      expect(t.status).toBe(STATUS_TABLES.maxai[raw.status as string]);
      expect(t.description).toBe(raw.notes);
      expect(t.createdAt).toBe(normalizeTimestamp(raw.createdAt as string));
      expect(t.updatedAt).toBe(normalizeTimestamp(raw.updatedAt as string));
      expect(t.details).toStrictEqual({
        syncStatus: raw.syncStatus,
        ehrType: raw.ehrType,
        noteId: raw.noteId === undefined ? null : v4("nte", raw.noteId as string),
      });
      const providers = raw.assignedProviders as { id: string; firstName: string | null }[];
      expect(t.assignees.map((a) => a.id)).toStrictEqual(providers.map((p) => v4("prv", p.id)));
      expect(t.assignees.map((a) => a.inline?.firstName)).toStrictEqual(providers.map((p) => p.firstName));
      seen.add(t.vendorStatus);
    }
    expect([...seen].sort()).toStrictEqual(Object.keys(STATUS_TABLES.maxai).sort());
    expect(v.requests.count({ method: "GET", path: "/v2/tasks/:id" })).toBe(2 * v.seed.taskIds.length);
  });

  it("covers tasks without a note and without assignees", async () => {
    const [withoutNote] = v.seed.withoutNote;
    const [unassigned] = v.seed.unassigned;
    expect((await maxai.getTask(withoutNote as string))?.details.noteId).toBeNull();
    expect((await maxai.getTask(unassigned as string))?.assignees).toStrictEqual([]);
  });

  it("getPerson reads every seeded provider, James Wilson as documented", async () => {
    expect(await maxai.getPerson(WILSON)).toStrictEqual({
      vendor: "maxai",
      id: WILSON,
      kind: "PROVIDER",
      displayName: "Dr. James Wilson, MD",
      firstName: "James",
      lastName: "Wilson",
      email: null,
      username: "jwilson",
      roles: ["Physician"],
    });
    for (const id of v.seed.personIds) {
      const raw = await served(`/v4/providers/${id}`);
      const person = await maxai.getPerson(id);
      expect(person?.id).toBe(id);
      expect(person?.firstName).toBe(raw.firstName);
      expect(person?.lastName).toBe(raw.lastName);
      expect(person?.username).toBe(raw.username);
      expect(person?.roles).toStrictEqual(raw.roles);
    }
    // The EHR service account has no names at all.
    expect(
      (await Promise.all(v.seed.personIds.map((id) => maxai.getPerson(id)))).some((p) => p?.displayName === null),
    ).toBe(true);
  });

  it("getPerson accepts the provider's dashed UUID too", async () => {
    expect((await maxai.getPerson("d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a"))?.id).toBe(WILSON);
    expect(v.requests.count({ path: `/v4/providers/${WILSON}` })).toBe(1);
  });
});

describe("createTask", () => {
  it("creates a task that getTask then returns under the same canonical id", async () => {
    const [otherProvider] = v.seed.personIds.filter((id) => id !== WILSON);
    const created = await maxai.createTask({
      vendor: "maxai",
      noteId: EXAMPLE_NOTE,
      providerId: WILSON,
      notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
      // Mixed id forms: the client converts to v4.
      assigneeIds: [WILSON, toV2Id("provider", otherProvider as string)],
    });
    expect(created.id).toMatch(/^tsk_[0-9a-f]{32}$/);
    expect(created).toMatchObject({
      status: "TODO",
      vendorStatus: "not_started",
      description: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
      details: { syncStatus: "synced", ehrType: "modmed", noteId: EXAMPLE_NOTE },
    });
    expect(created.assignees.map((a) => a.id)).toStrictEqual([WILSON, otherProvider]);

    const read = await maxai.getTask(created.id);
    // raw differs on purpose (v4 ids in the create answer, v2 ids in the read); everything canonical is the same.
    const { raw: _createdRaw, ...createdRest } = created;
    const { raw: readRaw, ...readRest } = read as MaxAiTask;
    expect(readRest).toStrictEqual(createdRest);
    expect(readRaw.id).toBe(toV2Id("task", created.id));

    const [post] = v.requests.entries({ method: "POST", path: "/v4/tasks" });
    expect(JSON.parse(post?.body ?? "{}")).toStrictEqual({
      noteId: EXAMPLE_NOTE,
      providerId: WILSON,
      notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
      assigneeIds: [WILSON, otherProvider],
    });
  });

  it("an unknown note → VendorBadRequestError with the vendor's trace id", async () => {
    sandbox.vendors.maxai.states["note {noteId} does not exist"]?.({ noteId: EXAMPLE_NOTE });
    const error = await failure(
      maxai.createTask({
        vendor: "maxai",
        noteId: EXAMPLE_NOTE,
        providerId: WILSON,
        notes: "x",
        assigneeIds: [WILSON],
      }),
    );
    expect(error).toBeInstanceOf(VendorBadRequestError);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect(error.traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(error.message).toContain("not found");
  });
});

describe("not found", () => {
  it("an unknown task and an unknown provider are null", async () => {
    expect(await maxai.getTask(UNKNOWN_UUID)).toBeNull();
    expect(await maxai.getTask(v4("tsk", UNKNOWN_UUID))).toBeNull();
    expect(await maxai.getPerson(v4("prv", UNKNOWN_UUID))).toBeNull();
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([404, 404, 404]);
  });

  it("a task removed through the provider state is null", async () => {
    v.states["task {id} does not exist"]?.({ id: EXAMPLE_UUID });
    expect(await maxai.getTask(EXAMPLE_V4)).toBeNull();
  });
});

describe("credentials and scopes", () => {
  it.each([
    ["a wrong API key", { apiKey: "max_dev_ak_wrong_value" }],
    ["a wrong organization", { organizationId: "org_wrong_value" }],
  ])("%s → VendorUnauthorizedError with the trace id, no credential in it", async (_name, overrides) => {
    const wrong = client(overrides);
    for (const call of [wrong.getTask(EXAMPLE_UUID), wrong.getPerson(WILSON)]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(VendorUnauthorizedError);
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(error.traceId).toMatch(/^[0-9a-f-]{36}$/);
      const shown = `${error.message} ${JSON.stringify(error)} ${String(error.cause ?? "")}`;
      for (const secret of [...Object.values(overrides), v.credentials.apiKey]) expect(shown).not.toContain(secret);
    }
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([401, 401]);
  });

  it.each([
    ["read:tasks", (c: MaxAiClient) => c.getTask(EXAMPLE_UUID)],
    ["read:providers", (c: MaxAiClient) => c.getPerson(WILSON)],
    [
      "write:tasks",
      (c: MaxAiClient) =>
        c.createTask({ vendor: "maxai", noteId: EXAMPLE_NOTE, providerId: WILSON, notes: "x", assigneeIds: [WILSON] }),
    ],
  ])("the API key lacking %s → VendorForbiddenError", async (scope, call) => {
    v.states["the API key lacks scope {scope}"]?.({ scope });
    const error = await failure(call(maxai));
    expect(error).toBeInstanceOf(VendorForbiddenError);
    expect(error).toMatchObject({ status: 403, retryable: false });
    expect(error.traceId).toBeTruthy();
  });
});

describe("rate limits", () => {
  it("the real limit: past it → VendorRateLimitedError with Retry-After, and the rejected call is logged", async () => {
    const limited = await startSandbox({ rateLimits: { maxai: { limit: 5, windowMs: 60_000 } } });
    const lv = limited.vendors.maxai;
    const c = createMaxAiClient({ baseUrl: lv.url, ...lv.credentials, http: { timeouts: TIMEOUTS } });
    try {
      for (let i = 0; i < 5; i++) expect(await c.getTask(lv.seed.taskIds[i] as string)).not.toBeNull();
      const error = await failure(c.getTask(EXAMPLE_UUID));
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect(error).toMatchObject({ status: 429, retryable: true, limitedBy: "vendor" });
      // Retry-After is whole seconds until the oldest request leaves the 60 s window.
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((error.retryAfterMs as number) % 1000).toBe(0);
      expect(error.traceId).toBeTruthy();
      expect(lv.requests.entries().map((e) => e.status)).toStrictEqual([200, 200, 200, 200, 200, 429]);
      // Rejected requests do not count: after a reset of the window the client is served again.
      lv.reset();
      expect(await c.getTask(EXAMPLE_UUID)).not.toBeNull();
    } finally {
      await c.close();
      await limited.close();
    }
  });

  it("the 'rate limit is exhausted' state → retryAfterMs exactly from Retry-After", async () => {
    v.states["the rate limit is exhausted"]?.({ retryAfterSeconds: 42 });
    const error = await failure(maxai.getTask(EXAMPLE_UUID));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 42_000 });
  });

  it("without a usable Retry-After, X-RateLimit-Reset gives the wait", async () => {
    // The sandbox sends the unparsable value verbatim and a reset 60 s ahead (Unix seconds, remaining 0).
    v.faults.set({ rateLimit: { count: 1, retryAfter: "soon" } });
    const error = await failure(maxai.getTask(EXAMPLE_UUID));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThan(58_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(61_000);
  });
});

describe("malformed ids never reach the vendor", () => {
  const BAD = [
    "../admin",
    "a/b?c=1",
    "%2e%2e",
    "",
    "..",
    "tsk_../admin",
    `${EXAMPLE_UUID}/../x`,
    "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
  ];
  it.each(BAD)("getTask(%j) → InvalidInputError, zero requests", async (id) => {
    await expect(maxai.getTask(id)).rejects.toBeInstanceOf(InvalidInputError);
    expect(v.requests.count()).toBe(0);
  });
  it.each(BAD.filter((id) => !id.startsWith("prv_")))(
    "getPerson(%j) → InvalidInputError, zero requests",
    async (id) => {
      await expect(maxai.getPerson(id)).rejects.toBeInstanceOf(InvalidInputError);
      expect(v.requests.count()).toBe(0);
    },
  );
  it.each(BAD.filter((id) => id !== ""))(
    "createTask with noteId %j → InvalidInputError, zero requests",
    async (noteId) => {
      const call = maxai.createTask({ vendor: "maxai", noteId, providerId: WILSON, notes: "x", assigneeIds: [WILSON] });
      await expect(call).rejects.toBeInstanceOf(InvalidInputError);
      expect(v.requests.count()).toBe(0);
    },
  );
});

interface FaultCase {
  name: string;
  spec: FaultSpec;
  /** The fault the sandbox records for the request (undefined: none). */
  logged: FaultKind | undefined;
  check(error: VendorError): void;
}

const FAULTS: FaultCase[] = [
  {
    name: "errorRate 1 → VendorUnavailableError 503",
    spec: { errorRate: 1 },
    logged: "error",
    check(error) {
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ status: 503, retryable: true });
      expect(error.traceId).toBeTruthy();
    },
  },
  {
    name: "errorRate 1 with errorStatus 500 → VendorUnavailableError 500",
    spec: { errorRate: 1, errorStatus: 500 },
    logged: "error",
    check(error) {
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ status: 500, retryable: true });
    },
  },
  {
    name: "resetRate 1 → VendorNetworkError",
    spec: { resetRate: 1 },
    logged: "reset",
    check(error) {
      expect(error).toBeInstanceOf(VendorNetworkError);
      expect(error).toMatchObject({ status: undefined, retryable: true });
    },
  },
  {
    name: "hangRate 1 → VendorTimeoutError within the client deadline",
    spec: { hangRate: 1 },
    logged: "hang",
    check(error) {
      expect(error).toBeInstanceOf(VendorTimeoutError);
      expect(error.retryable).toBe(true);
      // undici checks its headers timer every ~0.5 s, so the whole-call deadline may come first.
      expect(["headers timeout", "total deadline"]).toContain(error.detail);
    },
  },
  {
    name: "slowBodyMs 5000 → VendorTimeoutError",
    spec: { slowBodyMs: 5000 },
    logged: "slow_body",
    check(error) {
      expect(error).toBeInstanceOf(VendorTimeoutError);
      expect(error.retryable).toBe(true);
      expect(["body timeout", "total deadline"]).toContain(error.detail);
    },
  },
  {
    name: "truncateRate 1 → VendorNetworkError (the body breaks off)",
    spec: { truncateRate: 1 },
    logged: "truncate",
    check(error) {
      expect(error).toBeInstanceOf(VendorNetworkError);
      expect(error.retryable).toBe(true);
    },
  },
  {
    name: "malformedJsonRate 1 → VendorContractViolationError without body text",
    spec: { malformedJsonRate: 1 },
    logged: "malformed_json",
    check(error) {
      expect(error).toBeInstanceOf(VendorContractViolationError);
      expect(error).toMatchObject({ status: 200, retryable: false });
      expect(error.message).toMatch(/^maxai \w+: HTTP 200 body is not JSON$/);
      const shown = JSON.stringify(error);
      for (const text of ['\\"code', "success", "Review missing plan", EXAMPLE_UUID, "James"]) {
        expect(shown).not.toContain(text);
      }
    },
  },
  {
    name: "schemaBreakRate 1 → VendorContractViolationError naming the path",
    spec: { schemaBreakRate: 1 },
    logged: "schema_break",
    check(error) {
      expect(error).toBeInstanceOf(VendorContractViolationError);
      expect(error.message).toContain("data.id: invalid_type, expected string");
    },
  },
  {
    name: "rateLimit with an HTTP-date Retry-After → VendorRateLimitedError",
    spec: { rateLimit: { count: 3, retryAfter: new Date(Date.now() + 10 * 60_000).toUTCString() } },
    logged: "rate_limit",
    check(error) {
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect(error).toMatchObject({ status: 429, retryable: true, limitedBy: "vendor" });
      // About ten minutes ahead when the spec was built (the date has whole seconds).
      expect(error.retryAfterMs).toBeGreaterThan(8 * 60_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(10 * 60_000);
    },
  },
];

describe("fault modes (one shared client: its pool must survive every fault)", () => {
  const OPERATIONS = [
    () => maxai.getTask(EXAMPLE_UUID),
    () => maxai.getPerson(WILSON),
    () =>
      maxai.createTask({
        vendor: "maxai",
        noteId: EXAMPLE_NOTE,
        providerId: WILSON,
        notes: "x",
        assigneeIds: [WILSON],
      }),
  ];

  // The three operations run side by side, so the deadline-bound cases wait once, not three times.
  it.each(FAULTS)("getTask, getPerson, createTask: $name", async ({ spec, logged, check }) => {
    v.faults.set(spec);
    const errors = await Promise.all(OPERATIONS.map((call) => failure(call())));
    for (const error of errors) check(error);
    // One request per call, no hidden retries, and the sandbox did inject what was asked.
    expect(v.requests.entries().map((e) => e.fault)).toStrictEqual(OPERATIONS.map(() => logged));

    sandbox.reset();
    const results = await Promise.all(OPERATIONS.map((call) => call()));
    expect(results.every((r) => r !== null)).toBe(true);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual(OPERATIONS.map(() => [200, undefined]));
  });

  it("latencyMs → success, and the request log counts it", async () => {
    v.faults.set({ latencyMs: 40 });
    expect((await maxai.getTask(EXAMPLE_UUID))?.id).toBe(EXAMPLE_V4);
    expect((await maxai.getPerson(WILSON))?.id).toBe(WILSON);
    expect(v.requests.count()).toBe(2);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual([
      [200, undefined],
      [200, undefined],
    ]);
  });

  it("a fault limited to one route leaves the others alone", async () => {
    v.faults.set({ match: { method: "GET", path: "/v4/providers/:id" }, errorRate: 1 });
    await expect(maxai.getPerson(WILSON)).rejects.toBeInstanceOf(VendorUnavailableError);
    expect((await maxai.getTask(EXAMPLE_UUID))?.id).toBe(EXAMPLE_V4);
  });

  it("after every fault mode the same client keeps working", async () => {
    for (const { spec } of FAULTS) {
      v.faults.set(spec);
      await failure(maxai.getTask(EXAMPLE_UUID));
    }
    sandbox.reset();
    const results = await Promise.all([
      maxai.getTask(EXAMPLE_UUID),
      maxai.getPerson(WILSON),
      maxai.getTask(EXAMPLE_V4),
    ]);
    expect(results.map((r) => r?.id)).toStrictEqual([EXAMPLE_V4, WILSON, EXAMPLE_V4]);
    expect(v.requests.count()).toBe(3);
  });
});
