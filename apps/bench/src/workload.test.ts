import { describe, expect, it } from "vitest";
import type { SandboxInfo } from "./sandbox-process.ts";
import { apiKeys, BATCH_SIZE, batchRefs, goodBody, requestPlan } from "./workload.ts";

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const sandbox = {
  maxai: { seed: { taskIds: ids("m", 60), unassigned: ["m-0", "m-1"] } },
  cakewalk: { seed: { taskIds: ids("c", 60), unassigned: ids("c", 37) } },
  capy: { seed: { taskIds: ids("y", 60) } },
  maxsight: { seed: { taskIds: ids("s", 60) } },
} as unknown as SandboxInfo;

describe("workload", () => {
  it("builds 50 distinct refs of assigned Max AI and Cakewalk tasks, different per variant", () => {
    const a = batchRefs(sandbox, 0);
    const b = batchRefs(sandbox, 1);
    expect(a).toHaveLength(BATCH_SIZE);
    expect(new Set(a.map((r) => `${r.vendor}:${r.id}`)).size).toBe(BATCH_SIZE);
    expect(a.some((r) => r.id === "m-0" || r.id === "c-0")).toBe(false);
    expect(a).not.toEqual(b);
  });

  it("asks both systems for the same tasks", () => {
    const proxy = requestPlan("proxy", "task:capy", sandbox);
    const taskbridge = requestPlan("taskbridge", "task:capy", sandbox);
    expect(proxy.bodies.map((b) => JSON.parse(b).id)).toEqual(taskbridge.bodies.map((b) => JSON.parse(b).variables.id));
    expect(taskbridge.bodies.every((b) => JSON.parse(b).variables.vendor === "CAPY")).toBe(true);
  });

  it("asks both systems for the same cross-vendor page of 20", () => {
    const proxy = requestPlan("proxy", "list20", sandbox);
    const taskbridge = requestPlan("taskbridge", "list20", sandbox);
    expect(JSON.parse(proxy.bodies[0] as string).first).toBe(20);
    expect(JSON.parse(taskbridge.bodies[0] as string).variables).toEqual({ first: 20 });
    expect([proxy.path, taskbridge.path]).toEqual(["/list", "/graphql"]);
  });

  it("gives every connection its own key", () => {
    expect(new Set(apiKeys(256)).size).toBe(256);
  });

  it("counts only answers with data and without errors as good", () => {
    expect(goodBody('{"data":{"task":{"id":"x"}}}')).toBe(true);
    expect(goodBody('{"data":{"task":null},"errors":[{"message":"x"}]}')).toBe(false);
    expect(goodBody('{"data":{"tasks":[{"error":{"code":"VENDOR_TIMEOUT"},"task":null}]}}')).toBe(false);
    expect(goodBody('{"errors":[]}')).toBe(false);
  });
});
