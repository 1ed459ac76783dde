import { describe, expect, it } from "vitest";
import { createRequestDeadline, signalDeadline } from "./request-deadline.ts";

describe("createRequestDeadline", () => {
  it("carries its deadline and aborts with a TimeoutError when it passes", async () => {
    const deadline = createRequestDeadline(5, 1_000);
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
});
