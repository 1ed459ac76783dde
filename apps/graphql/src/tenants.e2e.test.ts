import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { Client } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";

/**
 * Two tenants, each with its own vendors (two sandboxes started with different credentials), behind one
 * Taskbridge: every call must reach the caller's tenant's vendor with that tenant's credentials.
 */
const ALPHA_KEY = "tb_alpha_key_0123456789";
const BETA_KEY = "tb_beta_key_9876543210";

let alphaVendors: Sandbox;
let betaVendors: Sandbox;
let stack: Stack;

beforeAll(async () => {
  alphaVendors = await startSandbox({
    credentials: { maxai: { apiKey: "max_dev_ak_alpha" }, capy: { token: "capy_alpha" } },
  });
  betaVendors = await startSandbox({
    seed: 2,
    credentials: { maxai: { apiKey: "max_dev_ak_beta" }, capy: { token: "capy_beta" } },
  });
  stack = await startStack({
    sandbox: alphaVendors,
    config: () => ({
      tenants: [
        ...testConfig(alphaVendors, ALPHA_KEY, "alpha").tenants,
        ...testConfig(betaVendors, BETA_KEY, "beta").tenants,
      ],
    }),
  });
});
afterAll(async () => {
  await stack.close();
  await alphaVendors.close();
  await betaVendors.close();
});
beforeEach(() => {
  alphaVendors.reset();
  betaVendors.reset();
});

function authorizations(sandbox: Sandbox, vendor: "maxai" | "capy"): string[] {
  return sandbox.vendors[vendor].requests.entries().map((e) => String(e.headers.authorization));
}

describe("tenant isolation", () => {
  it("each tenant's calls go to its own vendors with its own credentials", async () => {
    const id = alphaVendors.vendors.maxai.seed.example.v4TaskId;
    const query = `{ task(vendor: MAX_AI, id: "${id}") { id assignedProviders { person { displayName } } } }`;
    const alpha = await stack.gql(query, { key: ALPHA_KEY });
    const beta = await stack.gql(query, { key: BETA_KEY });
    expect(alpha.body.data.task.id).toBe(`maxai:${id}`);
    expect(beta.body.data.task.id).toBe(`maxai:${id}`);
    expect(authorizations(alphaVendors, "maxai")).toEqual(["Bearer max_dev_ak_alpha"]);
    expect(authorizations(betaVendors, "maxai")).toEqual(["Bearer max_dev_ak_beta"]);
  });

  it("a task created by one tenant is not visible to the other", async () => {
    const projectId = alphaVendors.vendors.capy.seed.example.projectId;
    const created = await stack.gql(
      "mutation($input: CreateTaskInput!) { createTask(input: $input) { task { vendorId } } }",
      { key: ALPHA_KEY, variables: { input: { capy: { projectId, prompt: "only for alpha" } } } },
    );
    const id = created.body.data.createTask.task.vendorId;
    const read = `{ task(vendor: CAPY, id: "${id}") { vendorId } }`;
    expect((await stack.gql(read, { key: ALPHA_KEY })).body.data.task).toEqual({ vendorId: id });
    expect((await stack.gql(read, { key: BETA_KEY })).body.data.task).toBeNull();
    expect(authorizations(alphaVendors, "capy").every((a) => a === "Bearer capy_alpha")).toBe(true);
    expect(authorizations(betaVendors, "capy")).toEqual(["Bearer capy_beta"]);
  });

  it("concurrent requests of both tenants never share loaders or answers", async () => {
    // Different seeds: the same Capy id exists only in alpha's data, and Capy's example differs per seed.
    const alphaOnly = alphaVendors.vendors.capy.seed.taskIds.filter(
      (id) => !betaVendors.vendors.capy.seed.taskIds.includes(id),
    );
    const id = alphaOnly[0] as string;
    const query = `{ tasks(refs: [{ vendor: CAPY, id: "${id}" }, { vendor: CAPY, id: "${id}" }]) { task { vendorId } } }`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stack.gql(query, { key: i % 2 ? BETA_KEY : ALPHA_KEY })),
    );
    results.forEach((result, i) => {
      const expected = i % 2 ? null : { vendorId: id };
      expect(result.body.data.tasks.map((r: { task: unknown }) => r.task)).toEqual([expected, expected]);
    });
    expect(alphaVendors.vendors.capy.requests.count()).toBe(10);
    expect(betaVendors.vendors.capy.requests.count()).toBe(10);
  });

  it("one tenant's idempotency key and input are another's own: each creates its task, neither replays", async () => {
    const projectId = alphaVendors.vendors.capy.seed.example.projectId;
    const create = (key: string) =>
      stack.gql(
        `mutation($input: CreateTaskInput!) { createTask(input: $input, idempotencyKey: "shared-key") { task { vendorId } } }`,
        { key, variables: { input: { capy: { projectId, prompt: "the same input" } } } },
      );
    const alpha = await create(ALPHA_KEY);
    const beta = await create(BETA_KEY);
    const alphaId = alpha.body.data.createTask.task.vendorId;
    expect(alphaId).toEqual(expect.any(String));
    // Beta's own vendor got the POST: beta is answered from beta's, whatever it said, never from alpha's record.
    expect(betaVendors.vendors.capy.requests.count({ method: "POST" })).toBe(1);
    expect(beta.text).not.toContain(alphaId);
    expect((await create(ALPHA_KEY)).body.data.createTask.task.vendorId).toBe(alphaId);
    expect(alphaVendors.vendors.capy.requests.count({ method: "POST" })).toBe(1);
  });

  it("a listing cursor of one tenant is refused for the other, before any vendor call", async () => {
    const list = `query L($after: String) {
      taskList(first: 2, after: $after, filter: { vendors: [MAX_AI] }) { pageInfo { endCursor } }
    }`;
    const first = await stack.gql(list, { key: ALPHA_KEY });
    const after = first.body.data.taskList.pageInfo.endCursor;
    expect(after).toEqual(expect.any(String));
    const calls = betaVendors.vendors.maxai.requests.count();
    const refused = await stack.gql(list, { key: BETA_KEY, variables: { after } });
    expect(refused.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect(refused.body.errors[0].message).toMatch(/another listing/);
    expect(betaVendors.vendors.maxai.requests.count()).toBe(calls);
  });

  it("one tenant's key is not another's: a wrong key reaches no vendor", async () => {
    const wrong = await stack.gql("{ __typename }", { key: `${ALPHA_KEY}x` });
    expect(wrong.status).toBe(401);
    expect(stack.vendorCalls()).toBe(0);
    expect(betaVendors.vendors.maxai.requests.count() + betaVendors.vendors.capy.requests.count()).toBe(0);
  });

  it("logs each request with its tenant, and no credential of either", async () => {
    await stack.gql("{ __typename }", { key: BETA_KEY });
    const lines = stack.logs.map((line) => JSON.parse(line));
    expect(lines.some((l) => l.msg === "request" && l.tenant === "beta" && typeof l.reqId === "string")).toBe(true);
    for (const secret of ["max_dev_ak_alpha", "max_dev_ak_beta", "capy_alpha", "capy_beta", ALPHA_KEY, BETA_KEY]) {
      expect(stack.logs.join("\n")).not.toContain(secret);
    }
  });

  it("a keep-alive connection that changes its key is answered for the key of each request", async () => {
    const id = alphaVendors.vendors.maxai.seed.example.v4TaskId;
    const body = JSON.stringify({ query: `{ task(vendor: MAX_AI, id: "${id}") { id } }` });
    // One connection for every request, so the per-connection memory of the tenant is what is tested.
    const client = new Client(stack.server.origin, { pipelining: 1 });
    const sockets = new Set<unknown>();
    client.on("connect", (_origin, [, socket]) => sockets.add(socket));
    const send = async (key: string) => {
      const { statusCode, body: answer } = await client.request({
        method: "POST",
        path: "/graphql",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body,
      });
      return { status: statusCode, text: await answer.text() };
    };
    try {
      const answers = [];
      for (const key of [ALPHA_KEY, BETA_KEY, "tb_wrong_key_000000", ALPHA_KEY, ALPHA_KEY])
        answers.push(await send(key));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 200, 200]);
      expect(sockets.size).toBe(1);
      expect(authorizations(alphaVendors, "maxai")).toEqual(Array(3).fill("Bearer max_dev_ak_alpha"));
      expect(authorizations(betaVendors, "maxai")).toEqual(["Bearer max_dev_ak_beta"]);
    } finally {
      await client.close();
    }
  });
});
