import { InvalidInputError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { parseId } from "./ids.ts";

describe("parseId", () => {
  it("accepts the seed's example UUID unchanged", () => {
    expect(parseId("550e8400-e29b-41d4-a716-446655440000")).toBe("550e8400-e29b-41d4-a716-446655440000");
  });

  it("lower-cases an upper-case UUID (canonical form)", () => {
    expect(parseId("550E8400-E29B-41D4-A716-446655440000")).toBe("550e8400-e29b-41d4-a716-446655440000");
  });

  it.each([
    "",
    "SCO-123",
    "550e8400e29b41d4a716446655440000",
    "550e8400-e29b-41d4-a716-44665544000",
    "550e8400-e29b-41d4-a716-4466554400000",
    " 550e8400-e29b-41d4-a716-446655440000",
    "550e8400-e29b-41d4-a716-44665544000g",
    "../550e8400-e29b-41d4-a716-446655440000",
    "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
  ])("rejects %j with InvalidInputError naming the field", (id) => {
    expect(() => parseId(id)).toThrow(InvalidInputError);
    expect(() => parseId(id, "taskId")).toThrow(/^taskId: /);
  });
});
