import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { abortedByCaller } from "@taskbridge/http";
import {
  InvalidInputError,
  type MaxAiCreateTaskInput,
  VendorBadRequestError,
  VendorContractViolationError,
  type VendorError,
  VendorForbiddenError,
  VendorNotConfiguredError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, type MaxAiClient } from "./client.ts";
import createTaskV4 from "./fixtures/create-task-v4.json" with { type: "json" };
import getProviderV4 from "./fixtures/get-provider-v4.json" with { type: "json" };
import getTaskV2 from "./fixtures/get-task-v2.json" with { type: "json" };

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const API_KEY = "max_dev_ak_unit_secret_value";
const ORG = "org_unit_test";
const TASK_UUID = "a1b2c3d4-5678-4abc-9def-0123456789ab";
const TASK_V4 = "tsk_a1b2c3d456784abc9def0123456789ab";
const PROVIDER_V4 = "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a";

// A real HTTP server on loopback: each test says what it answers and reads what it was sent.
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: (request: Seen) => Reply = () => ({ status: 500 });
const clients: MaxAiClient[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(request);
      const { status, headers = {}, body } = reply(request);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  seen = [];
});
afterAll(async () => {
  server.close();
  await once(server, "close");
});

function client(overrides: Partial<Parameters<typeof createClient>[0]> = {}): MaxAiClient {
  const created = createClient({ baseUrl, apiKey: API_KEY, organizationId: ORG, ...overrides });
  clients.push(created);
  return created;
}

function error(code: string, message: string, traceId = "550e8400-e29b-41d4-a716-446655440000") {
  return { code, message, trace_id: traceId };
}

async function failure(call: Promise<unknown>): Promise<VendorError> {
  try {
    await call;
  } catch (thrown) {
    return thrown as VendorError;
  }
  throw new Error("expected the call to fail");
}

const createInput: MaxAiCreateTaskInput = {
  vendor: "maxai",
  noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
  providerId: "D4E5F6A7-B8C9-4D0E-1F2A-3B4C5D6E7F8A",
  notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
  assigneeIds: [PROVIDER_V4, "d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a"],
};

describe("requests", () => {
  it("getTask sends both credentials and asks v2 with the dashed UUID, whatever form it was given", async () => {
    reply = () => ({ status: 200, body: getTaskV2 });
    const task = await client().getTask(TASK_V4);
    await client().getTask(TASK_UUID.toUpperCase());
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /v2/tasks/${TASK_UUID}`,
      `GET /v2/tasks/${TASK_UUID}`,
    ]);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]?.headers["x-organization-id"]).toBe(ORG);
    expect(task).toMatchObject({
      id: TASK_V4,
      status: "TODO",
      details: { noteId: "nte_3cc73cb69c59403ca9108af6c5693b25" },
    });
  });

  it("keeps a path prefix of the base URL (a proxy or gateway)", async () => {
    reply = () => ({ status: 200, body: getTaskV2 });
    await client({ baseUrl: `${baseUrl}/gateway/maxai/` }).getTask(TASK_V4);
    expect(seen[0]?.url).toBe(`/gateway/maxai/v2/tasks/${TASK_UUID}`);
  });

  it("createTask posts v4 ids and returns the canonical task; the idempotency key stays off the wire", async () => {
    reply = () => ({ status: 200, body: createTaskV4 });
    const task = await client().createTask(createInput, { idempotencyKey: "create-1" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v4/tasks" });
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]?.headers["x-organization-id"]).toBe(ORG);
    expect(Object.keys(seen[0]?.headers ?? {}).filter((h) => h.includes("idempotency"))).toEqual([]);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      noteId: "nte_3cc73cb69c59403ca9108af6c5693b25",
      providerId: PROVIDER_V4,
      notes: createInput.notes,
      assigneeIds: [PROVIDER_V4, PROVIDER_V4],
    });
    expect(task).toMatchObject({ vendor: "maxai", id: TASK_V4, assignees: [{ id: PROVIDER_V4, kind: "PROVIDER" }] });
  });

  it("getPerson asks v4 with the prv_ id and maps the provider", async () => {
    reply = () => ({ status: 200, body: getProviderV4 });
    const person = await client().getPerson("d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a");
    expect(seen[0]?.url).toBe(`/v4/providers/${PROVIDER_V4}`);
    expect(person).toMatchObject({
      id: PROVIDER_V4,
      kind: "PROVIDER",
      displayName: "Dr. James Wilson, MD",
      email: null,
    });
  });

  it("a 404 is null for getTask and getPerson", async () => {
    reply = () => ({ status: 404, body: error("not_found", "Resource not found") });
    expect(await client().getTask(TASK_V4)).toBeNull();
    expect(await client().getPerson(PROVIDER_V4)).toBeNull();
    expect(seen).toHaveLength(2);
  });

  it("passes the caller's signal through", async () => {
    reply = () => ({ status: 200, body: getTaskV2 });
    const aborted = AbortSignal.abort();
    const error = await failure(client().getTask(TASK_V4, { signal: aborted }));
    expect(abortedByCaller(error)).toBe(true);
    expect(error.message).toBe("maxai getTask: aborted by the caller");
    expect(seen).toHaveLength(0);
  });
});

describe("input checked before any request", () => {
  it.each(["../admin", "%2e%2e", "a/b?c=1", "", "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a", "tsk_123"])(
    "getTask(%j) → InvalidInputError",
    async (id) => {
      await expect(client().getTask(id)).rejects.toBeInstanceOf(InvalidInputError);
      expect(seen).toHaveLength(0);
    },
  );

  it("getPerson with a task id → InvalidInputError", async () => {
    await expect(client().getPerson(TASK_V4)).rejects.toMatchObject({ name: "InvalidInputError", field: "id" });
    expect(seen).toHaveLength(0);
  });

  it.each([
    [{ noteId: "../admin" }, "noteId"],
    [{ providerId: TASK_V4 }, "providerId"],
    [{ assigneeIds: [PROVIDER_V4, "nte_3cc73cb69c59403ca9108af6c5693b25"] }, "assigneeIds.1"],
    [{ assigneeIds: [] }, "assigneeIds"],
    [{ notes: "  " }, "notes"],
  ] as const)("createTask with %j → InvalidInputError on %s", async (change, field) => {
    const input = { ...createInput, ...change } as MaxAiCreateTaskInput;
    await expect(client().createTask(input)).rejects.toMatchObject({ name: "InvalidInputError", field });
    expect(seen).toHaveLength(0);
  });
});

describe("configuration", () => {
  it.each(["apiKey", "organizationId"] as const)("a missing %s is VendorNotConfiguredError naming it", (field) => {
    for (const value of [undefined, "", "   "]) {
      const config = { baseUrl, apiKey: API_KEY, organizationId: ORG, [field]: value };
      expect(() => createClient(config as Parameters<typeof createClient>[0])).toThrow(
        expect.objectContaining({ name: "VendorNotConfiguredError", message: expect.stringContaining(field) }),
      );
    }
  });

  it("never shows a credential in a configuration error", () => {
    let thrown: unknown;
    try {
      createClient({ baseUrl: "not a url", apiKey: API_KEY, organizationId: ORG });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VendorNotConfiguredError);
    expect(String((thrown as Error).message)).toContain("baseUrl");
    expect(JSON.stringify(thrown) + (thrown as Error).message).not.toContain(API_KEY);
  });

  it("rejects a base URL that already names an API version", () => {
    expect(() => client({ baseUrl: "https://api.maxcare.ai/v2" })).toThrow(VendorNotConfiguredError);
  });

  it.each([
    ["https://api.maxcare.ai/v2", "/v2", "https://api.maxcare.ai"],
    ["https://api.maxcare.ai/v4/", "/v4", "https://api.maxcare.ai"],
    ["https://gateway.example/maxai/v2", "/v2", "https://gateway.example/maxai"],
  ])("refuses the base URL %s at start, saying what to give instead", (url, version, instead) => {
    expect(() => client({ baseUrl: url })).toThrow(
      `must not end with the API version (${version}): the client adds it; give ${instead}\n  → at baseUrl`,
    );
    expect(seen).toHaveLength(0);
  });

  it("defaults to the production origin", async () => {
    // No request is made: only the factory's validation of the default base URL is exercised.
    const production = createClient({ apiKey: API_KEY, organizationId: ORG });
    await production.close();
    expect(production.vendor).toBe("maxai");
  });

  it("declares its capabilities", () => {
    expect(client().capabilities).toMatchObject({ createTask: true, personLookup: true, assigneeKinds: ["PROVIDER"] });
  });
});

describe("errors", () => {
  it.each([
    [400, "bad_request", "note nte_… does not exist", VendorBadRequestError],
    [401, "unauthorized", "Invalid or missing API key", VendorUnauthorizedError],
    [403, "forbidden", "Insufficient scope", VendorForbiddenError],
    [500, "internal_error", "boom", VendorUnavailableError],
  ] as const)("%i %s → %s with trace id and message", async (status, code, message, Class) => {
    reply = () => ({ status, body: error(code, message, "trace-123") });
    const thrown = await failure(client().createTask(createInput));
    expect(thrown).toBeInstanceOf(Class);
    expect(thrown).toMatchObject({ vendor: "maxai", status, traceId: "trace-123", detail: message });
  });

  it("the error code wins over the status when they disagree", async () => {
    reply = () => ({ status: 400, body: error("rate_limit_exceeded", "slow down") });
    expect(await failure(client().getTask(TASK_V4))).toBeInstanceOf(VendorRateLimitedError);
  });

  it("a 429 keeps Retry-After (seconds)", async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 600);
    reply = () => ({
      status: 429,
      headers: {
        "retry-after": "17",
        "x-ratelimit-limit": "1000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": reset,
      },
      body: error("rate_limit_exceeded", "Rate limit exceeded. Maximum 1000 requests per 60 seconds.", "t-429"),
    });
    const thrown = await failure(client().getTask(TASK_V4));
    expect(thrown).toBeInstanceOf(VendorRateLimitedError);
    expect(thrown).toMatchObject({ kind: "rate_limited", retryAfterMs: 17_000, traceId: "t-429", retryable: true });
  });

  it("a 429 without Retry-After falls back to X-RateLimit-Reset (Unix seconds)", async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    reply = () => ({
      status: 429,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: error("rate_limit_exceeded", "Rate limit exceeded"),
    });
    // The wait is the reset less the client's clock when the answer came: between these two readings of it.
    const before = Date.now();
    const thrown = await failure(client().getPerson(PROVIDER_V4));
    const after = Date.now();
    expect(thrown).toBeInstanceOf(VendorRateLimitedError);
    expect(thrown.retryAfterMs).toBeGreaterThanOrEqual(reset * 1000 - after);
    expect(thrown.retryAfterMs).toBeLessThanOrEqual(reset * 1000 - before);
  });

  it("X-RateLimit-Reset is no wait hint while requests remain", async () => {
    reply = () => ({
      status: 403,
      headers: { "x-ratelimit-remaining": "998", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60) },
      body: error("forbidden", "Insufficient scope"),
    });
    expect((await failure(client().getTask(TASK_V4))).retryAfterMs).toBeUndefined();
  });

  it("an error body that is not the envelope still maps by status", async () => {
    reply = () => ({ status: 502, headers: { "content-type": "text/html" }, body: "<html>Bad gateway</html>" });
    const thrown = await failure(client().getTask(TASK_V4));
    expect(thrown).toBeInstanceOf(VendorUnavailableError);
    expect(thrown.traceId).toBeUndefined();
  });

  it("a vendor message echoing the key does not leak it", async () => {
    reply = () => ({ status: 401, body: error("unauthorized", `key ${API_KEY} is revoked`) });
    const thrown = await failure(client().getTask(TASK_V4));
    expect(`${thrown.message} ${thrown.detail} ${JSON.stringify(thrown)}`).not.toContain(API_KEY);
  });

  it("a 200 that breaks the schema is a contract violation", async () => {
    reply = () => ({ status: 200, body: { code: "success", data: { id: TASK_UUID } } });
    expect(await failure(client().getTask(TASK_V4))).toBeInstanceOf(VendorContractViolationError);
  });

  it("a 200 with an unreadable timestamp costs that field only, with the answer's status", async () => {
    reply = () => ({ status: 200, body: { ...getTaskV2, data: { ...getTaskV2.data, updatedAt: "23/03/2026" } } });
    const task = await client().getTask(TASK_V4);
    expect(task?.id).toBe(TASK_V4);
    expect(task?.updatedAt).toBeNull();
    expect(task?.createdAt).toBe("2026-03-20T18:35:10.209Z");
    expect(task?.problems?.updatedAt).toBeInstanceOf(VendorContractViolationError);
    expect(task?.problems?.updatedAt).toMatchObject({ field: "updatedAt", status: 200 });
  });

  it("a 200 about another task than asked is a contract violation with the answer's status", async () => {
    const other = "0b2c3d45-6784-4abc-9def-0123456789ab";
    reply = () => ({ status: 200, body: { ...getTaskV2, data: { ...getTaskV2.data, id: other } } });
    const thrown = await failure(client().getTask(TASK_V4));
    expect(thrown).toBeInstanceOf(VendorContractViolationError);
    expect(thrown).toMatchObject({ field: "id", status: 200 });
  });

  it("a 200 with an unreadable task id fails the task, with the answer's status", async () => {
    reply = () => ({ status: 200, body: { ...getTaskV2, data: { ...getTaskV2.data, id: "task 7" } } });
    const thrown = await failure(client().getTask(TASK_V4));
    expect(thrown).toBeInstanceOf(VendorContractViolationError);
    expect(thrown).toMatchObject({ field: "id", status: 200 });
  });
});
