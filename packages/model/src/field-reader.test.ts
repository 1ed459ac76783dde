import { describe, expect, it } from "vitest";
import { fieldViolation, VendorContractViolationError } from "./errors.ts";
import { expectAnsweredId, fieldReader, problemOf, withAnswer } from "./field-reader.ts";

const answer = { status: 200, traceId: "trace-1" };

describe("fieldReader", () => {
  it("sets an unreadable timestamp aside as that field's problem, with the answer's status", () => {
    const read = fieldReader<"createdAt" | "updatedAt">("capy", answer);
    const task = read.finish({
      createdAt: read.timestamp("createdAt", "yesterday", "createdAt"),
      updatedAt: read.timestamp("updatedAt", "2026-03-20 18:35:10.209452+00", "updatedAt"),
    });
    expect(task.createdAt).toBeNull();
    expect(task.updatedAt).toBe("2026-03-20T18:35:10.209Z");
    const problem = task.problems?.createdAt;
    expect(problem).toBeInstanceOf(VendorContractViolationError);
    expect(problem).toMatchObject({ vendor: "capy", field: "createdAt", status: 200, traceId: "trace-1" });
    expect(problem?.message).not.toContain("yesterday");
    expect(Object.keys(task.problems ?? {})).toEqual(["createdAt"]);
  });

  it("adds no problems key when every field was read", () => {
    const read = fieldReader<"createdAt">("capy", answer);
    expect(read.finish({ createdAt: read.timestamp("createdAt", "2026-01-01T00:00:00Z", "createdAt") })).toEqual({
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    expect("problems" in read.finish({})).toBe(false);
  });

  it("reads integers exactly up to ±(2^53 − 1) and sets every other number aside", () => {
    const read = fieldReader<"v">("maxsight", answer);
    expect(read.safeInteger("v", 2147483648, "data_version")).toBe(2147483648);
    expect(read.safeInteger("v", -(2 ** 53 - 1), "data_version")).toBe(-(2 ** 53 - 1));
    for (const odd of [2 ** 53, 1e300, 1.5, Number.POSITIVE_INFINITY, "7"]) {
      const each = fieldReader<"v">("maxsight", answer);
      expect(each.safeInteger("v", odd, "data_version")).toBeNull();
      expect(each.finish({}).problems?.v).toMatchObject({ field: "data_version", status: 200 });
    }
  });

  it("lets errors that are not contract violations through", () => {
    const read = fieldReader<"x">("capy", answer);
    expect(() =>
      read.field("x", () => {
        throw new TypeError("a bug");
      }),
    ).toThrow(TypeError);
  });

  it("fails the whole payload for its identity, with the answer's status", () => {
    const read = fieldReader("maxai", { status: 201 });
    const thrown = (() => {
      try {
        read.identity(() => {
          throw fieldViolation("maxai", "id", "not a Max AI task id");
        });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ kind: "contract_violation", field: "id", status: 201 });
  });
});

describe("withAnswer", () => {
  it("keeps a violation that already names its answer", () => {
    const named = new VendorContractViolationError("capy", "m", { status: 502 });
    expect(withAnswer(named, answer)).toBe(named);
  });
});

describe("expectAnsweredId", () => {
  const task = { vendor: "maxsight" as const, id: "A1" };
  it("passes the task asked for and refuses another, naming the id field and the answer's status", () => {
    expect(expectAnsweredId(task, "A1", answer)).toBe(task);
    expect(expectAnsweredId(task, "a1", answer, (a, b) => a === b.toLowerCase())).toBe(task);
    expect(() => expectAnsweredId(task, "B2", answer)).toThrow(
      expect.objectContaining({ kind: "contract_violation", field: "id", status: 200, traceId: "trace-1" }),
    );
  });
});

describe("problemOf", () => {
  it("reads a task's problem back as it was, also after the task went through JSON", () => {
    const read = fieldReader<"createdAt">("capy", answer);
    const task = {
      vendor: "capy" as const,
      ...read.finish({ createdAt: read.timestamp("createdAt", "soon", "created") }),
    };
    const stored = JSON.parse(JSON.stringify(task));
    for (const copy of [task, stored]) {
      const problem = problemOf(copy, "createdAt");
      expect(problem).toBeInstanceOf(VendorContractViolationError);
      expect(problem).toMatchObject({ vendor: "capy", field: "created", status: 200, traceId: "trace-1" });
      expect(problem?.message).toBe(task.problems?.createdAt?.message);
      expect(problemOf(copy, "updatedAt")).toBeUndefined();
    }
  });
});
