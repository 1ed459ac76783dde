import type { Vendor } from "./vendor.ts";

/**
 * Why a vendor call failed. Each kind has one subclass below; the GraphQL layer maps kinds to its error codes.
 * - `not_found`: the vendor says the thing does not exist (reads turn this into null).
 * - `unauthorized` / `forbidden`: the vendor rejected our credential, or its scope.
 * - `bad_request`: the vendor rejected what we sent (400/422).
 * - `rate_limited`: the vendor's 429, or our own budget for the vendor ran out (`limitedBy`).
 * - `conflict`: 409 / version mismatch.
 * - `unavailable`: 5xx, or the circuit breaker is open.
 * - `timeout`: a deadline passed (connect, headers, body or the whole call).
 * - `network`: connection refused, reset, or closed early.
 * - `contract_violation`: the vendor answered with something that is not what its contract promises.
 * - `not_configured`: no connection or credential is configured for this vendor.
 */
export const VENDOR_ERROR_KINDS = [
  "not_found",
  "unauthorized",
  "forbidden",
  "bad_request",
  "rate_limited",
  "conflict",
  "unavailable",
  "timeout",
  "network",
  "contract_violation",
  "not_configured",
] as const;
export type VendorErrorKind = (typeof VENDOR_ERROR_KINDS)[number];

export interface VendorErrorDetails {
  /** HTTP status the vendor answered with, when there was an answer. */
  status?: number | undefined;
  /** The vendor's trace or request id, for support tickets. */
  traceId?: string | undefined;
  /** Milliseconds until a retry may succeed, from Retry-After / X-RateLimit-Reset or our own budget. */
  retryAfterMs?: number | undefined;
  /** A short, credential-free description from the vendor or the transport. */
  detail?: string | undefined;
  cause?: unknown;
}

/** The one error family for everything that goes wrong talking to a vendor. Never carries a credential. */
export class VendorError extends Error {
  readonly kind: VendorErrorKind;
  readonly vendor: Vendor;
  readonly status: number | undefined;
  readonly traceId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;
  /** Whether the same call may succeed if repeated later. */
  readonly retryable: boolean;

  constructor(kind: VendorErrorKind, vendor: Vendor, message: string, details: VendorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "VendorError";
    this.kind = kind;
    this.vendor = vendor;
    this.status = details.status;
    this.traceId = details.traceId;
    this.retryAfterMs = details.retryAfterMs;
    this.detail = details.detail;
    this.retryable = RETRYABLE.has(kind);
  }

  toJSON() {
    const { kind, vendor, status, traceId, retryAfterMs, retryable, message } = this;
    return { name: this.name, kind, vendor, status, traceId, retryAfterMs, retryable, message };
  }
}

const RETRYABLE = new Set<VendorErrorKind>(["rate_limited", "unavailable", "timeout", "network"]);

type Ctor = new (vendor: Vendor, message: string, details?: VendorErrorDetails) => VendorError;
function subclass(kind: VendorErrorKind, name: string): Ctor {
  const Sub = class extends VendorError {
    constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
      super(kind, vendor, message, details);
      this.name = name;
    }
  };
  Object.defineProperty(Sub, "name", { value: name });
  return Sub;
}

export const VendorNotFoundError = subclass("not_found", "VendorNotFoundError");
export const VendorUnauthorizedError = subclass("unauthorized", "VendorUnauthorizedError");
export const VendorForbiddenError = subclass("forbidden", "VendorForbiddenError");
export const VendorBadRequestError = subclass("bad_request", "VendorBadRequestError");
export const VendorConflictError = subclass("conflict", "VendorConflictError");
export const VendorUnavailableError = subclass("unavailable", "VendorUnavailableError");
export const VendorTimeoutError = subclass("timeout", "VendorTimeoutError");
export const VendorNetworkError = subclass("network", "VendorNetworkError");
export const VendorContractViolationError = subclass("contract_violation", "VendorContractViolationError");
export const VendorNotConfiguredError = subclass("not_configured", "VendorNotConfiguredError");

/** A 429 from the vendor, or our own budget for the vendor ran out before we sent anything. */
export class VendorRateLimitedError extends VendorError {
  readonly limitedBy: "vendor" | "taskbridge";
  constructor(
    vendor: Vendor,
    message: string,
    details: VendorErrorDetails & { limitedBy?: "vendor" | "taskbridge" } = {},
  ) {
    super("rate_limited", vendor, message, details);
    this.name = "VendorRateLimitedError";
    this.limitedBy = details.limitedBy ?? "vendor";
  }
}

/** Input that is wrong before any vendor is asked: a malformed id, a create input that fails validation. */
export class InvalidInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "InvalidInputError";
    this.field = field;
  }
}
