import { inspect } from "node:util";
import type { VendorError, VendorErrorKind } from "@taskbridge/model";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type HttpClientOptions } from "./client.ts";
import { abortedByCaller } from "./errors.ts";
import { path } from "./path.ts";
import type { CallContext, Policy } from "./policy.ts";
import { createRequestDeadline } from "./request-deadline.ts";
import { failure } from "./test-support/failure.ts";
import { type Loopback, sendJson, startLoopback } from "./test-support/loopback.ts";

const SECRETS = {
  authorization: "Bearer sk_live_TOKEN_4f1c9a",
  apikey: "ak_SECRET_77e2",
  "x-api-key": "xk_SECRET_3b9d",
  "x-api-secret": "xs_SECRET_c0ffee",
};
const SECRET_VALUES = ["sk_live_TOKEN_4f1c9a", "ak_SECRET_77e2", "xk_SECRET_3b9d", "xs_SECRET_c0ffee"];

const Task = z.object({ id: z.string(), assignedProviders: z.array(z.object({ id: z.string() })) });
const Envelope = z.object({ data: Task });

let server: Loopback;
const hangs: Array<() => void> = [];

beforeAll(async () => {
  server = await startLoopback((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const route = url.pathname.replace(/^\/api/, "");
    const echoed = `${req.headers.authorization} ${req.headers.apikey} ${req.headers["x-api-secret"]}`;
    switch (route) {
      case "/v1/tasks/t-1":
        return sendJson(
          res,
          200,
          { data: { id: "t-1", assignedProviders: [{ id: "p-1" }] } },
          { "x-request-id": "rq-1" },
        );
      case "/v1/tasks/bad-shape":
        return sendJson(res, 200, { data: { id: "t-2", assignedProviders: [{ id: 4242 }] } });
      case "/v1/tasks/secret-shape":
        return sendJson(res, 200, { data: { id: SECRET_VALUES[0], assignedProviders: "not-a-list" } });
      case "/v1/html":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<html>hello</html>");
      case "/v1/empty":
        res.writeHead(204);
        return res.end();
      case "/v1/control-text":
        return sendJson(res, 400, { message: "bad\u0000input\r\nX-Evil: 1\u001b[2J\u2028" });
      case "/v1/echo-secrets":
        return sendJson(res, 400, { message: `rejected credentials ${echoed}`, trace_id: "tr-echo" });
      case "/v1/echo-ok": {
        // As a PHP encoder writes it: `/` escaped, so the text never holds the configured secret as it is.
        const text = JSON.stringify({ sent: echoed, [echoed]: 1, other: "sk/other_SECRET" });
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(text.replaceAll("/", "\\/"));
      }
      case "/v1/hang":
        hangs.forEach((notify) => {
          notify();
        });
        return; // never answers
      case "/v1/reset":
        return req.socket.destroy();
      case "/v1/truncated":
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"data":');
        return setTimeout(() => req.socket.destroy(), 10);
      default: {
        const status = Number(route.match(/^\/v1\/status\/(\d+)$/)?.[1]);
        if (status === 502) {
          res.writeHead(502, { "content-type": "text/html" });
          return res.end("<html><body>Bad gateway</body></html>");
        }
        if (status) {
          const headers: Record<string, string> = { "x-request-id": `rq-${status}` };
          if (status === 429) headers["retry-after"] = "7";
          return sendJson(
            res,
            status,
            { code: `c${status}`, message: `status ${status}`, trace_id: `tr-${status}` },
            headers,
          );
        }
        return sendJson(res, 404, { message: "no route" });
      }
    }
  });
});

afterAll(async () => {
  await server.close();
});

function client(overrides: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    vendor: "capy",
    baseUrl: `${server.url}/api`,
    headers: SECRETS,
    traceHeader: "X-Request-Id",
    timeouts: { headersMs: 1_000, bodyMs: 1_000, totalMs: 2_000 },
    ...overrides,
  });
}

function expectNoSecret(text: string) {
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
}

/** Every way an error can be shown: message, JSON, String(), inspect with the whole cause chain. */
function expectNoSecretIn(error: VendorError) {
  expectNoSecret(error.message);
  expectNoSecret(JSON.stringify(error));
  expectNoSecret(String(error));
  expectNoSecret(inspect(error, { depth: 20, showHidden: true }));
  let cause: unknown = error.cause;
  while (cause) {
    expectNoSecret(inspect(cause, { depth: 20, showHidden: true }));
    cause = (cause as { cause?: unknown }).cause;
  }
}

describe("createHttpClient over a loopback server", () => {
  it("decodes JSON through the schema, under the base URL's path prefix, with the vendor's trace id", async () => {
    const http = client();
    const response = await http.request({
      operation: "getTask",
      method: "GET",
      path: path`/v1/tasks/${"t-1"}`,
      query: { include: "providers", limit: 2, skip: undefined },
      schema: Envelope,
    });
    expect(response.data.data.assignedProviders[0]?.id).toBe("p-1");
    expect(response.traceId).toBe("rq-1");
    expect(server.seen.at(-1)?.url).toBe("/api/v1/tasks/t-1?include=providers&limit=2");
    expect(server.seen.at(-1)?.headers.apikey).toBe(SECRETS.apikey);
    await http.close();
  });

  const cases: Array<[number, VendorErrorKind, boolean]> = [
    [401, "unauthorized", false],
    [403, "forbidden", false],
    [404, "not_found", false],
    [409, "conflict", false],
    [422, "bad_request", false],
    [429, "rate_limited", true],
    [500, "unavailable", true],
    [502, "unavailable", true],
  ];
  it.each(cases)("maps HTTP %i to %s (retryable %s)", async (status, kind, retryable) => {
    const http = client();
    const error = await failure(
      http.request({ operation: "getThing", method: "GET", path: path`/v1/status/${status}`, schema: z.unknown() }),
    );
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.vendor).toBe("capy");
    expect(error.message).toContain(`capy getThing: HTTP ${status}`);
    if (status === 429) {
      expect(error.retryAfterMs).toBe(7_000);
      expect((error as VendorError & { limitedBy: string }).limitedBy).toBe("vendor");
    }
    if (status !== 502) expect(error.traceId).toBe(`rq-${status}`);
    await http.close();
  });

  it("takes trace id, detail and kind from readError when the vendor's envelope has them", async () => {
    const http = client({
      readError: ({ body }) => {
        const envelope = body as { trace_id?: string; message?: string; code?: string };
        return {
          traceId: envelope.trace_id,
          detail: envelope.message,
          kind: envelope.code === "c409" ? "bad_request" : undefined,
        };
      },
    });
    const error = await failure(
      http.request({ operation: "getThing", method: "GET", path: "/v1/status/409", schema: z.unknown() }),
    );
    expect(error.traceId).toBe("tr-409");
    expect(error.detail).toBe("status 409");
    expect(error.kind).toBe("bad_request");
    await http.close();
  });

  it("passes on the vendor's error text as one printable line, without its control characters", async () => {
    const http = client({ readError: ({ body }) => ({ detail: (body as { message: string }).message }) });
    const error = await failure(
      http.request({ operation: "getThing", method: "GET", path: "/v1/control-text", schema: z.unknown() }),
    );
    expect(error.detail).toBe("bad input X-Evil: 1 [2J");
    expect(error.message).toBe("capy getThing: HTTP 400 (bad input X-Evil: 1 [2J)");
    await http.close();
  });

  it("keeps the status kind when an error page is not JSON (an HTML 502)", async () => {
    let seenBody: unknown = "unset";
    const http = client({
      readError: ({ body }) => {
        seenBody = body;
        return {};
      },
    });
    const error = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/status/502", schema: z.unknown() }),
    );
    expect(error.kind).toBe("unavailable");
    expect(seenBody).toBeUndefined();
    await http.close();
  });

  it("treats a non-JSON 2xx body as a contract violation", async () => {
    const http = client();
    const error = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/html", schema: z.unknown() }),
    );
    expect(error.kind).toBe("contract_violation");
    expect(error.status).toBe(200);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain("hello");
    await http.close();
  });

  it("with optionalBody, a 2xx body that is not JSON or too large is no answer, not a failure", async () => {
    const http = client();
    const html = await http.request({
      operation: "op",
      method: "POST",
      path: "/v1/html",
      schema: z.undefined(),
      optionalBody: true,
    });
    expect(html).toMatchObject({ status: 200, data: undefined, json: undefined });
    const own = await startLoopback((_req, res) => sendJson(res, 202, { padding: "x".repeat(2048) }));
    const small = createHttpClient({ vendor: "maxai", baseUrl: own.url, maxBodyBytes: 1024 });
    const large = await small.request({
      operation: "op",
      method: "POST",
      path: "/x",
      schema: z.undefined(),
      optionalBody: true,
    });
    expect(large).toMatchObject({ status: 202, data: undefined });
    // A 2xx whose body breaks off: the status is the answer. Without optionalBody the same is a network error.
    const cut = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write("{", () => res.socket?.resetAndDestroy());
    });
    const cutClient = createHttpClient({ vendor: "maxai", baseUrl: cut.url });
    const broken = { operation: "op", method: "POST", path: "/x", schema: z.undefined() } as const;
    expect(await cutClient.request({ ...broken, optionalBody: true })).toMatchObject({ status: 200, data: undefined });
    expect((await failure(cutClient.request(broken))).kind).toBe("network");
    await cutClient.close();
    await cut.close();
    // A failure status is still a failure.
    const error = await failure(
      http.request({
        operation: "op",
        method: "POST",
        path: "/v1/control-text",
        schema: z.unknown(),
        optionalBody: true,
      }),
    );
    expect(error.kind).toBe("bad_request");
    await Promise.all([http.close(), small.close()]);
    await own.close();
  });

  it("accepts an empty 204 when the schema allows it, and reports it when the schema does not", async () => {
    const http = client();
    const ok = await http.request({ operation: "del", method: "DELETE", path: "/v1/empty", schema: z.undefined() });
    expect(ok.status).toBe(204);
    expect(ok.data).toBeUndefined();
    const error = await failure(http.request({ operation: "del", method: "DELETE", path: "/v1/empty", schema: Task }));
    expect(error.kind).toBe("contract_violation");
    await http.close();
  });

  it("decodes a chunked UTF-8 body split inside a character, with a byte-order mark", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"t-ü","title":"Grüße"}')]);
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of "ü"
    const own = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(bytes.subarray(0, split));
      setTimeout(() => res.end(bytes.subarray(split)), 20);
    });
    const http = createHttpClient({ vendor: "capy", baseUrl: own.url });
    const response = await http.request({
      operation: "getTask",
      method: "GET",
      path: "/x",
      schema: z.object({ id: z.string(), title: z.string() }),
    });
    expect(response.data).toEqual({ id: "t-ü", title: "Grüße" });
    await http.close();
    await own.close();
  });

  it("names the failing paths and issue kinds of a contract violation, never the values", async () => {
    const http = client();
    const error = await failure(
      http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/bad-shape", schema: Envelope }),
    );
    expect(error.kind).toBe("contract_violation");
    expect(error.message).toContain("data.assignedProviders.0.id: invalid_type");
    expect(error.message).not.toContain("4242");
    const second = await failure(
      http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/secret-shape", schema: Envelope }),
    );
    expect(second.message).toContain("data.assignedProviders: invalid_type");
    expect(second.message).not.toContain("not-a-list");
    expectNoSecretIn(second);
    // One failing path is also the error's field (what API callers see); several stay in the message only.
    expect(error).toMatchObject({ field: "data.assignedProviders.0.id" });
    expect(second).toMatchObject({ field: "data.assignedProviders" });
    const Stricter = z.object({ data: z.object({ title: z.string(), status: z.string() }) });
    const several = await failure(
      http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/t-1", schema: Stricter }),
    );
    expect(several.message).toContain("data.title: invalid_type, expected string; data.status: invalid_type");
    expect(several).toMatchObject({ field: undefined });
    await http.close();
  });

  it("fails with a timeout when headers do not arrive in time, and drops that socket", async () => {
    const own = await startLoopback(() => {});
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: own.url,
      headers: SECRETS,
      timeouts: { headersMs: 100, totalMs: 5_000 },
    });
    const error = await failure(
      http.request({ operation: "slowHeaders", method: "GET", path: "/x", schema: z.unknown() }),
    );
    expect(error.kind).toBe("timeout");
    expect(error.detail).toBe("headers timeout");
    expect(error.retryable).toBe(true);
    expectNoSecretIn(error);
    await own.allSocketsClosed();
    await http.close();
    await own.close();
  });

  it("bounds a slowly trickled body by the whole-call deadline, not only the idle gap", async () => {
    const own = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const timer = setInterval(() => res.write("1,"), 10);
      res.on("close", () => clearInterval(timer));
    });
    const http = createHttpClient({
      vendor: "maxai",
      baseUrl: own.url,
      timeouts: { bodyMs: 5_000, totalMs: 250 },
    });
    const error = await failure(
      http.request({ operation: "slowBody", method: "GET", path: "/x", schema: z.unknown() }),
    );
    expect(error.kind).toBe("timeout");
    expect(error.detail).toBe("total deadline");
    await own.allSocketsClosed();
    await http.close();
    await own.close();
  });

  it("fails with a body timeout when the body stalls longer than bodyMs", async () => {
    const own = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
    });
    const http = createHttpClient({ vendor: "maxai", baseUrl: own.url, timeouts: { bodyMs: 100, totalMs: 5_000 } });
    const error = await failure(http.request({ operation: "stall", method: "GET", path: "/x", schema: z.unknown() }));
    expect(error.kind).toBe("timeout");
    expect(error.detail).toBe("body timeout");
    await own.allSocketsClosed();
    await http.close();
    await own.close();
  });

  it("reports a connection reset and a truncated body as network errors", async () => {
    const http = client();
    const reset = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/reset", schema: z.unknown() }),
    );
    expect(reset.kind).toBe("network");
    expect(reset.retryable).toBe(true);
    expect(reset.status).toBeUndefined();
    expectNoSecretIn(reset);
    const truncated = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/truncated", schema: z.unknown() }),
    );
    expect(truncated.kind).toBe("network");
    expectNoSecretIn(truncated);
    await http.close();
  });

  it("reports a refused connection as a network error", async () => {
    const closed = await startLoopback(() => {});
    const url = closed.url;
    await closed.close();
    const http = createHttpClient({ vendor: "capy", baseUrl: url, headers: SECRETS });
    const error = await failure(http.request({ operation: "op", method: "GET", path: "/x", schema: z.unknown() }));
    expect(error.kind).toBe("network");
    expect(error.detail).toBe("ECONNREFUSED");
    expectNoSecretIn(error);
    await http.close();
  });

  it("refuses a body over maxBodyBytes without reading it all, and drops the socket", async () => {
    let written = 0;
    const own = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
      };
      res.on("drain", pump);
      pump();
    });
    const http = createHttpClient({ vendor: "maxai", baseUrl: own.url, maxBodyBytes: 64 * 1024 });
    const error = await failure(http.request({ operation: "huge", method: "GET", path: "/x", schema: z.unknown() }));
    expect(error.kind).toBe("contract_violation");
    expect(error.detail).toBe("body too large");
    await own.allSocketsClosed();
    expect(written).toBeLessThan(64 * 1024 * 1024);
    await http.close();
    await own.close();
  });

  it("refuses a declared Content-Length over the default 5 MiB cap before reading", async () => {
    const own = await startLoopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(6 * 1024 * 1024) });
      res.write("[");
    });
    const http = createHttpClient({ vendor: "maxai", baseUrl: own.url });
    const error = await failure(http.request({ operation: "huge", method: "GET", path: "/x", schema: z.unknown() }));
    expect(error.kind).toBe("contract_violation");
    expect(error.message).toContain("5242880");
    await own.allSocketsClosed();
    await http.close();
    await own.close();
  });

  it("turns a caller abort into a clear error, frees the connection, and sends nothing when already aborted", async () => {
    const own = await startLoopback(() => {});
    const pool = new Pool(own.url, { connections: 1 });
    const http = createHttpClient({ vendor: "cakewalk", baseUrl: own.url, dispatcher: pool });
    const controller = new AbortController();
    const pending = http.request({
      operation: "listTasks",
      method: "GET",
      path: "/x",
      schema: z.unknown(),
      signal: controller.signal,
    });
    while (own.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await failure(pending);
    expect(error.message).toBe("cakewalk listTasks: aborted by the caller");
    expect(abortedByCaller(error)).toBe(true);
    await own.allSocketsClosed();

    const before = own.seen.length;
    const again = await failure(
      http.request({
        operation: "listTasks",
        method: "GET",
        path: "/x",
        schema: z.unknown(),
        signal: AbortSignal.abort(),
      }),
    );
    expect(abortedByCaller(again)).toBe(true);
    expect(own.seen.length).toBe(before);
    await pool.close();
    await own.close();
  });

  it("ends a call on a request deadline sooner than its own: a timeout when it passes, a caller abort when cancelled", async () => {
    const own = await startLoopback(() => {});
    const pool = new Pool(own.url, { connections: 1 });
    const http = createHttpClient({ vendor: "capy", baseUrl: own.url, dispatcher: pool });
    const call = (signal: AbortSignal) =>
      failure(http.request({ operation: "getTask", method: "GET", path: "/x", schema: z.unknown(), signal }));

    const expiring = createRequestDeadline(50);
    const timedOut = await call(expiring.signal);
    expect(timedOut.kind).toBe("timeout");
    expect(timedOut.message).toBe("capy getTask: the caller's deadline passed");
    await own.allSocketsClosed();

    const cancelled = createRequestDeadline(60_000);
    const pending = call(cancelled.signal);
    const seen = own.seen.length;
    while (own.seen.length === seen) await new Promise((r) => setTimeout(r, 5));
    cancelled.abort(new DOMException("The client went away", "AbortError"));
    const error = await pending;
    expect(error.message).toBe("capy getTask: aborted by the caller");
    expect(abortedByCaller(error)).toBe(true);
    await own.allSocketsClosed();
    await pool.close();
    await own.close();
  });

  it("never shows a credential in errors or log lines, even when the vendor echoes it", async () => {
    const lines: string[] = [];
    const record = (obj: Record<string, unknown>, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`);
    const http = client({
      logger: { debug: record, warn: record },
      readError: ({ body }) => ({ detail: (body as { message?: string }).message }),
    });
    const echoed = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/echo-secrets", schema: z.unknown() }),
    );
    expect(echoed.kind).toBe("bad_request");
    expect(echoed.detail).toContain("[redacted]");
    expectNoSecretIn(echoed);
    const reset = await failure(
      http.request({ operation: "op", method: "GET", path: "/v1/reset", schema: z.unknown() }),
    );
    expectNoSecretIn(reset);
    await http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/t-1", schema: Envelope });
    expect(lines.length).toBe(3);
    for (const line of lines) expectNoSecret(line);
    expect(lines.join("\n")).toContain("[redacted]");
    await http.close();
  });

  it("redacts a header holding one of `secrets` in its log lines, whatever the header's name", async () => {
    const lines: string[] = [];
    const record = (obj: Record<string, unknown>) => lines.push(JSON.stringify(obj));
    const http = client({
      headers: { "x-acme-token": "acme_SECRET_5a" },
      secrets: ["acme_SECRET_5a"],
      logger: { debug: record, warn: record },
    });
    await http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/t-1", schema: Envelope });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("acme_SECRET_5a");
    expect(JSON.parse(lines[0] ?? "{}").headers["x-acme-token"]).toBe("[redacted]");
    await http.close();
  });

  it("takes credentials and `secrets` out of a 2xx answer's values and keys, escaped or not", async () => {
    const http = client({ secrets: ["sk/other_SECRET"] });
    const { data, json } = await http.request({
      operation: "op",
      method: "GET",
      path: "/v1/echo-ok",
      schema: z.unknown(),
    });
    expect(data).toBe(json);
    const redacted = "[redacted] [redacted] [redacted]";
    expect(json).toEqual({ sent: redacted, [redacted]: 1, other: "[redacted]" });
    await http.close();
  });

  it("logs each exchange with vendor, operation, method, path, status, duration and trace id", async () => {
    const debug: Array<Record<string, unknown>> = [];
    const warn: Array<Record<string, unknown>> = [];
    const http = client({ logger: { debug: (o) => debug.push(o), warn: (o) => warn.push(o) } });
    await http.request({ operation: "getTask", method: "GET", path: "/v1/tasks/t-1", schema: Envelope });
    await failure(http.request({ operation: "getThing", method: "GET", path: "/v1/status/404", schema: z.unknown() }));
    expect(debug[0]).toMatchObject({
      vendor: "capy",
      operation: "getTask",
      method: "GET",
      path: "/api/v1/tasks/t-1",
      status: 200,
      traceId: "rq-1",
      headers: { authorization: "[redacted]", apikey: "[redacted]", "x-api-key": "[redacted]" },
    });
    expect(typeof debug[0]?.ms).toBe("number");
    expect(warn[0]).toMatchObject({ operation: "getThing", status: 404, kind: "not_found", traceId: "rq-404" });
    await http.close();
  });

  it("gives policies a call whose signal is made on first use, with no accessor of its own", async () => {
    const seen: CallContext[] = [];
    const remember: Policy = (call, attempt) => {
      seen.push(call);
      return attempt();
    };
    const http = client({ policies: [remember] });
    await http.request({ operation: "getTask", method: "GET", path: path`/v1/tasks/${"t-1"}`, schema: Envelope });
    const call = seen[0] as CallContext;
    // A per-call accessor (an object literal's getter) outlived young-generation GCs with all the call reached.
    for (const key of Reflect.ownKeys(call)) expect(Object.getOwnPropertyDescriptor(call, key)).toHaveProperty("value");
    expect(call).toMatchObject({ vendor: "capy", operation: "getTask", method: "GET", idempotent: true });
    expect(call.signal).toBeInstanceOf(AbortSignal);
    expect(call.signal.aborted).toBe(false);
    await http.close();
  });

  it("refuses a raw path that carries its own query, before sending anything", async () => {
    const http = client();
    const before = server.seen.length;
    await expect(
      http.request({ operation: "op", method: "GET", path: "/v1/tasks/x?admin=1", schema: z.unknown() }),
    ).rejects.toThrow(TypeError);
    expect(server.seen.length).toBe(before);
    await http.close();
  });
});
