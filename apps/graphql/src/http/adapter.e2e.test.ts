import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Stack, startStack, TEST_KEY } from "../e2e-support.ts";
import { ERROR_CODES } from "../errors.ts";

let sandbox: Sandbox;
let stack: Stack;
let production: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, server: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } });
  production = await startStack({ sandbox, app: { introspection: false } });
});
afterAll(async () => {
  await stack.close();
  await production.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const auth = { authorization: `Bearer ${TEST_KEY}` };
const json = { ...auth, "content-type": "application/json" };
const typename = JSON.stringify({ query: "{ __typename }" });

/** Runs graphql-http's server audits against a stack, with the test key on every request. */
async function audit(target: Stack) {
  const audits = serverAudits({
    url: target.url,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...auth } }),
  });
  const results = await Promise.all(audits.map(({ fn }) => fn()));
  return results.filter((r) => r.status !== "ok" && !r.name.startsWith("MAY")).map((r) => `${r.id} ${r.name}`);
}

describe("GraphQL over HTTP (graphql-http's server audits)", () => {
  it("passes every MUST and SHOULD", async () => {
    expect(await audit(stack)).toEqual([]);
  });

  it("with introspection off (production), fails only the audits whose queries use introspection", async () => {
    expect(await audit(production)).toEqual([
      "2EA1 SHOULD allow map {variables} parameter when accepting application/graphql-response+json",
      "28B9 MUST allow map {variables} parameter when accepting application/json",
    ]);
  });
});

describe("the HTTP edges", () => {
  it("compares media types case-insensitively", async () => {
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { ...auth, "content-type": "APPLICATION/JSON; Charset=UTF-8", accept: "Application/JSON" },
      body: typename,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("takes utf8 as the common spelling of the charset utf-8", async () => {
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json; charset=utf8" },
      body: typename,
    });
    expect(response.status).toBe(200);
  });

  it("answers every refusal with JSON and a code from the fixed set", async () => {
    const cases: [number, RequestInit & { path?: string }][] = [
      [401, { method: "POST", headers: { "content-type": "application/json" }, body: typename }],
      [405, { method: "DELETE", headers: auth }],
      [406, { method: "POST", headers: { ...json, accept: "text/csv" }, body: typename }],
      [
        413,
        { method: "POST", headers: json, body: JSON.stringify({ query: `{ __typename } #${"x".repeat(110_000)}` }) },
      ],
      [415, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: typename }],
      [400, { method: "POST", headers: json, body: "{nope" }],
      [404, { method: "GET", headers: auth, path: "/nothing-here" }],
    ];
    for (const [status, { path, ...init }] of cases) {
      const response = await fetch(stack.server.origin + (path ?? "/graphql"), init);
      const body = await response.json();
      expect({ status: response.status, type: response.headers.get("content-type") }).toEqual({
        status,
        type: "application/json; charset=utf-8",
      });
      expect(ERROR_CODES).toContain(body.errors[0].extensions.code);
      expect(body.errors[0].extensions.requestId).toBe(response.headers.get("x-request-id"));
    }
    expect(stack.vendorCalls()).toBe(0);
  });

  it("authenticates before anything else: an unauthenticated text/plain POST is 401", async () => {
    const response = await fetch(stack.url, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect(response.status).toBe(401);
    expect((await response.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("refuses a chunked body over the limit with 413 BAD_USER_INPUT", async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 30; i++) controller.enqueue(new TextEncoder().encode(`${" ".repeat(5_000)}`));
        controller.close();
      },
    });
    const response = await fetch(stack.url, { method: "POST", headers: json, body: chunks, duplex: "half" } as never);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("answers malformed JSON with 400 whatever the Accept", async () => {
    for (const accept of ["application/json", "application/graphql-response+json"]) {
      const response = await fetch(stack.url, { method: "POST", headers: { ...json, accept }, body: "{nope" });
      expect(response.status).toBe(400);
    }
  });

  it("serves GET queries, and refuses a mutation over GET with 405 Allow: POST", async () => {
    const get = (query: string) =>
      fetch(`${stack.url}?query=${encodeURIComponent(query)}`, { headers: { ...auth, accept: "application/json" } });
    const query = await get("{ __typename }");
    expect(await query.json()).toEqual({ data: { __typename: "Query" } });
    const mutation = await get("mutation { createTask(input: {}) { task { id } } }");
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get("allow")).toBe("POST");
    expect(stack.vendorCalls()).toBe(0);
  });

  it("answers a batch (a JSON array) with one result per operation, and refuses one over the limit", async () => {
    const id = sandbox.vendors.capy.seed.example.taskId;
    const batch = [{ query: "{ __typename }" }, { query: `{ task(vendor: CAPY, id: "${id}") { vendorId } }` }];
    const response = await fetch(stack.url, { method: "POST", headers: json, body: JSON.stringify(batch) });
    expect(await response.json()).toEqual([{ data: { __typename: "Query" } }, { data: { task: { vendorId: id } } }]);
    const tooMany = Array.from({ length: 11 }, () => ({ query: "{ __typename }" }));
    const refused = await fetch(stack.url, { method: "POST", headers: json, body: JSON.stringify(tooMany) });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors[0].message).toMatch(/1 to 10 operations/);
  });

  it("closes a connection whose headers do not arrive in time (headersTimeoutMs 1000): 408 in JSON", async () => {
    const socket = await open(stack.server.port);
    socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\n");
    const closed = await closedWithin(socket, 10_000);
    const refusal = nodeRefusal(closed.answer, 408);
    expect(accessLine(refusal.requestId)).toMatchObject({ status: 408, clientError: "ERR_HTTP_REQUEST_TIMEOUT" });
  });

  it("closes a connection whose body does not arrive in time (requestTimeoutMs 2000): 408 in JSON", async () => {
    const socket = await open(stack.server.port);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"qu`,
    );
    const closed = await closedWithin(socket, 10_000);
    const refusal = nodeRefusal(closed.answer, 408);
    expect(accessLine(refusal.requestId)).toMatchObject({ method: "POST", path: "/graphql", status: 408 });
    expect(errorLines()).toEqual([]);
  });

  it("frees the connections of clients that send nothing and never read their 408: the next client is served", async () => {
    const small = await startStack({ sandbox, server: { headersTimeoutMs: 1_000, maxConnections: 3 } });
    // Every connection the server takes, held by clients that never send a byte, never read and never close.
    const silent = await Promise.all([1, 2, 3].map(() => open(small.server.port)));
    const health = () =>
      fetch(`${small.server.origin}/healthz`).then(
        (r) => r.status,
        () => "refused",
      );
    await expect.poll(health, { timeout: 15_000, interval: 500 }).toBe(200);
    for (const socket of silent) socket.destroy();
    await small.close();
  });

  it("answers what Node refuses itself (headers too large, a malformed request) in the same JSON", async () => {
    const large = await open(stack.server.port);
    large.write(`GET /graphql HTTP/1.1\r\nHost: x\r\nX-Pad: ${"a".repeat(20_000)}\r\n\r\n`);
    nodeRefusal((await closedWithin(large, 5_000)).answer, 431);
    const malformed = await open(stack.server.port);
    malformed.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n");
    const refusal = nodeRefusal((await closedWithin(malformed, 5_000)).answer, 400);
    expect(accessLine(refusal.requestId)).toMatchObject({ status: 400, errorCodes: "BAD_USER_INPUT" });
  });

  it("a malformed request pipelined behind a running one ends the connection after that one's answer", async () => {
    sandbox.vendors.capy.faults.set({ latencyMs: 300 });
    const body = JSON.stringify({
      query: `{ task(vendor: CAPY, id: "${sandbox.vendors.capy.seed.example.taskId}") { id } }`,
    });
    const socket = await open(stack.server.port);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Request-Id: before-garbage\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    // The garbage follows once the first request is running: at the vendor, whose answer takes 300 ms.
    await vi.waitFor(() => expect(sandbox.vendors.capy.requests.count()).toBe(1), { timeout: 5_000, interval: 2 });
    socket.write("GARBAGE\r\n\r\n");
    const { answer } = await closedWithin(socket, 5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain(`"id":"capy:${sandbox.vendors.capy.seed.example.taskId}"`);
    expect(accessLine("before-garbage")).toMatchObject({ status: 200 });
    expect(errorLines()).toEqual([]);
  });

  it("logs a request whose client went away mid-body as 499, and no error", async () => {
    const socket = await open(stack.server.port);
    const received = once(stack.server.server, "request");
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nX-Request-Id: gone-mid-body\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"query"`,
    );
    await received; // the server has the head and is reading the body
    socket.destroy();
    await expect.poll(() => accessLine("gone-mid-body")).toMatchObject({ status: 499, method: "POST" });
    expect(errorLines()).toEqual([]);
  });

  it("keeps at most 100 characters of an operation name in the access line", async () => {
    const operationName = "x".repeat(50_000);
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { ...json, "x-request-id": "long-name" },
      body: JSON.stringify({ query: "query A { __typename }", operationName }),
    });
    expect(response.status).toBe(200);
    expect(accessLine("long-name").operation).toBe(`${"x".repeat(100)}…`);
  });

  it("logs as the operation only a GraphQL name, never other text the caller sent as operationName", async () => {
    // A terminal escape (set the window title), a line separator and a bidi override: none can name an operation.
    for (const [i, operationName] of ["x\u001b]0;owned\u0007", "a\u2028{}", "r\u202eevil"].entries()) {
      for (const [j, query] of ["query A { __typename }", "{ task("].entries()) {
        const response = await fetch(stack.url, {
          method: "POST",
          headers: { ...json, "x-request-id": `odd-name-${i}-${j}` },
          body: JSON.stringify({ query, operationName }),
        });
        expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
        expect(accessLine(`odd-name-${i}-${j}`).operation).toBe("-");
      }
    }
  });

  it("refuses two Authorization headers, even if one is valid (401)", async () => {
    const socket = await open(stack.server.port);
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_KEY}\r\nauthorization: Bearer nope\r\nContent-Type: application/json\r\nContent-Length: ${typename.length}\r\nConnection: close\r\n\r\n${typename}`,
    );
    expect((await closedWithin(socket, 5_000)).answer).toMatch(/^HTTP\/1\.1 401/);
  });

  it("lets pages of any origin call it and read the request id (CORS)", async () => {
    const preflight = await fetch(stack.url, { method: "OPTIONS", headers: { origin: "https://app.example" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { ...json, origin: "https://app.example" },
      body: typename,
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-request-id");
  });

  it("caps open connections: past the cap, new ones are closed at once while the others are served", async () => {
    const capped = await startStack({ sandbox, server: { maxConnections: 3 } });
    try {
      const held = await Promise.all([1, 2, 3].map(() => open(capped.server.port)));
      const extra = await open(capped.server.port);
      extra.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      expect((await closedWithin(extra, 5_000)).answer).toBe("");
      const first = held[0] as Socket;
      first.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect((await closedWithin(first, 5_000)).answer).toMatch(/^HTTP\/1\.1 200/);
      for (const socket of held) socket.destroy();
    } finally {
      await capped.close();
    }
  });
});

describe("draining", () => {
  it("answers /readyz 503 while the listener still serves requests", async () => {
    const own = await startStack({ sandbox, server: { drainDelayMs: 500 } });
    const closing = own.close();
    const ready = await fetch(`${own.server.origin}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "draining" });
    const served = await own.gql("{ __typename }");
    expect(served.body).toEqual({ data: { __typename: "Query" } });
    await closing;
    await expect(fetch(`${own.server.origin}/healthz`)).rejects.toThrow();
  });
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Waits for the server to close the socket; what it wrote before closing. Fails after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<{ answer: string }> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const timer = setTimeout(() => reject(new Error(`the socket was still open after ${ms} ms`)), ms);
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    socket.on("error", () => {});
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ answer });
    });
  });
}

/** A refusal Node's parser triggered, written as the service's own: JSON, a code, the request id in both places. */
function nodeRefusal(answer: string, status: number): { requestId: string } {
  const [head = "", body = ""] = answer.split("\r\n\r\n", 2);
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
  const requestId = head.match(/\r\nx-request-id: (\S+)/i)?.[1];
  expect(JSON.parse(body)).toEqual({
    errors: [{ message: expect.any(String), extensions: { code: "BAD_USER_INPUT", requestId } }],
  });
  return { requestId: requestId as string };
}

/** The access line of one request, by its id. */
function accessLine(requestId: string): Record<string, unknown> {
  const lines = stack.logs.map((line) => JSON.parse(line)).filter((l) => l.msg === "request" && l.reqId === requestId);
  expect(lines).toHaveLength(1);
  return lines[0];
}

function errorLines(): unknown[] {
  return stack.logs.map((line) => JSON.parse(line)).filter((l) => l.level >= 50);
}
