import { InvalidInputError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { parseId } from "./ids.ts";

describe("parseId", () => {
  it("accepts a dashed UUID and returns it lowercase", () => {
    expect(parseId("3F1C2A9E-7B4D-4E8A-9C61-0D5E8F2B7A10", "id")).toBe("3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10");
  });

  it("accepts Guids that are not RFC 4122 version 4 (the vendor's docs example is version 1)", () => {
    expect(parseId("123e4567-e89b-12d3-a456-426614174000", "id")).toBe("123e4567-e89b-12d3-a456-426614174000");
  });

  it.each([
    "",
    "3f1c2a9e7b4d4e8a9c610d5e8f2b7a10",
    "{3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10}",
    " 3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
    "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a1g",
    "../Users/3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
    "tsk_3f1c2a9e7b4d4e8a9c610d5e8f2b7a10",
  ])("rejects %j with InvalidInputError naming the field", (value) => {
    expect(() => parseId(value, "taskId")).toThrow(InvalidInputError);
    expect(() => parseId(value, "taskId")).toThrow(/^taskId: /);
  });

  it("rejects values that are not strings", () => {
    expect(() => parseId(42, "id")).toThrow(InvalidInputError);
    expect(() => parseId(undefined, "id")).toThrow(InvalidInputError);
  });
});
