import type { Vendor } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { ERROR_CODES, type ErrorCode, publicError, retryableCall } from "../errors.ts";
import { VendorEnum } from "./vendor.ts";

export const ErrorCodeEnum = builder.enumType("ErrorCode", {
  description: "The fixed set of error codes, also used as `extensions.code` of GraphQL errors.",
  values: ERROR_CODES,
});

export const RateLimitedByEnum = builder.enumType("RateLimitedBy", {
  description: "Who refused the call: the vendor's own limit, or Taskbridge's budget for the vendor.",
  values: { VENDOR: { value: "vendor" }, TASKBRIDGE: { value: "taskbridge" } } as const,
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
const RETRYABLE_CODES = new Set<ErrorCode>(["IDEMPOTENCY_IN_PROGRESS", "IDEMPOTENCY_UNAVAILABLE"]);

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
    "Why one item failed (a batch item, a vendor of a task listing). Same codes and details as GraphQL errors' extensions.",
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString("message"),
    vendor: t.field({ type: VendorEnum, nullable: true, resolve: (e) => e.vendor }),
    upstreamStatus: t.exposeInt("upstreamStatus", { nullable: true, description: "HTTP status the vendor answered." }),
    traceId: t.exposeString("traceId", { nullable: true, description: "The vendor's trace id, for support." }),
    retryAfterSeconds: t.exposeInt("retryAfterSeconds", { nullable: true }),
    limitedBy: t.field({ type: RateLimitedByEnum, nullable: true, resolve: (e) => e.limitedBy }),
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
