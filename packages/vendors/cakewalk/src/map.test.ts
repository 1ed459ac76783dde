import { CakewalkTask, Person, VendorContractViolationError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import docsTask from "./fixtures/task.docs-example.json" with { type: "json" };
import reviewTask from "./fixtures/task.request-review.json" with { type: "json" };
import docsUser from "./fixtures/user.docs-example.json" with { type: "json" };
import { mapTask, mapUser } from "./map.ts";
import { TaskResponseWire, UserResponseWire } from "./wire.ts";

/** Same path as the client: envelope through the wire schema, then the mapper with the raw `data`. */
function taskFrom(envelope: unknown) {
  const wire = TaskResponseWire.parse(envelope);
  return mapTask(wire.data, (envelope as { data: Record<string, unknown> }).data, { status: 200, traceId: "00-t-01" });
}

function withData(patch: Record<string, unknown>, omit: string[] = []) {
  const data: Record<string, unknown> = { ...reviewTask.data, ...patch };
  for (const key of omit) delete data[key];
  return { ...reviewTask, data };
}

const alice: Person = {
  vendor: "cakewalk",
  id: "6c95576d-e21e-4b4b-a15f-2a3b507f44c3",
  kind: "USER",
  displayName: "Alice Smith",
  firstName: null,
  lastName: null,
  email: "alice.smith@cakeacme.com",
  username: null,
  roles: [],
};

describe("mapTask", () => {
  it("maps a request review task (golden)", () => {
    const task = taskFrom(reviewTask);
    expect(task).toEqual({
      vendor: "cakewalk",
      id: "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
      title: null,
      description: null,
      status: "TODO",
      vendorStatus: "Pending",
      createdAt: "2026-03-20T18:35:10.209Z",
      updatedAt: "2026-03-21T09:02:44.000Z",
      assignees: [{ vendor: "cakewalk", id: "6c95576d-e21e-4b4b-a15f-2a3b507f44c3", kind: "USER", inline: alice }],
      raw: reviewTask.data,
      details: {
        type: "RequestReviewTask",
        request: {
          id: "9b2d4c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
          type: "GrantAccess",
          status: "Pending",
          requestedByUserId: "0a46407a-2d05-4518-add2-6a45185ed99e",
          workAppId: "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a",
          purpose: "Needs Figma for the Q2 design sprint",
        },
        claimers: [
          alice,
          {
            vendor: "cakewalk",
            id: "0a46407a-2d05-4518-add2-6a45185ed99e",
            kind: "USER",
            displayName: "Tom Johnson",
            firstName: null,
            lastName: null,
            email: "tom.johnson@cakeacme.com",
            username: null,
            roles: [],
          },
        ],
        executedBy: null,
        snoozedTill: null,
      },
    });
    expect(CakewalkTask.safeParse(task).success).toBe(true);
  });

  it("maps the vendor docs example, whose extra members it does not read (golden)", () => {
    const text: Person = {
      vendor: "cakewalk",
      id: "123e4567-e89b-12d3-a456-426614174000",
      kind: "USER",
      displayName: "text",
      firstName: null,
      lastName: null,
      email: "text",
      username: null,
      roles: [],
    };
    const task = taskFrom(docsTask);
    expect(task).toEqual({
      vendor: "cakewalk",
      id: "123e4567-e89b-12d3-a456-426614174000",
      title: null,
      description: null,
      status: "DONE",
      vendorStatus: "Approved",
      createdAt: "2025-06-20T21:20:47.191Z",
      updatedAt: "2025-06-20T21:20:47.191Z",
      assignees: [{ vendor: "cakewalk", id: "123e4567-e89b-12d3-a456-426614174000", kind: "USER", inline: text }],
      raw: docsTask.data,
      details: {
        type: "StandAloneBrowserExtensionInstallationTask",
        request: {
          id: "123e4567-e89b-12d3-a456-426614174000",
          type: "text",
          status: "text",
          requestedByUserId: "123e4567-e89b-12d3-a456-426614174000",
          workAppId: "123e4567-e89b-12d3-a456-426614174000",
          purpose: "text",
        },
        claimers: [text],
        executedBy: text,
        snoozedTill: "2025-06-20T21:20:47.191Z",
      },
    });
    expect(CakewalkTask.safeParse(task).success).toBe(true);
  });

  it("keeps an unknown status as UNKNOWN with the raw value, and an unknown type as is", () => {
    const task = taskFrom(withData({ status: "AwaitingManager", type: "RequestEscalationTask" }));
    expect(task.status).toBe("UNKNOWN");
    expect(task.vendorStatus).toBe("AwaitingManager");
    expect(task.details.type).toBe("RequestEscalationTask");
  });

  it.each([
    ["Drafted", "TODO"],
    ["Pending", "TODO"],
    ["NoClaimers", "BLOCKED"],
    ["Blocked", "BLOCKED"],
    ["InProgress", "IN_PROGRESS"],
    ["Approved", "DONE"],
    ["Declined", "CANCELLED"],
    ["Cancelled", "CANCELLED"],
  ])("maps status %s to %s", (status, canonical) => {
    expect(taskFrom(withData({ status })).status).toBe(canonical);
  });

  it("passes unknown fields through to raw", () => {
    const task = taskFrom(withData({ priority: "High", riskScore: 7 }));
    expect(task.raw).toMatchObject({ priority: "High", riskScore: 7 });
  });

  it("accepts a task without the optional members", () => {
    const task = taskFrom(
      withData({}, [
        "assignedUser",
        "claimers",
        "executedByUser",
        "request",
        "snoozedTill",
        "offboardingMetadata",
        "onboardingMetadata",
        "rolledOutByUser",
        "systemExecutionReason",
        "closedReason",
      ]),
    );
    expect(task.assignees).toEqual([]);
    expect(task.details).toEqual({
      type: "RequestReviewTask",
      request: null,
      claimers: [],
      executedBy: null,
      snoozedTill: null,
    });
  });

  it("treats null assignee, claimers and request as absent", () => {
    const task = taskFrom(withData({ assignedUser: null, claimers: null, request: null }));
    expect(task.assignees).toEqual([]);
    expect(task.details.claimers).toEqual([]);
    expect(task.details.request).toBeNull();
  });

  it("keeps a null request purpose as null", () => {
    const task = taskFrom(withData({ request: { ...reviewTask.data.request, requestPurpose: null } }));
    expect(task.details.request?.purpose).toBeNull();
    expect(task.description).toBeNull();
  });

  it("normalizes snoozedTill and reads offsets other than Z", () => {
    const task = taskFrom(withData({ snoozedTill: "2026-04-01T09:00:00+02:00" }));
    expect(task.details.snoozedTill).toBe("2026-04-01T07:00:00.000Z");
  });

  it.each([
    ["createdAt", "createdAt", { createdAt: "20/03/2026 18:35" }],
    ["lastUpdatedAt", "updatedAt", { lastUpdatedAt: "2026-03-21T09:02:44" }],
    ["snoozedTill", "details.snoozedTill", { snoozedTill: "tomorrow" }],
  ] as const)("an unreadable %s costs %s only: null, with the problem naming it", (field, canonical, patch) => {
    const whole = taskFrom(withData({ snoozedTill: "2026-04-01T09:00:00Z" }));
    const task = taskFrom(withData({ snoozedTill: "2026-04-01T09:00:00Z", ...patch }));
    const nulled =
      canonical === "details.snoozedTill"
        ? { details: { ...whole.details, snoozedTill: null } }
        : { [canonical]: null };
    expect(task).toEqual({ ...whole, ...nulled, raw: task.raw, problems: { [canonical]: expect.anything() } });
    const problem = task.problems?.[canonical];
    expect(problem).toBeInstanceOf(VendorContractViolationError);
    expect(problem).toMatchObject({ field, status: 200, traceId: "00-t-01" });
    expect(problem?.message).toContain(field);
  });

  it("rejects a task without its required fields at the wire schema", () => {
    expect(TaskResponseWire.safeParse(withData({}, ["lastUpdatedAt"])).success).toBe(false);
    expect(TaskResponseWire.safeParse(withData({ status: 3 })).success).toBe(false);
    expect(TaskResponseWire.safeParse(reviewTask.data).success).toBe(false);
  });
});

describe("mapUser", () => {
  it("maps the vendor docs example (golden)", () => {
    const wire = UserResponseWire.parse(docsUser);
    expect(mapUser(wire.data)).toEqual({
      vendor: "cakewalk",
      id: "123e4567-e89b-12d3-a456-426614174000",
      kind: "USER",
      displayName: "text",
      firstName: null,
      lastName: null,
      email: "text",
      username: null,
      roles: ["User"],
    });
  });

  it("has no roles when roleName is absent or null", () => {
    const { roleName: _dropped, ...rest } = docsUser.data;
    expect(mapUser(UserResponseWire.parse({ data: rest }).data).roles).toEqual([]);
    expect(mapUser(UserResponseWire.parse({ data: { ...rest, roleName: null } }).data).roles).toEqual([]);
  });

  it("produces a valid canonical person", () => {
    expect(Person.safeParse(mapUser(UserResponseWire.parse(docsUser).data)).success).toBe(true);
  });
});
