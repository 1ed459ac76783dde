import type { VendorError } from "@taskbridge/model";

export interface CallSignal {
  /** Aborts with a VendorError as its reason: the whole-call deadline, or the caller's cancellation. */
  readonly signal: AbortSignal;
  /** Clears the timer and the listener on the caller's signal; call once the call is over. */
  dispose(): void;
}

/** One signal per call, combining the whole-call deadline with the caller's own signal. */
export function callSignal(
  totalMs: number,
  caller: AbortSignal | undefined,
  onDeadline: () => VendorError,
  onCallerAbort: (reason: unknown) => VendorError,
): CallSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(onDeadline()), totalMs);
  const forward = () => controller.abort(onCallerAbort(caller?.reason));
  if (caller?.aborted) forward();
  else caller?.addEventListener("abort", forward, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", forward);
    },
  };
}
