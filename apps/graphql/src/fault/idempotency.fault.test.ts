import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "../e2e-support.ts";
import { outcome, pool, report, tally } from "./fault-support.ts";

const CALLS = 1_000;
const KEYS = 300;
let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    logLevel: "warn",
    config: (s) => {
      const config = testConfig(s);
      const maxai = config.tenants[0]?.connections.maxai;
      if (maxai) maxai.http = { timeouts: { headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 } };
      return config;
    },
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

const CREATE = `mutation($input: CreateTaskInput!, $key: String) {
  createTask(input: $input, idempotencyKey: $key) { task { vendorId } }
}`;

/** A small seeded PRNG (mulberry32), so the duplicate pattern is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("fault: concurrent createTask with duplicate keys, lost answers and resets", () => {
  it("creates zero duplicate tasks, counted in the sandbox", async () => {
    const v = sandbox.vendors.maxai;
    const { example } = v.seed;
    v.faults.set({ match: { method: "POST" }, lostResponseRate: 0.05, resetRate: 0.05, seed: 3 });
    const random = prng(42);
    const keys = Array.from({ length: CALLS }, () => `order-${Math.floor(random() * KEYS)}`);
    const input = (key: string) => ({
      maxAi: {
        noteId: example.noteId,
        providerId: example.providerId,
        notes: `fault ${key}`,
        assigneeIds: [example.providerId],
      },
    });

    const results = await pool(CALLS, 100, async (i) => {
      const key = keys[i] as string;
      const result = await stack.gql(CREATE, { variables: { input: input(key), key } });
      return {
        key,
        outcome: outcome(result),
        vendorId: result.body.data?.createTask?.task.vendorId as string | undefined,
      };
    });

    // What the vendor did, from its own log: every POST it handled (status 200) created one task.
    const posts = v.requests.entries({ method: "POST" });
    const postsPerKey = new Map<string, number>();
    const createdPerKey = new Map<string, number>();
    for (const post of posts) {
      const key = (JSON.parse(post.body ?? "{}") as { notes: string }).notes.replace("fault ", "");
      postsPerKey.set(key, (postsPerKey.get(key) ?? 0) + 1);
      if (post.status === 200) createdPerKey.set(key, (createdPerKey.get(key) ?? 0) + 1);
    }
    const created = [...createdPerKey.values()].reduce((a, b) => a + b, 0);
    const duplicates = [...createdPerKey.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const answers = new Map<string, Set<string>>();
    for (const r of results) {
      if (r.vendorId) answers.set(r.key, (answers.get(r.key) ?? new Set()).add(r.vendorId));
    }
    const faults = tally(posts.map((p) => p.fault ?? "none"));
    report(
      `idempotency: ${CALLS} concurrent createTask calls over ${new Set(keys).size} keys; vendor got ${posts.length} POSTs ` +
        `(${JSON.stringify(faults)}), created ${created} tasks, duplicates ${duplicates}; ` +
        `most POSTs for one key ${Math.max(...postsPerKey.values())}; answers ${JSON.stringify(tally(results.map((r) => r.outcome)))}`,
    );
    expect(duplicates).toBe(0);
    expect(Math.max(...postsPerKey.values())).toBe(1); // a lost answer or a reset never leads to a second POST
    expect(posts.length).toBe(new Set(keys).size);
    expect(faults.lost_response ?? 0).toBeGreaterThan(0);
    expect(faults.reset ?? 0).toBeGreaterThan(0);
    for (const ids of answers.values()) expect(ids.size).toBe(1); // every success for a key is the same task
    for (const r of results) expect(["ok", "IDEMPOTENCY_OUTCOME_UNKNOWN"]).toContain(r.outcome);
  });
});
