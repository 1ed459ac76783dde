import type { AnyTask, ListTasksQuery, TaskFilter, TaskSource, Vendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { createClient as cakewalkClient } from "@taskbridge/vendor-cakewalk";
import { createClient as capyClient } from "@taskbridge/vendor-capy";
import { createClient as maxaiClient } from "@taskbridge/vendor-maxai";
import { createClient as maxsightClient } from "@taskbridge/vendor-maxsight";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";
import type { ClosableSource } from "./sources.ts";

const LIST = `query List($first: Int, $after: String, $filter: TaskListFilter) {
  taskList(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id vendor vendorId status updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    vendorErrors { vendor code message retryable retryAfterSeconds field }
    unreadable { vendor code }
  }
}`;

const ENUM: Record<string, Vendor> = { MAX_AI: "maxai", CAKEWALK: "cakewalk", CAPY: "capy", MAXSIGHT: "maxsight" };

interface Node {
  id: string;
  vendor: string;
  vendorId: string;
  status: string;
  updatedAt: string;
}
interface Connection {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  vendorErrors: { vendor: string; code: string; message: string; retryable: boolean; field: string | null }[];
  unreadable: { vendor: string; code: string }[];
}

let sandbox: Sandbox;
let stack: Stack;
/** Every vendor's own listing through its client, straight from the sandbox: what the connection must add up to. */
let direct: Map<Vendor, TaskSource>;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
  const v = sandbox.vendors;
  direct = new Map<Vendor, TaskSource>([
    ["maxai", maxaiClient({ baseUrl: v.maxai.url, ...v.maxai.credentials })],
    ["cakewalk", cakewalkClient({ baseUrl: v.cakewalk.url, ...v.cakewalk.credentials })],
    ["capy", capyClient({ baseUrl: v.capy.url, ...v.capy.credentials })],
    ["maxsight", maxsightClient({ baseUrl: v.maxsight.url, ...v.maxsight.credentials })],
  ]);
});
afterAll(async () => {
  await Promise.all([...direct.values()].map((client) => (client as ClosableSource).close()));
  await stack.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

/** The scope the demo tenant's connection gives each vendor's listing. */
const scopeOf = (vendor: Vendor) =>
  vendor === "cakewalk"
    ? sandbox.vendors.cakewalk.seed.example.userId
    : vendor === "capy"
      ? sandbox.vendors.capy.seed.example.projectId
      : undefined;

/** A vendor's whole listing, in its order, read through its own client (then the request logs are cleared). */
async function vendorListing(vendor: Vendor, filter: TaskFilter = {}, scope = scopeOf(vendor)): Promise<string[]> {
  const source = direct.get(vendor) as TaskSource;
  const ids: string[] = [];
  let position: string | null = null;
  do {
    const query: ListTasksQuery = { filter, pageSize: 50, position, ...(scope ? { scope } : {}) };
    const page = await (
      source.listTasks as (q: ListTasksQuery) => Promise<{ items: { task: AnyTask }[]; next: string | null }>
    )(query);
    ids.push(...page.items.map((item) => `${vendor}:${item.task.id}`));
    position = page.next;
  } while (position !== null);
  for (const v of Object.values(sandbox.vendors)) v.requests.clear();
  return ids;
}

async function list(
  variables: Record<string, unknown>,
  on = stack,
): Promise<{ connection: Connection; errors?: unknown[] }> {
  const { status, body } = await on.gql(LIST, { variables });
  expect(status).toBe(200);
  return { connection: body.data?.taskList, errors: body.errors };
}

/** Pages to the end with the page sizes given (the last one repeats), checking each page's shape. */
async function pageAll(filter: Record<string, unknown> | undefined, sizes: readonly number[]) {
  const nodes: Node[] = [];
  const pages: Connection[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const first = sizes[Math.min(i, sizes.length - 1)] as number;
    const { connection, errors } = await list({ first, after, filter });
    expect(errors).toBeUndefined();
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    expect(connection.pageInfo.hasPreviousPage).toBe(false);
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
    if (connection.edges.length > 0) expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor);
    nodes.push(...connection.edges.map((e) => e.node));
    pages.push(connection);
    if (!connection.pageInfo.hasNextPage) return { nodes, pages };
    after = connection.pageInfo.endCursor;
  }
  throw new Error("the listing did not end");
}

const ids = (nodes: readonly Node[]) => nodes.map((n) => n.id);
const ofVendor = (nodes: readonly Node[], vendor: Vendor) => ids(nodes.filter((n) => ENUM[n.vendor] === vendor));
const VENDORS: Vendor[] = ["maxai", "cakewalk", "capy", "maxsight"];

describe("taskList: paging across the four vendors", () => {
  it("pages of 20 to the end give every task of every vendor once, each vendor in its own order", async () => {
    const expected = new Map<Vendor, string[]>();
    for (const vendor of VENDORS) expected.set(vendor, await vendorListing(vendor));
    const { nodes, pages } = await pageAll(undefined, [20]);
    for (const vendor of VENDORS) expect(ofVendor(nodes, vendor)).toEqual(expected.get(vendor));
    expect(new Set(ids(nodes)).size).toBe(nodes.length);
    expect(nodes).toHaveLength(60 + 17 + 14 + 60);
    // Cross-vendor from the first page on: each vendor gets its share of `first`.
    expect(new Set(pages[0]?.edges.map((e) => e.node.vendor))).toEqual(new Set(Object.keys(ENUM)));
    expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
    for (const page of pages) expect(page.vendorErrors).toEqual([]);
  });

  it("within a page, the vendor whose next task was updated last goes first", async () => {
    const { connection } = await list({ first: 40 });
    const heads = new Map<string, Node[]>();
    for (const { node } of connection.edges) heads.set(node.vendor, [...(heads.get(node.vendor) ?? []), node]);
    connection.edges.forEach(({ node }, i) => {
      // Every other vendor's next task at this point was updated no later than this one.
      const before = connection.edges.slice(0, i).map((e) => e.node);
      for (const [vendor, list] of heads) {
        if (vendor === node.vendor) continue;
        const next = list[before.filter((n) => n.vendor === vendor).length];
        if (next) expect(next.updatedAt <= node.updatedAt).toBe(true);
      }
    });
  });

  it("any page sizes, resuming from any edge: no task twice, none missing (property, real sandbox)", async () => {
    const expected = (await Promise.all(VENDORS.map((v) => vendorListing(v)))).flat().sort();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 45 }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 44 }),
        async (sizes, cut) => {
          // Page with these sizes; on each page resume from an edge part way through (`cut`), not the end.
          const seen: string[] = [];
          let after: string | null = null;
          for (let i = 0; i < 200; i++) {
            const first = sizes[i % sizes.length] as number;
            const { connection, errors } = await list({ first, after });
            expect(errors).toBeUndefined();
            const taken = connection.edges.slice(0, Math.max(1, Math.min(cut, connection.edges.length)));
            seen.push(...ids(taken.map((e) => e.node)));
            const resumeAt = taken.at(-1)?.cursor ?? connection.pageInfo.endCursor;
            if (taken.length === connection.edges.length && !connection.pageInfo.hasNextPage) break;
            after = resumeAt;
          }
          expect(seen.sort()).toEqual(expected);
        },
      ),
      { numRuns: 6 },
    );
  });

  it("a cursor of one instance is good on another with the same secret, not with another secret", async () => {
    const secret = "a-shared-cursor-secret-of-32-bytes-or-more";
    const a = await startStack({ sandbox, logLevel: "warn", app: { cursorSecret: secret } });
    const b = await startStack({ sandbox, logLevel: "warn", app: { cursorSecret: secret } });
    try {
      const first = await list({ first: 8 }, a);
      const next = await list({ first: 8, after: first.connection.pageInfo.endCursor }, b);
      expect(next.errors).toBeUndefined();
      expect(ids(next.connection.edges.map((e) => e.node))).not.toContain(first.connection.edges[0]?.node.id);
      const elsewhere = await list({ first: 8, after: first.connection.pageInfo.endCursor });
      expect(elsewhere.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "after" } });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("taskList: filters", () => {
  it("statuses: the vendors' own filter where they have one, applied after fetching elsewhere", async () => {
    const filter: TaskFilter = { statuses: ["DONE", "FAILED"] };
    const expected = (await Promise.all(VENDORS.map((v) => vendorListing(v, filter)))).flat().sort();
    const { nodes } = await pageAll({ statuses: ["DONE", "FAILED"] }, [20]);
    expect(ids(nodes).sort()).toEqual(expected);
    expect(nodes.every((n) => n.status === "DONE" || n.status === "FAILED")).toBe(true);
    // Max AI and Maxsight were asked for the statuses' own values.
    const maxai = sandbox.vendors.maxai.requests.entries({ path: "/v4/tasks" });
    expect(maxai.every((e) => e.query?.includes("status=completed"))).toBe(true);
    expect(
      sandbox.vendors.maxsight.requests
        .entries({ path: "/v5/tasks/search" })
        .every((e) => e.body?.includes("COMPLETED_PASS")),
    ).toBe(true);
  });

  it("vendors and updatedSince", async () => {
    const since = "2026-03-15T00:00:00.000Z";
    const expected = await vendorListing("maxsight", { updatedSince: since });
    const { nodes } = await pageAll({ vendors: ["MAXSIGHT"], updatedSince: since }, [7]);
    expect(ids(nodes)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(60);
    expect(nodes.every((n) => n.vendor === "MAXSIGHT" && n.updatedAt >= since)).toBe(true);
  });

  it("an assignee's global id lists that vendor only, with its own filter", async () => {
    const provider = sandbox.vendors.maxai.seed.example.providerId;
    const expected = await vendorListing("maxai", { assigneeId: provider });
    const { nodes } = await pageAll({ assignee: `maxai:${provider}` }, [20]);
    expect(ids(nodes)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    for (const vendor of ["cakewalk", "capy", "maxsight"] as const) {
      expect(sandbox.vendors[vendor].requests.count()).toBe(0);
    }
  });

  it("a Maxsight assignee's UUID matches in any case, as the other vendors' ids do", async () => {
    const person = sandbox.vendors.maxsight.seed.personIds[0] as string;
    const lower = await pageAll({ assignee: `maxsight:${person.toLowerCase()}` }, [20]);
    const upper = await pageAll({ assignee: `maxsight:${person.toUpperCase()}` }, [20]);
    expect(lower.nodes.length).toBeGreaterThan(0);
    expect(ids(upper.nodes)).toEqual(ids(lower.nodes));
  });

  it("a scope in the filter wins over the connection's; without either the vendor is reported, the others listed", async () => {
    const user = sandbox.vendors.cakewalk.seed.personIds[2] as string;
    const expected = await vendorListing("cakewalk", {}, user);
    const { nodes } = await pageAll({ vendors: ["CAKEWALK"], scopes: [{ vendor: "CAKEWALK", id: user }] }, [20]);
    expect(ids(nodes)).toEqual(expected);

    const unscoped = await startStack({
      sandbox,
      logLevel: "warn",
      config: (s) => {
        const config = testConfig(s);
        for (const connection of Object.values(config.tenants[0]?.connections ?? {})) delete connection?.listScope;
        return config;
      },
    });
    try {
      sandbox.reset();
      const { connection } = await list({ first: 20 }, unscoped);
      expect(new Set(connection.edges.map((e) => e.node.vendor))).toEqual(new Set(["MAX_AI", "MAXSIGHT"]));
      expect(connection.vendorErrors).toEqual([
        expect.objectContaining({ vendor: "CAKEWALK", code: "BAD_USER_INPUT", retryable: false }),
        expect.objectContaining({ vendor: "CAPY", code: "BAD_USER_INPUT", retryable: false }),
      ]);
      expect(connection.vendorErrors[0]?.message).toMatch(/lists one user's tasks: give filter.scopes/);
      expect(sandbox.vendors.cakewalk.requests.count() + sandbox.vendors.capy.requests.count()).toBe(0);
    } finally {
      await unscoped.close();
    }
  });
});

describe("taskList: a vendor refusing the filter", () => {
  it("names the API's input field (filter.assignee, filter.scopes.<i>.id), not its client's", async () => {
    const { connection, errors } = await list({
      first: 5,
      filter: { vendors: ["MAX_AI", "CAKEWALK"], assignee: "nope", scopes: [{ vendor: "CAKEWALK", id: "nope" }] },
    });
    expect(errors).toBeUndefined();
    const refused = await list({ first: 5, filter: { vendors: ["MAXSIGHT"], assignee: "maxsight:nope" } });
    const byVendor = [...connection.vendorErrors, ...refused.connection.vendorErrors].map((e) => ({
      vendor: e.vendor,
      code: e.code,
      field: e.field,
      message: e.message.split(":")[0],
    }));
    expect(byVendor).toEqual([
      { vendor: "MAX_AI", code: "BAD_USER_INPUT", field: "filter.assignee", message: "filter.assignee" },
      { vendor: "CAKEWALK", code: "BAD_USER_INPUT", field: "filter.scopes.0.id", message: "filter.scopes.0.id" },
      { vendor: "MAXSIGHT", code: "BAD_USER_INPUT", field: "filter.assignee", message: "filter.assignee" },
    ]);
  });
});

describe("taskList: a vendor's tasks changing between pages", () => {
  /** Changes a vendor's data as a Pact provider state does. */
  function setState(vendor: keyof Sandbox["vendors"], state: string, params: Record<string, unknown>): void {
    const handler = sandbox.vendors[vendor].states[state];
    if (!handler) throw new Error(`the sandbox has no provider state "${state}"`);
    handler(params);
  }

  /** Pages on from `after` to the end, `first` at a time. */
  async function pageOn(filter: Record<string, unknown>, first: number, after: string | null): Promise<Node[]> {
    const nodes: Node[] = [];
    for (let i = 0; i < 100; i++) {
      const { connection, errors } = await list({ first, after, filter });
      expect(errors).toBeUndefined();
      nodes.push(...connection.edges.map((e) => e.node));
      if (!connection.pageInfo.hasNextPage) return nodes;
      after = connection.pageInfo.endCursor;
    }
    throw new Error("the listing did not end");
  }

  it("Cakewalk: removing a task already listed hides no later task", async () => {
    const filter = { vendors: ["CAKEWALK"] };
    const before = await vendorListing("cakewalk");
    const { connection } = await list({ first: 3, filter });
    const listed = connection.edges.map((e) => e.node);
    setState("cakewalk", "task {id} does not exist", { id: listed[0]?.vendorId });
    const rest = await pageOn(filter, 3, connection.pageInfo.endCursor);
    expect([...ids(listed), ...ids(rest)]).toEqual(before);
  });

  it("Cakewalk: a task added before the position is listed once and repeats no other", async () => {
    const filter = { vendors: ["CAKEWALK"] };
    const before = await vendorListing("cakewalk");
    const { connection } = await list({ first: 3, filter });
    const listed = connection.edges.map((e) => e.node);
    // A task of the listed user whose id sorts first, in the vendor page being read (Cakewalk pages by id).
    let added: string | undefined;
    for (let i = 0; i < 200 && added === undefined; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      setState("cakewalk", "task {id} exists", { id });
      if ((await vendorListing("cakewalk")).includes(`cakewalk:${id}`)) added = `cakewalk:${id}`;
      else setState("cakewalk", "task {id} does not exist", { id });
    }
    expect(added).toBeDefined();
    const rest = await pageOn(filter, 3, connection.pageInfo.endCursor);
    const all = [...ids(listed), ...ids(rest)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => id !== added)).toEqual(before);
    expect(all).toContain(added);
  });

  it("Capy: removing a task already listed hides no later task", async () => {
    const filter = { vendors: ["CAPY"] };
    const before = await vendorListing("capy");
    const { connection } = await list({ first: 4, filter });
    const listed = connection.edges.map((e) => e.node);
    setState("capy", "task {id} does not exist", { id: listed[0]?.vendorId });
    const rest = await pageOn(filter, 4, connection.pageInfo.endCursor);
    const all = [...ids(listed), ...ids(rest)];
    // Removing a task can move its thread in Capy's order (the sandbox orders threads by their first task's creation).
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...before].sort());
  });

  it("Maxsight: a task added with a low id repeats no task when resuming from an edge", async () => {
    const filter = { vendors: ["MAXSIGHT"] };
    const before = await vendorListing("maxsight");
    const { connection } = await list({ first: 5, filter });
    const kept = connection.edges.slice(0, 2);
    const added = "00000000-0000-4000-8000-000000000001";
    setState("maxsight", "task {id} exists", { id: added });
    const rest = await pageOn(filter, 5, kept.at(-1)?.cursor ?? null);
    const all = [...ids(kept.map((e) => e.node)), ...ids(rest)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((id) => id !== `maxsight:${added}`)).toEqual(before);
    expect(all).toContain(`maxsight:${added}`);
  });
});

describe("taskList: a vendor failing mid-paging", () => {
  it("is reported on the page, the others' tasks still come, and its position is kept for the next page", async () => {
    const expected = (await Promise.all(VENDORS.map((v) => vendorListing(v)))).flat().sort();
    const search = { method: "POST", path: "/v5/tasks/search" };
    sandbox.vendors.maxsight.faults.set({ match: search, afterRequests: 1, errorRate: 1 });
    const seen: string[] = [];
    const first = await list({ first: 20 });
    seen.push(...ids(first.connection.edges.map((e) => e.node)));
    const failing = await list({ first: 20, after: first.connection.pageInfo.endCursor });
    expect(failing.errors).toBeUndefined();
    expect(failing.connection.vendorErrors).toEqual([
      expect.objectContaining({ vendor: "MAXSIGHT", code: "VENDOR_UNAVAILABLE", retryable: true }),
    ]);
    const vendors = new Set(failing.connection.edges.map((e) => e.node.vendor));
    expect(vendors).toEqual(new Set(["MAX_AI", "CAKEWALK", "CAPY"]));
    expect(failing.connection.pageInfo.hasNextPage).toBe(true);
    seen.push(...ids(failing.connection.edges.map((e) => e.node)));

    sandbox.vendors.maxsight.faults.clear();
    let after = failing.connection.pageInfo.endCursor;
    for (let i = 0; i < 20 && after; i++) {
      const { connection } = await list({ first: 20, after });
      expect(connection.vendorErrors).toEqual([]);
      seen.push(...ids(connection.edges.map((e) => e.node)));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    }
    expect(seen.sort()).toEqual(expected);
  });
});

describe("taskList: refusals before any call", () => {
  it.each([
    ["first 0", { first: 0 }, "first"],
    ["first 101", { first: 101 }, "first"],
    ["no vendors", { filter: { vendors: [] } }, "filter.vendors"],
    [
      "a scope for a vendor that lists without one",
      { filter: { scopes: [{ vendor: "MAX_AI", id: "x" }] } },
      "filter.scopes.0",
    ],
    [
      "two scopes for one vendor",
      {
        filter: {
          scopes: [
            { vendor: "CAPY", id: "a" },
            { vendor: "CAPY", id: "b" },
          ],
        },
      },
      "filter.scopes",
    ],
  ])("%s → BAD_USER_INPUT", async (_name, variables, field) => {
    const { connection, errors } = await list(variables);
    expect(connection).toBeUndefined();
    expect(errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field } });
    expect(stack.vendorCalls()).toBe(0);
  });

  it("a tampered cursor, a cursor of another filter, or garbage → BAD_USER_INPUT", async () => {
    const { connection } = await list({ first: 5 });
    const cursor = connection.pageInfo.endCursor as string;
    const [version, payload, signature] = cursor.split(".") as [string, string, string];
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    body.p.maxai = 0; // start Max AI over: a replay the signature must catch
    const tampered = `${version}.${Buffer.from(JSON.stringify(body)).toString("base64url")}.${signature}`;
    for (const sandboxVendor of Object.values(sandbox.vendors)) sandboxVendor.requests.clear();
    for (const [after, filter, message] of [
      [tampered, undefined, /not a cursor this API issued/],
      [`${cursor}x`, undefined, /not a cursor this API issued/],
      ["not-a-cursor", undefined, /not a cursor this API issued/],
      ["", undefined, /not a cursor this API issued/],
      [cursor, { statuses: ["DONE"] }, /another listing/],
    ] as const) {
      const refused = await list({ first: 5, after, filter });
      expect(refused.connection).toBeUndefined();
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: "BAD_USER_INPUT", field: "after" },
      });
    }
    expect(stack.vendorCalls()).toBe(0);
  });
});
