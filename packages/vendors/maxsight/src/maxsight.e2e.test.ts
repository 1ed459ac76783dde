import {
  type MaxsightTask,
  MaxsightTask as MaxsightTaskSchema,
  normalizeTimestamp,
  STATUS_TABLES,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import type { SandboxVendor } from "@taskbridge/sandbox";
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
import { createClient, type MaxsightClient } from "./client.ts";
import { expectedSeedTask, SEED_TASK_ID } from "./test-support.ts";

const UNKNOWN = "0f0e0d0c-0b0a-4909-8807-060504030201";

const e2e = useClientE2e("maxsight", (sv, overrides?: Partial<Parameters<typeof createClient>[0]>) =>
  createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS }, ...overrides }),
);
let v: SandboxVendor<"maxsight">;
let maxsight: MaxsightClient;
beforeAll(() => {
  ({ v, main: maxsight } = e2e);
});
const client = e2e.client;

/** The task the sandbox serves, read without the client (so the client's mapping is checked against it). */
async function served(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${v.url}/v5/tasks/${id}`, { headers: { apikey: v.credentials.apiKey } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

interface Assignment {
  assigned_to_id: string;
  assigned_to_type: "USER" | "TEAM";
}

/** What the canonical Task must be for a served Maxsight task: every field spelled out. */
function expected(raw: Record<string, unknown>): MaxsightTask {
  const assignment = raw.assignment as Assignment | null;
  return {
    vendor: "maxsight",
    id: raw.id as string,
    title: (raw.name as string | null) ?? (raw.c_name as string),
    description: null,
    status: STATUS_TABLES.maxsight[raw.status as string] ?? "UNKNOWN",
    vendorStatus: raw.status as string,
    createdAt: normalizeTimestamp(raw.created_at as string),
    updatedAt: normalizeTimestamp(raw.updated_at as string),
    assignees: assignment
      ? [{ vendor: "maxsight", id: assignment.assigned_to_id, kind: assignment.assigned_to_type, inline: null }]
      : [],
    raw,
    version: raw.updated_at as string,
    details: {
      stepName: raw.step_name as string,
      workflowInstanceId: raw.workflow_instance_id as string,
      assessmentId: raw.assessment_id as string,
      entityId: raw.entity_id as string,
      institutionId: raw.institution_id as string,
      lockedAt: raw.locked_at === null ? null : normalizeTimestamp(raw.locked_at as string),
      dataVersion: raw.data_version as number,
    },
  };
}

describe("reads of seeded data", () => {
  it("maps the documented example (seed 004) exactly, served verbatim", async () => {
    expect(v.seed.example.taskId).toBe(SEED_TASK_ID);
    expect(await maxsight.getTask(SEED_TASK_ID)).toStrictEqual(expectedSeedTask());
    expect(v.requests.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toStrictEqual([
      `GET /v5/tasks/${SEED_TASK_ID} 200`,
    ]);
  });

  it("an id in upper case reads the same task", async () => {
    expect(await maxsight.getTask(SEED_TASK_ID.toUpperCase())).toStrictEqual(expectedSeedTask());
    expect(v.requests.count({ path: `/v5/tasks/${SEED_TASK_ID}` })).toBe(1);
  });

  it("every seeded task parses, matches what the sandbox serves, and has a known status", async () => {
    const seen = new Set<string>();
    for (const id of v.seed.taskIds) {
      const raw = await served(id);
      const task = await maxsight.getTask(id);
      expect(task, id).toStrictEqual(expected(raw));
      expect(MaxsightTaskSchema.parse(task)).toStrictEqual(task);
      expect(task?.status).not.toBe("UNKNOWN");
      seen.add(task?.vendorStatus as string);
    }
    expect([...seen].sort()).toStrictEqual(Object.keys(STATUS_TABLES.maxsight).sort());
    expect(v.requests.count({ method: "GET", path: "/v5/tasks/:task_id" })).toBe(2 * v.seed.taskIds.length);
  });

  it("a task assigned to a TEAM has one TEAM assignee, by reference only", async () => {
    expect(v.seed.teamAssigned.length).toBeGreaterThan(0);
    for (const id of v.seed.teamAssigned) {
      const task = await maxsight.getTask(id);
      const assignment = task?.raw.assignment as Assignment;
      expect(assignment.assigned_to_type).toBe("TEAM");
      expect(v.seed.teamIds).toContain(assignment.assigned_to_id);
      expect(task?.assignees).toStrictEqual([
        { vendor: "maxsight", id: assignment.assigned_to_id, kind: "TEAM", inline: null },
      ]);
    }
  });

  it("a task with a null assignment has no assignees", async () => {
    expect(v.seed.unassigned.length).toBeGreaterThan(0);
    for (const id of v.seed.unassigned) {
      const task = await maxsight.getTask(id);
      expect(task?.raw.assignment).toBeNull();
      expect(task?.assignees).toStrictEqual([]);
    }
  });

  it("USER and TEAM assignees are the seeded user and team ids", async () => {
    const kinds = new Set<string>();
    for (const id of v.seed.taskIds) {
      for (const assignee of (await maxsight.getTask(id))?.assignees ?? []) {
        kinds.add(assignee.kind);
        expect(assignee.kind === "USER" ? v.seed.personIds : v.seed.teamIds).toContain(assignee.id);
      }
    }
    expect([...kinds].sort()).toStrictEqual(["TEAM", "USER"]);
  });
});

describe("not found and unauthorized", () => {
  it("an unknown task is null", async () => {
    expect(await maxsight.getTask(UNKNOWN)).toBeNull();
    v.states["task {id} does not exist"]?.({ id: SEED_TASK_ID });
    expect(await maxsight.getTask(SEED_TASK_ID)).toBeNull();
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([404, 404]);
  });

  itRefusesWrongBaseUrls(
    e2e,
    (s) => ({ "Capy's port": s.vendors.capy.origin, "a /proxy prefix": `${s.vendors.maxsight.origin}/proxy` }),
    (wrong) => [wrong.getTask(SEED_TASK_ID)],
  );

  it("a wrong API key → VendorUnauthorizedError, no credential in it (Maxsight sends no trace id)", async () => {
    const wrong = client({ apiKey: "ms_wrong_key_value" });
    const error = await failure(wrong.getTask(SEED_TASK_ID));
    expect(error).toBeInstanceOf(VendorUnauthorizedError);
    expect(error).toMatchObject({ status: 401, retryable: false, traceId: undefined });
    expect(error.message).toContain("missing or invalid API key");
    const shown = `${error.message} ${JSON.stringify(error)} ${String(error.cause ?? "")}`;
    for (const secret of ["ms_wrong_key_value", v.credentials.apiKey]) expect(shown).not.toContain(secret);
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([401]);
  });
});

describe("malformed ids never reach the vendor", () => {
  const BAD = ["../admin", "a/b?c=1", "%2e%2e", "", "..", `${SEED_TASK_ID}/../x`, `${SEED_TASK_ID}?x=1`, "497f6eca"];
  itRejectsMalformedIds(e2e, "getTask(%j)", BAD, [(id) => maxsight.getTask(id)]);
});

const FAULTS = faultCases({
  vendor: "maxsight",
  requests: 1,
  unavailable: (error) => expect(error.message).toContain("Service unavailable"),
  malformedMessage: /^maxsight getTask: HTTP 200 body is not JSON$/,
  bodyTexts: ["assessment", "9f60a03f", "assignment"],
  schemaBreak: ["id: invalid_type, expected string", "created_at"],
});

describe("fault modes (one shared client: its pool must survive every fault)", () => {
  itSurvivesEachFault({
    e2e,
    cases: FAULTS,
    title: "getTask",
    operations: [() => maxsight.getTask(SEED_TASK_ID)],
    recovered: (results) => expect(results).toStrictEqual([expectedSeedTask()]),
  });

  it("rateLimit with seconds → retryAfterMs; only the next `count` requests are limited", async () => {
    v.faults.set({ rateLimit: { count: 1, retryAfter: "3" } });
    expect(await failure(maxsight.getTask(SEED_TASK_ID))).toMatchObject({ kind: "rate_limited", retryAfterMs: 3000 });
    expect((await maxsight.getTask(SEED_TASK_ID))?.id).toBe(SEED_TASK_ID);
  });

  it("latencyMs → success, and the request log counts it", async () => {
    v.faults.set({ latencyMs: 40 });
    expect(await maxsight.getTask(SEED_TASK_ID)).toStrictEqual(expectedSeedTask());
    expect(await maxsight.getTask(UNKNOWN)).toBeNull();
    expect(v.requests.count()).toBe(2);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual([
      [200, undefined],
      [404, undefined],
    ]);
  });

  itKeepsWorkingAfterFaults({
    e2e,
    cases: FAULTS,
    probe: () => maxsight.getTask(SEED_TASK_ID),
    calls: () =>
      [SEED_TASK_ID, v.seed.taskIds[1] as string, v.seed.taskIds[2] as string].map(
        (id) => [() => maxsight.getTask(id), id] as const,
      ),
  });
});
