/**
 * Issue 22, from the vendor's side, over the real service and the sandbox answering as each vendor would: an answer
 * the vendor's document allows never costs the whole task (item 5), no vendor integer overflows its scalar (item 6),
 * a 200,000-level body is a contract violation and not a crash (item 6), every contract violation carries the
 * answer's status and an answer about another task is never taken for the one asked (item 8), and a vendor's trace
 * id reaches callers only when it looks like one and holds no credential (item 7).
 */
import type { Vendor } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GqlResult, type Stack, startStack, testConfig } from "./e2e-support.ts";
import { answerTaskRead, exampleTask, type Json, VENDOR_ANSWERS } from "./test-support/vendor-answers.ts";

let stack: Stack;
/** Every response body of this file, checked for credentials at the end. */
const responses: string[] = [];

/** Its own connections: a vendor 429 pauses the connection that got it, so that test does not pause the others. */
const PAUSE_KEY = "tb_tolerant_pause_key_01";

beforeAll(async () => {
  stack = await startStack({
    config: (sandbox) => ({
      tenants: [...testConfig(sandbox).tenants, ...testConfig(sandbox, PAUSE_KEY, "pause").tenants],
    }),
  });
});
afterAll(async () => {
  for (const text of responses) for (const secret of stack.secrets) expect(text).not.toContain(secret);
  await stack.close();
});
beforeEach(() => stack.sandbox.reset());

const NAMES = { maxai: "Max AI", cakewalk: "Cakewalk", capy: "Capy", maxsight: "Maxsight" } as const;

const TASK = `query T($id: ID!, $vendor: Vendor!) {
  task(id: $id, vendor: $vendor) {
    id vendorId status vendorStatus createdAt updatedAt raw
    assignedProviders { vendorId }
    ... on MaxAiTask { noteId syncStatus }
    ... on CakewalkTask { type snoozedTill }
    ... on CapyTask { identifier pullRequest }
    ... on MaxsightTask { stepName lockedAt dataVersion }
  }
}`;

async function readTask(vendor: Vendor, id: string): Promise<GqlResult> {
  const result = await stack.gql(TASK, { variables: { id, vendor: VENDOR_ANSWERS[vendor].graphql } });
  responses.push(result.text);
  return result;
}

/** The vendor answers its example task with `change` applied; the task is then read through the service. */
async function readChanged(vendor: Vendor, change: (task: Json) => void) {
  const { id, task } = await exampleTask(stack.sandbox, vendor);
  const untouched = (await readTask(vendor, id)).body.data.task;
  change(task);
  answerTaskRead(stack.sandbox, vendor, { body: VENDOR_ANSWERS[vendor].wrap(task) });
  return { untouched, sent: task, result: await readTask(vendor, id) };
}

describe("item 5: an unreadable value costs its field only", () => {
  it.each([
    ["maxai", "createdAt", "createdAt", "20/03/2026"],
    ["maxai", "updatedAt", "updatedAt", "2026-03-20 18:35:10"],
    ["maxai", "noteId", "noteId", "visit 7"],
    ["cakewalk", "createdAt", "createdAt", "yesterday"],
    ["cakewalk", "lastUpdatedAt", "updatedAt", "2026-02-30T10:00:00Z"],
    ["cakewalk", "snoozedTill", "snoozedTill", "next week"],
    ["capy", "createdAt", "createdAt", "1750000000"],
    ["capy", "updatedAt", "updatedAt", "2026-06-15T24:00:00Z"],
    ["maxsight", "created_at", "createdAt", ""],
    ["maxsight", "updated_at", "updatedAt", "2019-08-24T14:15:60Z"],
    ["maxsight", "locked_at", "lockedAt", "2019-13-24T14:15:22Z"],
  ] as const)(
    "%s %s = %j: %s is null with its error, the rest of the task and raw arrive",
    async (vendor, wireField, field, value) => {
      const { untouched, sent, result } = await readChanged(vendor, (task) => {
        task[wireField] = value;
      });
      expect(result.status).toBe(200);
      const task = result.body.data.task;
      expect(task).toEqual({ ...untouched, [field]: null, raw: sent });
      expect(result.body.errors).toEqual([
        {
          // Names the vendor's field, never its value.
          message: `${NAMES[vendor]} answered with a value of ${wireField} that does not match its contract.`,
          locations: expect.any(Array),
          path: ["task", field],
          extensions: {
            code: "VENDOR_CONTRACT_VIOLATION",
            vendor: VENDOR_ANSWERS[vendor].graphql,
            upstreamStatus: 200,
            field: wireField,
            requestId: expect.any(String),
          },
        },
      ]);
    },
  );

  it("Max AI: a provider id in neither dialect costs assignedProviders only", async () => {
    const { untouched, result } = await readChanged("maxai", (task) => {
      (task.assignedProviders as Json[])[0] = { ...(task.assignedProviders as Json[])[0], id: "dr-wilson" };
    });
    expect(untouched.assignedProviders).not.toEqual([]);
    expect(result.body.data.task).toMatchObject({ ...untouched, assignedProviders: null, raw: expect.any(Object) });
    expect(result.body.errors).toMatchObject([
      {
        path: ["task", "assignedProviders"],
        extensions: { code: "VENDOR_CONTRACT_VIOLATION", field: "assignedProviders.0.id" },
      },
    ]);
  });

  it("the same task in a batch gets the same field error, under its item", async () => {
    const { id, task } = await exampleTask(stack.sandbox, "capy");
    answerTaskRead(stack.sandbox, "capy", { body: { ...task, updatedAt: "soon" } });
    const result = await stack.gql(
      `{ tasks(refs: [{id: "${id}", vendor: CAPY}]) { error { code } task { id updatedAt } } }`,
    );
    expect(result.body.data.tasks).toEqual([{ error: null, task: { id: `capy:${id}`, updatedAt: null } }]);
    expect(result.body.errors).toMatchObject([
      {
        path: ["tasks", 0, "task", "updatedAt"],
        extensions: { code: "VENDOR_CONTRACT_VIOLATION", upstreamStatus: 200 },
      },
    ]);
  });
});

describe("item 5: a listed task", () => {
  it("a taskList node with an unreadable value has the field error under its edge; the listing goes on", async () => {
    const { task } = await exampleTask(stack.sandbox, "maxsight");
    const other = { ...task, id: "0f8fad5b-d9cb-469f-a165-70867728950e" };
    stack.sandbox.vendors.maxsight.faults.set({
      match: { method: "POST", path: "/v5/tasks/search" },
      answer: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ ...task, locked_at: "soon" }, other], next_page_token: null }),
      },
    });
    const result = await stack.gql(
      `{ taskList(first: 5, filter: { vendors: [MAXSIGHT] }) { edges { node { vendorId ... on MaxsightTask { lockedAt } } } unreadable { code } } }`,
    );
    responses.push(result.text);
    const edges = result.body.data.taskList.edges;
    expect(edges.map((edge: { node: { vendorId: string } }) => edge.node.vendorId).sort()).toEqual(
      [task.id, other.id].sort(),
    );
    const broken = edges.findIndex((edge: { node: { vendorId: string } }) => edge.node.vendorId === task.id);
    expect(edges[broken].node.lockedAt).toBeNull();
    expect(edges[1 - broken].node.lockedAt).toBe("2019-08-24T14:15:22.000Z");
    expect(result.body.data.taskList.unreadable).toEqual([]);
    expect(result.body.errors).toMatchObject([
      {
        path: ["taskList", "edges", broken, "node", "lockedAt"],
        extensions: { code: "VENDOR_CONTRACT_VIOLATION", vendor: "MAXSIGHT", upstreamStatus: 200, field: "locked_at" },
      },
    ]);
  });
});

describe("item 5: a created task", () => {
  it("keeps its field errors when an idempotent createTask is answered again from its record", async () => {
    const capy = stack.sandbox.vendors.capy;
    const created = {
      id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
      projectId: capy.seed.example.projectId,
      identifier: "SCO-900",
      title: "t",
      status: "queued",
      createdAt: "just now",
    };
    capy.faults.set({
      match: { method: "POST", path: "/api/v1/tasks" },
      answer: { status: 200, body: JSON.stringify(created) },
    });
    // The read-back finds nothing, so the task is the create answer's: its createdAt cannot be read.
    capy.faults.add({
      match: { method: "GET", path: "/api/v1/tasks/:id" },
      answer: { status: 404, body: JSON.stringify({ error: { code: "not_found", message: "Task not found" } }) },
    });
    const create = () =>
      stack.gql(
        `mutation($input: CreateTaskInput!) { createTask(input: $input, idempotencyKey: "tolerant-1") {
          task { vendorId createdAt updatedAt ... on CapyTask { identifier } } } }`,
        { variables: { input: { capy: { projectId: created.projectId, prompt: "p" } } } },
      );
    const first = await create();
    const again = await create();
    for (const result of [first, again]) {
      responses.push(result.text);
      expect(result.body.data.createTask.task).toEqual({
        vendorId: created.id,
        createdAt: null,
        updatedAt: null,
        identifier: "SCO-900",
      });
      expect(result.body.errors).toMatchObject([
        {
          path: ["createTask", "task", "createdAt"],
          extensions: { code: "VENDOR_CONTRACT_VIOLATION", upstreamStatus: 200, field: "createdAt" },
        },
        {
          path: ["createTask", "task", "updatedAt"],
          extensions: { code: "VENDOR_CONTRACT_VIOLATION", upstreamStatus: 200, field: "createdAt" },
        },
      ]);
    }
    expect(capy.requests.count({ method: "POST" })).toBe(1);
  });
});

describe("item 6: no vendor integer overflows its scalar", () => {
  it("a Maxsight data_version of 2147483648 arrives whole (GraphQL Int is 32-bit)", async () => {
    const { untouched, sent, result } = await readChanged("maxsight", (task) => {
      task.data_version = 2147483648;
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.task).toEqual({ ...untouched, dataVersion: 2147483648, raw: sent });
  });

  it("one past 2^53 − 1 is a field problem, never an INTERNAL_SERVER_ERROR", async () => {
    const { id, task } = await exampleTask(stack.sandbox, "maxsight");
    // JSON.stringify cannot write an integer that a double cannot hold; the vendor can.
    const body = JSON.stringify({ ...task, data_version: "BIG" }).replace('"BIG"', "9007199254740993");
    answerTaskRead(stack.sandbox, "maxsight", { body });
    const result = await readTask("maxsight", id);
    expect(result.body.data.task).toMatchObject({ vendorId: id, dataVersion: null, createdAt: expect.any(String) });
    expect(result.body.errors).toMatchObject([
      {
        path: ["task", "dataVersion"],
        extensions: {
          code: "VENDOR_CONTRACT_VIOLATION",
          vendor: "MAXSIGHT",
          upstreamStatus: 200,
          field: "data_version",
        },
      },
    ]);
  });

  it("a Retry-After past 2^31 seconds never overflows TaskError.retryAfterSeconds (Int)", async () => {
    const id = VENDOR_ANSWERS.capy.exampleId(stack.sandbox);
    const body = { error: { code: "rate_limited", message: "slow down" } };
    answerTaskRead(stack.sandbox, "capy", { status: 429, headers: { "retry-after": "99999999999999999999" }, body });
    const result = await stack.gql(
      `{ tasks(refs: [{id: "${id}", vendor: CAPY}]) { error { code retryAfterSeconds } } }`,
      {
        key: PAUSE_KEY,
      },
    );
    responses.push(result.text);
    expect(result.body.errors).toBeUndefined();
    const [{ error }] = result.body.data.tasks;
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(300);
  });

  it("a 200,000-level pullRequest from Capy is VENDOR_CONTRACT_VIOLATION with its status, not an HTTP 500", async () => {
    const { id, task } = await exampleTask(stack.sandbox, "capy");
    const depth = 200_000;
    const body = JSON.stringify({ ...task, pullRequest: "DEEP" }).replace(
      '"DEEP"',
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
    );
    answerTaskRead(stack.sandbox, "capy", { body });
    const result = await readTask("capy", id);
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ task: null });
    expect(result.body.errors).toMatchObject([
      { path: ["task"], extensions: { code: "VENDOR_CONTRACT_VIOLATION", vendor: "CAPY", upstreamStatus: 200 } },
    ]);
  });
});

describe("item 8: identity", () => {
  it("an unreadable task id fails the task, with the answer's status", async () => {
    const { result } = await readChanged("maxai", (task) => {
      task.id = "task 7";
    });
    expect(result.body.data).toEqual({ task: null });
    expect(result.body.errors).toMatchObject([
      {
        path: ["task"],
        extensions: { code: "VENDOR_CONTRACT_VIOLATION", vendor: "MAX_AI", upstreamStatus: 200, field: "id" },
      },
    ]);
  });

  it.each(["maxai", "cakewalk", "capy", "maxsight"] as const)(
    "%s: an answer about another task is refused and never stands for the task asked",
    async (vendor) => {
      const sandbox = stack.sandbox;
      const ids = sandbox.vendors[vendor].seed.taskIds;
      const asked = vendor === "maxai" ? sandbox.vendors.maxai.seed.v4TaskIds[1] : ids[1];
      const other = vendor === "maxai" ? sandbox.vendors.maxai.seed.v4TaskIds[2] : ids[2];
      if (!asked || !other) throw new Error("the seed has tasks");
      // The vendor answers `asked` with `other`'s payload; `other` itself is read as usual.
      const otherBody = await readTask(vendor, other);
      answerTaskRead(
        sandbox,
        vendor,
        { body: VENDOR_ANSWERS[vendor].wrap({ ...otherBody.body.data.task.raw }) },
        asked,
      );
      const name = VENDOR_ANSWERS[vendor].graphql;
      const result = await stack.gql(
        `{ a: task(id: "${asked}", vendor: ${name}) { vendorId } b: task(id: "${other}", vendor: ${name}) { vendorId }
           c: tasks(refs: [{id: "${asked}", vendor: ${name}}]) { error { code upstreamStatus field } task { vendorId } } }`,
      );
      responses.push(result.text);
      expect(result.body.data).toEqual({
        a: null,
        b: { vendorId: otherBody.body.data.task.vendorId },
        c: [{ error: { code: "VENDOR_CONTRACT_VIOLATION", upstreamStatus: 200, field: "id" }, task: null }],
      });
      expect(result.body.errors).toMatchObject([
        {
          path: ["a"],
          extensions: { code: "VENDOR_CONTRACT_VIOLATION", vendor: name, upstreamStatus: 200, field: "id" },
        },
      ]);
    },
  );
});

describe("item 7: vendor trace ids", () => {
  const QUERY = (vendor: Vendor, id: string) =>
    `{ task(id: "${id}", vendor: ${VENDOR_ANSWERS[vendor].graphql}) { vendorId } }`;

  /** A 400 from the vendor carrying `headers` and `body`: the error's traceId is what callers would see. */
  async function traceIdOf(vendor: Vendor, answer: { headers?: Record<string, string>; body: Json }) {
    const id = VENDOR_ANSWERS[vendor].exampleId(stack.sandbox);
    answerTaskRead(stack.sandbox, vendor, { status: 400, ...answer });
    const result = await stack.gql(QUERY(vendor, id));
    responses.push(result.text);
    expect(result.body.errors).toMatchObject([{ extensions: { code: "VENDOR_BAD_REQUEST", upstreamStatus: 400 } }]);
    return result.body.errors[0].extensions.traceId;
  }

  it("an id-like trace id reaches the caller (so its absence below means something)", async () => {
    expect(await traceIdOf("maxsight", { headers: { "x-request-id": "req-7f3a" }, body: {} })).toBe("req-7f3a");
    expect(await traceIdOf("maxai", { body: { code: "bad_request", message: "no", trace_id: "0c1d-42" } })).toBe(
      "0c1d-42",
    );
  });

  it("a vendor echoing our credential in x-request-id or trace_id never puts it in extensions.traceId", async () => {
    const { maxai, capy, maxsight } = stack.sandbox.vendors;
    const echoes: [Vendor, { headers?: Record<string, string>; body: Json }][] = [
      ["maxsight", { headers: { "x-request-id": maxsight.credentials.apiKey }, body: {} }],
      ["maxsight", { headers: { "x-request-id": `req-${maxsight.credentials.apiKey}-1` }, body: {} }],
      ["capy", { headers: { "x-request-id": capy.credentials.token }, body: {} }],
      ["maxai", { body: { code: "bad_request", message: "no", trace_id: maxai.credentials.apiKey } }],
    ];
    for (const [vendor, answer] of echoes) expect(await traceIdOf(vendor, answer)).toBeUndefined();
  });

  it("a 12,000-character trace id never comes back", async () => {
    const long = "a".repeat(12_000);
    expect(await traceIdOf("maxsight", { headers: { "x-request-id": long }, body: {} })).toBeUndefined();
    expect(await traceIdOf("maxai", { body: { code: "bad_request", message: "no", trace_id: long } })).toBeUndefined();
    expect(responses.some((text) => text.includes(long.slice(0, 200)))).toBe(false);
  });
});
