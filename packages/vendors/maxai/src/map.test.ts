import { type MaxAiTask, MaxAiTask as MaxAiTaskSchema, Person, VendorContractViolationError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import createTaskV4 from "./fixtures/create-task-v4.json" with { type: "json" };
import getProviderV4 from "./fixtures/get-provider-v4.json" with { type: "json" };
import getTaskV2 from "./fixtures/get-task-v2.json" with { type: "json" };
import { displayName, mapPerson, mapTask } from "./map.ts";
import { ProviderEnvelope, type ProviderWire, TaskEnvelope, type TaskWire } from "./wire.ts";

/** Parses like the client does: schema first, then the mapper with the raw task object. */
function fromBody(body: unknown): MaxAiTask {
  const parsed = TaskEnvelope.parse(body);
  return mapTask(parsed.data, (body as { data: Record<string, unknown> }).data, { status: 200, traceId: "t-1" });
}

const clone = <T>(value: T): T => structuredClone(value);

function firstProvider(body: { data: { assignedProviders: Array<Record<string, unknown>> } }): Record<string, unknown> {
  const provider = body.data.assignedProviders[0];
  if (!provider) throw new Error("the fixture has an assigned provider");
  return provider;
}

// Written by hand from the seed documents: the canonical form of the documented example task.
const JAMES_WILSON = {
  vendor: "maxai",
  id: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
  kind: "PROVIDER",
  displayName: "Dr. James Wilson, MD",
  firstName: "James",
  lastName: "Wilson",
  email: null,
  username: "jwilson",
  roles: ["Physician"],
} as const;

const EXPECTED_TASK = {
  vendor: "maxai",
  id: "tsk_a1b2c3d456784abc9def0123456789ab",
  title: null,
  description: "Review missing plan for Impression #3",
  status: "TODO",
  vendorStatus: "not_started",
  createdAt: "2026-03-20T18:35:10.209Z",
  updatedAt: "2026-03-23T03:15:47.285Z",
  assignees: [{ vendor: "maxai", id: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a", kind: "PROVIDER", inline: JAMES_WILSON }],
  details: { syncStatus: "synced", ehrType: "modmed", noteId: "nte_3cc73cb69c59403ca9108af6c5693b25" },
} as const;

describe("mapTask", () => {
  it("maps the v2 seed example (dashed UUIDs) to the canonical task with v4 ids", () => {
    const task = fromBody(getTaskV2);
    expect(task).toEqual({ ...EXPECTED_TASK, raw: getTaskV2.data });
    expect(MaxAiTaskSchema.parse(task)).toEqual(task);
  });

  it("maps the v4 create example (prefixed ids) to the same canonical task", () => {
    expect(fromBody(createTaskV4)).toEqual({ ...EXPECTED_TASK, raw: createTaskV4.data });
  });

  it("keeps raw exactly as received, v2 ids included", () => {
    expect(fromBody(getTaskV2).raw).toBe(getTaskV2.data);
  });

  it.each([
    ["new", "TODO"],
    ["in_progress", "IN_PROGRESS"],
    ["completed", "DONE"],
    ["cancelled", "CANCELLED"],
    ["deleted", "ARCHIVED"],
    ["on_hold", "UNKNOWN"],
  ] as const)("maps status %s to %s and keeps the raw value", (vendorStatus, status) => {
    const body = clone(getTaskV2);
    body.data.status = vendorStatus;
    expect(fromBody(body)).toMatchObject({ status, vendorStatus });
  });

  it("accepts unknown syncStatus / ehrType values and unknown extra fields", () => {
    const body = clone(getTaskV2) as typeof getTaskV2 & { data: Record<string, unknown> };
    body.data.syncStatus = "queued_for_retry";
    body.data.ehrType = "nextgen";
    body.data.priority = "high";
    firstProvider(body).pager = "555";
    (body as Record<string, unknown>).meta = { version: 3 };
    const task = fromBody(body);
    expect(task.details).toEqual({
      syncStatus: "queued_for_retry",
      ehrType: "nextgen",
      noteId: "nte_3cc73cb69c59403ca9108af6c5693b25",
    });
    expect(task.raw.priority).toBe("high");
  });

  it("gives a null noteId for tasks not anchored to a visit (field absent)", () => {
    const body = clone(getTaskV2) as { code: string; data: Partial<TaskWire> };
    delete body.data.noteId;
    expect(fromBody(body).details.noteId).toBeNull();
  });

  it("handles a task without assignees", () => {
    const body = clone(getTaskV2);
    body.data.assignedProviders = [];
    expect(fromBody(body).assignees).toEqual([]);
  });

  it.each([
    ["2026-03-20 18:35:10+00", "2026-03-20T18:35:10.000Z"],
    ["2026-03-20 18:35:10.2+00", "2026-03-20T18:35:10.200Z"],
    ["2026-03-20 20:35:10.209452+02", "2026-03-20T18:35:10.209Z"],
    ["2026-03-20T18:35:10.209Z", "2026-03-20T18:35:10.209Z"],
  ])("normalizes the timestamp %s", (createdAt, iso) => {
    const body = clone(getTaskV2);
    body.data.createdAt = createdAt;
    expect(fromBody(body).createdAt).toBe(iso);
  });

  it.each([
    ["createdAt", "2026-03-20 18:35:10.209452"], // no offset: never guessed
    ["updatedAt", "yesterday"],
    ["createdAt", "2026-02-30 10:00:00+00"],
    ["updatedAt", ""],
  ] as const)("an unreadable %s costs that field only: null, with the problem naming it", (field, value) => {
    const body = clone(getTaskV2);
    body.data[field] = value;
    const task = fromBody(body);
    const other = field === "createdAt" ? "updatedAt" : "createdAt";
    expect(task).toEqual({ ...EXPECTED_TASK, [field]: null, raw: body.data, problems: { [field]: expect.anything() } });
    expect(task[other]).toBe(EXPECTED_TASK[other]);
    expect(task.problems?.[field]).toBeInstanceOf(VendorContractViolationError);
    expect(task.problems?.[field]).toMatchObject({
      kind: "contract_violation",
      vendor: "maxai",
      field,
      status: 200,
      traceId: "t-1",
      detail: expect.stringContaining(field),
    });
    expect(MaxAiTaskSchema.parse(task)).toEqual(task);
  });

  it("a provider id in neither dialect costs the assignees only", () => {
    const body = clone(getTaskV2);
    firstProvider(body).id = "42";
    const task = fromBody(body);
    expect(task.assignees).toBeNull();
    expect(task.problems?.assignees).toMatchObject({ field: "assignedProviders.0.id", status: 200 });
    expect(task.createdAt).toBe(EXPECTED_TASK.createdAt);
  });

  it("a note id in neither dialect costs noteId only", () => {
    const body = clone(getTaskV2);
    body.data.noteId = "visit 7";
    const task = fromBody(body);
    expect(task.details).toEqual({ ...EXPECTED_TASK.details, noteId: null });
    expect(task.problems?.["details.noteId"]).toMatchObject({ field: "noteId", status: 200 });
  });

  it("a task id in neither dialect fails the task, with the answer's status", () => {
    const body = clone(getTaskV2);
    body.data.id = "42";
    expect(() => fromBody(body)).toThrow(
      expect.objectContaining({ kind: "contract_violation", field: "id", status: 200, traceId: "t-1" }),
    );
  });

  it("the schema rejects a task missing a required field", () => {
    const body = clone(getTaskV2) as { code: string; data: Partial<TaskWire> };
    delete body.data.status;
    expect(TaskEnvelope.safeParse(body).success).toBe(false);
  });
});

describe("mapPerson", () => {
  it("maps the provider example", () => {
    const person = mapPerson(ProviderEnvelope.parse(getProviderV4).data);
    expect(person).toEqual(JAMES_WILSON);
    expect(Person.parse(person)).toEqual(person);
  });

  it("accepts a dashed provider id and null names", () => {
    const provider = {
      ...getProviderV4.data,
      id: "D4E5F6A7-B8C9-4D0E-1F2A-3B4C5D6E7F8A",
      firstName: null,
      lastName: null,
      displayFirstName: null,
      displayLastName: null,
      username: null,
    };
    expect(mapPerson(ProviderEnvelope.parse({ code: "success", data: provider }).data)).toEqual({
      ...JAMES_WILSON,
      displayName: null,
      firstName: null,
      lastName: null,
      username: null,
    });
  });
});

describe("displayName", () => {
  type Names = Pick<ProviderWire, "displayFirstName" | "displayLastName" | "firstName" | "lastName">;
  const names: Names = { displayFirstName: null, displayLastName: null, firstName: null, lastName: null };
  const provider = (over: Partial<Names>): ProviderWire => ({ id: "x", username: null, roles: [], ...names, ...over });

  it.each([
    [
      { displayFirstName: "Dr. James", displayLastName: "Wilson, MD", firstName: "James", lastName: "Wilson" },
      "Dr. James Wilson, MD",
    ],
    [{ displayFirstName: "Dr. James", firstName: "James", lastName: "Wilson" }, "Dr. James"],
    [{ firstName: "James", lastName: "Wilson" }, "James Wilson"],
    [{ displayFirstName: "  ", firstName: "James" }, "James"],
    [{ lastName: "Wilson" }, "Wilson"],
    [{}, null],
  ])("%j → %j", (over, expected) => {
    expect(displayName(provider(over))).toBe(expected);
  });
});
