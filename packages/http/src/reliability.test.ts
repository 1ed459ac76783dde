import { VendorError } from "@taskbridge/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { MemoryStore } from "./memory-store.ts";
import { reliabilityPolicies } from "./reliability.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";

let server: Scripted;

beforeAll(async () => {
  server = await startScripted();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
});

const get: RequestSpec<unknown> = { operation: "getTask", method: "GET", path: "/t", schema: z.unknown() };

describe("reliabilityPolicies", () => {
  it("retries around the breaker: a circuit that opens mid-call ends the retries at once", async () => {
    const waits: number[] = [];
    const http = createHttpClient({
      vendor: "capy",
      baseUrl: server.url,
      policies: reliabilityPolicies({
        retry: { maxAttempts: 5, sleep: async (ms) => void waits.push(ms) },
        circuitBreaker: { minimumAttempts: 2, cooldownMs: 10_000 },
      }),
    });
    server.script(reply.json(503), reply.json(503), reply.json(503));
    const error = await http.request(get).catch((e: unknown) => e as VendorError);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).detail).toBe("circuit open");
    // Two real attempts (the second opened the circuit), one wait before the refused third; no fourth or fifth.
    expect(server.count()).toBe(2);
    expect(waits.length).toBe(2);
  });

  it("spends the rate budget on real attempts only, not on calls the open circuit refused", async () => {
    const store = new MemoryStore();
    const http = createHttpClient({
      vendor: "capy",
      baseUrl: server.url,
      policies: reliabilityPolicies({
        retry: false,
        circuitBreaker: { minimumAttempts: 1, cooldownMs: 60_000 },
        rateBudget: { store, key: "capy:1", limit: 5, windowMs: 60_000, maxWaitMs: 0 },
      }),
    });
    server.script(reply.json(503));
    for (let i = 0; i < 4; i += 1) await http.request(get).catch(() => undefined);
    expect(server.count()).toBe(1);
    const left = [];
    for (let i = 0; i < 5; i += 1) left.push((await store.rateWindow("capy:1", 5, 60_000)).allowed);
    expect(left).toEqual([true, true, true, true, false]);
  });

  it("builds retry, breaker and vendor pause by default, and nothing that was turned off", () => {
    expect(reliabilityPolicies().length).toBe(3);
    expect(reliabilityPolicies({ retry: false, circuitBreaker: false, vendorPause: false }).length).toBe(0);
  });
});
