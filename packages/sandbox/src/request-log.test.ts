import { describe, expect, it } from "vitest";
import { createRequestLog } from "./request-log.ts";

const entry = (method: string, path: string) => ({ at: 0, method, path, query: "", headers: {} });

describe("request log", () => {
  it("keeps exact counts beyond the ring's capacity while the ring keeps only the latest entries", () => {
    const log = createRequestLog(3);
    for (let i = 0; i < 10; i++) log.record(entry("GET", `/t/${i % 2}`));
    log.record(entry("POST", "/t"));
    expect(log.count()).toBe(11);
    expect(log.count({ path: "/t/0" })).toBe(5);
    expect(log.count({ path: "/t/:id" })).toBe(10);
    expect(log.count({ method: "post" })).toBe(1);
    expect(log.entries().map((e) => e.seq)).toEqual([9, 10, 11]);
    expect(log.entries({ method: "GET" }).map((e) => e.path)).toEqual(["/t/0", "/t/1"]);
    log.clear();
    expect(log.count()).toBe(0);
    expect(log.entries()).toEqual([]);
  });
});
