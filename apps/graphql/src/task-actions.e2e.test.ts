import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./e2e-support.ts";

const TASK = "task { id vendorId status vendorStatus version availableActions }";

let sandbox: Sandbox;
let stack: Stack;
/** One request may make 3 vendor calls. */
let tight: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
  tight = await startStack({ sandbox, logLevel: "warn", app: { budget: { maxCalls: 3 } } });
});
afterAll(async () => {
  await Promise.all([stack.close(), tight.close()]);
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const seed = () => ({
  pending: sandbox.vendors.cakewalk.seed.byStatus.Pending ?? [],
  running: sandbox.vendors.capy.seed.byStatus.in_progress ?? [],
  archived: sandbox.vendors.capy.seed.byStatus.archived ?? [],
  maxsight: sandbox.vendors.maxsight.seed.example.taskId,
  users: sandbox.vendors.maxsight.seed.personIds,
  teams: sandbox.vendors.maxsight.seed.teamIds,
});

async function act(mutation: string, input: Record<string, unknown>, idempotencyKey?: string) {
  const { status, body } = await stack.gql(
    `mutation M($input: ${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input!, $key: String) {
      ${mutation}(input: $input, idempotencyKey: $key) { ${TASK} } }`,
    { variables: { input, key: idempotencyKey } },
  );
  expect(status).toBe(200);
  return { task: body.data?.[mutation]?.task, error: body.errors?.[0] };
}

async function version(id: string): Promise<string> {
  const { body } = await stack.gql(`{ task(vendor: MAXSIGHT, id: "${id}") { version } }`);
  return body.data.task.version;
}

const posts = (vendor: "cakewalk" | "capy", path: RegExp) =>
  sandbox.vendors[vendor].requests.count({ method: "POST", path });

describe("approveTask / declineTask (Cakewalk)", () => {
  it("approves a pending task; approving it again is the vendor's conflict", async () => {
    const id = seed().pending[0] as string;
    const before = await stack.gql(`{ task(vendor: CAKEWALK, id: "${id}") { availableActions } }`);
    expect(before.body.data.task.availableActions).toEqual(["APPROVE", "DECLINE"]);
    const { task, error } = await act("approveTask", { vendor: "CAKEWALK", id, comment: "Looks right" });
    expect(error).toBeUndefined();
    expect(task).toMatchObject({ vendorId: id, status: "DONE", vendorStatus: "Approved", availableActions: [] });
    const again = await act("approveTask", { vendor: "CAKEWALK", id });
    expect(again.error).toMatchObject({
      extensions: { code: "VENDOR_CONFLICT", vendor: "CAKEWALK", upstreamStatus: 409 },
    });
    expect(posts("cakewalk", /\/Approve$/i)).toBe(2);
  });

  it("declines a pending task", async () => {
    const id = seed().pending[1] as string;
    const { task, error } = await act("declineTask", { vendor: "CAKEWALK", id: `cakewalk:${id}` });
    expect(error).toBeUndefined();
    expect(task).toMatchObject({ vendorId: id, status: "CANCELLED", vendorStatus: "Declined" });
  });

  it("with an idempotency key, a repeat answers the first outcome without sending it again", async () => {
    const id = seed().pending[2] as string;
    const first = await act("approveTask", { vendor: "CAKEWALK", id }, "approve-once-1");
    const repeat = await act("approveTask", { vendor: "CAKEWALK", id }, "approve-once-1");
    expect(repeat.error).toBeUndefined();
    expect(repeat.task).toEqual(first.task);
    expect(posts("cakewalk", /\/Approve$/i)).toBe(1);
    const reused = await act("declineTask", { vendor: "CAKEWALK", id }, "approve-once-1");
    expect(reused.error).toMatchObject({ extensions: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(posts("cakewalk", /\/Decline$/i)).toBe(0);
  });

  it("one idempotency key covers every spelling of the task's id: its case and the global id", async () => {
    const id = seed().pending[3] as string;
    const first = await act("approveTask", { vendor: "CAKEWALK", id: id.toUpperCase() }, "approve-case-1");
    expect(first.error).toBeUndefined();
    for (const spelling of [id, `cakewalk:${id}`, `cakewalk:${id.toUpperCase()}`]) {
      const repeat = await act("approveTask", { vendor: "CAKEWALK", id: spelling }, "approve-case-1");
      expect(repeat).toEqual(first);
    }
    expect(posts("cakewalk", /\/Approve$/i)).toBe(1);
  });

  it("an action the vendor does not offer is BAD_USER_INPUT, before any call", async () => {
    const { error } = await act("approveTask", { vendor: "MAXSIGHT", id: seed().maxsight });
    expect(error).toMatchObject({
      message: "Maxsight offers no approve action",
      extensions: { code: "BAD_USER_INPUT", field: "input.vendor" },
    });
    expect(stack.vendorCalls()).toBe(0);
  });

  it("another vendor's global id names that vendor, before any call", async () => {
    const { error } = await act("approveTask", { vendor: "CAKEWALK", id: `maxsight:${seed().maxsight}` });
    expect(error).toMatchObject({
      message: "input.id is a Maxsight id: act with vendor: MAXSIGHT",
      extensions: { code: "BAD_USER_INPUT", field: "input.id" },
    });
    expect(stack.vendorCalls()).toBe(0);
  });
});

describe("stopTask / messageTask (Capy)", () => {
  it("stops a running task; a task that does not run is the vendor's conflict", async () => {
    const id = seed().running[0] as string;
    const { task, error } = await act("stopTask", { vendor: "CAPY", id, reason: "wrong branch" });
    expect(error).toBeUndefined();
    expect(task).toMatchObject({ vendorId: id, status: "IN_REVIEW", availableActions: ["MESSAGE"] });
    const again = await act("stopTask", { vendor: "CAPY", id });
    expect(again.error).toMatchObject({ extensions: { code: "VENDOR_CONFLICT", vendor: "CAPY" } });
  });

  it("sends a message and a reason to the vendor exactly as given", async () => {
    const [first, second] = seed().running;
    const text = "    npm test -- --watch\n\nhangs here.\n";
    expect((await act("messageTask", { vendor: "CAPY", id: first, text })).error).toBeUndefined();
    expect((await act("stopTask", { vendor: "CAPY", id: second, reason: " wrong branch\n" })).error).toBeUndefined();
    const bodies = sandbox.vendors.capy.requests
      .entries({ method: "POST", path: /\/(message|stop)$/ })
      .map((entry) => JSON.parse(entry.body ?? "{}"));
    expect(bodies).toEqual([{ message: text }, { reason: " wrong branch\n" }]);
  });

  it("sends a message; an archived task is the vendor's conflict; a bad URL is refused before any call", async () => {
    const { running, archived } = seed();
    const sent = await act("messageTask", { vendor: "CAPY", id: running[1], text: "Please add a test." });
    expect(sent.error).toBeUndefined();
    expect(sent.task).toMatchObject({ vendorId: running[1], availableActions: ["STOP", "MESSAGE"] });
    const closed = await act("messageTask", { vendor: "CAPY", id: archived[0], text: "Anyone?" });
    expect(closed.error).toMatchObject({ extensions: { code: "VENDOR_CONFLICT" } });

    sandbox.reset();
    const bad = await act("messageTask", { vendor: "CAPY", id: running[1], text: "see", attachmentUrls: ["ftp://x"] });
    expect(bad.error).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.attachmentUrls.0" } });
    expect(stack.vendorCalls()).toBe(0);
  });
});

describe("assignTask / unassignTask (Maxsight, under If-Match)", () => {
  it("assigns under the task's version; a stale version is VENDOR_CONFLICT carrying the current one", async () => {
    const { maxsight: id, teams, users } = seed();
    const read = await version(id);
    const assigned = await act("assignTask", {
      vendor: "MAXSIGHT",
      id,
      assignee: { id: teams[0], kind: "TEAM" },
      expectedVersion: read,
      actorId: users[0],
    });
    expect(assigned.error).toBeUndefined();
    expect(assigned.task.version).not.toBe(read);
    expect(assigned.task.availableActions).toEqual(["ASSIGN", "UNASSIGN"]);

    const stale = await act("unassignTask", { vendor: "MAXSIGHT", id, expectedVersion: read, actorId: users[0] });
    expect(stale.error).toMatchObject({
      extensions: { code: "VENDOR_CONFLICT", vendor: "MAXSIGHT", currentVersion: assigned.task.version },
    });
    const unassigned = await act("unassignTask", {
      vendor: "MAXSIGHT",
      id,
      expectedVersion: stale.error.extensions.currentVersion,
      actorId: users[0],
    });
    expect(unassigned.error).toBeUndefined();
    expect(unassigned.task.availableActions).toEqual(["ASSIGN"]);
  });

  it("with an idempotency key, a repeat answers the first outcome, not a conflict", async () => {
    const { maxsight: id, users } = seed();
    const input = {
      vendor: "MAXSIGHT",
      id,
      assignee: { id: users[1], kind: "USER" },
      expectedVersion: await version(id),
      actorId: users[0],
    };
    const first = await act("assignTask", input, "assign-1");
    const repeat = await act("assignTask", input, "assign-1");
    expect(repeat.error).toBeUndefined();
    expect(repeat.task).toEqual(first.task);
    // Every id in another case is the same input.
    const upper = (value: unknown) => String(value).toUpperCase();
    const shouted = {
      ...input,
      id: upper(id),
      assignee: { id: upper(users[1]), kind: "USER" },
      actorId: upper(users[0]),
    };
    expect(await act("assignTask", shouted, "assign-1")).toEqual(repeat);
    expect(sandbox.vendors.maxsight.requests.count({ method: "PUT" })).toBe(1);
  });

  it("Maxsight records who changes an assignment: no actorId is BAD_USER_INPUT before any call", async () => {
    const { maxsight: id, teams } = seed();
    const { error } = await act("assignTask", {
      vendor: "MAXSIGHT",
      id,
      assignee: { id: teams[0], kind: "TEAM" },
      expectedVersion: "2019-08-24T14:15:22Z",
    });
    expect(error).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.actorId" } });
    expect(stack.vendorCalls()).toBe(0);
  });

  it("an expectedVersion that cannot be an If-Match value is BAD_USER_INPUT before any call; the key stays free", async () => {
    const { maxsight: id, users } = seed();
    const read = await version(id);
    const input = { vendor: "MAXSIGHT", id, assignee: { id: users[1], kind: "USER" }, actorId: users[0] };
    sandbox.reset();
    for (const expectedVersion of [
      `${read}\r\nX-Evil: 1`,
      `${read}\n`,
      ` ${read}`,
      `${read}\u0000`,
      "version é",
      "v\u7248",
    ]) {
      const { error } = await act("assignTask", { ...input, expectedVersion }, "crlf-1");
      expect(error).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "input.expectedVersion" } });
    }
    expect(stack.vendorCalls()).toBe(0);
    // Nothing was sent, so the key was never taken: the right version under it is sent now.
    const { task, error } = await act("assignTask", { ...input, expectedVersion: read }, "crlf-1");
    expect(error).toBeUndefined();
    expect(task.vendorId).toBe(id);
    expect(sandbox.vendors.maxsight.requests.count({ method: "PUT" })).toBe(1);
  });
});

describe("every action: success, an idempotent repeat, and a state that does not allow it", () => {
  /** Each mutation, an input that works on the seed, and the vendor route it calls. */
  const cases = () => {
    const { pending, running, archived, maxsight, teams, users } = seed();
    const assign = { assignee: { id: teams[0], kind: "TEAM" }, actorId: users[0] };
    return [
      {
        mutation: "approveTask",
        vendor: "cakewalk",
        route: /\/Approve$/i,
        input: { vendor: "CAKEWALK", id: pending[0] },
      },
      {
        mutation: "declineTask",
        vendor: "cakewalk",
        route: /\/Decline$/i,
        input: { vendor: "CAKEWALK", id: pending[1] },
      },
      { mutation: "stopTask", vendor: "capy", route: /\/stop$/, input: { vendor: "CAPY", id: running[0] } },
      {
        mutation: "messageTask",
        vendor: "capy",
        route: /\/message$/,
        input: { vendor: "CAPY", id: running[1], text: "hello" },
        refused: { vendor: "CAPY", id: archived[0], text: "hello" },
      },
      {
        mutation: "assignTask",
        vendor: "maxsight",
        route: /update-assignment$/,
        input: { vendor: "MAXSIGHT", id: maxsight, expectedVersion: "", ...assign },
      },
      {
        mutation: "unassignTask",
        vendor: "maxsight",
        route: /update-assignment$/,
        input: { vendor: "MAXSIGHT", id: maxsight, expectedVersion: "", actorId: users[0] },
      },
    ] as const;
  };
  const MUTATIONS = ["approveTask", "declineTask", "stopTask", "messageTask", "assignTask", "unassignTask"];

  /** A mutation's case, its input at the task's current version, and the count of its vendor calls. */
  async function prepare(mutation: string) {
    const c = cases().find((x) => x.mutation === mutation) as ReturnType<typeof cases>[number];
    const input: Record<string, unknown> = { ...c.input };
    if ("expectedVersion" in input) input.expectedVersion = await version(input.id as string);
    return { c, input, calls: () => sandbox.vendors[c.vendor].requests.count({ path: c.route }) };
  }

  it.each(MUTATIONS)("%s", async (mutation) => {
    const { c, input, calls } = await prepare(mutation);

    const first = await act(c.mutation, input, `every-${c.mutation}`);
    expect(first.error).toBeUndefined();
    expect(first.task.vendorId).toBe(input.id);
    const repeat = await act(c.mutation, input, `every-${c.mutation}`);
    expect(repeat).toEqual(first);
    expect(calls()).toBe(1);

    // The same action again, as a new request: the state (or the version) no longer allows it.
    const refused = await act(c.mutation, "refused" in c ? c.refused : input);
    expect(refused.error).toMatchObject({ extensions: { code: "VENDOR_CONFLICT" } });
    if (c.vendor === "maxsight") expect(refused.error.extensions.currentVersion).toBe(first.task.version);
  });

  it.each(MUTATIONS)(
    "%s: a 503 is never retried (the vendor may have acted), and its key never sends it again",
    async (mutation) => {
      const { c, input, calls } = await prepare(mutation);
      sandbox.vendors[c.vendor].faults.set({ match: { path: c.route }, errorRate: 1 });

      const unkeyed = await act(c.mutation, input);
      expect(unkeyed.error.extensions).toMatchObject({ code: "VENDOR_UNAVAILABLE", upstreamStatus: 503 });
      expect(calls()).toBe(1);
      const keyed = await act(c.mutation, input, `unavailable-${c.mutation}`);
      expect(keyed.error.extensions.code).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
      expect(calls()).toBe(2);
      sandbox.vendors[c.vendor].faults.clear();
      const retry = await act(c.mutation, input, `unavailable-${c.mutation}`);
      expect(retry.error.extensions.code).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
      expect(calls()).toBe(2);
    },
  );
});

describe("actions: availableActions and the budget", () => {
  it("availableActions follows each vendor's capabilities and the task's state, without a call", async () => {
    const { body } = await stack.gql(
      `{ taskList(first: 40) { edges { node { vendor vendorStatus availableActions } } } }`,
    );
    const seen = new Map<string, string[]>();
    for (const { node } of body.data.taskList.edges)
      seen.set(`${node.vendor} ${node.vendorStatus}`, node.availableActions);
    for (const [key, actions] of seen) {
      if (key.startsWith("MAX_AI")) expect(actions).toEqual([]);
      if (key === "CAKEWALK Pending" || key === "CAKEWALK InProgress") expect(actions).toEqual(["APPROVE", "DECLINE"]);
      if (key === "CAKEWALK Approved") expect(actions).toEqual([]);
      if (key === "CAPY in_progress") expect(actions).toEqual(["STOP", "MESSAGE"]);
      if (key === "CAPY archived") expect(actions).toEqual([]);
      if (key.startsWith("MAXSIGHT")) expect(actions[0]).toBe("ASSIGN");
    }
    expect(stack.vendorCalls()).toBe(4 + 10);
  });

  it("plans two calls an action (the action and one read) before anything is sent", async () => {
    const [a, b] = seed().pending;
    const { body } = await tight.gql(
      `mutation { a: approveTask(input: { vendor: CAKEWALK, id: "${a}" }) { task { id } } b: approveTask(input: { vendor: CAKEWALK, id: "${b}" }) { task { id } } }`,
    );
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/needs 4 vendor calls; one request may make at most 3/);
    expect(tight.vendorCalls()).toBe(0);
  });
});
