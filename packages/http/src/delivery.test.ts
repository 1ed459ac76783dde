import {
  InvalidInputError,
  VendorContractViolationError,
  VendorError,
  VendorNetworkError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient } from "./client.ts";
import { provenNotApplied } from "./delivery.ts";
import { CircuitOpenError, UnsentRequestError } from "./errors.ts";
import { MemoryStore } from "./memory-store.ts";
import { rateBudgetPolicy } from "./rate-budget-policy.ts";
import { createRequestDeadline } from "./request-deadline.ts";
import { sleep } from "./sleep.ts";
import { reply, type Scripted, startScripted } from "./test-support/scripted.ts";

let server: Scripted;
beforeAll(async () => {
  server = await startScripted();
});
afterAll(() => server.close());

const post = { operation: "createTask", method: "POST", path: "/t", body: {}, schema: z.unknown() } as const;

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("provenNotApplied", () => {
  it("is true for answers that refuse (4xx, 429 included) and false for 5xx and unreadable 2xx", async () => {
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url });
    server.script(reply.json(422), reply.json(429, {}, { "retry-after": "1" }), reply.json(503), (_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end("{"),
    );
    expect(provenNotApplied(await errorOf(http.request(post)))).toBe(true);
    expect(provenNotApplied(await errorOf(http.request(post)))).toBe(true);
    expect(provenNotApplied(await errorOf(http.request(post)))).toBe(false);
    expect(provenNotApplied(await errorOf(http.request(post)))).toBe(false);
  });

  it("is false for a reset after sending, true for a refused connection", async () => {
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url });
    server.script(reply.reset());
    expect(provenNotApplied(await errorOf(http.request(post)))).toBe(false);
    const closed = createHttpClient({ vendor: "capy", baseUrl: "http://127.0.0.1:1" });
    const refused = await errorOf(closed.request(post));
    expect(refused).toBeInstanceOf(VendorNetworkError);
    expect(provenNotApplied(refused)).toBe(true);
  });

  it("is true for a request undici refuses to send (a header value with CR LF), which is no vendor failure", async () => {
    const http = createHttpClient({ vendor: "maxsight", baseUrl: server.url, headers: { apikey: "ak_SECRET_77e2" } });
    const before = server.count();
    const refused = await errorOf(
      http.request({ ...post, method: "PUT", headers: { "if-match": "2026-03-13T19:04:13Z\r\nX-Evil: 1" } }),
    );
    expect(refused).toBeInstanceOf(UnsentRequestError);
    expect(refused).not.toBeInstanceOf(VendorError);
    expect(refused).toMatchObject({ vendor: "maxsight", operation: "createTask", code: "UND_ERR_INVALID_ARG" });
    expect(JSON.stringify(refused)).not.toContain("ak_SECRET_77e2");
    expect(provenNotApplied(refused)).toBe(true);
    expect(server.count()).toBe(before);
  });

  it("a write whose caller leaves while the rate budget holds it is not sent, and proven so", async () => {
    // One slot a minute, taken below: the write waits for the next (up to 30 s), and its caller leaves meanwhile.
    let waiting: () => void = () => {};
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const budget = rateBudgetPolicy({
      store: new MemoryStore(),
      key: "capy:one",
      limit: 1,
      windowMs: 60_000,
      maxWaitMs: 60_000,
      sleep: (ms, signal) => {
        waiting();
        return sleep(ms, signal);
      },
    });
    const http = createHttpClient({
      vendor: "capy",
      baseUrl: server.url,
      timeouts: { totalMs: 60_000 },
      policies: [budget],
    });
    await http.request({ ...post, method: "GET", body: undefined });
    const before = server.count();
    const deadline = createRequestDeadline(60_000);
    const write = errorOf(http.request({ ...post, signal: deadline.writeSignal() }));
    await waited;
    deadline.abort(new DOMException("The client went away", "AbortError"));
    const error = await write;
    deadline.dispose();
    expect(error).toMatchObject({ kind: "network", detail: "aborted by the caller" });
    expect(provenNotApplied(error)).toBe(true);
    expect(server.count()).toBe(before);
  });

  it("a write already sent when its caller leaves is seen through: its answer, not an abort", async () => {
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url });
    const held = reply.held(201);
    server.script(held.reply);
    const before = server.count();
    const deadline = createRequestDeadline(10_000);
    const write = http.request({ ...post, signal: deadline.writeSignal() });
    while (server.count() === before) await new Promise((r) => setTimeout(r, 5));
    deadline.abort(new DOMException("The client went away", "AbortError"));
    held.release();
    expect(await write).toMatchObject({ status: 201 });
    deadline.dispose();
  });

  it("is false for a plain caller's abort after sending: the vendor may have acted", async () => {
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url });
    const held = reply.held(201);
    server.script(held.reply);
    const before = server.count();
    const caller = new AbortController();
    const write = errorOf(http.request({ ...post, signal: caller.signal }));
    while (server.count() === before) await new Promise((r) => setTimeout(r, 5));
    caller.abort();
    const error = await write;
    held.release();
    expect(error).toMatchObject({ kind: "network", detail: "aborted by the caller" });
    expect(provenNotApplied(error)).toBe(false);
  });

  it("is true for refusals raised before sending, false for anything ambiguous", () => {
    expect(provenNotApplied(new InvalidInputError("noteId", "bad"))).toBe(true);
    expect(provenNotApplied(new VendorRateLimitedError("maxai", "x", { limitedBy: "taskbridge" }))).toBe(true);
    expect(provenNotApplied(new CircuitOpenError("maxai", "createTask", 1_000))).toBe(true);
    // Only our breaker's refusal proves it: a transport failure that merely says so does not.
    expect(provenNotApplied(new VendorUnavailableError("maxai", "x", { detail: "circuit open" }))).toBe(false);
    expect(provenNotApplied(new VendorTimeoutError("maxai", "x", { detail: "connect timeout" }))).toBe(true);
    expect(provenNotApplied(new VendorTimeoutError("maxai", "x", { detail: "headers timeout" }))).toBe(false);
    expect(provenNotApplied(new VendorTimeoutError("maxai", "x", { detail: "total deadline" }))).toBe(false);
    expect(provenNotApplied(new VendorContractViolationError("maxai", "x", { status: 200 }))).toBe(false);
    expect(provenNotApplied(new Error("mapping failed"))).toBe(false);
  });
});
