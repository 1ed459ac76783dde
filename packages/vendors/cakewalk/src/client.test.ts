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
import { createClient } from "./client.ts";
import reviewTask from "./fixtures/task.request-review.json" with { type: "json" };
import docsUser from "./fixtures/user.docs-example.json" with { type: "json" };

const TASK_ID = "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10";
const USER_ID = "123e4567-e89b-12d3-a456-426614174000";
const API_KEY = "ck_unit_key_0001";
const API_SECRET = "ck_unit_secret_0001";

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let baseUrl: string;
let reply: Reply = { status: 200, body: {} };
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const body =
      reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  seen.length = 0;
  reply = { status: 200, body: {} };
});

function client(overrides: { apiSecret?: string | undefined; baseUrl?: string } = {}) {
  return createClient({ baseUrl, apiKey: API_KEY, apiSecret: API_SECRET, ...overrides });
}

async function failure(call: Promise<unknown>): Promise<VendorError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof VendorError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("createClient", () => {
  it("declares what it can do", () => {
    const cakewalk = client();
    expect(cakewalk.vendor).toBe("cakewalk");
    expect(cakewalk.capabilities).toMatchObject({ createTask: false, personLookup: true, assigneeKinds: ["USER"] });
    expect("createTask" in cakewalk).toBe(false);
  });

  it("throws VendorNotConfiguredError naming a missing credential, never a value", () => {
    expect(() => createClient({ baseUrl, apiKey: "", apiSecret: API_SECRET })).toThrow(VendorNotConfiguredError);
    expect(() => createClient({ baseUrl, apiKey: undefined as unknown as string, apiSecret: API_SECRET })).toThrow(
      "✖ missing\n  → at apiKey",
    );
    const error = (() => {
      try {
        createClient({ baseUrl, apiKey: API_KEY, apiSecret: "   " });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(VendorNotConfiguredError);
    expect(error?.message).toMatch(/apiSecret/);
    expect(error?.message).not.toContain(API_KEY);
  });

  it("refuses a connection without apiSecret at start: Cakewalk requires X-API-SECRET on every call", () => {
    for (const apiSecret of [undefined, ""]) {
      const create = () => client({ apiSecret });
      expect(create).toThrow(VendorNotConfiguredError);
      expect(create).toThrow("cakewalk connection config is invalid:\n✖ missing\n  → at apiSecret");
    }
    expect(seen).toHaveLength(0);
  });

  it("rejects a base URL that is not http(s) or already ends with /api/v1, saying what to give instead", () => {
    expect(() => client({ baseUrl: "ftp://example.com" })).toThrow("✖ must be an http(s) URL\n  → at baseUrl");
    for (const version of ["/api/v1", "/api/v1/", "/API/V2"]) {
      expect(() => client({ baseUrl: `${baseUrl}/cakewalk${version}` })).toThrow(
        `must not end with the API version (${version.replace(/\/$/, "")}): the client adds it; give ${baseUrl}/cakewalk\n  → at baseUrl`,
      );
    }
  });
});

describe("getTask", () => {
  it("sends X-API-KEY and X-API-SECRET to GET /api/v1/Tasks/{id} and maps the envelope's data", async () => {
    reply = { status: 200, body: reviewTask };
    const task = await client().getTask(TASK_ID.toUpperCase());
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("GET");
    expect(seen[0]?.url).toBe(`/api/v1/Tasks/${TASK_ID}`);
    expect(seen[0]?.headers["x-api-key"]).toBe(API_KEY);
    expect(seen[0]?.headers["x-api-secret"]).toBe(API_SECRET);
    expect(seen[0]?.headers.accept).toBe("application/json");
    expect(task?.id).toBe(TASK_ID);
    expect(task?.status).toBe("TODO");
    expect(task?.raw).toEqual(reviewTask.data);
  });

  it("keeps a path prefix of the base URL (proxies, test servers)", async () => {
    reply = { status: 200, body: reviewTask };
    await client({ baseUrl: `${baseUrl}/cakewalk/` }).getTask(TASK_ID);
    expect(seen[0]?.url).toBe(`/cakewalk/api/v1/Tasks/${TASK_ID}`);
  });

  it("returns null on 404", async () => {
    reply = {
      status: 404,
      body: { type: "https://tools.ietf.org/html/rfc9110#section-15.5.5", title: "Not Found", status: 404 },
    };
    expect(await client().getTask(TASK_ID)).toBeNull();
  });

  it("throws InvalidInputError for a malformed id without any request", async () => {
    await expect(client().getTask("not-a-uuid")).rejects.toThrow(InvalidInputError);
    await expect(client().getTask("../Users/x")).rejects.toThrow(InvalidInputError);
    expect(seen).toHaveLength(0);
  });

  it("maps 401 problem details to VendorUnauthorizedError with detail and traceId, scrubbing credentials", async () => {
    reply = {
      status: 401,
      headers: { "content-type": "application/problem+json", "request-id": "req-from-header" },
      body: {
        type: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        title: "Unauthorized",
        status: 401,
        detail: `API key ${API_KEY} is not valid`,
        traceId: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
      },
    };
    const error = await failure(client().getTask(TASK_ID));
    expect(error).toBeInstanceOf(VendorUnauthorizedError);
    expect(error.status).toBe(401);
    expect(error.traceId).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    expect(error.detail).toBe("API key [redacted] is not valid");
    expect(error.message).not.toContain(API_KEY);
    expect(JSON.stringify(error)).not.toContain(API_SECRET);
  });

  it("falls back to the problem title, and reads no trace id from undocumented headers", async () => {
    reply = {
      status: 503,
      headers: { "request-id": "req-1", "x-correlation-id": "corr-1" },
      body: { title: "Service Unavailable", status: 503 },
    };
    const error = await failure(client().getTask(TASK_ID));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error.detail).toBe("Service Unavailable");
    expect(error.traceId).toBeUndefined();
  });

  it("survives an error body that is not problem details", async () => {
    reply = { status: 500, headers: { "content-type": "text/plain" }, body: "upstream exploded" };
    const error = await failure(client().getTask(TASK_ID));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error.detail).toBeUndefined();
  });

  it("maps 429 to VendorRateLimitedError with Retry-After seconds", async () => {
    reply = { status: 429, headers: { "retry-after": "30" }, body: { title: "Too Many Requests", status: 429 } };
    const error = await failure(client().getTask(TASK_ID));
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error.retryAfterMs).toBe(30_000);
    expect((error as InstanceType<typeof VendorRateLimitedError>).limitedBy).toBe("vendor");
    expect(error.retryable).toBe(true);
  });

  it("maps 429 with Retry-After as an HTTP date", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    reply = { status: 429, headers: { "retry-after": at } };
    // The wait is the date less the client's clock when the answer came: between these two readings of it.
    const before = Date.now();
    const error = await failure(client().getTask(TASK_ID));
    const after = Date.now();
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(Date.parse(at) - after);
    expect(error.retryAfterMs).toBeLessThanOrEqual(Date.parse(at) - before);
  });

  it("treats a 200 without the data envelope as a contract violation", async () => {
    reply = { status: 200, body: reviewTask.data };
    await expect(client().getTask(TASK_ID)).rejects.toThrow(VendorContractViolationError);
  });

  it("an unreadable timestamp costs that field only, with the answer's status", async () => {
    reply = { status: 200, body: { ...reviewTask, data: { ...reviewTask.data, lastUpdatedAt: "yesterday" } } };
    const task = await client().getTask(TASK_ID);
    expect(task?.updatedAt).toBeNull();
    expect(task?.createdAt).toBe("2026-03-20T18:35:10.209Z");
    expect(task?.problems?.updatedAt).toMatchObject({ field: "lastUpdatedAt", status: 200 });
  });

  it("an answer about another task is a contract violation with the answer's status", async () => {
    const other = "0f8fad5b-d9cb-469f-a165-70867728950e";
    reply = { status: 200, body: { ...reviewTask, data: { ...reviewTask.data, id: other } } };
    await expect(client().getTask(TASK_ID)).rejects.toMatchObject({
      kind: "contract_violation",
      field: "id",
      status: 200,
    });
  });

  it("passes the caller's signal through", async () => {
    reply = { status: 200, body: reviewTask };
    const controller = new AbortController();
    controller.abort();
    await expect(client().getTask(TASK_ID, { signal: controller.signal })).rejects.toBeInstanceOf(VendorError);
    expect(seen).toHaveLength(0);
  });
});

describe("getPerson", () => {
  it("sends both credentials to GET /api/v1/Users/{id} and maps the user", async () => {
    reply = { status: 200, body: docsUser };
    const person = await client().getPerson(USER_ID);
    expect(seen[0]?.url).toBe(`/api/v1/Users/${USER_ID}`);
    expect(seen[0]?.headers["x-api-key"]).toBe(API_KEY);
    expect(seen[0]?.headers["x-api-secret"]).toBe(API_SECRET);
    expect(person).toMatchObject({
      vendor: "cakewalk",
      id: USER_ID,
      kind: "USER",
      displayName: "text",
      roles: ["User"],
    });
  });

  it("returns null on 404", async () => {
    reply = { status: 404, body: { title: "Not Found", status: 404 } };
    expect(await client().getPerson(USER_ID)).toBeNull();
  });

  it("throws InvalidInputError for a malformed id without any request", async () => {
    await expect(client().getPerson("usr_123")).rejects.toThrow(InvalidInputError);
    expect(seen).toHaveLength(0);
  });

  it("maps 401 to VendorUnauthorizedError", async () => {
    reply = { status: 401, body: { title: "Unauthorized", status: 401 } };
    await expect(client().getPerson(USER_ID)).rejects.toThrow(VendorUnauthorizedError);
  });
});
