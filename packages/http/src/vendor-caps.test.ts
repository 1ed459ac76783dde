import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type HttpClientOptions, type RequestSpec } from "./client.ts";
import { failure } from "./test-support/failure.ts";
import { type Loopback, startLoopback } from "./test-support/loopback.ts";

const TOKEN = "sk_live_TOKEN_4f1c9a";
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
let answer: { status: number; body: string; headers?: Record<string, string> };
let server: Loopback;

beforeAll(async () => {
  server = await startLoopback((_req, res) => {
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body);
  });
});
afterAll(() => server.close());

const get: RequestSpec<unknown> = { operation: "getTask", method: "GET", path: "/t", schema: z.unknown() };

function client(overrides: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    vendor: "capy",
    baseUrl: server.url,
    headers: { authorization: `Bearer ${TOKEN}` },
    traceHeader: "x-request-id",
    readError: ({ body }) => ({ traceId: (body as { trace_id?: string } | undefined)?.trace_id }),
    ...overrides,
  });
}

describe("vendor JSON nesting", () => {
  it("refuses a 200,000-level answer as a contract violation (it would overflow JSON.stringify later)", async () => {
    answer = { status: 200, body: nested(200_000) };
    const error = await failure(client().request(get));
    expect(error.kind).toBe("contract_violation");
    expect(error.detail).toBe("JSON nested deeper than 64 levels");
    expect(error.status).toBe(200);
  });

  it("accepts exactly maxJsonDepth levels and refuses one more", async () => {
    answer = { status: 200, body: nested(64) };
    await expect(client().request(get)).resolves.toMatchObject({ status: 200 });
    answer = { status: 200, body: nested(65) };
    expect((await failure(client().request(get))).kind).toBe("contract_violation");
    answer = { status: 200, body: nested(9) };
    expect((await failure(client({ maxJsonDepth: 8 }).request(get))).detail).toBe("JSON nested deeper than 8 levels");
  });

  it("does not count brackets inside strings, escaped quotes included", async () => {
    answer = { status: 200, body: JSON.stringify({ s: '[[[[{{{{\\"}}[[', t: ['"[[[', "\\"] }) };
    const { data } = await client({ maxJsonDepth: 2 }).request(get);
    expect(data).toEqual({ s: '[[[[{{{{\\"}}[[', t: ['"[[[', "\\"] });
  });

  it("reads a too-deep error body as no body: the status still says what went wrong", async () => {
    answer = { status: 503, body: nested(100), headers: { "x-request-id": "rq-503" } };
    const error = await failure(client().request(get));
    expect(error).toMatchObject({ kind: "unavailable", status: 503, traceId: "rq-503" });
  });
});

describe("vendor trace ids", () => {
  const ok = (traceId: string) => ({ status: 200, body: "{}", headers: { "x-request-id": traceId } });
  const refused = (traceId: string) => ({ status: 400, body: JSON.stringify({ trace_id: traceId }) });

  it.each([
    ["a UUID", "0f8fad5b-d9cb-469f-a165-70867728950e"],
    ["a W3C traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["an AWS trace header", "Root=1-5759e988-bd862e3fe1be46a994272793"],
    ["an ASP.NET Core trace id", "0HMPNHL0JHL76:00000001"],
  ])("keeps %s, from a header and from the body", async (_name, traceId) => {
    answer = ok(traceId);
    expect((await client().request(get)).traceId).toBe(traceId);
    answer = refused(traceId);
    expect((await failure(client().request(get))).traceId).toBe(traceId);
  });

  it.each([
    ["the credential itself", TOKEN],
    ["the credential inside it", `req-${TOKEN}-1`],
    ["a part of the credential", TOKEN.slice(0, 12)],
    ["12,000 characters", "a".repeat(12_000)],
    ["129 characters", "a".repeat(129)],
    ["spaces", "Bearer abc"],
    ["markup", "<script>x</script>"],
    ["a line break", "a\u2028b"],
  ])("drops one that holds %s, from a header and from the body", async (_name, traceId) => {
    answer = { status: 200, body: "{}", headers: { "x-request-id": encodeURIComponent(traceId) } };
    if (encodeURIComponent(traceId) === traceId) expect((await client().request(get)).traceId).toBeUndefined();
    answer = refused(traceId);
    const error = await failure(client().request(get));
    expect(error.traceId).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain(TOKEN.slice(0, 12));
  });

  it("scrubs the secrets given in `secrets` too", async () => {
    answer = refused("cw-secret-9f2e4d");
    const error = await failure(client({ secrets: ["cw-secret-9f2e4d"] }).request(get));
    expect(error.traceId).toBeUndefined();
  });
});
