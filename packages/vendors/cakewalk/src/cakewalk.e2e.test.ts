import {
  type CakewalkTask,
  CakewalkTask as CakewalkTaskSchema,
  normalizeTimestamp,
  type Person,
  STATUS_TABLES,
  VendorNotConfiguredError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { type SandboxVendor, startSandbox } from "@taskbridge/sandbox";
import {
  E2E_TIMEOUTS,
  failure,
  faultCases,
  itKeepsWorkingAfterFaults,
  itRefusesWrongBaseUrls,
  itRejectsMalformedIds,
  itSurvivesEachFault,
  useClientE2e,
} from "@taskbridge/sandbox/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { type CakewalkClient, createClient } from "./client.ts";

/** Swashbuckle's example GUID, where the sandbox keeps its example task (Cakewalk publishes no example id). */
const EXAMPLE_TASK = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const HANNAH = "87911b97-ac98-459f-b012-8964894247b6";
const UNKNOWN = "0f0e0d0c-0b0a-4909-8807-060504030201";
const W3C_TRACE = /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/;

const e2e = useClientE2e("cakewalk", (sv, overrides?: Partial<Parameters<typeof createClient>[0]>) =>
  createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS }, ...overrides }),
);
let v: SandboxVendor<"cakewalk">;
let cakewalk: CakewalkClient;
beforeAll(() => {
  ({ v, main: cakewalk } = e2e);
});
const client = e2e.client;

/** The record the sandbox serves, read without the client (so the client's mapping is checked against it). */
async function served(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${v.url}${path}`, {
    headers: { "x-api-key": v.credentials.apiKey, "x-api-secret": v.credentials.apiSecret },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}

interface UserRef {
  id: string;
  name: string;
  email: string;
}
const person = (u: UserRef): Person => ({
  vendor: "cakewalk",
  id: u.id,
  kind: "USER",
  displayName: u.name,
  firstName: null,
  lastName: null,
  email: u.email,
  username: null,
  roles: [],
});

describe("reads of seeded data", () => {
  it("maps the example task (an open access review with assignee, claimers and request) field by field", async () => {
    const hannah = { id: HANNAH, name: "Hannah Becker", email: "hannah.becker@northwind-labs.com" };
    const raw = await served(`/api/v1/Tasks/${EXAMPLE_TASK}`);
    const task = await cakewalk.getTask(EXAMPLE_TASK);
    expect(task).toStrictEqual({
      vendor: "cakewalk",
      id: EXAMPLE_TASK,
      title: null,
      description: null,
      status: "IN_PROGRESS",
      vendorStatus: "InProgress",
      // .NET writes up to 7 fraction digits; canonical timestamps keep milliseconds.
      createdAt: "2026-03-18T18:12:38.196Z",
      updatedAt: "2026-03-20T05:55:58.018Z",
      assignees: [{ vendor: "cakewalk", id: HANNAH, kind: "USER", inline: person(hannah) }],
      raw,
      details: {
        type: "RequestReviewTask",
        request: {
          id: "943b6a4f-349f-4200-b362-7967df1f4e52",
          type: "RevokeAccess",
          status: "Pending",
          requestedByUserId: HANNAH,
          workAppId: "cb749bf8-87b7-427b-9bd9-408a10f6cbdb",
          purpose: "Contractor engagement ends this month",
        },
        claimers: [
          person(hannah),
          person({
            id: "90a6fb3f-7764-47f5-9ddb-f63942c66d47",
            name: "Jonas Weber",
            email: "jonas.weber@northwind-labs.com",
          }),
          person({
            id: "20eb0434-96f9-43dc-bfb3-c5d899c97903",
            name: "Lucas Moreau",
            email: "lucas.moreau@northwind-labs.com",
          }),
        ],
        executedBy: null,
        snoozedTill: null,
      },
    } satisfies CakewalkTask);
  });

  it("ids in upper case read the same task", async () => {
    expect(await cakewalk.getTask(EXAMPLE_TASK.toUpperCase())).toStrictEqual(await cakewalk.getTask(EXAMPLE_TASK));
    expect(v.requests.count({ path: `/api/v1/Tasks/${EXAMPLE_TASK}` })).toBe(2);
  });

  it("every seeded task parses, matches what the sandbox serves, and has a known status", async () => {
    const seen = new Set<string>();
    for (const id of v.seed.taskIds) {
      const raw = await served(`/api/v1/Tasks/${id}`);
      const task = await cakewalk.getTask(id);
      expect(task, id).not.toBeNull();
      const t = task as CakewalkTask;
      expect(CakewalkTaskSchema.parse(t)).toStrictEqual(t);
      const request = raw.request as Record<string, string | null> | null;
      const assigned = raw.assignedUser as UserRef | null;
      const executed = raw.executedByUser as UserRef | null;
      expect(t).toStrictEqual({
        vendor: "cakewalk",
        id,
        title: null,
        description: null,
        status: STATUS_TABLES.cakewalk[raw.status as string],
        vendorStatus: raw.status,
        createdAt: normalizeTimestamp(raw.createdAt as string),
        updatedAt: normalizeTimestamp(raw.lastUpdatedAt as string),
        assignees: assigned ? [{ vendor: "cakewalk", id: assigned.id, kind: "USER", inline: person(assigned) }] : [],
        raw,
        details: {
          type: raw.type,
          request: request && {
            id: request.id,
            type: request.requestType,
            status: request.requestStatus,
            requestedByUserId: request.requestedByUserId,
            workAppId: request.workAppId,
            purpose: request.requestPurpose,
          },
          claimers: ((raw.claimers as UserRef[] | null) ?? []).map(person),
          executedBy: executed && person(executed),
          snoozedTill: raw.snoozedTill === null ? null : normalizeTimestamp(raw.snoozedTill as string),
        },
      });
      expect(t.status).not.toBe("UNKNOWN");
      seen.add(t.vendorStatus);
    }
    expect([...seen].sort()).toStrictEqual(Object.keys(STATUS_TABLES.cakewalk).sort());
    expect(v.requests.count({ path: "/api/v1/Tasks/:id" })).toBe(2 * v.seed.taskIds.length);
  });

  it("a task without an assigned user has no assignees", async () => {
    for (const id of v.seed.unassigned.slice(0, 5)) expect((await cakewalk.getTask(id))?.assignees).toStrictEqual([]);
  });

  it("getPerson reads every seeded user with their role", async () => {
    expect(await cakewalk.getPerson(HANNAH)).toStrictEqual({
      ...person({ id: HANNAH, name: "Hannah Becker", email: "hannah.becker@northwind-labs.com" }),
      roles: ["Owner"],
    });
    for (const id of v.seed.personIds) {
      const raw = await served(`/api/v1/Users/${id}`);
      expect(await cakewalk.getPerson(id)).toStrictEqual({
        ...person(raw as unknown as UserRef),
        roles: [raw.roleName],
      });
    }
  });
});

describe("not found", () => {
  it("an unknown task and an unknown user are null", async () => {
    expect(await cakewalk.getTask(UNKNOWN)).toBeNull();
    expect(await cakewalk.getPerson(UNKNOWN)).toBeNull();
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([404, 404]);
  });

  it("records removed through the provider states are null", async () => {
    v.states["task {id} does not exist"]?.({ id: EXAMPLE_TASK });
    v.states["user {id} does not exist"]?.({ id: HANNAH });
    expect(await cakewalk.getTask(EXAMPLE_TASK)).toBeNull();
    expect(await cakewalk.getPerson(HANNAH)).toBeNull();
  });

  itRefusesWrongBaseUrls(
    e2e,
    (s) => ({ "Max AI's port": s.vendors.maxai.origin, "a /proxy prefix": `${s.vendors.cakewalk.origin}/proxy` }),
    (wrong) => [wrong.getTask(EXAMPLE_TASK), wrong.getPerson(HANNAH)],
  );
});

describe("credentials", () => {
  it.each([
    ["a wrong API key", { apiKey: "ck_wrong_key_value" }],
    ["a wrong API secret", { apiSecret: "ck_wrong_secret_value" }],
  ])("%s → VendorUnauthorizedError with the trace id, no credential in it", async (_name, overrides) => {
    const wrong = client(overrides);
    for (const call of [wrong.getTask(EXAMPLE_TASK), wrong.getPerson(HANNAH)]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(VendorUnauthorizedError);
      expect(error).toMatchObject({ status: 401, retryable: false });
      expect(error.traceId).toMatch(W3C_TRACE);
      const shown = `${error.message} ${JSON.stringify(error)} ${String(error.cause ?? "")}`;
      const secrets = [...Object.values(overrides), v.credentials.apiKey, v.credentials.apiSecret];
      for (const secret of secrets.filter((s) => s !== undefined)) expect(shown).not.toContain(secret);
    }
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([401, 401]);
  });

  it("no API secret → VendorNotConfiguredError at start, before any call (the vendor would answer 401)", () => {
    expect(() => client({ apiSecret: undefined })).toThrow(VendorNotConfiguredError);
    expect(v.requests.count()).toBe(0);
  });
});

describe("rate limits", () => {
  it("the real limit: past it → VendorRateLimitedError with Retry-After", async () => {
    const limited = await startSandbox({ rateLimits: { cakewalk: { limit: 5, windowMs: 60_000 } } });
    const lv = limited.vendors.cakewalk;
    const c = createClient({ baseUrl: lv.url, ...lv.credentials, http: { timeouts: E2E_TIMEOUTS } });
    try {
      for (let i = 0; i < 5; i++) expect(await c.getTask(lv.seed.taskIds[i] as string)).not.toBeNull();
      const error = await failure(c.getPerson(HANNAH));
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect(error).toMatchObject({ status: 429, retryable: true, limitedBy: "vendor" });
      expect(error.traceId).toMatch(W3C_TRACE);
      // Whole seconds until the oldest request leaves the 60 s window.
      expect(error.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((error.retryAfterMs as number) % 1000).toBe(0);
      expect(lv.requests.entries().map((e) => e.status)).toStrictEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await c.close();
      await limited.close();
    }
  });

  it("the 'rate limit is exhausted' state → retryAfterMs exactly from Retry-After", async () => {
    v.states["the rate limit is exhausted"]?.({ retryAfterSeconds: 42 });
    for (const call of [cakewalk.getTask(EXAMPLE_TASK), cakewalk.getPerson(HANNAH)]) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(VendorRateLimitedError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 42_000 });
    }
  });
});

describe("malformed ids never reach the vendor", () => {
  const BAD = ["../admin", "a/b?c=1", "%2e%2e", "", "..", `${EXAMPLE_TASK}/../x`, `${EXAMPLE_TASK}?x=1`, "3fa85f64"];
  itRejectsMalformedIds(e2e, "getTask(%j) and getPerson(%j)", BAD, [
    (id) => cakewalk.getTask(id),
    (id) => cakewalk.getPerson(id),
  ]);
});

const FAULTS = faultCases({
  vendor: "cakewalk",
  requests: 2,
  unavailable: (error) => expect(error.traceId).toMatch(W3C_TRACE),
  bodyTexts: ['\\"data', "Hannah", "northwind", EXAMPLE_TASK],
  schemaBreak: ["data.id: invalid_type, expected string"],
});

describe("fault modes (one shared client: its pool must survive every fault)", () => {
  const OPERATIONS = [() => cakewalk.getTask(EXAMPLE_TASK), () => cakewalk.getPerson(HANNAH)];

  // The operations run side by side, so the deadline-bound cases wait once.
  itSurvivesEachFault({
    e2e,
    cases: FAULTS,
    title: "getTask, getPerson",
    operations: OPERATIONS,
    recovered: (results) => expect(results.map((r) => r?.id)).toStrictEqual([EXAMPLE_TASK, HANNAH]),
  });

  it("rateLimit count: only the next `count` requests are limited", async () => {
    v.faults.set({ rateLimit: { count: 1, retryAfter: "7" } });
    expect(await failure(cakewalk.getTask(EXAMPLE_TASK))).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000 });
    expect((await cakewalk.getTask(EXAMPLE_TASK))?.id).toBe(EXAMPLE_TASK);
  });

  it("latencyMs → success, and the request log counts it", async () => {
    v.faults.set({ latencyMs: 40 });
    expect((await cakewalk.getTask(EXAMPLE_TASK))?.id).toBe(EXAMPLE_TASK);
    expect((await cakewalk.getPerson(HANNAH))?.id).toBe(HANNAH);
    expect(v.requests.count()).toBe(2);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual([
      [200, undefined],
      [200, undefined],
    ]);
  });

  itKeepsWorkingAfterFaults({
    e2e,
    cases: FAULTS,
    probe: () => cakewalk.getTask(EXAMPLE_TASK),
    calls: () => [
      [() => cakewalk.getTask(EXAMPLE_TASK), EXAMPLE_TASK],
      [() => cakewalk.getPerson(HANNAH), HANNAH],
      [() => cakewalk.getTask(v.seed.taskIds[1] as string), v.seed.taskIds[1] as string],
    ],
  });
});
