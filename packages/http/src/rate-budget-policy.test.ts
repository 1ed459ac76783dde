import type { VendorRateLimitedError } from "@taskbridge/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { abortedByCaller } from "./errors.ts";
import { MemoryStore } from "./memory-store.ts";
import { type RateBudgetOptions, rateBudgetPolicy } from "./rate-budget-policy.ts";
import { RedisStore } from "./redis-store.ts";
import { retryPolicy } from "./retry-policy.ts";
import { sleep } from "./sleep.ts";
import type { SharedStore } from "./store.ts";
import { failure } from "./test-support/failure.ts";
import { type RedisServer, startRedisServer } from "./test-support/redis-server.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";

let server: Scripted;
const closing: SharedStore[] = [];

beforeAll(async () => {
  server = await startScripted();
});
afterAll(async () => {
  for (const store of closing) await store.close();
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

const get: RequestSpec<unknown> = { operation: "listTasks", method: "GET", path: "/t", schema: z.unknown() };

function client(budget: Partial<RateBudgetOptions> & { store: SharedStore }, totalMs = 10_000) {
  return createHttpClient({
    vendor: "cakewalk",
    baseUrl: server.url,
    timeouts: { totalMs },
    policies: [rateBudgetPolicy({ key: "cakewalk:conn-1", limit: 2, windowMs: 60_000, maxWaitMs: 0, ...budget })],
  });
}

describe("rateBudgetPolicy", () => {
  it("lets `limit` attempts through per window, then refuses without calling the vendor", async () => {
    const http = client({ store: new MemoryStore() });
    await http.request(get);
    await http.request(get);
    const error = (await failure(http.request(get))) as VendorRateLimitedError;
    expect(error.kind).toBe("rate_limited");
    expect(error.limitedBy).toBe("taskbridge");
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(error.status).toBeUndefined();
    expect(server.count()).toBe(2);
  });

  it("waits for a slot when one frees within maxWaitMs", async () => {
    const waits: number[] = [];
    const http = client({
      store: new MemoryStore(),
      limit: 1,
      // Long enough that the first call surely ends inside the window even on a loaded machine, so the second waits.
      windowMs: 1_000,
      maxWaitMs: 5_000,
      sleep: (ms, signal) => {
        waits.push(ms);
        return sleep(ms, signal);
      },
    });
    await http.request(get);
    await http.request(get);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(1_000);
    expect(server.count()).toBe(2);
  });

  it("does not wait past the call's deadline", async () => {
    const http = client({ store: new MemoryStore(), limit: 1, windowMs: 60_000, maxWaitMs: 120_000 }, 500);
    await http.request(get);
    const error = await failure(http.request(get));
    expect(error.kind).toBe("rate_limited");
    expect(server.count()).toBe(1);
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    // A wait far beyond the test's timeout: only a prompt abort lets this test finish.
    const http = client(
      {
        store: new MemoryStore(),
        limit: 1,
        windowMs: 300_000,
        maxWaitMs: 300_000,
        sleep: (ms, signal) => {
          queueMicrotask(() => controller.abort());
          return sleep(ms, signal);
        },
      },
      600_000,
    );
    await http.request(get);
    const error = await failure(http.request({ ...get, signal: controller.signal }));
    expect(abortedByCaller(error)).toBe(true);
    expect(server.count()).toBe(1);
  });

  it("counts every real attempt, retries included", async () => {
    const store = new MemoryStore();
    const http = createHttpClient({
      vendor: "cakewalk",
      baseUrl: server.url,
      policies: [
        retryPolicy({ sleep: async () => {} }),
        rateBudgetPolicy({ store, key: "k", limit: 3, windowMs: 60_000, maxWaitMs: 0 }),
      ],
    });
    server.script(reply.json(503));
    await http.request(get);
    expect(server.count()).toBe(2);
    expect(await store.rateWindow("k", 3, 60_000)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    expect((await store.rateWindow("k", 3, 60_000)).allowed).toBe(false);
  });

  it("lets the call through when the store fails, and reports the failure", async () => {
    const failures: unknown[] = [];
    const down = new RedisStore({ redis: "redis://127.0.0.1:1" });
    closing.push(down);
    const http = client({ store: down, onStoreError: (error) => failures.push(error) });
    const response = await http.request(get);
    expect(response.status).toBe(200);
    expect(failures.length).toBe(1);
  });

  describe("shared through Redis", () => {
    let redis: RedisServer | undefined;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it("two instances spend one budget", async () => {
      const url = redis?.url ?? "";
      const [a, b] = [
        new RedisStore({ redis: url, prefix: "budget:" }),
        new RedisStore({ redis: url, prefix: "budget:" }),
      ];
      closing.push(a, b);
      const first = client({ store: a, limit: 3 });
      const second = client({ store: b, limit: 3 });
      await first.request(get);
      await second.request(get);
      await first.request(get);
      const error = (await failure(second.request(get))) as VendorRateLimitedError;
      expect(error.limitedBy).toBe("taskbridge");
      expect(server.count()).toBe(3);
    });
  });
});
