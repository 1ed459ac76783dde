import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  InvalidInputError,
  VendorContractViolationError,
  VendorError,
  VendorNotConfiguredError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, MAXSIGHT_CAPABILITIES } from "./client.ts";
import { expectedSeedTask, SEED_TASK_ID, seedTask } from "./test-support.ts";

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as is instead of JSON. */
  text?: string;
  /** Never answer (until the client gives up). */
  hang?: boolean;
}

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const API_KEY = "ms_unit_test_key_9f8e7d";
let server: Server;
let baseUrl: string;
let reply: Reply = { status: 200, body: seedTask() };
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (reply.hang) return;
    const body = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
    res.writeHead(reply.status, {
      ...(reply.text === undefined && reply.body !== undefined && { "content-type": "application/json" }),
      ...reply.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  received.length = 0;
  reply = { status: 200, body: seedTask() };
});

function client(overrides: Partial<Parameters<typeof createClient>[0]> = {}) {
  return createClient({ baseUrl, apiKey: API_KEY, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VendorError);
    expect((error as Error).message).not.toContain(API_KEY);
    return error as VendorError;
  }
  throw new Error("expected the call to fail");
}

describe("createClient", () => {
  it("is a read-only TaskSource for maxsight", () => {
    const c = client();
    expect(c.vendor).toBe("maxsight");
    expect(c.capabilities).toBe(MAXSIGHT_CAPABILITIES);
    expect(c.capabilities).toMatchObject({ createTask: false, personLookup: false, assigneeKinds: ["USER", "TEAM"] });
    expect("createTask" in c).toBe(false);
    expect("getPerson" in c).toBe(false);
  });

  it("throws VendorNotConfiguredError naming a missing apiKey", () => {
    expect(() => createClient({ baseUrl } as Parameters<typeof createClient>[0])).toThrow(VendorNotConfiguredError);
    expect(() => createClient({ baseUrl } as Parameters<typeof createClient>[0])).toThrow(/apiKey/);
  });
});

describe("getTask", () => {
  it("sends GET /v5/tasks/{id} with the apikey header and maps the answer", async () => {
    const c = client();
    await expect(c.getTask(SEED_TASK_ID)).resolves.toEqual(expectedSeedTask());
    await c.close();
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe("GET");
    expect(received[0]?.url).toBe(`/v5/tasks/${SEED_TASK_ID}`);
    expect(received[0]?.headers.apikey).toBe(API_KEY);
    expect(received[0]?.headers.authorization).toBeUndefined();
    expect(received[0]?.headers.accept).toBe("application/json");
  });

  it("sends an upper-case id in lowercase, and keeps a baseUrl path prefix", async () => {
    const c = client({ baseUrl: `${baseUrl}/proxy/` });
    await c.getTask(SEED_TASK_ID.toUpperCase());
    await c.close();
    expect(received[0]?.url).toBe(`/proxy/v5/tasks/${SEED_TASK_ID}`);
  });

  it("refuses a baseUrl that ends with /v5 at start, before any call", () => {
    expect(() => client({ baseUrl: `${baseUrl}/proxy/v5` })).toThrow(
      `must not end with the API version (/v5): the client adds it; give ${baseUrl}/proxy`,
    );
    expect(received).toHaveLength(0);
  });

  it("returns null on 404", async () => {
    reply = { status: 404, body: { message: "Task not found" } };
    const c = client();
    await expect(c.getTask(SEED_TASK_ID)).resolves.toBeNull();
    await c.close();
  });

  it("throws InvalidInputError for a malformed id without any request", async () => {
    const c = client();
    await expect(c.getTask("not-a-uuid")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(c.getTask(`${SEED_TASK_ID}/../x`)).rejects.toBeInstanceOf(InvalidInputError);
    await c.close();
    expect(received).toHaveLength(0);
  });

  it("maps 401 to VendorUnauthorizedError with the vendor's message and request id", async () => {
    reply = {
      status: 401,
      headers: { "x-request-id": "req_7f3a" },
      body: { message: `Invalid API key ${API_KEY}` },
    };
    const c = client();
    const error = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    expect(error).toBeInstanceOf(VendorUnauthorizedError);
    expect(error).toMatchObject({ kind: "unauthorized", vendor: "maxsight", status: 401, traceId: "req_7f3a" });
    expect(error.detail).toBe("Invalid API key [redacted]");
  });

  it("maps 401 with an unknown body shape or no body at all", async () => {
    const c = client();
    reply = { status: 401, body: { errors: [{ code: 42 }] } };
    const withBody = await failure(c.getTask(SEED_TASK_ID));
    reply = { status: 401, text: "Unauthorized", headers: { "content-type": "text/plain" } };
    const withText = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    for (const error of [withBody, withText]) {
      expect(error).toBeInstanceOf(VendorUnauthorizedError);
      expect(error.detail).toBeUndefined();
      expect(error.traceId).toBeUndefined();
    }
  });

  it.each([
    ["seconds", { "retry-after": "7" }, 7_000],
    ["legacy X-RateLimit-Reset-Secs", { "x-ratelimit-reset-secs": "12" }, 12_000],
    ["Retry-After over the legacy header", { "retry-after": "3", "x-ratelimit-reset-secs": "12" }, 3_000],
  ])("maps 429 to VendorRateLimitedError with the wait from %s", async (_name, headers, retryAfterMs) => {
    reply = { status: 429, headers, body: { message: "Too many requests" } };
    const c = client();
    const error = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs, retryable: true });
  });

  it("does not take the legacy reset for a wait while the window still has requests left", async () => {
    // Legacy responses carry both headers on every answer: a 503 with 57 requests left is not a 40 s rate-limit wait.
    reply = {
      status: 503,
      headers: { "x-ratelimit-remaining": "57", "x-ratelimit-reset-secs": "40" },
      body: { message: "Service unavailable" },
    };
    const c = client();
    const unavailable = await failure(c.getTask(SEED_TASK_ID));
    reply = { status: 429, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset-secs": "40" } };
    const limited = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    expect(unavailable).toBeInstanceOf(VendorUnavailableError);
    expect(unavailable.retryAfterMs).toBeUndefined();
    expect(limited).toBeInstanceOf(VendorRateLimitedError);
    expect(limited.retryAfterMs).toBe(40_000);
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    reply = { status: 429, headers: { "retry-after": at } };
    const c = client();
    // The wait is the date less the client's clock when the answer came: between these two readings of it.
    const before = Date.now();
    const error = await failure(c.getTask(SEED_TASK_ID));
    const after = Date.now();
    await c.close();
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(Date.parse(at) - after);
    expect(error.retryAfterMs).toBeLessThanOrEqual(Date.parse(at) - before);
  });

  it("maps 5xx with a non-JSON body to VendorUnavailableError", async () => {
    reply = { status: 503, text: "<html>upstream down</html>", headers: { "content-type": "text/html" } };
    const c = client();
    const error = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it.each([
    ["a body that breaks the schema", { ...seedTask(), status: 7 }],
    ["another task", { ...seedTask(), id: "0f8fad5b-d9cb-469f-a165-70867728950e" }],
    ["a JSON array", [seedTask()]],
  ])("answers a 200 with %s by VendorContractViolationError with the status", async (_name, body) => {
    reply = { status: 200, body };
    const c = client();
    const error = await failure(c.getTask(SEED_TASK_ID));
    await c.close();
    expect(error).toBeInstanceOf(VendorContractViolationError);
    expect(error.status).toBe(200);
  });

  it("answers a 200 with an unreadable created_at by the task, that field null with its problem", async () => {
    reply = { status: 200, body: { ...seedTask(), created_at: "24/08/2019" } };
    const c = client();
    const task = await c.getTask(SEED_TASK_ID);
    await c.close();
    expect([task?.id, task?.createdAt]).toEqual([SEED_TASK_ID, null]);
    expect(task?.problems?.createdAt).toMatchObject({ field: "created_at", status: 200 });
  });

  it("passes the caller's signal through", async () => {
    reply = { status: 200, hang: true };
    const c = client();
    const controller = new AbortController();
    const call = c.getTask(SEED_TASK_ID, { signal: controller.signal });
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await failure(call);
    await c.close();
    expect(error.kind).not.toBe("timeout");
  });
});
