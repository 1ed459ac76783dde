import { InvalidInputError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { parseMaxsightTaskId } from "./ids.ts";

describe("parseMaxsightTaskId", () => {
  it("accepts a dashed UUID and sends it in lowercase", () => {
    expect(parseMaxsightTaskId("497f6eca-6276-4993-bfeb-53cbbbba6f08")).toBe("497f6eca-6276-4993-bfeb-53cbbbba6f08");
    expect(parseMaxsightTaskId("497F6ECA-6276-4993-BFEB-53CBBBBA6F08")).toBe("497f6eca-6276-4993-bfeb-53cbbbba6f08");
  });

  it.each([
    "",
    "497f6eca62764993bfeb53cbbbba6f08",
    "tsk_497f6eca62764993bfeb53cbbbba6f08",
    " 497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "497f6eca-6276-4993-bfeb-53cbbbba6f08\n",
    "497f6eca-6276-4993-bfeb-53cbbbba6f0g",
    "../497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "497f6eca-6276-4993-bfeb-53cbbbba6f08/assign",
  ])("rejects %j with InvalidInputError on the id field", (id) => {
    expect(() => parseMaxsightTaskId(id)).toThrow(InvalidInputError);
    try {
      parseMaxsightTaskId(id);
    } catch (error) {
      expect((error as InvalidInputError).field).toBe("id");
    }
  });

  it("rejects a non-string at runtime", () => {
    expect(() => parseMaxsightTaskId(42 as unknown as string)).toThrow(InvalidInputError);
  });
});
