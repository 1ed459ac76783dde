/**
 * The service against a vendor that misbehaves in ways the sandbox does not: every vendor connection of the tenant
 * points at one loopback server answering as each test says, and everything is asked through GraphQL.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Loopback, sendJson, startLoopback } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";
import { WIRE_NOW, WIRE_TASKS } from "./test-support/wire-tasks.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let sandbox: Sandbox;
let vendor: Loopback;
let stack: Stack;
let handler: Handler = (_req, res) => sendJson(res, 500, {});
/** Every response body of this file, checked for credentials at the end. */
const responses: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  vendor = await startLoopback((req, res, body) => handler(req, res, body));
});
afterAll(async () => {
  await stack?.close();
  responses.push(...stack.logs);
  for (const text of responses) for (const secret of stack.secrets) expect(text).not.toContain(secret);
  await vendor.close();
  await sandbox.close();
});
// A fresh service each test, so one test's failures never trip the next one's circuit breaker or vendor pause.
beforeEach(async () => {
  if (stack) {
    await stack.close();
    responses.push(...stack.logs);
  }
  vendor.seen.length = 0;
  stack = await startStack({
    sandbox,
    config: (s) => {
      const config = testConfig(s);
      for (const [id, connection] of Object.entries(config.tenants[0]?.connections ?? {})) {
        // Capy's base URL carries its /api prefix.
        if (connection) connection.baseUrl = id === "capy" ? `${vendor.url}/api` : vendor.url;
      }
      return config;
    },
  });
});

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const result = await stack.gql(query, { variables });
  responses.push(result.text);
  return result;
}

const writes = () => vendor.seen.filter(({ method }) => method !== "GET");

const { CAKEWALK, CAPY, MAXSIGHT } = WIRE_TASKS;
const CAKEWALK_ID = CAKEWALK.id;
const CAPY_ID = CAPY.id;
const MAXSIGHT_ID = MAXSIGHT.id;
const PERSON_ID = "0b7f6b8e-2d4c-4f7a-9a51-1e2f3a4b5c6d";
const NOW = WIRE_NOW;

/** What each vendor answers a read of its task with, by the path the read asks for. */
const TASKS: Record<string, unknown> = {
  [`/api/v1/Tasks/${CAKEWALK_ID}`]: CAKEWALK.answer(),
  [`/api/v1/tasks/${CAPY_ID}`]: CAPY.answer(),
  [`/v5/tasks/${MAXSIGHT_ID}`]: MAXSIGHT.answer(),
};

/** Each action's mutation field, on the task TASKS answers for it. */
const ACTIONS: Record<string, string> = {
  approveTask: `approveTask(idempotencyKey: $key, input: { vendor: CAKEWALK, id: "${CAKEWALK_ID}" })`,
  stopTask: `stopTask(idempotencyKey: $key, input: { vendor: CAPY, id: "${CAPY_ID}" })`,
  messageTask: `messageTask(idempotencyKey: $key, input: { vendor: CAPY, id: "${CAPY_ID}", text: "hi" })`,
  assignTask: `assignTask(idempotencyKey: $key, input: { vendor: MAXSIGHT, id: "${MAXSIGHT_ID}",
    expectedVersion: "${NOW}", actorId: "${PERSON_ID}", assignee: { id: "${PERSON_ID}", kind: USER } })`,
};

describe("an action the vendor carried out, answered with a body that is not JSON", () => {
  const ANSWERS = [
    ["200 text/plain", 200, "text/plain", "OK"],
    ["202 text/html", 202, "text/html", "<html><body>Accepted</body></html>"],
  ] as const;

  it.each(Object.keys(ACTIONS).flatMap((name) => ANSWERS.map((answer) => [name, ...answer] as const)))(
    "%s answered %s: the task as read back, sent once; the key replays it",
    async (name, _label, status, type, text) => {
      handler = (req, res) => {
        if (req.method === "GET") return sendJson(res, 200, TASKS[req.url ?? ""] ?? {});
        res.writeHead(status, { "content-type": type });
        res.end(text);
      };
      const mutation = `mutation A($key: String) { ${ACTIONS[name]} { task { id } } }`;
      for (let i = 0; i < 2; i++) {
        const result = await gql(mutation, { key: `${name}-${status}` });
        expect(result.body.errors).toBeUndefined();
        expect(result.body.data[name].task.id).toMatch(/^(cakewalk|capy|maxsight):/);
      }
      expect(writes()).toHaveLength(1);
    },
  );
});

describe("an action the vendor carried out, whose answer breaks off after its 2xx status", () => {
  it.each([
    ["stalls", (res: ServerResponse) => res.write("{")],
    ["is cut by a reset", (res: ServerResponse) => res.write("{", () => res.socket?.resetAndDestroy())],
  ])("the answer %s: the task as read back, approved once; the key replays it", async (_label, breakOff) => {
    handler = (req, res) => {
      if (req.method === "GET") return sendJson(res, 200, TASKS[req.url ?? ""] ?? {});
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      breakOff(res);
    };
    const mutation = `mutation A($key: String) { ${ACTIONS.approveTask} { task { id } } }`;
    for (let i = 0; i < 2; i++) {
      const result = await gql(mutation, { key: "approve-broken" });
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.approveTask.task.id).toBe(`cakewalk:${CAKEWALK_ID}`);
    }
    expect(writes()).toHaveLength(1);
  });
});

describe("a listing whose next page is the page just read", () => {
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const capyTask = (id: string) => ({ ...(TASKS[`/api/v1/tasks/${CAPY_ID}`] as object), id });
  /** The tasks of the first page (1, 2) and of the page at cursor c1 (3, 4), which names c1 again as the next. */
  const idsAt = (cursor: string | null) => (cursor === null ? [uuid(1), uuid(2)] : [uuid(3), uuid(4)]);
  const LISTINGS = {
    CAKEWALK: (url: URL, _body: string) => {
      const user = url.searchParams.get("userId");
      const data = idsAt(url.searchParams.get("page[cursor]")).map((id) => ({
        id,
        type: "RequestReviewTask",
        status: "Pending",
        createdAt: NOW,
        lastUpdatedAt: NOW,
      }));
      return { data, links: { next: `/api/v1/Tasks?userId=${user}&page%5Bcursor%5D=c1` } };
    },
    CAPY: (url: URL, _body: string) => ({
      items: [{ id: "thread-1", tasks: idsAt(url.searchParams.get("cursor")).map((id) => ({ id })) }],
      nextCursor: "c1",
    }),
    MAXSIGHT: (_url: URL, body: string) => ({
      items: idsAt(JSON.parse(body).page_token).map((id) => ({
        id,
        status: "INCOMPLETE",
        created_at: NOW,
        updated_at: NOW,
      })),
      next_page_token: "c1",
    }),
  };
  const LIST = `query L($after: String, $vendor: Vendor!) {
    taskList(first: 10, after: $after, filter: { vendors: [$vendor] }) {
      edges { node { vendorId } }
      pageInfo { hasNextPage endCursor }
      unreadable { code vendor field }
      vendorErrors { code }
    }
  }`;

  it.each(Object.keys(LISTINGS) as (keyof typeof LISTINGS)[])(
    "%s: the listing ends after that page, with each task once and the reason",
    async (name) => {
      handler = (req, res, body) => {
        const url = new URL(req.url ?? "/", vendor.url);
        if (url.pathname.startsWith("/api/v1/tasks/")) return sendJson(res, 200, capyTask(url.pathname.slice(14)));
        sendJson(res, 200, LISTINGS[name](url, body));
      };
      const listed: string[] = [];
      const unreadable: unknown[] = [];
      let after: string | null = null;
      for (let page = 0; page < 4; page++) {
        const result = await gql(LIST, { after, vendor: name });
        const list = result.body.data.taskList;
        expect(list.vendorErrors).toEqual([]);
        listed.push(...list.edges.map(({ node }: { node: { vendorId: string } }) => node.vendorId));
        unreadable.push(...list.unreadable);
        if (!list.pageInfo.hasNextPage) break;
        after = list.pageInfo.endCursor;
      }
      expect(listed).toEqual([uuid(1), uuid(2), uuid(3), uuid(4)]);
      const field = { CAKEWALK: "links.next", CAPY: "nextCursor", MAXSIGHT: "next_page_token" }[name];
      expect(unreadable).toEqual([{ code: "VENDOR_CONTRACT_VIOLATION", vendor: name, field }]);
    },
  );
});

describe("a task the vendor created, answered in a shape its contract does not allow", () => {
  const TASK_V4 = "tsk_a1b2c3d456784abc9def0123456789ab";
  const PROVIDER = "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a";
  const task = {
    id: TASK_V4,
    status: "new",
    syncStatus: "pending",
    notes: "n",
    noteId: "nte_3cc73cb69c59403ca9108af6c5693b25",
    ehrType: "modmed",
    assignedProviders: [],
    createdAt: "2026-03-20 18:35:10.209452+00",
    updatedAt: "2026-03-20 18:35:10.209452+00",
  };
  const CREATE = `mutation C($key: String) {
    createTask(idempotencyKey: $key, input: { maxAi: {
      noteId: "nte_3cc73cb69c59403ca9108af6c5693b25", providerId: "${PROVIDER}", notes: "n", assigneeIds: ["${PROVIDER}"]
    } }) { task { id vendorStatus } }
  }`;

  it.each([
    ["without syncStatus", { ...task, syncStatus: undefined }],
    ["with assignedProviders null", { ...task, assignedProviders: null }],
  ])("Max AI's answer %s: the task as read back, created once", async (_label, created) => {
    handler = (req, res) => {
      if (req.method === "POST") return sendJson(res, 201, { code: "success", data: created });
      sendJson(res, 200, { code: "success", data: task });
    };
    for (const key of [null, "create-1", "create-1"]) {
      const result = await gql(CREATE, { key });
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data.createTask.task).toEqual({ id: `maxai:${TASK_V4}`, vendorStatus: "new" });
    }
    expect(writes()).toHaveLength(2);
    // Each creation is read back: v2, by the dashed UUID.
    const reads = vendor.seen.filter(({ method }) => method === "GET").map(({ url }) => url);
    expect(reads).toEqual(Array(2).fill("/v2/tasks/a1b2c3d4-5678-4abc-9def-0123456789ab"));
  });
});

describe("a Max AI listing that answers another page than the one asked for", () => {
  it("is that page's VENDOR_CONTRACT_VIOLATION, and its tasks never come again", async () => {
    const task = (n: number) => ({
      id: `tsk_0000000000004000800000000000000${n}`,
      status: "new",
      syncStatus: "synced",
      notes: "n",
      ehrType: "modmed",
      assignedProviders: [],
      createdAt: "2026-03-20 18:35:10+00",
      updatedAt: "2026-03-20 18:35:10+00",
    });
    // It ignores `page`: every answer is the first page, while totalPages says two more follow.
    handler = (_req, res) =>
      sendJson(res, 200, {
        code: "success",
        data: { tasks: [1, 2, 3].map(task), pagination: { page: 1, pageSize: 3, totalCount: 9, totalPages: 3 } },
      });
    const LIST = `query L($after: String) {
      taskList(first: 3, after: $after, filter: { vendors: [MAX_AI] }) {
        edges { node { vendorId } }
        pageInfo { hasNextPage endCursor }
        vendorErrors { code field upstreamStatus retryable }
      }
    }`;
    const first = (await gql(LIST)).body.data.taskList;
    expect(first.edges.map(({ node }: { node: { vendorId: string } }) => node.vendorId.at(-1))).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await gql(LIST, { after: first.pageInfo.endCursor })).body.data.taskList;
    expect(second.edges).toEqual([]);
    expect(second.vendorErrors).toEqual([
      { code: "VENDOR_CONTRACT_VIOLATION", field: "pagination.page", upstreamStatus: 200, retryable: false },
    ]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe("a Max AI listing whose totalPages outlasts its tasks", () => {
  it("ends at the first empty page, not after 2^31 empty pages", async () => {
    handler = (_req, res) =>
      sendJson(res, 200, {
        code: "success",
        data: { tasks: [], pagination: { page: 1, pageSize: 20, totalCount: 2 ** 31, totalPages: 2 ** 31 - 1 } },
      });
    const result = await gql(`{
      taskList(filter: { vendors: [MAX_AI] }) { edges { node { id } } pageInfo { hasNextPage } vendorErrors { code } }
    }`);
    expect(result.body.data.taskList).toEqual({ edges: [], pageInfo: { hasNextPage: false }, vendorErrors: [] });
  });
});

describe("a Cakewalk links.next to another user's tasks", () => {
  it("is the vendor's VENDOR_CONTRACT_VIOLATION on that page, never the caller's BAD_USER_INPUT on the next", async () => {
    const other = "99999999-2d4c-4f7a-9a51-1e2f3a4b5c6d";
    handler = (_req, res) =>
      sendJson(res, 200, {
        data: [{ id: CAKEWALK_ID, type: "RequestReviewTask", status: "Pending", createdAt: NOW, lastUpdatedAt: NOW }],
        links: { next: `/api/v1/Tasks?userId=${other}&page%5Bcursor%5D=c1` },
      });
    const LIST = `query L($after: String) {
      taskList(first: 5, after: $after, filter: { vendors: [CAKEWALK] }) {
        edges { node { vendorId } }
        pageInfo { hasNextPage endCursor }
        vendorErrors { code field upstreamStatus }
      }
    }`;
    const codes: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result = await gql(LIST, { after });
      const list = result.body.data.taskList;
      codes.push(...list.vendorErrors.map(({ code }: { code: string }) => code));
      if (!list.pageInfo.hasNextPage) break;
      after = list.pageInfo.endCursor;
    }
    expect(codes).toEqual(["VENDOR_CONTRACT_VIOLATION"]);
    expect(vendor.seen.every(({ url }) => !url.includes(other))).toBe(true);
  });
});

describe("a listed task whose id is not one the vendor's ids can be", () => {
  const LISTS = {
    CAKEWALK: (id: string) => ({
      data: [CAKEWALK_ID, id].map((each) => ({
        id: each,
        type: "RequestReviewTask",
        status: "Pending",
        createdAt: NOW,
        lastUpdatedAt: NOW,
      })),
      links: { next: null },
    }),
    MAXSIGHT: (id: string) => ({
      items: [MAXSIGHT_ID, id].map((each) => ({ id: each, status: "INCOMPLETE", created_at: NOW, updated_at: NOW })),
      next_page_token: null,
    }),
  };

  it.each(
    (Object.keys(LISTS) as (keyof typeof LISTS)[]).flatMap((name) =>
      ["task-7", "../admin", "\u0000\u001b[2J"].map((id) => [name, id] as const),
    ),
  )("%s %j is unreadable (the caller could never use it), the other task listed", async (name, id) => {
    handler = (_req, res) => sendJson(res, 200, LISTS[name](id));
    const result = await gql(
      `query L($vendor: Vendor!) {
        taskList(filter: { vendors: [$vendor] }) { edges { node { vendorId } } unreadable { code vendor field } }
      }`,
      { vendor: name },
    );
    const list = result.body.data.taskList;
    expect(list.edges).toEqual([{ node: { vendorId: name === "CAKEWALK" ? CAKEWALK_ID : MAXSIGHT_ID } }]);
    expect(list.unreadable).toEqual([{ code: "VENDOR_CONTRACT_VIOLATION", vendor: name, field: "id" }]);
  });
});

describe("a Capy task whose status is the name of an Object method", () => {
  it.each(["constructor", "toString", "__proto__"])(
    "%j is UNKNOWN in its thread's summary too, so a filter on UNKNOWN lists it",
    async (status) => {
      handler = (req, res) => {
        if (req.url?.startsWith("/api/v1/threads")) {
          return sendJson(res, 200, {
            items: [{ id: "thread-1", tasks: [{ id: CAPY_ID, status }] }],
            nextCursor: null,
          });
        }
        sendJson(res, 200, { ...(TASKS[`/api/v1/tasks/${CAPY_ID}`] as object), status });
      };
      const result = await gql(`{
        taskList(filter: { vendors: [CAPY], statuses: [UNKNOWN] }) { edges { node { vendorId status vendorStatus } } }
      }`);
      expect(result.body.data.taskList.edges).toEqual([
        { node: { vendorId: CAPY_ID, status: "UNKNOWN", vendorStatus: status } },
      ]);
    },
  );
});

describe("a next-page token too long to carry in a cursor", () => {
  it("ends the listing after that page with the reason, and no cursor of it is ever refused", async () => {
    handler = (_req, res) =>
      sendJson(res, 200, {
        items: [{ id: MAXSIGHT_ID, status: "INCOMPLETE", created_at: NOW, updated_at: NOW }],
        next_page_token: "t".repeat(40_000),
      });
    const LIST = `query L($after: String) {
      taskList(first: 5, after: $after, filter: { vendors: [MAXSIGHT] }) {
        edges { cursor node { vendorId } }
        pageInfo { hasNextPage endCursor }
        unreadable { code field }
      }
    }`;
    const result = await gql(LIST);
    const list = result.body.data.taskList;
    expect(list.edges.map(({ node }: { node: { vendorId: string } }) => node.vendorId)).toEqual([MAXSIGHT_ID]);
    expect(list.unreadable).toEqual([{ code: "VENDOR_CONTRACT_VIOLATION", field: "next_page_token" }]);
    expect(list.pageInfo.hasNextPage).toBe(false);
    // Every cursor it issued is one it takes back.
    const again = await gql(LIST, { after: list.pageInfo.endCursor });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.taskList.edges).toEqual([]);
  });
});
