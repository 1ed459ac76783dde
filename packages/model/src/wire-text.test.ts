import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.ts";
import { checkWireText, isWireText } from "./wire-text.ts";

describe("isWireText", () => {
  it("header: visible ASCII with inner spaces, exactly as given", () => {
    for (const ok of ["2026-03-13T19:04:13Z", 'W/"rev 42"', "a", ""]) expect(isWireText(ok, "header")).toBe(true);
    for (const bad of ["v\r\nX-Evil: 1", "v\n", "v\t1", " v", "v ", "v\u0000", "v\u007f", "caf\u00e9", "v\u7248"]) {
      expect(isWireText(bad, "header")).toBe(false);
    }
  });

  it("url: any well-formed text without control characters", () => {
    for (const ok of ["proj 1", "feature/é-版", "😀", ""]) expect(isWireText(ok, "url")).toBe(true);
    for (const bad of ["p\r\n", "p\u0000", "p\u0085", "p\u007f", "p\ud800", "\udc00p"]) {
      expect(isWireText(bad, "url")).toBe(false);
    }
  });
});

describe("checkWireText", () => {
  it("returns the value, or an InvalidInputError naming the field and never the value", () => {
    expect(checkWireText("main", "vendorFilter.branch", "url")).toBe("main");
    expect(() => checkWireText("secret\n", "vendorFilter.branch", "url")).toThrow(
      new InvalidInputError("vendorFilter.branch", "expected text without control characters"),
    );
  });
});
