import { VendorRateLimitedError } from "@taskbridge/model";
import type { Policy } from "./policy.ts";
import { sleep as realSleep, type Sleep } from "./sleep.ts";

export interface VendorPauseOptions {
  /** Longest a call waits for the pause to end before answering RATE_LIMITED (default 5000). */
  maxWaitMs?: number;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Honours a vendor's 429 for the whole connection, not only for the call that got it: after a 429 with a wait
 * (Retry-After, or a reset header the client reads), no attempt on this connection is sent until the wait is
 * over. A call that arrives meanwhile waits (within maxWaitMs and its deadline) or fails at once with
 * VendorRateLimitedError limitedBy "vendor" and the remaining wait: a 429 asking for an hour answers every
 * caller at once, without asking the vendor again. One instance per vendor connection; state is per process.
 */
export function vendorPausePolicy(options: VendorPauseOptions = {}): Policy {
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let pausedUntil = 0;

  return async (call, attempt) => {
    const waitMs = pausedUntil - now();
    if (waitMs > 0) {
      if (waitMs > maxWaitMs || now() + waitMs >= call.deadline) {
        throw new VendorRateLimitedError(call.vendor, `${call.vendor} ${call.operation}: the vendor asked us to wait`, {
          limitedBy: "vendor",
          retryAfterMs: waitMs,
          detail: "vendor Retry-After pending",
        });
      }
      await sleep(waitMs, call.signal);
    }
    try {
      return await attempt();
    } catch (error) {
      // Only the vendor's own 429 starts a pause; our budget's refusals carry no status.
      if (error instanceof VendorRateLimitedError && error.status === 429 && error.retryAfterMs !== undefined) {
        pausedUntil = Math.max(pausedUntil, now() + error.retryAfterMs);
      }
      throw error;
    }
  };
}
