import type { ResultOf } from "./graphql.ts";
import type { TaskErrorFields, Vendor } from "./operations.ts";

type TaskError = ResultOf<typeof TaskErrorFields>;

/** The service's fixed `extensions.code` set (the schema's ErrorCode enum). */
export type ServiceErrorCode = TaskError["code"];
/**
 * What can go wrong: a code the service sent, or one of the client's own when no GraphQL answer came —
 * NETWORK_ERROR (fetch failed) or BAD_RESPONSE (an answer that is not GraphQL JSON, e.g. from a proxy).
 */
export type ErrorCode = ServiceErrorCode | "NETWORK_ERROR" | "BAD_RESPONSE";
/** Who refused a RATE_LIMITED call: the vendor's own limit, or Taskbridge's budget for the vendor. */
export type RateLimitedBy = NonNullable<TaskError["limitedBy"]>;

/** One error, from a GraphQL error's `extensions` or a batch item's `error`: the same shape either way. */
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
  vendor?: Vendor;
  /** HTTP status the vendor answered. */
  upstreamStatus?: number;
  /** The vendor's trace id, for support. */
  traceId?: string;
  /**
   * How long to wait before trying again, where the wait is known: RATE_LIMITED, IDEMPOTENCY_IN_PROGRESS,
   * IDEMPOTENCY_UNAVAILABLE, IDEMPOTENCY_RECORDS_FULL, VENDOR_UNAVAILABLE, a gateway's NETWORK_ERROR (Retry-After).
   */
  retryAfterSeconds?: number;
  limitedBy?: RateLimitedBy;
  /** BAD_USER_INPUT: the input field that is wrong; VENDOR_CONTRACT_VIOLATION: the vendor's field at fault. */
  field?: string;
  /** VENDOR_CONFLICT over a stale `expectedVersion`: the task's version now. */
  currentVersion?: string;
  /** Where in the result the error belongs. */
  path?: readonly (string | number)[];
  /** Taskbridge's id of the request that answered it, as the service's logs name it: what to quote to support. */
  requestId?: string;
  /** The request's OpenTelemetry trace id, when the service traces. */
  otelTraceId?: string;
}

/**
 * Whether the same request is worth sending again: the cause may have passed. Every code is decided here, so a code
 * the schema adds fails the typecheck until it is (the service's `TaskError.retryable` says the same per code).
 */
const RETRYABLE: Record<ErrorCode, boolean> = {
  RATE_LIMITED: true,
  VENDOR_UNAVAILABLE: true,
  VENDOR_TIMEOUT: true,
  IDEMPOTENCY_IN_PROGRESS: true,
  IDEMPOTENCY_UNAVAILABLE: true,
  IDEMPOTENCY_RECORDS_FULL: true,
  NETWORK_ERROR: true,
  BAD_USER_INPUT: false,
  UNAUTHENTICATED: false,
  IDEMPOTENCY_KEY_REUSED: false,
  IDEMPOTENCY_OUTCOME_UNKNOWN: false,
  VENDOR_AUTH_FAILED: false,
  VENDOR_FORBIDDEN: false,
  VENDOR_BAD_REQUEST: false,
  VENDOR_CONFLICT: false,
  VENDOR_CONTRACT_VIOLATION: false,
  VENDOR_NOT_CONFIGURED: false,
  INTERNAL_SERVER_ERROR: false,
  BAD_RESPONSE: false,
};

/** False also for a code this client does not know (a newer service's). */
export function isRetryableCode(code: ErrorCode): boolean {
  return Object.hasOwn(RETRYABLE, code) && RETRYABLE[code];
}

/** A request that failed. Its own fields are the first error's; `errors` has them all. */
export class TaskbridgeError extends Error implements ErrorDetail {
  readonly code: ErrorCode;
  readonly vendor?: Vendor;
  readonly upstreamStatus?: number;
  readonly traceId?: string;
  readonly retryAfterSeconds?: number;
  readonly limitedBy?: RateLimitedBy;
  readonly field?: string;
  readonly currentVersion?: string;
  readonly path?: readonly (string | number)[];
  readonly requestId?: string;
  readonly otelTraceId?: string;
  readonly errors: readonly ErrorDetail[];
  /** HTTP status of the service's answer; 0 when none came. */
  readonly status: number;
  /** The part of the result that did come back (GraphQL answers data and errors side by side), or null. */
  readonly data: unknown;
  /** Requests made, retries included. */
  readonly attempts: number;

  constructor(
    errors: readonly [ErrorDetail, ...ErrorDetail[]],
    options: { status: number; data?: unknown; attempts?: number; cause?: unknown },
  ) {
    const [first] = errors;
    super(first.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TaskbridgeError";
    Object.assign(this, first);
    this.code = first.code;
    this.errors = errors;
    this.status = options.status;
    this.data = options.data ?? null;
    this.attempts = options.attempts ?? 1;
  }

  /** Every error has a retryable code. */
  get retryable(): boolean {
    return this.errors.every((error) => isRetryableCode(error.code));
  }

  /** The longest wait any error asks for. */
  get retryAfter(): number | undefined {
    const waits = this.errors.flatMap((error) =>
      error.retryAfterSeconds === undefined ? [] : [error.retryAfterSeconds],
    );
    return waits.length ? Math.max(...waits) : undefined;
  }
}

/** A GraphQL error as the service sends it, as far as the client reads it. */
interface WireError {
  message?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
}

/**
 * Reads a GraphQL error; fields of the wrong type are left out rather than trusted. `requestId` is the answer's
 * (its `x-request-id`), for an error that does not name its own.
 */
export function fromGraphQLError(error: WireError, requestId?: string): ErrorDetail {
  const ext = error.extensions ?? {};
  const detail: ErrorDetail = {
    code: typeof ext.code === "string" ? (ext.code as ErrorCode) : "INTERNAL_SERVER_ERROR",
    message: typeof error.message === "string" ? error.message : "Unexpected error.",
  };
  if (typeof ext.vendor === "string") detail.vendor = ext.vendor as Vendor;
  if (typeof ext.upstreamStatus === "number") detail.upstreamStatus = ext.upstreamStatus;
  if (typeof ext.traceId === "string") detail.traceId = ext.traceId;
  if (typeof ext.retryAfterSeconds === "number") detail.retryAfterSeconds = ext.retryAfterSeconds;
  // Extensions spell it in lower case, the schema's RateLimitedBy enum in upper case: one spelling for clients.
  if (typeof ext.limitedBy === "string") detail.limitedBy = ext.limitedBy.toUpperCase() as RateLimitedBy;
  if (typeof ext.field === "string") detail.field = ext.field;
  if (typeof ext.currentVersion === "string") detail.currentVersion = ext.currentVersion;
  if (Array.isArray(error.path)) detail.path = error.path;
  return withSupportIds(detail, typeof ext.requestId === "string" ? ext.requestId : requestId, ext.otelTraceId);
}

/**
 * A batch item's error or a page's vendor error or unreadable entry in the same shape, nulls left out. A TaskError
 * has no `path` (a batch item's place is its index) nor `currentVersion` (only a conditional write's conflict has one);
 * its request id is the answer's that carried it.
 */
export function fromTaskError(error: TaskError, requestId?: string): ErrorDetail {
  const detail: ErrorDetail = { code: error.code, message: error.message };
  if (error.vendor !== null) detail.vendor = error.vendor;
  if (error.upstreamStatus !== null) detail.upstreamStatus = error.upstreamStatus;
  if (error.traceId !== null) detail.traceId = error.traceId;
  if (error.retryAfterSeconds !== null) detail.retryAfterSeconds = error.retryAfterSeconds;
  if (error.limitedBy !== null) detail.limitedBy = error.limitedBy;
  if (error.field !== null) detail.field = error.field;
  return withSupportIds(detail, requestId);
}

/** The ids support looks a request up by, when known. */
export function withSupportIds(detail: ErrorDetail, requestId: unknown, otelTraceId?: unknown): ErrorDetail {
  if (typeof requestId === "string") detail.requestId = requestId;
  if (typeof otelTraceId === "string") detail.otelTraceId = otelTraceId;
  return detail;
}
