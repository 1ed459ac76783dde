import { type VendorError, VendorRateLimitedError } from "@taskbridge/model";
import type { CallContext, Exchange, Policy } from "./policy.ts";
import { sleep as realSleep, type Sleep, untilAborted } from "./sleep.ts";

export interface VendorPauseOptions {
  /** Longest a call waits for the pause to end before answering RATE_LIMITED (default 5000). */
  maxWaitMs?: number;
  /** Longest pause one 429 can impose (default 300000): a Retry-After of years is read as this. */
  maxPauseMs?: number;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Honours a vendor's 429 for the whole connection, not only for the call that got it: after a 429 with a wait
 * (Retry-After, or a reset header the client reads), no attempt on this connection is sent until the wait is
 * over. A call that arrives meanwhile waits (within maxWaitMs and its deadline) or fails at once with
 * VendorRateLimitedError limitedBy "vendor" and the remaining wait: a 429 asking for an hour answers every
 * caller at once, without asking the vendor again. The wait is capped at maxPauseMs, so no vendor answer can
 * disable a connection until restart; the 429's own retryAfterMs is capped the same. After a pause one probe goes
 * first and the other calls wait for its answer: another 429 pauses again, any other answer reopens the
 * connection. One instance per vendor connection; state is per process. (cockatiel has no policy that holds
 * calls until a vendor-given time, so this stays ours.)
 */
export function vendorPausePolicy(options: VendorPauseOptions = {}): Policy {
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const maxPauseMs = options.maxPauseMs ?? 300_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let pausedUntil = 0;
  /** True from a 429 until a probe gets any other answer from the vendor. */
  let unconfirmed = false;
  /** The probe in flight, settled (never rejected) for the calls waiting on it. */
  let probe: Promise<void> | undefined;

  const send = async (attempt: () => Promise<Exchange>, probing: boolean): Promise<Exchange> => {
    try {
      const result = await attempt();
      if (probing) unconfirmed = false;
      return result;
    } catch (error) {
      // Only the vendor's own 429 starts a pause; our budget's refusals carry no status.
      if (error instanceof VendorRateLimitedError && error.status === 429 && error.retryAfterMs !== undefined) {
        const waitMs = Math.min(error.retryAfterMs, maxPauseMs);
        pausedUntil = Math.max(pausedUntil, now() + waitMs);
        unconfirmed = true;
        throw waitMs < error.retryAfterMs ? capped(error, waitMs) : error;
      }
      // Any other answer from the vendor says the rate limit is over; no answer at all says nothing.
      if (probing && (error as VendorError | undefined)?.status !== undefined) unconfirmed = false;
      throw error;
    }
  };

  return async (call, attempt) => {
    for (;;) {
      const waitMs = pausedUntil - now();
      if (waitMs > 0) {
        if (waitMs > maxWaitMs || now() + waitMs >= call.deadline) throw refusal(call, waitMs);
        call.observer?.waited?.("vendor pause", waitMs);
        await sleep(waitMs, call.signal);
      } else if (!unconfirmed) {
        return send(attempt, false);
      } else if (probe) {
        await untilAborted(probe, call.signal);
      } else {
        const result = send(attempt, true);
        probe = result.then(
          () => {
            probe = undefined;
          },
          () => {
            probe = undefined;
          },
        );
        return result;
      }
    }
  };
}

function refusal(call: CallContext, waitMs: number): VendorRateLimitedError {
  return new VendorRateLimitedError(call.vendor, `${call.vendor} ${call.operation}: the vendor asked us to wait`, {
    limitedBy: "vendor",
    retryAfterMs: waitMs,
    detail: "vendor Retry-After pending",
  });
}

/** The same 429 with the wait we will actually keep; the vendor's own error stays as the cause. */
function capped(error: VendorRateLimitedError, retryAfterMs: number): VendorRateLimitedError {
  const { vendor, message, status, traceId, detail, limitedBy } = error;
  return new VendorRateLimitedError(vendor, message, {
    status,
    traceId,
    detail,
    limitedBy,
    retryAfterMs,
    cause: error,
  });
}
