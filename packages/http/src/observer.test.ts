import { VendorError } from "@taskbridge/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient } from "./client.ts";
import { MemoryStore } from "./memory-store.ts";
import type { CallObserver } from "./observer.ts";
import { path } from "./path.ts";
import { reliabilityPolicies } from "./reliability.ts";
import { type Loopback, sendJson, startLoopback } from "./test-support/loopback.ts";

let server: Loopback;
let failures = 0;

beforeAll(async () => {
  server = await startLoopback((_req, res) => {
    if (failures > 0) {
      failures -= 1;
      return sendJson(res, 503, { message: "busy" });
    }
    return sendJson(res, 200, { id: "t-1" });
  });
});
afterAll(() => server.close());

/** Records every hook an observed call fires, in order. */
function recording() {
  const events: unknown[][] = [];
  const observer: CallObserver = {
    headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    attempt: () => events.push(["attempt"]),
    retry: (waitMs, error) => events.push(["retry", typeof waitMs, error.status]),
    waited: (reason, ms) => events.push(["waited", reason, typeof ms]),
    budget: (remaining) => events.push(["budget", remaining]),
    breaker: (state) => events.push(["breaker", state]),
    end: ({ status, error }) => events.push(["end", status, error instanceof VendorError ? error.kind : error?.name]),
  };
  return { events, observer };
}

describe("instrumentation", () => {
  it("tells an observer each attempt, retry, budget slot and the breaker, and sends its headers", async () => {
    const { events, observer } = recording();
    const seen: unknown[] = [];
    const http = createHttpClient({
      vendor: "capy",
      baseUrl: server.url,
      policies: reliabilityPolicies({
        retry: { random: () => 0 },
        rateBudget: { store: new MemoryStore(), key: "k", limit: 10, windowMs: 60_000 },
      }),
      instrumentation: (call) => {
        seen.push(call);
        return observer;
      },
    });
    failures = 1;
    const sent = server.seen.length;
    await http.request({ operation: "getTask", method: "GET", path: path`/v1/tasks/${"t-1"}`, schema: z.unknown() });
    await http.close();
    expect(seen).toEqual([{ vendor: "capy", operation: "getTask", method: "GET" }]);
    expect(events).toEqual([
      ["breaker", "closed"],
      ["budget", 9],
      ["attempt"],
      ["retry", "number", 503],
      ["breaker", "closed"],
      ["budget", 8],
      ["attempt"],
      ["end", 200, undefined],
    ]);
    expect(server.seen.slice(sent).map((r) => r.headers.traceparent)).toEqual([
      observer.headers?.traceparent,
      observer.headers?.traceparent,
    ]);
  });

  it("ends a failed call with its error", async () => {
    const { events, observer } = recording();
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url, instrumentation: () => observer });
    failures = 1;
    await expect(
      http.request({ operation: "getTask", method: "GET", path: path`/v1/tasks/${"t-1"}`, schema: z.unknown() }),
    ).rejects.toThrow();
    await http.close();
    expect(events).toEqual([["attempt"], ["end", 503, "unavailable"]]);
  });

  it("ends a call refused before sending with that error, not as answered", async () => {
    const { events, observer } = recording();
    const http = createHttpClient({ vendor: "capy", baseUrl: server.url, instrumentation: () => observer });
    const sent = server.seen.length;
    const spec = { operation: "getTask", method: "GET", path: path`/v1/tasks/${"t-1"}`, schema: z.unknown() } as const;
    await expect(http.request({ ...spec, headers: { "if-match": "v1\r\nX-Evil: 1" } })).rejects.toThrow(/refused/);
    await http.close();
    expect(events).toEqual([["attempt"], ["end", undefined, "UnsentRequestError"]]);
    expect(server.seen.length).toBe(sent);
  });
});
