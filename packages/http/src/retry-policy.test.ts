import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { abortedByCaller } from "./errors.ts";
import { requestDeadline } from "./request-deadline.ts";
import { type RetryOptions, retryPolicy } from "./retry-policy.ts";
import { failure } from "./test-support/failure.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";

let server: Scripted;
let waits: number[];

beforeAll(async () => {
  server = await startScripted();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  waits = [];
});

/** Records each wait and returns at once: the tests check the schedule, not the clock. */
const recordSleep = async (ms: number) => {
  waits.push(ms);
};

function client(retry: RetryOptions = {}, totalMs = 10_000) {
  return createHttpClient({
    vendor: "maxai",
    baseUrl: server.url,
    timeouts: { totalMs },
    policies: [retryPolicy({ random: () => 1, sleep: recordSleep, ...retry })],
  });
}

const get: RequestSpec<unknown> = { operation: "getTask", method: "GET", path: "/t", schema: z.unknown() };

describe("retryPolicy", () => {
  it("retries a GET on 5xx with exponential backoff until it succeeds", async () => {
    server.script(reply.json(503), reply.json(500));
    const response = await client().request(get);
    expect(response.status).toBe(200);
    expect(server.count()).toBe(3);
    expect(waits).toEqual([50, 100]);
  });

  it("draws each wait with full jitter below the doubling cap", async () => {
    server.script(reply.json(503), reply.json(503));
    await client({ random: () => 0.5, baseDelayMs: 40 }).request(get);
    expect(waits).toEqual([20, 40]);
  });

  it("gives up after maxAttempts (default 4) with the last error", async () => {
    server.script(reply.json(503), reply.json(503), reply.json(503), reply.json(502));
    const error = await failure(client().request(get));
    expect(error.status).toBe(502);
    expect(server.count()).toBe(4);
    expect(waits).toEqual([50, 100, 200]);
  });

  it("retries network errors", async () => {
    server.script(reply.reset());
    await client().request(get);
    expect(server.count()).toBe(2);
  });

  it("never retries a POST without an idempotency key", async () => {
    server.script(reply.json(503));
    const error = await failure(client().request({ ...get, method: "POST", body: {} }));
    expect(error.kind).toBe("unavailable");
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it.each([
    ["503", reply.json(503)],
    ["a connection reset", reply.reset()],
  ])(
    "never retries a POST that carries our idempotency key on %s: the vendor may have created it",
    async (_, first) => {
      server.script(first);
      const error = await failure(client().request({ ...get, method: "POST", body: {}, idempotencyKey: "k-1" }));
      expect(["unavailable", "network"]).toContain(error.kind);
      expect(server.count()).toBe(1);
      expect(waits).toEqual([]);
    },
  );

  it("retries a POST whose key the vendor honours (idempotencyHeader), sending the key on every attempt", async () => {
    server.script(reply.json(503));
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      idempotencyHeader: "Idempotency-Key",
      policies: [retryPolicy({ random: () => 1, sleep: recordSleep })],
    });
    await http.request({ ...get, method: "POST", body: {}, idempotencyKey: "k-2" });
    expect(server.count()).toBe(2);
    expect(server.seen.map((r) => r.headers["idempotency-key"])).toEqual(["k-2", "k-2"]);
  });

  it("retries a POST that only reads (readOnly), like a GET", async () => {
    server.script(reply.json(503));
    await client().request({ ...get, method: "POST", body: { q: 1 }, readOnly: true });
    expect(server.count()).toBe(2);
    expect(server.seen.map((r) => r.body)).toEqual(['{"q":1}', '{"q":1}']);
  });

  it("plans waits within a requestDeadline() signal: a Retry-After beyond it fails at once", async () => {
    server.script(reply.json(429, {}, { "retry-after": "2" }));
    const error = await failure(client().request({ ...get, signal: requestDeadline(1_000) }));
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(2_000);
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it.each([400, 401, 404, 409, 422])("does not retry HTTP %i", async (status) => {
    server.script(reply.json(status));
    await failure(client().request(get));
    expect(server.count()).toBe(1);
  });

  it("does not retry a contract violation", async () => {
    server.script((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>"));
    const error = await failure(client().request(get));
    expect(error.kind).toBe("contract_violation");
    expect(server.count()).toBe(1);
  });

  it("never retries sooner than Retry-After", async () => {
    server.script(reply.json(429, {}, { "retry-after": "1" }));
    await client({ random: () => 0 }).request(get);
    expect(waits).toEqual([1_000]);
    expect(server.count()).toBe(2);
  });

  it("answers RATE_LIMITED at once when Retry-After is beyond the wait cap", async () => {
    server.script(reply.json(429, {}, { "retry-after": "3600" }));
    const error = await failure(client().request(get));
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("does not wait past the call's deadline", async () => {
    server.script(reply.json(429, {}, { "retry-after": "2" }));
    const error = await failure(client({}, 1_000).request(get));
    expect(error.kind).toBe("rate_limited");
    expect(server.count()).toBe(1);
    expect(waits).toEqual([]);
  });

  it("stops when the total wait would exceed maxTotalWaitMs", async () => {
    server.script(reply.json(503), reply.json(503), reply.json(503));
    const error = await failure(client({ baseDelayMs: 200, maxAttempts: 5, maxTotalWaitMs: 500 }).request(get));
    expect(error.status).toBe(503);
    expect(waits).toEqual([200]);
    expect(server.count()).toBe(2);
  });

  it("stops waiting as soon as the caller aborts", async () => {
    server.script(reply.json(503));
    const controller = new AbortController();
    // The real sleep, with a wait far beyond the test's timeout: only a prompt abort lets this test finish.
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: server.url,
      timeouts: { totalMs: 600_000 },
      policies: [
        retryPolicy({
          random: () => 1,
          baseDelayMs: 300_000,
          maxDelayMs: 300_000,
          maxTotalWaitMs: 300_000,
          onRetry: () => queueMicrotask(() => controller.abort()),
        }),
      ],
    });
    const error = await failure(http.request({ ...get, signal: controller.signal }));
    expect(abortedByCaller(error)).toBe(true);
    expect(server.count()).toBe(1);
  });
});
