import type { VendorError } from "@taskbridge/model";

/**
 * One signal per call, combining the whole-call deadline (epoch ms `endsAt`) with the caller's own signal.
 * A class, not an object literal with a `signal` getter: V8 keeps a literal's accessor pair in the old generation,
 * where it would keep each call's closures (and all they reach) alive until the next full GC.
 */
export class CallSignal {
  readonly #endsAt: number;
  readonly #caller: AbortSignal | undefined;
  readonly #onDeadline: () => VendorError;
  readonly #onCallerAbort: (reason: unknown) => VendorError;
  #made: { controller: AbortController; timer: ReturnType<typeof setTimeout>; forward: () => void } | undefined;

  constructor(
    endsAt: number,
    caller: AbortSignal | undefined,
    onDeadline: () => VendorError,
    onCallerAbort: (reason: unknown) => VendorError,
  ) {
    this.#endsAt = endsAt;
    this.#caller = caller;
    this.#onDeadline = onDeadline;
    this.#onCallerAbort = onCallerAbort;
  }

  /**
   * Aborts with a VendorError as its reason: the whole-call deadline, or the caller's cancellation. Made on first
   * use: a call that never waits or fails may not need it at all (see `transport` in client.ts).
   */
  get signal(): AbortSignal {
    this.#made ??= this.#make();
    return this.#made.controller.signal;
  }

  /** Clears the timer and the listener on the caller's signal, if they were made; call once the call is over. */
  dispose(): void {
    if (!this.#made) return;
    clearTimeout(this.#made.timer);
    this.#caller?.removeEventListener("abort", this.#made.forward);
  }

  #make() {
    const caller = this.#caller;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(this.#onDeadline()), Math.max(0, this.#endsAt - Date.now()));
    const forward = () => controller.abort(this.#onCallerAbort(caller?.reason));
    if (caller?.aborted) forward();
    else caller?.addEventListener("abort", forward, { once: true });
    return { controller, timer, forward };
  }
}
