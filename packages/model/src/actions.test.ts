import { describe, expect, expectTypeOf, it } from "vitest";
import {
  parseTaskAction,
  readAfterAction,
  type TASK_ACTION_KINDS,
  type TaskAction,
  type TaskActionKind,
} from "./actions.ts";
import { InvalidInputError, VendorTimeoutError } from "./errors.ts";

describe("TaskAction", () => {
  it("lists every kind of the union", () => {
    expectTypeOf<(typeof TASK_ACTION_KINDS)[number]>().toEqualTypeOf<TaskActionKind>();
  });

  it.each<TaskAction>([
    { kind: "approve" },
    { kind: "decline", comment: "not needed for the role" },
    { kind: "stop", reason: "wrong branch" },
    { kind: "message", text: "Use the v2 endpoint", attachmentUrls: ["https://example.com/spec.pdf"] },
    { kind: "assign", assignee: { id: "u-1", kind: "TEAM" }, expectedVersion: "2026-03-01T10:00:00Z", actorId: "u-2" },
    { kind: "unassign", expectedVersion: "2026-03-01T10:00:00Z" },
    { kind: "unassign", expectedVersion: 'W/"rev 42"' },
    // Text the vendor keeps arrives exactly as given: leading indentation, trailing newline.
    { kind: "message", text: "    npm test -- --watch\n\nThis hangs.\n" },
    { kind: "stop", reason: " wrong branch\n" },
    { kind: "approve", comment: "\tapproved by the owner " },
  ])("accepts $kind", (action) => {
    expect(parseTaskAction(action)).toEqual(action);
  });

  it("trims ids, never the text the vendor keeps", () => {
    const action = { kind: "assign", assignee: { id: " u-1 ", kind: "USER" }, expectedVersion: "v", comment: " a " };
    expect(parseTaskAction({ ...action, actorId: "u-2\n" })).toEqual({
      ...action,
      assignee: { id: "u-1", kind: "USER" },
      actorId: "u-2",
    });
  });

  it.each([
    [{ kind: "archive" }, "kind"],
    [{ kind: "message", text: "  " }, "text"],
    [{ kind: "message", text: "" }, "text"],
    [{ kind: "stop", reason: "\n" }, "reason"],
    [{ kind: "message", text: "hi", attachmentUrls: ["file:///etc/passwd"] }, "attachmentUrls.0"],
    [{ kind: "assign", assignee: { id: "u-1", kind: "GROUP" }, expectedVersion: "v" }, "assignee.kind"],
    [{ kind: "assign", assignee: { id: "u-1", kind: "USER" } }, "expectedVersion"],
    // A version goes into a header (If-Match): nothing undici refuses, nothing a trim would change.
    [{ kind: "unassign", expectedVersion: "2026-03-13T19:04:13Z\r\nX-Evil: 1" }, "expectedVersion"],
    [{ kind: "unassign", expectedVersion: "2026-03-13T19:04:13Z\n" }, "expectedVersion"],
    [{ kind: "unassign", expectedVersion: " 2026-03-13T19:04:13Z" }, "expectedVersion"],
    [{ kind: "unassign", expectedVersion: "v\u7248" }, "expectedVersion"],
    [{ kind: "unassign", expectedVersion: "" }, "expectedVersion"],
    [{ kind: "approve", comment: "x".repeat(2_001) }, "comment"],
    [null, "action"],
  ])("refuses %j, naming %s", (input, field) => {
    expect(() => parseTaskAction(input)).toThrow(InvalidInputError);
    expect(() => parseTaskAction(input)).toThrow(expect.objectContaining({ field }));
  });
});

describe("readAfterAction", () => {
  it("gives the task read after an action, or null when that read fails with a vendor error", async () => {
    expect(await readAfterAction(async () => ({ id: "t-1" }))).toEqual({ id: "t-1" });
    expect(await readAfterAction(async () => null)).toBeNull();
    const timeout = async () => {
      throw new VendorTimeoutError("capy", "capy getTask: timed out");
    };
    expect(await readAfterAction(timeout)).toBeNull();
  });

  it("lets a programming error through", async () => {
    const bug = async () => {
      throw new TypeError("x is undefined");
    };
    await expect(readAfterAction(bug)).rejects.toThrow(TypeError);
  });
});
