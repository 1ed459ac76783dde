/** Test harness for the e2e tests: the real sandbox, the real app, a real HTTP server on an OS-picked port. */
import { createServer } from "node:net";
import { type Sandbox, startSandbox, VENDORS } from "@taskbridge/sandbox";
import { type App, type AppOptions, createApp } from "./app.ts";
import { demoConfig } from "./embedded.ts";
import { createLogger } from "./logger.ts";
import { type RunningServer, type ServerOptions, startServer } from "./server.ts";
import { connectionSecrets, resolveConfig, type TaskbridgeConfigInput } from "./tenants.ts";

export const TEST_KEY = "tb_test_key_0123456789";

/** Short deadlines so hang faults end quickly. */
export const TEST_TIMEOUTS = { connectMs: 1_000, headersMs: 400, bodyMs: 400, totalMs: 1_500 };

export interface GqlResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
  text: string;
}

export interface Stack {
  sandbox: Sandbox;
  app: App;
  server: RunningServer;
  url: string;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  /** Every vendor credential configured in the stack's tenants. */
  secrets: string[];
  gql(query: string, options?: { variables?: Record<string, unknown>; key?: string | null }): Promise<GqlResult>;
  /** Requests all four simulators received since their logs were last cleared. */
  vendorCalls(): number;
  close(): Promise<void>;
}

/** The demo tenant against `sandbox`, with TEST_KEY and short deadlines on every connection. */
export function testConfig(sandbox: Sandbox, key = TEST_KEY, id = "test"): TaskbridgeConfigInput {
  const config = demoConfig(sandbox, key);
  const tenant = config.tenants[0];
  if (!tenant) throw new Error("demo config has no tenant");
  tenant.id = id;
  for (const connection of Object.values(tenant.connections)) {
    if (connection) connection.http = { timeouts: TEST_TIMEOUTS };
  }
  return config;
}

export async function startStack(
  options: {
    sandbox?: Sandbox;
    config?: (sandbox: Sandbox) => TaskbridgeConfigInput;
    app?: Partial<Omit<AppOptions, "tenants" | "logger">>;
    server?: Partial<Omit<ServerOptions, "app">>;
    /** Default debug: every line is kept in `logs`. Load tests pass "warn". */
    logLevel?: string;
  } = {},
): Promise<Stack> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const tenants = resolveConfig((options.config ?? testConfig)(sandbox), () => undefined);
  const secrets = tenants.flatMap((tenant) => connectionSecrets(tenant.connections));
  const logs: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? "debug",
    secrets,
    destination: { write: (line: string) => logs.push(line) },
  });
  const app = createApp({ tenants, logger, introspection: true, graphiql: false, ...options.app });
  const server = await startServer({ app, port: 0, shutdownGraceMs: 2_000, ...options.server });
  const url = `${server.origin}/graphql`;
  return {
    sandbox,
    app,
    server,
    url,
    logs,
    secrets,
    async gql(query, { variables, key = TEST_KEY } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
    },
    vendorCalls: () => VENDORS.reduce((sum, vendor) => sum + sandbox.vendors[vendor].requests.count(), 0),
    async close() {
      await server.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}

/** One HTTP request to the GraphQL endpoint; POST /graphql with TEST_KEY unless it says otherwise. */
export interface RequestCase {
  body?: string;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

const TASK =
  "query T($id: ID!) { task(id: $id, vendor: MAX_AI) { id vendor vendorId title status createdAt updatedAt } }";
const q = (query: string, variables?: unknown) => JSON.stringify({ query, variables });

/** Requests of every kind the endpoint answers: data, not found, each error class, and what yoga handles itself. */
export function requestCases(sandbox: Sandbox): [string, RequestCase][] {
  const id = sandbox.vendors.maxai.seed.example.v4TaskId;
  const capy = sandbox.vendors.capy.seed.example.taskId;
  return [
    ["a task", { body: q(TASK, { id }) }],
    ["Accept: application/json", { body: q(TASK, { id }), headers: { accept: "application/json" } }],
    [
      "Accept: graphql-response+json",
      { body: q(TASK, { id }), headers: { accept: "application/graphql-response+json" } },
    ],
    [
      "Accept: both",
      { body: q(TASK, { id }), headers: { accept: "application/graphql-response+json, application/json" } },
    ],
    ["Accept: text/html", { body: q(TASK, { id }), headers: { accept: "text/html" } }],
    ["CORS origin", { body: q(TASK, { id }), headers: { origin: "https://example.com" } }],
    ["charset", { body: q(TASK, { id }), headers: { "content-type": "application/json; charset=utf-8" } }],
    ["not found", { body: q(TASK, { id: "tsk_00000000000000000000000000000000" }) }],
    ["malformed id", { body: q(TASK, { id: "nope" }) }],
    [
      "malformed id, graphql-response+json",
      { body: q(TASK, { id: "nope" }), headers: { accept: "application/graphql-response+json" } },
    ],
    ["syntax error", { body: q("{ task(") }],
    ["unknown field", { body: q("{ nope }") }],
    [
      "unknown field, graphql-response+json",
      { body: q("{ nope }"), headers: { accept: "application/graphql-response+json" } },
    ],
    ["introspection off", { body: q("{ __schema { queryType { name } } }") }],
    ["variable of the wrong type", { body: q(TASK, { id: 5 }) }],
    ["missing variable", { body: q(TASK, {}) }],
    ["depth limit", { body: q(`{ task(id: "${capy}", vendor: CAPY) { assignedProviders { person { id } } } }`) }],
    ["alias limit", { body: q("{ a: __typename b: __typename c: __typename d: __typename e: __typename }") }],
    ["invalid JSON", { body: "{nope" }],
    ["no query", { body: JSON.stringify({ variables: {} }) }],
    ["unexpected parameter", { body: JSON.stringify({ query: "{ __typename }", foo: 1 }) }],
    ["null variables", { body: JSON.stringify({ query: "{ __typename }", variables: null, operationName: null }) }],
    ["extensions", { body: JSON.stringify({ query: "{ __typename }", extensions: {} }) }],
    ["a batch", { body: JSON.stringify([{ query: "{ __typename }" }]) }],
    [
      "operationName",
      { body: JSON.stringify({ query: "query A { __typename } query B { __typename }", operationName: "B" }) },
    ],
    ["operationName missing", { body: JSON.stringify({ query: "query A { __typename } query B { __typename }" }) }],
    ["no key", { body: q("{ __typename }"), headers: { authorization: "" } }],
    ["wrong key", { body: q("{ __typename }"), headers: { authorization: "Bearer nope_nope_nope" } }],
    ["text/plain", { body: q("{ __typename }"), headers: { "content-type": "text/plain" } }],
    ["a query string", { body: q("{ __typename }"), path: "/graphql?x=1" }],
    ["GET", { method: "GET", path: `/graphql?query=${encodeURIComponent("{ __typename }")}` }],
    [
      "tasks with failures",
      {
        body: q(
          `{ tasks(refs: [{id: "${id}", vendor: MAX_AI}, {id: "bad", vendor: MAX_AI}, {id: "x", vendor: CAPY}]) { ref { id } error { code } task { id } } }`,
        ),
      },
    ],
    [
      "a mutation that fails validation of its input",
      { body: q(`mutation { createTask(input: {}) { task { id } } }`) },
    ],
  ];
}

/** Status, headers (less the per-request ones) and body text of one request. */
export async function answer(stack: Stack, c: RequestCase) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${TEST_KEY}`,
    "content-type": "application/json",
    // A fixed id, so the answers of two stacks to the same request compare equal.
    "x-request-id": "compare",
    ...c.headers,
  };
  if (headers.authorization === "") delete headers.authorization;
  const method = c.method ?? "POST";
  const response = await fetch(stack.server.origin + (c.path ?? "/graphql"), {
    method,
    headers,
    ...(method === "POST" ? { body: c.body } : {}),
  });
  const own = new Set(["date", "x-request-id", "keep-alive"]);
  return {
    status: response.status,
    headers: Object.fromEntries([...response.headers].filter(([name]) => !own.has(name))),
    body: await response.text(),
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
