import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalStatus, STATUS_TABLES, statusFrom, TASK_STATUSES, type TaskStatus } from "./status.ts";
import { KNOWN_VENDORS, type KnownVendor } from "./vendor.ts";

// Each vendor's documented status enum and where we map it; copied from the vendor specs (Max AI v2
// `ExternalTaskResponse.status`, Cakewalk `TaskStatus`, Capy v1 `Task.status`, Maxsight v5 + legacy API).
const DOCUMENTED: Record<KnownVendor, Record<string, TaskStatus>> = {
  maxai: {
    new: "TODO",
    not_started: "TODO",
    in_progress: "IN_PROGRESS",
    completed: "DONE",
    cancelled: "CANCELLED",
    deleted: "ARCHIVED",
  },
  cakewalk: {
    Approved: "DONE",
    Declined: "CANCELLED",
    InProgress: "IN_PROGRESS",
    Pending: "TODO",
    Blocked: "BLOCKED",
    Drafted: "TODO",
    NoClaimers: "BLOCKED",
    Cancelled: "CANCELLED",
  },
  capy: {
    backlog: "TODO",
    queued: "TODO",
    in_progress: "IN_PROGRESS",
    needs_review: "IN_REVIEW",
    completed: "DONE",
    error: "FAILED",
    archived: "ARCHIVED",
  },
  maxsight: {
    INCOMPLETE: "IN_PROGRESS",
    COMPLETED_PASS: "DONE",
    COMPLETED_FAIL: "FAILED",
  },
};

const PROTOTYPE_KEYS = [
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupGetter__",
];

const vendorArb = fc.constantFrom(...KNOWN_VENDORS);
// Plain strings rarely hit a table key, so mix in every known value, their case variants and prototype keys.
const knownValues = KNOWN_VENDORS.flatMap((v) => Object.keys(DOCUMENTED[v]));
const statusArb = fc.oneof(
  fc.string(),
  // Any UTF-16 code unit, lone surrogates included (cheaper to build than fast-check's "binary" unit).
  fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)) }),
  fc.constantFrom(...knownValues),
  fc.constantFrom(...knownValues).map((s) => s.toUpperCase()),
  fc.constantFrom(...knownValues).map((s) => s.toLowerCase()),
  fc.constantFrom(...knownValues).map((s) => ` ${s}`),
  fc.constantFrom(...PROTOTYPE_KEYS),
);

describe("canonicalStatus", () => {
  it("never throws and always returns a canonical status, for every vendor and any string", () => {
    fc.assert(
      fc.property(vendorArb, statusArb, (vendor, raw) => {
        expect(TASK_STATUSES).toContain(canonicalStatus(vendor, raw));
      }),
      { numRuns: 2_000 },
    );
  });

  it("returns the table's value for a documented value and UNKNOWN for anything else", () => {
    fc.assert(
      fc.property(vendorArb, statusArb, (vendor, raw) => {
        const documented = DOCUMENTED[vendor];
        const expected = Object.hasOwn(documented, raw) ? documented[raw] : "UNKNOWN";
        expect(canonicalStatus(vendor, raw)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  for (const vendor of KNOWN_VENDORS) {
    describe(vendor, () => {
      it("has a table covering exactly the vendor's documented enum", () => {
        expect(Object.keys(STATUS_TABLES[vendor]).sort()).toEqual(Object.keys(DOCUMENTED[vendor]).sort());
      });

      for (const [raw, expected] of Object.entries(DOCUMENTED[vendor])) {
        it(`maps ${JSON.stringify(raw)} to ${expected}`, () => {
          expect(canonicalStatus(vendor, raw)).toBe(expected);
        });
      }

      it("maps case variants, padded values and the empty string to UNKNOWN (matching is exact)", () => {
        for (const raw of Object.keys(DOCUMENTED[vendor])) {
          for (const variant of [raw.toUpperCase(), raw.toLowerCase(), `${raw} `, ` ${raw}`]) {
            if (variant !== raw) expect(canonicalStatus(vendor, variant)).toBe("UNKNOWN");
          }
        }
        expect(canonicalStatus(vendor, "")).toBe("UNKNOWN");
      });

      it("maps Object.prototype keys to UNKNOWN instead of reaching the prototype", () => {
        for (const raw of PROTOTYPE_KEYS) expect(canonicalStatus(vendor, raw)).toBe("UNKNOWN");
      });
    });
  }

  it("maps values from another vendor's enum or a later API version to UNKNOWN", () => {
    expect(canonicalStatus("maxai", "COMPLETED")).toBe("UNKNOWN");
    expect(canonicalStatus("maxsight", "completed")).toBe("UNKNOWN");
    expect(canonicalStatus("cakewalk", "in_progress")).toBe("UNKNOWN");
    // Capy's August 2026 statuses, not in the v1 spec we map.
    for (const raw of ["working", "waiting", "idle", "done", "failed"]) {
      expect(canonicalStatus("capy", raw)).toBe("UNKNOWN");
    }
  });

  it("does not throw for an untyped caller passing a vendor or value that is not one", () => {
    const untyped = canonicalStatus as (vendor: unknown, raw: unknown) => TaskStatus;
    expect(untyped("__proto__", "toString")).toBe("UNKNOWN");
    expect(untyped("jira", "done")).toBe("UNKNOWN");
    expect(untyped(undefined, "new")).toBe("UNKNOWN");
    expect(untyped("maxai", null)).toBe("UNKNOWN");
    expect(untyped("maxai", undefined)).toBe("UNKNOWN");
  });

  it("keeps the tables frozen so no caller can change a mapping at run time", () => {
    expect(Object.isFrozen(STATUS_TABLES)).toBe(true);
    for (const vendor of KNOWN_VENDORS) expect(Object.isFrozen(STATUS_TABLES[vendor])).toBe(true);
  });

  it("never maps a known value to UNKNOWN", () => {
    for (const vendor of KNOWN_VENDORS) {
      for (const value of Object.values(STATUS_TABLES[vendor])) expect(value).not.toBe("UNKNOWN");
    }
  });
});

describe("statusFrom", () => {
  const table = { open: "TODO", shipped: "DONE" } as const;

  it("maps a value through a vendor's own table, exactly", () => {
    expect(statusFrom(table, "open")).toBe("TODO");
    expect(statusFrom(table, "shipped")).toBe("DONE");
    expect(statusFrom(table, "Open")).toBe("UNKNOWN");
  });

  it("never reaches Object.prototype and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS)), (value) => {
        const status = statusFrom(table, value);
        expect(TASK_STATUSES).toContain(status);
        if (!Object.hasOwn(table, value)) expect(status).toBe("UNKNOWN");
      }),
    );
  });
});
