import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox.ts";
import { json } from "../testing/http.ts";
import {
  MaxAiError,
  MaxAiV2TaskResponse,
  MaxAiV4ProviderResponse,
  MaxAiV4TaskResponse,
} from "../testing/wire-schemas.ts";

describe("Max AI simulator", () => {
  let sandbox: Sandbox;
  let clock = Date.UTC(2026, 3, 1, 12, 0, 0);
  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => clock, rateLimits: { maxai: { limit: 5, windowMs: 60_000 } } });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.reset();
    clock += 120_000; // a fresh rate-limit window for every test
  });

  const v = () => sandbox.vendors.maxai;
  const auth = () => ({
    authorization: `Bearer ${v().credentials.apiKey}`,
    "x-organization-id": v().credentials.organizationId,
  });
  const get = (path: string, headers: Record<string, string> = auth()) => json(`${v().url}${path}`, { headers });
  const create = (body: unknown) => json(`${v().url}/v4/tasks`, { method: "POST", headers: auth(), body });

  it("answers the documented example task exactly as seed 000 shows it", async () => {
    const res = await get(`/v2/tasks/${v().seed.example.taskId}`);
    expect(res.status).toBe(200);
    const body = MaxAiV2TaskResponse.parse(res.body);
    expect(body.data).toEqual({
      id: "a1b2c3d4-5678-4abc-9def-0123456789ab",
      status: "not_started",
      syncStatus: "synced",
      notes: "Review missing plan for Impression #3",
      noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
      ehrType: "modmed",
      assignedProviders: [
        {
          id: "d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a",
          firstName: "James",
          lastName: "Wilson",
          displayFirstName: "Dr. James",
          displayLastName: "Wilson, MD",
          username: "jwilson",
          roles: ["Physician"],
          individualNpi: "1234567890",
          canFinalize: true,
          canCosign: false,
        },
      ],
      createdAt: "2026-03-20 18:35:10.209452+00",
      updatedAt: "2026-03-23 03:15:47.285+00",
    });
  });

  it("serves every seeded task in the v2 shape", async () => {
    for (const id of v().seed.taskIds.slice(0, 4)) {
      const res = await get(`/v2/tasks/${id}`);
      expect(res.status).toBe(200);
      expect(MaxAiV2TaskResponse.parse(res.body).data.id).toBe(id);
      clock += 60_000;
    }
  });

  it("answers 401 with the vendor body for a missing key, a wrong key or a wrong organization", async () => {
    const id = v().seed.example.taskId;
    for (const headers of [
      {} as Record<string, string>,
      { ...auth(), authorization: "Bearer max_dev_ak_revoked" },
      { authorization: auth().authorization },
      { ...auth(), "x-organization-id": "org_other" },
    ]) {
      const res = await get(`/v2/tasks/${id}`, headers);
      expect(res.status).toBe(401);
      expect(MaxAiError.parse(res.body)).toMatchObject({ code: "unauthorized", message: "Invalid or missing API key" });
    }
  });

  it("rejects a non-UUID id with 400 and an unknown one with 404", async () => {
    const bad = await get("/v2/tasks/tsk_a1b2c3d456784abc9def0123456789ab");
    expect(bad.status).toBe(400);
    expect(MaxAiError.parse(bad.body)).toMatchObject({ code: "bad_request", message: "'id' must be a valid UUID" });
    const missing = await get("/v2/tasks/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(MaxAiError.parse(missing.body).code).toBe("not_found");
  });

  it("creates a task with v4 ids that is then readable through v2 as the same task", async () => {
    const { example } = v().seed;
    const res = await create({
      noteId: example.noteId,
      providerId: example.providerId,
      notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
      assigneeIds: [example.providerId],
    });
    expect(res.status).toBe(200);
    const created = MaxAiV4TaskResponse.parse(res.body).data;
    expect(created.noteId).toBe(example.noteId);
    expect(created.assignedProviders.map((p) => p.id)).toEqual([example.providerId]);
    const hex = created.id.slice(4);
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const read = MaxAiV2TaskResponse.parse((await get(`/v2/tasks/${uuid}`)).body).data;
    expect(read).toMatchObject({
      id: uuid,
      notes: created.notes,
      status: "not_started",
      noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25",
    });
    expect(read.assignedProviders[0]?.id).toBe("d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a");
    expect(read.createdAt).toBe(created.createdAt);
  });

  it("answers 400 bad_request to invalid create bodies and unknown notes", async () => {
    const { example } = v().seed;
    const base = {
      noteId: example.noteId,
      providerId: example.providerId,
      notes: "x",
      assigneeIds: [example.providerId],
    };
    for (const body of [
      { ...base, assigneeIds: [] },
      { ...base, noteId: "3cc73cb6-9c59-403c-a910-8af6c5693b25" },
      "{",
    ]) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(MaxAiError.parse(res.body).code).toBe("bad_request");
    }
    v().states["note {noteId} does not exist"]?.({ noteId: example.noteId });
    const res = await create(base);
    expect(res.status).toBe(400);
    expect(MaxAiError.parse(res.body).code).toBe("bad_request");
  });

  it("serves providers by prv_ id, and 404 for unknown ones", async () => {
    const res = await get(`/v4/providers/${v().seed.example.providerId}`);
    expect(MaxAiV4ProviderResponse.parse(res.body).data.lastName).toBe("Wilson");
    v().states["provider {id} does not exist"]?.({ id: v().seed.example.providerId });
    expect((await get(`/v4/providers/${v().seed.example.providerId}`)).status).toBe(404);
  });

  it("answers 403 forbidden when the key lacks a scope", async () => {
    v().states["the API key lacks scope {scope}"]?.({ scope: "read:providers" });
    const res = await get(`/v4/providers/${v().seed.example.providerId}`);
    expect(res.status).toBe(403);
    expect(MaxAiError.parse(res.body)).toMatchObject({ code: "forbidden", message: "Insufficient scope" });
    expect((await get(`/v2/tasks/${v().seed.example.taskId}`)).status).toBe(200);
  });

  it("counts requests in a sliding window with X-RateLimit-* headers and answers 429 past the limit", async () => {
    const path = `/v2/tasks/${v().seed.example.taskId}`;
    const first = await get(path);
    expect(first.headers["x-ratelimit-limit"]).toBe("5");
    expect(first.headers["x-ratelimit-remaining"]).toBe("4");
    expect(first.headers["x-ratelimit-reset"]).toBe(String(Math.ceil((clock + 60_000) / 1000)));
    for (let i = 0; i < 4; i++) await get(path);
    clock += 10_000;
    const limited = await get(path);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("50");
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect(MaxAiError.parse(limited.body)).toMatchObject({
      code: "rate_limit_exceeded",
      message: "Rate limit exceeded. Maximum 5 requests per 60 seconds.",
    });
    clock += 50_000;
    expect((await get(path)).status).toBe(200);
  });

  it("the exhausted-rate-limit state answers 429 with the given Retry-After", async () => {
    v().states["the rate limit is exhausted"]?.({ retryAfterSeconds: 17 });
    const res = await get(`/v2/tasks/${v().seed.example.taskId}`);
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("17");
    sandbox.reset();
    expect((await get(`/v2/tasks/${v().seed.example.taskId}`)).status).toBe(200);
  });

  it("task states upsert and remove tasks idempotently, in either id form", async () => {
    const id = "0f0e0d0c-0b0a-4998-8776-655443322110";
    const states = v().states;
    states["task {id} exists"]?.({ id });
    states["task {id} exists"]?.({ id: `tsk_${id.replaceAll("-", "")}` });
    const first = await get(`/v2/tasks/${id}`);
    expect(MaxAiV2TaskResponse.parse(first.body).data.id).toBe(id);
    states["task {id} does not exist"]?.({ id });
    states["task {id} does not exist"]?.({ id });
    expect((await get(`/v2/tasks/${id}`)).status).toBe(404);
    states["task {id} exists"]?.({ id });
    expect((await get(`/v2/tasks/${id}`)).body).toEqual(first.body);
    states["task {id} exists"]?.({ id, status: "deleted", syncStatus: "failed" });
    expect(MaxAiV2TaskResponse.parse((await get(`/v2/tasks/${id}`)).body).data).toMatchObject({
      status: "deleted",
      syncStatus: "failed",
    });
  });

  it("counts every request, including the ones rejected by auth", async () => {
    await get(`/v2/tasks/${v().seed.example.taskId}`, {});
    await get(`/v2/tasks/${v().seed.example.taskId}`);
    expect(v().requests.count()).toBe(2);
    expect(v().requests.count({ path: "/v2/tasks/:id" })).toBe(2);
    expect(
      v()
        .requests.entries()
        .map((e) => e.status),
    ).toEqual([401, 200]);
  });
});
