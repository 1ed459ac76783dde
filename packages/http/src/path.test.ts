import { InvalidInputError } from "@taskbridge/model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeSegment, path } from "./path.ts";
import { requestTarget } from "./url.ts";

/** The segments a server sees after the URL is parsed and each segment decoded. */
function segmentsOf(target: string): { segments: string[]; search: string; hash: string } {
  const url = new URL(target, "https://vendor.test");
  return { segments: url.pathname.split("/").slice(1).map(decodeURIComponent), search: url.search, hash: url.hash };
}

const NASTY = [
  "../admin",
  "a/b?c=1",
  "%2e%2e",
  "%2E%2E%2Fadmin",
  "#x",
  "?x=1",
  "a b",
  "ünï/çødé",
  "😀",
  "..%2f",
  ".x",
  "x.",
];

describe("path", () => {
  it.each(NASTY)("keeps %j as exactly one segment with no query or fragment", (id) => {
    const target = requestTarget("/api", path`/v2/tasks/${id}/notes`, undefined);
    expect(segmentsOf(target)).toEqual({ segments: ["api", "v2", "tasks", id, "notes"], search: "", hash: "" });
  });

  it.each(["", ".", ".."])("refuses %j, which no encoding keeps a segment", (id) => {
    expect(() => path`/v2/tasks/${id}`).toThrow(InvalidInputError);
  });

  it("refuses a string that is not well-formed Unicode", () => {
    expect(() => encodeSegment("a\uD800b")).toThrow(InvalidInputError);
  });

  it("any string id stays exactly one segment after URL parsing (property)", () => {
    const pieces = fc.constantFrom(".", "..", "/", "?", "#", "%", "%2e", "%2F", "\\", ";", "&", "=", " ", "é", "😀");
    const id = fc
      .oneof(
        fc.string({ unit: "grapheme" }),
        fc.array(fc.oneof(pieces, fc.string()), { maxLength: 6 }).map((a) => a.join("")),
      )
      .filter((s) => s !== "" && s !== "." && s !== "..");
    fc.assert(
      fc.property(id, id, (a, b) => {
        const target = requestTarget("/api", path`/v1/${a}/x/${b}`, { q: a });
        const url = new URL(target, "https://vendor.test");
        expect(url.pathname.split("/").slice(1).map(decodeURIComponent)).toEqual(["api", "v1", a, "x", b]);
        expect(url.hash).toBe("");
        expect([...url.searchParams.entries()]).toEqual([["q", a]]);
      }),
      { numRuns: 500 },
    );
  });
});
