import { UnsentRequestError } from "@taskbridge/http";
import {
  InvalidInputError,
  VendorConflictError,
  VendorContractViolationError,
  VendorNetworkError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { publicError } from "./errors.ts";

describe("publicError", () => {
  it("maps each vendor error kind to its code with vendor, status and trace id", () => {
    const auth = publicError(
      new VendorUnauthorizedError("maxai", "maxai getTask: HTTP 401", { status: 401, traceId: "t-1" }),
    );
    expect(auth).toEqual({
      message: "Max AI rejected the credentials configured for this tenant (HTTP 401).",
      extensions: { code: "VENDOR_AUTH_FAILED", vendor: "MAX_AI", upstreamStatus: 401, traceId: "t-1" },
    });
    expect(publicError(new VendorConflictError("maxsight", "x", { status: 409, detail: "version mismatch" }))).toEqual({
      message: "Maxsight reported a conflict (HTTP 409): version mismatch",
      extensions: { code: "VENDOR_CONFLICT", vendor: "MAXSIGHT", upstreamStatus: 409 },
    });
    expect(publicError(new VendorNetworkError("capy", "x")).extensions).toEqual({
      code: "VENDOR_UNAVAILABLE",
      vendor: "CAPY",
    });
    expect(publicError(new VendorTimeoutError("capy", "x")).extensions.code).toBe("VENDOR_TIMEOUT");
    expect(publicError(new VendorNotFoundError("maxai", "x", { status: 404 })).extensions.code).toBe(
      "VENDOR_BAD_REQUEST",
    );
  });

  it("gives retryAfterSeconds (rounded up) and who limited", () => {
    const own = publicError(
      new VendorRateLimitedError("cakewalk", "x", { retryAfterMs: 1_200, limitedBy: "taskbridge" }),
    );
    expect(own).toEqual({
      message: "Taskbridge's request budget for Cakewalk is used up. Retry after 2 s.",
      extensions: { code: "RATE_LIMITED", vendor: "CAKEWALK", retryAfterSeconds: 2, limitedBy: "taskbridge" },
    });
  });

  it("never passes on the internal message of a contract violation", () => {
    const error = new VendorContractViolationError("maxai", "maxai getTask: data.notes: invalid_type", { status: 200 });
    expect(publicError(error).message).toBe("Max AI answered with data that does not match its contract.");
  });

  it("turns invalid input into BAD_USER_INPUT and masks everything else", () => {
    expect(publicError(new InvalidInputError("id", "not a UUID")).extensions).toEqual({
      code: "BAD_USER_INPUT",
      field: "id",
    });
    expect(publicError(new Error("db password is hunter2"))).toEqual({
      message: "Unexpected error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    // A request the transport refused to send is our fault, not an outage of the vendor.
    const unsent = new UnsentRequestError("maxsight", "assignTask", new Error("invalid if-match header"));
    expect(publicError(unsent).extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
  });
});
