import type { VendorErrorKind } from "@taskbridge/model";
import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type HttpClient } from "./client.ts";
import { path } from "./path.ts";
import { parseResetEpochSeconds } from "./retry-after.ts";

const ORIGIN = "https://api.example.test";
let agent: MockAgent;
let http: HttpClient;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  http = createHttpClient({
    vendor: "maxai",
    baseUrl: `${ORIGIN}/base/`,
    headers: { "x-api-key": "mock_secret_key" },
    dispatcher: agent,
    retryAfter: (headers, now) => parseResetEpochSeconds(headers["x-ratelimit-reset"], now),
  });
});

afterEach(async () => {
  await http.close();
  await agent.close();
});

describe("createHttpClient with undici MockAgent", () => {
  const cases: Array<[number, VendorErrorKind]> = [
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
    [405, "bad_request"],
    [408, "timeout"],
    [409, "conflict"],
    [410, "not_found"],
    [422, "bad_request"],
    [429, "rate_limited"],
    [500, "unavailable"],
    [503, "unavailable"],
    [302, "contract_violation"],
  ];
  it.each(cases)("maps HTTP %i to %s", async (status, kind) => {
    agent.get(ORIGIN).intercept({ path: "/base/v2/things", method: "GET" }).reply(status, { error: "x" });
    const error = await http
      .request({ operation: "listThings", method: "GET", path: "/v2/things", schema: z.unknown() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, status, vendor: "maxai" });
  });

  it("encodes query values (spaces, reserved characters, arrays) and leaves undefined ones out", async () => {
    agent
      .get(ORIGIN)
      .intercept({
        path: "/base/v2/tasks/a%2Fb%3Fc%3D1?q=a%20b%26c%3Dd&tag=x&tag=y%23z&n=3&flag=false",
        method: "GET",
      })
      .reply(200, { ok: true });
    const response = await http.request({
      operation: "search",
      method: "GET",
      path: path`/v2/tasks/${"a/b?c=1"}`,
      query: { q: "a b&c=d", tag: ["x", "y#z"], n: 3, flag: false, missing: undefined },
      schema: z.object({ ok: z.boolean() }),
    });
    expect(response.data.ok).toBe(true);
  });

  it("sends the JSON body, content type and idempotency header only when configured", async () => {
    await http.close();
    http = createHttpClient({
      vendor: "maxai",
      baseUrl: ORIGIN,
      dispatcher: agent,
      idempotencyHeader: "Idempotency-Key",
    });
    agent
      .get(ORIGIN)
      .intercept({
        path: "/v2/tasks",
        method: "POST",
        body: JSON.stringify({ title: "t" }),
        headers: { "content-type": "application/json", "idempotency-key": "idem-1" },
      })
      .reply(201, { id: "t-9" });
    const response = await http.request({
      operation: "createTask",
      method: "POST",
      path: "/v2/tasks",
      body: { title: "t" },
      idempotencyKey: "idem-1",
      schema: z.object({ id: z.string() }),
    });
    expect(response).toMatchObject({ status: 201, data: { id: "t-9" } });
  });

  it("uses the vendor's reset header when there is no Retry-After", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 30;
    agent
      .get(ORIGIN)
      .intercept({ path: "/base/v2/things", method: "GET" })
      .reply(429, {}, { headers: { "x-ratelimit-reset": String(resetAt) } });
    const error = await http
      .request({ operation: "listThings", method: "GET", path: "/v2/things", schema: z.unknown() })
      .then(
        () => undefined,
        (e: unknown) => e as { retryAfterMs?: number },
      );
    expect(error?.retryAfterMs).toBeGreaterThan(20_000);
    expect(error?.retryAfterMs).toBeLessThanOrEqual(30_000);
  });
});
