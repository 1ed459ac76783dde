import type { Task, Vendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./e2e-support.ts";
import type { ClosableSource } from "./sources.ts";

/**
 * Max AI and Cakewalk embed people in their tasks, so the real clients never need a lookup. To exercise the
 * lookup path against the real vendors, this decorator hands the app tasks whose assignees carry ids only —
 * what a vendor without embedding sends. Every lookup is still a real HTTP call to the sandbox.
 */
function idsOnly<V extends Vendor>(_tenant: string, source: ClosableSource<V>): ClosableSource<V> {
  return {
    vendor: source.vendor,
    capabilities: source.capabilities,
    getTask: async (id, options) => {
      const task = (await source.getTask(id, options)) as Task | null;
      return (task && { ...task, assignees: task.assignees?.map((a) => ({ ...a, inline: null })) ?? null }) as never;
    },
    ...(source.getPerson ? { getPerson: source.getPerson.bind(source) } : {}),
    ...(source.createTask ? { createTask: source.createTask.bind(source) } : {}),
    close: () => source.close(),
  };
}

const PROVIDERS = /^\/v4\/providers\//;
const USERS = /^\/api\/v1\/Users\//;

let sandbox: Sandbox;
let embedded: Stack;
let lookups: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  embedded = await startStack({ sandbox });
  lookups = await startStack({ sandbox, app: { sources: { decorate: idsOnly } } });
});
afterAll(async () => {
  await embedded.close();
  await lookups.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

const refs = (vendor: string, ids: readonly string[]) =>
  ids.map((id) => `{ vendor: ${vendor}, id: "${id}" }`).join(" ");

/** Creates Max AI tasks assigned among `people` (two each), 25 per request (under the alias limit). */
async function createMaxAiTasks(count: number, people: readonly string[]): Promise<string[]> {
  const { noteId, providerId } = sandbox.vendors.maxai.seed.example;
  const ids: string[] = [];
  for (let start = 0; start < count; start += 25) {
    const fields = Array.from({ length: Math.min(25, count - start) }, (_, k) => {
      const i = start + k;
      const assignees = [people[i % people.length], people[(i + 1) % people.length]];
      return `t${i}: createTask(input: { maxAi: { noteId: "${noteId}", providerId: "${providerId}", notes: "task ${i}",
        assigneeIds: ${JSON.stringify(assignees)} } }) { task { vendorId } }`;
    });
    const { body } = await embedded.gql(`mutation { ${fields.join("\n")} }`);
    expect(body.errors).toBeUndefined();
    for (const value of Object.values(body.data) as { task: { vendorId: string } }[]) ids.push(value.task.vendorId);
  }
  return ids;
}

describe("assignedProviders", () => {
  it("costs no vendor call when not selected (only the task reads)", async () => {
    const maxai = sandbox.vendors.maxai.seed.v4TaskIds.slice(0, 20);
    const cakewalk = sandbox.vendors.cakewalk.seed.taskIds.slice(0, 20);
    const { body } = await lookups.gql(
      `{ tasks(refs: [${refs("MAX_AI", maxai)} ${refs("CAKEWALK", cakewalk)}]) { task { id status } } }`,
    );
    expect(body.data.tasks).toHaveLength(40);
    expect(sandbox.vendors.maxai.requests.count()).toBe(20);
    expect(sandbox.vendors.cakewalk.requests.count()).toBe(20);
    expect(sandbox.vendors.maxai.requests.count({ path: PROVIDERS })).toBe(0);
    expect(sandbox.vendors.cakewalk.requests.count({ path: USERS })).toBe(0);
  });

  it("uses the people the vendor embedded, without a lookup", async () => {
    const maxai = sandbox.vendors.maxai.seed.v4TaskIds.slice(0, 30);
    const { body } = await embedded.gql(
      `{ tasks(refs: [${refs("MAX_AI", maxai)}]) { task { assignedProviders { vendorId person { vendorId displayName } } } } }`,
    );
    const people = body.data.tasks.flatMap(
      (r: { task: Task & { assignedProviders: unknown[] } }) => r.task.assignedProviders,
    );
    expect(people.length).toBeGreaterThan(0);
    for (const a of people) expect(a.person).toMatchObject({ vendorId: a.vendorId, displayName: expect.any(String) });
    expect(sandbox.vendors.maxai.requests.count({ path: PROVIDERS })).toBe(0);
  });

  it("50 tasks sharing 5 people: each person is looked up once per request", async () => {
    const people = sandbox.vendors.maxai.seed.personIds.slice(0, 5);
    const taskIds = await createMaxAiTasks(50, people);
    sandbox.vendors.maxai.requests.clear();
    const query = `{ tasks(refs: [${refs("MAX_AI", taskIds)}]) {
      task { assignedProviders { vendorId person { vendorId displayName roles } } } error { code } } }`;

    const { body } = await lookups.gql(query);
    expect(body.errors).toBeUndefined();
    const assignees = body.data.tasks.flatMap(
      (r: { task: { assignedProviders: unknown[] } }) => r.task.assignedProviders,
    );
    expect(assignees).toHaveLength(100);
    for (const a of assignees)
      expect(a.person).toMatchObject({ vendorId: a.vendorId, displayName: expect.any(String) });
    expect(sandbox.vendors.maxai.requests.count({ path: /^\/v2\/tasks\// })).toBe(50);
    expect(sandbox.vendors.maxai.requests.count({ path: PROVIDERS })).toBe(5);
    const looked = sandbox.vendors.maxai.requests.entries({ path: PROVIDERS }).map((e) => e.path.split("/").pop());
    expect(new Set(looked)).toEqual(new Set(people));

    // The loader lives in the request: the next request looks them up again (nothing is cached across requests).
    await lookups.gql(query);
    expect(sandbox.vendors.maxai.requests.count({ path: PROVIDERS })).toBe(10);
  });

  it("dedupes Cakewalk users across tasks and aliases", async () => {
    const ids = sandbox.vendors.cakewalk.seed.taskIds.filter(
      (id) => !sandbox.vendors.cakewalk.seed.unassigned.includes(id),
    );
    const { body } = await lookups.gql(`{
      a: tasks(refs: [${refs("CAKEWALK", ids)}]) { task { vendorId raw assignedProviders { vendorId person { email } } } }
      b: tasks(refs: [${refs("CAKEWALK", ids.slice(0, 5))}]) { task { assignedProviders { person { displayName } } } } }`);
    expect(body.errors).toBeUndefined();
    const assigned = new Set(
      body.data.a.map((r: { task: { raw: { assignedUser: { id: string } } } }) => r.task.raw.assignedUser.id),
    );
    expect(assigned.size).toBeGreaterThan(1);
    expect(assigned.size).toBeLessThan(ids.length);
    expect(sandbox.vendors.cakewalk.requests.count({ path: USERS })).toBe(assigned.size);
    // Same task ids in both aliases: read once.
    expect(sandbox.vendors.cakewalk.requests.count({ path: /^\/api\/v1\/Tasks\// })).toBe(ids.length);
  });

  it("a failed lookup fails only that person's field", async () => {
    sandbox.vendors.maxai.faults.set({ match: { path: PROVIDERS }, errorRate: 1 });
    const { body } = await lookups.gql(
      `{ task(vendor: MAX_AI, id: "${sandbox.vendors.maxai.seed.example.v4TaskId}") { vendorId assignedProviders { vendorId person { displayName } } } }`,
    );
    expect(body.data.task.vendorId).toBe(sandbox.vendors.maxai.seed.example.v4TaskId);
    expect(body.data.task.assignedProviders).toEqual([
      { vendorId: sandbox.vendors.maxai.seed.example.providerId, person: null },
    ]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ["task", "assignedProviders", 0, "person"],
        extensions: {
          code: "VENDOR_UNAVAILABLE",
          vendor: "MAX_AI",
          upstreamStatus: 503,
          traceId: expect.any(String),
          requestId: expect.any(String),
        },
      }),
    ]);
  });

  it("Maxsight references cannot be looked up: person is null, at no cost; Capy tasks have none", async () => {
    const ids = sandbox.vendors.maxsight.seed.taskIds.slice(0, 10);
    const { body } = await embedded.gql(`{
      tasks(refs: [${refs("MAXSIGHT", ids)}]) { task { assignedProviders { kind vendorId person { id } } } }
      capy: task(vendor: CAPY, id: "${sandbox.vendors.capy.seed.example.taskId}") { assignedProviders { vendorId } } }`);
    expect(body.errors).toBeUndefined();
    const assignees = body.data.tasks.flatMap(
      (r: { task: { assignedProviders: unknown[] } }) => r.task.assignedProviders,
    );
    expect(assignees.length).toBeGreaterThan(0);
    for (const a of assignees) expect(a).toMatchObject({ kind: expect.stringMatching(/^(USER|TEAM)$/), person: null });
    expect(sandbox.vendors.maxsight.requests.count()).toBe(10);
    expect(body.data.capy.assignedProviders).toEqual([]);
  });
});
