import { type FaultSpec, type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import { pool, report, tally } from "./fault-support.ts";

const LIST = `query List($after: String) {
  taskList(first: 12, after: $after) {
    edges { node { id vendor } }
    pageInfo { hasNextPage endCursor }
    vendorErrors { vendor code retryable }
  }
}`;
const CLIENTS = 4;
/** Pages with the fault, across all clients, before it is lifted. */
const FAILING_PAGES = 6;

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimits: { maxai: false, cakewalk: false } });
  // A short breaker cooldown, so the vendor is asked again soon after the fault is lifted.
  stack = await startStack({
    sandbox,
    logLevel: "warn",
    app: { reliability: { circuitBreaker: { cooldownMs: 300 } } },
  });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

interface Page {
  status: number;
  ids: string[];
  errors: { vendor: string; code: string; retryable: boolean }[];
  hasNextPage: boolean;
  endCursor: string | null;
}

async function page(after: string | null): Promise<Page> {
  const { status, body } = await stack.gql(LIST, { variables: { after } });
  const connection = body.data?.taskList;
  return {
    status,
    ids: connection?.edges.map((e: { node: { id: string } }) => e.node.id) ?? [],
    errors: connection?.vendorErrors ?? [{ vendor: "-", code: body.errors?.[0]?.extensions?.code, retryable: false }],
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    endCursor: connection?.pageInfo.endCursor ?? null,
  };
}

/**
 * One client paging to the end, as a client that retries failed vendors does: it goes on while a next page is
 * promised or a vendor failed (the failed vendor's position is in endCursor either way).
 */
async function pageToTheEnd(onPage: (page: Page) => void): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 400; i++) {
    const current = await page(after);
    onPage(current);
    seen.push(...current.ids);
    if (!current.hasNextPage && current.errors.length === 0) return seen;
    after = current.endCursor;
  }
  throw new Error("the listing did not end");
}

const FAULTS: [string, FaultSpec, string[]][] = [
  ["503s", { errorRate: 1 }, ["VENDOR_UNAVAILABLE"]],
  ["connection resets", { resetRate: 1 }, ["VENDOR_UNAVAILABLE"]],
  ["hangs", { hangRate: 1 }, ["VENDOR_TIMEOUT", "VENDOR_UNAVAILABLE"]],
  ["malformed JSON", { malformedJsonRate: 1 }, ["VENDOR_CONTRACT_VIOLATION"]],
  ["429s", { rateLimit: { count: 1_000, retryAfter: "1" } }, ["RATE_LIMITED"]],
];

describe("fault: a vendor failing in the middle of paging", () => {
  let expected: string[];
  beforeAll(async () => {
    sandbox.reset();
    expected = (await pageToTheEnd(() => {})).sort();
    expect(expected).toHaveLength(151);
  });

  it.each(FAULTS)(
    "%s from Cakewalk: every page answers with the others' tasks; once lifted, each client has every task once",
    async (name, spec, codes) => {
      sandbox.reset();
      const cakewalk = sandbox.vendors.cakewalk;
      // Each client's first Cakewalk page passes; then Cakewalk's listing fails until the fault is lifted.
      cakewalk.faults.set({ ...spec, match: { method: "GET", path: "/api/v1/Tasks" }, afterRequests: CLIENTS });
      let failing = 0;
      const statuses: number[] = [];
      const failures: string[] = [];
      const results = await pool(CLIENTS, CLIENTS, () =>
        pageToTheEnd((current) => {
          statuses.push(current.status);
          for (const error of current.errors) failures.push(`${error.vendor} ${error.code}`);
          if (current.errors.length > 0 && ++failing === FAILING_PAGES) cakewalk.faults.clear();
          // The other vendors' tasks come whatever Cakewalk does.
          if (current.errors.length > 0) expect(current.ids.length).toBeGreaterThan(0);
        }),
      );
      report(
        `listing, Cakewalk ${name} mid-paging: ${statuses.length} pages, failures ${JSON.stringify(tally(failures))}`,
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
      expect(failing).toBeGreaterThanOrEqual(FAILING_PAGES);
      for (const failure of failures) expect(codes.map((code) => `CAKEWALK ${code}`)).toContain(failure);
      for (const seen of results) expect(seen.sort()).toEqual(expected);
    },
  );
});
