import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.ts";
import { RedisStore } from "./redis-store.ts";
import { sleep } from "./sleep.ts";
import type { SharedStore } from "./store.ts";
import { type RedisServer, startRedisServer } from "./test-support/redis-server.ts";

let redis: RedisServer | undefined;
let starting: Promise<RedisServer> | undefined;
const stores: SharedStore[] = [];
let run = 0;

/** Only the Redis suites start (and, without redis-server, fail on) the real server. */
function redisUrl(): string {
  if (!redis) throw new Error("redis-server did not start");
  return redis.url;
}
async function ensureRedis() {
  starting ??= startRedisServer();
  redis = await starting;
}

afterAll(async () => {
  for (const store of stores) await store.close();
  await redis?.stop();
});

const never = new AbortController().signal;
/**
 * For the tests of what the stores do, not of their deadlines: a first command on a new connection can outlast
 * the 400 ms default on a machine busy with other suites.
 */
const PATIENT_MS = 5_000;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(20, never);
  }
}
/** Each test gets its own key space, so the tests never see each other's state. */
const fresh = () => {
  run += 1;
  return `t${run}`;
};

const kinds: Array<[string, () => SharedStore]> = [
  ["MemoryStore", () => new MemoryStore()],
  ["RedisStore", () => new RedisStore({ redis: redisUrl(), prefix: `test:${fresh()}:`, timeoutMs: PATIENT_MS })],
];

describe.each(kinds)("%s", (name, make) => {
  beforeAll(async () => {
    if (name === "RedisStore") await ensureRedis();
  });

  const store = () => {
    const created = make();
    stores.push(created);
    return created;
  };

  it("answers ping", async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });

  it("allows `limit` hits per sliding window, then says how long until a slot frees", async () => {
    const s = store();
    const window = 2_000;
    const gap = 1_000;
    expect(await s.rateWindow("budget", 3, window)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
    expect(await s.rateWindow("budget", 3, window)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 1 });
    const firstTwoDone = Date.now();
    await sleep(gap, never);
    expect(await s.rateWindow("budget", 3, window)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    const denied = await s.rateWindow("budget", 3, window);
    expect(denied.allowed).toBe(false);
    expect(denied.remaining).toBe(0);
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(window - gap);
    // Past the first two hits' window and well inside the third's (made `gap` later), however slowly the calls ran:
    // the two oldest hits have left, the third stays, and the denied call recorded nothing: two slots, not one or three.
    await sleep(Math.max(0, firstTwoDone + window + 100 - Date.now()), never);
    const later = [];
    for (let i = 0; i < 3; i += 1) later.push((await s.rateWindow("budget", 3, window)).allowed);
    expect(later).toEqual([true, true, false]);
    expect(await s.rateWindow("other", 3, window)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
  });

  it("never lets concurrent callers past the limit", async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 40 }, () => s.rateWindow("burst", 10, 60_000)));
    expect(results.filter((r) => r.allowed).length).toBe(10);
  });

  it("claims a key once; others see it pending, then done with the result", async () => {
    const s = store();
    const before = Date.now();
    expect(await s.claim("idem-1", "fp-a", 60_000)).toEqual({ state: "claimed" });
    const after = Date.now();
    const pending = await s.claim("idem-1", "fp-b", 60_000);
    expect(pending).toEqual({ state: "pending", fingerprint: "fp-a", claimedAt: expect.any(Number) });
    // Claimed during that first call, by the store's clock (Redis's own for RedisStore: the same machine's here).
    const { claimedAt } = pending as { claimedAt: number };
    expect(claimedAt).toBeGreaterThanOrEqual(before);
    expect(claimedAt).toBeLessThanOrEqual(after);
    expect(await s.complete("idem-1", { id: "t-1", tags: [] }, 60_000)).toBe(true);
    expect(await s.claim("idem-1", "fp-a", 60_000)).toEqual({
      state: "done",
      fingerprint: "fp-a",
      result: { id: "t-1", tags: [] },
      claimedAt,
    });
  });

  it("records a definitive failure, and frees a released claim", async () => {
    const s = store();
    await s.claim("idem-2", "fp", 60_000);
    expect(await s.fail("idem-2", { kind: "bad_request" }, 60_000)).toBe(true);
    expect(await s.claim("idem-2", "fp", 60_000)).toMatchObject({
      state: "failed",
      fingerprint: "fp",
      result: { kind: "bad_request" },
    });
    await s.release("idem-2");
    expect(await s.claim("idem-2", "fp", 60_000)).toEqual({ state: "claimed" });
  });

  it("lets a claim expire after its ttl, and will not complete an expired claim", async () => {
    const s = store();
    await s.claim("idem-3", "fp", 50);
    await sleep(80, never);
    expect(await s.complete("idem-3", 1, 60_000)).toBe(false);
    expect(await s.claim("idem-3", "fp2", 60_000)).toEqual({ state: "claimed" });
  });

  it("gives one claim to one of many concurrent claimers", async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.claim("race", `fp-${i}`, 60_000)));
    expect(results.filter((r) => r.state === "claimed").length).toBe(1);
  });
});

describe("RedisStore across instances", () => {
  beforeAll(ensureRedis);

  it("shares windows and claims between two stores on the same Redis, and isolates prefixes", async () => {
    const prefix = `test:${fresh()}:`;
    const a = new RedisStore({ redis: redisUrl(), prefix, timeoutMs: PATIENT_MS });
    const b = new RedisStore({ redis: redisUrl(), prefix, timeoutMs: PATIENT_MS });
    const other = new RedisStore({ redis: redisUrl(), prefix: `${prefix}other:`, timeoutMs: PATIENT_MS });
    stores.push(a, b, other);
    expect((await a.rateWindow("k", 2, 60_000)).allowed).toBe(true);
    expect((await b.rateWindow("k", 2, 60_000)).allowed).toBe(true);
    expect((await a.rateWindow("k", 2, 60_000)).allowed).toBe(false);
    expect((await other.rateWindow("k", 2, 60_000)).allowed).toBe(true);
    expect(await a.claim("c", "fp", 60_000)).toEqual({ state: "claimed" });
    expect(await b.claim("c", "fp", 60_000)).toMatchObject({ state: "pending" });
  });

  it("runs its scripts again after Redis forgot them (SCRIPT FLUSH)", async () => {
    const prefix = `test:${fresh()}:`;
    const store = new RedisStore({ redis: redisUrl(), prefix, timeoutMs: PATIENT_MS });
    stores.push(store);
    expect(await store.claim("flushed", "fp", 60_000)).toEqual({ state: "claimed" });
    const admin = new Redis(redisUrl());
    await admin.script("FLUSH");
    await admin.quit();
    expect(await store.claim("flushed", "fp", 60_000)).toMatchObject({ state: "pending" });
  });

  it("withdraws the claims whose answers were lost, and past maxLost of them refuses claims unsent", async () => {
    const store = new RedisStore({ redis: redisUrl(), prefix: `test:${fresh()}:`, timeoutMs: 100, maxLost: 2 });
    stores.push(store);
    await store.ping();
    redis?.pause();
    try {
      // Sent, and unanswered: Redis may have run them (it did not, past their deadline, but cannot say so yet).
      await expect(store.claim("a", "fp", 60_000)).rejects.toThrow(/did not answer/);
      await expect(store.claim("b", "fp", 60_000)).rejects.toThrow(/did not answer/);
      expect(store.lostClaims).toBe(2);
      await expect(store.claim("c", "fp", 60_000)).rejects.toThrow(/2 claims whose answers were lost/);
      expect(store.lostClaims).toBe(2);
    } finally {
      redis?.resume();
    }
    await until(() => store.lostClaims === 0);
    for (const key of ["a", "b", "c"]) expect(await store.claim(key, "fp", 60_000)).toEqual({ state: "claimed" });
  });

  it("has nothing to withdraw for claims it never sent: no connection", async () => {
    const gone = new RedisStore({ redis: "redis://127.0.0.1:1", prefix: "x:", timeoutMs: 100 });
    stores.push(gone);
    for (let i = 0; i < 3; i += 1) await expect(gone.claim(`k${i}`, "fp", 60_000)).rejects.toThrow();
    expect(gone.lostClaims).toBe(0);
  });

  it("rejects ping when Redis is unreachable", async () => {
    const gone = new RedisStore({ redis: "redis://127.0.0.1:1", prefix: "x:" });
    stores.push(gone);
    await expect(gone.ping()).rejects.toThrow();
  });
});
