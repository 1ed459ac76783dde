import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./sandbox.ts";
import { call, json } from "./testing/http.ts";

describe("/__sandbox admin routes", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const capy = () => sandbox.vendors.capy;
  const admin = (path: string, init?: Parameters<typeof json>[1]) => json(`${capy().origin}/__sandbox/${path}`, init);
  const getTask = () =>
    call(`${capy().url}/v1/tasks/${capy().seed.example.taskId}`, {
      headers: { authorization: `Bearer ${capy().credentials.token}` },
    });

  it("sets, lists and clears faults", async () => {
    const set = await admin("faults", {
      method: "POST",
      body: { errorRate: 1, errorStatus: 500, match: { pathRegex: "^/api/v1/tasks/" } },
    });
    expect(set.status).toBe(200);
    const [listed] = (set.body as { faults: { errorRate: number; match: { pathRegex: string } }[] }).faults;
    expect(listed).toMatchObject({ errorRate: 1, errorStatus: 500 });
    expect(new RegExp(listed?.match.pathRegex ?? "^$").test("/api/v1/tasks/x")).toBe(true);
    expect((await getTask()).status).toBe(500);
    await admin("faults?mode=add", { method: "POST", body: { latencyMs: 1 } });
    expect(((await admin("faults")).body as { faults: unknown[] }).faults).toHaveLength(2);
    expect(capy().faults.list()).toHaveLength(2);
    await admin("faults", { method: "DELETE" });
    expect((await getTask()).status).toBe(200);
  });

  it("rejects an invalid fault spec with 400", async () => {
    const res = await admin("faults", { method: "POST", body: { errorRate: 2 } });
    expect(res.status).toBe(400);
    expect(capy().faults.list()).toEqual([]);
  });

  it("lists and clears recorded requests, with credentials redacted and admin calls not recorded", async () => {
    await getTask();
    await getTask();
    const listed = await admin(`requests?path=${encodeURIComponent("/api/v1/tasks/:taskId")}`);
    const body = listed.body as { count: number; entries: { status: number; headers: Record<string, string> }[] };
    expect(body.count).toBe(2);
    expect(body.entries.map((e) => e.status)).toEqual([200, 200]);
    expect(body.entries[0]?.headers.authorization).toBe("[redacted]");
    await admin("requests", { method: "DELETE" });
    expect(capy().requests.count()).toBe(0);
  });

  it("reset restores the seed and clears faults and the log", async () => {
    capy().states["task {id} does not exist"]?.({ id: capy().seed.example.taskId });
    capy().faults.set({ latencyMs: 1 });
    expect((await getTask()).status).toBe(404);
    await admin("reset", { method: "POST" });
    expect(capy().faults.list()).toEqual([]);
    expect(capy().requests.count()).toBe(0);
    expect((await getTask()).status).toBe(200);
  });

  it("runs provider states posted the way Pact's state-change URL does", async () => {
    const res = await admin("states", {
      method: "POST",
      body: { state: "task {id} does not exist", params: { id: capy().seed.example.taskId }, action: "setup" },
    });
    expect(res.status).toBe(200);
    expect((await getTask()).status).toBe(404);
    expect((await admin("states", { method: "POST", body: { state: "no such state" } })).status).toBe(400);
  });

  it("serves the seed ids", async () => {
    const res = await admin("seed");
    expect(res.body).toEqual(capy().seed);
  });
});
