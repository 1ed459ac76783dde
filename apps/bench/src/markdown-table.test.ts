import { describe, expect, it } from "vitest";
import { alignTables } from "./markdown-table.ts";

describe("alignTables", () => {
  it("pads columns to their widest cell: left-aligned at the end, right-aligned at the start", () => {
    const text = [
      "Before.",
      "",
      "| query | req/s | |",
      "|---|---:|---|",
      "| task (Max AI) | 7.5 | met |",
      "| x | 12345.6 | MISSED |",
      "",
      "After.",
    ].join("\n");
    expect(alignTables(text)).toBe(
      [
        "Before.",
        "",
        "| query         |   req/s |        |",
        "| ------------- | ------: | ------ |",
        "| task (Max AI) |     7.5 | met    |",
        "| x             | 12345.6 | MISSED |",
        "",
        "After.",
      ].join("\n"),
    );
  });

  it("counts characters, not UTF-16 units or bytes, and leaves text without tables as it is", () => {
    expect(alignTables("| a | b |\n|---|---:|\n| ≥ 0.6× | – |")).toBe(
      "| a      |   b |\n| ------ | --: |\n| ≥ 0.6× |   – |",
    );
    expect(alignTables("no | table here\n")).toBe("no | table here\n");
  });
});
