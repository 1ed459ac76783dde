import {
  type MaxAiTask,
  MaxAiTask as MaxAiTaskSchema,
  normalizeTimestamp,
  type Person,
  STATUS_TABLES,
  VendorBadRequestError,
  VendorForbiddenError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { type Sandbox, type SandboxVendor, startSandbox } from "@taskbridge/sandbox";
import {
  E2E_TIMEOUTS,
  failure,
  faultCases,
  itKeepsWorkingAfterFaults,
  itRefusesWrongBaseUrls,
  itRejectsMalformedIds,
  itSurvivesEachFault,
  oneByOne,
  useClientE2e,
} from "@taskbridge/sandbox/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, type MaxAiClient } from "./client.ts";
import getTaskV2 from "./fixtures/get-task-v2.json" with { type: "json" };
import { toV2Id } from "./ids.ts";

const EXAMPLE_UUID = "a1b2c3d4-5678-4abc-9def-0123456789ab";
const EXAMPLE_V4 = "tsk_a1b2c3d456784abc9def0123456789ab";
const WILSON = "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a";
const EXAMPLE_NOTE = "nte_3cc73cb69c59403ca9108af6c5693b25";
const UNKNOWN_UUID = "0f0e0d0c-0b0a-4909-8807-060504030201";
/** The sandbox answers every Max AI error with a fresh trace_id, a UUID. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const e2e = useClientE2e("maxai", (sv, overrides?: Partial<Parameters<typeof createClient>[0]>) =>
  createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS }, ...overrides }),
);
let sandbox: Sandbox;
let v: SandboxVendor<"maxai">;
let maxai: MaxAiClient;
beforeAll(() => {
  ({ sandbox, v, main: maxai } = e2e);
});
const client = e2e.client;

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
      expect(t.assignees?.map((a) => a.id)).toStrictEqual(providers.map((p) => v4("prv", p.id)));
      expect(t.assignees?.map((a) => a.inline?.firstName)).toStrictEqual(providers.map((p) => p.firstName));
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
    expect((await oneByOne(v.seed.personIds, (id) => maxai.getPerson(id))).some((p) => p?.displayName === null)).toBe(
      true,
    );
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
    expect(created.assignees?.map((a) => a.id)).toStrictEqual([WILSON, otherProvider]);

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

  itRefusesWrongBaseUrls(
    e2e,
    (s) => ({ "Cakewalk's port": s.vendors.cakewalk.origin, "a /proxy prefix": `${s.vendors.maxai.origin}/proxy` }),
    (wrong) => [wrong.getTask(EXAMPLE_V4), wrong.getPerson(WILSON)],
  );
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
    expect(error.traceId).toMatch(UUID);
  });
});

describe("rate limits", () => {
  it("the real limit: past it → VendorRateLimitedError with Retry-After, and the rejected call is logged", async () => {
    const limited = await startSandbox({ rateLimits: { maxai: { limit: 5, windowMs: 60_000 } } });
    const lv = limited.vendors.maxai;
    const c = createClient({ baseUrl: lv.url, ...lv.credentials, http: { timeouts: E2E_TIMEOUTS } });
    try {
      for (let i = 0; i < 5; i++) expect(await c.getTask(lv.seed.taskIds[i] as string)).not.toBeNull();
      const error = await failure(c.getTask(EXAMPLE_UUID));
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect(error).toMatchObject({ status: 429, retryable: true, limitedBy: "vendor" });
      // Retry-After is whole seconds until the oldest request leaves the 60 s window.
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((error.retryAfterMs as number) % 1000).toBe(0);
      expect(error.traceId).toMatch(UUID);
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
  itRejectsMalformedIds(e2e, "getTask(%j)", BAD, [(id) => maxai.getTask(id)]);
  itRejectsMalformedIds(
    e2e,
    "getPerson(%j)",
    BAD.filter((id) => !id.startsWith("prv_")),
    [(id) => maxai.getPerson(id)],
  );
  itRejectsMalformedIds(
    e2e,
    "createTask with noteId %j",
    BAD.filter((id) => id !== ""),
    [(noteId) => maxai.createTask({ vendor: "maxai", noteId, providerId: WILSON, notes: "x", assigneeIds: [WILSON] })],
  );
});

const FAULTS = faultCases({
  vendor: "maxai",
  requests: 3,
  unavailable: (error) => expect(error.traceId).toMatch(UUID),
  bodyTexts: ['\\"code', "success", "Review missing plan", EXAMPLE_UUID, "James"],
  schemaBreak: ["data.id: invalid_type, expected string"],
  extra: [
    {
      name: "errorRate 1 with errorStatus 500 → VendorUnavailableError 500",
      spec: { errorRate: 1, errorStatus: 500 },
      logged: "error",
      check(error) {
        expect(error).toBeInstanceOf(VendorUnavailableError);
        expect(error).toMatchObject({ status: 500, retryable: true });
      },
    },
  ],
});

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
  itSurvivesEachFault({
    e2e,
    cases: FAULTS,
    title: "getTask, getPerson, createTask",
    operations: OPERATIONS,
    recovered: (results) => expect(results.every((r) => r !== null)).toBe(true),
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

  itKeepsWorkingAfterFaults({
    e2e,
    cases: FAULTS,
    probe: () => maxai.getTask(EXAMPLE_UUID),
    calls: () => [
      [() => maxai.getTask(EXAMPLE_UUID), EXAMPLE_V4],
      [() => maxai.getPerson(WILSON), WILSON],
      [() => maxai.getTask(EXAMPLE_V4), EXAMPLE_V4],
    ],
  });
});
