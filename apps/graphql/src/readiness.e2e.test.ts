import { type RedisServer, startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./e2e-support.ts";
import { Metrics } from "./telemetry/metrics.ts";

let sandbox: Sandbox;
let redis: RedisServer;
let stack: Stack;
const metrics = new Metrics();

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, app: { redisUrl: redis.url, metrics } });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
  await redis.stop();
});

const CLOSED = { test: { maxai: "closed", cakewalk: "closed", capy: "closed", maxsight: "closed" } };

const readyz = async () => {
  const response = await fetch(`${stack.server.origin}/readyz`);
  return { status: response.status, body: await response.json() };
};

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Redis as the shared store, and the fallback when it goes away", () => {
  it("keeps answering when Redis stops, says so once in the logs and in /readyz (200), and recovers", async () => {
    const { example } = sandbox.vendors.capy.seed;
    const create = (key: string) =>
      stack.gql(
        `mutation($key: String) { createTask(input: { capy: { projectId: "${example.projectId}", prompt: "p" } }, idempotencyKey: $key) { task { vendorId } } }`,
        {
          variables: { key },
        },
      );
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready", circuits: CLOSED } });
    expect((await create("before")).body.errors).toBeUndefined();

    await redis.stop();
    const posts = () => sandbox.vendors.capy.requests.count({ method: "POST" });
    const sent = posts();
    // Without its record a retry elsewhere could POST again: a keyed create is refused, retryable, nothing sent.
    const during = await create("during");
    expect(during.body.errors[0].extensions).toEqual({
      code: "IDEMPOTENCY_UNAVAILABLE",
      vendor: "CAPY",
      retryAfterSeconds: 1,
      requestId: expect.any(String),
    });
    expect(posts()).toBe(sent);
    await until(async () => (await readyz()).body.status === "degraded");
    expect(await readyz()).toEqual({
      status: 200,
      body: { status: "degraded", store: "redis unreachable, using in-memory fallback", circuits: CLOSED },
    });
    const warnings = () => stack.logs.filter((line) => line.includes("redis unreachable")).length;
    expect(warnings()).toBe(1);

    redis = await startRedisServer({ port: redis.port });
    await until(async () => (await readyz()).body.status === "ready");
    expect(stack.logs.filter((line) => line.includes("redis reachable again")).length).toBe(1);
    expect(warnings()).toBe(1);
    expect((await create("during")).body.errors).toBeUndefined(); // the refused key was never used
    expect((await create("after")).body.errors).toBeUndefined();
    expect(posts()).toBe(sent + 2);
  });

  it("reports Redis gone in /readyz and the metrics without waiting for traffic to trip over it", async () => {
    await until(async () => (await readyz()).body.status === "ready");
    await stack.app.store.ping();
    await redis.stop();
    // No request is sent: an idle instance's load balancer and alerts must still learn that Redis is gone.
    await until(async () => (await readyz()).body.status === "degraded");
    const gauge = await metrics.registry.getSingleMetricAsString("taskbridge_shared_store_degraded");
    expect(gauge).toContain("taskbridge_shared_store_degraded 1");

    redis = await startRedisServer({ port: redis.port });
    await until(async () => (await readyz()).body.status === "ready");
  });
});
