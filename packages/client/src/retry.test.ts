import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type ErrorDetail, TaskbridgeError } from "./errors.ts";
import { retryAfterSeconds, withRetries } from "./retry.ts";

const failure = (...errors: [ErrorDetail, ...ErrorDetail[]]) => new TaskbridgeError(errors, { status: 200 });
const limited = (retryAfterSeconds: number) =>
  failure({ code: "RATE_LIMITED", message: "slow down", vendor: "CAPY", retryAfterSeconds });

/** An attempt function that fails with `errors` in turn, then answers "ok". */
function attempts(...errors: Error[]) {
  const calls: (AbortSignal | undefined)[] = [];
  const fn = async (signal: AbortSignal | undefined) => {
    calls.push(signal);
    const error = errors[calls.length - 1];
    if (error) throw error;
    return "ok";
  };
  return { fn, calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("withRetries", () => {
  it("waits the retryAfterSeconds the service asks for, no less, then retries", async () => {
    const { fn, calls } = attempts(limited(2));
    const result = withRetries(fn, {}, undefined);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe("ok");
    expect(calls).toHaveLength(2);
  });

  it("stops after `attempts` requests and says how many it made", async () => {
    const { fn, calls } = attempts(limited(0), limited(0), limited(0), limited(0));
    const result = withRetries(fn, { attempts: 3 }, undefined).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    const error = await result;
    expect(error).toBeInstanceOf(TaskbridgeError);
    expect(error).toMatchObject({ code: "RATE_LIMITED", attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  it("returns a wait longer than maxDelaySeconds to the caller at once", async () => {
    const { fn, calls } = attempts(limited(60));
    await expect(withRetries(fn, { maxDelaySeconds: 10 }, undefined)).rejects.toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: 60,
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  it("does not retry codes that would fail the same way again", async () => {
    const { fn, calls } = attempts(failure({ code: "BAD_USER_INPUT", message: "no" }));
    await expect(withRetries(fn, {}, undefined)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    expect(calls).toHaveLength(1);
  });

  it("does not retry when any error of the answer is not retryable", async () => {
    const { fn, calls } = attempts(
      failure({ code: "VENDOR_UNAVAILABLE", message: "down" }, { code: "VENDOR_AUTH_FAILED", message: "key" }),
    );
    await expect(withRetries(fn, {}, undefined)).rejects.toMatchObject({ code: "VENDOR_UNAVAILABLE" });
    expect(calls).toHaveLength(1);
  });

  it("backs off with jitter, never past the cap, when the service names no wait", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const unavailable = () => failure({ code: "VENDOR_UNAVAILABLE", message: "down" });
    const { fn, calls } = attempts(unavailable(), unavailable());
    const result = withRetries(fn, { baseDelaySeconds: 0.5, maxDelaySeconds: 0.8 }, undefined);
    await vi.advanceTimersByTimeAsync(490); // first wait: 0.99 × 0.5 s
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(780); // second: 0.99 × (1 s capped at 0.8 s)
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20);
    await expect(result).resolves.toBe("ok");
  });

  it("an abort during the wait rejects with the signal's reason and makes no further request", async () => {
    const controller = new AbortController();
    const { fn, calls } = attempts(limited(5));
    const result = withRetries(fn, {}, controller.signal).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const reason = new DOMException("user left", "AbortError");
    controller.abort(reason);
    expect(await result).toBe(reason);
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(1);
  });

  it("passes the signal to every attempt and does not start when already aborted", async () => {
    const controller = new AbortController();
    const { fn, calls } = attempts();
    await withRetries(fn, {}, controller.signal);
    expect(calls).toEqual([controller.signal]);
    controller.abort();
    await expect(withRetries(fn, {}, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(1);
  });
});

describe("retryAfterSeconds (a gateway's Retry-After header)", () => {
  const now = Date.parse("2026-12-07T22:00:00Z");
  it("reads delay-seconds and HTTP dates, a past date as 0, and nothing from an absent or unreadable one", () => {
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds("Mon, 07 Dec 2026 22:01:30 GMT", now)).toBe(90);
    expect(retryAfterSeconds("Mon, 07 Dec 2026 21:00:00 GMT", now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeUndefined();
    expect(retryAfterSeconds("soon", now)).toBeUndefined();
  });
});
