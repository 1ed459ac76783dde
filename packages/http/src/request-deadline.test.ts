import { describe, expect, it } from "vitest";
import { createRequestDeadline, sendingWith, signalDeadline } from "./request-deadline.ts";

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
    // A deadline made after it, as long, passes after it would have: timers of one length fire in order.
    const witness = createRequestDeadline(5);
    await new Promise((resolve) => witness.signal.addEventListener("abort", resolve, { once: true }));
    expect(done.signal.aborted).toBe(false);
  });

  it("keeps a sent write's signal through the caller's abort, until the deadline passes", async () => {
    const deadline = createRequestDeadline(30, { now: 1_000 });
    const write = deadline.writeSignal();
    expect(signalDeadline(write)).toBe(1_030);
    sendingWith(write);
    deadline.abort(new DOMException("gone", "AbortError"));
    expect(deadline.signal.aborted).toBe(true);
    expect(write.aborted).toBe(false);
    await new Promise((resolve) => write.addEventListener("abort", resolve, { once: true }));
    expect((write.reason as Error).name).toBe("TimeoutError");
  });

  it("aborts a write not sent yet with its caller: one still waiting is not sent for nobody", () => {
    const deadline = createRequestDeadline(60_000);
    const [waiting, sent] = [deadline.writeSignal(), deadline.writeSignal()];
    sendingWith(sent);
    const reason = new DOMException("gone", "AbortError");
    deadline.abort(reason);
    expect(waiting.aborted).toBe(true);
    expect(waiting.reason).toBe(reason);
    expect(sent.aborted).toBe(false);
    sendingWith(deadline.signal); // any other signal: nothing happens
    deadline.dispose();
  });

  it("starts no write once the caller has gone: the write's signal is the aborted one", () => {
    const deadline = createRequestDeadline(60_000);
    deadline.abort(new DOMException("gone", "AbortError"));
    expect(deadline.writeSignal().aborted).toBe(true);
    deadline.dispose();
  });
});
