import { type RedisServer, startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY, testConfig } from "./e2e-support.ts";

// Two instances behind one load balancer, sharing one Redis: keyed writes sent to both at once. Max AI's POSTs
// may take a while here (the sandbox delays them), so its timeouts leave room for that.
const OTHER_TENANT_KEY = "tb_other_tenant_key_0123456789";
const SLOW_POST_MS = 1_200;
let redis: RedisServer;
let sandbox: Sandbox;
let a: Stack;
let b: Stack;
/** Like b, but a request ends after 400 ms: a duplicate that outlasts it answers IDEMPOTENCY_IN_PROGRESS. */
let hurried: Stack;

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox();
  const config = (s: Sandbox) => {
    const tenants = [...testConfig(s).tenants, ...testConfig(s, OTHER_TENANT_KEY, "other").tenants];
    for (const tenant of tenants) {
      const { maxai } = tenant.connections;
      if (maxai) maxai.http = { timeouts: { headersMs: 3_000, bodyMs: 3_000, totalMs: 5_000 } };
    }
    return { tenants };
  };
  const start = (requestTimeoutMs?: number) =>
    startStack({ sandbox, logLevel: "warn", config, app: { redisUrl: redis.url, requestTimeoutMs } });
  [a, b, hurried] = await Promise.all([start(), start(), start(400)]);
});
afterAll(async () => {
  await Promise.all([a, b, hurried].map((stack) => stack?.close()));
  await sandbox?.close();
  await redis?.stop();
});
beforeEach(() => sandbox.reset());

const CREATE = `mutation($input: CreateTaskInput!, $key: String) {
  createTask(input: $input, idempotencyKey: $key) { task { vendorId description } }
}`;
const APPROVE = `mutation($id: ID!, $key: String) {
  approveTask(input: { vendor: CAKEWALK, id: $id }, idempotencyKey: $key) { task { vendorStatus } }
}`;

function create(stack: Stack, notes: string, key: string, apiKey = TEST_KEY) {
  const { example } = sandbox.vendors.maxai.seed;
  const input = {
    maxAi: { noteId: example.noteId, providerId: example.providerId, notes, assigneeIds: [example.providerId] },
  };
  return stack.gql(CREATE, { variables: { input, key }, key: apiKey });
}
const posts = () => sandbox.vendors.maxai.requests.count({ method: "POST" });
const slowPosts = () => sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, latencyMs: SLOW_POST_MS });

describe("keyed writes on two instances sharing one Redis", () => {
  it("the same key at once on both instances: one POST, and both callers get the same task", async () => {
    slowPosts();
    const [first, second] = await Promise.all([
      create(a, "Both at once", "both-1"),
      create(b, "Both at once", "both-1"),
    ]);
    expect(first.body.errors).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect(first.body.data.createTask.task.vendorId).toMatch(/^tsk_/);
    expect(posts()).toBe(1);
  });

  it("a duplicate that outlasts its own deadline answers IDEMPOTENCY_IN_PROGRESS; its retry gets the task", async () => {
    slowPosts();
    const first = create(a, "Still running", "running-1");
    // The POST has reached the vendor: the key is claimed, and the vendor takes SLOW_POST_MS to answer.
    await until(() => posts() === 1);
    const duplicate = await create(hurried, "Still running", "running-1");
    expect(duplicate.body.errors[0].extensions).toEqual({
      code: "IDEMPOTENCY_IN_PROGRESS",
      vendor: "MAX_AI",
      retryAfterSeconds: 1,
      requestId: expect.any(String),
    });
    const done = await first;
    expect(done.body.errors).toBeUndefined();
    expect((await create(b, "Still running", "running-1")).body).toEqual(done.body);
    expect(posts()).toBe(1);
  });

  it("the same key from two tenants is two keys: each tenant's own task, one POST each", async () => {
    const [mine, theirs] = await Promise.all([
      create(a, "Per tenant", "tenant-1"),
      create(b, "Per tenant", "tenant-1", OTHER_TENANT_KEY),
    ]);
    expect(mine.body.errors).toBeUndefined();
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data.createTask.task.vendorId).not.toBe(mine.body.data.createTask.task.vendorId);
    expect(posts()).toBe(2);
  });

  it("a key used by createTask is IDEMPOTENCY_KEY_REUSED for an action on the other instance, sending nothing", async () => {
    const created = await create(a, "Then an action", "operation-1");
    expect(created.body.errors).toBeUndefined();
    const id = sandbox.vendors.cakewalk.seed.byStatus.Pending?.[0] as string;
    const approve = await b.gql(APPROVE, { variables: { id, key: "operation-1" } });
    expect(approve.body.errors[0].extensions).toEqual({
      code: "IDEMPOTENCY_KEY_REUSED",
      vendor: "CAKEWALK",
      requestId: expect.any(String),
    });
    expect(sandbox.vendors.cakewalk.requests.count({ method: "POST" })).toBe(0);
    // And the other way round: the action's key is refused to a create with its own input.
    expect((await b.gql(APPROVE, { variables: { id, key: "operation-2" } })).body.errors).toBeUndefined();
    const reused = await create(a, "Then an action", "operation-2");
    expect(reused.body.errors[0].extensions.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(posts()).toBe(1);
  });

  it("the same key with another body at once on both instances: one POST, the other IDEMPOTENCY_KEY_REUSED", async () => {
    slowPosts();
    const answers = await Promise.all([create(a, "Body one", "body-1"), create(b, "Body two", "body-1")]);
    const codes = answers.map((r) => r.body.errors?.[0]?.extensions.code ?? "ok").sort();
    expect(codes).toEqual(["IDEMPOTENCY_KEY_REUSED", "ok"]);
    const created = answers.find((r) => r.body.errors === undefined)?.body.data.createTask.task;
    expect(sandbox.vendors.maxai.requests.entries({ method: "POST" })).toMatchObject([
      { body: expect.stringContaining(created.description) },
    ]);
  });
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
