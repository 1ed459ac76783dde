import type { Vendor } from "./vendor.ts";

/**
 * Why a vendor call failed. Each kind has one subclass below; the GraphQL layer maps kinds to its error codes.
 * - `not_found`: the vendor says, in its own not-found answer, that the thing does not exist (reads turn this into
 *   null). A 404 in any other form is a `contract_violation`: the base URL does not lead to the vendor's API.
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

  /**
   * What logs and API error extensions may show: exactly these keys. `cause` is left out because it can be
   * anything, including a transport object holding request headers; `detail` because `message` carries it.
   * Keys whose value is undefined vanish in JSON.stringify.
   */
  toJSON(): VendorErrorJson {
    const { name, kind, vendor, status, traceId, retryAfterMs, retryable, message } = this;
    return { name, kind, vendor, status, traceId, retryAfterMs, retryable, message };
  }
}

export interface VendorErrorJson {
  name: string;
  kind: VendorErrorKind;
  vendor: Vendor;
  status: number | undefined;
  traceId: string | undefined;
  retryAfterMs: number | undefined;
  retryable: boolean;
  message: string;
}

// Retrying can help only when the cause is on the way or on the vendor's side, not in what we sent.
const RETRYABLE = new Set<VendorErrorKind>(["rate_limited", "unavailable", "timeout", "network"]);

// Written out as classes (not made by a factory) so each name is both a value and a type:
// `catch (e) { if (e instanceof VendorNotFoundError) ... }` and `error: VendorNotFoundError` both work.

export class VendorNotFoundError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("not_found", vendor, message, details);
    this.name = "VendorNotFoundError";
  }
}

export class VendorUnauthorizedError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("unauthorized", vendor, message, details);
    this.name = "VendorUnauthorizedError";
  }
}

export class VendorForbiddenError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("forbidden", vendor, message, details);
    this.name = "VendorForbiddenError";
  }
}

export class VendorBadRequestError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("bad_request", vendor, message, details);
    this.name = "VendorBadRequestError";
  }
}

/**
 * 409 / 412: the vendor refused a change because the task is not in the state the change assumed. Where the change
 * was conditional on a version (Maxsight's If-Match), `currentVersion` is the task's version now, so the caller can
 * re-read or retry knowingly; undefined when it could not be learned.
 */
export class VendorConflictError extends VendorError {
  readonly currentVersion: string | undefined;
  constructor(vendor: Vendor, message: string, details: VendorErrorDetails & { currentVersion?: string } = {}) {
    super("conflict", vendor, message, details);
    this.name = "VendorConflictError";
    this.currentVersion = details.currentVersion;
  }

  /** The base keys plus `currentVersion` (a version is a timestamp or counter, never a secret). */
  override toJSON(): VendorErrorJson & { currentVersion: string | undefined } {
    return { ...super.toJSON(), currentVersion: this.currentVersion };
  }
}

export class VendorUnavailableError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("unavailable", vendor, message, details);
    this.name = "VendorUnavailableError";
  }
}

export class VendorTimeoutError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("timeout", vendor, message, details);
    this.name = "VendorTimeoutError";
  }
}

export class VendorNetworkError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("network", vendor, message, details);
    this.name = "VendorNetworkError";
  }
}

export class VendorContractViolationError extends VendorError {
  /** The response field that broke the contract, when a mapper could name one (the wire schema's paths are in `detail`). */
  readonly field: string | undefined;
  constructor(vendor: Vendor, message: string, details: VendorErrorDetails & { field?: string | undefined } = {}) {
    super("contract_violation", vendor, message, details);
    this.name = "VendorContractViolationError";
    this.field = details.field;
  }

  /** The base keys plus `field` (a field name, never a value). */
  override toJSON(): VendorErrorJson & { field: string | undefined } {
    return { ...super.toJSON(), field: this.field };
  }
}

/**
 * A response field the vendor's contract does not allow, as the error that names it: what a mapper throws for an
 * id or timestamp it cannot read. `reason` says why in a few words and never holds the value.
 */
export function fieldViolation(
  vendor: Vendor,
  field: string,
  reason: string,
  cause?: unknown,
): VendorContractViolationError {
  return new VendorContractViolationError(
    vendor,
    `${vendor}: the response field ${field} breaks the contract (${reason})`,
    {
      detail: `${field}: ${reason}`,
      field,
      cause,
    },
  );
}

export class VendorNotConfiguredError extends VendorError {
  constructor(vendor: Vendor, message: string, details?: VendorErrorDetails) {
    super("not_configured", vendor, message, details);
    this.name = "VendorNotConfiguredError";
  }
}

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

  /** The base keys plus `limitedBy`, so a reader can tell the vendor's 429 from our own budget. */
  override toJSON(): VendorErrorJson & { limitedBy: "vendor" | "taskbridge" } {
    return { ...super.toJSON(), limitedBy: this.limitedBy };
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
