import {
  type CakewalkTask,
  encodePosition,
  InvalidInputError,
  type TaskPage,
  VendorBadRequestError,
  VendorConflictError,
  VendorForbiddenError,
  VendorUnavailableError,
} from "@taskbridge/model";
import type { SandboxVendor } from "@taskbridge/sandbox";
import { E2E_TIMEOUTS, failure, oneByOne, useClientE2e } from "@taskbridge/sandbox/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CakewalkClient, createClient } from "./client.ts";

const TTL = 60_000;
let clock = Date.UTC(2026, 4, 1, 9, 0, 0);
const e2e = useClientE2e(
  "cakewalk",
  (sv) => createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS } }),
  { now: () => clock, pageTokenTtlMs: TTL, rateLimits: { cakewalk: false } },
);
let v: SandboxVendor<"cakewalk">;
let cakewalk: CakewalkClient;
beforeAll(() => {
  ({ v, main: cakewalk } = e2e);
});
// Each test starts past the lifetime of every page token the ones before it were given.
beforeEach(() => {
  clock += 10 * TTL;
});

const user = () => v.seed.personIds[0] as string;
const listRequests = () => v.requests.entries({ method: "GET", path: "/api/v1/Tasks" });

async function listAll(pageSize: number, filter?: Parameters<CakewalkClient["listTasks"]>[0]["filter"]) {
  const tasks: CakewalkTask[] = [];
  let position: string | null = null;
  do {
    const page: TaskPage<CakewalkTask> = await cakewalk.listTasks({ scope: user(), filter, pageSize, position });
    tasks.push(...page.items.map((i) => i.task));
    position = page.next;
  } while (position !== null);
  return tasks;
}

describe("listTasks (one user's tasks)", () => {
  it("follows links.next to the end: every task of the user once, as getTask has it but the access request", async () => {
    const tasks = await listAll(4);
    // The first vendor page, then links.next as given; a vendor page longer than pageSize is asked for again.
    const queries = new Set(listRequests().map((r) => r.query));
    expect(tasks.length).toBeGreaterThan(10);
    expect(queries.size).toBe(Math.ceil(tasks.length / 10));
    for (const q of queries) expect(q).toMatch(new RegExp(`^userId=${user()}(&page%5Bcursor%5D=[\\w.-]+)?$`));
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    for (const t of tasks)
      expect([...t.assignees.map((a) => a.id), ...t.details.claimers.map((c) => c.id)]).toContain(user());
    const read = await oneByOne(tasks, (t) => cakewalk.getTask(t.id));
    // The list's simplified view model has no access request: that is the one difference.
    const comparable = ({ raw: _raw, details, ...rest }: CakewalkTask) => ({
      ...rest,
      details: { ...details, request: null },
    });
    expect(tasks.map(comparable)).toEqual(read.map((t) => comparable(t as CakewalkTask)));
    expect(tasks.every((t) => t.details.request === null)).toBe(true);
  });

  it("filters statuses, the assignee and updatedSince after fetching (the status parameter's name is unknown)", async () => {
    const all = await listAll(100);
    v.requests.clear();
    const since = all.map((t) => t.updatedAt).sort()[3] as string;
    const open = await listAll(3, {
      statuses: ["TODO", "IN_PROGRESS"],
      assigneeId: user().toUpperCase(),
      updatedSince: since,
    });
    const expected = all.filter(
      (t) =>
        ["TODO", "IN_PROGRESS"].includes(t.status) &&
        t.assignees.some((a) => a.id === user()) &&
        (t.updatedAt ?? "") >= since,
    );
    expect(open.map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(listRequests().every((r) => !r.query.includes("status"))).toBe(true);
  });

  it("resumes after any task without repeating or losing one", async () => {
    const all = (await listAll(100)).map((t) => t.id);
    const seen: string[] = [];
    let position: string | null = null;
    for (const [pageSize, take] of [
      [3, 2],
      [7, 1],
      [2, 2],
      [100, 100],
      [100, 100],
      [100, 100],
    ] as const) {
      if (position === null && seen.length > 0) break;
      const page: TaskPage<CakewalkTask> = await cakewalk.listTasks({ scope: user(), pageSize, position });
      const used = page.items.slice(0, take);
      seen.push(...used.map((i) => i.task.id));
      position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? null);
    }
    expect(seen).toEqual(all);
  });

  it("refuses a listing without a user, or a position of another user's listing, before any call", async () => {
    const first = await cakewalk.listTasks({ scope: user(), pageSize: 2 });
    v.requests.clear();
    const missing = await failure(cakewalk.listTasks({ pageSize: 2 }));
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect(missing).toMatchObject({ field: "scope" });
    const other = await failure(
      cakewalk.listTasks({ scope: v.seed.personIds[1] as string, pageSize: 2, position: first.next }),
    );
    expect(other).toMatchObject({ name: "InvalidInputError", field: "position" });
    const elsewhere = encodePosition({ native: "/api/v1/Users?userId=x", seen: [] });
    expect(await failure(cakewalk.listTasks({ scope: user(), pageSize: 2, position: elsewhere }))).toBeInstanceOf(
      InvalidInputError,
    );
    expect(v.requests.count()).toBe(0);
  });

  it("follows a links.next that names no user with the listing's user, and stays bound to it", async () => {
    const headers = { "x-api-key": v.credentials.apiKey, "x-api-secret": v.credentials.apiSecret };
    const response = await fetch(`${v.url}/api/v1/Tasks?userId=${user()}`, { headers });
    const page = (await response.json()) as { links: { next: string } };
    const next = new URL(page.links.next, "http://link.invalid");
    next.searchParams.delete("userId");
    page.links.next = `${next.pathname}${next.search}`;
    v.faults.set({
      match: { method: "GET", path: "/api/v1/Tasks" },
      answer: { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(page) },
    });
    const first = await cakewalk.listTasks({ scope: user(), pageSize: 100 });
    v.faults.clear();
    v.requests.clear();
    const second = await cakewalk.listTasks({ scope: user(), pageSize: 100, position: first.next });
    expect(listRequests().map((r) => `?${r.query}`)).toEqual([`${next.search}&userId=${user()}`]);
    expect(second.items.length).toBeGreaterThan(0);
    const other = v.seed.personIds[1] as string;
    const foreign = await failure(cakewalk.listTasks({ scope: other, pageSize: 100, position: first.next }));
    expect(foreign).toMatchObject({ name: "InvalidInputError", field: "position" });
  });

  it("reports an expired cursor as the vendor's 400", async () => {
    const first = await cakewalk.listTasks({ scope: user(), pageSize: 100 });
    const second = await cakewalk.listTasks({ scope: user(), pageSize: 100, position: first.next });
    clock += TTL + 1;
    const error = await failure(cakewalk.listTasks({ scope: user(), pageSize: 100, position: first.next }));
    expect(error).toBeInstanceOf(VendorBadRequestError);
    expect(error).toMatchObject({ status: 400, detail: "The cursor is invalid or has expired." });
    expect(second.items.length).toBeGreaterThan(0);
  });

  it("fails where the vendor fails in the middle of paging; the kept position works once it recovers", async () => {
    v.faults.set({ match: { method: "GET", path: "/api/v1/Tasks" }, afterRequests: 1, errorRate: 1 });
    const first = await cakewalk.listTasks({ scope: user(), pageSize: 100 });
    expect(await failure(cakewalk.listTasks({ scope: user(), pageSize: 100, position: first.next }))).toBeInstanceOf(
      VendorUnavailableError,
    );
    v.faults.clear();
    const second = await cakewalk.listTasks({ scope: user(), pageSize: 100, position: first.next });
    expect(second.items.map((i) => i.task.id)).not.toContain(first.items[0]?.task.id);
  });
});

describe("actions (approve, decline)", () => {
  const pending = () => v.seed.byStatus.Pending?.[0] as string;

  it("approves a pending task once: it is DONE afterwards, offers nothing more, and a second approval conflicts", async () => {
    const before = (await cakewalk.getTask(pending())) as CakewalkTask;
    expect(cakewalk.availableActions(before)).toEqual(["approve", "decline"]);
    const { task } = await cakewalk.performAction(pending(), { kind: "approve", comment: "Needed for the Q3 audit" });
    expect(task).toMatchObject({ id: pending(), status: "DONE", vendorStatus: "Approved" });
    expect(cakewalk.availableActions(task as CakewalkTask)).toEqual([]);
    const body = v.requests.entries({ method: "POST" })[0]?.body;
    expect(JSON.parse(body ?? "")).toEqual({ justification: "Needed for the Q3 audit" });
    const again = await failure(cakewalk.performAction(pending(), { kind: "approve" }));
    expect(again).toBeInstanceOf(VendorConflictError);
    expect(again).toMatchObject({ status: 409, retryable: false });
    expect(again.detail).toContain("is Approved");
  });

  it("declines a task in progress", async () => {
    const id = v.seed.byStatus.InProgress?.[1] as string;
    const { task } = await cakewalk.performAction(id, { kind: "decline" });
    expect(task).toMatchObject({ id, status: "CANCELLED", vendorStatus: "Declined" });
    expect((await cakewalk.getTask(id))?.vendorStatus).toBe("Declined");
  });

  it("reads the task back when the answer is not a task, and reports a failed read-back as task: null", async () => {
    v.faults.set({ match: { method: "POST" }, schemaBreakRate: 1 });
    const read = await cakewalk.performAction(pending(), { kind: "approve" });
    expect(read.task).toMatchObject({ id: pending(), vendorStatus: "Approved" });
    expect(v.requests.entries().map((e) => e.method)).toEqual(["POST", "GET"]);
    const other = v.seed.byStatus.Pending?.[1] as string;
    v.faults.add({ match: { method: "GET" }, errorRate: 1 });
    expect(await cakewalk.performAction(other, { kind: "decline" })).toEqual({ task: null });
    v.faults.clear();
    expect((await cakewalk.getTask(other))?.vendorStatus).toBe("Declined");
  });

  it("is refused with a read-only key (403), and refuses actions Cakewalk does not offer before any call", async () => {
    v.states["the API key is read-only"]?.({});
    expect(await failure(cakewalk.performAction(pending(), { kind: "approve" }))).toBeInstanceOf(VendorForbiddenError);
    v.requests.clear();
    const stop = await failure(cakewalk.performAction(pending(), { kind: "stop" }));
    expect(stop).toMatchObject({ name: "InvalidInputError", field: "action.kind" });
    const badId = await failure(cakewalk.performAction("not-a-guid", { kind: "approve" }));
    expect(badId).toMatchObject({ name: "InvalidInputError", field: "id" });
    expect(v.requests.count()).toBe(0);
  });
});
