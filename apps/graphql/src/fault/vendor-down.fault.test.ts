import type { KnownVendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import {
  configWithTimeouts,
  ms,
  outcome,
  percentile,
  pool,
  readQuery,
  reads,
  report,
  tally,
  timedGql,
} from "./fault-support.ts";

const DOWN: KnownVendor = "capy";
const OTHERS: KnownVendor[] = ["maxai", "cakewalk", "maxsight"];
let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimits: { maxai: false, cakewalk: false } });
  stack = await startStack({
    sandbox,
    logLevel: "info",
    config: configWithTimeouts({ headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 }),
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

/** 300 reads of the other vendors and `down` reads of the failing one, interleaved, 20 at a time. */
async function phase(down: number) {
  const others = reads(sandbox, 300, OTHERS);
  const failing = reads(sandbox, down, [DOWN]);
  const jobs = [...others.map((read) => ({ read, other: true }))];
  for (const [i, read] of failing.entries()) jobs.splice(i * 3, 0, { read, other: false });
  const results = await pool(jobs.length, 20, async (i) => {
    const job = jobs[i] as (typeof jobs)[number];
    const timed = await timedGql(stack, readQuery(job.read));
    return { other: job.other, ms: timed.ms, outcome: outcome(timed.result) };
  });
  const other = results.filter((r) => r.other);
  return {
    other,
    down: results.filter((r) => !r.other),
    p50: percentile(
      other.map((r) => r.ms),
      50,
    ),
    p99: percentile(
      other.map((r) => r.ms),
      99,
    ),
  };
}

describe("fault: one vendor down", () => {
  it("opens that vendor's breaker (fail fast, few upstream calls) while the other vendors keep answering", async () => {
    const before = await phase(0);
    sandbox.vendors[DOWN].faults.set({ errorRate: 1 });
    const during = await phase(100);

    const opened = stack.logs
      .map((line) => JSON.parse(line) as { msg?: string; vendor?: string; time?: number })
      .find((line) => line.msg?.startsWith("circuit breaker opened") && line.vendor === DOWN);
    const entries = sandbox.vendors[DOWN].requests.entries();
    const openedAt = opened?.time ?? Number.POSITIVE_INFINITY;
    const afterOpen = entries.filter((e) => e.at > openedAt).length;
    const downOutcomes = tally(during.down.map((r) => r.outcome));
    report(
      `vendor down (Capy 100% 503): breaker opened after ${entries.length - afterOpen} upstream calls, ` +
        `${afterOpen} upstream calls after it opened; Capy requests ${JSON.stringify(downOutcomes)}, ` +
        `p50 ${ms(
          percentile(
            during.down.map((r) => r.ms),
            50,
          ),
        )}; other vendors ` +
        `${during.other.filter((r) => r.outcome === "ok").length}/${during.other.length} ok, ` +
        `p50 ${ms(before.p50)} → ${ms(during.p50)}, p99 ${ms(before.p99)} → ${ms(during.p99)} (before → during)`,
    );
    expect(before.other.every((r) => r.outcome === "ok")).toBe(true);
    expect(during.other.every((r) => r.outcome === "ok")).toBe(true);
    expect(opened).toBeDefined();
    expect(downOutcomes).toEqual({ VENDOR_UNAVAILABLE: 100 });
    // Only attempts already past the breaker when it opened may still arrive; nothing new is sent during the cooldown.
    expect(afterOpen).toBeLessThanOrEqual(20);
    expect(entries.length).toBeLessThan(100);
    // /readyz names the open breaker (and stays 200: one vendor down does not take the instance out).
    const ready = await fetch(`${stack.server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).circuits.test).toMatchObject({ [DOWN]: "open", maxai: "closed" });
  });
});
