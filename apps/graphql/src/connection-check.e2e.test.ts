import { startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConnections, checkSharedStore } from "./connection-check.ts";
import { closedPort, testConfig } from "./e2e-support.ts";
import { resolveConfig } from "./tenants.ts";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe("the start-up check of vendor connections", () => {
  it("probes every connection at once and names what failed for each", async () => {
    const config = testConfig(sandbox);
    const connections = config.tenants[0]?.connections as Record<string, Record<string, unknown>>;
    (connections.capy as Record<string, unknown>).token = "capy_wrong_token";
    (connections.maxsight as Record<string, unknown>).baseUrl = "http://maxsight.invalid";
    (connections.cakewalk as Record<string, unknown>).baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const reports = await checkConnections(resolveConfig(config, () => undefined));
    expect(reports.map(({ vendor, ok, finding }) => ({ vendor, ok, finding }))).toEqual([
      { vendor: "maxai", ok: true, finding: "reachable, credentials accepted" },
      { vendor: "cakewalk", ok: false, finding: "cannot connect (ECONNREFUSED)" },
      { vendor: "capy", ok: false, finding: "the vendor rejected the credentials (HTTP 401)" },
      { vendor: "maxsight", ok: false, finding: expect.stringMatching(/^name resolution failed \(E[A-Z_]+\)$/) },
    ]);
  });

  it("names a base URL that answers, but not as the vendor's API (another port, a wrong prefix)", async () => {
    const config = testConfig(sandbox);
    const connections = config.tenants[0]?.connections as Record<string, Record<string, unknown>>;
    (connections.maxai as Record<string, unknown>).baseUrl = `${sandbox.vendors.maxai.origin}/proxy`;
    (connections.capy as Record<string, unknown>).baseUrl = `${sandbox.vendors.capy.origin}/apii`;
    (connections.maxsight as Record<string, unknown>).baseUrl = sandbox.vendors.cakewalk.origin;
    const reports = await checkConnections(resolveConfig(config, () => undefined));
    const wrong = { ok: false, finding: "the base URL does not lead to the vendor's API (HTTP 404)" };
    expect(reports.map(({ vendor, ok, finding }) => ({ vendor, ok, finding }))).toEqual([
      { vendor: "maxai", ...wrong },
      { vendor: "cakewalk", ok: true, finding: "reachable, credentials accepted" },
      { vendor: "capy", ...wrong },
      { vendor: "maxsight", ...wrong },
    ]);
  });
});

describe("the start-up check of the shared store (TASKBRIDGE_REDIS_URL)", () => {
  it("says whether Redis answers, why not, and never prints the URL's password", async () => {
    const redis = await startRedisServer({ requirePass: "s3cret-pass" });
    try {
      const at = (url: string) => checkSharedStore(url, { timeoutMs: 2_000 });
      expect(await at(`redis://:s3cret-pass@127.0.0.1:${redis.port}`)).toEqual({
        tenant: "all tenants",
        vendor: "redis",
        ok: true,
        finding: "reachable, PING answered",
      });
      const wrong = await at(`redis://:not-the-pass@127.0.0.1:${redis.port}`);
      expect(wrong).toMatchObject({ ok: false, finding: "Redis rejected the credentials" });
      expect(await at(`redis://127.0.0.1:${await closedPort()}`)).toMatchObject({
        ok: false,
        finding: "cannot connect (ECONNREFUSED)",
      });
      const unnamed = await at("redis://:s3cret-pass@redis.invalid:6379");
      expect(unnamed).toMatchObject({ ok: false, finding: expect.stringMatching(/^name resolution failed/) });
      for (const report of [wrong, unnamed]) expect(JSON.stringify(report)).not.toMatch(/s3cret|not-the-pass/);
    } finally {
      await redis.stop();
    }
  });
});
