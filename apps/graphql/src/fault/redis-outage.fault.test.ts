import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServer, startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "../e2e-support.ts";
import { outcome, pool, report, sleep, tally, until } from "./fault-support.ts";

// Issue 22 items 10 and 11: idempotent creates across two instances sharing one Redis that freezes, or is
// killed and restarted mid-run. Redis persists every acknowledged write (AOF, fsync always), as a production
// Redis holding idempotency records must; the sandbox counts the POSTs.
const CALLS = 1_000;
const KEYS = 300;
let dir: string;
let redis: RedisServer;
let sandbox: Sandbox;
let instances: Stack[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "taskbridge-redis-"));
  redis = await startRedisServer({ persist: { dir } });
  sandbox = await startSandbox();
  instances = await Promise.all(
    [1, 2].map(() =>
      startStack({
        sandbox,
        logLevel: "warn",
        app: { redisUrl: redis.url },
        config: (s) => {
          const config = testConfig(s);
          const maxai = config.tenants[0]?.connections.maxai;
          if (maxai) maxai.http = { timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 } };
          return config;
        },
      }),
    ),
  );
});
afterAll(async () => {
  for (const stack of instances ?? []) await stack.close();
  await sandbox?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());

const CREATE = `mutation($input: CreateTaskInput!, $key: String) {
  createTask(input: $input, idempotencyKey: $key) { task { vendorId } }
}`;

function create(stack: Stack, key: string) {
  const { example } = sandbox.vendors.maxai.seed;
  const input = {
    maxAi: {
      noteId: example.noteId,
      providerId: example.providerId,
      notes: `outage ${key}`,
      assigneeIds: [example.providerId],
    },
  };
  return stack.gql(CREATE, { variables: { input, key } }).then((result) => ({
    key,
    outcome: outcome(result),
    vendorId: result.body.data?.createTask?.task.vendorId as string | undefined,
    retryAfterSeconds: result.body.errors?.[0]?.extensions?.retryAfterSeconds as number | undefined,
  }));
}

/** POSTs the sandbox handled per key (of the keys starting with `prefix`), and the tasks beyond one per key. */
function posts(prefix: string) {
  const perKey = new Map<string, number>();
  for (const post of sandbox.vendors.maxai.requests.entries({ method: "POST" })) {
    const key = (JSON.parse(post.body ?? "{}") as { notes: string }).notes.replace("outage ", "");
    if (key.startsWith(prefix)) perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  const total = [...perKey.values()].reduce((a, b) => a + b, 0);
  const duplicates = [...perKey.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return { perKey, total, duplicates };
}

/** The instance's readiness: "degraded" while its store holds in memory, "ready" once it is back on Redis. */
async function readiness(stack: Stack): Promise<string> {
  return ((await (await fetch(`${stack.server.origin}/readyz`)).json()) as { status: string }).status;
}

/**
 * Redis is back for both instances: each one's store has found it again (an instance that met the outage
 * answers IDEMPOTENCY_UNAVAILABLE until its own probe does), and a create goes through.
 */
async function redisAnswers(): Promise<void> {
  for (const stack of instances) await until(async () => (await readiness(stack)) === "ready", 15_000);
  await until(async () => {
    const result = await create(instances[0] as Stack, `probe-${Date.now()}`);
    return result.outcome === "ok";
  }, 15_000);
}

describe("fault: idempotent creates while the shared Redis freezes or dies", () => {
  it("a create whose claim timed out on a frozen Redis (SIGSTOP) is refused, and the late claim never lands", async () => {
    const [a, b] = instances as [Stack, Stack];
    redis.pause();
    let during: Awaited<ReturnType<typeof create>>;
    try {
      during = await create(a, "frozen-1");
      await sleep(300); // the refused claim sits in Redis's socket, past its deadline
    } finally {
      redis.resume();
    }
    await redisAnswers();
    const retryA = await create(a, "frozen-1");
    const retryB = await create(b, "frozen-1");
    report(
      `redis frozen (SIGSTOP): create during it ${during.outcome} (retryAfterSeconds ${during.retryAfterSeconds}); ` +
        `retries after it ${retryA.outcome} / ${retryB.outcome}; POSTs for the key ${posts("frozen-").perKey.get("frozen-1") ?? 0}`,
    );
    expect(during).toMatchObject({ outcome: "IDEMPOTENCY_UNAVAILABLE", retryAfterSeconds: 1 });
    expect(retryA.outcome).toBe("ok");
    expect(retryB).toMatchObject({ outcome: "ok", vendorId: retryA.vendorId });
    expect(posts("frozen-").perKey.get("frozen-1")).toBe(1);
  });

  it("a keyed task action on a frozen Redis is refused without being sent, then sent once by either instance", async () => {
    const [a, b] = instances as [Stack, Stack];
    const id = sandbox.vendors.cakewalk.seed.byStatus.Pending?.[0] as string;
    const approve = (stack: Stack) =>
      stack
        .gql(
          `mutation($id: ID!) { approveTask(input: { vendor: CAKEWALK, id: $id }, idempotencyKey: "approve-frozen") { task { vendorStatus } } }`,
          {
            variables: { id },
          },
        )
        .then((result) => ({ outcome: outcome(result), task: result.body.data?.approveTask.task }));
    const approvals = () => sandbox.vendors.cakewalk.requests.count({ method: "POST", path: /\/Approve$/i });
    redis.pause();
    let during: Awaited<ReturnType<typeof approve>>;
    try {
      during = await approve(a);
    } finally {
      redis.resume();
    }
    expect(during.outcome).toBe("IDEMPOTENCY_UNAVAILABLE");
    expect(approvals()).toBe(0);
    await redisAnswers();
    const [retryA, retryB] = [await approve(a), await approve(b)];
    expect(retryA).toEqual({ outcome: "ok", task: { vendorStatus: "Approved" } });
    expect(retryB).toEqual(retryA);
    expect(approvals()).toBe(1);
  });

  it("Redis killed while a keyed create is at the vendor, then back: both instances answer its one task", async () => {
    const [a, b] = instances as [Stack, Stack];
    sandbox.vendors.maxai.faults.set({ match: { method: "POST" }, latencyMs: 800 });
    const first = create(a, "midway-1");
    // The claim is in Redis and the POST at the vendor when Redis dies.
    await until(() => posts("midway-").total === 1);
    await redis.kill();
    const answered = await first;
    const duringB = await create(b, "midway-1");
    redis = await startRedisServer({ port: redis.port, persist: { dir } });
    sandbox.vendors.maxai.faults.clear();
    await redisAnswers();
    const [retryA, retryB] = await Promise.all([create(a, "midway-1"), create(b, "midway-1")]);
    report(
      `redis killed mid-write: the create answered ${answered.outcome}; the other instance during the outage ` +
        `${duringB.outcome}; after it ${retryA.outcome} / ${retryB.outcome}; POSTs ${posts("midway-").total}`,
    );
    // The task was created: its caller gets it although Redis could not record it, and nobody creates another.
    expect(answered.outcome).toBe("ok");
    expect(duringB.outcome).toBe("IDEMPOTENCY_UNAVAILABLE");
    expect(retryA).toMatchObject({ outcome: "ok", vendorId: answered.vendorId });
    expect(retryB).toMatchObject({ outcome: "ok", vendorId: answered.vendorId });
    expect(posts("midway-").total).toBe(1);
  });

  it("1,000 creates over 300 keys on two instances, Redis killed and restarted mid-run: 0 duplicates", async () => {
    const keys = Array.from({ length: CALLS }, (_, i) => `order-${(i * 7919) % KEYS}`);
    let started = 0;
    const outage = (async () => {
      await until(() => started >= CALLS * 0.3);
      await redis.kill();
      await sleep(1_500);
      redis = await startRedisServer({ port: redis.port, persist: { dir } });
    })();
    const results = await pool(CALLS, 40, async (i) => {
      started += 1;
      return create(instances[i % 2] as Stack, keys[i] as string);
    });
    await outage;
    await redisAnswers();
    // Every key retried once more after the outage, on the instance that did not make its first call.
    const distinct = [...new Set(keys)];
    const retries = await pool(distinct.length, 20, (i) =>
      create(instances[(i + 1) % 2] as Stack, distinct[i] as string),
    );
    const { total, duplicates, perKey } = posts("order-");
    const answers = tally(results.map((r) => r.outcome));
    const after = tally(retries.map((r) => r.outcome));
    const tasks = new Map<string, Set<string>>();
    for (const r of [...results, ...retries]) {
      if (r.vendorId) tasks.set(r.key, (tasks.get(r.key) ?? new Set()).add(r.vendorId));
    }
    report(
      `redis outage, 2 instances: ${CALLS} idempotent creates over ${KEYS} keys, Redis killed at 30% and back 1.5 s ` +
        `later; requests ${CALLS}, vendor calls ${total} (POSTs), duplicates ${duplicates}, answers ${JSON.stringify(answers)}; ` +
        `each key retried after: ${JSON.stringify(after)}`,
    );
    expect(duplicates).toBe(0);
    expect(Math.max(...perKey.values())).toBe(1);
    expect(answers.IDEMPOTENCY_UNAVAILABLE ?? 0).toBeGreaterThan(0); // the outage was seen
    for (const code of Object.keys(answers)) expect(["ok", "IDEMPOTENCY_UNAVAILABLE"]).toContain(code);
    expect(after).toEqual({ ok: KEYS }); // nothing lost: every key answers its one task
    for (const ids of tasks.values()) expect(ids.size).toBe(1);
    expect(total).toBe(KEYS);
  });
});
