import { type CapyTask, VendorContractViolationError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import created from "./fixtures/created-task.json" with { type: "json" };
import task from "./fixtures/task.json" with { type: "json" };
import { mapCreatedTask, mapTask } from "./map.ts";
import { CapyCreatedTaskWire, CapyTaskWire } from "./wire.ts";

const ANSWER = { status: 200, traceId: "req-1" };

function mapRaw(raw: Record<string, unknown>): CapyTask {
  return mapTask(CapyTaskWire.parse(raw), raw, ANSWER);
}

describe("mapTask", () => {
  it("maps the seed-shaped task to the canonical Task (golden)", () => {
    const expected: CapyTask = {
      vendor: "capy",
      id: "550e8400-e29b-41d4-a716-446655440000",
      title: "Fix the flaky login test",
      description: "The login e2e test fails about one run in five on CI. Find the race and fix it.",
      status: "IN_REVIEW",
      vendorStatus: "needs_review",
      createdAt: "2026-06-15T09:30:00.000Z",
      updatedAt: "2026-06-15T10:02:41.512Z",
      assignees: [],
      raw: task,
      details: {
        projectId: "3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12",
        identifier: "SCO-123",
        prompt: "The login e2e test fails about one run in five on CI. Find the race and fix it.",
        pullRequest: null,
        slackThreads: [
          {
            teamId: "T024BE7LD",
            channelId: "C024BE91L",
            threadTs: "1750000000.000100",
            url: "https://acme.slack.com/archives/C024BE91L/p1750000000000100",
          },
        ],
        threadId: "b7e4c2a0-1d3f-4e5a-8b9c-0d1e2f3a4b5c",
      },
    };
    expect(mapRaw(task)).toEqual(expected);
  });

  it.each([
    ["backlog", "TODO"],
    ["queued", "TODO"],
    ["in_progress", "IN_PROGRESS"],
    ["needs_review", "IN_REVIEW"],
    ["completed", "DONE"],
    ["error", "FAILED"],
    ["archived", "ARCHIVED"],
  ])("maps the v1 status %s to %s", (vendorStatus, status) => {
    const mapped = mapRaw({ ...task, status: vendorStatus });
    expect(mapped.status).toBe(status);
    expect(mapped.vendorStatus).toBe(vendorStatus);
  });

  it.each(["working", "waiting", "idle", "done", "failed", "COMPLETED"])(
    "keeps the unknown status %s as vendorStatus and maps it to UNKNOWN",
    (vendorStatus) => {
      const mapped = mapRaw({ ...task, status: vendorStatus });
      expect(mapped.status).toBe("UNKNOWN");
      expect(mapped.vendorStatus).toBe(vendorStatus);
    },
  );

  it("returns the id in lower case", () => {
    expect(mapRaw({ ...task, id: task.id.toUpperCase() }).id).toBe(task.id.toLowerCase());
  });

  it("accepts unknown fields, keeps them in raw and out of details", () => {
    const raw = {
      ...task,
      repos: [{ name: "acme/web" }],
      slackThreads: [{ ...task.slackThreads[0], permalinkVersion: 2 }],
    };
    const mapped = mapRaw(raw);
    expect(mapped.raw).toEqual(raw);
    expect(mapped.details.slackThreads[0]).toEqual(task.slackThreads[0]);
    expect(Object.keys(mapped.details).sort()).toEqual(
      ["identifier", "projectId", "prompt", "pullRequest", "slackThreads", "threadId"].sort(),
    );
  });

  it("keeps a pull request object as sent (the spec's `type: null` will not last)", () => {
    const pullRequest = { number: 42, url: "https://github.com/acme/web/pull/42", state: "open" };
    expect(mapRaw({ ...task, pullRequest }).details.pullRequest).toEqual(pullRequest);
  });

  it("maps null threadId, no Slack threads and absent unread fields (threadIndex, currentJamId)", () => {
    const { threadIndex: _t, currentJamId: _c, ...rest } = task;
    const mapped = mapRaw({ ...rest, threadId: null, slackThreads: [] });
    expect(mapped.details.threadId).toBeNull();
    expect(mapped.details.slackThreads).toEqual([]);
  });

  it("normalizes timestamps with an offset or a space separator to ISO UTC", () => {
    const mapped = mapRaw({
      ...task,
      createdAt: "2026-06-15 11:30:00+02:00",
      updatedAt: "2026-06-15T10:02:41.512345Z",
    });
    expect(mapped.createdAt).toBe("2026-06-15T09:30:00.000Z");
    expect(mapped.updatedAt).toBe("2026-06-15T10:02:41.512Z");
  });

  it.each([
    ["createdAt", "15/06/2026"],
    ["updatedAt", "2026-06-15T10:02:41"],
    ["createdAt", "1750000000"],
  ])("an unreadable %s (%s) costs that field only: null, with the problem naming it", (field, value) => {
    const raw = { ...task, [field]: value };
    const mapped = mapRaw(raw);
    const other = field === "createdAt" ? "updatedAt" : "createdAt";
    expect(mapped[field as "createdAt"]).toBeNull();
    expect(mapped[other]).toBe(mapRaw(task)[other]);
    expect(mapped.details).toEqual(mapRaw(task).details);
    expect(mapped.raw).toBe(raw);
    expect(mapped.problems?.[field as "createdAt"]).toBeInstanceOf(VendorContractViolationError);
    expect(mapped.problems?.[field as "createdAt"]).toMatchObject({ field, status: 200, traceId: "req-1" });
  });
});

describe("CapyTaskWire", () => {
  it.each(["id", "title", "prompt", "status", "createdAt", "updatedAt", "slackThreads", "threadId", "pullRequest"])(
    "rejects a task without %s (required by the spec and read by the mapper)",
    (field) => {
      const { [field]: _omitted, ...rest } = task as Record<string, unknown>;
      expect(CapyTaskWire.safeParse(rest).success).toBe(false);
    },
  );

  it("rejects a non-string status", () => {
    expect(CapyTaskWire.safeParse({ ...task, status: 3 }).success).toBe(false);
  });
});

describe("mapCreatedTask", () => {
  const input = {
    vendor: "capy" as const,
    projectId: "3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12",
    prompt: "Return X-RateLimit-* headers from every endpoint.",
    title: "Add rate-limit headers to the API",
    labels: ["api"],
  };

  it("builds the Task from the create response plus the input (golden)", () => {
    const expected: CapyTask = {
      vendor: "capy",
      id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
      title: "Add rate-limit headers to the API",
      description: "Return X-RateLimit-* headers from every endpoint.",
      status: "TODO",
      vendorStatus: "queued",
      createdAt: "2026-06-16T08:00:00.000Z",
      updatedAt: "2026-06-16T08:00:00.000Z",
      assignees: [],
      raw: created,
      details: {
        projectId: "3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12",
        identifier: "SCO-124",
        prompt: "Return X-RateLimit-* headers from every endpoint.",
        pullRequest: null,
        slackThreads: [],
        threadId: null,
      },
    };
    expect(mapCreatedTask(CapyCreatedTaskWire.parse(created), input, created, ANSWER)).toEqual(expected);
  });

  it("falls back to the input's title and project when the response lacks them", () => {
    const { title: _t, projectId: _p, ...rest } = created;
    const mapped = mapCreatedTask(CapyCreatedTaskWire.parse(rest), input, rest, ANSWER);
    expect(mapped.title).toBe(input.title);
    expect(mapped.details.projectId).toBe(input.projectId);
  });

  it("returns a UUID in lower case, as reads and actions take it; any other id as sent", () => {
    const upper = { ...created, id: created.id.toUpperCase() };
    expect(mapCreatedTask(CapyCreatedTaskWire.parse(upper), input, upper, ANSWER).id).toBe(created.id);
    const other = { ...created, id: "TASK-1" };
    expect(mapCreatedTask(CapyCreatedTaskWire.parse(other), input, other, ANSWER).id).toBe("TASK-1");
  });

  it("says the task was created when a field it needs is missing", () => {
    const { createdAt: _c, ...rest } = created;
    const map = () => mapCreatedTask(CapyCreatedTaskWire.parse(rest), input, rest, ANSWER);
    expect(map).toThrow(VendorContractViolationError);
    expect(map).toThrow(/task 6ba7b810-9dad-41d1-80b4-00c04fd430c8 was created.*createdAt/);
    expect(map).toThrow(expect.objectContaining({ field: "createdAt", status: 200 }));
  });

  it("an unreadable createdAt costs the timestamps only, not the created task", () => {
    const raw = { ...created, createdAt: "yesterday" };
    const mapped = mapCreatedTask(CapyCreatedTaskWire.parse(raw), input, raw, ANSWER);
    expect([mapped.id, mapped.createdAt, mapped.updatedAt]).toEqual([created.id, null, null]);
    expect(mapped.problems?.createdAt).toMatchObject({ field: "createdAt", status: 200 });
    expect(mapped.problems?.updatedAt).toMatchObject({ field: "createdAt", status: 200 });
  });
});
