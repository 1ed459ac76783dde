import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GqlResult, type Stack, startStack, TEST_KEY, TEST_TIMEOUTS, testConfig } from "./e2e-support.ts";

const WRONG_CREDS_KEY = "tb_wrong_creds_key_0123";
const MAXAI_ONLY_KEY = "tb_maxai_only_key_0123";
/** Base URLs that pass validation but do not lead to the vendors' APIs (a wrong prefix). */
const WRONG_BASE_KEY = "tb_wrong_base_key_0123";
/** Its own connections: a vendor 429 pauses the connection that got it, so these tests do not pause the others. */
const RATE_KEY = "tb_rate_limits_key_0123";

let sandbox: Sandbox;
let stack: Stack;
/** Every response body of this file, checked for credentials at the end. */
const responses: string[] = [];

async function gql(query: string, options?: Parameters<Stack["gql"]>[1]): Promise<GqlResult> {
  const result = await stack.gql(query, options);
  responses.push(result.text);
  return result;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    sandbox,
    config: (s) => {
      const good = testConfig(s);
      const { maxai, cakewalk, capy, maxsight } = s.vendors;
      const http = { timeouts: TEST_TIMEOUTS };
      return {
        tenants: [
          ...good.tenants,
          {
            id: "wrong-creds",
            apiKeys: [WRONG_CREDS_KEY],
            connections: {
              maxai: { baseUrl: maxai.url, apiKey: "max_dev_ak_revoked", organizationId: "org_sandbox", http },
              cakewalk: { baseUrl: cakewalk.url, apiKey: "ck_revoked", apiSecret: "ck_revoked_secret", http },
              capy: { baseUrl: capy.url, token: "capy_revoked", http },
              maxsight: { baseUrl: maxsight.url, apiKey: "ms_revoked", http },
            },
          },
          {
            id: "wrong-base",
            apiKeys: [WRONG_BASE_KEY],
            connections: {
              maxai: { baseUrl: `${maxai.origin}/proxy`, ...maxai.credentials, http },
              capy: { baseUrl: `${capy.origin}/apii`, ...capy.credentials, http },
            },
          },
          ...testConfig(s, RATE_KEY, "rate-limits").tenants,
          {
            id: "maxai-only",
            apiKeys: [MAXAI_ONLY_KEY],
            connections: { maxai: { baseUrl: maxai.url, ...maxai.credentials, http } },
          },
        ],
      };
    },
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const MAXAI_TASK = "tsk_a1b2c3d456784abc9def0123456789ab";
const TASK_QUERIES = {
  MAX_AI: `{ task(vendor: MAX_AI, id: "${MAXAI_TASK}") { id } }`,
  CAKEWALK: `{ task(vendor: CAKEWALK, id: "3fa85f64-5717-4562-b3fc-2c963f66afa6") { id } }`,
  CAPY: `{ task(vendor: CAPY, id: "550e8400-e29b-41d4-a716-446655440000") { id } }`,
  MAXSIGHT: `{ task(vendor: MAXSIGHT, id: "497f6eca-6276-4993-bfeb-53cbbbba6f08") { id } }`,
} as const;

function onlyError(result: GqlResult) {
  expect(result.body.errors).toHaveLength(1);
  return result.body.errors[0];
}

describe("UNAUTHENTICATED", () => {
  it.each([
    ["no Authorization header", null],
    ["a wrong key", "tb_not_a_key"],
    ["a key of another length", "x"],
    ["an empty bearer", ""],
  ])("%s → 401 before any vendor call", async (_name, key) => {
    const result = await gql(TASK_QUERIES.CAPY, { key });
    expect(result.status).toBe(401);
    expect(result.headers.get("www-authenticate")).toContain("Bearer");
    expect(result.body).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: "UNAUTHENTICATED", requestId: expect.any(String) } }],
    });
    expect(stack.vendorCalls()).toBe(0);
  });

  it("comes before GraphQL validation: a bad query without a key is still UNAUTHENTICATED", async () => {
    const result = await gql("{ nope", { key: null });
    expect(result.status).toBe(401);
    expect(onlyError(result).extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("BAD_USER_INPUT", () => {
  it("a malformed vendor id, before any vendor call", async () => {
    const error = onlyError(await gql(`{ task(vendor: MAX_AI, id: "not-an-id") { id } }`));
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: "id", requestId: expect.any(String) });
    expect(stack.vendorCalls()).toBe(0);
  });

  it.each([
    ["a syntax error", "{ task(vendor: CAPY, id: 1 { id } }"],
    ["an unknown field", `{ task(vendor: CAPY, id: "x") { nope } }`],
    ["a missing argument", "{ task(vendor: CAPY) { id } }"],
    [
      "too many aliases",
      `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: task(vendor: CAPY, id: "x") { id }`).join(" ")} }`,
    ],
    ["too many tokens", `{ ${"__typename ".repeat(3_001)} }`],
  ])("%s is rejected before any vendor call", async (_name, query) => {
    const result = await gql(query);
    expect(result.body.errors.length).toBeGreaterThan(0);
    for (const error of result.body.errors) expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(result.body.data ?? null).toBeNull();
    expect(stack.vendorCalls()).toBe(0);
  });

  it("a variable of the wrong type", async () => {
    const result = await gql('query($v: Vendor!) { task(vendor: $v, id: "x") { id } }', { variables: { v: "NOPE" } });
    expect(onlyError(result).extensions.code).toBe("BAD_USER_INPUT");
    expect(stack.vendorCalls()).toBe(0);
  });
});

describe("VENDOR_NOT_CONFIGURED", () => {
  it("a vendor the tenant has no connection to, before any call", async () => {
    const error = onlyError(await gql(TASK_QUERIES.CAPY, { key: MAXAI_ONLY_KEY }));
    expect(error.extensions).toEqual({ code: "VENDOR_NOT_CONFIGURED", vendor: "CAPY", requestId: expect.any(String) });
    expect(error.message).toBe("Capy is not configured for this tenant.");
    expect(stack.vendorCalls()).toBe(0);
    const ok = await gql(TASK_QUERIES.MAX_AI, { key: MAXAI_ONLY_KEY });
    expect(ok.body.data.task.id).toBe(`maxai:${MAXAI_TASK}`);
  });
});

describe("VENDOR_AUTH_FAILED", () => {
  it.each(Object.keys(TASK_QUERIES) as (keyof typeof TASK_QUERIES)[])(
    "%s rejects the tenant's credentials",
    async (vendor) => {
      const error = onlyError(await gql(TASK_QUERIES[vendor], { key: WRONG_CREDS_KEY }));
      expect(error.extensions).toMatchObject({ code: "VENDOR_AUTH_FAILED", vendor, upstreamStatus: 401 });
      expect(error.path).toEqual(["task"]);
    },
  );

  it("carries the vendor's trace id where it sends one (Max AI)", async () => {
    const error = onlyError(await gql(TASK_QUERIES.MAX_AI, { key: WRONG_CREDS_KEY }));
    expect(error.extensions.traceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is logged as a warning naming the tenant's connection and the vendor's trace id", async () => {
    const error = onlyError(await gql(TASK_QUERIES.MAX_AI, { key: WRONG_CREDS_KEY }));
    const lines = stack.logs.filter(
      (line) => line.includes('"msg":"vendor exchange failed"') && line.includes(`"${error.extensions.traceId}"`),
    );
    expect(lines).toHaveLength(1);
    // Each key once (a log store may refuse a line naming one twice): the line's `vendor`, and its error's.
    expect(lines[0]?.match(/"vendor":/g)).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      level: 40,
      component: "vendor",
      tenant: "wrong-creds",
      vendor: "maxai",
      operation: "getTask",
      status: 401,
      kind: "unauthorized",
    });
  });
});

describe("VENDOR_FORBIDDEN", () => {
  it("Max AI: the API key lacks the read:tasks scope", async () => {
    sandbox.vendors.maxai.states["the API key lacks scope {scope}"]?.({ scope: "read:tasks" });
    const error = onlyError(await gql(TASK_QUERIES.MAX_AI));
    expect(error.extensions).toMatchObject({ code: "VENDOR_FORBIDDEN", vendor: "MAX_AI", upstreamStatus: 403 });
  });
});

describe("VENDOR_BAD_REQUEST", () => {
  it("Max AI rejects a create for a note that does not exist", async () => {
    const { noteId, providerId } = sandbox.vendors.maxai.seed.example;
    sandbox.vendors.maxai.states["note {noteId} does not exist"]?.({ noteId });
    const input = { maxAi: { noteId, providerId, notes: "x", assigneeIds: [providerId] } };
    const error = onlyError(
      await gql("mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }", {
        variables: { input },
      }),
    );
    expect(error.extensions).toMatchObject({ code: "VENDOR_BAD_REQUEST", vendor: "MAX_AI", upstreamStatus: 400 });
  });

  it("Capy rejects a create for a project that does not exist (422)", async () => {
    const { projectId } = sandbox.vendors.capy.seed.example;
    sandbox.vendors.capy.states["project {projectId} does not exist"]?.({ projectId });
    const input = { capy: { projectId, prompt: "x" } };
    const error = onlyError(
      await gql("mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }", {
        variables: { input },
      }),
    );
    expect(error.extensions).toMatchObject({ code: "VENDOR_BAD_REQUEST", vendor: "CAPY", upstreamStatus: 422 });
  });
});

describe("RATE_LIMITED", () => {
  it("the vendor's 429 with Retry-After → retryAfterSeconds, limitedBy VENDOR", async () => {
    sandbox.vendors.capy.faults.set({ rateLimit: { count: 1, retryAfter: "7" } });
    const error = onlyError(await gql(TASK_QUERIES.CAPY, { key: RATE_KEY }));
    expect(error.extensions).toMatchObject({
      code: "RATE_LIMITED",
      vendor: "CAPY",
      upstreamStatus: 429,
      retryAfterSeconds: 7,
      limitedBy: "vendor",
    });
  });

  it("Cakewalk's rate limit is exhausted", async () => {
    sandbox.vendors.cakewalk.states["the rate limit is exhausted"]?.({ retryAfterSeconds: 30 });
    const error = onlyError(await gql(TASK_QUERIES.CAKEWALK, { key: RATE_KEY }));
    expect(error.extensions).toMatchObject({ code: "RATE_LIMITED", vendor: "CAKEWALK", retryAfterSeconds: 30 });
    // The connection now waits out the vendor's 30 s: the next call is refused without asking Cakewalk again.
    const calls = sandbox.vendors.cakewalk.requests.count();
    const again = onlyError(await gql(TASK_QUERIES.CAKEWALK, { key: RATE_KEY }));
    expect(again.extensions).toMatchObject({ code: "RATE_LIMITED", limitedBy: "vendor" });
    expect(again.extensions.retryAfterSeconds).toBeGreaterThan(25);
    expect(sandbox.vendors.cakewalk.requests.count()).toBe(calls);
  });
});

describe("VENDOR_UNAVAILABLE", () => {
  it("a 5xx answer", async () => {
    sandbox.vendors.maxsight.faults.set({ errorRate: 1, errorStatus: 502 });
    const error = onlyError(await gql(TASK_QUERIES.MAXSIGHT));
    expect(error.extensions).toMatchObject({ code: "VENDOR_UNAVAILABLE", vendor: "MAXSIGHT", upstreamStatus: 502 });
  });

  it("a 503 with Retry-After passes the vendor's wait on as retryAfterSeconds (too long to wait for here)", async () => {
    const body = JSON.stringify({ message: "Service unavailable" });
    sandbox.vendors.maxsight.faults.set({ answer: { status: 503, headers: { "retry-after": "120" }, body } });
    const error = onlyError(await gql(TASK_QUERIES.MAXSIGHT));
    expect(error.extensions).toMatchObject({
      code: "VENDOR_UNAVAILABLE",
      vendor: "MAXSIGHT",
      upstreamStatus: 503,
      retryAfterSeconds: 120,
    });
    expect(error.message).toBe("Maxsight is unavailable (HTTP 503). Retry after 120 s.");
    expect(sandbox.vendors.maxsight.requests.count()).toBe(1);
  });

  it("a connection reset without an answer", async () => {
    sandbox.vendors.cakewalk.faults.set({ resetRate: 1 });
    const error = onlyError(await gql(TASK_QUERIES.CAKEWALK));
    expect(error.extensions).toEqual({ code: "VENDOR_UNAVAILABLE", vendor: "CAKEWALK", requestId: expect.any(String) });
    expect(error.message).toBe("Cakewalk could not be reached.");
  });
});

describe("VENDOR_TIMEOUT", () => {
  it("a vendor that never answers", async () => {
    sandbox.vendors.maxai.faults.set({ hangRate: 1 });
    const error = onlyError(await gql(TASK_QUERIES.MAX_AI));
    expect(error.extensions).toEqual({ code: "VENDOR_TIMEOUT", vendor: "MAX_AI", requestId: expect.any(String) });
  });
});

describe("VENDOR_CONTRACT_VIOLATION", () => {
  it.each([
    ["a body that is not JSON", { malformedJsonRate: 1 }],
    ["JSON that breaks the schema", { schemaBreakRate: 1 }],
  ])("%s, without any of the payload in the message", async (_name, fault) => {
    sandbox.vendors.maxai.faults.set(fault);
    const result = await gql(TASK_QUERIES.MAX_AI);
    const error = onlyError(result);
    expect(error.extensions).toMatchObject({
      code: "VENDOR_CONTRACT_VIOLATION",
      vendor: "MAX_AI",
      upstreamStatus: 200,
    });
    expect(error.message).toBe("Max AI answered with data that does not match its contract.");
    expect(result.text).not.toContain("Review missing plan");
    expect(result.text).not.toContain("a1b2c3d4");
  });
});

describe("VENDOR_CONTRACT_VIOLATION for a base URL that does not lead to the vendor's API", () => {
  it.each([
    ["MAX_AI", "Max AI"],
    ["CAPY", "Capy"],
  ] as const)("%s: the 404 of a wrong prefix is not read as a missing task", async (vendor, name) => {
    const error = onlyError(await gql(TASK_QUERIES[vendor], { key: WRONG_BASE_KEY }));
    expect(error.extensions).toMatchObject({ code: "VENDOR_CONTRACT_VIOLATION", vendor, upstreamStatus: 404 });
    expect(error.message).toBe(
      `The connection to ${name} answered HTTP 404 without ${name}'s own not-found answer: its base URL may not lead to ${name}'s API.`,
    );
  });
});

describe("credentials", () => {
  it("never appear in a response or a log line", () => {
    expect(responses.length).toBeGreaterThan(20);
    expect(stack.logs.length).toBeGreaterThan(20);
    const secrets = [
      ...stack.secrets,
      "max_dev_ak_revoked",
      "ck_revoked",
      "capy_revoked",
      "ms_revoked",
      TEST_KEY,
      WRONG_CREDS_KEY,
      MAXAI_ONLY_KEY,
    ];
    expect(secrets).toContain(sandbox.vendors.maxai.credentials.apiKey);
    for (const secret of secrets) {
      for (const text of [...responses, ...stack.logs]) expect(text).not.toContain(secret);
    }
  });
});
