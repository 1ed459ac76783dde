import { type RedisServer, startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import { outcome, pool, readQuery, reads, report, tally } from "./fault-support.ts";

const SENT = 1_300;
const LIMIT = 1_000; // Max AI's published limit: 1,000 requests per 60 s per API key
const WINDOW_MS = 60_000;
let redis: RedisServer;
let sandbox: Sandbox;
let instances: Stack[];

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox(); // Max AI enforces its published limit too, as the real vendor does
  instances = await Promise.all(
    [1, 2].map(() => startStack({ sandbox, logLevel: "warn", app: { redisUrl: redis.url } })),
  );
});
afterAll(async () => {
  for (const stack of instances) await stack.close();
  await sandbox.close();
  await redis.stop();
});

/** The most requests the sandbox received in any window of WINDOW_MS (sliding over arrival times). */
function busiestWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= WINDOW_MS) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("fault: two instances sharing one Redis, driven past Max AI's limit together", () => {
  it("never send Max AI more than 1,000 requests in any 60 s window; the rest get RATE_LIMITED (taskbridge)", async () => {
    const workload = reads(sandbox, SENT, ["maxai"]);
    const results = await pool(SENT, 60, async (i) => {
      const stack = instances[i % 2] as Stack;
      const result = await stack.gql(readQuery(workload[i] as never));
      return { instance: i % 2, outcome: outcome(result), extensions: result.body.errors?.[0]?.extensions };
    });
    const entries = sandbox.vendors.maxai.requests.entries();
    const busiest = busiestWindow(entries.map((e) => e.at));
    const vendor429 = entries.filter((e) => e.status === 429).length;
    const limited = results.filter((r) => r.outcome === "RATE_LIMITED");
    const perInstance = [0, 1].map((n) => results.filter((r) => r.instance === n && r.outcome === "ok").length);
    const waits = limited.map((r) => r.extensions?.retryAfterSeconds as number);
    report(
      `2 instances, 1 redis: ${SENT} Max AI reads sent together, ${JSON.stringify(tally(results.map((r) => r.outcome)))} ` +
        `(ok per instance ${perInstance.join(" + ")}); sandbox saw ${entries.length} requests, ${busiest} in the busiest ` +
        `60 s window (limit ${LIMIT}), ${vendor429} vendor 429s; RATE_LIMITED limitedBy ` +
        `${[...new Set(limited.map((r) => r.extensions?.limitedBy))].join("/")}, retryAfterSeconds ` +
        `${Math.min(...waits)}–${Math.max(...waits)}`,
    );
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    expect(entries.length).toBeLessThanOrEqual(LIMIT);
    expect(vendor429).toBe(0);
    // Every upstream request spends one slot of the shared budget. A read retried after a slow answer (this suite
    // may share the CPU with others) spends two, so a few fewer than LIMIT reads may succeed, never more.
    const ok = results.filter((r) => r.outcome === "ok").length;
    expect(ok).toBeLessThanOrEqual(LIMIT);
    expect(ok).toBeGreaterThan(LIMIT * 0.95);
    expect(perInstance.every((n) => n > 0)).toBe(true); // both instances spent the one shared budget
    expect(limited.length).toBeGreaterThanOrEqual(SENT - LIMIT);
    for (const r of limited) expect(r.extensions).toMatchObject({ limitedBy: "taskbridge", vendor: "MAX_AI" });
    expect(Math.min(...waits)).toBeGreaterThan(0);
  });
});
