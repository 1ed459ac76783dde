import { retryPolicy, type TransportOptions } from "@taskbridge/http";
import {
  InvalidInputError,
  type MaxsightTask,
  type TaskPage,
  VendorBadRequestError,
  VendorConflictError,
  VendorUnavailableError,
} from "@taskbridge/model";
import type { SandboxVendor } from "@taskbridge/sandbox";
import { E2E_TIMEOUTS, failure, oneByOne, useClientE2e } from "@taskbridge/sandbox/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type MaxsightClient } from "./client.ts";
import type { ListQuery } from "./list.ts";
import { SEED_TASK_ID } from "./test-support.ts";

const TTL = 60_000;
let clock = Date.UTC(2026, 6, 1, 9, 0, 0);
const e2e = useClientE2e(
  "maxsight",
  (sv, http?: TransportOptions) =>
    createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS, ...http } }),
  { now: () => clock, pageTokenTtlMs: TTL },
);
let v: SandboxVendor<"maxsight">;
let maxsight: MaxsightClient;
beforeAll(() => {
  ({ v, main: maxsight } = e2e);
});
// Each test starts past the lifetime of every page token the ones before it were given.
beforeEach(() => {
  clock += 10 * TTL;
});

const searches = () => v.requests.entries({ method: "POST", path: "/v5/tasks/search" });
const bodyOf = (entry: { body?: string } | undefined) => JSON.parse(entry?.body ?? "null");

async function listAll(pageSize: number, query: Partial<ListQuery> = {}) {
  const tasks: MaxsightTask[] = [];
  let position: string | null = null;
  do {
    const page: TaskPage<MaxsightTask> = await maxsight.listTasks({ ...query, pageSize, position });
    tasks.push(...page.items.map((i) => i.task));
    position = page.next;
  } while (position !== null);
  return tasks;
}

describe("listTasks (POST /v5/tasks/search)", () => {
  it("pages through every task once, by task id, each exactly as getTask gives it", async () => {
    const tasks = await listAll(7);
    expect(tasks.map((t) => t.id)).toEqual([...v.seed.taskIds].sort());
    const read = await oneByOne(tasks, (t) => maxsight.getTask(t.id));
    expect(tasks).toStrictEqual(read);
    expect(bodyOf(searches()[0])).toEqual({
      filter_model: null,
      max_page_size: 7,
      page_token: null,
      sorting_field: "TASK_ID",
      sorting_type: "ASC",
    });
    expect(
      searches()
        .slice(1)
        .every((e) => typeof bodyOf(e).page_token === "string"),
    ).toBe(true);
  });

  it("sends statuses as a set filter and applies the assignee after fetching", async () => {
    const done = await listAll(50, { filter: { statuses: ["DONE", "FAILED"] } });
    expect(bodyOf(searches()[0]).filter_model).toEqual({
      status: { filterType: "set", values: ["COMPLETED_PASS", "COMPLETED_FAIL"] },
    });
    const expected = [...(v.seed.byStatus.COMPLETED_PASS ?? []), ...(v.seed.byStatus.COMPLETED_FAIL ?? [])];
    expect(done.map((t) => t.id).sort()).toEqual(expected.sort());
    const team = v.seed.teamIds[0] as string;
    const theirs = await listAll(5, { filter: { assigneeId: team } });
    expect(theirs.length).toBeGreaterThan(0);
    for (const t of theirs) expect(t.assignees).toEqual([{ vendor: "maxsight", id: team, kind: "TEAM", inline: null }]);
  });

  it("matches the assignee filter whatever case Maxsight writes the assignee's UUID in", async () => {
    const seeded = (await maxsight.getTask(SEED_TASK_ID))?.raw as Record<string, unknown>;
    const assignment = seeded.assignment as Record<string, unknown>;
    const upper = {
      ...seeded,
      assignment: { ...assignment, assigned_to_id: String(assignment.assigned_to_id).toUpperCase() },
    };
    v.faults.set({
      match: { method: "POST", path: "/v5/tasks/search" },
      answer: {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [upper], next_page_token: null }),
      },
    });
    const page = await maxsight.listTasks({ pageSize: 5, filter: { assigneeId: String(assignment.assigned_to_id) } });
    expect(page.items.map((i) => i.task.id)).toEqual([SEED_TASK_ID]);
    expect(page.items[0]?.task.assignees[0]?.id).toBe(String(assignment.assigned_to_id).toLowerCase());
  });

  it("merges the caller's own AG Grid filter model with the status filter, and refuses both naming the status", async () => {
    const own = { step_name: { filterType: "text", type: "contains", filter: "review" } };
    const reviews = await listAll(50, { filter: { statuses: ["IN_PROGRESS"] }, vendorFilter: { filterModel: own } });
    expect(bodyOf(searches()[0]).filter_model).toEqual({
      ...own,
      status: { filterType: "set", values: ["INCOMPLETE"] },
    });
    expect(reviews.length).toBeGreaterThan(0);
    for (const t of reviews) expect(t.details.stepName?.toLowerCase()).toContain("review");
    v.requests.clear();
    const both = await failure(
      maxsight.listTasks({
        pageSize: 5,
        filter: { statuses: ["DONE"] },
        vendorFilter: { filterModel: { status: { filterType: "set", values: ["INCOMPLETE"] } } },
      }),
    );
    expect(both).toBeInstanceOf(InvalidInputError);
    expect(v.requests.count()).toBe(0);
  });

  it("resumes after any task without repeating or losing one", async () => {
    const seen: string[] = [];
    let position: string | null = null;
    for (const [pageSize, take] of [
      [7, 2],
      [50, 3],
      [4, 4],
      [9, 1],
      [50, 50],
      [50, 50],
    ] as const) {
      if (position === null && seen.length > 0) break;
      const page: TaskPage<MaxsightTask> = await maxsight.listTasks({ pageSize, position });
      const used = page.items.slice(0, take);
      seen.push(...used.map((i) => i.task.id));
      position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? null);
    }
    expect(seen).toEqual([...v.seed.taskIds].sort());
  });

  it("reports an expired page token as the vendor's 400, and a vendor failing in the middle of paging", async () => {
    const first = await maxsight.listTasks({ pageSize: 50 });
    clock += TTL + 1;
    const expired = await failure(maxsight.listTasks({ pageSize: 50, position: first.next }));
    expect(expired).toBeInstanceOf(VendorBadRequestError);
    expect(expired).toMatchObject({ status: 400, detail: "Invalid or expired page token" });
    v.faults.set({ match: { path: "/v5/tasks/search" }, afterRequests: 1, errorRate: 1 });
    const fresh = await maxsight.listTasks({ pageSize: 50 });
    expect(await failure(maxsight.listTasks({ pageSize: 50, position: fresh.next }))).toBeInstanceOf(
      VendorUnavailableError,
    );
    v.faults.clear();
    expect((await maxsight.listTasks({ pageSize: 50, position: fresh.next })).items).toHaveLength(10);
  });

  it("retries a failed search like a read: it changes nothing at the vendor", async () => {
    const retrying = e2e.client({ policies: [retryPolicy({ sleep: async () => {} })] });
    v.faults.set({ match: { path: "/v5/tasks/search" }, rateLimit: { count: 1, retryAfter: "0" } });
    const page = await retrying.listTasks({ pageSize: 5 });
    v.faults.clear();
    expect(page.items).toHaveLength(5);
    expect(searches()).toHaveLength(2);
  });
});

describe("actions (assign, unassign under If-Match)", () => {
  const id = () => v.seed.example.taskId;
  const actor = () => v.seed.personIds[1] as string;

  it("reassigns with the task's version; the version moves on, and the old one is refused with the current one", async () => {
    const before = (await maxsight.getTask(id())) as MaxsightTask;
    expect(maxsight.availableActions(before)).toEqual(["assign", "unassign"]);
    const team = v.seed.teamIds[0] as string;
    const { task } = await maxsight.performAction(id(), {
      kind: "assign",
      assignee: { id: team, kind: "TEAM" },
      actorId: actor(),
      comment: "Escalated",
      expectedVersion: before.version as string,
    });
    expect(task?.assignees).toEqual([{ vendor: "maxsight", id: team, kind: "TEAM", inline: null }]);
    expect(task?.version).not.toBe(before.version);
    const put = v.requests.entries({ method: "PUT" })[0];
    expect(put?.headers["if-match"]).toBe(before.version);
    expect(bodyOf(put)).toEqual({
      update: {
        assigned_by_id: actor(),
        assigned_to_id: team,
        assigned_to_type: "TEAM",
        assignment_comment: "Escalated",
      },
    });

    v.requests.clear();
    const stale = await failure(
      maxsight.performAction(id(), { kind: "unassign", actorId: actor(), expectedVersion: before.version as string }),
    );
    expect(stale).toBeInstanceOf(VendorConflictError);
    expect(stale).toMatchObject({ status: 412, retryable: false, currentVersion: task?.version });
    expect(v.requests.entries().map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 412", "GET 200"]);
  });

  it("unassigns with the current version; then only assigning is offered", async () => {
    const before = (await maxsight.getTask(id())) as MaxsightTask;
    const { task } = await maxsight.performAction(id(), {
      kind: "unassign",
      actorId: actor(),
      expectedVersion: before.version as string,
    });
    expect(task?.assignees).toEqual([]);
    expect(maxsight.availableActions(task as MaxsightTask)).toEqual(["assign"]);
  });

  it("leaves the current version out of a conflict when it cannot be read, and reads back an answer that is no task", async () => {
    const before = (await maxsight.getTask(id())) as MaxsightTask;
    v.faults.set({ match: { method: "GET" }, errorRate: 1 });
    const stale = await failure(
      maxsight.performAction(id(), { kind: "unassign", actorId: actor(), expectedVersion: "2001-01-01T00:00:00Z" }),
    );
    expect(stale).toMatchObject({ name: "VendorConflictError", status: 412, currentVersion: undefined });
    v.faults.set({ match: { method: "PUT" }, schemaBreakRate: 1 });
    const { task } = await maxsight.performAction(id(), {
      kind: "unassign",
      actorId: actor(),
      expectedVersion: before.version as string,
    });
    expect(task?.assignees).toEqual([]);
    expect(
      v.requests
        .entries()
        .slice(-2)
        .map((e) => e.method),
    ).toEqual(["PUT", "GET"]);
  });

  it.each([
    [{ kind: "unassign", expectedVersion: "v" }, "action.actorId"],
    [{ kind: "assign", assignee: { id: "u", kind: "PROVIDER" }, actorId: "x", expectedVersion: "v" }, "action.actorId"],
    [{ kind: "approve" }, "action.kind"],
    [{ kind: "unassign", actorId: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6" }, "expectedVersion"],
  ])("refuses %j before any call", async (action, field) => {
    const error = await failure(maxsight.performAction(id(), action as never));
    expect(error).toMatchObject({ name: "InvalidInputError", field });
    expect(v.requests.count()).toBe(0);
  });

  it("refuses an assignee kind Maxsight does not have", async () => {
    const error = await failure(
      maxsight.performAction(id(), {
        kind: "assign",
        assignee: { id: actor(), kind: "PROVIDER" },
        actorId: actor(),
        expectedVersion: "v",
      }),
    );
    expect(error).toMatchObject({ name: "InvalidInputError", field: "action.assignee.kind" });
    expect(v.requests.count()).toBe(0);
  });
});
