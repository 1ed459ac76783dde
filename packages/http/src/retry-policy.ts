import { VendorError } from "@taskbridge/model";
import { abortedByCaller } from "./errors.ts";
import type { CallContext, Policy } from "./policy.ts";
import { sleep as realSleep, type Sleep } from "./sleep.ts";

export interface RetryOptions {
  /** Attempts in all, the first included (default 4: at 10% independent failures, 0.01% of calls still fail). */
  maxAttempts?: number;
  /** Backoff cap before the first retry; doubles each retry (default 50). */
  baseDelayMs?: number;
  /** Largest backoff drawn (default 1000). A longer Retry-After is still honoured, within maxTotalWaitMs. */
  maxDelayMs?: number;
  /** Most time spent waiting between attempts of one call (default 5000). */
  maxTotalWaitMs?: number;
  /** Source of jitter in [0, 1) (tests pin it). */
  random?: () => number;
  sleep?: Sleep;
  now?: () => number;
  /** Called before each wait, for logs and metrics. */
  onRetry?(info: { call: CallContext; attempt: number; error: VendorError; waitMs: number }): void;
}

/**
 * Repeats a failed attempt when that is safe and useful: only idempotent calls (GETs, and writes whose idempotency
 * key the vendor honours; never a plain POST), only retryable VendorErrors (408/429/5xx, network, timeout), with full-jitter exponential
 * backoff and never sooner than the error's retryAfterMs. When the required wait exceeds maxTotalWaitMs or would
 * pass the call's deadline, the last error is thrown at once: a 429 asking for an hour answers RATE_LIMITED now.
 * Ours, not cockatiel's: its retry delay ignores the abort signal and cannot give up on a wait past a cap.
 */
export function retryPolicy(options: RetryOptions = {}): Policy {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 1_000;
  const maxTotalWaitMs = options.maxTotalWaitMs ?? 5_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;

  return async (call, attempt) => {
    if (!call.idempotent) return attempt();
    let waited = 0;
    for (let n = 1; ; n += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (n >= maxAttempts || !retryable(error) || call.signal.aborted) throw error;
        const backoff = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
        const waitMs = Math.ceil(Math.max(backoff, error.retryAfterMs ?? 0));
        if (waited + waitMs > maxTotalWaitMs || now() + waitMs >= call.deadline) throw error;
        waited += waitMs;
        options.onRetry?.({ call, attempt: n, error, waitMs });
        call.observer?.retry?.(waitMs, error);
        try {
          await sleep(waitMs, call.signal);
        } catch (abort) {
          // The call's signal carries the deadline or caller-abort VendorError; prefer it to the stale failure.
          throw abort instanceof VendorError ? abort : error;
        }
      }
    }
  };
}

function retryable(error: unknown): error is VendorError {
  return error instanceof VendorError && error.retryable && !abortedByCaller(error);
}
