import type { AnyTask, TaskPage } from "@taskbridge/model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DONE, type Positions, type Progress, START } from "./list-cursor.ts";
import { mergePages } from "./task-list.ts";

function task(vendor: string, id: string, updatedAt: string): AnyTask {
  return {
    vendor,
    id,
    title: null,
    description: null,
    status: "TODO",
    vendorStatus: "open",
    createdAt: updatedAt,
    updatedAt,
    assignees: [],
    raw: {},
    details: {},
  };
}

/** A vendor page of `tasks` as the model builds one: each item's `after` is its index + 1, the last one `next`. */
function page(vendor: string, tasks: [string, string][], next: string | null): TaskPage<AnyTask> {
  return {
    items: tasks.map(([id, at], i) => ({
      task: task(vendor, id, at),
      after: i === tasks.length - 1 ? next : `${vendor}@${id}`,
    })),
    next,
    totalCount: null,
    unreadable: [],
  };
}

const at = (position: string): Progress => ({ state: "at", position });
const state = (positions: Positions) => Object.fromEntries(positions);

describe("mergePages", () => {
  it("keeps each vendor's order and puts the later updated head first; each edge resumes after itself", () => {
    const incoming: Positions = new Map([
      ["maxai", START],
      ["capy", START],
      ["maxsight", at("old")],
    ]);
    const pages = new Map([
      // Max AI's own order is not by update: its second task is newer than its first.
      [
        "maxai",
        page(
          "maxai",
          [
            ["m1", "2026-01-02T00:00:00.000Z"],
            ["m2", "2026-01-09T00:00:00.000Z"],
          ],
          "m-next",
        ),
      ],
      ["capy", page("capy", [["c1", "2026-01-05T00:00:00.000Z"]], null)],
      ["maxsight", page("maxsight", [], "s-next")],
    ]);
    const { edges, end } = mergePages(10, incoming, pages);
    expect(edges.map((e) => e.task.id)).toEqual(["c1", "m1", "m2"]);
    // Maxsight's page held nothing that matched: it moved on from the first edge.
    expect(state(edges[0]?.positions as Positions)).toEqual({ maxai: START, capy: DONE, maxsight: at("s-next") });
    expect(state(edges[1]?.positions as Positions)).toEqual({
      maxai: at("maxai@m1"),
      capy: DONE,
      maxsight: at("s-next"),
    });
    expect(state(end)).toEqual({ maxai: at("m-next"), capy: DONE, maxsight: at("s-next") });
    expect(state(edges[2]?.positions as Positions)).toEqual(state(end));
  });

  it("takes at most `first`, leaving the rest for the next page", () => {
    const pages = new Map([
      [
        "maxai",
        page(
          "maxai",
          [
            ["m1", "2026-01-03T00:00:00.000Z"],
            ["m2", "2026-01-01T00:00:00.000Z"],
          ],
          "m-next",
        ),
      ],
    ]);
    const { edges, end } = mergePages(1, new Map([["maxai", START]]), pages);
    expect(edges.map((e) => e.task.id)).toEqual(["m1"]);
    expect(state(end)).toEqual({ maxai: at("maxai@m1") });
  });

  it("breaks ties by registry order, then id", () => {
    const same = "2026-01-01T00:00:00.000Z";
    const pages = new Map([
      ["maxsight", page("maxsight", [["s1", same]], null)],
      ["maxai", page("maxai", [["m2", same]], null)],
      ["cakewalk", page("cakewalk", [["k1", same]], null)],
    ]);
    const incoming: Positions = new Map([...pages.keys()].map((v) => [v, START]));
    expect(mergePages(5, incoming, pages).edges.map((e) => e.task.id)).toEqual(["m2", "k1", "s1"]);
  });

  it("from any edge, each vendor resumes right after its last task so far (property)", () => {
    const vendorPage = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.tuple(vendorPage, vendorPage, vendorPage), fc.integer({ min: 1, max: 20 }), (sizes, first) => {
        const vendors = ["maxai", "cakewalk", "capy"];
        const pages = new Map(
          vendors.map((vendor, v) => [
            vendor,
            page(
              vendor,
              sizes[v]?.map((day, i): [string, string] => [
                `${vendor}${i}`,
                new Date(day * 86_400_000).toISOString(),
              ]) ?? [],
              `${vendor}-next`,
            ),
          ]),
        );
        const { edges } = mergePages(first, new Map(vendors.map((v) => [v, START])), pages);
        expect(edges.length).toBe(Math.min(first, sizes.flat().length));
        edges.forEach((edge, i) => {
          for (const vendor of vendors) {
            const taken = edges.slice(0, i + 1).filter((e) => e.task.vendor === vendor);
            const items = pages.get(vendor)?.items ?? [];
            // What a vendor contributed is a prefix of its page, and its position is right after that prefix.
            expect(taken.map((e) => e.task.id)).toEqual(items.slice(0, taken.length).map((item) => item.task.id));
            const expected =
              items.length === 0
                ? at(`${vendor}-next`)
                : taken.length === 0
                  ? START
                  : at(items[taken.length - 1]?.after as string);
            expect(edge.positions.get(vendor)).toEqual(expected);
          }
        });
      }),
    );
  });
});
