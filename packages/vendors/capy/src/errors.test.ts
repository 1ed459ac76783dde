import { describe, expect, it } from "vitest";
import { readCapyError } from "./errors.ts";
import envelope from "./fixtures/error.json" with { type: "json" };
import tagged from "./fixtures/error-tagged.json" with { type: "json" };

describe("readCapyError", () => {
  it("reads code and message from the v1 envelope and leaves the kind to the status", () => {
    expect(readCapyError({ status: 404, headers: {}, body: envelope })).toEqual({
      traceId: undefined,
      detail: "not_found: Task not found",
    });
  });

  it("reads the tagged error of the later spec", () => {
    expect(readCapyError({ status: 404, headers: {}, body: tagged }).detail).toBe("capy/TaskNotFound");
    expect(readCapyError({ status: 404, headers: {}, body: { ...tagged, message: "gone" } }).detail).toBe(
      "capy/TaskNotFound: gone",
    );
  });

  it("takes the trace id from x-request-id when present", () => {
    expect(readCapyError({ status: 500, headers: { "x-request-id": "req_123" }, body: undefined })).toEqual({
      traceId: "req_123",
      detail: undefined,
    });
  });

  it("ignores bodies that are neither form", () => {
    for (const body of [undefined, null, "oops", [], { message: "x" }, { error: "x" }]) {
      expect(readCapyError({ status: 500, headers: {}, body }).detail).toBeUndefined();
    }
  });
});
