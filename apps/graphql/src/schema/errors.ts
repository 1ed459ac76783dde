import type { Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { ERROR_CODES, type ErrorCode, publicError, retryableCall } from "../errors.ts";
import { VendorEnum } from "./vendor.ts";

/** What each code means, for the schema (the README's Errors table says the same). */
const ERROR_CODE_DESCRIPTIONS: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "No or a wrong API key (HTTP 401, checked before the request is read).",
  BAD_USER_INPUT:
    "The request is wrong: a malformed id or input (`field` names it), invalid GraphQL, a document or vendor-call limit, a cursor this API did not issue. Change it before sending it again.",
  VENDOR_NOT_CONFIGURED: "The tenant has no connection to this vendor.",
  VENDOR_AUTH_FAILED: "The vendor rejected the credential configured for the tenant (its 401).",
  VENDOR_FORBIDDEN: "The configured credential may not do this (the vendor's 403).",
  VENDOR_BAD_REQUEST:
    "The vendor rejected the request (its 400/422), or something it refers to does not exist (an unknown note, project or task).",
  VENDOR_CONFLICT:
    "The vendor refused a change the task's state does not allow (its 409), or a stale `expectedVersion` (its 412; `extensions.currentVersion` is the version now). Read the task again first.",
  RATE_LIMITED:
    "The vendor's rate limit, or Taskbridge's budget for it (`limitedBy`), is spent; retry after `retryAfterSeconds`.",
  VENDOR_UNAVAILABLE:
    "The vendor answered 5xx, could not be reached, or its circuit breaker is open; retry later (after `retryAfterSeconds` when given).",
  VENDOR_TIMEOUT: "A deadline passed waiting for the vendor (a call's or the request's); retry later.",
  VENDOR_CONTRACT_VIOLATION:
    "The vendor answered what its contract does not allow, for the task or one field (`field`, the vendor's own name), or a 404 that is not its own not-found answer (a wrong base URL).",
  IDEMPOTENCY_KEY_REUSED: "The idempotency key was used before with another input: use a new key for a new request.",
  IDEMPOTENCY_IN_PROGRESS:
    "A call with this idempotency key is still running; retry with the same key after `retryAfterSeconds`.",
  IDEMPOTENCY_OUTCOME_UNKNOWN:
    "The vendor may have done it (its answer was lost); this key never sends it again. Check before using a new key.",
  IDEMPOTENCY_UNAVAILABLE:
    "The idempotency records cannot be reached: nothing was sent. Retry with the same key after `retryAfterSeconds`.",
  IDEMPOTENCY_RECORDS_FULL:
    "Taskbridge holds as many idempotency records as it may (kept in its memory, without Redis) until older ones expire: nothing was sent. Retry with the same key later (`retryAfterSeconds`).",
  INTERNAL_SERVER_ERROR: "Anything unexpected (masked, logged with the request id).",
};

export const ErrorCodeEnum = builder.enumType("ErrorCode", {
  description: "The fixed set of error codes, also used as `extensions.code` of GraphQL errors.",
  values: Object.fromEntries(
    ERROR_CODES.map((code) => [code, { value: code, description: ERROR_CODE_DESCRIPTIONS[code] }]),
  ) as Record<ErrorCode, { value: ErrorCode; description: string }>,
});

export const RateLimitedByEnum = builder.enumType("RateLimitedBy", {
  description: "Who refused the call: the vendor's own limit, or Taskbridge's budget for the vendor.",
  values: {
    VENDOR: { value: "vendor", description: "The vendor's own limit (its 429)." },
    TASKBRIDGE: {
      value: "taskbridge",
      description: "Taskbridge's budget for the vendor credential, which keeps under the vendor's published limit.",
    },
  } as const,
});

export interface TaskErrorShape {
  code: ErrorCode;
  message: string;
  vendor: Vendor | null;
  upstreamStatus: number | null;
  traceId: string | null;
  retryAfterSeconds: number | null;
  limitedBy: "vendor" | "taskbridge" | null;
  retryable: boolean;
  field: string | null;
}

/** Codes that may pass if the same request is sent again later (the others need a change first). */
const RETRYABLE_CODES = new Set<ErrorCode>([
  "IDEMPOTENCY_IN_PROGRESS",
  "IDEMPOTENCY_UNAVAILABLE",
  "IDEMPOTENCY_RECORDS_FULL",
]);

/** The same information as a GraphQL error's extensions, as a typed object for per-item results. */
export function taskErrorFrom(error: unknown, vendor: Vendor): TaskErrorShape {
  const { message, extensions } = publicError(error);
  return {
    code: extensions.code,
    message,
    vendor,
    upstreamStatus: extensions.upstreamStatus ?? null,
    traceId: extensions.traceId ?? null,
    retryAfterSeconds: extensions.retryAfterSeconds ?? null,
    limitedBy: extensions.limitedBy ?? null,
    retryable: retryableCall(error) || RETRYABLE_CODES.has(extensions.code),
    field: extensions.field ?? null,
  };
}

export const TaskErrorObject = builder.objectRef<TaskErrorShape>("TaskError").implement({
  description:
    "Why one item failed (a batch item, a vendor of a task listing). The code and details a GraphQL error's extensions would carry (whose `limitedBy` is spelled in lower case there), plus `retryable`.",
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, description: "What went wrong, from the fixed set.", resolve: (e) => e.code }),
    message: t.exposeString("message", {
      description: "For people: never a credential or a vendor payload. Branch on `code`, not on this.",
    }),
    vendor: t.field({
      type: VendorEnum,
      nullable: true,
      description: "The vendor concerned.",
      resolve: (e) => e.vendor,
    }),
    upstreamStatus: t.exposeInt("upstreamStatus", { nullable: true, description: "HTTP status the vendor answered." }),
    traceId: t.exposeString("traceId", { nullable: true, description: "The vendor's trace id, for support." }),
    retryAfterSeconds: t.exposeInt("retryAfterSeconds", {
      nullable: true,
      description:
        "Whole seconds to wait before trying again (at most 300), when a retry may help and the wait is known: a 429's, a 503's Retry-After, an open breaker's cooldown, Taskbridge's budget.",
    }),
    limitedBy: t.field({
      type: RateLimitedByEnum,
      nullable: true,
      description: "RATE_LIMITED: whose limit it was.",
      resolve: (e) => e.limitedBy,
    }),
    retryable: t.exposeBoolean("retryable", {
      description:
        "Whether the same request may succeed later unchanged (the vendor was unavailable, slow or rate limited; wait retryAfterSeconds where given). False: something must change first (input, credentials, configuration).",
    }),
    field: t.exposeString("field", {
      nullable: true,
      description:
        "VENDOR_CONTRACT_VIOLATION: the vendor's response field that broke the contract (`id` for an answer about another task); BAD_USER_INPUT: the input field that is wrong. When known.",
    }),
  }),
});
