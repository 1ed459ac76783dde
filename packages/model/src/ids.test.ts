import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.ts";
import { canonicalIdBy, parseUuid } from "./ids.ts";

const FORMAT = "a UUID";

describe("parseUuid", () => {
  it.each([
    ["3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10", "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10"],
    ["3F1C2A9E-7B4D-4E8A-9C61-0D5E8F2B7A10", "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10"],
    ["00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"],
  ])("reads %s as %s", (input, expected) => {
    expect(parseUuid(input, "id", FORMAT)).toBe(expected);
  });

  it.each([
    "",
    "3f1c2a9e7b4d4e8a9c610d5e8f2b7a10",
    "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a1",
    "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10 ",
    "{3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10}",
    "../3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a1",
    "g f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
    42,
    null,
  ])("refuses %j, naming the field and the form, not the value", (input) => {
    let error: unknown;
    try {
      parseUuid(input, "refs.0.id", FORMAT);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "refs.0.id", message: `refs.0.id: expected ${FORMAT}` });
  });
});

describe("canonicalIdBy", () => {
  const parsers = { task: (id: string) => parseUuid(id, "id", FORMAT) };

  it("spells an id of a kind with a parser as the parser does, and leaves the rest as given", () => {
    expect(canonicalIdBy(parsers, "3F1C2A9E-7B4D-4E8A-9C61-0D5E8F2B7A10", "task")).toBe(
      "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
    );
    expect(canonicalIdBy(parsers, "Project-A", "project")).toBe("Project-A");
    // Not an id of that kind: the call that uses it refuses it, naming its own field.
    expect(canonicalIdBy(parsers, "NOT-A-UUID", "task")).toBe("NOT-A-UUID");
  });

  it("lets a programming error through", () => {
    const broken = () => {
      throw new TypeError("bug");
    };
    expect(() => canonicalIdBy({ task: broken }, "x", "task")).toThrow(TypeError);
  });
});
