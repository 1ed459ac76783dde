import { BodyBudgetError } from "@taskbridge/http";
import {
  InvalidInputError,
  VendorConflictError,
  type VendorContractViolationError,
  VendorError,
  VendorRateLimitedError,
} from "@taskbridge/model";
import { GraphQLError } from "graphql";
import { IdempotencyError } from "./idempotency.ts";
import type { RequestLogger } from "./logger.ts";
import { vendorDisplayName, vendorEnumName } from "./vendor-lookup.ts";

/** The fixed set of `extensions.code` values this API returns. Anything else is masked as INTERNAL_SERVER_ERROR. */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "BAD_USER_INPUT",
  "VENDOR_NOT_CONFIGURED",
  "VENDOR_AUTH_FAILED",
  "VENDOR_FORBIDDEN",
  "VENDOR_BAD_REQUEST",
  "VENDOR_CONFLICT",
  "RATE_LIMITED",
  "VENDOR_UNAVAILABLE",
  "VENDOR_TIMEOUT",
  "VENDOR_CONTRACT_VIOLATION",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_IN_PROGRESS",
  "IDEMPOTENCY_OUTCOME_UNKNOWN",
  "IDEMPOTENCY_UNAVAILABLE",
  "IDEMPOTENCY_RECORDS_FULL",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorExtensions {
  code: ErrorCode;
  /** GraphQL `Vendor` enum name, e.g. MAX_AI. */
  vendor?: string;
  upstreamStatus?: number;
  traceId?: string;
  retryAfterSeconds?: number;
  limitedBy?: "vendor" | "taskbridge";
  /**
   * For BAD_USER_INPUT: the input field that is wrong. For VENDOR_CONTRACT_VIOLATION: the vendor's response field
   * that broke the contract, when one can be named (e.g. `created_at`).
   */
  field?: string;
  /** For VENDOR_CONFLICT on a versioned change: the task's version now (a stale `expectedVersion` was given). */
  currentVersion?: string;
}

export interface PublicError {
  message: string;
  extensions: ErrorExtensions;
}

/**
 * The longest wait passed on, as the vendor pause caps a 429's (README, Reliability): a vendor's 503 may ask for
 * years, or for more seconds than a number holds, and full idempotency records make room only as they expire.
 */
const MAX_RETRY_AFTER_SECONDS = 300;

const KIND_CODES: Record<VendorError["kind"], ErrorCode> = {
  // A not_found that reaches here is not a task read (those become null): a referenced thing is missing.
  not_found: "VENDOR_BAD_REQUEST",
  unauthorized: "VENDOR_AUTH_FAILED",
  forbidden: "VENDOR_FORBIDDEN",
  bad_request: "VENDOR_BAD_REQUEST",
  rate_limited: "RATE_LIMITED",
  conflict: "VENDOR_CONFLICT",
  unavailable: "VENDOR_UNAVAILABLE",
  network: "VENDOR_UNAVAILABLE",
  timeout: "VENDOR_TIMEOUT",
  contract_violation: "VENDOR_CONTRACT_VIOLATION",
  not_configured: "VENDOR_NOT_CONFIGURED",
};

/**
 * What a caller may learn about a failure. Messages are written here, not copied from the error: only the
 * vendor's own short detail for a rejected request is passed on (the transport already scrubbed our secrets).
 */
export function publicError(error: unknown): PublicError {
  if (error instanceof GraphQLError && typeof error.extensions.code === "string") {
    return { message: error.message, extensions: error.extensions as unknown as ErrorExtensions };
  }
  if (error instanceof IdempotencyError) {
    const extensions: ErrorExtensions = { code: error.code, vendor: vendorEnumName(error.vendor) };
    if (error.retryAfterMs !== undefined) {
      extensions.retryAfterSeconds = Math.min(Math.ceil(error.retryAfterMs / 1000), MAX_RETRY_AFTER_SECONDS);
    }
    return { message: error.message, extensions };
  }
  if (error instanceof InvalidInputError) {
    return { message: error.message, extensions: { code: "BAD_USER_INPUT", field: error.field } };
  }
  if (error instanceof BodyBudgetError) return bodyBudgetError(error);
  if (error instanceof VendorError) {
    const code = KIND_CODES[error.kind];
    const extensions: ErrorExtensions = { code, vendor: vendorEnumName(error.vendor) };
    if (error.status !== undefined) extensions.upstreamStatus = error.status;
    if (error.traceId) extensions.traceId = error.traceId;
    const field = (error as Partial<VendorContractViolationError>).field;
    if (code === "VENDOR_CONTRACT_VIOLATION" && field) extensions.field = field;
    if (error instanceof VendorConflictError && error.currentVersion !== undefined) {
      extensions.currentVersion = error.currentVersion;
    }
    // Whenever the wait is known and waiting can help: a 429, a 503's Retry-After, an open breaker's cooldown.
    if (error.retryable && error.retryAfterMs !== undefined) {
      const seconds = Math.max(0, Math.ceil(error.retryAfterMs / 1000));
      extensions.retryAfterSeconds = Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
    }
    if (code === "RATE_LIMITED") {
      extensions.limitedBy = error instanceof VendorRateLimitedError ? error.limitedBy : "vendor";
    }
    return { message: vendorMessage(error, code, extensions), extensions };
  }
  return { message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/**
 * A vendor answer past a budget of answer bytes: the request's own is the caller's to mind (ask for fewer tasks),
 * the one every request in flight shares frees up as those requests end.
 */
function bodyBudgetError(error: BodyBudgetError): PublicError {
  const vendor = vendorEnumName(error.vendor);
  if (!error.shared) {
    return {
      message: `${vendorDisplayName(error.vendor)}'s answer does not fit: one request may read at most ${error.limit} bytes of vendor answers. Ask for fewer tasks per request.`,
      extensions: { code: "BAD_USER_INPUT", vendor },
    };
  }
  return {
    message: `Taskbridge is holding as many vendor answers as it may (${error.limit} bytes) for the requests in flight. Retry after 1 s.`,
    extensions: { code: "RATE_LIMITED", vendor, limitedBy: "taskbridge", retryAfterSeconds: 1 },
  };
}

/** Whether a vendor call's failure may pass unchanged later: the vendor's errors say so, and answers in flight free up. */
export function retryableCall(error: unknown): boolean {
  if (error instanceof VendorError) return error.retryable;
  return error instanceof BodyBudgetError && error.shared;
}

/** A GraphQLError the caller caused, before any vendor call. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: field ? { code: "BAD_USER_INPUT", field } : { code: "BAD_USER_INPUT" },
  });
}

function vendorMessage(error: VendorError, code: ErrorCode, extensions: ErrorExtensions): string {
  const name = vendorDisplayName(error.vendor);
  const status = error.status !== undefined ? ` (HTTP ${error.status})` : "";
  const detail = error.detail ? `: ${error.detail.slice(0, 200)}` : "";
  const wait = extensions.retryAfterSeconds !== undefined ? ` Retry after ${extensions.retryAfterSeconds} s.` : "";
  switch (code) {
    case "VENDOR_AUTH_FAILED":
      return `${name} rejected the credentials configured for this tenant${status}.`;
    case "VENDOR_FORBIDDEN":
      return `${name} does not allow this operation for the configured credentials${status}.`;
    case "VENDOR_BAD_REQUEST":
      return error.kind === "not_found"
        ? `${name} reports that something the request refers to does not exist${status}.`
        : `${name} rejected the request${status}${detail}`;
    case "VENDOR_CONFLICT":
      return `${name} reported a conflict${status}${detail}`;
    case "RATE_LIMITED":
      return extensions.limitedBy === "taskbridge"
        ? `Taskbridge's request budget for ${name} is used up.${wait}`
        : `${name} rate limit reached${status}.${wait}`;
    case "VENDOR_UNAVAILABLE":
      return error.kind === "network"
        ? `${name} could not be reached.${wait}`
        : `${name} is unavailable${status}.${wait}`;
    case "VENDOR_TIMEOUT":
      return `${name} did not answer in time.`;
    case "VENDOR_CONTRACT_VIOLATION":
      // A 404 breaks the contract only by not being the vendor's own not-found answer (withNotFoundShape).
      if (error.status === 404) {
        return `The connection to ${name} answered HTTP 404 without ${name}'s own not-found answer: its base URL may not lead to ${name}'s API.`;
      }
      return extensions.field
        ? `${name} answered with a value of ${extensions.field.slice(0, 100)} that does not match its contract.`
        : `${name} answered with data that does not match its contract.`;
    case "VENDOR_NOT_CONFIGURED":
      return `${name} is not configured for this tenant.`;
    default:
      return "Unexpected error.";
  }
}

/** Turns any failure into the GraphQL error the caller sees, and logs it (credential-free) with the request id. */
export function reportFailure(log: RequestLogger, error: unknown): GraphQLError {
  const { message, extensions } = publicError(error);
  if (extensions.code === "INTERNAL_SERVER_ERROR") {
    log.error({ err: error }, "unexpected error");
  } else if (error instanceof IdempotencyError) {
    const cause = error.cause instanceof VendorError ? error.cause : undefined;
    log.warn(
      {
        code: extensions.code,
        vendor: error.vendor,
        kind: cause?.kind,
        upstreamStatus: cause?.status,
        reason: cause?.message,
      },
      "keyed write answered by its idempotency record",
    );
  } else if (error instanceof BodyBudgetError) {
    log.warn({ code: extensions.code, vendor: error.vendor, reason: error.message }, "vendor answer over budget");
  } else if (error instanceof VendorError) {
    log.warn(
      {
        code: extensions.code,
        vendor: error.vendor,
        kind: error.kind,
        upstreamStatus: error.status,
        traceId: error.traceId,
        // The transport's message names operation, status and failing fields, never payload values or credentials.
        reason: error.message,
      },
      "vendor call failed",
    );
  }
  return new GraphQLError(message, { extensions: { ...extensions } });
}

/**
 * The error of one field a vendor's answer left unreadable (the rest of the task is served), logged once per
 * request and field like any vendor failure, so an operator sees which vendor breaks which field.
 */
export function fieldProblem(log: RequestLogger, problem: VendorContractViolationError): GraphQLError {
  const { message, extensions } = publicError(problem);
  log.warn(
    {
      code: extensions.code,
      vendor: problem.vendor,
      field: problem.field,
      upstreamStatus: problem.status,
      traceId: problem.traceId,
      reason: problem.message,
    },
    "vendor field unreadable",
  );
  return new GraphQLError(message, { extensions: { ...extensions } });
}
