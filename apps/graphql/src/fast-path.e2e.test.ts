import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY } from "./e2e-support.ts";

let sandbox: Sandbox;
/** The same app twice: with the node:http fast path (the default) and with every request through yoga's adapter. */
let fast: Stack;
let yoga: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  const app = { introspection: false, limits: { depth: 4, aliases: 3 } };
  fast = await startStack({ sandbox, app });
  yoga = await startStack({ sandbox, app: { ...app, fastPath: false } });
});
afterAll(async () => {
  await fast.close();
  await yoga.close();
  await sandbox.close();
});

interface Case {
  body?: string;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

const TASK =
  "query T($id: ID!) { task(id: $id, vendor: MAX_AI) { id vendor vendorId title status createdAt updatedAt } }";
const q = (query: string, variables?: unknown) => JSON.stringify({ query, variables });

function cases(): [string, Case][] {
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

async function answer(stack: Stack, c: Case) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${TEST_KEY}`,
    "content-type": "application/json",
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

describe("the node:http fast path", () => {
  it("answers every request exactly as yoga's Fetch adapter does (status, headers, body)", async () => {
    for (const [name, c] of cases()) {
      const viaYoga = await answer(yoga, c);
      const viaFast = await answer(fast, c);
      expect({ name, ...viaFast }).toEqual({ name, ...viaYoga });
    }
  });

  it("logs one access line per request with the tenant, as before", async () => {
    await answer(fast, { body: q("{ __typename }"), headers: { "x-request-id": "fast-1" } });
    const line = fast.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === "fast-1" && l.msg === "request");
    expect(line).toMatchObject({ method: "POST", path: "/graphql", status: 200, tenant: "test" });
  });
});
