import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { createTaskbridgeClient, type TaskbridgeClientOptions } from "./client.ts";
import { TaskbridgeError } from "./errors.ts";
import { graphql } from "./graphql.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.reset());

const client = (options: Partial<TaskbridgeClientOptions> = {}) =>
  createTaskbridgeClient({ url: stack.url, apiKey: TEST_KEY, ...options });

/** The global fetch, recording each GraphQL request body the client sends. */
function recordingFetch() {
  const bodies: { query: string; variables: Record<string, unknown> }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return globalThis.fetch(input, init);
  };
  return { fetch, bodies };
}

const CAPY_CREATE = "/api/v1/tasks";

function capyInput(title: string) {
  const { projectId } = stack.sandbox.vendors.capy.seed.example;
  return { capy: { projectId, title, prompt: `Do ${title}.` } };
}

describe("reads", () => {
  it("getTask: canonical and vendor fields; null when the vendor has no such task", async () => {
    const { v4TaskId } = stack.sandbox.vendors.maxai.seed.example;
    const task = await client().getTask({ vendor: "MAX_AI", id: v4TaskId });
    expect(task).toMatchObject({
      __typename: "MaxAiTask",
      vendor: "MAX_AI",
      vendorId: v4TaskId,
      id: `maxai:${v4TaskId}`,
    });
    expect(task?.vendorStatus).toEqual(expect.any(String));
    if (task?.__typename !== "MaxAiTask") throw new Error("expected a Max AI task");
    expect(task.ehrType).toEqual(expect.any(String));
    expect(await client().getTask({ vendor: "MAX_AI", id: "tsk_00000000000000000000000000000000" })).toBeNull();
  });

  it("request: a selection of the caller's own, typed by what it selects", async () => {
    const { taskId } = stack.sandbox.vendors.capy.seed.example;
    const query = graphql(`
      query Capy($id: ID!) { task(vendor: CAPY, id: $id) { vendorStatus ... on CapyTask { identifier } } }
    `);
    const { task } = await client().request(query, { id: taskId });
    expectTypeOf(task).toExtend<{ vendorStatus: string } | null>();
    // @ts-expect-error: `title` was not selected, so the result has no such field
    expect(task?.title).toBeUndefined();
    expect(task).toEqual({ vendorStatus: expect.any(String), identifier: "SCO-123" });
  });

  it("getTasks: one result per ref, in order, with per-item errors in the ErrorDetail shape", async () => {
    const { v4TaskId } = stack.sandbox.vendors.maxai.seed.example;
    const results = await client().getTasks([
      { vendor: "MAX_AI", id: v4TaskId },
      { vendor: "MAXSIGHT", id: "00000000-0000-4000-8000-000000000000" },
      { vendor: "CAKEWALK", id: "not-a-uuid" },
    ]);
    expect(results).toEqual([
      { ref: { vendor: "MAX_AI", id: v4TaskId }, task: expect.objectContaining({ vendorId: v4TaskId }), error: null },
      { ref: { vendor: "MAXSIGHT", id: "00000000-0000-4000-8000-000000000000" }, task: null, error: null },
      {
        ref: { vendor: "CAKEWALK", id: "not-a-uuid" },
        task: null,
        error: { code: "BAD_USER_INPUT", vendor: "CAKEWALK", message: expect.stringContaining("UUID") },
      },
    ]);
  });

  it("a read refused with a long retryAfterSeconds is returned at once, typed, for the caller to decide", async () => {
    const { taskId } = stack.sandbox.vendors.maxsight.seed.example;
    stack.sandbox.vendors.maxsight.faults.set({ rateLimit: { count: 1, retryAfter: "30" } });
    const error = await client()
      .getTask({ vendor: "MAXSIGHT", id: taskId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskbridgeError);
    expect(error).toMatchObject({
      code: "RATE_LIMITED",
      vendor: "MAXSIGHT",
      upstreamStatus: 429,
      retryAfterSeconds: 30,
      limitedBy: "VENDOR",
      path: ["task"],
      attempts: 1,
      data: { task: null },
    });
  });

  it("a wrong API key: UNAUTHENTICATED with the HTTP status, not retried", async () => {
    const { fetch, bodies } = recordingFetch();
    const error = await client({ apiKey: "tb_wrong_key_000000", fetch })
      .getTask({ vendor: "CAPY", id: stack.sandbox.vendors.capy.seed.example.taskId })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TaskbridgeError", code: "UNAUTHENTICATED", status: 401 });
    expect(bodies).toHaveLength(1);
  });

  it("a service that cannot be reached: NETWORK_ERROR after the bounded retries", async () => {
    const { fetch, bodies } = recordingFetch();
    const closed = await startStack({ sandbox: stack.sandbox });
    await closed.server.close();
    const error = await createTaskbridgeClient({
      url: closed.url,
      apiKey: TEST_KEY,
      fetch,
      retry: { attempts: 2, baseDelaySeconds: 0.01 },
    })
      .getTask({ vendor: "CAPY", id: "x" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", status: 0, attempts: 2 });
    expect(bodies).toHaveLength(2);
  });

  it("an AbortSignal ends a request in flight with the signal's reason", async () => {
    stack.sandbox.vendors.capy.faults.set({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = client()
      .getTask({ vendor: "CAPY", id: stack.sandbox.vendors.capy.seed.example.taskId }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => stack.sandbox.vendors.capy.requests.count()).toBe(1);
    const reason = new DOMException("the user went elsewhere", "AbortError");
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });
});

describe("createTask", () => {
  it("creates the task and returns it typed", async () => {
    const task = await client().createTask(capyInput("one"));
    expect(task).toMatchObject({ __typename: "CapyTask", vendor: "CAPY", title: "one" });
    expect(stack.sandbox.vendors.capy.requests.count({ method: "POST", path: CAPY_CREATE })).toBe(1);
  });

  it("an answer lost on the way back: the retry reuses the key and the vendor creates one task", async () => {
    const bodies: { variables: { idempotencyKey: string } }[] = [];
    let lost = 0;
    // The real request reaches the service and is carried out; only its answer is dropped, once.
    const fetch: typeof globalThis.fetch = async (input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      const response = await globalThis.fetch(input, init);
      if (lost++ === 0) {
        await response.text();
        throw new TypeError("fetch failed");
      }
      return response;
    };
    const task = await client({ fetch, retry: { baseDelaySeconds: 0.01 } }).createTask(capyInput("lost answer"));
    expect(task.title).toBe("lost answer");
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.variables.idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
    expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
    expect(stack.sandbox.vendors.capy.requests.count({ method: "POST", path: CAPY_CREATE })).toBe(1);
  });

  it("RATE_LIMITED: waits the retryAfterSeconds, then retries with the same key", async () => {
    const capy = stack.sandbox.vendors.capy;
    capy.faults.set({ match: { method: "POST", path: CAPY_CREATE }, rateLimit: { count: 1, retryAfter: "1" } });
    const { fetch, bodies } = recordingFetch();
    const task = await client({ fetch }).createTask(capyInput("after a 429"));
    expect(task.title).toBe("after a 429");
    const posts = capy.requests.entries({ method: "POST", path: CAPY_CREATE });
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
  });

  it("each call is its own task: a new key per call", async () => {
    const { fetch, bodies } = recordingFetch();
    const a = await client({ fetch }).createTask(capyInput("same"));
    const b = await client({ fetch }).createTask(capyInput("same"));
    expect(a.id).not.toBe(b.id);
    expect(bodies[0]?.variables.idempotencyKey).not.toBe(bodies[1]?.variables.idempotencyKey);
  });

  it("two calls with one caller-given key at once (a double submit) create one task", async () => {
    const input = capyInput("double submit");
    const [a, b] = await Promise.all([
      client().createTask(input, { idempotencyKey: "order-42" }),
      client().createTask(input, { idempotencyKey: "order-42" }),
    ]);
    expect(b.id).toBe(a.id);
    expect(stack.sandbox.vendors.capy.requests.count({ method: "POST", path: CAPY_CREATE })).toBe(1);
  });

  it("a mutation without an idempotency key is sent once, never retried", async () => {
    const capy = stack.sandbox.vendors.capy;
    capy.faults.set({ match: { method: "POST", path: CAPY_CREATE }, rateLimit: { count: 1, retryAfter: "1" } });
    const { fetch, bodies } = recordingFetch();
    const mutation = graphql(`mutation Bare($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }`);
    await expect(client({ fetch }).request(mutation, { input: capyInput("bare") })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: 1,
    });
    expect(bodies).toHaveLength(1);
  });
});
