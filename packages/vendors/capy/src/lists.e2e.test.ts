import {
  type CapyTask,
  decodePosition,
  encodePosition,
  InvalidInputError,
  type TaskPage,
  VendorBadRequestError,
  VendorConflictError,
  VendorUnavailableError,
} from "@taskbridge/model";
import type { SandboxVendor } from "@taskbridge/sandbox";
import { E2E_TIMEOUTS, failure, oneByOne, useClientE2e } from "@taskbridge/sandbox/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CapyClient, createClient } from "./client.ts";
import type { ListQuery } from "./list.ts";

const TTL = 60_000;
let clock = Date.UTC(2026, 5, 1, 9, 0, 0);
const e2e = useClientE2e(
  "capy",
  (sv) => createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS } }),
  { now: () => clock, pageTokenTtlMs: TTL },
);
let v: SandboxVendor<"capy">;
let capy: CapyClient;
beforeAll(() => {
  ({ v, main: capy } = e2e);
});
// Each test starts past the lifetime of every page token the ones before it were given.
beforeEach(() => {
  clock += 10 * TTL;
});

const project = () => v.seed.projectIds[0] as string;
const threadRequests = () => v.requests.entries({ path: "/api/v1/threads" });
const taskReads = () => v.requests.entries({ method: "GET", path: "/api/v1/tasks/:id" });

async function listAll(pageSize: number, query: Partial<ListQuery> = {}) {
  const tasks: CapyTask[] = [];
  let position: string | null = null;
  do {
    const page: TaskPage<CapyTask> = await capy.listTasks({ scope: project(), ...query, pageSize, position });
    tasks.push(...page.items.map((i) => i.task));
    position = page.next;
  } while (position !== null);
  return tasks;
}

/** The project's tasks that belong to a thread, read directly: what a listing must return. */
async function threadedTasks(): Promise<CapyTask[]> {
  const all = await oneByOne(v.seed.taskIds, (id) => capy.getTask(id));
  return (all as CapyTask[]).filter((t) => t.details.projectId === project() && t.details.threadId !== null);
}

describe("listTasks (one project's threads)", () => {
  it("lists every task of the project's threads once, each read in full", async () => {
    const expected = await threadedTasks();
    v.requests.clear();
    const tasks = await listAll(4);
    expect(tasks.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    for (const t of tasks) expect(t).toEqual(expected.find((e) => e.id === t.id));
    // One thread listing per page plus one read per listed task; every read was of a task the page returned.
    expect(taskReads()).toHaveLength(tasks.length);
    expect(threadRequests().every((r) => r.query.startsWith(`projectId=${project()}&limit=`))).toBe(true);
    expect(expected.length).toBeGreaterThan(4);
  });

  it("reads only the tasks whose summary can match the statuses", async () => {
    const expected = (await threadedTasks()).filter((t) => t.status === "IN_PROGRESS");
    v.requests.clear();
    const running = await listAll(3, { filter: { statuses: ["IN_PROGRESS"] } });
    expect(running.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
    expect(taskReads()).toHaveLength(expected.length);
  });

  it("passes Capy's own thread filters on", async () => {
    const active = await capy.listTasks({ scope: project(), pageSize: 100, vendorFilter: { threadStatus: "active" } });
    expect(threadRequests()[0]?.query).toBe(`projectId=${project()}&limit=100&status=active`);
    expect(active.items.some((i) => i.task.vendorStatus === "in_progress")).toBe(true);
    // An idle thread has no queued or running task.
    const idle = await listAll(100, { vendorFilter: { threadStatus: "idle" } });
    expect(idle.length).toBeGreaterThan(0);
    for (const t of idle) expect(["queued", "in_progress"]).not.toContain(t.vendorStatus);
  });

  it("answers an assignee filter without a call (Capy tasks have no assignee)", async () => {
    expect(await capy.listTasks({ scope: project(), pageSize: 10, filter: { assigneeId: "someone" } })).toEqual({
      items: [],
      next: null,
      totalCount: 0,
      unreadable: [],
    });
    expect(v.requests.count()).toBe(0);
  });

  it("resumes after any task without repeating or losing one", async () => {
    const all = (await listAll(100)).map((t) => t.id);
    const seen: string[] = [];
    let position: string | null = null;
    for (const [pageSize, take] of [
      [3, 1],
      [5, 5],
      [2, 1],
      [100, 100],
      [100, 100],
    ] as const) {
      if (position === null && seen.length > 0) break;
      const page: TaskPage<CapyTask> = await capy.listTasks({ scope: project(), pageSize, position });
      const used = page.items.slice(0, take);
      seen.push(...used.map((i) => i.task.id));
      position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? null);
    }
    expect(seen).toEqual(all);
  });

  it("refuses a listing without a project, or a position of another project's listing, before any call", async () => {
    const first = await capy.listTasks({ scope: project(), pageSize: 2 });
    v.requests.clear();
    expect(await failure(capy.listTasks({ pageSize: 2 }))).toMatchObject({ name: "InvalidInputError", field: "scope" });
    const other = await failure(
      capy.listTasks({ scope: v.seed.projectIds[1] as string, pageSize: 2, position: first.next }),
    );
    expect(other).toBeInstanceOf(InvalidInputError);
    expect(v.requests.count()).toBe(0);
  });

  it("refuses a control character in a value sent in the URL, before any call", async () => {
    for (const [query, field] of [
      [{ scope: `${project()}\n` }, "scope"],
      [{ scope: project(), vendorFilter: { branch: "main\r\nx" } }, "vendorFilter.branch"],
      [{ scope: project(), vendorFilter: { slackThreadTs: "1\u0000" } }, "vendorFilter.slackThreadTs"],
    ] as const) {
      const error = await failure(capy.listTasks({ ...query, pageSize: 2 }));
      expect(error).toMatchObject({ name: "InvalidInputError", field });
    }
    expect(v.requests.count()).toBe(0);
  });

  it("reports a forged or expired cursor as the vendor's 422", async () => {
    const forged = encodePosition({ native: `projectId=${project()}&cursor=x.y`, seen: [] });
    const error = await failure(capy.listTasks({ scope: project(), pageSize: 2, position: forged }));
    expect(error).toBeInstanceOf(VendorBadRequestError);
    expect(error).toMatchObject({ status: 422 });
    // Page until a position carries a vendor cursor, then let it expire.
    let position = (await capy.listTasks({ scope: project(), pageSize: 1 })).next;
    while (position && !decodePosition(position).native?.includes("cursor=")) {
      position = (await capy.listTasks({ scope: project(), pageSize: 1, position })).next;
    }
    expect(position).not.toBeNull();
    clock += TTL + 1;
    const expired = await failure(capy.listTasks({ scope: project(), pageSize: 1, position }));
    expect(expired).toMatchObject({ name: "VendorBadRequestError", status: 422 });
    expect(expired.detail).toBe("validation_error: Invalid request");
  });

  it("ends the listing where Capy says hasMore: false, whatever nextCursor holds", async () => {
    const url = `${v.url}/v1/threads?projectId=${project()}&limit=1`;
    const answer = await fetch(url, { headers: { authorization: `Bearer ${v.credentials.token}` } });
    const onePage = (await answer.json()) as { items: unknown[] };
    const body = JSON.stringify({ items: onePage.items, nextCursor: "cursor-after-the-last-thread", hasMore: false });
    v.faults.set({
      match: { method: "GET", path: "/api/v1/threads" },
      answer: { status: 200, headers: { "content-type": "application/json" }, body },
    });
    const page = await capy.listTasks({ scope: project(), pageSize: 100 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.next).toBeNull();
  });

  it("fails the page when the vendor fails mid-paging or a task cannot be read; the kept position works afterwards", async () => {
    v.faults.set({ match: { path: "/api/v1/threads" }, afterRequests: 1, errorRate: 1 });
    const first = await capy.listTasks({ scope: project(), pageSize: 2 });
    expect(await failure(capy.listTasks({ scope: project(), pageSize: 2, position: first.next }))).toBeInstanceOf(
      VendorUnavailableError,
    );
    v.faults.set({ match: { method: "GET", path: "/api/v1/tasks/:id" }, errorRate: 1 });
    expect(await failure(capy.listTasks({ scope: project(), pageSize: 2, position: first.next }))).toBeInstanceOf(
      VendorUnavailableError,
    );
    v.faults.clear();
    const second = await capy.listTasks({ scope: project(), pageSize: 2, position: first.next });
    expect(second.items.map((i) => i.task.id)).not.toContain(first.items[0]?.task.id);
    expect(second.items).toHaveLength(2);
  });
});

describe("actions (stop, message)", () => {
  const running = () => v.seed.byStatus.in_progress?.[0] as string;

  it("stops a running task once: it no longer runs, offers no stop, and stopping again conflicts", async () => {
    const before = (await capy.getTask(running())) as CapyTask;
    expect(capy.availableActions(before)).toEqual(["stop", "message"]);
    const { task } = await capy.performAction(running(), { kind: "stop", reason: "wrong branch" });
    expect(task).toMatchObject({ id: running(), vendorStatus: "needs_review", status: "IN_REVIEW" });
    expect(capy.availableActions(task as CapyTask)).toEqual(["message"]);
    expect(JSON.parse(v.requests.entries({ method: "POST" })[0]?.body ?? "")).toEqual({ reason: "wrong branch" });
    const again = await failure(capy.performAction(running(), { kind: "stop" }));
    expect(again).toBeInstanceOf(VendorConflictError);
    expect(again).toMatchObject({ status: 409, detail: "conflict: Task is not running (needs_review)" });
  });

  it("sends a message and returns the task read back", async () => {
    const before = (await capy.getTask(running())) as CapyTask;
    const { task } = await capy.performAction(running(), {
      kind: "message",
      text: "Use the v2 endpoint",
      attachmentUrls: ["https://example.com/spec.pdf"],
    });
    expect(task?.updatedAt && task.updatedAt > (before.updatedAt ?? "")).toBe(true);
    expect(JSON.parse(v.requests.entries({ method: "POST" })[0]?.body ?? "")).toEqual({
      message: "Use the v2 endpoint",
      attachmentUrls: ["https://example.com/spec.pdf"],
    });
  });

  it("reports a failed read-back as task: null: the stop happened", async () => {
    v.faults.set({ match: { method: "GET" }, errorRate: 1 });
    expect(await capy.performAction(running(), { kind: "stop" })).toEqual({ task: null });
    v.faults.clear();
    expect((await capy.getTask(running()))?.vendorStatus).toBe("needs_review");
  });

  it("offers nothing but a message for tasks that do not run, nothing for archived ones, and refuses other kinds", async () => {
    const archived = (await capy.getTask(v.seed.byStatus.archived?.[0] as string)) as CapyTask;
    expect(capy.availableActions(archived)).toEqual([]);
    const queued = (await capy.getTask(v.seed.byStatus.queued?.[0] as string)) as CapyTask;
    expect(capy.availableActions(queued)).toEqual(["message"]);
    v.requests.clear();
    const approve = await failure(capy.performAction(running(), { kind: "approve" }));
    expect(approve).toMatchObject({ name: "InvalidInputError", field: "action.kind" });
    expect(v.requests.count()).toBe(0);
  });
});
