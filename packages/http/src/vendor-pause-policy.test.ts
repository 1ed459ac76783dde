import { VendorRateLimitedError } from "@taskbridge/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { reliabilityPolicies } from "./reliability.ts";
import { failure } from "./test-support/failure.ts";
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
    server.script(reply.json(429, {}, { "retry-after": "120" }));
    await failure(http.request(get));
    clock += 1_000;
    const error = await failure(http.request(get));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect((error as VendorRateLimitedError).limitedBy).toBe("vendor");
    expect(error.retryAfterMs).toBe(119_000);
    expect(error.status).toBeUndefined();
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it.each([
    ["999999999 seconds", "999999999"],
    ["a date in year 9999", "Fri, 31 Dec 9999 23:59:59 GMT"],
  ])("reads a Retry-After of %s as at most maxPauseMs (default 5 min), then serves again", async (_name, value) => {
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep })],
    });
    server.script(reply.json(429, {}, { "retry-after": value }));
    const limited = await failure(http.request(get));
    expect(limited.status).toBe(429);
    expect(limited.retryAfterMs).toBe(300_000);
    clock += 60_000;
    expect((await failure(http.request(get))).retryAfterMs).toBe(240_000);
    clock += 240_000;
    await http.request(get);
    await http.request(get);
    expect(server.count()).toBe(3);
  });

  it("takes its cap from maxPauseMs", async () => {
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep, maxPauseMs: 30_000 })],
    });
    server.script(reply.json(429, {}, { "retry-after": "3600" }));
    expect((await failure(http.request(get))).retryAfterMs).toBe(30_000);
    clock += 30_000;
    await http.request(get);
  });

  it("after the pause lets one probe through; calls arriving meanwhile wait for its answer", async () => {
    const http = createHttpClient({
      vendor: "cakewalk",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep })],
    });
    server.script(reply.json(429, {}, { "retry-after": "1" }));
    await failure(http.request(get));
    clock += 1_000;
    const held = reply.held(200);
    server.script(held.reply);
    const probe = http.request(get);
    while (server.count() < 2) await new Promise((r) => setTimeout(r, 2));
    const others = [http.request(get), http.request(get)];
    await new Promise((r) => setTimeout(r, 50));
    expect(server.count()).toBe(2); // held back while the probe is out
    held.release();
    await Promise.all([probe, ...others]);
    expect(server.count()).toBe(4);
  });

  it("a probe answered with another 429 pauses the connection again, and the calls that waited for it too", async () => {
    const http = createHttpClient({
      vendor: "cakewalk",
      baseUrl: server.url,
      policies: [vendorPausePolicy({ now: () => clock, sleep, maxWaitMs: 1_000 })],
    });
    server.script(reply.json(429, {}, { "retry-after": "1" }));
    await failure(http.request(get));
    clock += 1_000;
    server.script(reply.json(429, {}, { "retry-after": "60" }));
    expect((await failure(http.request(get))).status).toBe(429);
    const refused = await failure(http.request(get));
    expect(refused).toMatchObject({ limitedBy: "vendor", retryAfterMs: 60_000, status: undefined });
    expect(server.count()).toBe(2);
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
