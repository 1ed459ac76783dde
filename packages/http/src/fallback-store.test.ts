import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FallbackStore } from "./fallback-store.ts";
import { RedisStore } from "./redis-store.ts";
import type { SharedStore } from "./store.ts";
import { type RedisServer, startRedisServer } from "./test-support/redis-server.ts";

let redis: RedisServer;
const closing: SharedStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const store of closing) await store.close();
  await redis.stop();
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("FallbackStore over a real redis-server that stops mid-run", () => {
  it("keeps answering from memory while Redis is down, reports each transition once, and returns to Redis", async () => {
    const changes: boolean[] = [];
    const primary = new RedisStore({ redis: redis.url, prefix: "fallback-test:" });
    const observer = new RedisStore({ redis: redis.url, prefix: "fallback-test:" });
    const store = new FallbackStore({
      primary,
      timeoutMs: 300,
      probeMs: 50,
      onChange: (degraded) => changes.push(degraded),
    });
    closing.push(store, observer);

    expect(await store.claim("k1", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await observer.claim("k1", "fp", 60_000)).toMatchObject({ state: "pending" }); // it is in Redis
    expect(store.degraded).toBe(false);

    await redis.stop();
    // Every operation still answers; the first one notices, later ones go straight to memory.
    expect(await store.claim("k2", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(store.degraded).toBe(true);
    expect(await store.claim("k2", "fp", 60_000)).toMatchObject({ state: "pending" });
    const budget = [];
    for (let i = 0; i < 3; i += 1) budget.push((await store.rateWindow("b", 2, 60_000)).allowed);
    expect(budget).toEqual([true, true, false]);
    await expect(store.ping()).resolves.toBeUndefined();
    expect(changes).toEqual([true]);

    redis = await startRedisServer({ port: redis.port });
    await until(() => !store.degraded);
    expect(changes).toEqual([true, false]);
    // Back on Redis (a fresh, empty one): the record written while degraded lived in memory only.
    expect(await store.claim("k2", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await observer.claim("k2", "fp", 60_000)).toMatchObject({ state: "pending" });
  });
});
