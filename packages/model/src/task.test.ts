import { describe, expect, it } from "vitest";
import type { AssigneeRef, Person } from "./person.ts";
import { AnyTask, type CakewalkTask, type CapyTask, type MaxAiTask, type MaxsightTask, Task } from "./task.ts";
import { normalizeTimestamp } from "./timestamp.ts";
import type { Vendor } from "./vendor.ts";

// Canonical tasks as the mappers should build them from the seed payloads.

const wilson: Person = {
  vendor: "maxai",
  id: "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a",
  kind: "PROVIDER",
  displayName: "Dr. James Wilson, MD",
  firstName: "James",
  lastName: "Wilson",
  email: null,
  username: "jwilson",
  roles: ["Physician"],
};

const maxai: MaxAiTask = {
  vendor: "maxai",
  id: "tsk_a1b2c3d456784abc9def0123456789ab",
  title: null,
  description: "Review missing plan for Impression #3",
  status: "TODO",
  vendorStatus: "not_started",
  createdAt: normalizeTimestamp("2026-03-20 18:35:10.209452+00", "createdAt"),
  updatedAt: normalizeTimestamp("2026-03-23 03:15:47.285+00", "updatedAt"),
  assignees: [{ vendor: "maxai", id: wilson.id, kind: "PROVIDER", inline: wilson }],
  raw: { id: "a1b2c3d4-5678-4abc-9def-0123456789ab", status: "not_started" },
  details: { syncStatus: "synced", ehrType: "modmed", noteId: "nte_3cc73cb69c59403ca9108af6c5693b25" },
};

const ada: Person = {
  vendor: "cakewalk",
  id: "5b1f0c8e-3a2d-4e6f-9b7a-1c2d3e4f5a6b",
  kind: "USER",
  displayName: "Ada Lovelace",
  firstName: null,
  lastName: null,
  email: "ada@example.com",
  username: null,
  roles: [],
};

const cakewalk: CakewalkTask = {
  vendor: "cakewalk",
  id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  title: null,
  description: null,
  status: "TODO",
  vendorStatus: "Pending",
  createdAt: "2026-01-05T09:00:00.000Z",
  updatedAt: "2026-01-05T09:30:00.000Z",
  assignees: [{ vendor: "cakewalk", id: ada.id, kind: "USER", inline: ada }],
  raw: {},
  details: {
    type: "RequestReviewTask",
    request: {
      id: "9d2e1c4b-7a6f-4e3d-8c2b-1a0f9e8d7c6b",
      type: "GrantAccess",
      status: "Pending",
      requestedByUserId: ada.id,
      workAppId: "0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b",
      purpose: null,
    },
    claimers: [ada],
    executedBy: null,
    snoozedTill: null,
  },
};

const capy: CapyTask = {
  vendor: "capy",
  id: "tsk_01",
  title: "Fix login redirect",
  description: "Fix the login redirect loop",
  status: "IN_REVIEW",
  vendorStatus: "needs_review",
  createdAt: "2026-06-01T10:00:00.000Z",
  updatedAt: "2026-06-02T10:00:00.000Z",
  assignees: [],
  raw: {},
  details: {
    projectId: "prj_01",
    identifier: "SCO-123",
    prompt: "Fix the login redirect loop",
    pullRequest: null,
    slackThreads: [{ teamId: "T1", channelId: "C1", threadTs: "1717236000.000100", url: "https://slack.com/x" }],
    threadId: null,
  },
};

const maxsight: MaxsightTask = {
  vendor: "maxsight",
  id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
  title: "Review documentation",
  description: null,
  status: "IN_PROGRESS",
  vendorStatus: "INCOMPLETE",
  createdAt: normalizeTimestamp("2019-08-24T14:15:22Z", "created_at"),
  updatedAt: normalizeTimestamp("2019-08-24T14:15:22Z", "updated_at"),
  assignees: [{ vendor: "maxsight", id: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6", kind: "USER", inline: null }],
  raw: { c_name: "Review documentation", custom_metadata: null },
  details: {
    stepName: "Review",
    workflowInstanceId: "46ff49d0-5f69-46b0-9de7-5703639a02ce",
    assessmentId: "9f60a03f-b3de-4b19-9361-0380d9aa1e9e",
    entityId: "8161163a-f227-466f-bc01-090a01e80165",
    institutionId: "c75f2c73-5ae4-4f1c-99c0-fc726cd41798",
    lockedAt: "2019-08-24T14:15:22.000Z",
    dataVersion: 0,
  },
};

const TASKS: Record<Vendor, Task> = { maxai, cakewalk, capy, maxsight };

describe("Task", () => {
  for (const [vendor, task] of Object.entries(TASKS)) {
    it(`parses a valid ${vendor} task unchanged`, () => {
      expect(Task.parse(task)).toEqual(task);
    });
  }

  for (const [tag, task] of Object.entries(TASKS)) {
    for (const [other, source] of Object.entries(TASKS)) {
      if (other === tag) continue;
      it(`rejects ${other} details under the ${tag} tag`, () => {
        expect(Task.safeParse({ ...task, details: source.details }).success).toBe(false);
      });
    }
  }

  it("rejects an unknown vendor tag", () => {
    expect(Task.safeParse({ ...capy, vendor: "jira" }).success).toBe(false);
  });

  it("keeps an unknown vendor status as UNKNOWN with the raw value", () => {
    const parsed = Task.parse({ ...capy, status: "UNKNOWN", vendorStatus: "working" });
    expect(parsed.status).toBe("UNKNOWN");
    expect(parsed.vendorStatus).toBe("working");
  });

  it("rejects a status outside the canonical set (a raw vendor value in the wrong field)", () => {
    expect(Task.safeParse({ ...capy, status: "needs_review" }).success).toBe(false);
  });

  it("rejects timestamps that were not normalized", () => {
    expect(Task.safeParse({ ...maxai, createdAt: "2026-03-20 18:35:10.209452+00" }).success).toBe(false);
    expect(Task.safeParse({ ...maxai, updatedAt: "2026-03-20T18:35:10+02:00" }).success).toBe(false);
    expect(Task.safeParse({ ...maxsight, details: { ...maxsight.details, lockedAt: "yesterday" } }).success).toBe(
      false,
    );
  });

  it("rejects an empty id and an assignee without an id", () => {
    expect(Task.safeParse({ ...capy, id: "" }).success).toBe(false);
    const badRef = { vendor: "maxsight", id: "", kind: "TEAM", inline: null } satisfies AssigneeRef;
    expect(Task.safeParse({ ...maxsight, assignees: [badRef] }).success).toBe(false);
  });

  it("rejects an assignee kind outside USER | TEAM | PROVIDER", () => {
    const ref = { vendor: "maxsight", id: "x", kind: "GROUP", inline: null };
    expect(Task.safeParse({ ...maxsight, assignees: [ref] }).success).toBe(false);
  });

  it("narrows details by vendor", () => {
    const task: Task = Task.parse(maxai);
    // Type-level: `details.syncStatus` only exists once `vendor` is narrowed (checked by typecheck).
    if (task.vendor !== "maxai") throw new Error("expected a Max AI task");
    expect(task.details.syncStatus).toBe("synced");
  });
});

describe("AnyTask", () => {
  it("accepts every known vendor's task", () => {
    for (const task of Object.values(TASKS)) expect(AnyTask.parse(task)).toEqual(task);
  });

  it("accepts a task of a vendor this package does not type, with its details as they are", () => {
    const task = { ...capy, vendor: "acme", details: { board: "ops", points: 3 } };
    expect(AnyTask.parse(task)).toEqual(task);
  });

  it("still checks the common fields and the vendor id", () => {
    expect(AnyTask.safeParse({ ...capy, vendor: "Acme Corp" }).success).toBe(false);
    expect(AnyTask.safeParse({ ...capy, vendor: "acme", createdAt: "yesterday" }).success).toBe(false);
    expect(AnyTask.safeParse({ ...capy, vendor: "acme", details: null }).success).toBe(false);
  });
});
