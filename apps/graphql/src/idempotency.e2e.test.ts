import { MemoryStore } from "@taskbridge/http";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY, testConfig } from "./e2e-support.ts";
import { DEFAULT_IDEMPOTENCY_TTL_MS } from "./idempotency.ts";
import { Metrics } from "./telemetry/metrics.ts";

let sandbox: Sandbox;
let stack: Stack;
/** Max AI limited to 1 request a second: a second call within the second waits for its slot. */
let limited: Stack;
const metrics = new Metrics();

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox });
  limited = await startStack({
    sandbox,
    logLevel: "warn",
    app: { metrics },
    config: (s) => {
      const config = testConfig(s);
      const maxai = config.tenants[0]?.connections.maxai;
      if (maxai) maxai.rateLimit = { limit: 1, windowMs: 1_000 };
      return config;
    },
  });
});
afterAll(async () => {
  await Promise.all([stack.close(), limited.close()]);
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const CREATE = `mutation($input: CreateTaskInput!, $key: String) {
  createTask(input: $input, idempotencyKey: $key) { task { id vendorId description assignedProviders { vendorId } } }
}`;

function maxAiInput(notes: string) {
  const { example } = sandbox.vendors.maxai.seed;
  return {
    maxAi: { noteId: example.noteId, providerId: example.providerId, notes, assigneeIds: [example.providerId] },
  };
}
const posts = () => sandbox.vendors.maxai.requests.count({ method: "POST" });
/** What a keyed create whose vendor answer never arrived answers, now and on every retry. */
const OUTCOME_UNKNOWN = { code: "IDEMPOTENCY_OUTCOME_UNKNOWN", vendor: "MAX_AI", requestId: expect.any(String) };
const create = (notes: string, key?: string, on = stack) =>
  on.gql(CREATE, { variables: { input: maxAiInput(notes), key } });

/** A create on `target` whose caller gives up after `ms` (its fetch rejects with the abort). */
function abandonedCreate(target: Stack, notes: string, key: string | undefined, ms: number) {
  return fetch(target.url, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ query: CREATE, variables: { input: maxAiInput(notes), key } }),
    signal: AbortSignal.timeout(ms),
  });
}

describe("createTask with an idempotency key", () => {
  it("answers a repeated call with the first call's task and POSTs once", async () => {
    const first = await create("Repeat me", "key-repeat");
    const second = await create("Repeat me", "key-repeat");
    expect(first.body.errors).toBeUndefined();
    expect(second.body).toEqual(first.body);
    expect(posts()).toBe(1);
  });

  it("POSTs once for concurrent duplicates", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create("Concurrent", "key-concurrent")));
    const ids = new Set(results.map((r) => r.body.data?.createTask.task.vendorId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^tsk_/);
    expect(posts()).toBe(1);
  });

  it("refuses the key with a different input (IDEMPOTENCY_KEY_REUSED), sending nothing", async () => {
    await create("Original", "key-reused");
    const reused = await create("Something else", "key-reused");
    expect(reused.body.errors[0].extensions).toEqual({
      code: "IDEMPOTENCY_KEY_REUSED",
      vendor: "MAX_AI",
      requestId: expect.any(String),
    });
    expect(posts()).toBe(1);
  });

  it("takes every spelling of an id (case, Max AI's v2 dialect) as the same input", async () => {
    const { example } = sandbox.vendors.maxai.seed;
    const first = await create("Spelled", "key-spelled");
    const hex = (id: string) => id.slice(4);
    const v2 = (id: string) => hex(id).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
    const respelled = {
      maxAi: {
        noteId: v2(example.noteId).toUpperCase(),
        providerId: `prv_${hex(example.providerId).toUpperCase()}`,
        notes: "Spelled",
        assigneeIds: [v2(example.providerId)],
      },
    };
    const again = await stack.gql(CREATE, { variables: { input: respelled, key: "key-spelled" } });
    expect(first.body.errors).toBeUndefined();
    expect(again.body).toEqual(first.body);
    expect(posts()).toBe(1);
  });

  it("a lost answer: IDEMPOTENCY_OUTCOME_UNKNOWN now and on every retry, never a second POST", async () => {
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, lostResponseRate: 1 });
    const lost = await create("Lost answer", "key-lost");
    expect(lost.body.errors[0].extensions).toEqual(OUTCOME_UNKNOWN);
    expect(lost.body.errors[0].message).toContain("may have created the task");
    sandbox.vendors.maxai.faults.clear();
    const retry = await create("Lost answer", "key-lost");
    expect(retry.body.errors[0].extensions.code).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
    expect(posts()).toBe(1);
    // The vendor did create it: that is why the key must not POST again.
    expect(sandbox.vendors.maxai.requests.entries({ method: "POST" })[0]).toMatchObject({ status: 200 });
  });

  it("a refusal proves nothing was created: the error is returned and a retry with the key POSTs again", async () => {
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, rateLimit: { count: 1, retryAfter: "0" } });
    const refused = await create("Refused first", "key-refused");
    expect(refused.body.errors[0].extensions).toMatchObject({ code: "RATE_LIMITED", upstreamStatus: 429 });
    const retry = await create("Refused first", "key-refused");
    expect(retry.body.errors).toBeUndefined();
    expect(posts()).toBe(2);
  });

  it("a caller gone mid-create: the POST still completes and the retry with the key answers its task", async () => {
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, latencyMs: 200 });
    const variables = { input: maxAiInput("Caller gone"), key: "key-gone" };
    const gone = fetch(stack.url, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ query: CREATE, variables }),
      signal: AbortSignal.timeout(50),
    });
    await expect(gone).rejects.toThrow(/abort/i);
    const retry = await create("Caller gone", "key-gone");
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.createTask.task.vendorId).toMatch(/^tsk_/);
    expect(sandbox.vendors.maxai.requests.entries({ method: "POST" })).toMatchObject([{ status: 200 }]);
  });

  it("a vendor that applies the create after our timeout: IDEMPOTENCY_OUTCOME_UNKNOWN now and on the retry", async () => {
    // The sandbox creates the task and answers after 2 s: past the connection's timeouts (whole call 1.5 s).
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, latencyMs: 2_000 });
    const late = await create("Late answer", "key-late");
    expect(late.body.errors[0].extensions).toEqual(OUTCOME_UNKNOWN);
    await until(() => sandbox.vendors.maxai.requests.entries({ method: "POST" })[0]?.status === 200);
    sandbox.vendors.maxai.faults.clear();
    const retry = await create("Late answer", "key-late");
    expect(retry.body.errors[0].extensions.code).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
    expect(posts()).toBe(1);
  });

  it("without a key, a 503 on the POST is not retried", async () => {
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, errorRate: 1 });
    const failed = await create("No key");
    expect(failed.body.errors[0].extensions).toMatchObject({ code: "VENDOR_UNAVAILABLE", upstreamStatus: 503 });
    expect(posts()).toBe(1);
  });

  it.each([
    ["with a key: the key is released, and the retry with it sends the create once", "key-waiting"],
    ["without a key: the create is not sent for nobody", undefined],
  ])("a caller gone while its create waits for a rate-budget slot, %s", async (_, key) => {
    const { example } = sandbox.vendors.maxai.seed;
    // Takes the second's one slot (a GET), so the create that follows waits for the next.
    const read = await limited.gql(`{ task(vendor: MAX_AI, id: "${example.v4TaskId}") { id } }`);
    expect(read.body.errors).toBeUndefined();
    const ended = await vendorCallsEnded("createTask");
    await expect(abandonedCreate(limited, "Left waiting", key, 500)).rejects.toThrow(/abort|timeout/i);
    await until(async () => (await vendorCallsEnded("createTask")) > ended);
    expect(posts()).toBe(0);
    if (key === undefined) return;
    expect(await idempotencyOutcomes()).toMatchObject({ released: 1 });
    const retry = await limited.gql(CREATE, { variables: { input: maxAiInput("Left waiting"), key } });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.createTask.task.vendorId).toMatch(/^tsk_/);
    expect(posts()).toBe(1);
  });

  it.each([
    ["empty", ""],
    ["too long", "k".repeat(201)],
    ["not printable", "key\u0000"],
  ])("refuses a key that is %s before any vendor call", async (_name, key) => {
    const result = await create("Bad key", key);
    expect(result.body.errors[0].extensions).toEqual({
      code: "BAD_USER_INPUT",
      field: "idempotencyKey",
      requestId: expect.any(String),
    });
    expect(stack.vendorCalls()).toBe(0);
  });
});

describe("idempotency records in memory (no Redis), bounded", () => {
  /** Keyed creates with keys key-0, key-1, ... until one is refused; the answers that were not. */
  async function fill(on: Stack) {
    const answered: Array<{ key: string; body: unknown }> = [];
    for (let i = 0; i < 50; i += 1) {
      const result = await create(`Bounded ${i}`, `key-${i}`, on);
      if (result.body.errors) return { answered, refused: result.body.errors[0] };
      answered.push({ key: `key-${i}`, body: result.body });
    }
    throw new Error("50 keyed creates and none refused");
  }

  it("refuses a new key with IDEMPOTENCY_RECORDS_FULL, sending nothing, and still replays every record", async () => {
    const clock = { now: Date.now() };
    const store = new MemoryStore({ now: () => clock.now, maxRecordBytes: 16 * 1024 });
    const bounded = await startStack({ sandbox, app: { store } });
    try {
      const { answered, refused } = await fill(bounded);
      expect(answered.length).toBeGreaterThanOrEqual(2);
      expect(refused.extensions).toEqual({
        code: "IDEMPOTENCY_RECORDS_FULL",
        vendor: "MAX_AI",
        // Room comes in 24 h, when the first record expires; the hint is capped at 300 s like every other.
        retryAfterSeconds: 300,
        requestId: expect.any(String),
      });
      expect(refused.message).toContain("nothing was sent");
      expect(posts()).toBe(answered.length);
      // Every write that was answered is still answered from its record: none can be sent twice.
      for (const [i, { key, body }] of answered.entries()) {
        expect((await create(`Bounded ${i}`, key, bounded)).body).toEqual(body);
      }
      expect(posts()).toBe(answered.length);
      // A write without a key keeps no record, so the bound does not refuse it.
      expect((await create("Unkeyed", undefined, bounded)).body.errors).toBeUndefined();
      expect(posts()).toBe(answered.length + 1);

      // Records expire after the TTL, as Redis's do: room for new keys, and an old key is a new write again.
      clock.now += DEFAULT_IDEMPOTENCY_TTL_MS;
      expect((await create("After the ttl", "key-new", bounded)).body.errors).toBeUndefined();
      expect((await create("Bounded 0", "key-0", bounded)).body.errors).toBeUndefined();
      expect(posts()).toBe(answered.length + 3);
      expect(store.recordBytes).toBeLessThanOrEqual(16 * 1024);
    } finally {
      await bounded.close();
    }
  });

  it("takes its bound from idempotencyMemoryBytes (TASKBRIDGE_IDEMPOTENCY_MEMORY_MB)", async () => {
    const bounded = await startStack({ sandbox, app: { idempotencyMemoryBytes: 16 * 1024 } });
    try {
      const { answered, refused } = await fill(bounded);
      expect(answered.length).toBeGreaterThanOrEqual(2);
      expect(refused.extensions.code).toBe("IDEMPOTENCY_RECORDS_FULL");
      expect(posts()).toBe(answered.length);
    } finally {
      await bounded.close();
    }
  });
});

/** Max AI calls of `operation` the limited stack has finished, whatever their outcome. */
async function vendorCallsEnded(operation: string): Promise<number> {
  const { values } = await metrics.vendorCalls.get();
  return values
    .filter((v) => v.metricName?.endsWith("_count") && v.labels.operation === operation)
    .reduce((sum, v) => sum + v.value, 0);
}

/** The limited stack's keyed writes so far, by outcome (sent, released, replayed...). */
async function idempotencyOutcomes(): Promise<Record<string, number>> {
  const { values } = await metrics.idempotency.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.outcome), v.value]));
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
