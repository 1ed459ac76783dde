import { describe, expect, it } from "vitest";
import { printable } from "./printable.ts";

describe("printable", () => {
  it("puts a vendor's text on one printable line: each run of control characters becomes one space", () => {
    expect(printable("bad\u0000input\r\n\u001b[31mred\u001b[0m\u2028next\u0085end\t ")).toBe(
      "bad input [31mred [0m next end",
    );
    expect(printable("\n\u0007")).toBe("");
  });

  it("keeps other text as it is, and mends a surrogate pair cut in half", () => {
    expect(printable("Déjà vu — 版本 😀")).toBe("Déjà vu — 版本 😀");
    expect(printable("cut 😀".slice(0, -1))).toBe("cut \ufffd");
  });
});
