import type { ProviderStates, RateLimitOption } from "./types.ts";

/** The outcome of one `take`. Times are clock milliseconds. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the oldest counted request leaves the window (or the exhaustion ends). */
  resetAt: number;
  /** How long to wait before a request would be allowed (0 when allowed). */
  retryAfterMs: number;
}

export interface SlidingWindowLimiter {
  /** Counts one request for `key` if the window has room. Rejected requests are not counted. */
  take(key: string): RateDecision;
  /** Rejects every key until `now + ms` (the "rate limit is exhausted" provider state). */
  exhaust(ms: number): void;
  reset(): void;
}

/**
 * A sliding-window log: one ring of timestamps per key, sized to the limit, so each request costs O(1)
 * amortised and memory is bounded by limit × keys. The clock is injectable for tests.
 */
export function createSlidingWindowLimiter(options: {
  limit: number;
  windowMs: number;
  now?: () => number;
}): SlidingWindowLimiter {
  const { limit, windowMs } = options;
  // Infinity = no limit: nothing is tracked, but `exhaust` still works (provider states need it).
  const unlimited = limit === Number.POSITIVE_INFINITY;
  if (!unlimited && (!Number.isInteger(limit) || limit < 1))
    throw new RangeError("rate limit must be a positive integer");
  const now = options.now ?? Date.now;
  const windows = new Map<string, { times: Float64Array; head: number; size: number }>();
  let blockedUntil = 0;

  return {
    take(key) {
      const t = now();
      if (blockedUntil > t) {
        return { allowed: false, limit, remaining: 0, resetAt: blockedUntil, retryAfterMs: blockedUntil - t };
      }
      if (unlimited) return { allowed: true, limit, remaining: limit, resetAt: t + windowMs, retryAfterMs: 0 };
      let w = windows.get(key);
      if (!w) {
        w = { times: new Float64Array(limit), head: 0, size: 0 };
        windows.set(key, w);
      }
      while (w.size > 0 && (w.times[w.head] as number) <= t - windowMs) {
        w.head = (w.head + 1) % limit;
        w.size--;
      }
      if (w.size >= limit) {
        const resetAt = (w.times[w.head] as number) + windowMs;
        return { allowed: false, limit, remaining: 0, resetAt, retryAfterMs: resetAt - t };
      }
      w.times[(w.head + w.size) % limit] = t;
      w.size++;
      return {
        allowed: true,
        limit,
        remaining: limit - w.size,
        resetAt: (w.times[w.head] as number) + windowMs,
        retryAfterMs: 0,
      };
    },
    exhaust(ms) {
      blockedUntil = now() + ms;
    },
    reset() {
      windows.clear();
      blockedUntil = 0;
    },
  };
}

/** Retry-After in whole seconds, never 0 for a rejection. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** A vendor's limiter from its sandbox option; `false` counts nothing (provider states can still exhaust it). */
export function vendorLimiter(option: RateLimitOption | false, now: () => number): SlidingWindowLimiter {
  const limit = option === false ? undefined : option;
  return createSlidingWindowLimiter({
    limit: limit?.limit ?? Number.POSITIVE_INFINITY,
    windowMs: limit?.windowMs ?? 60_000,
    now,
  });
}

/** The "the rate limit is exhausted" provider state: every request is refused for `retryAfterSeconds` (default 60). */
export function exhaustedState(limiter: SlidingWindowLimiter): ProviderStates[string] {
  return (params) => limiter.exhaust(Number(params.retryAfterSeconds ?? 60) * 1000);
}
