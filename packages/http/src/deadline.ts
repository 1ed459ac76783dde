import type { VendorError } from "@taskbridge/model";

export interface CallSignal {
  /**
   * Aborts with a VendorError as its reason: the whole-call deadline, or the caller's cancellation. Made on first
   * use: a call that never waits or fails may not need it at all (see `transport` in client.ts).
   */
  readonly signal: AbortSignal;
  /** Clears the timer and the listener on the caller's signal, if they were made; call once the call is over. */
  dispose(): void;
}

/** One signal per call, combining the whole-call deadline (epoch ms `endsAt`) with the caller's own signal. */
export function callSignal(
  endsAt: number,
  caller: AbortSignal | undefined,
  onDeadline: () => VendorError,
  onCallerAbort: (reason: unknown) => VendorError,
): CallSignal {
  let made: { controller: AbortController; timer: ReturnType<typeof setTimeout>; forward: () => void } | undefined;
  const make = () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(onDeadline()), Math.max(0, endsAt - Date.now()));
    const forward = () => controller.abort(onCallerAbort(caller?.reason));
    if (caller?.aborted) forward();
    else caller?.addEventListener("abort", forward, { once: true });
    return { controller, timer, forward };
  };
  return {
    get signal() {
      made ??= make();
      return made.controller.signal;
    },
    dispose() {
      if (!made) return;
      clearTimeout(made.timer);
      caller?.removeEventListener("abort", made.forward);
    },
  };
}
