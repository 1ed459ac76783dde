import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answer, requestCases, type Stack, startStack } from "./e2e-support.ts";

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

describe("the node:http fast path", () => {
  it("answers every request exactly as yoga's Fetch adapter does (status, headers, body)", async () => {
    for (const [name, c] of requestCases(sandbox)) {
      const viaYoga = await answer(yoga, c);
      const viaFast = await answer(fast, c);
      expect({ name, ...viaFast }).toEqual({ name, ...viaYoga });
    }
  });

  it("logs one access line per request with the tenant, as before", async () => {
    await answer(fast, { body: JSON.stringify({ query: "{ __typename }" }), headers: { "x-request-id": "fast-1" } });
    const line = fast.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === "fast-1" && l.msg === "request");
    expect(line).toMatchObject({ method: "POST", path: "/graphql", status: 200, tenant: "test" });
  });
});
