import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VENDOR_ERROR_KINDS, VendorError } from "./errors.ts";
import { STATUS_TABLES } from "./status.ts";
import { CAKEWALK_UNREADABLE, CAPY_UNREADABLE, MAXAI_UNREADABLE, MAXSIGHT_UNREADABLE } from "./task.ts";

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

describe("the README's error kinds", () => {
  /** The Errors table's rows, as kind → whether its Retryable column says yes. */
  function documentedKinds(): Record<string, boolean> {
    return Object.fromEntries(
      [...README.matchAll(/^\| `([a-z_]+)` +\| `Vendor\w*Error` +\|.*\| (yes|no) +\|$/gm)].map(([, kind, yes]) => [
        kind,
        yes === "yes",
      ]),
    );
  }

  it("are every VendorErrorKind, each retryable exactly when its errors are", () => {
    const actual = Object.fromEntries(
      VENDOR_ERROR_KINDS.map((kind) => [kind, new VendorError(kind, "maxai", "a failure").retryable]),
    );
    expect(documentedKinds()).toEqual(actual);
  });
});

describe("the README's table of fields a vendor's answer can leave unreadable", () => {
  it("lists, per vendor, exactly the task schema's unreadable fields", () => {
    const start = README.indexOf("The task schemas' `problems` keys are the only fields");
    const rows = README.slice(start).split("\n\n")[1] ?? "";
    const documented = Object.fromEntries(
      [...rows.matchAll(/^\| `([a-z]+)` +\| (.+?) +\|$/gm)].map(([, vendor, cell]) => [
        vendor,
        [...(cell ?? "").replace(/\([^)]*\)/g, "").matchAll(/`([\w.]+)`/g)].map(([, field]) => field),
      ]),
    );
    expect(documented).toEqual({
      maxai: [...MAXAI_UNREADABLE],
      cakewalk: [...CAKEWALK_UNREADABLE],
      capy: [...CAPY_UNREADABLE],
      maxsight: [...MAXSIGHT_UNREADABLE],
    });
  });
});
