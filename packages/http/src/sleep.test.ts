import { describe, expect, it } from "vitest";
import { sleep, untilAborted } from "./sleep.ts";

describe("sleep", () => {
  it("resolves once the wait is over", async () => {
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });

  it("rejects with the signal's own reason, whether aborted before or during the wait", async () => {
    const reason = new Error("the call's deadline passed");
    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe("untilAborted", () => {
  it("settles like the promise, or rejects with the signal's reason when it aborts first", async () => {
    await expect(untilAborted(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
    const controller = new AbortController();
    const reason = new Error("gone");
    const pending = untilAborted(new Promise(() => {}), controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
