import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
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

describe("a Redis command the store gave up on never runs later", () => {
  const frozen = async (store: SharedStore) => {
    const started = Date.now();
    const outcome = await store.claim("late", "fp", 60_000).then(
      (found) => found.state,
      () => "rejected",
    );
    return { outcome, ms: Date.now() - started };
  };

  it("a claim that timed out while Redis was frozen (SIGSTOP) does not land when it thaws", async () => {
    const prefix = `freeze-${Date.now()}:`;
    const primary = new RedisStore({ redis: redis.url, prefix, timeoutMs: 200 });
    const observer = new RedisStore({ redis: redis.url, prefix });
    const store = new FallbackStore({ primary, timeoutMs: 300, probeMs: 50 });
    closing.push(store, observer);
    await observer.ping();
    await primary.ping();

    redis.pause();
    try {
      // The fallback answers from memory once Redis is slower than 300 ms.
      expect((await frozen(store)).outcome).toBe("claimed");
      expect(store.degraded).toBe(true);
      await new Promise((r) => setTimeout(r, 400));
    } finally {
      redis.resume();
    }
    await until(() => !store.degraded);
    // Redis has now run everything it was sent while frozen: the late claim must have done nothing.
    expect(await observer.claim("late", "other", 60_000)).toEqual({ state: "claimed" });
  });

  it("without a fallback, a frozen Redis fails the command at its deadline; it does nothing when Redis thaws", async () => {
    const prefix = `freeze-alone-${Date.now()}:`;
    const store = new RedisStore({ redis: redis.url, prefix, timeoutMs: 200 });
    const observer = new RedisStore({ redis: redis.url, prefix });
    closing.push(store, observer);
    await store.ping();
    await observer.ping();
    redis.pause();
    try {
      expect((await frozen(store)).outcome).toBe("rejected");
      await expect(store.complete("late", { id: 1 }, 60_000)).rejects.toThrow();
    } finally {
      redis.resume();
    }
    expect(await observer.claim("late", "other", 60_000)).toEqual({ state: "claimed" });
  });

  it("a command sent while Redis is down fails at once and is not sent when Redis is back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "redis-down-"));
    const durable = await startRedisServer({ persist: { dir } });
    const prefix = "down:";
    const store = new RedisStore({ redis: durable.url, prefix, timeoutMs: 200 });
    closing.push(store);
    await store.ping();
    await durable.kill();
    await expect(store.claim("queued", "fp", 60_000)).rejects.toThrow();
    const back = await startRedisServer({ port: durable.port, persist: { dir } });
    try {
      const observer = new RedisStore({ redis: back.url, prefix });
      closing.push(observer);
      await until(() =>
        store.ping().then(
          () => true,
          () => false,
        ),
      );
      expect(await observer.claim("queued", "other", 60_000)).toEqual({ state: "claimed" });
    } finally {
      await back.stop();
    }
  });
});
