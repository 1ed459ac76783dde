import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { createTaskbridgeClient, type TaskbridgeClientOptions } from "./client.ts";
import { type ErrorDetail, TaskbridgeError } from "./errors.ts";
import { graphql } from "./graphql.ts";
import type { TaskListFilter } from "./operations.ts";

let stack: Stack;
/**
 * The same sandbox behind a service of its own, for lists and actions: a vendor's 429 pauses the service's
 * connection to it for the wait asked (the reads below leave Maxsight's paused for 30 s).
 */
let fresh: Stack;
beforeAll(async () => {
  stack = await startStack();
  fresh = await startStack({ sandbox: stack.sandbox });
});
afterAll(async () => {
  await fresh.close();
  await stack.close();
});
beforeEach(() => stack.sandbox.reset());

const client = (options: Partial<TaskbridgeClientOptions> = {}, on = stack) =>
  createTaskbridgeClient({ url: on.url, apiKey: TEST_KEY, ...options });

/** The global fetch, recording each GraphQL request body the client sends. */
function recordingFetch() {
  const bodies: { query: string; variables: Record<string, unknown> }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return globalThis.fetch(input, init);
  };
  return { fetch, bodies };
}

/** Like recordingFetch, but the first answer is lost on the way back: the service carried the request out. */
function losingFetch() {
  const bodies: { variables: { idempotencyKey: string } }[] = [];
  let lost = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    const response = await globalThis.fetch(input, init);
    if (lost++ === 0) {
      await response.text();
      throw new TypeError("fetch failed");
    }
    return response;
  };
  return { fetch, bodies };
}

/**
 * A loopback proxy in front of the service: it passes requests and answers through, and cuts off the next `n`
 * answers after their headers and half their body, as a connection dropped mid-answer does.
 */
async function cuttingProxy(target: string) {
  let cuts = 0;
  let cut = 0;
  const server = createServer(async (req, res) => {
    const answer = await fetch(target, {
      method: "POST",
      headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" },
      body: await text(req),
    });
    const body = await answer.text();
    res.writeHead(answer.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    if (cuts === 0) return res.end(body);
    cuts--;
    cut++;
    res.write(body.slice(0, body.length / 2), () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    cutNext(n: number) {
      cuts = n;
    },
    /** Answers cut off so far. */
    get cut() {
      return cut;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** What a call that must fail rejected with. */
const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("expected a TaskbridgeError"),
    (error: TaskbridgeError) => error,
  );

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
    // The documented example (seeds 000/001), as apps/graphql's tasks.e2e reads it.
    expect(task?.vendorStatus).toBe("not_started");
    if (task?.__typename !== "MaxAiTask") throw new Error("expected a Max AI task");
    expect(task.ehrType).toBe("modmed");
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
        error: {
          code: "BAD_USER_INPUT",
          vendor: "CAKEWALK",
          field: "id",
          message: expect.stringContaining("UUID"),
          requestId: expect.any(String),
        },
      },
    ]);
  });

  it("a vendor value the service cannot read: that field null, its error in problems, the rest of the task", async () => {
    const capyPage = { filter: { vendors: ["CAPY" as const] }, first: 5 };
    const before = await client().listTasks(capyPage);
    const id = before.tasks[1]?.vendorId as string;
    const rawQuery = graphql(`query Raw($id: ID!) { task(vendor: CAPY, id: $id) { raw } }`);
    const sent = (await client().request(rawQuery, { id })).task?.raw as Record<string, unknown>;
    // Capy types updatedAt as a plain string: "1750000000" is valid for its document, not a timestamp we can read.
    stack.sandbox.vendors.capy.faults.set({
      match: { method: "GET", path: `/api/v1/tasks/${id}` },
      answer: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...sent, updatedAt: "1750000000" }),
      },
    });
    const unreadable = {
      code: "VENDOR_CONTRACT_VIOLATION",
      vendor: "CAPY",
      upstreamStatus: 200,
      field: "updatedAt",
      message: expect.any(String),
      requestId: expect.any(String),
    };
    const task = await client().getTask({ vendor: "CAPY", id });
    expect(task).toMatchObject({ vendorId: id, updatedAt: null, createdAt: expect.any(String) });
    expect(task?.problems).toEqual({ updatedAt: { ...unreadable, path: ["task", "updatedAt"] } });
    // A selection of the caller's own gets the same `problems`, and its result type says so.
    const mine = graphql(`query Mine($id: ID!) { task(vendor: CAPY, id: $id) { title updatedAt } }`);
    const { task: selected } = await client().request(mine, { id });
    expect(selected?.problems).toEqual({ updatedAt: { ...unreadable, path: ["task", "updatedAt"] } });
    expectTypeOf<NonNullable<typeof selected>["problems"]>().toEqualTypeOf<
      Readonly<Record<string, ErrorDetail>> | undefined
    >();

    // Listed, it is the one task of the page with a problem; the page is the one listed before.
    const after = await client().listTasks(capyPage);
    expect(after.tasks.map((listed) => listed.vendorId)).toEqual(before.tasks.map((listed) => listed.vendorId));
    expect(after.tasks.map((listed) => listed.problems)).toEqual([
      undefined,
      { updatedAt: { ...unreadable, path: ["taskList", "edges", 1, "node", "updatedAt"] } },
      ...before.tasks.slice(2).map(() => undefined),
    ]);
    expect(after.tasks[1]).toMatchObject({ updatedAt: null, title: before.tasks[1]?.title });
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

  it("every error carries the request id the service logged it under, to quote to support", async () => {
    /** The service's log lines of one request. */
    const logged = (requestId: string | undefined) =>
      stack.logs.map((line) => JSON.parse(line)).filter((line) => line.reqId === requestId);

    const failed = await rejection(client().getTask({ vendor: "MAXSIGHT", id: "not-a-uuid" }));
    expect(failed.requestId).toEqual(expect.any(String));
    expect(logged(failed.requestId)).toContainEqual(
      expect.objectContaining({ msg: "request", errorCodes: "BAD_USER_INPUT" }),
    );

    // Refused before any GraphQL ran: the answer's request id all the same.
    const refused = await rejection(client({ apiKey: "tb_wrong_key_000000" }).getTask({ vendor: "CAPY", id: "x" }));
    expect(logged(refused.requestId)).toContainEqual(expect.objectContaining({ msg: "request", status: 401 }));

    // A batch item's error and a listing's vendor error are data: they carry the request id of the answer they came in.
    // (Maxsight fails, or is still paused by the 429 above: either way the service logs the failure it answered.)
    const maxsight = stack.sandbox.vendors.maxsight;
    maxsight.faults.set({ errorRate: 1 });
    const [item] = await client().getTasks([{ vendor: "MAXSIGHT", id: maxsight.seed.example.taskId }]);
    const page = await client().listTasks({ filter: { vendors: ["MAXSIGHT", "CAPY"] } });
    for (const error of [item?.error, page.vendorErrors[0]]) {
      expect(error?.vendor).toBe("MAXSIGHT");
      expect(logged(error?.requestId)).toContainEqual(
        expect.objectContaining({ msg: "vendor call failed", vendor: "maxsight", code: error?.code }),
      );
    }
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

  it("a gateway's 429 with Retry-After: waited for and retried; a long one returned at once with its wait", async () => {
    let refusals = 1;
    let retryAfter = "0";
    const gateway = createServer(async (req, res) => {
      if (refusals-- > 0) {
        res.writeHead(429, { "content-type": "text/html", "retry-after": retryAfter });
        return res.end("<html>Too Many Requests</html>");
      }
      const answer = await fetch(stack.url, {
        method: "POST",
        headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" },
        body: await text(req),
      });
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql`;
    const { taskId } = stack.sandbox.vendors.capy.seed.example;
    try {
      const task = await client({ url }).getTask({ vendor: "CAPY", id: taskId });
      expect(task?.vendorId).toBe(taskId);
      refusals = 1;
      retryAfter = "120";
      const error = await rejection(client({ url }).getTask({ vendor: "CAPY", id: taskId }));
      expect(error).toMatchObject({ code: "NETWORK_ERROR", status: 429, retryAfterSeconds: 120, attempts: 1 });
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  it("a service that never answers: NETWORK_ERROR once each attempt's timeout passes, retried", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    let requests = 0;
    silent.on("request", () => requests++);
    try {
      const error = await createTaskbridgeClient({
        url: `http://127.0.0.1:${port}/graphql`,
        apiKey: TEST_KEY,
        timeoutSeconds: 0.2,
        retry: { attempts: 2, baseDelaySeconds: 0.01 },
      })
        .getTask({ vendor: "CAPY", id: "x" })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "NETWORK_ERROR", status: 0, attempts: 2, retryable: true });
      expect((error as TaskbridgeError).message).toContain("did not answer within 0.2 s");
      expect(requests).toBe(2);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
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
    const { fetch, bodies } = losingFetch();
    const task = await client({ fetch, retry: { baseDelaySeconds: 0.01 } }).createTask(capyInput("lost answer"));
    expect(task.title).toBe("lost answer");
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.variables.idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
    expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
    expect(stack.sandbox.vendors.capy.requests.count({ method: "POST", path: CAPY_CREATE })).toBe(1);
  });

  it("an answer cut off mid-body: NETWORK_ERROR, retried with the same key, one task created", async () => {
    const proxy = await cuttingProxy(stack.url);
    try {
      proxy.cutNext(1);
      const { fetch, bodies } = recordingFetch();
      const via = { url: proxy.url, fetch, retry: { baseDelaySeconds: 0.01 } };
      const task = await client(via).createTask(capyInput("cut off"));
      expect(task.title).toBe("cut off");
      expect(proxy.cut).toBe(1);
      expect(bodies).toHaveLength(2);
      expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
      expect(stack.sandbox.vendors.capy.requests.count({ method: "POST", path: CAPY_CREATE })).toBe(1);

      // Out of attempts, the caller gets the same typed, retryable error, not the stream's own.
      proxy.cutNext(1);
      const error = await client(via)
        .getTask({ vendor: "CAPY", id: stack.sandbox.vendors.capy.seed.example.taskId }, { retry: { attempts: 1 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TaskbridgeError);
      expect(error).toMatchObject({ code: "NETWORK_ERROR", retryable: true, attempts: 1 });
    } finally {
      await proxy.close();
    }
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

/** The whole listing as the service pages it, read without the client. */
async function serviceListing(first: number, filter?: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const { body } = await fresh.gql(
      `query($first: Int, $after: String, $filter: TaskListFilter) {
        taskList(first: $first, after: $after, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } }
      }`,
      { variables: { first, after, filter } },
    );
    ids.push(...body.data.taskList.edges.map((edge: { node: { id: string } }) => edge.node.id));
    after = body.data.taskList.pageInfo.hasNextPage ? body.data.taskList.pageInfo.endCursor : null;
  } while (after);
  stack.sandbox.reset();
  return ids;
}

describe("listing tasks", () => {
  it("listTasks pages through every vendor's tasks to the end, as the service lists them", async () => {
    const expected = await serviceListing(50);
    const ids: string[] = [];
    let page = await client({}, fresh).listTasks({ first: 50 });
    for (;;) {
      expect(page.vendorErrors).toEqual([]);
      ids.push(...page.tasks.map((task) => task.id));
      if (!page.pageInfo.hasNextPage) break;
      page = await client({}, fresh).listTasks({ first: 50, after: page.pageInfo.endCursor });
    }
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.split(":")[0]))).toEqual(new Set(["maxai", "cakewalk", "capy", "maxsight"]));
  });

  it("taskPages yields the same pages, with each task's actions and version", async () => {
    const filter: TaskListFilter = { vendors: ["CAKEWALK", "MAXSIGHT"], statuses: ["TODO", "IN_PROGRESS"] };
    const expected = await serviceListing(20, filter);
    const pages = [];
    for await (const page of client({}, fresh).taskPages({ filter, first: 20 })) {
      pages.push(page);
    }
    const tasks = pages.flatMap((page) => page.tasks);
    expect(tasks.map((task) => task.id)).toEqual(expected);
    expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
    for (const task of tasks) {
      expect(["TODO", "IN_PROGRESS"]).toContain(task.status);
      if (task.vendor === "MAXSIGHT") expect(task.version).toEqual(expect.any(String));
      if (task.vendor === "CAKEWALK") expect(task.version).toBeNull();
    }
    expect(tasks.find((task) => task.vendor === "CAKEWALK")?.availableActions).toEqual(["APPROVE", "DECLINE"]);
  });

  it("a vendor failing mid-paging: its error in the ErrorDetail shape, the others' tasks listed", async () => {
    const maxsight = stack.sandbox.vendors.maxsight;
    maxsight.faults.set({ match: { method: "POST", path: "/v5/tasks/search" }, afterRequests: 1, errorRate: 1 });
    const first = await client({}, fresh).listTasks({ first: 20 });
    expect(first.vendorErrors).toEqual([]);
    const failing = await client({}, fresh).listTasks({ first: 20, after: first.pageInfo.endCursor });
    expect(failing.vendorErrors).toEqual([
      {
        code: "VENDOR_UNAVAILABLE",
        vendor: "MAXSIGHT",
        upstreamStatus: 503,
        message: expect.any(String),
        requestId: expect.any(String),
      },
    ]);
    expect(new Set(failing.tasks.map((task) => task.vendor))).toEqual(new Set(["MAX_AI", "CAKEWALK", "CAPY"]));
    expect(failing.pageInfo.hasNextPage).toBe(true);
  });

  it("an entry a vendor listed against its contract: skipped, in unreadable with the field at fault", async () => {
    const maxai = stack.sandbox.vendors.maxai;
    const { apiKey, organizationId } = maxai.credentials;
    const listed = await fetch(`${maxai.url}/v4/tasks?page=1&pageSize=5`, {
      headers: { authorization: `Bearer ${apiKey}`, "x-organization-id": organizationId },
    }).then((response) => response.json());
    const [first, second, ...rest] = listed.data.tasks;
    // Max AI's ids are `tsk_` and 32 hex digits: an entry with any other id cannot be a task of its.
    const body = { ...listed, data: { ...listed.data, tasks: [first, { ...second, id: "task 7" }, ...rest] } };
    maxai.faults.set({
      match: { method: "GET", path: "/v4/tasks" },
      answer: { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    });
    const page = await client().listTasks({ filter: { vendors: ["MAX_AI"] }, first: 5 });
    expect(page.unreadable).toEqual([
      {
        code: "VENDOR_CONTRACT_VIOLATION",
        vendor: "MAX_AI",
        upstreamStatus: 200,
        field: "id",
        message: expect.any(String),
        requestId: expect.any(String),
      },
    ]);
    expect(page.tasks.map((task) => task.vendorId)).toEqual([first.id, ...rest.map((task: { id: string }) => task.id)]);
  });

  it("taskPages ends at a page with no task and vendor errors instead of asking a vendor that stays down", async () => {
    const maxsight = stack.sandbox.vendors.maxsight;
    maxsight.faults.set({ match: { method: "POST", path: "/v5/tasks/search" }, errorRate: 1 });
    const pages = [];
    for await (const page of client({}, fresh).taskPages({ filter: { vendors: ["MAXSIGHT"] } })) pages.push(page);
    expect(pages).toEqual([
      {
        tasks: [],
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
        vendorErrors: [expect.objectContaining({ code: "VENDOR_UNAVAILABLE", vendor: "MAXSIGHT" })],
        unreadable: [],
      },
    ]);
  });

  it("an AbortSignal ends taskPages with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new DOMException("the user went elsewhere", "AbortError");
    const seen: number[] = [];
    const done = (async () => {
      for await (const page of client({}, fresh).taskPages({ first: 10 }, { signal: controller.signal })) {
        seen.push(page.tasks.length);
        controller.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(await done).toBe(reason);
    expect(seen).toEqual([10]);
  });
});

describe("actions", () => {
  const pending = () => stack.sandbox.vendors.cakewalk.seed.byStatus.Pending?.[0] as string;
  const approves = () => stack.sandbox.vendors.cakewalk.requests.count({ method: "POST", path: /\/Approve$/i });

  it("approveTask: the task as the action left it; a second approve is the vendor's VENDOR_CONFLICT", async () => {
    const task = await client({}, fresh).approveTask({ vendor: "CAKEWALK", id: pending(), comment: "Looks right" });
    expect(task).toMatchObject({ vendor: "CAKEWALK", vendorId: pending(), status: "DONE", availableActions: [] });
    const again = await client({}, fresh)
      .approveTask({ vendor: "CAKEWALK", id: pending() })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TaskbridgeError);
    expect(again).toMatchObject({ code: "VENDOR_CONFLICT", vendor: "CAKEWALK", upstreamStatus: 409, attempts: 1 });
    expect(approves()).toBe(2);
  });

  it("an answer lost on the way back: the retry reuses the key and the vendor is called once", async () => {
    const { fetch, bodies } = losingFetch();
    const task = await client({ fetch, retry: { baseDelaySeconds: 0.01 } }, fresh).approveTask({
      vendor: "CAKEWALK",
      id: pending(),
    });
    expect(task?.status).toBe("DONE");
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.variables.idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
    expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
    expect(approves()).toBe(1);
  });

  it("the same caller-given key twice (a double click): one vendor call, the first outcome twice", async () => {
    const [a, b] = await Promise.all([
      client({}, fresh).approveTask({ vendor: "CAKEWALK", id: pending() }, { idempotencyKey: "approve-twice" }),
      client({}, fresh).approveTask({ vendor: "CAKEWALK", id: pending() }, { idempotencyKey: "approve-twice" }),
    ]);
    expect(b).toEqual(a);
    expect(approves()).toBe(1);
  });

  it("RATE_LIMITED: waits the retryAfterSeconds, then sends the action again with the same key", async () => {
    const cakewalk = stack.sandbox.vendors.cakewalk;
    cakewalk.faults.set({ match: { method: "POST", path: /\/Approve$/i }, rateLimit: { count: 1, retryAfter: "1" } });
    const { fetch, bodies } = recordingFetch();
    const task = await client({ fetch }, fresh).approveTask({ vendor: "CAKEWALK", id: pending() });
    expect(task?.status).toBe("DONE");
    const posts = cakewalk.requests.entries({ method: "POST", path: /\/Approve$/i });
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(bodies[1]?.variables.idempotencyKey).toBe(bodies[0]?.variables.idempotencyKey);
  });

  it("assignTask with a stale version: VENDOR_CONFLICT with currentVersion, which then assigns", async () => {
    const { taskId } = stack.sandbox.vendors.maxsight.seed.example;
    const [actorId = "", teamId = ""] = [
      stack.sandbox.vendors.maxsight.seed.personIds[0],
      stack.sandbox.vendors.maxsight.seed.teamIds[0],
    ];
    const read = (await client({}, fresh).getTask({ vendor: "MAXSIGHT", id: taskId }))?.version as string;
    const input = { vendor: "MAXSIGHT" as const, id: taskId, actorId, assignee: { id: teamId, kind: "TEAM" as const } };
    const moved = await client({}, fresh).assignTask({ ...input, expectedVersion: read });
    expect(moved?.version).not.toBe(read);

    const stale = await client({}, fresh)
      .assignTask({ ...input, expectedVersion: read })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({
      code: "VENDOR_CONFLICT",
      vendor: "MAXSIGHT",
      upstreamStatus: 412,
      currentVersion: moved?.version,
    });
    const current = (stale as TaskbridgeError).currentVersion as string;
    const unassigned = await client({}, fresh).unassignTask({
      vendor: "MAXSIGHT",
      id: taskId,
      actorId,
      expectedVersion: current,
    });
    expect(unassigned?.availableActions).toEqual(["ASSIGN"]);
    expect(stack.sandbox.vendors.maxsight.requests.count({ method: "PUT" })).toBe(3);
  });

  it("stopTask and messageTask (Capy): the task after each", async () => {
    const [running = ""] = stack.sandbox.vendors.capy.seed.byStatus.in_progress ?? [];
    const messaged = await client({}, fresh).messageTask({ vendor: "CAPY", id: running, text: "Please add a test." });
    expect(messaged?.availableActions).toEqual(["STOP", "MESSAGE"]);
    const stopped = await client({}, fresh).stopTask({ vendor: "CAPY", id: running, reason: "wrong branch" });
    expect(stopped).toMatchObject({ vendorId: running, availableActions: ["MESSAGE"] });
  });
});
