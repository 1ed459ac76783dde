import {
  type Vendor,
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
} from "@taskbridge/model";
import { scrubSecrets } from "./redact.ts";

const ERROR_CLASSES: Record<Exclude<VendorErrorKind, "rate_limited">, typeof VendorNotFoundError> = {
  not_found: VendorNotFoundError,
  unauthorized: VendorUnauthorizedError,
  forbidden: VendorForbiddenError,
  bad_request: VendorBadRequestError,
  conflict: VendorConflictError,
  unavailable: VendorUnavailableError,
  timeout: VendorTimeoutError,
  network: VendorNetworkError,
  contract_violation: VendorContractViolationError,
  not_configured: VendorNotConfiguredError,
};

/** The one place that turns a kind into the matching VendorError subclass. */
export function vendorError(
  kind: VendorErrorKind,
  vendor: Vendor,
  message: string,
  details: VendorErrorDetails & { limitedBy?: "vendor" | "taskbridge" } = {},
): VendorError {
  if (kind === "rate_limited") return new VendorRateLimitedError(vendor, message, details);
  return new ERROR_CLASSES[kind](vendor, message, details);
}

/** The error kind an HTTP status means when the vendor's envelope says nothing more specific. */
export function kindForStatus(status: number): VendorErrorKind {
  if (status === 400 || status === 422) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not_found";
  if (status === 408) return "timeout";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500 && status <= 599) return "unavailable";
  // Any other 4xx rejects what we sent; 1xx/3xx (redirects are not followed) break the contract.
  if (status >= 400 && status <= 499) return "bad_request";
  return "contract_violation";
}

const callerAborts = new WeakSet<object>();

/** True when the error only means the caller cancelled the call (not a vendor failure). */
export function abortedByCaller(error: unknown): boolean {
  return typeof error === "object" && error !== null && callerAborts.has(error);
}

/**
 * The error for a call the caller cancelled through its `signal`. A caller's own timeout signal
 * (AbortSignal.timeout) reads as a timeout; any other reason as a network error marked `abortedByCaller`.
 */
export function callerAbortError(vendor: Vendor, operation: string, reason: unknown): VendorError {
  const timedOut = (reason as { name?: unknown } | undefined)?.name === "TimeoutError";
  const error = timedOut
    ? new VendorTimeoutError(vendor, `${vendor} ${operation}: the caller's deadline passed`, {
        detail: "caller deadline",
      })
    : new VendorNetworkError(vendor, `${vendor} ${operation}: aborted by the caller`, {
        detail: "aborted by the caller",
      });
  callerAborts.add(error);
  return error;
}

/**
 * Why an aborted signal ended a call: the call's own signal carries a ready-made VendorError (deadline or caller
 * abort); the caller's signal, used directly when its deadline comes first, carries the caller's reason.
 */
export function abortError(vendor: Vendor, operation: string, signal: AbortSignal): VendorError {
  return isVendorError(signal.reason) ? signal.reason : callerAbortError(vendor, operation, signal.reason);
}

export function deadlineError(vendor: Vendor, operation: string, totalMs: number): VendorError {
  return new VendorTimeoutError(vendor, `${vendor} ${operation}: timed out (whole call exceeded ${totalMs} ms)`, {
    detail: "total deadline",
  });
}

/**
 * undici's refusals of the request it was handed (an invalid header value, an option it does not support): raised
 * while the request is built, before any byte is written.
 */
const REFUSED_CODES = new Set(["UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED"]);

/**
 * A request the transport refused to send: nothing left this process. The fault is in what Taskbridge built (a
 * caller's value that escaped its check, a bad connection config), not at the vendor, so this is no VendorError:
 * never retried, neutral to the circuit breaker, an internal error to API callers; provenNotApplied() is true.
 */
export class UnsentRequestError extends Error {
  readonly vendor: Vendor;
  readonly operation: string;
  /** undici's error code, e.g. UND_ERR_INVALID_ARG. */
  readonly code: string;
  constructor(vendor: Vendor, operation: string, cause: Error & { code?: string }) {
    super(`${vendor} ${operation}: the request was refused before sending (${cause.message})`, { cause });
    this.name = "UnsentRequestError";
    this.vendor = vendor;
    this.operation = operation;
    this.code = cause.code ?? "unknown";
  }
}

/**
 * A call the open circuit breaker refused: nothing was sent, so provenNotApplied() is true, and metrics tell it
 * from a vendor's own 503. Still a VendorUnavailableError ("circuit open", the cooldown left) to everyone else.
 */
export class CircuitOpenError extends VendorUnavailableError {
  constructor(vendor: Vendor, operation: string, retryAfterMs: number) {
    super(vendor, `${vendor} ${operation}: circuit open`, { detail: "circuit open", retryAfterMs });
  }
}

/**
 * A vendor answer that did not fit a body budget (BodyBudget): the request's own (`shared` false: it asked for
 * more than one request may read) or the one shared by every request in flight (`shared` true: retry shortly). Not
 * the vendor's fault, so no VendorError: never retried, neutral to the circuit breaker. The vendor did answer, so
 * a write is not proven unapplied.
 */
export class BodyBudgetError extends Error {
  readonly vendor: Vendor;
  readonly operation: string;
  /** The budget's limit, in bytes. */
  readonly limit: number;
  readonly shared: boolean;
  constructor(vendor: Vendor, operation: string, limit: number, shared: boolean) {
    const whose = shared ? "requests in flight together" : "one request";
    super(`${vendor} ${operation}: the answer does not fit the ${limit} bytes of vendor answers ${whose} may hold`);
    this.name = "BodyBudgetError";
    this.vendor = vendor;
    this.operation = operation;
    this.limit = limit;
    this.shared = shared;
  }
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: "connect",
  UND_ERR_HEADERS_TIMEOUT: "headers",
  UND_ERR_BODY_TIMEOUT: "body",
};

/**
 * Maps a failure of the transport itself (no HTTP answer, or the body broke off) to a VendorError; a request undici
 * refused to send is an UnsentRequestError instead.
 */
export function transportError(
  vendor: Vendor,
  operation: string,
  error: unknown,
  signal: AbortSignal,
  secrets: readonly string[],
): VendorError | UnsentRequestError {
  if (signal.aborted) return abortError(vendor, operation, signal);
  if (isVendorError(error)) return error;
  const code = errorCode(error);
  const cause = safeCause(error, secrets);
  if (REFUSED_CODES.has(code)) return new UnsentRequestError(vendor, operation, cause);
  const phase = TIMEOUT_CODES[code];
  if (phase) {
    return new VendorTimeoutError(vendor, `${vendor} ${operation}: timed out waiting for ${phase} (${code})`, {
      detail: `${phase} timeout`,
      cause,
    });
  }
  return new VendorNetworkError(vendor, `${vendor} ${operation}: network error (${code})`, { detail: code, cause });
}

function isVendorError(value: unknown): value is VendorError {
  return value instanceof VendorError;
}

function errorCode(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === "string") return code;
  return typeof name === "string" ? name : "unknown";
}

/**
 * A plain copy (name, code, message) of a transport error to use as `cause`. undici errors can hold sockets
 * and, in some versions, request details; the copy holds nothing we have not checked.
 */
export function safeCause(error: unknown, secrets: readonly string[]): Error {
  const source = (error ?? {}) as { message?: unknown; name?: unknown };
  const message = typeof source.message === "string" ? source.message : String(error);
  const copy = new Error(scrubSecrets(message, secrets).slice(0, 300)) as Error & { code?: string };
  copy.name = typeof source.name === "string" ? source.name : "Error";
  copy.code = errorCode(error);
  return copy;
}
