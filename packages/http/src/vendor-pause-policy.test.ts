import { VendorError, VendorRateLimitedError } from "@taskbridge/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { reliabilityPolicies } from "./reliability.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";
import { vendorPausePolicy } from "./vendor-pause-policy.ts";

let server: Scripted;
let clock: number;
let waits: number[];

beforeAll(async () => {
  server = await startScripted();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  clock = 1_000_000;
  waits = [];
});

const get: RequestSpec<unknown> = { operation: "getTask", method: "GET", path: "/t", schema: z.unknown() };
/** Records the wait and moves the clock past it, as a real sleep would. */
const sleep = async (ms: number) => {
  waits.push(ms);
  clock += ms;
};

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VendorError)) throw new Error(`expected a VendorError, got ${String(error)}`);
  return error;
}

describe("vendorPausePolicy", () => {
  it("after a vendor 429, holds the connection's next calls until Retry-After has passed", async () => {
    const http = createHttpClient({
      vendor: "cakewalk",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep })],
    });
    server.script(reply.json(429, {}, { "retry-after": "2" }));
    expect((await failure(http.request(get))).status).toBe(429);
    clock += 500;
    await http.request(get);
    expect(waits).toEqual([1_500]);
    expect(server.count()).toBe(2);
    await http.request(get);
    expect(waits).toEqual([1_500]);
  });

  it("answers RATE_LIMITED (vendor) at once, sending nothing, when the pause is longer than it may wait", async () => {
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep })],
    });
    server.script(reply.json(429, {}, { "retry-after": "3600" }));
    await failure(http.request(get));
    clock += 1_000;
    const error = await failure(http.request(get));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect((error as VendorRateLimitedError).limitedBy).toBe("vendor");
    expect(error.retryAfterMs).toBe(3_599_000);
    expect(error.status).toBeUndefined();
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("ignores 429s without a wait and other errors", async () => {
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep })],
    });
    server.script(reply.json(429), reply.json(503));
    await failure(http.request(get));
    await failure(http.request(get));
    await http.request(get);
    expect(waits).toEqual([]);
    expect(server.count()).toBe(3);
  });

  it("with the retry policy around it, a Retry-After storm is retried no sooner than it allows", async () => {
    const http = createHttpClient({
      vendor: "cakewalk",
      baseUrl: server.url,
      policies: reliabilityPolicies({
        retry: { sleep, now: () => clock, random: () => 0 },
        vendorPause: { sleep, now: () => clock },
        circuitBreaker: false,
      }),
    });
    server.script(reply.json(429, {}, { "retry-after": "2" }), reply.json(429, {}, { "retry-after": "1" }));
    await http.request(get);
    expect(server.count()).toBe(3);
    expect(waits).toEqual([2_000, 1_000]);
  });
});
