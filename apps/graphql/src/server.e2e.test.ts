import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY } from "./e2e-support.ts";

let sandbox: Sandbox;
let stack: Stack;
let production: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    app: { graphiql: { tabs: [{ query: "query Example { __typename }" }] } },
  });
  production = await startStack({ sandbox, app: { introspection: false, limits: { depth: 3 } } });
});
afterAll(async () => {
  await stack.close();
  await production.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const auth = { authorization: `Bearer ${TEST_KEY}` };

describe("HTTP", () => {
  it("answers health and readiness without a key", async () => {
    const health = await fetch(`${stack.server.origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${stack.server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      circuits: { test: { maxai: "closed", cakewalk: "closed", capy: "closed", maxsight: "closed" } },
    });
  });

  it("echoes a valid x-request-id, makes one otherwise, and logs it with the request", async () => {
    const given = await fetch(stack.url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "x-request-id": "req-123.abc" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(given.headers.get("x-request-id")).toBe("req-123.abc");
    const made = await fetch(`${stack.server.origin}/healthz`, { headers: { "x-request-id": "bad id with spaces" } });
    const other = await fetch(`${stack.server.origin}/healthz`);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(other.headers.get("x-request-id")).not.toBe(made.headers.get("x-request-id"));
    const line = stack.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === "req-123.abc" && l.msg === "request");
    expect(line).toMatchObject({ method: "POST", path: "/graphql", status: 200, tenant: "test" });
  });

  it("writes one access line per request with its operations, error codes, vendor calls and duration", async () => {
    const capy = sandbox.vendors.capy.seed.example.taskId;
    const query = `query Read { task(vendor: CAPY, id: "${capy}") { id } bad: task(vendor: CAPY, id: "nope") { id } }`;
    await fetch(stack.url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", "x-request-id": "access-1" },
      body: JSON.stringify({ query }),
    });
    const lines = stack.logs.map((l) => JSON.parse(l)).filter((l) => l.reqId === "access-1" && l.msg === "request");
    expect(lines).toEqual([
      expect.objectContaining({
        status: 200,
        tenant: "test",
        operation: "Read",
        errorCodes: "BAD_USER_INPUT",
        vendorCalls: 1,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it("refuses a body over 100 KB with 413 before reading it", async () => {
    const query = `{ __typename } # ${"x".repeat(101 * 1024)}`;
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(stack.vendorCalls()).toBe(0);
  });

  it.each([
    ["text/plain", '{"query":"{ __typename }"}'],
    ["application/x-www-form-urlencoded", "query=%7B__typename%7D"],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--'],
  ])("refuses a %s POST (what a cross-site form can send) with 415", async (type, body) => {
    const response = await fetch(stack.url, { method: "POST", headers: { ...auth, "content-type": type }, body });
    expect(response.status).toBe(415);
    expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(stack.vendorCalls()).toBe(0);
  });

  it("serves GraphiQL with the example operations (no key needed for the page)", async () => {
    const response = await fetch(stack.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("query Example");
  });

  it("serves introspection when enabled", async () => {
    const { body } = await stack.gql("{ __schema { queryType { name } } }");
    expect(body.data.__schema.queryType.name).toBe("Query");
  });
});

describe("production settings", () => {
  it("refuses introspection when disabled", async () => {
    const { body } = await production.gql("{ __schema { queryType { name } } }");
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.data ?? null).toBeNull();
  });

  it("does not serve GraphiQL when disabled", async () => {
    const response = await fetch(production.url, { headers: { accept: "text/html", ...auth } });
    expect(response.headers.get("content-type") ?? "").not.toContain("text/html");
  });

  it("enforces the configured depth limit before any vendor call", async () => {
    const { body } = await production.gql(
      `{ task(vendor: MAX_AI, id: "${sandbox.vendors.maxai.seed.example.v4TaskId}") { assignedProviders { person { id } } } }`,
    );
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0].message).toMatch(/depth/i);
    expect(production.vendorCalls()).toBe(0);
  });

  it("does not suggest field names", async () => {
    const { body } = await production.gql(`{ task(vendor: CAPY, id: "x") { titl } }`);
    expect(body.errors[0].message).not.toContain("Did you mean");
  });
});

describe("shutdown", () => {
  it("lets an in-flight request finish, then refuses new connections", async () => {
    const own = await startStack({ sandbox });
    sandbox.vendors.capy.faults.set({ latencyMs: 300 });
    const inFlight = own.gql(`{ task(vendor: CAPY, id: "${sandbox.vendors.capy.seed.example.taskId}") { vendorId } }`);
    while (sandbox.vendors.capy.requests.count() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = own.close();
    const result = await inFlight;
    expect(result.status).toBe(200);
    expect(result.body.data.task.vendorId).toBe(sandbox.vendors.capy.seed.example.taskId);
    await closed;
    await expect(fetch(`${own.server.origin}/healthz`)).rejects.toThrow();
  });
});
