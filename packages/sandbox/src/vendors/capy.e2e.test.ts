import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox.ts";
import { json } from "../testing/http.ts";
import { CapyCreated, CapyError, CapyTask } from "../testing/wire-schemas.ts";

describe("Capy simulator", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: () => Date.UTC(2026, 5, 10, 9, 30, 0, 250) });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const v = () => sandbox.vendors.capy;
  const auth = () => ({ authorization: `Bearer ${v().credentials.token}` });
  const get = (path: string, headers: Record<string, string> = auth()) => json(`${v().url}${path}`, { headers });
  const create = (body: unknown) => json(`${v().url}/v1/tasks`, { method: "POST", headers: auth(), body });

  it("lives under /api, and answers without the base path too", async () => {
    expect(v().url).toBe(`${v().origin}/api`);
    const res = await json(`${v().origin}/v1/tasks/${v().seed.example.taskId}`, { headers: auth() });
    expect(CapyTask.parse(res.body).id).toBe(v().seed.example.taskId);
  });

  it("serves the seed example with exactly the 13 fields of the spec", async () => {
    const res = await get(`/v1/tasks/${v().seed.example.taskId}`);
    expect(res.status).toBe(200);
    const task = CapyTask.parse(res.body); // strict: an extra field fails
    expect(Object.keys(res.body as object)).toHaveLength(13);
    expect(task).toMatchObject({
      id: "550e8400-e29b-41d4-a716-446655440000",
      identifier: "SCO-123",
      pullRequest: null,
    });
  });

  it("answers 401, 404 and 422 with the vendor's error envelope", async () => {
    const unauthorized = await get(`/v1/tasks/${v().seed.example.taskId}`, { authorization: "Bearer capy_revoked" });
    expect(unauthorized.status).toBe(401);
    expect(CapyError.parse(unauthorized.body).error.code).toBe("unauthorized");
    const missing = await get("/v1/tasks/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(CapyError.parse(missing.body).error.code).toBe("not_found");
    const invalid = await get("/v1/tasks/SCO-123");
    expect(invalid.status).toBe(422);
    expect(CapyError.parse(invalid.body).error.code).toBe("validation_error");
  });

  it("creates a task that is readable afterwards", async () => {
    const projectId = v().seed.example.projectId;
    const res = await create({ projectId, prompt: "Fix the flaky login test\nIt fails on CI.", start: true });
    expect(res.status).toBe(200);
    const created = CapyCreated.parse(res.body);
    expect(created).toMatchObject({
      projectId,
      title: "Fix the flaky login test",
      status: "queued",
      createdAt: "2026-06-10T09:30:00.250Z",
    });
    expect(created.identifier).toMatch(/^SCO-\d+$/);
    expect(created.identifier).not.toBe("SCO-123");
    const read = CapyTask.parse((await get(`/v1/tasks/${created.id}`)).body);
    expect(read).toMatchObject({
      id: created.id,
      identifier: created.identifier,
      prompt: "Fix the flaky login test\nIt fails on CI.",
    });
  });

  it("answers 422 validation_error to an unknown project and to a bad body", async () => {
    v().states["project {projectId} does not exist"]?.({ projectId: v().seed.example.projectId });
    for (const body of [{ projectId: v().seed.example.projectId, prompt: "x" }, { prompt: 3 }]) {
      const res = await create(body);
      expect(res.status).toBe(422);
      expect(CapyError.parse(res.body).error.code).toBe("validation_error");
    }
    v().states["project {projectId} exists"]?.({ projectId: "proj-new" });
    expect((await create({ projectId: "proj-new", prompt: "Add a README" })).status).toBe(200);
  });

  it("answers 403 when the token lacks access to a task", async () => {
    const id = "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    v().states["the token lacks access to task {id}"]?.({ id });
    const res = await get(`/v1/tasks/${id}`);
    expect(res.status).toBe(403);
    expect(CapyError.parse(res.body).error.code).toBe("forbidden");
    v().states["task {id} does not exist"]?.({ id });
    v().states["task {id} exists"]?.({ id, status: "needs_review" });
    expect(CapyTask.parse((await get(`/v1/tasks/${id}`)).body)).toMatchObject({ id, status: "needs_review" });
  });
});
