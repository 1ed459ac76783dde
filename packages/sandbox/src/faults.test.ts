import { describe, expect, it } from "vitest";
import { createFaults } from "./faults.ts";

describe("fault decisions", () => {
  it("decides nothing when no fault is set", () => {
    expect(createFaults().decide("GET", "/x")).toBeUndefined();
  });

  it("counts down a 429 burst, then lets requests through", () => {
    const faults = createFaults();
    faults.set({ rateLimit: { count: 2, retryAfter: "3" } });
    const kinds = [1, 2, 3].map(() => faults.decide("GET", "/x")?.instead?.kind);
    expect(kinds).toEqual(["rate_limit", "rate_limit", undefined]);
  });

  it("adds latency across matching faults and lets the first one to trigger win", () => {
    const faults = createFaults();
    faults.set({ latencyMs: 5, resetRate: 1 });
    faults.add({ latencyMs: 7, errorRate: 1, schemaBreakRate: 1 });
    faults.add({ match: { path: "/other" }, latencyMs: 100 });
    expect(faults.decide("GET", "/x")).toEqual({
      latencyMs: 12,
      slowBodyMs: 0,
      instead: { kind: "reset" },
      spoil: "schema_break",
    });
    expect(faults.list()).toHaveLength(3);
    faults.clear();
    expect(faults.decide("GET", "/x")).toBeUndefined();
  });

  it("draws fractional rates from the spec's seed", () => {
    const draw = (seed: number) => {
      const faults = createFaults();
      faults.set({ errorRate: 0.3, seed });
      return Array.from({ length: 40 }, () => faults.decide("GET", "/x")?.instead !== undefined);
    };
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(draw(2)).not.toEqual(a);
    const hits = a.filter(Boolean).length;
    expect(hits > 0 && hits < 40).toBe(true);
  });

  it("decides lost_response as a spoil (the request is still handled) behind the earlier kinds", () => {
    const faults = createFaults();
    faults.set({ match: { method: "POST" }, lostResponseRate: 1 });
    expect(faults.decide("POST", "/v1/tasks")).toEqual({ latencyMs: 0, slowBodyMs: 0, spoil: "lost_response" });
    expect(faults.decide("GET", "/v1/tasks/x")).toBeUndefined();
    faults.set({ lostResponseRate: 1, schemaBreakRate: 1 });
    expect(faults.decide("POST", "/x")?.spoil).toBe("schema_break");
    expect(() => faults.set({ lostResponseRate: 2 })).toThrow(RangeError);
  });

  it("starts a fault after N matching requests, which pass untouched (a vendor failing in the middle of paging)", () => {
    const faults = createFaults();
    faults.set({ match: { method: "GET", path: "/v4/tasks" }, afterRequests: 2, latencyMs: 9, errorRate: 1 });
    const other = faults.decide("GET", "/v4/tasks/abc");
    const kinds = [1, 2, 3, 4].map(() => faults.decide("GET", "/v4/tasks"));
    expect(other).toBeUndefined();
    expect(kinds.map((plan) => plan?.instead)).toEqual([
      undefined,
      undefined,
      { kind: "error", status: 503 },
      { kind: "error", status: 503 },
    ]);
    expect(kinds[0]).toBeUndefined();
    expect(kinds[2]?.latencyMs).toBe(9);
    expect(() => faults.set({ afterRequests: -1 })).toThrow(RangeError);
    expect(() => faults.set({ afterRequests: 1.5 })).toThrow(RangeError);
  });

  it("answers with a canned answer before any other fault of its rule, and checks it", () => {
    const faults = createFaults();
    const answer = { status: 200, headers: { "x-request-id": "a" }, body: "{}" };
    faults.set({ match: { path: "/v5/tasks/:id" }, answer, errorRate: 1, latencyMs: 3 });
    expect(faults.decide("GET", "/v5/tasks/x")).toEqual({
      latencyMs: 3,
      slowBodyMs: 0,
      instead: { kind: "answer", answer },
    });
    expect(faults.decide("GET", "/v5/other/x/y")).toBeUndefined();
    expect(() => faults.set({ answer: { status: 99, body: "" } })).toThrow(RangeError);
    expect(() => faults.set({ answer: { status: 200, body: {} as unknown as string } })).toThrow(RangeError);
    expect(() => faults.set({ answer: { status: 200, headers: { a: 1 as unknown as string }, body: "" } })).toThrow(
      RangeError,
    );
  });

  it("rejects rates outside 0..1 and non-5xx error statuses", () => {
    const faults = createFaults();
    expect(() => faults.set({ errorRate: 1.5 })).toThrow(RangeError);
    expect(() => faults.set({ errorRate: 1, errorStatus: 404 })).toThrow(RangeError);
    expect(() => faults.set({ latencyMs: -1 })).toThrow(RangeError);
  });
});
