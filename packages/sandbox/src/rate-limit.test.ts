import { describe, expect, it } from "vitest";
import { createSlidingWindowLimiter, exhaustedState, retryAfterSeconds, vendorLimiter } from "./rate-limit.ts";

describe("sliding window limiter", () => {
  it("allows `limit` requests per window per key, then rejects until the oldest leaves the window", () => {
    let t = 1_000_000;
    const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    expect(limiter.take("a")).toMatchObject({ allowed: true, remaining: 2, resetAt: t + 60_000 });
    t += 10_000;
    limiter.take("a");
    t += 10_000;
    expect(limiter.take("a")).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("b").allowed).toBe(true);
    t += 5_000;
    expect(limiter.take("a")).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 35_000 });
    t += 35_000; // the first request is now exactly 60 s old
    expect(limiter.take("a")).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take("a").allowed).toBe(false);
  });

  it("does not count rejected requests", () => {
    let t = 0;
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1_000, now: () => t });
    limiter.take("k");
    for (let i = 0; i < 10; i++) limiter.take("k");
    t = 1_000;
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("exhaust() rejects every key until the given time, even without a limit", () => {
    let t = 0;
    const limiter = createSlidingWindowLimiter({ limit: Number.POSITIVE_INFINITY, windowMs: 60_000, now: () => t });
    expect(limiter.take("k").allowed).toBe(true);
    limiter.exhaust(30_000);
    expect(limiter.take("other")).toMatchObject({ allowed: false, retryAfterMs: 30_000, resetAt: 30_000 });
    t = 30_000;
    expect(limiter.take("k").allowed).toBe(true);
    limiter.exhaust(5_000);
    limiter.reset();
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("rejects nonsense limits and rounds Retry-After up to whole seconds", () => {
    expect(() => createSlidingWindowLimiter({ limit: 0, windowMs: 1 })).toThrow(RangeError);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});

describe("vendor limiter", () => {
  it("applies the option's limit and window", () => {
    let t = 0;
    const limiter = vendorLimiter({ limit: 1, windowMs: 1_000 }, () => t);
    expect(limiter.take("k").allowed).toBe(true);
    expect(limiter.take("k")).toMatchObject({ allowed: false, retryAfterMs: 1_000 });
    t = 1_000;
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("counts nothing when the limit is off, but the exhausted state still refuses", () => {
    let t = 0;
    const limiter = vendorLimiter(false, () => t);
    for (let i = 0; i < 5_000; i++) expect(limiter.take("k").allowed).toBe(true);
    exhaustedState(limiter)({ retryAfterSeconds: 2 });
    expect(limiter.take("k")).toMatchObject({ allowed: false, retryAfterMs: 2_000 });
    t = 2_000;
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("exhausts for 60 s when the state gives no retryAfterSeconds", () => {
    const limiter = vendorLimiter(false, () => 0);
    exhaustedState(limiter)({});
    expect(limiter.take("k").retryAfterMs).toBe(60_000);
  });
});
