import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import { ALL, configWithTimeouts, outcome, pool, readQuery, reads, report, tally } from "./fault-support.ts";

const REQUESTS = 1_000;
let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    logLevel: "warn",
    config: configWithTimeouts({ headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 }),
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

const upstream = () => ALL.reduce((sum, vendor) => sum + sandbox.vendors[vendor].requests.count(), 0);

describe("fault: 10% random 503s on every vendor's reads", () => {
  it("≥ 99.9% of GraphQL requests succeed with ≤ 1.15× the upstream calls of a fault-free run", async () => {
    const workload = reads(sandbox, REQUESTS);
    const run = () => pool(REQUESTS, 50, async (i) => outcome(await stack.gql(readQuery(workload[i] as never))));

    const baseline = await run();
    expect(tally(baseline)).toEqual({ ok: REQUESTS });
    const baselineCalls = upstream();

    sandbox.reset();
    for (const vendor of ALL) sandbox.vendors[vendor].faults.set({ errorRate: 0.1, seed: 7 });
    const faulty = await run();
    const calls = upstream();
    const injected = ALL.reduce(
      (sum, vendor) => sum + sandbox.vendors[vendor].requests.entries().filter((e) => e.fault === "error").length,
      0,
    );
    const ok = faulty.filter((o) => o === "ok").length;
    const ratio = calls / baselineCalls;
    report(
      `503@10%: ${REQUESTS} requests, ${((100 * ok) / REQUESTS).toFixed(1)}% ok (${REQUESTS - ok} failed), ` +
        `upstream ${calls} vs ${baselineCalls} baseline (${ratio.toFixed(2)}x), ${injected} injected 503s ` +
        `(${((100 * injected) / calls).toFixed(1)}% of upstream), outcomes ${JSON.stringify(tally(faulty))}`,
    );
    expect(ok / REQUESTS).toBeGreaterThanOrEqual(0.999);
    expect(ratio).toBeLessThanOrEqual(1.15);
    expect(injected).toBeGreaterThan(0.07 * calls); // the faults really were there
  });
});
