import type { Vendor, VendorError } from "@taskbridge/model";
import type { CircuitState } from "./circuit-breaker-policy.ts";

/**
 * What one vendor call reports while it runs, for metrics and traces. Every hook is optional; a client without
 * instrumentation makes no observer and pays nothing.
 */
export interface CallObserver {
  /** Headers sent with every attempt of the call (e.g. the W3C `traceparent` of the call's span). */
  readonly headers?: Record<string, string> | undefined;
  /** An attempt is sent to the vendor. */
  attempt?(): void;
  /** The attempt failed with `error` and is repeated after `waitMs`. */
  retry?(waitMs: number, error: VendorError): void;
  /** The call waits before an attempt: for a slot in the rate budget, or for the vendor's Retry-After. */
  waited?(reason: "rate budget" | "vendor pause", ms: number): void;
  /** Requests left in the credential's rate budget window once this attempt took its slot. */
  budget?(remaining: number): void;
  /** The connection's circuit breaker, as the call found it. */
  breaker?(state: CircuitState): void;
  /**
   * The call is over: answered with `status`, or failed with `error` (a VendorError, or a failure of ours such as
   * an UnsentRequestError).
   */
  end(outcome: { status: number | undefined; error: Error | undefined }): void;
}

/** Makes the observer of each call of a client (one client per vendor connection). */
export type CallInstrumentation = (call: {
  vendor: Vendor;
  operation: string;
  method: string;
}) => CallObserver | undefined;
