import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type CircuitBreakerOptions, circuitBreakerPolicy } from "./circuit-breaker-policy.ts";
import { createHttpClient, type RequestSpec } from "./client.ts";
import { failure } from "./test-support/failure.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";

let server: Scripted;
let clock: number;

beforeAll(async () => {
  server = await startScripted();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  clock = 1_000_000;
});

const get: RequestSpec<unknown> = { operation: "getTask", method: "GET", path: "/t", schema: z.unknown() };

function setup(options: CircuitBreakerOptions = {}) {
  const breaker = circuitBreakerPolicy({
    minimumAttempts: 3,
    failureRatio: 0.5,
    windowMs: 1_000,
    cooldownMs: 5_000,
    now: () => clock,
    ...options,
  });
  const http = createHttpClient({ vendor: "maxsight", baseUrl: server.url, policies: [breaker] });
  return { breaker, http };
}

async function trip(http: ReturnType<typeof setup>["http"], times = 3) {
  for (let i = 0; i < times; i += 1) {
    server.script(reply.json(503));
    await failure(http.request(get));
  }
}

describe("circuitBreakerPolicy", () => {
  it("opens once failures reach failureRatio of at least minimumAttempts, then refuses at once, sending nothing", async () => {
    const { breaker, http } = setup();
    await trip(http);
    expect(breaker.state()).toBe("open");
    clock += 1_000;
    const error = await failure(http.request(get));
    expect(error.kind).toBe("unavailable");
    expect(error.detail).toBe("circuit open");
    expect(error.message).toBe("maxsight getTask: circuit open");
    expect(error.retryAfterMs).toBe(4_000);
    expect(error.status).toBeUndefined();
    expect(server.count()).toBe(3);
  });

  it("counts network errors and timeouts too", async () => {
    const { breaker, http } = setup({ minimumAttempts: 2 });
    server.script(reply.reset(), reply.json(408));
    await failure(http.request(get));
    await failure(http.request(get));
    expect(breaker.state()).toBe("open");
  });

  it("stays closed under a steady 10% failure rate, whatever the volume", async () => {
    const { breaker, http } = setup({ minimumAttempts: 10, windowMs: 10_000 });
    for (let i = 0; i < 100; i += 1) {
      if (i % 10 === 3) server.script(reply.json(503));
      await http.request(get).catch(() => undefined);
      clock += 7;
    }
    expect(breaker.state()).toBe("closed");
    expect(server.count()).toBe(100);
  });

  it("needs minimumAttempts in the window: two failures out of two do not open it", async () => {
    const { breaker, http } = setup();
    await trip(http, 2);
    expect(breaker.state()).toBe("closed");
  });

  it("opens at exactly failureRatio: 5 failures among 10 attempts", async () => {
    const { breaker, http } = setup({ minimumAttempts: 10 });
    for (let i = 0; i < 9; i += 1) {
      if (i % 2 === 0) server.script(reply.json(503));
      await http.request(get).catch(() => undefined);
    }
    expect(breaker.state()).toBe("closed"); // 5 of 9: not enough attempts yet
    await http.request(get);
    expect(breaker.state()).toBe("open");
  });

  it("reports every transition", async () => {
    const states: string[] = [];
    const { http } = setup({ onStateChange: (state) => states.push(state) });
    await trip(http);
    clock += 5_000;
    await http.request(get);
    expect(states).toEqual(["open", "half-open", "closed"]);
  });

  it("does not count 4xx answers as failures", async () => {
    const { breaker, http } = setup();
    for (const status of [400, 401, 404, 409, 429]) {
      server.script(reply.json(status));
      await failure(http.request(get));
    }
    expect(breaker.state()).toBe("closed");
    expect(server.count()).toBe(5);
  });

  it("forgets failures older than windowMs", async () => {
    const { breaker, http } = setup();
    await trip(http, 2);
    clock += 1_001;
    await trip(http, 1);
    expect(breaker.state()).toBe("closed");
  });

  it("after the cooldown lets one probe through; its success closes the circuit", async () => {
    const { breaker, http } = setup();
    await trip(http);
    clock += 5_000;
    const held = reply.held(200);
    server.script(held.reply);
    const probe = http.request(get);
    while (server.count() < 4) await new Promise((r) => setTimeout(r, 2));
    expect(breaker.state()).toBe("half-open");
    const refused = await failure(http.request(get));
    expect(refused.detail).toBe("circuit open");
    expect(server.count()).toBe(4);
    held.release();
    await probe;
    expect(breaker.state()).toBe("closed");
    await http.request(get);
    expect(server.count()).toBe(5);
  });

  it("a failed probe opens the circuit for a full cooldown again", async () => {
    const { breaker, http } = setup();
    await trip(http);
    clock += 6_000;
    server.script(reply.json(500));
    await failure(http.request(get));
    expect(breaker.state()).toBe("open");
    expect((await failure(http.request(get))).retryAfterMs).toBe(5_000);
    expect(server.count()).toBe(4);
  });

  it("a 4xx probe proves the vendor is up and closes the circuit", async () => {
    const { breaker, http } = setup();
    await trip(http);
    clock += 5_000;
    server.script(reply.json(404));
    await failure(http.request(get));
    expect(breaker.state()).toBe("closed");
  });

  it("does not count calls the caller cancelled", async () => {
    const { breaker, http } = setup({ minimumAttempts: 1 });
    const controller = new AbortController();
    server.script(() => {
      controller.abort();
    });
    await failure(http.request({ ...get, signal: controller.signal }));
    expect(breaker.state()).toBe("closed");
  });

  it("keeps separate state per instance (one per vendor connection)", async () => {
    const first = setup();
    const second = setup();
    await trip(first.http);
    expect(first.breaker.state()).toBe("open");
    expect(second.breaker.state()).toBe("closed");
    await second.http.request(get);
  });

  it("turns half-open when its cooldown ends, also with no call to notice it (readiness and metrics hear it)", async () => {
    const states: string[] = [];
    // The real clock: nothing calls the breaker after it opens.
    const { breaker, http } = setup({ now: Date.now, cooldownMs: 50, onStateChange: (state) => states.push(state) });
    await trip(http);
    expect(breaker.state()).toBe("open");
    const end = Date.now() + 5_000;
    while (breaker.state() === "open" && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(breaker.state()).toBe("half-open");
    expect(states).toEqual(["open", "half-open"]);
    expect(server.count()).toBe(3);
    // The next call is the probe, as before.
    server.script(reply.json(200, {}));
    await http.request(get);
    expect(states).toEqual(["open", "half-open", "closed"]);
  });
});
