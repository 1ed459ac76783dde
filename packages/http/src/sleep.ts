import { setTimeout as wait } from "node:timers/promises";

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (no timer is left behind). Node's own
 * rejects with a generic AbortError; callers rely on the reason (the call's deadline or caller-abort VendorError).
 */
export const sleep: Sleep = (ms, signal) =>
  wait(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal.aborted ? signal.reason : error;
  });

/** Settles like `promise`, or rejects with the signal's reason when it aborts first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
