import { describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.ts";
import { StoreFullError } from "./store.ts";

const TTL = 60_000;

/** A store on a clock the test moves. */
function clocked(options: { maxRecordBytes?: number } = {}) {
  const clock = { now: 1_000_000 };
  const store = new MemoryStore({ ...options, now: () => clock.now });
  return { store, clock };
}

/** What one pending record of a key as long as `like`, with fingerprint "fp", costs. */
async function pendingRecordBytes(like = "key-0"): Promise<number> {
  const { store } = clocked();
  await store.claim(like, "fp", TTL);
  return store.recordBytes;
}

describe("MemoryStore idempotency records, by the store's clock", () => {
  it("keep a claim for its ttl, and an outcome for the ttl it was written with", async () => {
    const { store, clock } = clocked();
    expect(await store.claim("k", "fp", TTL)).toEqual({ state: "claimed" });
    clock.now += TTL - 1;
    expect(await store.claim("k", "fp", TTL)).toMatchObject({ state: "pending" });
    expect(await store.complete("k", { task: { id: "t-1" } }, TTL)).toBe(true);
    clock.now += TTL - 1;
    expect(await store.claim("k", "fp", TTL)).toMatchObject({ state: "done", result: { task: { id: "t-1" } } });
    clock.now += 1;
    expect(await store.claim("k", "fp", TTL)).toEqual({ state: "claimed" });
  });

  it("will not complete a claim whose ttl has passed", async () => {
    const { store, clock } = clocked();
    await store.claim("k", "fp", TTL);
    clock.now += TTL;
    expect(await store.complete("k", 1, TTL)).toBe(false);
    expect(store.records).toBe(0);
  });

  it("drop expired records as time passes, not only the ones touched again", async () => {
    const { store, clock } = clocked();
    for (let i = 0; i < 100; i += 1) await store.claim(`old-${i}`, "fp", TTL);
    clock.now += TTL;
    await store.claim("new", "fp", TTL);
    expect(store.records).toBe(1);
  });

  it("refuse a new key once they hold maxRecordBytes, and drop no live record to make room", async () => {
    const each = await pendingRecordBytes();
    const { store, clock } = clocked({ maxRecordBytes: 3 * each });
    for (const key of ["key-1", "key-2", "key-3"]) {
      expect(await store.claim(key, "fp", TTL)).toEqual({ state: "claimed" });
      clock.now += 1_000;
    }
    const refused = await store.claim("key-4", "fp", TTL).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreFullError);
    // Room comes when the oldest record expires: key-1, claimed 3 s before.
    expect(refused).toMatchObject({ limit: 3 * each, retryAfterMs: TTL - 3_000 });
    expect(store.records).toBe(3);
    // Every live record still answers, so none of their writes can be sent twice.
    for (const key of ["key-1", "key-2", "key-3"]) {
      expect(await store.claim(key, "fp", TTL)).toMatchObject({ state: "pending", fingerprint: "fp" });
    }
    // Room comes back when a record goes: released, then expired.
    await store.release("key-2");
    expect(await store.claim("key-4", "fp", TTL)).toEqual({ state: "claimed" });
    await expect(store.claim("key-5", "fp", TTL)).rejects.toBeInstanceOf(StoreFullError);
    clock.now += TTL - 3_000;
    expect(await store.claim("key-5", "fp", TTL)).toEqual({ state: "claimed" });
    expect(store.records).toBe(3);
  });

  it("record the outcome of a write already claimed even past the limit: the write happened", async () => {
    const each = await pendingRecordBytes();
    const { store } = clocked({ maxRecordBytes: 2 * each });
    await store.claim("key-1", "fp", TTL);
    await store.claim("key-2", "fp", TTL);
    expect(await store.complete("key-1", { task: { id: "t-1", notes: "n".repeat(10_000) } }, TTL)).toBe(true);
    expect(store.recordBytes).toBeGreaterThan(2 * each + 10_000);
    expect(await store.claim("key-1", "fp", TTL)).toMatchObject({ state: "done" });
    await expect(store.claim("key-3", "fp", TTL)).rejects.toBeInstanceOf(StoreFullError);
  });

  it("stay within the limit under a stream of distinct keys, taking new ones as old ones expire", async () => {
    const each = await pendingRecordBytes("key-00000");
    const { store, clock } = clocked({ maxRecordBytes: 100 * each });
    let claimed = 0;
    let refused = 0;
    let most = 0;
    // 10,000 distinct keys, one every 100 ms: 600 within any ttl, 6 times what the limit holds.
    for (let i = 0; i < 10_000; i += 1) {
      const found = await store
        .claim(`key-${String(i).padStart(5, "0")}`, "fp", TTL)
        .catch((error: unknown) => (error instanceof StoreFullError ? undefined : Promise.reject(error)));
      if (found === undefined) refused += 1;
      else if (found.state === "claimed") claimed += 1;
      most = Math.max(most, store.records);
      clock.now += 100;
    }
    expect(most).toBeLessThanOrEqual(100);
    expect(store.recordBytes).toBeLessThanOrEqual(100 * each);
    // What fits is taken again once it expires: 100 in each ttl of the 1,000 s.
    expect(claimed).toBeGreaterThanOrEqual(1_600);
    expect(claimed + refused).toBe(10_000);
  });
});
