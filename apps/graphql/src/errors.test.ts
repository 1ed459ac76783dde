import { readFileSync } from "node:fs";
import { UnsentRequestError } from "@taskbridge/http";
import {
  InvalidInputError,
  VendorBadRequestError,
  VendorConflictError,
  VendorContractViolationError,
  VendorNetworkError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, publicError } from "./errors.ts";

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

  it("gives retryAfterSeconds wherever the wait is known and waiting can help, not only for RATE_LIMITED", () => {
    const breaker = new VendorUnavailableError("capy", "capy getTask: circuit open", { retryAfterMs: 9_100 });
    expect(publicError(breaker)).toEqual({
      message: "Capy is unavailable. Retry after 10 s.",
      extensions: { code: "VENDOR_UNAVAILABLE", vendor: "CAPY", retryAfterSeconds: 10 },
    });
    const busy = new VendorUnavailableError("maxsight", "x", { status: 503, retryAfterMs: 120_000 });
    expect(publicError(busy)).toEqual({
      message: "Maxsight is unavailable (HTTP 503). Retry after 120 s.",
      extensions: { code: "VENDOR_UNAVAILABLE", vendor: "MAXSIGHT", upstreamStatus: 503, retryAfterSeconds: 120 },
    });
    const forever = new VendorUnavailableError("capy", "x", { status: 503, retryAfterMs: Number.POSITIVE_INFINITY });
    expect(publicError(forever).extensions.retryAfterSeconds).toBe(300);
    // A refused request may carry a wait (Max AI's X-RateLimit-Reset once its window is used up): no reason to retry.
    const refused = new VendorBadRequestError("maxai", "x", { status: 400, retryAfterMs: 30_000 });
    expect(publicError(refused).extensions).not.toHaveProperty("retryAfterSeconds");
  });

  it("never passes on the internal message of a contract violation", () => {
    const error = new VendorContractViolationError("maxai", "maxai getTask: data.notes: invalid_type", { status: 200 });
    expect(publicError(error).message).toBe("Max AI answered with data that does not match its contract.");
  });

  it("says a 404 that is not the vendor's own not-found answer points at the connection's base URL", () => {
    const error = new VendorContractViolationError("capy", "capy getTask: HTTP 404 (…)", { status: 404 });
    expect(publicError(error)).toEqual({
      message:
        "The connection to Capy answered HTTP 404 without Capy's own not-found answer: its base URL may not lead to Capy's API.",
      extensions: { code: "VENDOR_CONTRACT_VIOLATION", vendor: "CAPY", upstreamStatus: 404 },
    });
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

describe("the READMEs' error tables", () => {
  /** The codes in the first column of the tables under `## Errors`. */
  function documentedCodes(file: string): string[] {
    const text = readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");
    const section = text.slice(text.indexOf("\n## Errors\n")).split(/\n## /)[1] ?? "";
    const firstCells = [...section.matchAll(/^\| ([^|]+)\|/gm)].map(([, cell]) => cell ?? "");
    return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z_]+)`/g)].map(([, code]) => code ?? "")).sort();
  }

  it.each(["README.md", "apps/graphql/README.md"])("%s lists exactly the codes the service answers", (file) => {
    expect(documentedCodes(file)).toEqual([...ERROR_CODES].sort());
  });
});
