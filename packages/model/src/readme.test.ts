import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STATUS_TABLES } from "./status.ts";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const VENDOR_HEADINGS = { "Max AI": "maxai", Cakewalk: "cakewalk", Capy: "capy", Maxsight: "maxsight" } as const;

/** The README's status table under `**<vendor>**`, as value → canonical status. */
function documentedTable(heading: string): Record<string, string> {
  const start = README.indexOf(`**${heading}**`);
  const rows = README.slice(start).split("\n\n")[1] ?? "";
  return Object.fromEntries(
    [...rows.matchAll(/^\| `([^`]+)` +\| ([A-Z_]+) +\|$/gm)].map(([, value, status]) => [value, status]),
  );
}

describe("the README's status tables", () => {
  it.each(Object.entries(VENDOR_HEADINGS))("%s: exactly the code's table", (heading, vendor) => {
    expect(documentedTable(heading)).toEqual(STATUS_TABLES[vendor]);
  });
});
