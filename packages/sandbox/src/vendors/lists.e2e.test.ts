import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { uuidToPrefixed } from "../ids.ts";
import { type Sandbox, startSandbox } from "../sandbox.ts";
import { json } from "../testing/http.ts";
import {
  CakewalkProblem,
  CakewalkTaskList,
  CakewalkTaskResponse,
  CapyError,
  CapyStopped,
  CapyTask,
  CapyThreadList,
  MaxAiError,
  MaxAiV2TaskResponse,
  MaxAiV4TaskList,
  MaxsightMessage,
  MaxsightSearch,
  MaxsightTask,
} from "../testing/wire-schemas.ts";

const TTL = 60_000;
let clock = Date.UTC(2026, 3, 1, 12, 0, 0);
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    now: () => clock,
    pageTokenTtlMs: TTL,
    rateLimits: { maxai: false, cakewalk: false },
  });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  clock += 10 * TTL;
});

describe("Max AI GET /v4/tasks", () => {
  const v = () => sandbox.vendors.maxai;
  const list = (query: string) =>
    json(`${v().url}/v4/tasks?${query}`, {
      headers: {
        authorization: `Bearer ${v().credentials.apiKey}`,
        "x-organization-id": v().credentials.organizationId,
      },
    });

  it("pages through every task once, newest created first, each as GET /v2 serves it", async () => {
    const seen: string[] = [];
    let page = 1;
    for (;;) {
      const res = MaxAiV4TaskList.parse((await list(`page=${page}&pageSize=7`)).body);
      expect(res.data.pagination).toEqual({ page, pageSize: 7, totalCount: 60, totalPages: 9 });
      seen.push(...res.data.tasks.map((t) => t.id));
      if (page === res.data.pagination.totalPages) break;
      page++;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen)).toEqual(new Set(v().seed.v4TaskIds));
    const first = MaxAiV4TaskList.parse((await list("pageSize=2")).body).data.tasks[0];
    const uuid = v().seed.taskIds[v().seed.v4TaskIds.indexOf(first?.id ?? "")];
    const got = MaxAiV2TaskResponse.parse(
      (
        await json(`${v().url}/v2/tasks/${uuid}`, {
          headers: { authorization: `Bearer ${v().credentials.apiKey}`, "x-organization-id": "org_sandbox" },
        })
      ).body,
    ).data;
    expect(first).toMatchObject({ status: got.status, notes: got.notes, updatedAt: got.updatedAt });
    expect(MaxAiV4TaskList.parse((await list("page=10&pageSize=7")).body).data.tasks).toEqual([]);
  });

  it("filters by comma-separated statuses, assigned provider, note and patient", async () => {
    const { byStatus, providerUuids } = v().seed;
    const done = MaxAiV4TaskList.parse((await list("status=completed,cancelled")).body).data;
    expect(done.pagination.totalCount).toBe((byStatus.completed?.length ?? 0) + (byStatus.cancelled?.length ?? 0));
    expect(new Set(done.tasks.map((t) => t.status))).toEqual(new Set(["completed", "cancelled"]));
    const provider = uuidToPrefixed("prv", providerUuids[0] as string);
    const theirs = MaxAiV4TaskList.parse((await list(`providerId=${provider}`)).body).data.tasks;
    expect(theirs.length).toBeGreaterThan(0);
    for (const t of theirs) expect(t.assignedProviders.map((p) => p.id)).toContain(provider);
    const note = v().seed.example.noteId;
    const onNote = MaxAiV4TaskList.parse((await list(`noteId=${note}&pageSize=100`)).body).data.tasks;
    expect(onNote.map((t) => t.noteId)).toEqual(onNote.map(() => note));
    expect(onNote.map((t) => t.id)).toContain(v().seed.example.v4TaskId);
  });

  it("refuses what the docs do not allow with bad_request", async () => {
    for (const query of [
      "pageSize=101",
      "page=0",
      "providerId=nte_3cc73cb69c59403ca9108af6c5693b25",
      "dateFrom=soon",
    ]) {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(MaxAiError.parse(res.body).code).toBe("bad_request");
    }
  });

  it("can fail in the middle of paging (a fault after N matching requests)", async () => {
    v().faults.set({ match: { method: "GET", path: "/v4/tasks" }, afterRequests: 2, errorRate: 1 });
    const statuses = [];
    for (const page of [1, 2, 3, 4]) statuses.push((await list(`page=${page}&pageSize=20`)).status);
    expect(statuses).toEqual([200, 200, 503, 503]);
  });
});

describe("Cakewalk GET /api/v1/Tasks?userId= and the Approve / Decline transitions", () => {
  const v = () => sandbox.vendors.cakewalk;
  const auth = () => ({ "x-api-key": v().credentials.apiKey, "x-api-secret": v().credentials.apiSecret });
  const call = (path: string, method = "GET", body?: unknown) =>
    json(`${v().url}${path}`, { method, headers: auth(), body });
  const busiest = () => v().seed.personIds[0] as string;

  it("lists one user's tasks by following links.next (relative) to the end, each as GET serves it", async () => {
    const seen: string[] = [];
    let path: string | null = `/api/v1/Tasks?userId=${busiest()}`;
    let pages = 0;
    while (path) {
      const res = CakewalkTaskList.parse((await call(path)).body);
      for (const t of res.data) {
        const users = [t.assignedUser?.id, ...(t.claimers ?? []).map((c) => c.id)];
        expect(users).toContain(busiest());
        seen.push(t.id);
      }
      path = res.links.next;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    const got = CakewalkTaskResponse.parse((await call(`/api/v1/Tasks/${seen[0]}`)).body).data;
    const listed = CakewalkTaskList.parse((await call(`/api/v1/Tasks?userId=${busiest()}`)).body).data[0];
    expect(listed).toEqual({
      ...got,
      request: undefined,
      offboardingMetadata: undefined,
      onboardingMetadata: undefined,
      rolledOutByUser: undefined,
    });
  });

  it("refuses a missing user id, a forged cursor, another query's cursor and an expired one", async () => {
    const first = CakewalkTaskList.parse((await call(`/api/v1/Tasks?userId=${busiest()}`)).body);
    const next = first.links.next as string;
    const other = v().seed.personIds[1] as string;
    const forged = `${next.slice(0, -3)}abc`;
    const foreign = next.replace(busiest(), other);
    for (const path of ["/api/v1/Tasks", forged, foreign]) {
      const res = await call(path);
      expect(res.status).toBe(400);
      CakewalkProblem.parse(res.body);
    }
    expect((await call(next)).status).toBe(200);
    clock += TTL + 1;
    expect(CakewalkProblem.parse((await call(next)).body).detail).toBe("The cursor is invalid or has expired.");
  });

  it("approves a pending task once: it is Approved afterwards and a second approval is a 409 conflict", async () => {
    const id = v().seed.byStatus.Pending?.[0] as string;
    const approved = await call(`/api/v1/Tasks/${id}/Approve`, "POST", { justification: "Needed for Q3" });
    expect(approved.status).toBe(200);
    const task = CakewalkTaskResponse.parse(approved.body).data;
    expect(task).toMatchObject({ id, status: "Approved", closedReason: "Needed for Q3" });
    expect(CakewalkTaskResponse.parse((await call(`/api/v1/Tasks/${id}`)).body).data.status).toBe("Approved");
    const again = await call(`/api/v1/Tasks/${id}/Approve`, "POST");
    expect(again.status).toBe(409);
    expect(CakewalkProblem.parse(again.body).detail).toContain("is Approved");
    expect((await call(`/api/v1/Tasks/${id}/Decline`, "POST")).status).toBe(409);
  });

  it("declines a task in progress, refuses unknown tasks and read-only keys", async () => {
    const id = v().seed.byStatus.InProgress?.[1] as string;
    expect(CakewalkTaskResponse.parse((await call(`/api/v1/Tasks/${id}/Decline`, "POST")).body).data.status).toBe(
      "Declined",
    );
    expect((await call("/api/v1/Tasks/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e/Approve", "POST")).status).toBe(404);
    v().states["the API key is read-only"]?.({});
    const pending = v().seed.byStatus.Pending?.[1] as string;
    expect((await call(`/api/v1/Tasks/${pending}/Approve`, "POST")).status).toBe(403);
  });
});

describe("Capy GET /v1/threads and the stop / message actions", () => {
  const v = () => sandbox.vendors.capy;
  const call = (path: string, method = "GET", body?: unknown) =>
    json(`${v().url}${path}`, { method, headers: { authorization: `Bearer ${v().credentials.token}` }, body });

  it("pages through a project's threads by nextCursor, newest first, with task summaries that agree with GET", async () => {
    const project = v().seed.projectIds[0] as string;
    const threads = [];
    let cursor: string | null = null;
    do {
      const query: string = `projectId=${project}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = CapyThreadList.parse((await call(`/v1/threads?${query}`)).body);
      expect(page.hasMore).toBe(page.nextCursor !== null);
      threads.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(threads.map((t) => t.createdAt)).toEqual(
      threads
        .map((t) => t.createdAt)
        .sort()
        .reverse(),
    );
    expect(threads.some((t) => t.tasks.length > 1)).toBe(true);
    const summary = threads[0]?.tasks[0];
    const task = CapyTask.parse((await call(`/v1/tasks/${summary?.id}`)).body);
    expect(summary).toEqual({
      id: task.id,
      threadIndex: task.threadIndex,
      identifier: task.identifier,
      title: task.title,
      status: task.status,
    });
    expect(task.threadId).toBe(threads[0]?.id);
    const listed = threads.flatMap((t) => t.tasks.map((s) => s.id));
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("filters by thread status and refuses a missing project, a bad limit and a bad or expired cursor", async () => {
    const project = v().seed.projectIds[1] as string;
    const active = CapyThreadList.parse((await call(`/v1/threads?projectId=${project}&status=active`)).body);
    expect(active.items.length).toBeGreaterThan(0);
    for (const t of active.items) expect(t.status).toBe("active");
    const first = CapyThreadList.parse((await call(`/v1/threads?projectId=${project}&limit=1`)).body);
    const next = encodeURIComponent(first.nextCursor as string);
    for (const path of [
      "/v1/threads",
      `/v1/threads?projectId=${project}&limit=0`,
      `/v1/threads?projectId=${project}&cursor=x.y`,
    ]) {
      const res = await call(path);
      expect(res.status).toBe(422);
      expect(CapyError.parse(res.body).error.code).toBe("validation_error");
    }
    expect((await call(`/v1/threads?projectId=${project}&status=idle&cursor=${next}`)).status).toBe(422);
    expect((await call(`/v1/threads?projectId=${project}&cursor=${next}`)).status).toBe(200);
    clock += TTL + 1;
    expect((await call(`/v1/threads?projectId=${project}&cursor=${next}`)).status).toBe(422);
    expect((await call("/v1/threads?projectId=00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("stops a running task once; a message moves its updatedAt", async () => {
    const id = v().seed.byStatus.in_progress?.[0] as string;
    const before = CapyTask.parse((await call(`/v1/tasks/${id}`)).body);
    const stopped = CapyStopped.parse((await call(`/v1/tasks/${id}/stop`, "POST", { reason: "wrong branch" })).body);
    expect(stopped).toEqual({ id, identifier: before.identifier, status: "needs_review" });
    const after = CapyTask.parse((await call(`/v1/tasks/${id}`)).body);
    expect(after).toMatchObject({ status: "needs_review", currentJamId: null });
    expect(after.updatedAt > before.updatedAt).toBe(true);
    const again = await call(`/v1/tasks/${before.identifier}/stop`, "POST");
    expect(again.status).toBe(409);
    expect(CapyError.parse(again.body).error.code).toBe("conflict");
    const sent = await call(`/v1/tasks/${id}/message`, "POST", { message: "Use the v2 endpoint" });
    expect(sent.body).toMatchObject({ status: "sent" });
    expect(CapyTask.parse((await call(`/v1/tasks/${id}`)).body).updatedAt > after.updatedAt).toBe(true);
    expect((await call(`/v1/tasks/${id}/message`, "POST", { message: "" })).status).toBe(422);
  });
});

describe("Maxsight POST /v5/tasks/search and PUT update-assignment", () => {
  const v = () => sandbox.vendors.maxsight;
  const call = (path: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
    json(`${v().url}${path}`, { method, headers: { apikey: v().credentials.apiKey, ...headers }, body });
  const search = (body: Record<string, unknown>) => call("/v5/tasks/search", "POST", body);
  /** Every task a search finds, page after page. */
  const searchAll = async (body: Record<string, unknown>) => {
    const items: ReturnType<typeof MaxsightTask.parse>[] = [];
    let token: string | null = null;
    do {
      const page = MaxsightSearch.parse((await search({ ...body, page_token: token })).body);
      items.push(...page.items);
      token = page.next_page_token;
    } while (token);
    return items;
  };

  it("pages through every task by next_page_token, by task id unless told otherwise", async () => {
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page = MaxsightSearch.parse((await search({ max_page_size: 25, page_token: token })).body);
      seen.push(...page.items.map((t) => t.id));
      token = page.next_page_token;
    } while (token);
    expect(seen).toEqual([...v().seed.taskIds].sort());
    const byCreation = MaxsightSearch.parse((await search({ sorting_field: "CREATED_AT", sorting_type: "DESC" })).body);
    const created = byCreation.items.map((t) => t.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(byCreation.items).toHaveLength(50);
    const got = MaxsightTask.parse((await call(`/v5/tasks/${byCreation.items[0]?.id}`, "GET")).body);
    expect(byCreation.items[0]).toEqual(got);
  });

  it("applies AG Grid set, text and date filters, and refuses what it cannot read", async () => {
    const done = MaxsightSearch.parse(
      (await search({ filter_model: { status: { filterType: "set", values: ["COMPLETED_PASS", "COMPLETED_FAIL"] } } }))
        .body,
    ).items;
    const expected = [...(v().seed.byStatus.COMPLETED_PASS ?? []), ...(v().seed.byStatus.COMPLETED_FAIL ?? [])];
    expect(done.map((t) => t.id).sort()).toEqual(expected.sort());
    const team = MaxsightSearch.parse(
      (await search({ filter_model: { assigned_to_type: { filterType: "text", type: "equals", filter: "TEAM" } } }))
        .body,
    ).items;
    expect(team.map((t) => t.id).sort()).toEqual([...v().seed.teamAssigned].sort());
    const recent = await searchAll({
      filter_model: { updated_at: { filterType: "date", type: "greaterThan", dateFrom: "2026-03-20 00:00:00" } },
    });
    const all = await searchAll({});
    const expectedRecent = all
      .filter((t) => t.updated_at > "2026-03-20T00:00:00Z")
      .map((t) => t.id)
      .sort();
    // The seed has tasks on both sides of the date, so the filter has something to keep and something to drop.
    expect(expectedRecent.length).toBeGreaterThan(0);
    expect(expectedRecent.length).toBeLessThan(all.length);
    expect(recent.map((t) => t.id).sort()).toEqual(expectedRecent);
    for (const body of [
      { filter_model: { priority: { filterType: "text", type: "equals", filter: "high" } } },
      { filter_model: { status: { filterType: "set" } } },
      { sorting_field: "UPDATED_AT" },
      { max_page_size: 0 },
      { page_token: "forged.token" },
    ]) {
      const res = await search(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      MaxsightMessage.parse(res.body);
    }
  });

  it("refuses a page token used with another search or after it expired", async () => {
    const first = MaxsightSearch.parse((await search({ max_page_size: 10 })).body);
    const token = first.next_page_token as string;
    expect((await search({ page_token: token, sorting_type: "DESC" })).status).toBe(400);
    expect((await search({ page_token: token, max_page_size: 10 })).status).toBe(200);
    clock += TTL + 1;
    expect(MaxsightMessage.parse((await search({ page_token: token })).body).message).toBe(
      "Invalid or expired page token",
    );
  });

  it("reassigns under If-Match: the version moves on every change and a stale one is refused with 412", async () => {
    const id = v().seed.example.taskId;
    const path = `/v5/tasks/${id}/update-assignment`;
    const before = MaxsightTask.parse((await call(`/v5/tasks/${id}`, "GET")).body);
    const update = {
      update: {
        assigned_by_id: v().seed.personIds[1],
        assigned_to_id: v().seed.teamIds[0],
        assigned_to_type: "TEAM",
        assignment_comment: "Escalated",
      },
    };
    expect((await call(path, "PUT", update)).status).toBe(428);
    const changed = MaxsightTask.parse((await call(path, "PUT", update, { "if-match": before.updated_at })).body);
    expect(changed.assignment).toEqual({ ...update.update, assigned_to_type: "TEAM" });
    expect(changed.updated_at > before.updated_at).toBe(true);
    expect(changed.data_version).toBe(before.data_version + 1);
    expect(MaxsightTask.parse((await call(`/v5/tasks/${id}`, "GET")).body)).toEqual(changed);
    const stale = await call(path, "PUT", update, { "if-match": before.updated_at });
    expect(stale.status).toBe(412);
    const unassign = { unassign: { assigned_by_id: v().seed.personIds[1], assignment_comment: null } };
    const cleared = MaxsightTask.parse((await call(path, "PUT", unassign, { "if-match": changed.updated_at })).body);
    expect(cleared.assignment).toBeNull();
    expect(cleared.updated_at > changed.updated_at).toBe(true);
    expect(
      (await call(path, "PUT", { update: { assigned_to_type: "GROUP" } }, { "if-match": cleared.updated_at })).status,
    ).toBe(400);
  });
});
