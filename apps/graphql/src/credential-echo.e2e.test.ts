/**
 * Vendors that echo the credential they were sent (a debug field, a request summary, an error message, a header):
 * every connection of the tenant points at one loopback server answering as each test says, and the connection's
 * secrets (what its vendor's descriptor marks secret) must reach neither the GraphQL answer nor a log line.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Loopback, sendJson, startLoopback } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GqlResult, type Stack, startStack, testConfig } from "./e2e-support.ts";
import { WIRE_TASKS } from "./test-support/wire-tasks.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** Each vendor's secret fields, with values holding `/` and `_`, which vendors' JSON encoders may escape. */
const SECRETS = {
  maxai: { apiKey: "max_dev_ak_echo/maxai+1" },
  cakewalk: { apiKey: "ck_echo_key/cakewalk+2", apiSecret: "ck_echo_secret/cakewalk+3" },
  capy: { token: "capy_echo_token/capy+4" },
  maxsight: { apiKey: "ms_echo_key/maxsight+5" },
};
const ALL_SECRETS = Object.values(SECRETS).flatMap((fields) => Object.values(fields));

let sandbox: Sandbox;
let vendor: Loopback;
let stack: Stack;
let handler: Handler = (_req, res) => sendJson(res, 500, {});

beforeAll(async () => {
  sandbox = await startSandbox();
  vendor = await startLoopback((req, res, body) => handler(req, res, body));
});
afterAll(async () => {
  await stack?.close();
  await vendor.close();
  await sandbox.close();
});
// A fresh service each test, so one test's failures never trip the next one's circuit breaker.
beforeEach(async () => {
  await stack?.close();
  vendor.seen.length = 0;
  stack = await startStack({
    sandbox,
    config: (s) => {
      const config = testConfig(s);
      const connections = config.tenants[0]?.connections ?? {};
      for (const [id, connection] of Object.entries(connections)) {
        if (!connection) continue;
        Object.assign(connection, SECRETS[id as keyof typeof SECRETS]);
        // Capy's base URL carries its /api prefix.
        connection.baseUrl = id === "capy" ? `${vendor.url}/api` : vendor.url;
      }
      return config;
    },
  });
  expect(stack.secrets.sort()).toEqual([...ALL_SECRETS].sort());
});

/** No secret in the answer nor in any log line so far; what was echoed is there as `[redacted]`. */
function expectNoSecret(result: GqlResult, redactions = 1) {
  for (const secret of ALL_SECRETS) {
    expect(result.text).not.toContain(secret);
    expect(stack.logs.join("")).not.toContain(secret);
  }
  expect(result.text.split("[redacted]").length - 1).toBeGreaterThanOrEqual(redactions);
}

/** The request as a vendor that echoes it would describe it: every header we sent, credentials included. */
const echo = (req: IncomingMessage) => ({ method: req.method, url: req.url, headers: req.headers });

const TASKS = WIRE_TASKS;
const CAPY_ID = WIRE_TASKS.CAPY.id;
type VendorName = keyof typeof TASKS;
const VENDOR_NAMES = Object.keys(TASKS) as VendorName[];

const TASK = "query T($vendor: Vendor!, $id: ID!) { task(vendor: $vendor, id: $id) { id title raw } }";

describe("a 2xx task answer that echoes the request's credentials", () => {
  it.each(VENDOR_NAMES)("%s: raw holds [redacted] where the credentials were", async (name) => {
    handler = (req, res) => sendJson(res, 200, TASKS[name].answer({ debug: echo(req) }));
    const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.task.raw.debug.url).toBeTypeOf("string");
    expectNoSecret(result);
  });

  it.each(VENDOR_NAMES)(
    "%s: escaped as a PHP or Go encoder writes it (\\/, \\u005f), still [redacted]",
    async (name) => {
      handler = (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify(TASKS[name].answer({ debug: echo(req) }))
            .replaceAll("/", "\\/")
            .replaceAll("_", "\\u005f"),
        );
      };
      const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
      expect(result.body.errors).toBeUndefined();
      expectNoSecret(result);
    },
  );

  it("in a mapped field and as a key: the title and raw hold [redacted]", async () => {
    const { token } = SECRETS.capy;
    handler = (_req, res) =>
      sendJson(res, 200, TASKS.CAPY.answer({ title: `sent with ${token}`, seen: { [token]: 1 } }));
    const result = await stack.gql(TASK, { variables: { vendor: "CAPY", id: CAPY_ID } });
    expect(result.body.data.task.title).toBe("sent with [redacted]");
    expect(result.body.data.task.raw.seen).toEqual({ "[redacted]": 1 });
    expectNoSecret(result);
  });
});

describe("a listing whose answer echoes the credential", () => {
  const LIST = `query L($after: String) {
    taskList(first: 5, after: $after, filter: { vendors: [MAXSIGHT] }) {
      edges { cursor node { raw } }
      pageInfo { endCursor }
      vendorErrors { code message }
    }
  }`;
  /** What a cursor's signed payload says, in clear. */
  const payload = (cursor: string) => Buffer.from(cursor.split(".")[1] ?? "", "base64url").toString("utf8");

  it("in its items and its next-page token: neither the tasks nor the cursors carry it", async () => {
    const { apiKey } = SECRETS.maxsight;
    handler = (req, res) =>
      sendJson(res, 200, {
        items: [TASKS.MAXSIGHT.answer({ debug: echo(req) })],
        next_page_token: `page-2:${apiKey}`,
      });
    const result = await stack.gql(LIST);
    const list = result.body.data.taskList;
    expect(list.vendorErrors).toEqual([]);
    expect(list.edges).toHaveLength(1);
    for (const cursor of [list.pageInfo.endCursor, ...list.edges.map((e: { cursor: string }) => e.cursor)]) {
      expect(payload(cursor)).not.toContain(apiKey);
    }
    expectNoSecret(result);
  });

  it("in an error: the vendor's entry in vendorErrors holds [redacted]", async () => {
    const { apiKey } = SECRETS.maxsight;
    handler = (req, res) => sendJson(res, 422, { message: `bad search for key ${apiKey}`, debug: echo(req) });
    const result = await stack.gql(LIST);
    expect(result.body.data.taskList.vendorErrors).toEqual([
      {
        code: "VENDOR_BAD_REQUEST",
        message: "Maxsight rejected the request (HTTP 422): bad search for key [redacted]",
      },
    ]);
    expectNoSecret(result);
  });
});

describe("an error answer that echoes the credential", () => {
  const ERRORS: Record<VendorName, (secret: string) => object> = {
    MAX_AI: (secret) => ({ code: "bad_request", message: `invalid request with key ${secret}` }),
    CAKEWALK: (secret) => ({ title: "Bad Request", status: 400, detail: `invalid request with key ${secret}` }),
    CAPY: (secret) => ({ error: { code: "bad_request", message: `invalid request with token ${secret}` } }),
    MAXSIGHT: (secret) => ({ message: `invalid request with key ${secret}` }),
  };
  const SECRET_OF: Record<VendorName, string> = {
    MAX_AI: SECRETS.maxai.apiKey,
    CAKEWALK: SECRETS.cakewalk.apiSecret,
    CAPY: SECRETS.capy.token,
    MAXSIGHT: SECRETS.maxsight.apiKey,
  };

  it.each(VENDOR_NAMES)("%s 400: the message and the logs hold [redacted]", async (name) => {
    handler = (_req, res) => sendJson(res, 400, ERRORS[name](SECRET_OF[name]));
    const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
    expect(result.body.errors?.[0]?.extensions?.code).toBe("VENDOR_BAD_REQUEST");
    expect(result.body.errors?.[0]?.message).toMatch(/with (key|token) \[redacted\]$/);
    expectNoSecret(result);
  });

  it.each(VENDOR_NAMES)("%s 400 echoing the request: nothing of it in the answer or logs", async (name) => {
    handler = (req, res) => sendJson(res, 400, { ...ERRORS[name](SECRET_OF[name]), debug: echo(req) });
    const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
    expect(result.body.errors?.[0]?.extensions?.code).toBe("VENDOR_BAD_REQUEST");
    expectNoSecret(result, 0);
  });
});

describe("a trace id that echoes the credential", () => {
  it.each([
    ["CAPY", SECRETS.capy.token],
    ["MAXSIGHT", SECRETS.maxsight.apiKey],
  ] as const)("%s: the error has no traceId, and no log line the secret", async (name, secret) => {
    handler = (_req, res) => sendJson(res, 503, { message: "down" }, { "x-request-id": secret });
    const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: "VENDOR_UNAVAILABLE" });
    expect(result.body.errors?.[0]?.extensions?.traceId).toBeUndefined();
    expectNoSecret(result, 0);
  });

  it.each([
    ["MAX_AI", { code: "bad_request", message: "no", trace_id: SECRETS.maxai.apiKey }],
    ["CAKEWALK", { title: "Bad Request", status: 400, traceId: SECRETS.cakewalk.apiSecret }],
  ] as const)("%s: a trace id in the error body that is the secret is not passed on", async (name, body) => {
    handler = (_req, res) => sendJson(res, 400, body);
    const result = await stack.gql(TASK, { variables: { vendor: name, id: TASKS[name].id } });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: "VENDOR_BAD_REQUEST" });
    expect(result.body.errors?.[0]?.extensions?.traceId).toBeUndefined();
    expectNoSecret(result, 0);
  });
});
