import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError, VendorContractViolationError } from "./errors.ts";
import {
  buildTaskPage,
  decodePosition,
  encodePosition,
  filterMatchesNothing,
  type ListCapabilities,
  matchesTaskFilter,
  parseListQuery,
  type TaskFilter,
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
  it("round-trip any native position", () => {
    fc.assert(
      fc.property(fc.option(fc.string({ minLength: 1 }), { nil: null }), fc.nat(), (native, skip) => {
        expect(decodePosition(encodePosition({ native, skip }))).toEqual({ native, skip });
      }),
    );
  });

  it("start at the first page's start when there is none", () => {
    expect(decodePosition(undefined)).toEqual({ native: null, skip: 0 });
    expect(decodePosition(null)).toEqual({ native: null, skip: 0 });
  });

  it.each(["", "3", "[]", '["x"]', '["x",-1]', '["x",1.5]', '["",0]', "[1,0]", "not json"])(
    "refuse %j as a position the caller made up",
    (text) => {
      expect(() => decodePosition(text)).toThrow(InvalidInputError);
    },
  );
});

describe("buildTaskPage", () => {
  const tasks = Array.from({ length: 10 }, (_, i) => task(i, i % 2 === 0 ? "TODO" : "DONE"));
  const at = (i: number) => `@${i}`;

  it("takes at most pageSize matching tasks from `from`, each with the position after it", () => {
    const page = buildTaskPage({
      tasks,
      from: 2,
      pageSize: 2,
      filter: { statuses: ["TODO"] },
      positionAt: at,
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
      tasks,
      from: 7,
      pageSize: 5,
      filter: { statuses: ["TODO"] },
      positionAt: at,
      end: "vendor-next",
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([["task-8", "vendor-next"]]);
    expect(page.next).toBe("vendor-next");
  });

  it("passes over tasks known not to match (null) and ends with the listing", () => {
    const page = buildTaskPage({
      tasks: [null, tasks[0] ?? null, null],
      from: 0,
      pageSize: 5,
      filter: undefined,
      positionAt: at,
      end: null,
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([["task-0", null]]);
    expect(page.next).toBeNull();
  });

  it("reports entries it could not read and continues past them", () => {
    const broken = new VendorContractViolationError("maxsight", "maxsight: updated_at is not a timestamp");
    const page = buildTaskPage({
      tasks: [tasks[0] ?? null, broken, tasks[2] ?? null],
      from: 0,
      pageSize: 2,
      filter: undefined,
      positionAt: at,
      end: null,
    });
    expect(page.items.map((i) => [i.task.id, i.after])).toEqual([
      ["task-0", "@1"],
      ["task-2", null],
    ]);
    expect(page.unreadable).toEqual([broken]);
  });

  it("is an empty page with the vendor's next when nothing matches", () => {
    const page = buildTaskPage({
      tasks,
      from: 0,
      pageSize: 3,
      filter: { statuses: ["FAILED"] },
      positionAt: at,
      end: "n",
    });
    expect(page).toEqual({ items: [], next: "n", totalCount: null, unreadable: [] });
  });

  // A vendor with fixed pages of 4 (positions = page start + skip), read by a caller that resumes after any item
  // (as a merge across vendors does): every matching task comes exactly once, in order.
  it("never repeats or loses a task, whatever page sizes and resume points the caller uses", () => {
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
          let position: string | null = encodePosition({ native: null, skip: 0 });
          for (const [pageSize, take] of [...reads, ...Array.from({ length: 60 }, () => [6, 6] as [number, number])]) {
            if (position === null) break;
            const { native, skip } = decodePosition(position);
            const start = native === null ? 0 : Number(native);
            const vendorPage = all.slice(start, start + VENDOR_PAGE);
            const more = start + VENDOR_PAGE < all.length;
            const page = buildTaskPage({
              tasks: vendorPage,
              from: skip,
              pageSize,
              filter,
              positionAt: (i) => encodePosition({ native: String(start), skip: i }),
              end: more ? encodePosition({ native: String(start + VENDOR_PAGE), skip: 0 }) : null,
            });
            // Use only part of the page, as a merge does, and resume after the last task used.
            const used = page.items.slice(0, Math.min(take, page.items.length) || page.items.length);
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
