import type { AnyTask, ListTasksQuery, TaskPage, Vendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";
import type { ClosableSource } from "./sources.ts";

/** Each vendor's listing route, and Capy's read of a listed task. */
const ROUTES = {
  maxai: { method: "GET", path: "/v4/tasks" },
  cakewalk: { method: "GET", path: "/api/v1/Tasks" },
  capy: { method: "GET", path: /^\/(api\/)?v1\/threads$/ },
  maxsight: { method: "POST", path: "/v5/tasks/search" },
} as const;
const CAPY_READS = { method: "GET", path: /^\/(api\/)?v1\/tasks\/[^/]+$/ };
const PEOPLE = /^\/(v4\/providers|api\/v1\/Users)\//;

/**
 * Max AI and Cakewalk embed the people of listed tasks, so the real clients never look anyone up. To see that a
 * listing looks people up only when `person` is selected, this decorator lists tasks whose assignees carry ids only
 * (what a vendor without embedding sends); every lookup is still a real call to the sandbox.
 */
function idsOnly<V extends Vendor>(_tenant: string, source: ClosableSource<V>): ClosableSource<V> {
  const listTasks = source.listTasks?.bind(source) as (q: ListTasksQuery, o?: object) => Promise<TaskPage<AnyTask>>;
  return Object.assign(Object.create(source) as ClosableSource<V>, {
    listTasks: async (query: ListTasksQuery, options?: object) => {
      const page = await listTasks(query, options);
      const items = page.items.map(({ task, after }) => ({
        task: { ...task, assignees: task.assignees?.map((a) => ({ ...a, inline: null })) ?? null },
        after,
      }));
      return { ...page, items };
    },
  });
}

let sandbox: Sandbox;
let stack: Stack;
let lookups: Stack;
/** A tenant whose Max AI credential may make 2 calls a minute (one request may spend 1 of them). */
let scarce: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
  lookups = await startStack({ sandbox, logLevel: "warn", app: { sources: { decorate: idsOnly } } });
  scarce = await startStack({
    sandbox,
    logLevel: "warn",
    config: (s) => {
      const config = testConfig(s);
      const maxai = config.tenants[0]?.connections.maxai;
      if (maxai) maxai.rateLimit = { limit: 2, windowMs: 60_000 };
      return config;
    },
  });
});
afterAll(async () => {
  await Promise.all([stack.close(), lookups.close(), scarce.close()]);
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const PAGE = `query Page($first: Int, $after: String) {
  taskList(first: $first, after: $after) {
    edges { node { id vendor } }
    pageInfo { hasNextPage endCursor }
    vendorErrors { vendor code retryable retryAfterSeconds limitedBy }
  }
}`;
const WITH_PEOPLE = `{ taskList(first: 20) { edges { node { id assignedProviders { vendorId person { displayName } } } } } }`;

const listCalls = (vendor: keyof typeof ROUTES) => sandbox.vendors[vendor].requests.count(ROUTES[vendor]);

describe("taskList: what a page costs", () => {
  it("first: 20 over four vendors: one listing call each, plus Capy's read of each task it lists, no lookup", async () => {
    const { body } = await stack.gql(PAGE, { variables: { first: 20 } });
    expect(body.errors).toBeUndefined();
    const capyTasks = body.data.taskList.edges.filter((e: { node: { vendor: string } }) => e.node.vendor === "CAPY");
    expect(capyTasks).toHaveLength(5);
    for (const vendor of ["maxai", "cakewalk", "capy", "maxsight"] as const) expect(listCalls(vendor)).toBe(1);
    expect(sandbox.vendors.capy.requests.count(CAPY_READS)).toBe(5);
    expect(stack.vendorCalls()).toBe(4 + 5);
  });

  it("looks people up only when `person` is selected, each once", async () => {
    const { body } = await lookups.gql(PAGE, { variables: { first: 20 } });
    expect(body.errors).toBeUndefined();
    const lookedUp = () =>
      sandbox.vendors.maxai.requests.count({ path: PEOPLE }) +
      sandbox.vendors.cakewalk.requests.count({ path: PEOPLE });
    expect(lookedUp()).toBe(0);

    sandbox.reset();
    const selected = await lookups.gql(WITH_PEOPLE);
    expect(selected.body.errors).toBeUndefined();
    const people = new Set<string>(
      selected.body.data.taskList.edges.flatMap((e: { node: { assignedProviders: { vendorId: string }[] } }) =>
        e.node.assignedProviders.map((a) => a.vendorId),
      ),
    );
    expect(people.size).toBeGreaterThan(0);
    // Maxsight's assignees cannot be looked up; every other person once.
    expect(lookedUp()).toBeGreaterThan(0);
    expect(lookedUp()).toBeLessThanOrEqual(people.size);
  });

  it("to the end: one listing call per vendor still listing per page; Capy reads exactly the tasks it lists", async () => {
    let after: string | null = null;
    let expectedListCalls = 0;
    let capyTasks = 0;
    const listing = new Set<string>(["MAX_AI", "CAKEWALK", "CAPY", "MAXSIGHT"]);
    do {
      const { body } = await stack.gql(PAGE, { variables: { first: 20, after } });
      expect(body.errors).toBeUndefined();
      expectedListCalls += listing.size;
      const page = body.data.taskList;
      capyTasks += page.edges.filter((e: { node: { vendor: string } }) => e.node.vendor === "CAPY").length;
      // A vendor that returned fewer than its share has reached its end (no filter here).
      const counts = new Map<string, number>();
      for (const { node } of page.edges) counts.set(node.vendor, (counts.get(node.vendor) ?? 0) + 1);
      const share = Math.floor(20 / listing.size);
      for (const vendor of [...listing]) if ((counts.get(vendor) ?? 0) < share) listing.delete(vendor);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const listCallsMade = (["maxai", "cakewalk", "capy", "maxsight"] as const).reduce((n, v) => n + listCalls(v), 0);
    expect(listCallsMade).toBeLessThanOrEqual(expectedListCalls);
    expect(sandbox.vendors.capy.requests.count(CAPY_READS)).toBe(capyTasks);
    expect(capyTasks).toBe(14);
  });
});

describe("taskList: budgets", () => {
  it("the plan counts a listing's calls, Capy's reads included, before anything is called", async () => {
    // Capy alone, 100 a page: 1 listing call + 100 reads = 101 > 100 calls a request may make.
    const { body } = await stack.gql(`{ taskList(first: 100, filter: { vendors: [CAPY] }) { edges { cursor } } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(/needs 101 vendor calls; one request may make at most 100/),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(stack.vendorCalls()).toBe(0);
    const aliases = Array.from({ length: 12 }, (_, i) => `p${i}: taskList(first: 8) { edges { cursor } }`);
    // Twelve pages of 8 over four vendors: 12 × (4 listings + 2 Capy reads) = 72 calls, within budget.
    const within = await stack.gql(`{ ${aliases.join(" ")} }`);
    expect(within.body.errors).toBeUndefined();
    expect(stack.vendorCalls()).toBe(72);
  });

  it("counts the same from a filter given in variables (read raw first, for the quick upper bound)", async () => {
    const query = `query Q($filter: TaskListFilter, $first: Int) { taskList(first: $first, filter: $filter) { edges { cursor } } }`;
    const capy = await stack.gql(query, { variables: { first: 100, filter: { vendors: ["CAPY"] } } });
    expect(capy.body.errors?.[0]?.message).toMatch(/needs 101 vendor calls/);
    expect(stack.vendorCalls()).toBe(0);
    const since = await stack.gql(query, {
      variables: { first: 8, filter: { vendors: ["CAPY", "MAX_AI"], updatedSince: "2026-01-01T00:00:00Z" } },
    });
    expect(since.body.errors).toBeUndefined();
    // Four each: Max AI one listing call; Capy one, and a read of each of its four tasks.
    expect(stack.vendorCalls()).toBe(1 + 1 + 4);
  });

  it("never lets one request spend more than its share of a credential's rate budget", async () => {
    // 2 a minute, 10% a request: at most 1 Max AI call per request.
    const { body } = await scarce.gql(
      `{ a: taskList(filter: { vendors: [MAX_AI] }) { edges { cursor } } b: taskList(filter: { vendors: [MAX_AI] }) { edges { cursor } } }`,
    );
    expect(body.errors[0].message).toMatch(/needs 2 calls to maxai; one request may spend at most 1/);
    expect(scarce.vendorCalls()).toBe(0);
  });

  it("listing spends the credential's rate budget: once used up, the vendor is reported and its position kept", async () => {
    const first = await scarce.gql(PAGE, { variables: { first: 20 } });
    const second = await scarce.gql(PAGE, {
      variables: { first: 20, after: first.body.data.taskList.pageInfo.endCursor },
    });
    expect(second.body.data.taskList.vendorErrors).toEqual([]);
    expect(listCalls("maxai")).toBe(2);
    const third = await scarce.gql(PAGE, {
      variables: { first: 20, after: second.body.data.taskList.pageInfo.endCursor },
    });
    const page = third.body.data.taskList;
    expect(page.vendorErrors).toEqual([
      expect.objectContaining({ vendor: "MAX_AI", code: "RATE_LIMITED", limitedBy: "TASKBRIDGE", retryable: true }),
    ]);
    expect(page.vendorErrors[0].retryAfterSeconds).toBeGreaterThan(0);
    expect(listCalls("maxai")).toBe(2);
    expect(page.edges.length).toBeGreaterThan(0);
    expect(page.edges.some((e: { node: { vendor: string } }) => e.node.vendor === "MAX_AI")).toBe(false);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });
});

describe("taskList: re-fetching instead of buffering", () => {
  /**
   * Lists the demo tenant to the end and counts, from the sandbox's request logs, the calls a perfect buffer of
   * fetched-but-unused tasks would have saved: a Cakewalk link asked for again (its pages are a fixed size), a Max
   * AI page whose tasks were all in earlier answers, a Maxsight token asked for again. Capy's reads cannot be saved
   * by a buffer of thread summaries.
   */
  async function traverse(first: number) {
    let after: string | null = null;
    let pages = 0;
    const maxaiUsed: number[] = [];
    do {
      const { body } = await stack.gql(PAGE, { variables: { first, after } });
      const page = body.data.taskList;
      pages++;
      maxaiUsed.push(page.edges.filter((e: { node: { vendor: string } }) => e.node.vendor === "MAX_AI").length);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const v = sandbox.vendors;
    const fetched = new Set<number>();
    let used = 0;
    let maxai = 0;
    const nonEmpty = maxaiUsed.filter((n) => n > 0);
    for (const [k, entry] of v.maxai.requests.entries(ROUTES.maxai).entries()) {
      const query = new URLSearchParams(entry.query);
      const [page, size] = [Number(query.get("page")), Number(query.get("pageSize"))];
      const needed = nonEmpty[k] ?? 0;
      if (Array.from({ length: needed }, (_, i) => used + i).every((i) => fetched.has(i))) maxai++;
      for (let i = (page - 1) * size; i < page * size; i++) fetched.add(i);
      used += needed;
    }
    const links = v.cakewalk.requests.entries(ROUTES.cakewalk).map((e) => e.query);
    const tokens = v.maxsight.requests.entries(ROUTES.maxsight).map((e) => JSON.parse(e.body ?? "{}").page_token);
    const saved = maxai + (links.length - new Set(links).size) + (tokens.length - new Set(tokens).size);
    return { pages, calls: stack.vendorCalls(), saved };
  }

  it.each([20, 10, 50])("first: %i: a perfect buffer would save at most a tenth of the calls", async (first) => {
    const { pages, calls, saved } = await traverse(first);
    console.log(`[cost] first ${first}: ${pages} pages, ${calls} vendor calls; a perfect buffer saves ${saved}`);
    expect(saved / calls).toBeLessThanOrEqual(0.1);
  });
});
