import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BodyBudget } from "./body-budget.ts";
import { createHttpClient } from "./client.ts";
import { BodyBudgetError } from "./errors.ts";
import { createRequestDeadline } from "./request-deadline.ts";
import { type Loopback, startLoopback } from "./test-support/loopback.ts";

const KIB = 1024;
/** A JSON body of exactly `bytes` bytes. */
const body = (bytes: number) => `"${"x".repeat(bytes - 2)}"`;

let vendor: Loopback;
beforeAll(async () => {
  vendor = await startLoopback((req, res) => {
    const bytes = Number(new URL(req.url ?? "/", "http://x").searchParams.get("bytes"));
    const status = req.url?.startsWith("/error") ? 503 : 200;
    // /chunked declares no length: the budget counts the body as it arrives.
    if (req.url?.startsWith("/chunked")) res.writeHead(status, { "content-type": "application/json" });
    else res.writeHead(status, { "content-type": "application/json", "content-length": bytes });
    res.end(body(bytes));
  });
});
afterAll(() => vendor.close());

const http = () => createHttpClient({ vendor: "capy", baseUrl: vendor.url });
const read = (client: ReturnType<typeof http>, route: string, bytes: number, bodies: BodyBudget) =>
  client.request({
    operation: "getTask",
    method: "GET",
    path: route,
    query: { bytes: String(bytes) },
    schema: z.string(),
    signal: createRequestDeadline(5_000, { bodies }).signal,
  });

describe("BodyBudget: the bytes of answers a request's calls may hold", () => {
  it.each(["/declared", "/chunked"])(
    "%s: answers within the budget are read; the one past it is a BodyBudgetError",
    async (route) => {
      const client = http();
      const bodies = new BodyBudget(200 * KIB);
      await read(client, route, 120 * KIB, bodies);
      const error = await read(client, route, 120 * KIB, bodies).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BodyBudgetError);
      expect(error).toMatchObject({ vendor: "capy", operation: "getTask", limit: 200 * KIB, shared: false });
      // Not past it: what fits is still read.
      expect((await read(client, route, 60 * KIB, bodies)).data).toHaveLength(60 * KIB - 2);
      await client.close();
    },
  );

  it("a request's budget draws on the shared one, and gives back what it took when released", async () => {
    const client = http();
    const shared = new BodyBudget(150 * KIB);
    const first = new BodyBudget(1024 * KIB, shared);
    await read(client, "/declared", 100 * KIB, first);
    const second = new BodyBudget(1024 * KIB, shared);
    const error = await read(client, "/chunked", 100 * KIB, second).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "BodyBudgetError", limit: 150 * KIB, shared: true });
    first.release();
    await read(client, "/chunked", 100 * KIB, second);
    await client.close();
  });

  it("an error answer past the budget still reports its status", async () => {
    const client = http();
    const error = await read(client, "/error", 10 * KIB, new BodyBudget(KIB)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unavailable", status: 503 });
    await client.close();
  });
});
