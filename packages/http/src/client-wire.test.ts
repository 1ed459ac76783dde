import type { VendorErrorKind } from "@taskbridge/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type HttpClientOptions } from "./client.ts";
import { path } from "./path.ts";
import { parseResetEpochSeconds } from "./retry-after.ts";
import { type Loopback, sendJson, startLoopback } from "./test-support/loopback.ts";

/** What the loopback server answers next: a status with a JSON body, and any headers. */
let answer: { status: number; headers?: Record<string, string> };
let server: Loopback;

beforeAll(async () => {
  server = await startLoopback((_req, res) => sendJson(res, answer.status, { error: "x" }, answer.headers));
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  answer = { status: 200 };
});

function client(overrides: Partial<HttpClientOptions> = {}) {
  return createHttpClient({ vendor: "maxai", baseUrl: `${server.url}/base/`, ...overrides });
}

const listThings = { operation: "listThings", method: "GET", path: "/v2/things", schema: z.unknown() } as const;

describe("createHttpClient on the wire (a loopback server)", () => {
  const cases: Array<[number, VendorErrorKind]> = [
    [400, "bad_request"],
    [405, "bad_request"],
    [408, "timeout"],
    [410, "not_found"],
    [503, "unavailable"],
    [302, "contract_violation"],
  ];
  it.each(cases)("maps HTTP %i to %s", async (status, kind) => {
    answer = { status };
    const http = client();
    try {
      const error = await http.request(listThings).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind, status, vendor: "maxai" });
      expect(server.seen.map((r) => r.url)).toEqual(["/base/v2/things"]);
    } finally {
      await http.close();
    }
  });

  it("encodes query values (spaces, reserved characters, arrays) and leaves undefined ones out", async () => {
    const http = client();
    try {
      const response = await http.request({
        operation: "search",
        method: "GET",
        path: path`/v2/tasks/${"a/b?c=1"}`,
        query: { q: "a b&c=d", tag: ["x", "y#z"], n: 3, flag: false, missing: undefined },
        schema: z.object({ error: z.string() }),
      });
      expect(response.data).toEqual({ error: "x" });
      expect(server.seen.map((r) => r.url)).toEqual([
        "/base/v2/tasks/a%2Fb%3Fc%3D1?q=a%20b%26c%3Dd&tag=x&tag=y%23z&n=3&flag=false",
      ]);
    } finally {
      await http.close();
    }
  });

  it("sends the JSON body, content type and idempotency header only when configured", async () => {
    answer = { status: 201 };
    const plain = client();
    const keyed = client({ idempotencyHeader: "Idempotency-Key" });
    const create = {
      operation: "createTask",
      method: "POST",
      path: "/v2/tasks",
      body: { title: "t" },
      idempotencyKey: "idem-1",
      schema: z.object({ error: z.string() }),
    } as const;
    try {
      expect(await keyed.request(create)).toMatchObject({ status: 201, data: { error: "x" } });
      await plain.request(create);
      await plain.request(listThings).catch(() => undefined);
      const [withKey, withoutKey, get] = server.seen;
      expect(withKey).toMatchObject({ method: "POST", body: JSON.stringify({ title: "t" }) });
      expect(withKey?.headers["content-type"]).toBe("application/json");
      expect(withKey?.headers["idempotency-key"]).toBe("idem-1");
      expect(withoutKey).toMatchObject({ method: "POST", body: JSON.stringify({ title: "t" }) });
      expect(withoutKey?.headers["idempotency-key"]).toBeUndefined();
      expect(get).toMatchObject({ method: "GET", body: "" });
      expect(get?.headers["content-type"]).toBeUndefined();
    } finally {
      await Promise.all([plain.close(), keyed.close()]);
    }
  });

  it("uses the vendor's reset header when there is no Retry-After", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 30;
    answer = { status: 429, headers: { "x-ratelimit-reset": String(resetAt) } };
    let readAt: number | undefined;
    const http = client({
      retryAfter: (headers, now) => {
        readAt = now;
        return parseResetEpochSeconds(headers["x-ratelimit-reset"], now);
      },
    });
    try {
      const error = await http.request(listThings).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "rate_limited", status: 429, limitedBy: "vendor" });
      expect(readAt).toEqual(expect.any(Number));
      expect(error).toMatchObject({ retryAfterMs: resetAt * 1000 - (readAt as number) });
    } finally {
      await http.close();
    }
  });
});
