import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY, testConfig } from "./e2e-support.ts";

let sandbox: Sandbox;
let stack: Stack;
/** A tenant whose Max AI connection is limited to 200 requests a minute: one request may spend 20 of them. */
let limited: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
  limited = await startStack({
    sandbox,
    logLevel: "warn",
    config: (s) => {
      const config = testConfig(s);
      const maxai = config.tenants[0]?.connections.maxai;
      if (maxai) maxai.rateLimit = { limit: 200, windowMs: 60_000 };
      return config;
    },
  });
});
afterAll(async () => {
  await stack.close();
  await limited.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

/** `count` distinct Max AI task ids (absent from the sandbox: nothing may be asked for them anyway). */
const ids = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `tsk_${(from + i).toString(16).padStart(32, "0")}`);
const refs = (list: string[]) => list.map((id) => `{ vendor: MAX_AI, id: "${id}" }`).join(" ");

describe("the vendor-call budget of one request", () => {
  it("counts every alias before anything is called: 12 × 100 refs is refused, naming the limit", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const query = `query Q(${names.map((n) => `$${n}: [TaskRefInput!]!`).join(", ")}) { ${names
      .map((n) => `${n}: tasks(refs: $${n}) { task { id } }`)
      .join(" ")} }`;
    const variables = Object.fromEntries(
      names.map((n, i) => [n, ids(100, i * 100).map((id) => ({ vendor: "MAX_AI", id }))]),
    );
    const { status, body } = await stack.gql(query, { variables });
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(body.errors[0].message).toMatch(/needs 1200 vendor calls; one request may make at most 100/);
    expect(stack.vendorCalls()).toBe(0);
  });

  it("counts refs given in variables", async () => {
    const query =
      "query Q($a: [TaskRefInput!]!, $b: [TaskRefInput!]!) { a: tasks(refs: $a) { task { id } } b: tasks(refs: $b) { task { id } } }";
    const variables = {
      a: ids(60).map((id) => ({ vendor: "MAX_AI", id })),
      b: ids(60, 60).map((id) => ({ vendor: "MAX_AI", id })),
    };
    const { body } = await stack.gql(query, { variables });
    expect(body.errors[0].message).toMatch(/needs 120 vendor calls/);
    expect(stack.vendorCalls()).toBe(0);
  });

  it("counts a read asked for twice once, as the request makes it once", async () => {
    const sixty = refs(ids(60));
    const { body } = await stack.gql(
      `{ a: tasks(refs: [${sixty}]) { task { id } } b: tasks(refs: [${sixty}]) { task { id } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.a).toHaveLength(60);
    expect(stack.vendorCalls()).toBe(60);
  });

  it("counts a batch's operations together", async () => {
    const one = (from: number) => ({ query: `{ tasks(refs: [${refs(ids(60, from))}]) { task { id } } }` });
    const response = await fetch(stack.url, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify([one(0), one(60)]),
    });
    const [first, second] = await response.json();
    expect(first.errors).toBeUndefined();
    expect(second.errors[0].message).toMatch(/needs 120 vendor calls/);
    expect(stack.vendorCalls()).toBe(60);
  });

  it("never lets one request spend more than its share of a connection's rate budget", async () => {
    const { body } = await limited.gql(`{ tasks(refs: [${refs(ids(21))}]) { task { id } } }`);
    expect(body.errors[0].message).toMatch(/needs 21 calls to maxai; one request may spend at most 20/);
    expect(limited.vendorCalls()).toBe(0);
    const within = await limited.gql(`{ tasks(refs: [${refs(ids(20))}]) { task { id } } }`);
    expect(within.body.errors).toBeUndefined();
    expect(limited.vendorCalls()).toBe(20);
  });
});
