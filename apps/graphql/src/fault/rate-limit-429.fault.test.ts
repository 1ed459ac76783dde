import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import {
  configWithTimeouts,
  ms,
  outcome,
  readQuery,
  reads,
  report,
  sleep,
  tally,
  timedGql,
  until,
} from "./fault-support.ts";

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    logLevel: "warn",
    config: configWithTimeouts({ headersMs: 2_000, bodyMs: 2_000, totalMs: 8_000 }),
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

/**
 * One request meets the 429; more arrive while the vendor's wait runs. Returns the sandbox's view: when the 429
 * was answered, and when each later request arrived.
 */
async function storm(vendor: "maxai" | "cakewalk", retryAfter: string) {
  const v = sandbox.vendors[vendor];
  const workload = reads(sandbox, 21, [vendor]);
  v.faults.set({ rateLimit: { count: 1, retryAfter } });
  const first = timedGql(stack, readQuery(workload[0] as never));
  await until(() => v.requests.count() >= 1);
  const wave1 = workload.slice(1, 11).map((read) => timedGql(stack, readQuery(read)));
  await sleep(1_000);
  const wave2 = workload.slice(11).map((read) => timedGql(stack, readQuery(read)));
  const results = await Promise.all([first, ...wave1, ...wave2]);
  const entries = v.requests.entries();
  const limited = entries.filter((e) => e.status === 429);
  const after = entries.filter((e) => e.status !== 429);
  const limitedAt = limited[0]?.at ?? 0;
  const firstAfter = Math.min(...after.map((e) => e.at));
  return {
    results,
    limited,
    after,
    gap: firstAfter - limitedAt,
    outcomes: tally(results.map((r) => outcome(r.result))),
  };
}

describe("fault: a 429 storm", () => {
  it("Retry-After: 2 → no request to that vendor for 2 s, then every request succeeds", async () => {
    const { results, limited, after, gap, outcomes } = await storm("maxai", "2");
    report(
      `429 Retry-After 2 (Max AI): ${results.length} requests (1 hit the 429, 20 arrived during the wait), ` +
        `${outcomes.ok ?? 0} ok; vendor saw ${limited.length} x 429 then ${after.length} requests, ` +
        `first of them ${ms(gap)} after the 429; slowest request ${ms(Math.max(...results.map((r) => r.ms)))}`,
    );
    expect(outcomes).toEqual({ ok: 21 });
    expect(limited).toHaveLength(1);
    expect(gap).toBeGreaterThanOrEqual(2_000);
  });

  it("Retry-After as an HTTP date → not before that date", async () => {
    const at = new Date(Date.now() + 3_000);
    at.setMilliseconds(0);
    const { gap, limited, outcomes } = await storm("cakewalk", at.toUTCString());
    const demanded = at.getTime() - (limited[0]?.at ?? 0);
    report(
      `429 Retry-After ${at.toUTCString()} (Cakewalk): ${outcomes.ok ?? 0}/21 ok; the date allowed the next request ` +
        `${ms(demanded)} after the 429, the first came ${ms(gap)} after it`,
    );
    expect(outcomes).toEqual({ ok: 21 });
    expect(gap).toBeGreaterThanOrEqual(demanded);
  });

  it("Retry-After: 999999999 → RATE_LIMITED at once with the wait capped at 5 min, for that call and every later one", async () => {
    const v = sandbox.vendors.maxai;
    v.requests.clear();
    v.faults.set({ rateLimit: { count: 1, retryAfter: "999999999" } });
    const workload = reads(sandbox, 6, ["maxai"]);
    const results = [];
    for (const read of workload) results.push(await timedGql(stack, readQuery(read)));
    const extensions = results.map((r) => r.result.body.errors?.[0]?.extensions);
    report(
      `429 Retry-After 999999999 (Max AI): ${results.length} requests, ${extensions.filter((e) => e?.code === "RATE_LIMITED").length} RATE_LIMITED ` +
        `(retryAfterSeconds ${extensions.map((e) => e?.retryAfterSeconds).join("/")}, limitedBy ${extensions[0]?.limitedBy}), ` +
        `slowest ${ms(Math.max(...results.map((r) => r.ms)))}, upstream ${v.requests.count()}`,
    );
    expect(extensions[0]).toMatchObject({
      code: "RATE_LIMITED",
      limitedBy: "vendor",
      retryAfterSeconds: 300,
      upstreamStatus: 429,
    });
    for (const later of extensions.slice(1)) {
      expect(later).toMatchObject({ code: "RATE_LIMITED", limitedBy: "vendor" });
      expect(later.retryAfterSeconds).toBeGreaterThan(290);
      expect(later.retryAfterSeconds).toBeLessThanOrEqual(300);
    }
    expect(v.requests.count()).toBe(1);
  });
});
