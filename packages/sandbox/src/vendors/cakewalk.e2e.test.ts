import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox.ts";
import { json } from "../testing/http.ts";
import { CakewalkProblem, CakewalkTaskResponse, CakewalkUserResponse } from "../testing/wire-schemas.ts";

describe("Cakewalk simulator", () => {
  let sandbox: Sandbox;
  let clock = Date.UTC(2026, 3, 1, 12, 0, 0);
  beforeAll(async () => {
    sandbox = await startSandbox({
      now: () => clock,
      credentials: { cakewalk: { apiKey: "ck_contract_key", apiSecret: "ck_contract_secret" } },
      rateLimits: { cakewalk: { limit: 3, windowMs: 60_000 } },
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    clock += 120_000;
  });

  const v = () => sandbox.vendors.cakewalk;
  const auth = () => ({ "x-api-key": v().credentials.apiKey, "x-api-secret": v().credentials.apiSecret });
  const get = (path: string, headers: Record<string, string> = auth()) => json(`${v().url}${path}`, { headers });

  it("uses the given credentials", () => {
    expect(v().credentials).toEqual({ apiKey: "ck_contract_key", apiSecret: "ck_contract_secret" });
  });

  it("serves seeded tasks in the TaskDetailedRecordViewModelV1 shape", async () => {
    const res = await get(`/api/v1/Tasks/${v().seed.example.taskId}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const body = CakewalkTaskResponse.parse(res.body);
    expect(body.data.id).toBe("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    expect(body.data.assignedUser).not.toBeNull();
    expect(body.links).toEqual({ self: `/api/v1/Tasks/${body.data.id}`, next: null });
    clock += 60_000;
    const unassigned = await get(`/api/v1/Tasks/${v().seed.unassigned[0]}`);
    expect(CakewalkTaskResponse.parse(unassigned.body).data.assignedUser).toBeNull();
  });

  it("routes case-insensitively, as ASP.NET does", async () => {
    const res = await get(`/api/v1/tasks/${v().seed.example.taskId.toUpperCase()}`);
    expect(res.status).toBe(200);
  });

  it("serves users", async () => {
    const id = v().seed.personIds[0] as string;
    const res = await get(`/api/v1/Users/${id}`);
    const body = CakewalkUserResponse.parse(res.body);
    expect(body.data.id).toBe(id);
    expect(body.links.self).toBe(`/api/v1/Users/${id}`);
  });

  it("answers 401 problem details when the key or the secret is missing or wrong", async () => {
    const path = `/api/v1/Tasks/${v().seed.example.taskId}`;
    for (const headers of [
      {} as Record<string, string>,
      { "x-api-key": v().credentials.apiKey },
      { ...auth(), "x-api-key": "ck_revoked" },
    ]) {
      const res = await get(path, headers);
      expect(res.status).toBe(401);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(CakewalkProblem.parse(res.body)).toMatchObject({ status: 401, title: "Unauthorized", instance: path });
    }
  });

  it("answers 404 problem details for unknown ids and for non-GUID ids", async () => {
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-guid"]) {
      const res = await get(`/api/v1/Tasks/${id}`);
      expect(res.status).toBe(404);
      expect(CakewalkProblem.parse(res.body).status).toBe(404);
    }
    v().states["user {id} does not exist"]?.({ id: v().seed.personIds[0] });
    expect((await get(`/api/v1/Users/${v().seed.personIds[0]}`)).status).toBe(404);
  });

  it("answers 429 problem details with Retry-After past the limit, and no X-RateLimit headers", async () => {
    const path = `/api/v1/Tasks/${v().seed.example.taskId}`;
    for (let i = 0; i < 3; i++) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(Object.keys(res.headers).some((h) => h.startsWith("x-ratelimit"))).toBe(false);
    }
    clock += 1_500;
    const limited = await get(path);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("59");
    expect(CakewalkProblem.parse(limited.body).status).toBe(429);
  });

  it("the task state takes optional status and type parameters that pin the task's shape", async () => {
    const id = v().seed.example.taskId;
    for (const [status, type] of [
      ["InProgress", "RequestReviewTask"],
      ["NoClaimers", "StandAloneReviewOffboardingTask"],
    ] as const) {
      v().states["task {id} exists"]?.({ id, status, type });
      const task = CakewalkTaskResponse.parse((await get(`/api/v1/Tasks/${id}`)).body).data;
      expect(task).toMatchObject({ id, status, type });
      if (status === "InProgress") {
        expect(task.assignedUser).not.toBeNull();
        expect(task.claimers?.length).toBeGreaterThan(0);
        expect(task.request).not.toBeNull();
      } else {
        expect(task.offboardingMetadata).not.toBeNull();
      }
      clock += 60_000;
    }
  });

  it("provider states: task and user upserts, removal, exhausted rate limit", async () => {
    const id = "6b0d6a3e-2f8c-4b7a-9e51-1c2d3e4f5a6b";
    v().states["task {id} exists"]?.({ id });
    const res = await get(`/api/v1/Tasks/${id}`);
    expect(CakewalkTaskResponse.parse(res.body).data.id).toBe(id);
    v().states["task {id} does not exist"]?.({ id });
    expect((await get(`/api/v1/Tasks/${id}`)).status).toBe(404);
    v().states["user {id} exists"]?.({ id });
    expect(CakewalkUserResponse.parse((await get(`/api/v1/Users/${id}`)).body).data.id).toBe(id);
    v().states["the rate limit is exhausted"]?.({ retryAfterSeconds: 30 });
    const limited = await get(`/api/v1/Users/${id}`);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("30");
  });
});
