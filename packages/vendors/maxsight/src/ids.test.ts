import { InvalidInputError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { parseId } from "./ids.ts";

describe("parseId", () => {
  it("accepts a dashed UUID and sends it in lowercase", () => {
    expect(parseId("497f6eca-6276-4993-bfeb-53cbbbba6f08")).toBe("497f6eca-6276-4993-bfeb-53cbbbba6f08");
    expect(parseId("497F6ECA-6276-4993-BFEB-53CBBBBA6F08")).toBe("497f6eca-6276-4993-bfeb-53cbbbba6f08");
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
    const thrown = (() => {
      try {
        parseId(id);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field: "id" });
  });

  it("rejects a non-string at runtime", () => {
    expect(() => parseId(42 as unknown as string)).toThrow(InvalidInputError);
  });
});
