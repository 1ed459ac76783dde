import { MaxsightTask, VendorContractViolationError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { mapTask } from "./map.ts";
import { expectedSeedTask, SEED_TASK, seedTask } from "./test-support.ts";
import { MaxsightTaskWire } from "./wire.ts";

function map(json: Record<string, unknown>) {
  return mapTask(MaxsightTaskWire.parse(json), json, { status: 200, traceId: "req-9" });
}

describe("mapTask", () => {
  it("maps the seed 004 example to the golden canonical task", () => {
    const task = map(seedTask());
    expect(task).toEqual(expectedSeedTask());
    expect(MaxsightTask.parse(task)).toEqual(task);
  });

  it("keeps the received object as raw, including fields it does not read", () => {
    const task = map(seedTask());
    expect(task.raw).toEqual(SEED_TASK);
    expect(task.raw.microfrontend_id).toBe("f1ea2a19-6836-4b1f-824d-8a04dfae4cc7");
  });

  it("prefers name over c_name for the title", () => {
    expect(map({ ...seedTask(), name: "KYC review for Acme" }).title).toBe("KYC review for Acme");
    expect(map({ ...seedTask(), name: "  " }).title).toBe("Review documentation");
    expect(map({ ...seedTask(), name: null, c_name: null }).title).toBeNull();
  });

  it.each([
    ["INCOMPLETE", "IN_PROGRESS"],
    ["COMPLETED_PASS", "DONE"],
    ["COMPLETED_FAIL", "FAILED"],
    ["ON_HOLD", "UNKNOWN"],
    ["incomplete", "UNKNOWN"],
  ])("maps status %s to %s and keeps the raw value", (vendorStatus, status) => {
    const task = map({ ...seedTask(), status: vendorStatus });
    expect(task.status).toBe(status);
    expect(task.vendorStatus).toBe(vendorStatus);
  });

  it("accepts unknown extra fields and keeps them in raw", () => {
    const json = { ...seedTask(), priority: "HIGH", assignment: { ...(seedTask().assignment as object), queue: 7 } };
    const task = map(json);
    expect(task.raw.priority).toBe("HIGH");
    expect((task.raw.assignment as Record<string, unknown>).queue).toBe(7);
    expect(task.assignees).toHaveLength(1);
  });

  it("maps absent optional fields to null and no assignees", () => {
    const json: Record<string, unknown> = {
      id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      status: "INCOMPLETE",
      created_at: "2019-08-24T14:15:22Z",
      updated_at: "2019-08-25T09:00:00.123456Z",
    };
    expect(map(json)).toEqual({
      vendor: "maxsight",
      id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      title: null,
      description: null,
      status: "IN_PROGRESS",
      vendorStatus: "INCOMPLETE",
      createdAt: "2019-08-24T14:15:22.000Z",
      updatedAt: "2019-08-25T09:00:00.123Z",
      assignees: [],
      raw: json,
      // The version is the vendor's text, not the canonical timestamp: If-Match must carry what Maxsight sent.
      version: "2019-08-25T09:00:00.123456Z",
      details: {
        stepName: null,
        workflowInstanceId: null,
        assessmentId: null,
        entityId: null,
        institutionId: null,
        lockedAt: null,
        dataVersion: null,
      },
    });
  });

  it("maps a null locked_at to null", () => {
    expect(map({ ...seedTask(), locked_at: null }).details.lockedAt).toBeNull();
  });

  it("normalizes offsets to UTC", () => {
    const task = map({ ...seedTask(), locked_at: "2019-08-24T16:15:22.5+02:00" });
    expect(task.details.lockedAt).toBe("2019-08-24T14:15:22.500Z");
  });

  describe("assignees", () => {
    const assignment = (fields: Record<string, unknown> | null) => map({ ...seedTask(), assignment: fields }).assignees;

    it("references a TEAM by id, with nothing inline", () => {
      expect(assignment({ assigned_to_id: "0b7d7f3e-5c1a-4f6e-9a2b-3c4d5e6f7a8b", assigned_to_type: "TEAM" })).toEqual([
        { vendor: "maxsight", id: "0b7d7f3e-5c1a-4f6e-9a2b-3c4d5e6f7a8b", kind: "TEAM", inline: null },
      ]);
    });

    it("gives the assignee's UUID in lower case, as the task's own id and every id a caller sends", () => {
      expect(assignment({ assigned_to_id: "0B7D7F3E-5C1A-4F6E-9A2B-3C4D5E6F7A8B", assigned_to_type: "TEAM" })).toEqual([
        { vendor: "maxsight", id: "0b7d7f3e-5c1a-4f6e-9a2b-3c4d5e6f7a8b", kind: "TEAM", inline: null },
      ]);
    });

    it("has none for a null assignment or a null/empty assigned_to_id", () => {
      expect(assignment(null)).toEqual([]);
      expect(assignment({ assigned_by_id: null, assigned_to_id: null, assigned_to_type: null })).toEqual([]);
      expect(assignment({ assigned_to_id: "", assigned_to_type: "USER" })).toEqual([]);
    });

    it("skips an unknown assigned_to_type but keeps it in raw", () => {
      const json = {
        ...seedTask(),
        assignment: { assigned_to_id: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6", assigned_to_type: "ROBOT" },
      };
      const task = map(json);
      expect(task.assignees).toEqual([]);
      expect((task.raw.assignment as Record<string, unknown>).assigned_to_type).toBe("ROBOT");
    });
  });

  describe("unreadable values cost their field only", () => {
    it.each([
      ["created_at", "createdAt", "yesterday"],
      ["updated_at", "updatedAt", "2019-08-24 14:15:22"],
      ["locked_at", "details.lockedAt", "2019-13-24T14:15:22Z"],
      ["data_version", "details.dataVersion", 2 ** 53],
      ["data_version", "details.dataVersion", 1e300],
      ["data_version", "details.dataVersion", 1.5],
    ] as const)("%s = %j: %s is null, with the problem naming the field", (field, canonical, value) => {
      const whole = map({ ...seedTask(), locked_at: "2019-08-24T14:15:22Z", data_version: 3 });
      const task = map({ ...seedTask(), locked_at: "2019-08-24T14:15:22Z", data_version: 3, [field]: value });
      const [, key] = canonical.split(".");
      const nulled = key ? { details: { ...whole.details, [key]: null } } : { [canonical]: null };
      // The version stays updated_at exactly as sent: If-Match needs it, readable or not.
      const version = task.raw.updated_at;
      expect(task).toEqual({
        ...whole,
        ...nulled,
        version,
        raw: task.raw,
        problems: { [canonical]: expect.anything() },
      });
      const problem = task.problems?.[canonical];
      expect(problem).toBeInstanceOf(VendorContractViolationError);
      expect(problem).toMatchObject({ vendor: "maxsight", field, status: 200, traceId: "req-9" });
    });

    it("reads a data_version past 32 bits exactly", () => {
      expect(map({ ...seedTask(), data_version: 2147483648 }).details.dataVersion).toBe(2147483648);
      expect(map({ ...seedTask(), data_version: 2 ** 53 - 1 }).details.dataVersion).toBe(2 ** 53 - 1);
    });
  });
});

describe("MaxsightTaskWire", () => {
  it.each(["id", "status", "created_at", "updated_at"])("rejects a task without %s", (field) => {
    const json = seedTask();
    delete json[field];
    expect(MaxsightTaskWire.safeParse(json).success).toBe(false);
  });

  it("rejects wrong types in fields it reads", () => {
    expect(MaxsightTaskWire.safeParse({ ...seedTask(), data_version: "0" }).success).toBe(false);
    expect(MaxsightTaskWire.safeParse({ ...seedTask(), assignment: "USER" }).success).toBe(false);
  });

  it("does not care about fields it does not read", () => {
    expect(
      MaxsightTaskWire.safeParse({ ...seedTask(), custom_metadata: { a: [1] }, microfrontend_id: 3 }).success,
    ).toBe(true);
  });
});
