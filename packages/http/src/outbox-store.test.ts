import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxStore } from "./outbox-store.ts";
import { RedisStore } from "./redis-store.ts";
import type { SharedStore } from "./store.ts";
import { type RedisServer, startRedisServer } from "./test-support/redis-server.ts";

let dir: string;
let redis: RedisServer;
const closing: SharedStore[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "outbox-"));
  redis = await startRedisServer({ persist: { dir } });
});
afterAll(async () => {
  for (const store of closing) await store.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("OutboxStore over a real redis-server killed between a claim and its outcome", () => {
  it("keeps the outcome, answers it on this instance meanwhile, and writes it once Redis is back", async () => {
    const redisStore = new RedisStore({ redis: redis.url, prefix: "outbox:", timeoutMs: 200 });
    const events: string[] = [];
    const store = new OutboxStore({ primary: redisStore, retryMs: 50, onChange: (event) => events.push(event) });
    closing.push(store, redisStore);

    expect(await store.claim("created", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await store.claim("refused", "fp", 60_000)).toEqual({ state: "claimed" });
    await redis.kill();
    // The vendor created the first task and refused the second; Redis cannot take either outcome now.
    expect(await store.complete("created", { task: { id: "t-1" } }, 60_000)).toBe(true);
    await store.release("refused");
    expect(store.pending).toBe(2);
    expect(await store.claim("created", "fp", 60_000)).toEqual({
      state: "done",
      fingerprint: "fp",
      result: { task: { id: "t-1" } },
    });
    await expect(store.claim("refused", "fp", 60_000)).rejects.toThrow();

    redis = await startRedisServer({ port: redis.port, persist: { dir } });
    await until(() => store.pending === 0);
    expect(events).toEqual(["kept", "kept", "delivered", "delivered"]);
    const observer = new RedisStore({ redis: redis.url, prefix: "outbox:" });
    closing.push(observer);
    expect(await observer.claim("created", "fp", 60_000)).toMatchObject({
      state: "done",
      result: { task: { id: "t-1" } },
    });
    expect(await observer.claim("refused", "fp", 60_000)).toEqual({ state: "claimed" });
  });

  it("refuses new claims while maxKept outcomes wait, still answering the kept ones, until they are delivered", async () => {
    const redisStore = new RedisStore({ redis: redis.url, prefix: "outbox-bound:", timeoutMs: 200 });
    const store = new OutboxStore({ primary: redisStore, retryMs: 50, maxKept: 2 });
    closing.push(store, redisStore);

    for (const key of ["a", "b", "c"]) expect(await store.claim(key, "fp", 60_000)).toEqual({ state: "claimed" });
    await redis.kill();
    await store.complete("a", { task: { id: "t-a" } }, 60_000);
    await store.complete("b", { task: { id: "t-b" } }, 60_000);
    expect(store.pending).toBe(2);
    // Not sent to the primary: refused for the outcomes waiting, which a new claim would only add to.
    await expect(store.claim("d", "fp", 60_000)).rejects.toThrow(/2 idempotency outcomes are waiting/);
    expect(await store.claim("a", "fp", 60_000)).toMatchObject({ state: "done", result: { task: { id: "t-a" } } });
    // A write claimed before the bound was reached happened: its outcome is kept all the same.
    await store.complete("c", { task: { id: "t-c" } }, 60_000);
    expect(store.pending).toBe(3);

    redis = await startRedisServer({ port: redis.port, persist: { dir } });
    await until(() => store.pending === 0);
    expect(await store.claim("d", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await store.claim("c", "fp", 60_000)).toMatchObject({ state: "done", result: { task: { id: "t-c" } } });
  });
});
