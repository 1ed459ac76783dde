import { describe, expect, it } from "vitest";
import {
  fieldViolation,
  InvalidInputError,
  VENDOR_ERROR_KINDS,
  VendorBadRequestError,
  VendorConflictError,
  VendorContractViolationError,
  VendorError,
  type VendorErrorDetails,
  type VendorErrorKind,
  VendorForbiddenError,
  VendorNetworkError,
  VendorNotConfiguredError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "./errors.ts";
import type { Vendor } from "./vendor.ts";

type Ctor = new (vendor: Vendor, message: string, details?: VendorErrorDetails) => VendorError;

// kind → [class, retryable]: the documented taxonomy.
const TAXONOMY: Record<VendorErrorKind, [Ctor, boolean]> = {
  not_found: [VendorNotFoundError, false],
  unauthorized: [VendorUnauthorizedError, false],
  forbidden: [VendorForbiddenError, false],
  bad_request: [VendorBadRequestError, false],
  rate_limited: [VendorRateLimitedError, true],
  conflict: [VendorConflictError, false],
  unavailable: [VendorUnavailableError, true],
  timeout: [VendorTimeoutError, true],
  network: [VendorNetworkError, true],
  contract_violation: [VendorContractViolationError, false],
  not_configured: [VendorNotConfiguredError, false],
};

const JSON_KEYS = ["name", "kind", "vendor", "status", "traceId", "retryAfterMs", "retryable", "message"];

// What a careless caller might put in `cause`: a transport object holding the credential.
const SECRET = "max_dev_ak_4f9c2e7a1b3d5e6f";
const details: VendorErrorDetails = {
  status: 503,
  traceId: "trace-123",
  retryAfterMs: 1_500,
  detail: "upstream busy",
  cause: { request: { headers: { authorization: `Bearer ${SECRET}` } } },
};

describe("VendorError family", () => {
  it("has one class for every kind", () => {
    expect(Object.keys(TAXONOMY).sort()).toEqual([...VENDOR_ERROR_KINDS].sort());
  });

  for (const [kind, [Class, retryable]] of Object.entries(TAXONOMY)) {
    describe(Class.name, () => {
      const error = new Class("maxai", `maxai getTask: ${kind}`, details);

      it(`has kind ${kind}, retryable ${retryable}, and its own name`, () => {
        expect(error.kind).toBe(kind);
        expect(error.retryable).toBe(retryable);
        expect(error.name).toBe(Class.name);
        expect(Class.name).toMatch(/^Vendor[A-Za-z]+Error$/);
      });

      it("is an instance of its class, VendorError and Error, and of no sibling class", () => {
        expect(error).toBeInstanceOf(Class);
        expect(error).toBeInstanceOf(VendorError);
        expect(error).toBeInstanceOf(Error);
        for (const [otherKind, [Other]] of Object.entries(TAXONOMY)) {
          if (otherKind !== kind) expect(error).not.toBeInstanceOf(Other);
        }
      });

      it("carries vendor, status, trace id, retry-after, detail and cause", () => {
        expect(error.vendor).toBe("maxai");
        expect(error.status).toBe(503);
        expect(error.traceId).toBe("trace-123");
        expect(error.retryAfterMs).toBe(1_500);
        expect(error.detail).toBe("upstream busy");
        expect(error.cause).toBe(details.cause);
        expect(error.stack).toContain(Class.name);
      });

      it("serialises exactly the documented keys, and never the cause", () => {
        const json = error.toJSON();
        const extra =
          { rate_limited: ["limitedBy"], conflict: ["currentVersion"], contract_violation: ["field"] }[
            kind as string
          ] ?? [];
        const expectedKeys = [...JSON_KEYS, ...extra];
        expect(Object.keys(json).sort()).toEqual([...expectedKeys].sort());
        expect(json).toMatchObject({ name: Class.name, kind, vendor: "maxai", status: 503, traceId: "trace-123" });
        expect(JSON.stringify(error)).not.toContain(SECRET);
        expect(String(error)).toBe(`${Class.name}: maxai getTask: ${kind}`);
        expect(String(error)).not.toContain(SECRET);
      });

      it("works without details", () => {
        const bare = new Class("capy", "no details");
        expect(bare.status).toBeUndefined();
        expect(bare.cause).toBeUndefined();
        expect("cause" in bare).toBe(false);
        expect(JSON.parse(JSON.stringify(bare))).toEqual({
          name: Class.name,
          kind,
          vendor: "capy",
          retryable,
          message: "no details",
          ...(kind === "rate_limited" ? { limitedBy: "vendor" } : {}),
        });
      });
    });
  }

  it("tells the vendor's 429 from Taskbridge's own budget", () => {
    expect(new VendorRateLimitedError("cakewalk", "429").limitedBy).toBe("vendor");
    const ours = new VendorRateLimitedError("cakewalk", "budget spent", { limitedBy: "taskbridge", retryAfterMs: 200 });
    expect(ours.limitedBy).toBe("taskbridge");
    expect(ours.toJSON()).toMatchObject({ limitedBy: "taskbridge", retryAfterMs: 200, retryable: true });
  });

  it("carries the current version of a conflict when it is known, and serialises it", () => {
    const stale = new VendorConflictError("maxsight", "version mismatch", {
      status: 412,
      currentVersion: "2026-03-02T10:00:00Z",
    });
    expect(stale.currentVersion).toBe("2026-03-02T10:00:00Z");
    expect(stale.toJSON()).toMatchObject({ kind: "conflict", status: 412, currentVersion: "2026-03-02T10:00:00Z" });
    expect(new VendorConflictError("cakewalk", "already approved").currentVersion).toBeUndefined();
  });

  it("lets a base VendorError be built for any kind, with retryable following the kind", () => {
    for (const [kind, [, retryable]] of Object.entries(TAXONOMY)) {
      expect(new VendorError(kind as VendorErrorKind, "maxsight", "x").retryable).toBe(retryable);
    }
  });
});

describe("InvalidInputError", () => {
  it("names the field in its message and is not a VendorError (no vendor was asked)", () => {
    const error = new InvalidInputError("id", "must be a Max AI task id (tsk_… or a UUID)");
    expect(error.field).toBe("id");
    expect(error.name).toBe("InvalidInputError");
    expect(error.message).toBe("id: must be a Max AI task id (tsk_… or a UUID)");
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(VendorError);
  });
});

describe("fieldViolation", () => {
  it("is a contract violation naming the response field and why, with the cause kept", () => {
    const cause = new Error("underlying");
    const error = fieldViolation("maxai", "assignedProviders.0.id", "not a Max AI provider id", cause);
    expect(error).toBeInstanceOf(VendorContractViolationError);
    expect(error).toMatchObject({
      kind: "contract_violation",
      vendor: "maxai",
      field: "assignedProviders.0.id",
      retryable: false,
      detail: "assignedProviders.0.id: not a Max AI provider id",
      message: "maxai: the response field assignedProviders.0.id breaks the contract (not a Max AI provider id)",
    });
    expect(error.cause).toBe(cause);
  });
});
