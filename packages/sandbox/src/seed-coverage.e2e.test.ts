import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./sandbox.ts";
import { json } from "./testing/http.ts";
import {
  CAKEWALK_STATUSES,
  CAPY_STATUSES,
  CakewalkTaskResponse,
  CakewalkUserResponse,
  CapyTask,
  MaxAiV2TaskResponse,
  MaxAiV4ProviderResponse,
  MaxsightTask,
} from "./testing/wire-schemas.ts";

/** How often each value occurs. */
function tally(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe("seeded data, read over HTTP", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimits: { maxai: false, cakewalk: false } });
  });
  afterAll(() => sandbox.close());

  it("Max AI: ≥ 50 valid tasks, every status, sync status and EHR, shared providers, tasks without note or assignee", async () => {
    const v = sandbox.vendors.maxai;
    const headers = {
      authorization: `Bearer ${v.credentials.apiKey}`,
      "x-organization-id": v.credentials.organizationId,
    };
    expect(v.seed.taskIds.length).toBeGreaterThanOrEqual(50);
    const tasks = [];
    for (const id of v.seed.taskIds)
      tasks.push(MaxAiV2TaskResponse.parse((await json(`${v.url}/v2/tasks/${id}`, { headers })).body).data);
    expect(new Set(tasks.map((t) => t.status))).toEqual(
      new Set(["new", "not_started", "in_progress", "completed", "cancelled", "deleted"]),
    );
    expect(new Set(tasks.map((t) => t.syncStatus))).toEqual(new Set(["pending", "syncing", "synced", "failed"]));
    expect(new Set(tasks.map((t) => t.ehrType))).toEqual(new Set(["modmed", "ezderm"]));
    expect(tasks.filter((t) => t.noteId === undefined).length).toBeGreaterThanOrEqual(3);
    expect(tasks.filter((t) => t.assignedProviders.length === 0).length).toBeGreaterThanOrEqual(3);
    const assignees = tally(tasks.flatMap((t) => t.assignedProviders.map((p) => p.id)));
    expect(Math.max(...assignees.values())).toBeGreaterThanOrEqual(8);
    expect(assignees.size).toBeLessThanOrEqual(v.seed.personIds.length);
    // Postgres text drops trailing zeros: fractions of 0 to 6 digits all occur.
    const digits = new Set(
      tasks.flatMap((t) => [t.createdAt, t.updatedAt]).map((s) => /\.(\d+)/.exec(s)?.[1]?.length ?? 0),
    );
    expect(digits.size).toBeGreaterThanOrEqual(6);
    expect(v.seed.withoutNote.length).toBeGreaterThan(0);
    expect(v.seed.unassigned.length).toBeGreaterThan(0);
    for (const id of v.seed.personIds)
      MaxAiV4ProviderResponse.parse((await json(`${v.url}/v4/providers/${id}`, { headers })).body);
  });

  it("Cakewalk: ≥ 50 valid tasks, every status and type, shared users, unassigned tasks", async () => {
    const v = sandbox.vendors.cakewalk;
    const headers = { "x-api-key": v.credentials.apiKey, "x-api-secret": v.credentials.apiSecret };
    expect(v.seed.taskIds.length).toBeGreaterThanOrEqual(50);
    const tasks = [];
    for (const id of v.seed.taskIds)
      tasks.push(CakewalkTaskResponse.parse((await json(`${v.url}/api/v1/Tasks/${id}`, { headers })).body).data);
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(CAKEWALK_STATUSES));
    expect(new Set(tasks.map((t) => t.type)).size).toBe(5);
    expect(tasks.filter((t) => t.assignedUser === null).length).toBeGreaterThanOrEqual(5);
    const people = tally(
      tasks.flatMap((t) => [t.assignedUser, ...(t.claimers ?? []), t.executedByUser].flatMap((u) => (u ? [u.id] : []))),
    );
    expect(Math.max(...people.values())).toBeGreaterThanOrEqual(8);
    for (const id of people.keys()) expect(v.seed.personIds).toContain(id);
    for (const id of v.seed.personIds)
      CakewalkUserResponse.parse((await json(`${v.url}/api/v1/Users/${id}`, { headers })).body);
  });

  it("Capy: ≥ 50 valid tasks with every status and SCO-style identifiers", async () => {
    const v = sandbox.vendors.capy;
    const headers = { authorization: `Bearer ${v.credentials.token}` };
    expect(v.seed.taskIds.length).toBeGreaterThanOrEqual(50);
    const tasks = [];
    for (const id of v.seed.taskIds)
      tasks.push(CapyTask.parse((await json(`${v.url}/v1/tasks/${id}`, { headers })).body));
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(CAPY_STATUSES));
    expect(new Set(tasks.map((t) => t.identifier)).size).toBe(tasks.length);
    for (const t of tasks) expect(t.identifier).toMatch(/^[A-Z]+-\d+$/);
  });

  it("Maxsight: ≥ 50 valid tasks, every status, USER, TEAM and null assignments with shared assignees", async () => {
    const v = sandbox.vendors.maxsight;
    expect(v.seed.taskIds.length).toBeGreaterThanOrEqual(50);
    const tasks = [];
    for (const id of v.seed.taskIds) {
      tasks.push(
        MaxsightTask.parse((await json(`${v.url}/v5/tasks/${id}`, { headers: { apikey: v.credentials.apiKey } })).body),
      );
    }
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(["INCOMPLETE", "COMPLETED_PASS", "COMPLETED_FAIL"]));
    expect(new Set(tasks.map((t) => t.assignment?.assigned_to_type ?? null))).toEqual(new Set(["USER", "TEAM", null]));
    const assignees = tally(tasks.flatMap((t) => (t.assignment ? [t.assignment.assigned_to_id] : [])));
    expect(Math.max(...assignees.values())).toBeGreaterThanOrEqual(5);
  });
});
