import { canonicalStatus, normalizeTimestamp } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";

const COMMON = `id vendor vendorId title description status vendorStatus createdAt updatedAt raw
  assignedProviders { id vendorId vendor kind person { id vendorId vendor kind displayName firstName lastName email username roles } }`;

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

describe("Query.task: one task of each vendor, every canonical field", () => {
  it("Max AI: the documented example (seeds 000/001), read by its v4 id", async () => {
    const { body } = await stack.gql(
      `{ task(vendor: MAX_AI, id: "tsk_a1b2c3d456784abc9def0123456789ab") { ${COMMON} ... on MaxAiTask { syncStatus ehrType noteId } } }`,
    );
    expect(body.errors).toBeUndefined();
    const { raw, ...task } = body.data.task;
    expect(task).toEqual({
      id: "maxai:tsk_a1b2c3d456784abc9def0123456789ab",
      vendor: "MAX_AI",
      vendorId: "tsk_a1b2c3d456784abc9def0123456789ab",
      title: null,
      description: "Review missing plan for Impression #3",
      status: "TODO",
      vendorStatus: "not_started",
      createdAt: "2026-03-20T18:35:10.209Z",
      updatedAt: "2026-03-23T03:15:47.285Z",
      assignedProviders: [
        {
          id: "maxai:prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
          vendorId: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
          vendor: "MAX_AI",
          kind: "PROVIDER",
          person: {
            id: "maxai:prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
            vendorId: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
            vendor: "MAX_AI",
            kind: "PROVIDER",
            displayName: "Dr. James Wilson, MD",
            firstName: "James",
            lastName: "Wilson",
            email: null,
            username: "jwilson",
            roles: ["Physician"],
          },
        },
      ],
      syncStatus: "synced",
      ehrType: "modmed",
      noteId: "nte_3cc73cb69c59403ca9108af6c5693b25",
    });
    // raw is the vendor's payload untouched: v2 dashed ids and Postgres timestamps.
    expect(raw).toMatchObject({
      id: "a1b2c3d4-5678-4abc-9def-0123456789ab",
      status: "not_started",
      createdAt: "2026-03-20 18:35:10.209452+00",
      noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
    });
  });

  it("Max AI: the v2 dashed id and the global id read the same task", async () => {
    const byV2 = await stack.gql(
      `{ task(vendor: MAX_AI, id: "a1b2c3d4-5678-4abc-9def-0123456789ab") { id vendorId } }`,
    );
    const byGlobal = await stack.gql(
      `{ task(vendor: MAX_AI, id: "maxai:tsk_a1b2c3d456784abc9def0123456789ab") { id vendorId } }`,
    );
    expect(byV2.body.data.task).toEqual({
      id: "maxai:tsk_a1b2c3d456784abc9def0123456789ab",
      vendorId: "tsk_a1b2c3d456784abc9def0123456789ab",
    });
    expect(byGlobal.body.data.task).toEqual(byV2.body.data.task);
  });

  it("names the vendor of another vendor's global id, for a read and an item of a batch, calling nobody", async () => {
    const capyId = "capy:550e8400-e29b-41d4-a716-446655440000";
    const one = await stack.gql(`{ task(vendor: MAX_AI, id: "${capyId}") { id } }`);
    expect(one.body.errors[0]).toMatchObject({
      message: "id is a Capy id: ask with vendor: CAPY",
      extensions: { code: "BAD_USER_INPUT", field: "id" },
    });
    const batch = await stack.gql(`{ tasks(refs: [{ vendor: CAKEWALK, id: "${capyId}" }]) { error { code field } } }`);
    expect(batch.body.data.tasks).toEqual([{ error: { code: "BAD_USER_INPUT", field: "id" } }]);
    expect(stack.vendorCalls()).toBe(0);
  });

  it("Maxsight: the documented example (seed 004)", async () => {
    const { body } = await stack.gql(
      `{ task(vendor: MAXSIGHT, id: "497f6eca-6276-4993-bfeb-53cbbbba6f08") { ${COMMON}
         ... on MaxsightTask { stepName workflowInstanceId assessmentId entityId institutionId lockedAt dataVersion } } }`,
    );
    expect(body.errors).toBeUndefined();
    const { raw, ...task } = body.data.task;
    expect(task).toEqual({
      id: "maxsight:497f6eca-6276-4993-bfeb-53cbbbba6f08",
      vendor: "MAXSIGHT",
      vendorId: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      title: "Review documentation",
      description: null,
      status: "IN_PROGRESS",
      vendorStatus: "INCOMPLETE",
      createdAt: "2019-08-24T14:15:22.000Z",
      updatedAt: "2019-08-24T14:15:22.000Z",
      assignedProviders: [
        {
          id: "maxsight:73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6",
          vendorId: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6",
          vendor: "MAXSIGHT",
          kind: "USER",
          person: null,
        },
      ],
      stepName: "Review",
      workflowInstanceId: "46ff49d0-5f69-46b0-9de7-5703639a02ce",
      assessmentId: "9f60a03f-b3de-4b19-9361-0380d9aa1e9e",
      entityId: "8161163a-f227-466f-bc01-090a01e80165",
      institutionId: "c75f2c73-5ae4-4f1c-99c0-fc726cd41798",
      lockedAt: "2019-08-24T14:15:22.000Z",
      dataVersion: 0,
    });
    expect(raw).toMatchObject({
      c_name: "Review documentation",
      microfrontend_id: "f1ea2a19-6836-4b1f-824d-8a04dfae4cc7",
      custom_metadata: null,
      assessment_template_id: "af8498c1-32bd-4453-b407-761eb6440e9b",
    });
  });

  it("Capy: the seed's example id (SCO-123); canonical fields agree with the vendor payload", async () => {
    const id = "550e8400-e29b-41d4-a716-446655440000";
    const { body } = await stack.gql(
      `{ task(vendor: CAPY, id: "${id}") { ${COMMON}
         ... on CapyTask { projectId identifier prompt pullRequest slackThreads { teamId channelId threadTs url } threadId } } }`,
    );
    expect(body.errors).toBeUndefined();
    const { raw, ...task } = body.data.task;
    expect(task).toEqual({
      id: `capy:${id}`,
      vendor: "CAPY",
      vendorId: id,
      title: raw.title,
      description: raw.prompt,
      status: canonicalStatus("capy", raw.status),
      vendorStatus: raw.status,
      createdAt: normalizeTimestamp(raw.createdAt),
      updatedAt: normalizeTimestamp(raw.updatedAt),
      assignedProviders: [],
      projectId: raw.projectId,
      identifier: "SCO-123",
      prompt: raw.prompt,
      pullRequest: raw.pullRequest,
      slackThreads: raw.slackThreads,
      threadId: raw.threadId,
    });
    expect(raw.id).toBe(id);
    expect(task.projectId).toBe(sandbox.vendors.capy.seed.example.projectId);
  });

  it("Cakewalk: the example task; canonical fields agree with the vendor payload, people used as embedded", async () => {
    const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    const { body } = await stack.gql(
      `{ task(vendor: CAKEWALK, id: "${id}") { ${COMMON}
         ... on CakewalkTask { type request { id type status requestedByUserId workAppId purpose }
           claimers { vendorId displayName email } executedBy { vendorId } snoozedTill } } }`,
    );
    expect(body.errors).toBeUndefined();
    const { raw, ...task } = body.data.task;
    const assigned = raw.assignedUser;
    expect(task).toEqual({
      id: `cakewalk:${id}`,
      vendor: "CAKEWALK",
      vendorId: id,
      title: null,
      description: null,
      status: "IN_PROGRESS",
      vendorStatus: "InProgress",
      createdAt: normalizeTimestamp(raw.createdAt),
      updatedAt: normalizeTimestamp(raw.lastUpdatedAt),
      assignedProviders: [
        {
          id: `cakewalk:${assigned.id}`,
          vendorId: assigned.id,
          vendor: "CAKEWALK",
          kind: "USER",
          person: {
            id: `cakewalk:${assigned.id}`,
            vendorId: assigned.id,
            vendor: "CAKEWALK",
            kind: "USER",
            displayName: assigned.name,
            firstName: null,
            lastName: null,
            email: assigned.email,
            username: null,
            roles: [],
          },
        },
      ],
      type: "RequestReviewTask",
      request: {
        id: raw.request.id,
        type: raw.request.requestType,
        status: raw.request.requestStatus,
        requestedByUserId: raw.request.requestedByUserId,
        workAppId: raw.request.workAppId,
        purpose: raw.request.requestPurpose ?? null,
      },
      claimers: raw.claimers.map((c: { id: string; name: string; email: string }) => ({
        vendorId: c.id,
        displayName: c.name,
        email: c.email,
      })),
      executedBy: null,
      snoozedTill: null,
    });
    // Embedded people cost no lookup.
    expect(sandbox.vendors.cakewalk.requests.count({ path: /\/Users\// })).toBe(0);
  });
});

describe("not found", () => {
  it.each([
    ["MAX_AI", "tsk_00000000000040008000000000000000", "maxai"],
    ["CAKEWALK", "00000000-0000-4000-8000-000000000000", "cakewalk"],
    ["CAPY", "00000000-0000-4000-8000-000000000000", "capy"],
    ["MAXSIGHT", "00000000-0000-4000-8000-000000000000", "maxsight"],
  ] as const)("%s: a task the vendor does not have is null, not an error", async (vendor, id, name) => {
    const { body } = await stack.gql(`{ task(vendor: ${vendor}, id: "${id}") { id } }`);
    expect(body).toEqual({ data: { task: null } });
    expect(sandbox.vendors[name].requests.count()).toBe(1);
  });
});

describe("Query.tasks (batch)", () => {
  it("returns one result per ref, in order, with the task, null, or the item's own error", async () => {
    sandbox.vendors.capy.faults.set({ errorRate: 1 });
    const { body } = await stack.gql(`{ tasks(refs: [
      { vendor: MAX_AI, id: "tsk_a1b2c3d456784abc9def0123456789ab" }
      { vendor: MAXSIGHT, id: "00000000-0000-4000-8000-000000000000" }
      { vendor: CAPY, id: "550e8400-e29b-41d4-a716-446655440000" }
      { vendor: CAKEWALK, id: "not-a-uuid" }
    ]) { ref { vendor id } task { id } error { code vendor upstreamStatus message } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.tasks).toEqual([
      {
        ref: { vendor: "MAX_AI", id: "tsk_a1b2c3d456784abc9def0123456789ab" },
        task: { id: "maxai:tsk_a1b2c3d456784abc9def0123456789ab" },
        error: null,
      },
      { ref: { vendor: "MAXSIGHT", id: "00000000-0000-4000-8000-000000000000" }, task: null, error: null },
      {
        ref: { vendor: "CAPY", id: "550e8400-e29b-41d4-a716-446655440000" },
        task: null,
        error: {
          code: "VENDOR_UNAVAILABLE",
          vendor: "CAPY",
          upstreamStatus: 503,
          message: "Capy is unavailable (HTTP 503).",
        },
      },
      {
        ref: { vendor: "CAKEWALK", id: "not-a-uuid" },
        task: null,
        error: expect.objectContaining({ code: "BAD_USER_INPUT", vendor: "CAKEWALK", upstreamStatus: null }),
      },
    ]);
    // The malformed id never reached Cakewalk.
    expect(sandbox.vendors.cakewalk.requests.count()).toBe(0);
  });

  it("reads repeated refs once, and all distinct refs concurrently", async () => {
    // Maxsight answers after a second, within this stack's vendor timeouts: ample time to see every read waiting.
    const patient = await startStack({
      sandbox,
      config: (s) => {
        const config = testConfig(s);
        const maxsight = config.tenants[0]?.connections.maxsight;
        if (maxsight) maxsight.http = { timeouts: { headersMs: 10_000, bodyMs: 10_000, totalMs: 10_000 } };
        return config;
      },
    });
    try {
      const maxsight = sandbox.vendors.maxsight;
      const ids = maxsight.seed.taskIds.slice(0, 10);
      maxsight.faults.set({ latencyMs: 1_000 });
      const refs = [...ids, ...ids, ...ids].map((id) => `{ vendor: MAXSIGHT, id: "${id}" }`).join(" ");
      const answered = patient.gql(`{ tasks(refs: [${refs}]) { task { vendorId } error { code } } }`);
      // Concurrency by the vendor's own record, no clock: when the tenth read arrives, none has been answered yet
      // (a read in sequence would only be sent once the one before it had its answer).
      await vi.waitFor(() => expect(maxsight.requests.count()).toBe(10), { timeout: 5_000, interval: 5 });
      expect(maxsight.requests.entries().map((e) => e.status)).toEqual(Array(10).fill(0));
      const { body } = await answered;
      expect(body.data.tasks).toHaveLength(30);
      expect(body.data.tasks.map((r: { task: { vendorId: string } }) => r.task.vendorId)).toEqual([
        ...ids,
        ...ids,
        ...ids,
      ]);
      expect(maxsight.requests.count()).toBe(10);
      expect(maxsight.requests.entries().map((e) => e.status)).toEqual(Array(10).fill(200));
    } finally {
      await patient.close();
    }
  });

  it("answers an empty or over-long id as that item's BAD_USER_INPUT; the other refs and root fields still arrive", async () => {
    const id = "tsk_a1b2c3d456784abc9def0123456789ab";
    const { body } = await stack.gql(`{
      tasks(refs: [{ vendor: MAX_AI, id: " " }, { vendor: MAX_AI, id: "${id}" }, { vendor: CAPY, id: "${"x".repeat(257)}" },
        { vendor: CAKEWALK, id: "not-a-uuid" }]) { task { id } error { code vendor field } }
      same: task(vendor: MAX_AI, id: "${id}") { id }
    }`);
    expect(body.errors).toBeUndefined();
    const badInput = (vendor: string) => ({ task: null, error: { code: "BAD_USER_INPUT", vendor, field: "id" } });
    expect(body.data).toEqual({
      tasks: [badInput("MAX_AI"), { task: { id: `maxai:${id}` }, error: null }, badInput("CAPY"), badInput("CAKEWALK")],
      same: { id: `maxai:${id}` },
    });
    expect(sandbox.vendors.capy.requests.count() + sandbox.vendors.cakewalk.requests.count()).toBe(0);
  });

  it("refuses more than 100 refs before any vendor call", async () => {
    const refs = Array.from({ length: 101 }, () => `{ vendor: CAPY, id: "550e8400-e29b-41d4-a716-446655440000" }`);
    const { body } = await stack.gql(`{ tasks(refs: [${refs.join(" ")}]) { task { id } } }`);
    expect(body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", field: "refs", requestId: expect.any(String) });
    expect(stack.vendorCalls()).toBe(0);
  });
});

describe("Mutation.createTask", () => {
  const CREATED = `createTask(input: $input) { task { ${COMMON} ... on CapyTask { projectId identifier prompt } ... on MaxAiTask { noteId syncStatus } } }`;

  it("creates a Max AI task and reads it back", async () => {
    const { example, personIds } = sandbox.vendors.maxai.seed;
    const assignee = personIds.find((id) => id !== example.providerId) as string;
    const input = {
      maxAi: {
        noteId: example.noteId,
        providerId: example.providerId,
        notes: "Check the biopsy",
        assigneeIds: [assignee],
      },
    };
    const created = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, { variables: { input } });
    expect(created.body.errors).toBeUndefined();
    const task = created.body.data.createTask.task;
    expect(task).toMatchObject({
      vendor: "MAX_AI",
      description: "Check the biopsy",
      noteId: example.noteId,
      status: "TODO",
      assignedProviders: [{ vendorId: assignee, kind: "PROVIDER", person: { vendorId: assignee } }],
    });
    expect(task.vendorId).toMatch(/^tsk_[0-9a-f]{32}$/);
    expect(task.id).toBe(`maxai:${task.vendorId}`);
    const read = await stack.gql(
      `{ task(vendor: MAX_AI, id: "${task.vendorId}") { ${COMMON} ... on MaxAiTask { noteId syncStatus } } }`,
    );
    // raw differs by design: the create answer is Max AI's v4 payload, the read its v2 payload (dashed ids).
    const { raw: createdRaw, ...createdCanonical } = task;
    const { raw: readRaw, ...readCanonical } = read.body.data.task;
    expect(readCanonical).toEqual(createdCanonical);
    expect(createdRaw.id).toBe(task.vendorId);
    expect(readRaw.id.replaceAll("-", "")).toBe(task.vendorId.slice(4));
  });

  it("creates a Capy task and reads it back", async () => {
    const projectId = sandbox.vendors.capy.seed.example.projectId;
    const input = { capy: { projectId, title: "Add a health endpoint", prompt: "Add GET /healthz" } };
    const created = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, { variables: { input } });
    expect(created.body.errors).toBeUndefined();
    const task = created.body.data.createTask.task;
    expect(task).toMatchObject({
      vendor: "CAPY",
      title: "Add a health endpoint",
      prompt: "Add GET /healthz",
      projectId,
      assignedProviders: [],
    });
    const read = await stack.gql(
      `{ task(vendor: CAPY, id: "${task.vendorId}") { ${COMMON} ... on CapyTask { projectId identifier prompt } } }`,
    );
    expect(read.body.data.task).toEqual(task);
  });

  it("sends a prompt, notes and title to the vendor exactly as given; ids are trimmed", async () => {
    const projectId = sandbox.vendors.capy.seed.example.projectId;
    // A prompt that starts with an indented code block and ends with a newline.
    const prompt = "    await login();\n\nThis hangs on CI.\n";
    const input = { capy: { projectId: ` ${projectId}\n`, title: " Login hangs ", prompt } };
    const created = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, { variables: { input } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createTask.task).toMatchObject({ title: " Login hangs ", prompt, projectId });
    const [post] = sandbox.vendors.capy.requests.entries({ method: "POST", path: /\/v1\/tasks$/ });
    expect(JSON.parse(post?.body ?? "{}")).toEqual({ projectId, title: " Login hangs ", prompt });

    const { example } = sandbox.vendors.maxai.seed;
    const notes = "  - biopsy\n  - plan\n";
    const maxAi = { noteId: example.noteId, providerId: example.providerId, notes, assigneeIds: [example.providerId] };
    const made = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, {
      variables: { input: { maxAi } },
    });
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.createTask.task.description).toBe(notes);
  });

  it("validates the input with the model's schema before any vendor call", async () => {
    const input = { maxAi: { noteId: "nte_x", providerId: "prv_x", notes: "   ", assigneeIds: [] } };
    const { body } = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, { variables: { input } });
    expect(body.errors[0].extensions).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.maxAi.notes",
      requestId: expect.any(String),
    });
    expect(body.errors[0].message).toContain("input.maxAi.assigneeIds");
    expect(stack.vendorCalls()).toBe(0);
  });

  it("accepts exactly one branch (@oneOf), checked before any vendor call", async () => {
    const input = {
      capy: { projectId: "p", prompt: "x" },
      maxAi: { noteId: "a", providerId: "b", notes: "c", assigneeIds: ["d"] },
    };
    const both = await stack.gql(`mutation($input: CreateTaskInput!) { ${CREATED} }`, { variables: { input } });
    expect(both.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const none = await stack.gql(`mutation { createTask(input: {}) { task { id } } }`);
    expect(none.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(stack.vendorCalls()).toBe(0);
  });
});
