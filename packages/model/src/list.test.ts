import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError, VendorContractViolationError } from "./errors.ts";
import {
  buildTaskPage,
  decodePosition,
  encodePosition,
  entryKey,
  filterMatchesNothing,
  type ListCapabilities,
  MAX_NEXT_POSITION,
  matchesTaskFilter,
  nextPageEnd,
  parseListQuery,
  type TaskFilter,
  type TaskPage,
  type TaskPageItem,
  taskEntries,
  vendorStatusValues,
} from "./list.ts";
import { STATUS_TABLES, TASK_STATUSES, type TaskStatus } from "./status.ts";
import type { MaxsightTask } from "./task.ts";

const CAPABILITIES: ListCapabilities = {
  filters: { statuses: "vendor", assigneeId: "client", updatedSince: "client" },
  newestUpdateFirst: false,
  maxPageSize: 100,
  scope: null,
  readsPerTask: 0,
};

function task(n: number, status: TaskStatus = "TODO", assignee?: string): MaxsightTask {
  const minute = String(n % 60).padStart(2, "0");
  return {
    vendor: "maxsight",
    id: `task-${n}`,
    title: null,
    description: null,
    status,
    vendorStatus: "INCOMPLETE",
    createdAt: "2026-03-01T10:00:00.000Z",
    updatedAt: `2026-03-0${1 + Math.floor(n / 60)}T11:${minute}:00.000Z`,
    assignees: assignee ? [{ vendor: "maxsight", id: assignee, kind: "USER", inline: null }] : [],
    raw: {},
    details: {
      stepName: null,
      workflowInstanceId: null,
      assessmentId: null,
      entityId: null,
      institutionId: null,
      lockedAt: null,
      dataVersion: null,
    },
  };
}

describe("parseListQuery", () => {
  it("keeps a good query and puts updatedSince in canonical form", () => {
    const query = parseListQuery(
      { pageSize: 20, filter: { statuses: ["TODO"], updatedSince: "2026-03-01 12:00:00+01" } },
      CAPABILITIES,
    );
    expect(query).toEqual({
      pageSize: 20,
      position: null,
      scope: undefined,
      filter: { statuses: ["TODO"], updatedSince: "2026-03-01T11:00:00.000Z" },
    });
  });

  it.each([0, -1, 101, 2.5, Number.NaN, undefined])("refuses pageSize %s", (pageSize) => {
    expect(() => parseListQuery({ pageSize: pageSize as number }, CAPABILITIES)).toThrow(
      new InvalidInputError("pageSize", "must be an integer from 1 to 100"),
    );
  });

  it("names the bad filter field", () => {
    const bad = (filter: unknown) => () => parseListQuery({ pageSize: 5, filter: filter as TaskFilter }, CAPABILITIES);
    expect(bad({ statuses: ["OPEN"] })).toThrow(expect.objectContaining({ field: "filter.statuses.0" }));
    expect(bad({ statuses: [] })).toThrow(expect.objectContaining({ field: "filter.statuses" }));
    expect(bad({ assigneeId: " " })).toThrow(expect.objectContaining({ field: "filter.assigneeId" }));
    expect(bad({ updatedSince: "yesterday" })).toThrow(expect.objectContaining({ field: "filter.updatedSince" }));
    expect(bad({ updatedSince: "2026-03-01T10:00:00" })).toThrow(/no UTC offset/);
  });

  it("asks for the scope a vendor's listing needs", () => {
    const needsUser = { ...CAPABILITIES, scope: "user" as const };
    expect(() => parseListQuery({ pageSize: 5 }, needsUser)).toThrow(
      new InvalidInputError("scope", "this vendor lists one user's tasks: give the user id"),
    );
    expect(parseListQuery({ pageSize: 5, scope: " u-1 " }, needsUser).scope).toBe("u-1");
    // The scope may be sent in the URL (Capy): no control character, at the edges or inside.
    for (const scope of ["u-1\n", "u\u00001", "u-1\ud800"]) {
      expect(() => parseListQuery({ pageSize: 5, scope }, needsUser)).toThrow(
        new InvalidInputError("scope", "expected text without control characters"),
      );
    }
  });
});

describe("matchesTaskFilter", () => {
  it("matches every field at once", () => {
    const t = task(5, "IN_PROGRESS", "u-1");
    expect(matchesTaskFilter(t, undefined)).toBe(true);
    expect(matchesTaskFilter(t, { statuses: ["IN_PROGRESS", "DONE"] })).toBe(true);
    expect(matchesTaskFilter(t, { statuses: ["DONE"] })).toBe(false);
    expect(matchesTaskFilter(t, { assigneeId: "u-1" })).toBe(true);
    expect(matchesTaskFilter(t, { assigneeId: "u-2" })).toBe(false);
    expect(matchesTaskFilter(t, { updatedSince: "2026-03-01T11:05:00.000Z" })).toBe(true);
    expect(matchesTaskFilter(t, { updatedSince: "2026-03-01T11:05:00.001Z" })).toBe(false);
    expect(matchesTaskFilter(t, { statuses: ["IN_PROGRESS"], assigneeId: "u-2" })).toBe(false);
  });

  it("never hides a task for a field its vendor's answer left unreadable", () => {
    const t = { ...task(5, "IN_PROGRESS", "u-1"), updatedAt: null, assignees: null };
    expect(matchesTaskFilter(t, { assigneeId: "u-2", updatedSince: "2099-01-01T00:00:00.000Z" })).toBe(true);
    expect(matchesTaskFilter(t, { statuses: ["DONE"] })).toBe(false);
  });
});

describe("vendorStatusValues", () => {
  it("turns canonical statuses into the vendor's values from the status tables", () => {
    expect(vendorStatusValues(STATUS_TABLES.maxai, ["TODO", "IN_PROGRESS"])).toEqual([
      "new",
      "not_started",
      "in_progress",
    ]);
    expect(vendorStatusValues(STATUS_TABLES.maxsight, ["DONE", "FAILED"])).toEqual([
      "COMPLETED_PASS",
      "COMPLETED_FAIL",
    ]);
    expect(vendorStatusValues(STATUS_TABLES.cakewalk, ["BLOCKED"])).toEqual(["NoClaimers", "Blocked"]);
  });

  it("cannot ask for UNKNOWN (values nobody has listed) and finds nothing for statuses a vendor lacks", () => {
    expect(vendorStatusValues(STATUS_TABLES.maxai, ["TODO", "UNKNOWN"])).toBeNull();
    expect(vendorStatusValues(STATUS_TABLES.maxai, undefined)).toBeNull();
    expect(vendorStatusValues(STATUS_TABLES.maxai, ["BLOCKED", "IN_REVIEW"])).toEqual([]);
  });

  it("knows when no call can find anything", () => {
    expect(filterMatchesNothing(STATUS_TABLES.maxai, { statuses: ["BLOCKED"] }, ["PROVIDER"])).toBe(true);
    expect(filterMatchesNothing(STATUS_TABLES.capy, { assigneeId: "anyone" }, [])).toBe(true);
    expect(filterMatchesNothing(STATUS_TABLES.capy, { statuses: ["UNKNOWN"] }, [])).toBe(false);
    expect(filterMatchesNothing(STATUS_TABLES.maxai, { statuses: ["TODO"], assigneeId: "prv_x" }, ["PROVIDER"])).toBe(
      false,
    );
  });
});

describe("positions", () => {
  it("round-trip any native position and the keys of any ids", () => {
    fc.assert(
      fc.property(fc.option(fc.string({ minLength: 1 }), { nil: null }), fc.array(fc.string()), (native, ids) => {
        const seen = ids.map(entryKey);
        expect(decodePosition(encodePosition({ native, seen }))).toEqual({ native, seen });
      }),
    );
  });

  it("key an id in a few characters whatever its length, and tell ids apart", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `3fa85f64-5717-4562-b3fc-${String(i).padStart(12, "0")}`);
    const keys = new Set(ids.map(entryKey));
    expect(keys.size).toBe(ids.length);
    expect(entryKey("x".repeat(500))).toMatch(/^[A-Za-z0-9_-]{9}$/);
    expect(entryKey("same")).toBe(entryKey("same"));
  });

  it("start at the first page's start when there is none", () => {
    expect(decodePosition(undefined)).toEqual({ native: null, seen: [] });
    expect(decodePosition(null)).toEqual({ native: null, seen: [] });
  });

  it.each([
    "",
    "3",
    "[]",
    '["x"]',
    '["x",0]',
    '["x",3]',
    '["x","abc"]',
    '["x","abcdefgh!"]',
    '["","abcdefghi"]',
    '[1,""]',
    "not json",
  ])("refuse %j as a position the caller made up", (text) => {
    expect(() => decodePosition(text)).toThrow(InvalidInputError);
  });
});

/** Entries as a vendor page gives them: each task keyed by its id. */
const entries = (values: readonly (MaxsightTask | VendorContractViolationError | null)[]) =>
  values.map((value) => ({ id: value instanceof VendorContractViolationError ? null : (value?.id ?? null), value }));

describe("buildTaskPage", () => {
  const tasks = Array.from({ length: 10 }, (_, i) => task(i, i % 2 === 0 ? "TODO" : "DONE"));
  const offsets = (from: number) => ({ by: "offset" as const, from, positionAt: (i: number) => `@${i}` });

  it("takes at most pageSize matching tasks from `from`, each with the position after it", () => {
    const page = buildTaskPage({
      entries: taskEntries(tasks),
      resume: offsets(2),
      pageSize: 2,
      filter: { statuses: ["TODO"] },
      end: "next",
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([
      ["task-2", "@3"],
      ["task-4", "@5"],
    ]);
    expect(page.next).toBe("@5");
    expect(page.totalCount).toBeNull();
  });

  it("skips non-matching tasks after the last one, so the next page does not read them again", () => {
    const page = buildTaskPage({
      entries: taskEntries(tasks),
      resume: offsets(7),
      pageSize: 5,
      filter: { statuses: ["TODO"] },
      end: "vendor-next",
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([["task-8", "vendor-next"]]);
    expect(page.next).toBe("vendor-next");
  });

  it("passes over tasks known not to match (null) and ends with the listing", () => {
    const page = buildTaskPage({
      entries: entries([null, tasks[0] ?? null, null]),
      resume: offsets(0),
      pageSize: 5,
      filter: undefined,
      end: null,
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([["task-0", null]]);
    expect(page.next).toBeNull();
  });

  it("is an empty page with the vendor's next when nothing matches", () => {
    const page = buildTaskPage({
      entries: taskEntries(tasks),
      resume: offsets(0),
      pageSize: 3,
      filter: { statuses: ["FAILED"] },
      end: "n",
    });
    expect(page).toEqual({ items: [], next: "n", totalCount: null, unreadable: [] });
  });

  describe("resuming by identity", () => {
    const identity = (position: string | null) => ({ by: "identity" as const, ...decodePosition(position) });

    it("continues after the tasks examined, however many were added or removed before them", () => {
      const first = buildTaskPage({
        entries: taskEntries(tasks.slice(0, 6)),
        resume: identity(null),
        pageSize: 2,
        filter: undefined,
        end: "vendor-next",
      });
      expect(first.items.map((i) => i.task.id)).toEqual(["task-0", "task-1"]);
      // task-0 is gone and a new task came first; the vendor page is read again.
      const again = [task(50), ...tasks.slice(1, 6)];
      const second = buildTaskPage({
        entries: taskEntries(again),
        resume: identity(first.next),
        pageSize: 3,
        filter: undefined,
        end: "vendor-next",
      });
      expect(second.items.map((i) => i.task.id)).toEqual(["task-50", "task-2", "task-3"]);
      // Resuming after task-50 still passes over task-1, examined on the first page.
      const fromEdge = buildTaskPage({
        entries: taskEntries(again),
        resume: identity(second.items[0]?.after ?? null),
        pageSize: 1,
        filter: undefined,
        end: "vendor-next",
      });
      expect(fromEdge.items.map((i) => i.task.id)).toEqual(["task-2"]);
      expect(decodePosition(second.next).native).toBeNull();
    });

    it("ends the listing when the vendor's next page is the page just read, saying so once", () => {
      const answer = { status: 200, traceId: undefined };
      const at = (position: string | null) => ({
        entries: taskEntries(tasks.slice(0, 3)),
        resume: identity(position),
        pageSize: 2,
        filter: undefined,
        ...nextPageEnd("maxsight", "next_page_token", "token-1", "token-1", answer),
      });
      const first = buildTaskPage(at(encodePosition({ native: "token-1", seen: [] })));
      expect(first.unreadable).toEqual([]);
      const last = buildTaskPage(at(first.next));
      expect(last.items.map((i) => [i.task.id, i.after])).toEqual([["task-2", null]]);
      expect(last.next).toBeNull();
      expect(last.unreadable).toHaveLength(1);
      expect(last.unreadable[0]).toMatchObject({ kind: "contract_violation", field: "next_page_token", status: 200 });
      expect(nextPageEnd("capy", "nextCursor", "a", "b", answer)).toEqual({
        end: encodePosition({ native: "b", seen: [] }),
      });
      expect(nextPageEnd("capy", "nextCursor", "a", null, answer)).toEqual({ end: null });
      const long = nextPageEnd("capy", "nextCursor", "a", "b".repeat(MAX_NEXT_POSITION + 1), answer);
      expect(long).toMatchObject({ end: null, endProblem: { detail: "nextCursor: is longer than 2048 characters" } });
    });

    it("passes over tasks examined and not matching, and ends the vendor page with its next", () => {
      const first = buildTaskPage({
        entries: taskEntries(tasks.slice(0, 4)),
        resume: identity(null),
        pageSize: 1,
        filter: { statuses: ["DONE"] },
        end: "vendor-next",
      });
      expect(first.items.map((i) => i.task.id)).toEqual(["task-1"]);
      expect(decodePosition(first.next).seen).toEqual(["task-0", "task-1"].map(entryKey));
      const second = buildTaskPage({
        entries: taskEntries(tasks.slice(0, 4)),
        resume: identity(first.next),
        pageSize: 5,
        filter: { statuses: ["DONE"] },
        end: "vendor-next",
      });
      expect(second.items.map((i) => [i.task.id, i.after])).toEqual([["task-3", "vendor-next"]]);
    });

    it("keeps the keys a re-read lacks while in the vendor page, and examines a task listed twice in it once", () => {
      const first = buildTaskPage({
        entries: taskEntries(tasks.slice(0, 4)),
        resume: identity(null),
        pageSize: 2,
        filter: undefined,
        end: null,
      });
      const page = buildTaskPage({
        entries: taskEntries([tasks[1], tasks[2], tasks[2], tasks[3]] as MaxsightTask[]),
        resume: identity(first.next),
        pageSize: 1,
        filter: undefined,
        end: null,
      });
      expect(page.items.map((i) => i.task.id)).toEqual(["task-2"]);
      // task-0 may have been pushed past the end of a response cut short: it stays passed over.
      expect(decodePosition(page.next).seen).toEqual(["task-0", "task-1", "task-2"].map(entryKey));
      const rest = buildTaskPage({
        entries: taskEntries([tasks[1], tasks[2], tasks[2], tasks[3]] as MaxsightTask[]),
        resume: identity(page.next),
        pageSize: 5,
        filter: undefined,
        end: null,
      });
      expect(rest.items.map((i) => i.task.id)).toEqual(["task-3"]);
    });

    it("reports an entry without an id again when a later page resumes in the same vendor page", () => {
      const broken = new VendorContractViolationError("maxsight", "maxsight: updated_at is not a timestamp");
      const page = entries([tasks[0] ?? null, broken, tasks[2] ?? null, tasks[3] ?? null]);
      const first = buildTaskPage({ entries: page, resume: identity(null), pageSize: 2, filter: undefined, end: null });
      expect(first.items.map((i) => i.task.id)).toEqual(["task-0", "task-2"]);
      expect(first.unreadable).toEqual([broken]);
      const second = buildTaskPage({
        entries: page,
        resume: identity(first.next),
        pageSize: 2,
        filter: undefined,
        end: null,
      });
      expect(second.items.map((i) => [i.task.id, i.after])).toEqual([["task-3", null]]);
      expect(second.unreadable).toEqual([broken]);
    });

    it("continues inside the vendor page when the entries stop short of its end (`more`)", () => {
      const page = buildTaskPage({
        entries: taskEntries(tasks.slice(0, 3)),
        resume: identity(null),
        pageSize: 5,
        filter: { statuses: ["DONE"] },
        end: "vendor-next",
        more: true,
      });
      expect(page.items.map((i) => i.task.id)).toEqual(["task-1"]);
      expect(decodePosition(page.next)).toEqual({ native: null, seen: ["task-0", "task-1", "task-2"].map(entryKey) });
    });
  });

  // Keyset vendor pages (a token names the last task of a page) read two ways: Maxsight and Capy re-read a vendor page
  // with only as many entries as needed (`seen.length + pageSize`); Cakewalk's pages have a size the vendor sets.
  // Either way an insertion ahead of examined tasks pushes them out of the response without deleting them.
  const keysetVendor = (live: readonly number[], sizeOf: (seen: number, pageSize: number) => number) => {
    return (position: string | null, pageSize: number) => {
      const { native, seen } = decodePosition(position);
      const after = native === null ? -1 : Number(native);
      const sorted = [...live].sort((a, b) => a - b).filter((n) => n > after);
      const response = sorted.slice(0, sizeOf(seen.length, pageSize));
      const last = response.at(-1);
      return buildTaskPage({
        entries: taskEntries(response.map((n) => task(n))),
        resume: { by: "identity", native, seen },
        pageSize,
        filter: undefined,
        end:
          sorted.length > response.length && last !== undefined
            ? encodePosition({ native: String(last), seen: [] })
            : null,
      });
    };
  };
  /** Lists to the end, one task a call, from `position`. */
  const readOneByOne = (
    read: (position: string | null, pageSize: number) => TaskPage<MaxsightTask>,
    from: string | null,
  ) => {
    const ids: string[] = [];
    const keys: number[] = [];
    for (let position = from, calls = 0; position !== null && calls < 50; calls++) {
      const page = read(position, 1);
      ids.push(...page.items.map((i) => i.task.id));
      position = page.next;
      if (position !== null) keys.push(decodePosition(position).seen.length);
    }
    return { ids, keys };
  };

  it("lists nothing twice when tasks added ahead push examined ones out of a re-read that only holds what it needs", () => {
    const live = [10, 20, 30, 40, 50];
    const read = keysetVendor(live, (seen, pageSize) => Math.min(50, seen + pageSize));
    const first = read(null, 3);
    expect(first.items.map((i) => i.task.id)).toEqual(["task-10", "task-20", "task-30"]);
    live.push(1, 2, 3);
    const rest = readOneByOne(read, first.items[1]?.after ?? null);
    expect(["task-10", "task-20", ...rest.ids]).toEqual([10, 20, 1, 2, 3, 30, 40, 50].map((n) => `task-${n}`));
  });

  it("carries keys pushed out of a fixed-size vendor page into the next ones until a response holds them", () => {
    const live = [10, 20, 30, 40, 50, 60, 70];
    const read = keysetVendor(live, () => 3);
    const first = read(null, 2);
    expect(first.items.map((i) => i.task.id)).toEqual(["task-10", "task-20"]);
    // Six tasks added ahead push tasks 10 and 20 two vendor pages on.
    live.push(1, 2, 3, 4, 5, 6);
    const rest = readOneByOne(read, first.next);
    expect(rest.ids).toEqual([1, 2, 3, 4, 5, 6, 30, 40, 50, 60, 70].map((n) => `task-${n}`));
    // Keys per position: tasks 10 and 20 are carried at each vendor page's end (2) until the page after task 6 holds
    // them; the vendor's position then passes them and their keys go (0).
    expect(rest.keys).toEqual([3, 4, 2, 3, 4, 2, 0, 1, 2, 0]);
  });

  it("carries at most 100 keys into the next vendor page, the latest examined", () => {
    // 150 tasks examined in this vendor page, none of them in the response that ends it.
    const gone = Array.from({ length: 150 }, (_, n) => entryKey(`task-${n}`));
    const page = buildTaskPage({
      entries: taskEntries([task(200)]),
      resume: { by: "identity", native: null, seen: gone },
      pageSize: 1,
      filter: undefined,
      end: encodePosition({ native: "p2", seen: [] }),
    });
    expect(page.items.map((i) => i.task.id)).toEqual(["task-200"]);
    expect(decodePosition(page.next)).toEqual({ native: "p2", seen: gone.slice(50) });
  });

  // A vendor with keyset pages (a token names the last task of a page) of 4, or re-read with only as many entries as a
  // call needs (Maxsight, Capy), whose tasks are added (anywhere, or right ahead of the page being read) and removed
  // between calls, read by a caller that resumes after any item (as a merge across vendors does): no task comes twice,
  // and every matching task present from start to end comes, in order.
  it("never repeats or loses a task when tasks come and go between pages (keyset tokens)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 30 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 6 }),
            fc.nat(),
            fc.integer({ min: 0, max: 200 }),
            fc.constantFrom("add", "add ahead", "remove"),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.subarray([...TASK_STATUSES], { minLength: 1 }),
        fc.boolean(),
        (tens, reads, wanted, sized) => {
          // Tasks 0, 10, 20…, so tasks can be added right ahead of any of them.
          const initial = tens.map((n) => n * 10);
          const statusOf = (n: number) => TASK_STATUSES[n % TASK_STATUSES.length] as TaskStatus;
          const live = new Set(initial);
          const everPresent = new Set(initial);
          const deleted = new Set<number>();
          const filter = { statuses: wanted };
          const VENDOR_PAGE = 4;
          const seen: string[] = [];
          let position: string | null = null;
          const tail = Array.from({ length: 80 }, () => [6, 6, 0, "none"] as const);
          for (const [pageSize, take, changed, change] of [...reads, ...tail]) {
            const { native, seen: keys } = decodePosition(position);
            const after = native === null ? -1 : Number(native);
            const sorted = [...live].sort((a, b) => a - b).filter((n) => n > after);
            const vendorPage = sorted.slice(0, sized ? keys.length + pageSize : VENDOR_PAGE);
            const last = vendorPage.at(-1);
            const page = buildTaskPage({
              entries: taskEntries(vendorPage.map((n) => task(n, statusOf(n)))),
              resume: { by: "identity", native, seen: keys },
              pageSize,
              filter,
              end:
                sorted.length > vendorPage.length && last !== undefined
                  ? encodePosition({ native: String(last), seen: [] })
                  : null,
            });
            const used = page.items.slice(0, Math.min(take, page.items.length) || page.items.length);
            seen.push(...used.map((i) => i.task.id));
            position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? position);
            if (position === null) break;
            // The vendor's data changes before the next call: "add ahead" adds up to 3 tasks right before the first of
            // the vendor page read, pushing the tasks examined in it towards (or past) the end of the next response.
            const first = sorted[0] ?? after + 10;
            const added =
              change === "add ahead"
                ? [1, 2, 3].slice(0, 1 + (changed % 3)).map((d) => first - d)
                : change === "add"
                  ? [changed * 10]
                  : [];
            for (const n of added) {
              if (n <= after || deleted.has(n)) continue;
              live.add(n);
              everPresent.add(n);
            }
            if (change === "remove" && live.delete(changed * 10)) deleted.add(changed * 10);
          }
          expect(position).toBeNull();
          expect(new Set(seen).size).toBe(seen.length);
          const stayed = [...everPresent].filter((n) => !deleted.has(n) && initial.includes(n));
          for (const n of stayed) if (wanted.includes(statusOf(n))) expect(seen).toContain(`task-${n}`);
          // A task added behind the caller's position may come later than its place; the others keep the vendor's order.
          const order = seen.map((id) => Number(id.slice(5))).filter((n) => stayed.includes(n));
          expect(order).toEqual([...order].sort((a, b) => a - b));
        },
      ),
      // Tasks pushed out of a response are a narrow case: more runs find it every time.
      { numRuns: 1000 },
    );
  });

  // Max AI's offset positions: a vendor with fixed pages of 4, unchanged between calls, read with any page sizes and
  // resume points: every matching task comes exactly once, in order.
  it("never repeats or loses a task at offset positions, whatever page sizes and resume points the caller uses", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<TaskStatus>(...TASK_STATUSES), { maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.nat()), { minLength: 1, maxLength: 40 }),
        fc.subarray([...TASK_STATUSES], { minLength: 1 }),
        (statuses, reads, wanted) => {
          const all = statuses.map((status, i) => task(i, status));
          const filter = { statuses: wanted };
          const VENDOR_PAGE = 4;
          const seen: string[] = [];
          let position: string | null = encodePosition({ native: "0", seen: [] });
          for (const [pageSize, take] of [...reads, ...Array.from({ length: 60 }, () => [6, 6] as [number, number])]) {
            if (position === null) break;
            const offset: number = Number(decodePosition(position).native);
            const start = offset - (offset % VENDOR_PAGE);
            const vendorPage = all.slice(start, start + VENDOR_PAGE);
            const more = start + VENDOR_PAGE < all.length;
            const at = (i: number) => encodePosition({ native: String(start + i), seen: [] });
            const page: TaskPage<MaxsightTask> = buildTaskPage({
              entries: taskEntries(vendorPage),
              resume: { by: "offset", from: offset - start, positionAt: at },
              pageSize,
              filter,
              end: more ? at(VENDOR_PAGE) : null,
            });
            // Use only part of the page, as a merge does, and resume after the last task used.
            const used: TaskPageItem<MaxsightTask>[] = page.items.slice(
              0,
              Math.min(take, page.items.length) || page.items.length,
            );
            seen.push(...used.map((i) => i.task.id));
            position = used.length === page.items.length ? page.next : (used.at(-1)?.after ?? position);
          }
          expect(position).toBeNull();
          expect(seen).toEqual(all.filter((t) => wanted.includes(t.status)).map((t) => t.id));
        },
      ),
    );
  });
});
