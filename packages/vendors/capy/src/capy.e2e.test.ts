import {
  type CapyTask,
  CapyTask as CapyTaskSchema,
  InvalidInputError,
  normalizeTimestamp,
  STATUS_TABLES,
  VendorBadRequestError,
  VendorForbiddenError,
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
import { type CapyClient, createClient } from "./client.ts";

/** The documented example id (seed 003), SCO-123 in the sandbox. */
const EXAMPLE_TASK = "550e8400-e29b-41d4-a716-446655440000";
const UNKNOWN = "0f0e0d0c-0b0a-4909-8807-060504030201";

const e2e = useClientE2e("capy", (sv, overrides?: Partial<Parameters<typeof createClient>[0]>) =>
  createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS }, ...overrides }),
);
let v: SandboxVendor<"capy">;
let capy: CapyClient;
beforeAll(() => {
  ({ v, main: capy } = e2e);
});
const client = e2e.client;

/** The task the sandbox serves, read without the client (so the client's mapping is checked against it). */
async function served(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${v.url}/v1/tasks/${id}`, { headers: { authorization: `Bearer ${v.credentials.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** What the canonical Task must be for a served Capy task: every field spelled out. */
function expected(raw: Record<string, unknown>): CapyTask {
  return {
    vendor: "capy",
    id: raw.id as string,
    title: raw.title as string,
    description: raw.prompt as string,
    status: STATUS_TABLES.capy[raw.status as string] ?? "UNKNOWN",
    vendorStatus: raw.status as string,
    createdAt: normalizeTimestamp(raw.createdAt as string),
    updatedAt: normalizeTimestamp(raw.updatedAt as string),
    assignees: [],
    raw,
    details: {
      projectId: raw.projectId as string,
      identifier: raw.identifier as string,
      prompt: raw.prompt as string,
      pullRequest: raw.pullRequest,
      slackThreads: raw.slackThreads as CapyTask["details"]["slackThreads"],
      threadId: raw.threadId as string | null,
    },
  };
}

describe("reads of seeded data", () => {
  it("maps the example task at the documented id (SCO-123) field by field", async () => {
    const raw = await served(EXAMPLE_TASK);
    const task = await capy.getTask(EXAMPLE_TASK);
    expect(task).toStrictEqual(expected(raw));
    // The Capy timestamps are already ISO with milliseconds: canonical form is the same text.
    expect(task).toMatchObject({
      id: EXAMPLE_TASK,
      details: { identifier: "SCO-123", projectId: v.seed.example.projectId },
      createdAt: raw.createdAt,
      updatedAt: raw.updatedAt,
    });
    expect(Object.keys(raw)).toHaveLength(13);
  });

  it("an id in upper case reads the same task, in lower case", async () => {
    expect(await capy.getTask(EXAMPLE_TASK.toUpperCase())).toStrictEqual(await capy.getTask(EXAMPLE_TASK));
    expect(v.requests.count({ path: `/api/v1/tasks/${EXAMPLE_TASK}` })).toBe(2);
  });

  it("every seeded task parses, matches what the sandbox serves, and has a known status", async () => {
    const seen = new Set<string>();
    for (const id of v.seed.taskIds) {
      const raw = await served(id);
      const task = await capy.getTask(id);
      expect(task, id).toStrictEqual(expected(raw));
      expect(CapyTaskSchema.parse(task)).toStrictEqual(task);
      expect(task?.status).not.toBe("UNKNOWN");
      seen.add(task?.vendorStatus as string);
    }
    expect([...seen].sort()).toStrictEqual(Object.keys(STATUS_TABLES.capy).sort());
    expect(v.requests.count({ method: "GET" })).toBe(2 * v.seed.taskIds.length);
  });
});

describe("createTask", () => {
  it("creates a task that getTask then returns", async () => {
    const projectId = v.seed.example.projectId;
    const created = await capy.createTask({
      vendor: "capy",
      projectId,
      prompt: "Fix the flaky login test\nIt fails one run in five on CI.",
      labels: ["ci"],
    });
    expect(created).toMatchObject({
      vendor: "capy",
      title: "Fix the flaky login test",
      description: "Fix the flaky login test\nIt fails one run in five on CI.",
      status: "TODO",
      vendorStatus: "backlog",
      assignees: [],
      details: { projectId, pullRequest: null, slackThreads: [], threadId: null },
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.details.identifier).toMatch(/^SCO-\d+$/);
    expect(created.createdAt).toBe(created.updatedAt);

    expect(await capy.getTask(created.id)).toStrictEqual(created);
    // The POST, the client's read-back, and our read.
    expect(v.requests.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toStrictEqual([
      "POST /api/v1/tasks 200",
      `GET /api/v1/tasks/${created.id} 200`,
      `GET /api/v1/tasks/${created.id} 200`,
    ]);
    expect(JSON.parse(v.requests.entries()[0]?.body ?? "{}")).toStrictEqual({
      projectId,
      prompt: "Fix the flaky login test\nIt fails one run in five on CI.",
      labels: ["ci"],
    });
  });

  it("start: true queues the task; a title is kept", async () => {
    const created = await capy.createTask({
      vendor: "capy",
      projectId: v.seed.example.projectId,
      prompt: "Do it",
      title: "A title",
      start: true,
    });
    expect(created).toMatchObject({ title: "A title", status: "TODO", vendorStatus: "queued" });
  });

  it("when the read-back fails, the task comes from the create answer and the input", async () => {
    v.faults.set({ match: { method: "GET", path: "/api/v1/tasks/:taskId" }, errorRate: 1 });
    const created = await capy.createTask({ vendor: "capy", projectId: v.seed.example.projectId, prompt: "Do it" });
    expect(created).toMatchObject({ title: "Do it", description: "Do it", vendorStatus: "backlog" });
    expect(created.updatedAt).toBe(created.createdAt);
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([200, 503]);
    v.faults.clear();
    expect((await capy.getTask(created.id))?.details.identifier).toBe(created.details.identifier);
  });

  it("an unknown project → VendorBadRequestError naming the problem", async () => {
    v.states["project {projectId} does not exist"]?.({ projectId: v.seed.example.projectId });
    const error = await failure(capy.createTask({ vendor: "capy", projectId: v.seed.example.projectId, prompt: "x" }));
    expect(error).toBeInstanceOf(VendorBadRequestError);
    expect(error).toMatchObject({ status: 422, retryable: false });
    expect(error.message).toContain("Project not found");
    expect(v.requests.count()).toBe(1);
  });
});

describe("not found, forbidden, unauthorized", () => {
  it("an unknown task is null", async () => {
    expect(await capy.getTask(UNKNOWN)).toBeNull();
    v.states["task {id} does not exist"]?.({ id: EXAMPLE_TASK });
    expect(await capy.getTask(EXAMPLE_TASK)).toBeNull();
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([404, 404]);
  });

  itRefusesWrongBaseUrls(
    e2e,
    (s) => ({ "Max AI's port": `${s.vendors.maxai.origin}/api`, "/apii for /api": `${s.vendors.capy.origin}/apii` }),
    (wrong) => [wrong.getTask(EXAMPLE_TASK)],
  );

  it("a task the token may not see → VendorForbiddenError", async () => {
    v.states["the token lacks access to task {id}"]?.({ id: EXAMPLE_TASK });
    const error = await failure(capy.getTask(EXAMPLE_TASK));
    expect(error).toBeInstanceOf(VendorForbiddenError);
    expect(error).toMatchObject({ status: 403, retryable: false });
  });

  it("a wrong token → VendorUnauthorizedError, no credential in it (Capy sends no trace id)", async () => {
    const wrong = client({ token: "capy_wrong_token_value" });
    const calls = [wrong.getTask(EXAMPLE_TASK), wrong.createTask({ vendor: "capy", projectId: "p", prompt: "x" })];
    for (const call of calls) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(VendorUnauthorizedError);
      expect(error).toMatchObject({ status: 401, retryable: false, traceId: undefined });
      const shown = `${error.message} ${JSON.stringify(error)} ${String(error.cause ?? "")}`;
      for (const secret of ["capy_wrong_token_value", v.credentials.token]) expect(shown).not.toContain(secret);
    }
    expect(v.requests.entries().map((e) => e.status)).toStrictEqual([401, 401]);
  });
});

describe("malformed ids never reach the vendor", () => {
  const BAD = ["../admin", "a/b?c=1", "%2e%2e", "", "..", `${EXAMPLE_TASK}/../x`, `${EXAMPLE_TASK}#x`, "SCO-123"];
  itRejectsMalformedIds(e2e, "getTask(%j)", BAD, [(id) => capy.getTask(id)]);

  it("a create input that fails validation → InvalidInputError, zero requests", async () => {
    await expect(capy.createTask({ vendor: "capy", projectId: " ", prompt: "x" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(capy.createTask({ vendor: "capy", projectId: "p", prompt: "" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(v.requests.count()).toBe(0);
  });
});

const FAULTS = faultCases({
  vendor: "capy",
  requests: 2,
  unavailable: (error) => expect(error.message).toContain("internal_error"),
  bodyTexts: ['\\"id', "projectId", "SCO-", EXAMPLE_TASK],
  schemaBreak: ["id: invalid_type, expected string"],
});

describe("fault modes (one shared client: its pool must survive every fault)", () => {
  const OPERATIONS = [
    () => capy.getTask(EXAMPLE_TASK),
    () => capy.createTask({ vendor: "capy", projectId: v.seed.example.projectId, prompt: "Do it" }),
  ];

  // A failed POST is never read back; a successful one is (POST + GET).
  itSurvivesEachFault({
    e2e,
    cases: FAULTS,
    title: "getTask, createTask",
    operations: OPERATIONS,
    requests: 3,
    recovered([task, created]) {
      expect(task?.id).toBe(EXAMPLE_TASK);
      expect(created?.vendorStatus).toBe("backlog");
    },
  });

  it("latencyMs → success, and the request log counts it", async () => {
    v.faults.set({ latencyMs: 40 });
    expect((await capy.getTask(EXAMPLE_TASK))?.id).toBe(EXAMPLE_TASK);
    expect(v.requests.count()).toBe(1);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual([[200, undefined]]);
  });

  itKeepsWorkingAfterFaults({
    e2e,
    cases: FAULTS,
    probe: () => capy.getTask(EXAMPLE_TASK),
    calls: () =>
      [EXAMPLE_TASK, v.seed.taskIds[1] as string, v.seed.taskIds[2] as string].map(
        (id) => [() => capy.getTask(id), id] as const,
      ),
  });
});
