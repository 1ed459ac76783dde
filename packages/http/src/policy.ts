import type { Vendor } from "@taskbridge/model";
import type { CallObserver } from "./observer.ts";

/** What a policy knows about the call it wraps. */
export interface CallContext {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly method: string;
  /** Safe to send again: a GET, or a write whose idempotency key the vendor honours (idempotencyHeader set). */
  readonly idempotent: boolean;
  readonly idempotencyKey: string | undefined;
  /** Aborts when the caller cancels or the whole-call deadline passes. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the whole call, retries included, must end. */
  readonly deadline: number;
  /** Hears what the policies do (retries, waits, the breaker's state), when the client is instrumented. */
  readonly observer: CallObserver | undefined;
}

export interface Exchange {
  status: number;
  headers: Record<string, string>;
  /** The decoded JSON body, before schema validation (undefined for an empty body). */
  json: unknown;
  /** The vendor's trace or request id for this exchange, when it sent one. */
  traceId?: string | undefined;
}

/**
 * A policy wraps one call: it may wait before `attempt`, call it several times, or refuse to call it.
 * Each `attempt` is one HTTP exchange; it throws a VendorError for any failure.
 */
export type Policy = (call: CallContext, attempt: () => Promise<Exchange>) => Promise<Exchange>;

/** Composes policies outermost first: `[a, b]` runs a(b(attempt)). */
export function composePolicies(policies: readonly Policy[]): Policy {
  return policies.reduceRight<Policy>(
    (inner, outer) => (call, attempt) => outer(call, () => inner(call, attempt)),
    (_call, attempt) => attempt(),
  );
}
