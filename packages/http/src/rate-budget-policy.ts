import { VendorRateLimitedError } from "@taskbridge/model";
import type { Policy } from "./policy.ts";
import { sleep as realSleep, type Sleep, untilAborted } from "./sleep.ts";
import type { RateWindowResult, SharedStore } from "./store.ts";

export interface RateBudgetOptions {
  /** Shared by every instance that spends the same vendor credential's budget. */
  store: SharedStore;
  /** The budget's name, e.g. `maxai:<credential id>`; never the credential itself. */
  key: string;
  /** Attempts allowed per window (set it below the vendor's published limit). */
  limit: number;
  windowMs: number;
  /** Longest wait for a free slot before giving up with RATE_LIMITED (default 1000). */
  maxWaitMs?: number;
  sleep?: Sleep;
  now?: () => number;
  /**
   * The store failed (e.g. Redis down). The attempt then goes ahead: the vendor's own 429 still protects it,
   * and a store outage should not take every vendor call down with it.
   */
  onStoreError?(error: unknown): void;
}

/**
 * Takes a slot in the shared sliding window before every attempt. When the window is full it waits for a slot
 * (within maxWaitMs, the call's deadline and signal), then throws VendorRateLimitedError limitedBy "taskbridge"
 * with the wait the window asks for. Nothing is sent to the vendor in that case. Ours, not a library's: the window
 * is shared by every instance through the SharedStore (Redis), which cockatiel's per-process policies cannot do.
 */
export function rateBudgetPolicy(options: RateBudgetOptions): Policy {
  const { store, key, limit, windowMs } = options;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  return async (call, attempt) => {
    const giveUpAt = Math.min(now() + maxWaitMs, call.deadline);
    for (;;) {
      let slot: RateWindowResult;
      try {
        slot = await untilAborted(store.rateWindow(key, limit, windowMs), call.signal);
      } catch (error) {
        if (call.signal.aborted) throw call.signal.reason;
        options.onStoreError?.(error);
        return attempt();
      }
      if (slot.allowed) {
        call.observer?.budget?.(slot.remaining);
        return attempt();
      }
      if (now() + slot.retryAfterMs > giveUpAt) {
        throw new VendorRateLimitedError(
          call.vendor,
          `${call.vendor} ${call.operation}: Taskbridge's rate budget for this vendor connection is spent`,
          { limitedBy: "taskbridge", retryAfterMs: slot.retryAfterMs, detail: "rate budget spent" },
        );
      }
      call.observer?.waited?.("rate budget", slot.retryAfterMs);
      await sleep(slot.retryAfterMs, call.signal);
    }
  };
}
