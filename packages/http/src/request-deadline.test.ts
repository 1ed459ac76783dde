import { describe, expect, it } from "vitest";
import { createRequestDeadline, signalDeadline } from "./request-deadline.ts";

describe("createRequestDeadline", () => {
  it("carries its deadline and aborts with a TimeoutError when it passes", async () => {
    const deadline = createRequestDeadline(5, { now: 1_000 });
    expect(signalDeadline(deadline.signal)).toBe(1_005);
    expect(signalDeadline(new AbortController().signal)).toBeUndefined();
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve, { once: true }));
    expect((deadline.signal.reason as Error).name).toBe("TimeoutError");
  });

  it("aborts with the caller's reason, and never after dispose()", async () => {
    const gone = createRequestDeadline(60_000);
    const reason = new DOMException("gone", "AbortError");
    gone.abort(reason);
    expect(gone.signal.reason).toBe(reason);
    const done = createRequestDeadline(5);
    done.dispose();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done.signal.aborted).toBe(false);
  });

  it("keeps a write's signal through the caller's abort, until the deadline passes", async () => {
    const deadline = createRequestDeadline(30, { now: 1_000 });
    const write = deadline.timeLimit();
    expect(signalDeadline(write)).toBe(1_030);
    deadline.abort(new DOMException("gone", "AbortError"));
    expect(deadline.signal.aborted).toBe(true);
    expect(write.aborted).toBe(false);
    await new Promise((resolve) => write.addEventListener("abort", resolve, { once: true }));
    expect((write.reason as Error).name).toBe("TimeoutError");
  });

  it("starts no write once the caller has gone: the write's signal is the aborted one", () => {
    const deadline = createRequestDeadline(60_000);
    deadline.abort(new DOMException("gone", "AbortError"));
    expect(deadline.timeLimit().aborted).toBe(true);
    deadline.dispose();
  });
});
