import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "../e2e-support.ts";
import { ms, outcome, readQuery, reads, report, tally, timedGql, until } from "./fault-support.ts";

const DEADLINE_MS = 1_500;
const POOL = 8;
let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    logLevel: "warn",
    // The vendor's own timeouts are far away: only the GraphQL request's deadline can end these requests.
    app: { requestTimeoutMs: DEADLINE_MS },
    config: (s) => {
      const config = testConfig(s);
      const maxsight = config.tenants[0]?.connections.maxsight;
      if (maxsight)
        maxsight.http = { connections: POOL, timeouts: { headersMs: 30_000, bodyMs: 30_000, totalMs: 30_000 } };
      return config;
    },
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

describe("fault: a vendor that hangs", () => {
  it("ends every request by the request deadline with VENDOR_TIMEOUT, and leaks no sockets", async () => {
    const v = sandbox.vendors.maxsight;
    v.faults.set({ hangRate: 1 });
    const workload = reads(sandbox, 40, ["maxsight"]);
    let peak = 0;
    const sampler = setInterval(() => {
      v.openConnections().then(
        (n) => {
          peak = Math.max(peak, n);
        },
        () => undefined,
      );
    }, 10);
    const results = await Promise.all(workload.map((read) => timedGql(stack, readQuery(read)))).finally(() =>
      clearInterval(sampler),
    );
    const outcomes = tally(results.map((r) => outcome(r.result)));
    const slowest = Math.max(...results.map((r) => r.ms));
    const hung = v.requests.count();
    // undici destroys an aborted request's socket; the vendor sees it close.
    await until(async () => (await v.openConnections()) <= POOL);
    const openAfter = await v.openConnections();

    v.faults.clear();
    const healthy = await Promise.all(reads(sandbox, 20, ["maxsight"]).map((read) => stack.gql(readQuery(read))));
    const openAfterHealthy = await v.openConnections();
    report(
      `hang (Maxsight, request deadline ${DEADLINE_MS} ms, vendor timeouts 30 s, pool ${POOL}): ${results.length} requests ` +
        `${JSON.stringify(outcomes)}, slowest ${ms(slowest)}; ${hung} reached the vendor, at most ${peak} sockets open at once; ` +
        `open sockets after: ${openAfter} (cap ${POOL}); then 20 healthy requests ${JSON.stringify(tally(healthy.map(outcome)))}, ` +
        `open sockets ${openAfterHealthy}`,
    );
    expect(outcomes).toEqual({ VENDOR_TIMEOUT: 40 });
    expect(openAfter).toBeLessThanOrEqual(POOL);
    expect(healthy.every((r) => outcome(r) === "ok")).toBe(true);
    expect(openAfterHealthy).toBeLessThanOrEqual(POOL);
  });
});
