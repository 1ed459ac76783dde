import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import { configWithTimeouts, readQuery, reads, report, until } from "./fault-support.ts";

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    config: configWithTimeouts({ headersMs: 2_000, bodyMs: 2_000, totalMs: 5_000 }),
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

async function capyCircuit(): Promise<string> {
  const ready = await fetch(`${stack.server.origin}/readyz`);
  return (await ready.json()).circuits.test.capy;
}

describe("fault: Capy down until its breaker opens", () => {
  it("answers VENDOR_UNAVAILABLE with the cooldown left as retryAfterSeconds, sending nothing", async () => {
    const capy = sandbox.vendors.capy;
    const [read] = reads(sandbox, 1, ["capy"]);
    if (!read) throw new Error("no seeded Capy task");
    capy.faults.set({ errorRate: 1 });
    let failedReads = 0;
    await until(async () => {
      await stack.gql(readQuery(read));
      failedReads += 1;
      return (await capyCircuit()) === "open";
    });
    const sent = capy.requests.count();

    const result = await stack.gql(readQuery(read));
    const [error] = result.body.errors;
    report(
      `breaker retry hint: opened after ${failedReads} failed reads (${sent} upstream calls); then ` +
        `${error.extensions.code} retryAfterSeconds ${error.extensions.retryAfterSeconds}`,
    );
    expect(error.extensions).toMatchObject({ code: "VENDOR_UNAVAILABLE", vendor: "CAPY" });
    // The breaker stays open 10 s (apps/graphql README, Reliability): the hint is what is left of it, rounded up.
    expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(error.message).toBe(`Capy is unavailable. Retry after ${error.extensions.retryAfterSeconds} s.`);
    expect(capy.requests.count()).toBe(sent);
  });
});
