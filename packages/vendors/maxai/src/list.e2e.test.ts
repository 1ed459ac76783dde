import {
  encodePosition,
  InvalidInputError,
  type MaxAiTask,
  type TaskFilter,
  type TaskPage,
  VendorUnavailableError,
} from "@taskbridge/model";
import type { SandboxVendor } from "@taskbridge/sandbox";
import { E2E_TIMEOUTS, failure, oneByOne, useClientE2e } from "@taskbridge/sandbox/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, type MaxAiClient } from "./client.ts";
import type { ListQuery } from "./list.ts";

const e2e = useClientE2e("maxai", (sv) =>
  createClient({ baseUrl: sv.url, ...sv.credentials, http: { timeouts: E2E_TIMEOUTS } }),
);
let v: SandboxVendor<"maxai">;
let maxai: MaxAiClient;
beforeAll(() => {
  ({ v, main: maxai } = e2e);
});

/** Every task of a listing, page by page, and the pages it took. */
async function listAll(query: Omit<ListQuery, "pageSize" | "position">, pageSize: number) {
  const tasks: MaxAiTask[] = [];
  let position: string | null = null;
  let pages = 0;
  do {
    const page: TaskPage<MaxAiTask> = await maxai.listTasks({ ...query, pageSize, position });
    tasks.push(...page.items.map((i) => i.task));
    position = page.next;
    pages++;
  } while (position !== null);
  return { tasks, pages };
}

const listRequests = () => v.requests.entries({ method: "GET", path: "/v4/tasks" });
/** A task without `raw`: listed tasks come in v4 form, read ones in v2 form; everything else must agree. */
const comparable = ({ raw: _raw, ...task }: MaxAiTask) => task;

describe("listTasks", () => {
  it("pages through every task once, each the same Task as getTask gives", async () => {
    const { tasks, pages } = await listAll({}, 7);
    expect(pages).toBe(9);
    expect(tasks.map((t) => t.id).sort()).toEqual([...v.seed.v4TaskIds].sort());
    const read = await oneByOne(tasks, (t) => maxai.getTask(t.id));
    expect(tasks.map(comparable)).toEqual(read.map((t) => comparable(t as MaxAiTask)));
    // The vendor's own pages: page n of 7, no page asked twice.
    expect(listRequests().map((e) => e.query)).toEqual(Array.from({ length: 9 }, (_, i) => `page=${i + 1}&pageSize=7`));
  });

  it("sends statuses and the assignee as Max AI's own filters and counts what matches", async () => {
    const provider = v.seed.providerUuids[0] as string;
    const filter: TaskFilter = { statuses: ["TODO"], assigneeId: provider };
    const first = await maxai.listTasks({ filter, pageSize: 100 });
    const prv = `prv_${provider.replaceAll("-", "")}`;
    expect(listRequests()[0]?.query).toBe(`status=new%2Cnot_started&providerId=${prv}&page=1&pageSize=100`);
    const all = (await listAll({}, 100)).tasks;
    const expected = all.filter((t) => t.status === "TODO" && t.assignees?.some((a) => a.id === prv));
    expect(first.items.map((i) => i.task.id).sort()).toEqual(expected.map((t) => t.id).sort());
    expect(first.totalCount).toBe(expected.length);
    expect(first.next).toBeNull();
  });

  it("applies updatedSince after fetching (dateFrom's date is not documented), and then counts nothing", async () => {
    const all = (await listAll({}, 100)).tasks;
    const since = [...all.map((t) => t.updatedAt ?? "")].sort()[40] as string;
    v.requests.clear();
    const { tasks } = await listAll({ filter: { updatedSince: since } }, 10);
    expect(tasks.map((t) => t.id).sort()).toEqual(
      all
        .filter((t) => (t.updatedAt ?? "") >= since)
        .map((t) => t.id)
        .sort(),
    );
    expect(listRequests().every((e) => !e.query.includes("dateFrom"))).toBe(true);
    expect((await maxai.listTasks({ filter: { updatedSince: since }, pageSize: 5 })).totalCount).toBeNull();
  });

  it("passes Max AI's own noteId filter on, in v4 form", async () => {
    const note = v.seed.example.noteId;
    const dashed = "3cc73cb6-9c59-403c-a910-8af6c5693b25";
    const page = await maxai.listTasks({ vendorFilter: { noteId: dashed }, pageSize: 50 });
    expect(listRequests()[0]?.query).toContain(`noteId=${note}`);
    expect(page.items.map((i) => i.task.details.noteId)).toEqual(page.items.map(() => note));
    expect(page.items.map((i) => i.task.id)).toContain(v.seed.example.v4TaskId);
  });

  it("resumes after any task, with any page size, without repeating or losing one", async () => {
    const seen: string[] = [];
    let position: string | null = null;
    for (const [pageSize, take] of [
      [7, 3],
      [11, 11],
      [4, 1],
      [30, 20],
      [100, 100],
    ] as const) {
      const page: TaskPage<MaxAiTask> = await maxai.listTasks({ pageSize, position });
      const used = page.items.slice(0, take);
      seen.push(...used.map((i) => i.task.id));
      position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? null);
    }
    expect(position).toBeNull();
    expect(seen.sort()).toEqual([...v.seed.v4TaskIds].sort());
  });

  it("resuming inside a page asks for a page that holds a full page from there", async () => {
    const first = await maxai.listTasks({ pageSize: 5 });
    const resumed = await maxai.listTasks({ pageSize: 7, position: first.next });
    // Offset 5, 7 a page: the first page of 7 has 2 tasks from 5 on; the first page of 12 has 7.
    expect(listRequests().map((e) => e.query)).toEqual(["page=1&pageSize=5", "page=1&pageSize=12"]);
    expect(resumed.items).toHaveLength(7);
    const rest = await maxai.listTasks({ pageSize: 7, position: resumed.next });
    expect(rest.items.map((i) => i.task.id)).not.toContain(resumed.items.at(-1)?.task.id);
  });

  it("answers a filter no Max AI status can match without a call", async () => {
    expect(await maxai.listTasks({ filter: { statuses: ["BLOCKED", "IN_REVIEW"] }, pageSize: 10 })).toEqual({
      items: [],
      next: null,
      totalCount: 0,
      unreadable: [],
    });
    expect(v.requests.count()).toBe(0);
  });

  it.each([
    [{ pageSize: 101 }, "pageSize"],
    [{ pageSize: 5, position: encodePosition({ native: "abc", seen: [] }) }, "position"],
    [{ pageSize: 5, position: "page=2" }, "position"],
    [{ pageSize: 5, filter: { assigneeId: "nte_3cc73cb69c59403ca9108af6c5693b25" } }, "filter.assigneeId"],
    [{ pageSize: 5, vendorFilter: { dateFrom: "last week" } }, "vendorFilter.dateFrom"],
    [{ pageSize: 5, vendorFilter: { dateFrom: "2026-03-01\r\nx" } }, "vendorFilter.dateFrom"],
  ])("refuses %j before any call", async (query, field) => {
    const error = await failure(maxai.listTasks(query as ListQuery));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
    expect(v.requests.count()).toBe(0);
  });

  it("fails the page where the vendor fails in the middle of paging; the same position works once it recovers", async () => {
    v.faults.set({ match: { method: "GET", path: "/v4/tasks" }, afterRequests: 1, errorRate: 1 });
    const first = await maxai.listTasks({ pageSize: 20 });
    const error = await failure(maxai.listTasks({ pageSize: 20, position: first.next }));
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    v.faults.clear();
    const second = await maxai.listTasks({ pageSize: 20, position: first.next });
    expect(second.items.map((i) => i.task.id)).not.toContain(first.items[0]?.task.id);
    expect(second.items).toHaveLength(20);
  });
});

describe("actions", () => {
  it("are none: Max AI documents no task update, assignment or comment", async () => {
    expect(maxai.capabilities.actions).toEqual([]);
    const task = (await maxai.getTask(v.seed.example.taskId)) as MaxAiTask;
    expect(maxai.availableActions(task)).toEqual([]);
    expect("performAction" in maxai).toBe(false);
  });
});
