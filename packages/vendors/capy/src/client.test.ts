import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  InvalidInputError,
  VendorBadRequestError,
  VendorContractViolationError,
  VendorForbiddenError,
  VendorNotConfiguredError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { MockAgent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CapyClient, createClient } from "./client.ts";
import created from "./fixtures/created-task.json" with { type: "json" };
import task from "./fixtures/task.json" with { type: "json" };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

const TOKEN = "capy_unit_test_token";
const TASK_ID = task.id;
let server: Server;
let baseUrl: string;
let handler: Handler = (_req, res) => res.writeHead(500).end();
const seen: Seen[] = [];
const clients: CapyClient[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function client(): CapyClient {
  const c = createClient({ baseUrl, token: TOKEN });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(entry);
    handler(entry, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterEach(async () => {
  seen.length = 0;
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  server.close();
  await once(server, "close");
});

describe("getTask", () => {
  it("sends the bearer token under the base path and maps the task", async () => {
    handler = (_req, res) => json(res, 200, task);
    const result = await client().getTask(TASK_ID);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("GET");
    expect(seen[0]?.url).toBe(`/api/v1/tasks/${TASK_ID}`);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers.accept).toBe("application/json");
    expect(result?.id).toBe(TASK_ID);
    expect(result?.status).toBe("IN_REVIEW");
    expect(result?.raw).toEqual(task);
  });

  it("asks for the canonical (lower-case) id", async () => {
    handler = (_req, res) => json(res, 200, task);
    await client().getTask(TASK_ID.toUpperCase());
    expect(seen[0]?.url).toBe(`/api/v1/tasks/${TASK_ID}`);
  });

  it.each([
    ["the v1 envelope", { error: { code: "not_found", message: "Task not found" } }],
    ["the tagged form", { _tag: "capy/TaskNotFound" }],
  ])("returns null on 404 with %s", async (_name, body) => {
    handler = (_req, res) => json(res, 404, body);
    expect(await client().getTask(TASK_ID)).toBeNull();
  });

  // Capy's NotFound is an ErrorResponse (seed 003): a 404 without one did not come from its API.
  it.each([
    ["no body", undefined],
    ["another API's error", { code: "not_found", message: "Resource not found" }],
  ])("a 404 with %s → VendorContractViolationError pointing at baseUrl", async (_name, body) => {
    handler = (_req, res) => (body === undefined ? res.writeHead(404).end() : json(res, 404, body));
    const error = await client()
      .getTask(TASK_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorContractViolationError);
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect((error as Error).message).toMatch(/does baseUrl lead to its API/);
  });

  it("maps 401 to VendorUnauthorizedError with the vendor's message and x-request-id, never the token", async () => {
    handler = (_req, res) =>
      json(
        res,
        401,
        { error: { code: "unauthorized", message: `invalid token ${TOKEN}` } },
        { "x-request-id": "req_42" },
      );
    const error = await client()
      .getTask(TASK_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorUnauthorizedError);
    expect(error).toMatchObject({ status: 401, traceId: "req_42", vendor: "capy", retryable: false });
    expect((error as Error).message).toContain("unauthorized: invalid token");
    expect((error as Error).message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it("maps 403 to VendorForbiddenError", async () => {
    handler = (_req, res) => json(res, 403, { error: { code: "forbidden", message: "no access" } });
    await expect(client().getTask(TASK_ID)).rejects.toBeInstanceOf(VendorForbiddenError);
  });

  it("maps 500 to VendorUnavailableError (retryable)", async () => {
    handler = (_req, res) => json(res, 500, { error: { code: "internal", message: "boom" } });
    await expect(client().getTask(TASK_ID)).rejects.toMatchObject({ kind: "unavailable", retryable: true });
    await expect(client().getTask(TASK_ID)).rejects.toBeInstanceOf(VendorUnavailableError);
  });

  it("maps 429 with Retry-After in seconds to VendorRateLimitedError", async () => {
    handler = (_req, res) => json(res, 429, { _tag: "capy/RateLimited" }, { "retry-after": "7" });
    const error = await client()
      .getTask(TASK_ID)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 7000, limitedBy: "vendor", detail: "capy/RateLimited" });
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    handler = (_req, res) =>
      json(res, 429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": at });
    // The wait is the date less the client's clock when the answer came: between these two readings of it.
    const before = Date.now();
    const error = (await client()
      .getTask(TASK_ID)
      .catch((e: unknown) => e)) as VendorRateLimitedError;
    const after = Date.now();
    expect(error).toBeInstanceOf(VendorRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(Date.parse(at) - after);
    expect(error.retryAfterMs).toBeLessThanOrEqual(Date.parse(at) - before);
  });

  it("treats a task that breaks the schema as a contract violation", async () => {
    const { prompt: _p, ...broken } = task;
    handler = (_req, res) => json(res, 200, broken);
    await expect(client().getTask(TASK_ID)).rejects.toBeInstanceOf(VendorContractViolationError);
  });

  it("an unreadable timestamp costs that field only, with the answer's status", async () => {
    handler = (_req, res) => json(res, 200, { ...task, updatedAt: "last tuesday" });
    const read = await client().getTask(TASK_ID);
    expect([read?.id, read?.updatedAt, read?.title]).toEqual([TASK_ID, null, task.title]);
    expect(read?.problems?.updatedAt).toMatchObject({ field: "updatedAt", status: 200 });
  });

  it("an answer about another task is a contract violation with the answer's status", async () => {
    handler = (_req, res) => json(res, 200, { ...task, id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8" });
    await expect(client().getTask(TASK_ID)).rejects.toMatchObject({
      kind: "contract_violation",
      field: "id",
      status: 200,
    });
  });

  it("returns the id in lower case, however Capy spells it", async () => {
    handler = (_req, res) => json(res, 200, { ...task, id: TASK_ID.toUpperCase() });
    expect((await client().getTask(TASK_ID))?.id).toBe(TASK_ID);
  });

  it.each(["SCO-123", "", "../admin", "550e8400-e29b-41d4-a716-44665544000"])(
    "rejects the malformed id %j before any request",
    async (id) => {
      await expect(client().getTask(id)).rejects.toBeInstanceOf(InvalidInputError);
      expect(seen).toHaveLength(0);
    },
  );

  it("uses https://capy.ai/api when no base URL is given", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://capy.ai")
      .intercept({ path: `/api/v1/tasks/${TASK_ID}`, method: "GET" })
      .reply(200, task);
    const c = createClient({ token: TOKEN, http: { dispatcher: agent } });
    try {
      expect((await c.getTask(TASK_ID))?.id).toBe(TASK_ID);
      agent.assertNoPendingInterceptors();
    } finally {
      await c.close();
      await agent.close();
    }
  });
});

describe("createTask", () => {
  const input = {
    vendor: "capy" as const,
    projectId: created.projectId,
    prompt: "Return X-RateLimit-* headers from every endpoint.",
    title: created.title,
    labels: ["api"],
    model: "claude-sonnet",
    start: true,
  };
  const readBackTask = { ...task, ...created, prompt: input.prompt, updatedAt: "2026-06-16T08:00:01.000Z" };

  it("posts the documented body, then reads the task back", async () => {
    handler = (req, res) => (req.method === "POST" ? json(res, 200, created) : json(res, 200, readBackTask));
    const result = await client().createTask(input);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/v1/tasks", `GET /api/v1/tasks/${created.id}`]);
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
      projectId: input.projectId,
      prompt: input.prompt,
      title: input.title,
      labels: ["api"],
      model: "claude-sonnet",
      start: true,
    });
    expect(result.updatedAt).toBe("2026-06-16T08:00:01.000Z");
    expect(result.raw).toEqual(readBackTask);
  });

  it("omits optional fields that were not given", async () => {
    handler = (req, res) => (req.method === "POST" ? json(res, 200, created) : json(res, 200, readBackTask));
    await client().createTask({ vendor: "capy", projectId: input.projectId, prompt: input.prompt });
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ projectId: input.projectId, prompt: input.prompt });
  });

  it.each([
    ["404 (not visible yet)", (res: ServerResponse) => json(res, 404, { error: { code: "not_found", message: "x" } })],
    ["500", (res: ServerResponse) => json(res, 500, { error: { code: "internal", message: "x" } })],
    ["a body that breaks the schema", (res: ServerResponse) => json(res, 200, { id: created.id })],
    ["a dropped connection", (res: ServerResponse) => res.socket?.destroy()],
  ])("still returns the created task when the read-back fails with %s", async (_name, fail) => {
    handler = (req, res) => (req.method === "POST" ? json(res, 200, created) : fail(res));
    const result = await client().createTask(input);
    expect(result).toMatchObject({
      id: created.id,
      title: created.title,
      description: input.prompt,
      vendorStatus: "queued",
      status: "TODO",
      createdAt: "2026-06-16T08:00:00.000Z",
      updatedAt: "2026-06-16T08:00:00.000Z",
      raw: created,
    });
    expect(seen.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  it("maps 422 to VendorBadRequestError and does not read anything back", async () => {
    handler = (_req, res) =>
      json(res, 422, { error: { code: "validation_error", message: "project p_1 does not exist" } });
    const error = await client()
      .createTask(input)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorBadRequestError);
    expect((error as Error).message).toContain("project p_1 does not exist");
    expect(seen).toHaveLength(1);
  });

  it.each([
    ["an empty prompt", { prompt: "  " }],
    ["no projectId", { projectId: undefined }],
    ["a non-boolean start", { start: "yes" }],
  ])("rejects %s before any request", async (_name, change) => {
    await expect(client().createTask({ ...input, ...change } as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(seen).toHaveLength(0);
  });
});

describe("configuration", () => {
  it.each([
    ["a missing token", { token: undefined }, "✖ missing\n  → at token"],
    ["an empty token", { token: "" }, "✖ missing\n  → at token"],
    ["a token with whitespace", { token: "capy_a b" }, "✖ must not contain white space\n  → at token"],
    [
      "a base URL that is not http(s)",
      { token: TOKEN, baseUrl: "ftp://capy.ai/api" },
      "✖ must be an http(s) URL\n  → at baseUrl",
    ],
    [
      "a base URL that ends with the API version",
      { token: TOKEN, baseUrl: "https://capy.ai/api/v1/" },
      "✖ must not end with the API version (/v1): the client adds it; give https://capy.ai/api\n  → at baseUrl",
    ],
  ])("throws VendorNotConfiguredError for %s, without the value", (_name, options, message) => {
    const thrown = (() => {
      try {
        createClient(options as never);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(VendorNotConfiguredError);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain("capy_a b");
  });

  it("declares its capabilities", () => {
    const c = client();
    expect(c.vendor).toBe("capy");
    expect(c.capabilities).toMatchObject({ createTask: true, personLookup: false, assigneeKinds: [] });
  });
});
